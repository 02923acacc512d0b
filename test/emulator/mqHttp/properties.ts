/**
 * Message properties as the protocol carries them: `key:value|key:value`
 * (docs/mq-http-server.md#properties). Reserved keys are Alibaba's.
 */
import { mqErrors } from './errors';

export const PROPERTY = {
	keys: 'KEYS',
	startDeliverTime: '__STARTDELIVERTIME',
	shardingKey: '__SHARDINGKEY',
	transCheck: '__TransCheckT',
} as const;

/** Characters every Alibaba SDK refuses in a property key or value. */
const FORBIDDEN = /['"&<>|:]/;

/**
 * Parses a `Properties` element. Segments split on `|`; the key is the text before the first
 * `:` and the value the rest, verbatim; empty segments (a trailing `|`, as the Java and Go SDKs
 * write) are skipped. A segment without a key or value is refused, as are the characters the SDKs
 * forbid in values (a `:` in a value is kept: the server itself adds such values).
 */
export function parseProperties(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const segment of text.split('|')) {
		if (segment === '') continue;
		const colon = segment.indexOf(':');
		const key = colon === -1 ? '' : segment.slice(0, colon);
		const value = colon === -1 ? '' : segment.slice(colon + 1);
		if (key === '' || value === '') {
			throw mqErrors.invalidArgument(`The property "${segment}" is not of the form key:value.`);
		}
		if (FORBIDDEN.test(key) || /['"&<>]/.test(value)) {
			throw mqErrors.invalidArgument(
				`The property ${key} contains a character that is not allowed (' " & < > | :).`,
			);
		}
		out[key] = value;
	}
	return out;
}

/** `key:value|key:value`, no trailing `|` (as Alibaba's Node SDK writes). */
export function formatProperties(properties: Readonly<Record<string, string>>): string {
	return Object.entries(properties)
		.map(([k, v]) => `${k}:${v}`)
		.join('|');
}

/** Whether a message's `KEYS` (space-separated keys, as RocketMQ indexes them) holds `key`. */
export function hasKey(keys: string | undefined, key: string): boolean {
	return keys !== undefined && keys.split(' ').includes(key);
}
