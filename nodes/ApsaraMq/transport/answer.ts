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

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The list under `keys`, e.g. `answerList(body, 'Data', 'InstanceVO')`; [] when it is absent.
 * A list of one may come as the object itself, as XML-to-JSON converters write a single element
 * (`"ConnectionDo": {…}`): it is a list of one. Entries that are not objects are left out, and
 * only own keys are followed, so `__proto__` or `constructor` in an answer lead nowhere.
 */
export function answerList(body: IDataObject, ...keys: string[]): IDataObject[] {
	let value: unknown = body;
	for (const key of keys) {
		value = isObject(value) && Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
	}
	if (isObject(value)) return [value];
	return Array.isArray(value) ? value.filter(isObject) : [];
}
