import type { IDataObject } from 'n8n-workflow';

/**
 * One object of the node's static data that the trigger changes in place, and the call that tells
 * n8n it changed. n8n 2.41 saves the static data only when its observable object was written to
 * (`__dataChanged`, n8n-workflow's observable-object.js, read in the installed package), and an
 * object put into it is not made observable itself: changes inside it would never be saved until
 * n8n loads the static data again. Writing the object back to its key marks the node's static
 * data as changed, so n8n saves it when the next execution starts (docs/trigger.md#guarantees).
 */
export function staticDataStore(
	staticData: IDataObject,
	key: string,
): { store: Record<string, number>; changed: () => void } {
	const current = staticData[key];
	const store = (
		typeof current === 'object' && current !== null && !Array.isArray(current) ? current : {}
	) as Record<string, number>;
	staticData[key] = store as IDataObject;
	return {
		store,
		changed: () => {
			staticData[key] = store as IDataObject;
		},
	};
}
