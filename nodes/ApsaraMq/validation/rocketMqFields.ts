import { z } from 'zod';

import { indexOfXmlIllegalCharacter } from '../transport/mqHttp/xml';
import { utf8Length } from './fields';

/**
 * The rules of a RocketMQ 4.x HTTP publish, checked before any request
 * (docs/mq-http-protocol.md#properties, docs/mq-http-protocol.md#limits).
 */

export const MAX_BODY_BYTES = 4 * 1024 * 1024;
export const MAX_TIMED_BODY_BYTES = 64 * 1024;
export const MAX_PROPERTIES_BYTES = 16 * 1024;
export const MAX_DELIVERY_AHEAD_MS = 40 * 24 * 60 * 60 * 1000;
/** UNCONFIRMED limits of tags and keys; conservative (docs/mq-http-protocol.md#limits). */
const MAX_TAG_LENGTH = 128;
const MAX_KEY_LENGTH = 128;

/** Forbidden by every Alibaba SDK in property keys and values (docs/mq-http-protocol.md#properties). */
const PROPERTY_FORBIDDEN = /['"&<>|:]/;
/** Property names the protocol reserves; user properties must not use them. */
export const RESERVED_PROPERTIES = ['KEYS', '__STARTDELIVERTIME', '__SHARDINGKEY', '__TransCheckT'];

const text = z.preprocess(
	(value) => (typeof value === 'number' || typeof value === 'bigint' ? String(value) : value),
	z.string({ invalid_type_error: 'must be text (the expression returned something else)' }),
);

function xmlIssue(value: string): string | undefined {
	const at = indexOfXmlIllegalCharacter(value);
	if (at === -1) return undefined;
	const code = value.codePointAt(at) ?? 0;
	return `contains the character U+${code.toString(16).toUpperCase().padStart(4, '0')} at position ${at + 1}, which XML 1.0 cannot carry`;
}

/** A topic as created in the console: 3–64 letters, digits, `_` and `-`. */
export const rocketMqTopic = text
	.transform((value) => value.trim())
	.pipe(
		z
			.string()
			.min(1, 'is empty')
			.regex(/^[A-Za-z0-9_-]{3,64}$/, 'must be 3 to 64 letters, digits, _ or - (a RocketMQ topic name)'),
	);

/** One optional tag. `||` separates tags when consuming, so it cannot be part of one. */
export const rocketMqTag = text
	.optional()
	.transform((value) => (value ?? '').trim())
	.pipe(
		z
			.string()
			.max(MAX_TAG_LENGTH, `must be at most ${MAX_TAG_LENGTH} characters`)
			.refine((tag) => !tag.includes('||'), { message: 'must be one tag: || separates tags when consuming' })
			.refine((tag) => !/[\s*|:'"&<>]/.test(tag), {
				message: "must not contain spaces, *, |, :, ', \", &, < or >",
			})
			.refine((tag) => xmlIssue(tag) === undefined, { message: 'contains a character XML 1.0 cannot carry' }),
	);

/** A key-like value (message key, sharding key): the property rules, and no spaces (KEYS splits on them). */
function keyLike(label: string) {
	return text.pipe(
		z
			.string()
			.min(1, 'is empty')
			.max(MAX_KEY_LENGTH, `must be at most ${MAX_KEY_LENGTH} characters`)
			.refine((key) => !PROPERTY_FORBIDDEN.test(key) && !/\s/.test(key), {
				message: `must not contain spaces or the characters ' " & < > | : (forbidden in a ${label})`,
			})
			.refine((key) => xmlIssue(key) === undefined, { message: 'contains a character XML 1.0 cannot carry' }),
	);
}

export const messageKey = keyLike('message key');
export const shardingKey = keyLike('sharding key');

export interface UserProperty {
	name: string;
	value: string;
}

/** `[{ name, value }]` from the fixed collection; each checked, and 16 KB in all. */
export const userProperties = z
	.array(
		z.object({
			name: text.transform((value) => value.trim()),
			value: text,
		}),
		{ invalid_type_error: 'must be a list of name and value pairs' },
	)
	.default([])
	.superRefine((list, context) => {
		const seen = new Set<string>();
		for (const [index, { name, value }] of list.entries()) {
			const which = `property ${index + 1}${name ? ` (${name})` : ''}`;
			const problem =
				name === ''
					? 'has an empty name'
					: value === ''
						? 'has an empty value (the protocol drops such a property)'
						: PROPERTY_FORBIDDEN.test(name) || PROPERTY_FORBIDDEN.test(value)
							? "contains one of ' \" & < > | : in its name or value, which the protocol forbids"
							: RESERVED_PROPERTIES.includes(name)
								? 'uses a reserved name; set the message key, delivery time or sharding key with their own options'
								: seen.has(name)
									? 'repeats a name'
									: (xmlIssue(name) ?? xmlIssue(value));
			if (problem) context.addIssue({ code: z.ZodIssueCode.custom, message: `${which} ${problem}` });
			seen.add(name);
		}
		const bytes = utf8Length(list.map(({ name, value }) => `${name}:${value}`).join('|'));
		if (bytes > MAX_PROPERTIES_BYTES) {
			context.addIssue({
				code: z.ZodIssueCode.custom,
				message: `are ${bytes} bytes in all, over the ${MAX_PROPERTIES_BYTES}-byte (16 KB) limit`,
			});
		}
	});

/** The body as it will be sent: not empty, XML-safe (the hint says how to send anything else). */
export const rocketMqBody = text.pipe(
	z
		.string()
		.min(1, 'is empty; a RocketMQ message needs a body')
		.superRefine((value, context) => {
			const issue = xmlIssue(value);
			if (issue) {
				context.addIssue({
					code: z.ZodIssueCode.custom,
					message: `${issue}; send such data as Base64 (Payload Type: Binary File)`,
				});
			}
		}),
);

/** The body size limit: 64 KB for timed messages, 4 MB otherwise. */
export function bodySizeProblem(body: string, timed: boolean): string | undefined {
	const limit = timed ? MAX_TIMED_BODY_BYTES : MAX_BODY_BYTES;
	const bytes = utf8Length(body);
	if (bytes <= limit) return undefined;
	return timed
		? `is ${bytes} bytes, over the ${limit}-byte (64 KB) limit of timed messages`
		: `is ${bytes} bytes, over the ${limit}-byte (4 MB) limit of RocketMQ messages`;
}

/**
 * The delivery time as ms since the epoch: a date-time (ISO 8601 text, a Date, a Luxon DateTime),
 * or a number of seconds from now; in the future and at most 40 days ahead. undefined when empty.
 */
export function deliveryTime(value: unknown, now: number): { at?: number; problem?: string } {
	if (value === undefined || value === null || value === '') return {};
	let at: number;
	if (typeof value === 'number') at = now + value * 1000;
	else if (value instanceof Date) at = value.getTime();
	else if (typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		at = (value as { toMillis(): number }).toMillis();
	} else if (typeof value === 'string') {
		const trimmed = value.trim();
		at = /^\d+(\.\d+)?$/.test(trimmed) ? now + Number(trimmed) * 1000 : Date.parse(trimmed);
	} else at = Number.NaN;
	if (!Number.isFinite(at)) {
		return { problem: 'is not a date-time (e.g. 2026-01-31T12:00:00Z) or a number of seconds from now' };
	}
	if (at <= now) return { problem: `is in the past (${new Date(at).toISOString()})` };
	if (at - now > MAX_DELIVERY_AHEAD_MS) {
		return { problem: `is more than 40 days ahead (${new Date(at).toISOString()}), beyond what RocketMQ keeps timers for` };
	}
	return { at: Math.round(at) };
}
