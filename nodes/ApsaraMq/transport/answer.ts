import type { IDataObject } from 'n8n-workflow';

/**
 * Reading Alibaba's JSON answers, which keep the shapes of their XML origin: lists sit under
 * wrapper keys (`Data.ConnectionList.ConnectionDo`), and a field may be missing or empty.
 */

/**
 * A text field of an answer: a string as it is, a number written out; undefined when absent or
 * empty, so that a missing ID never shows up as an empty one and a fallback can take over.
 */
export function answerText(value: unknown): string | undefined {
	if (typeof value === 'string') return value === '' ? undefined : value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/** The list under `keys`, e.g. `answerList(body, 'Data', 'InstanceVO')`; [] when it is absent. */
export function answerList(body: IDataObject, ...keys: string[]): IDataObject[] {
	let value: unknown = body;
	for (const key of keys) value = (value as IDataObject | undefined)?.[key];
	return Array.isArray(value) ? (value as IDataObject[]) : [];
}
