import { z } from 'zod';

import type { TextRules } from './text';
import { textProblem, trimmed } from './text';

/** Largest MQTT message ApsaraMQ accepts (docs/endpoints.md#sendmessage). */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/** A topic name, and so each level of a topic, is at most 64 characters (docs/endpoints.md#sendmessage). */
export const MAX_TOPIC_LEVEL_LENGTH = 64;

/** The node's own bound on a whole MQTT topic; Alibaba publishes none (docs/endpoints.md#sendmessage). */
export const MAX_TOPIC_LENGTH = 1024;

/**
 * The node's own bound on an identifier. Alibaba's IDs are far shorter (64 characters for MQTT
 * client IDs and topics); the bound only stops a runaway expression (docs/errors.md#input-checks).
 */
export const MAX_ID_LENGTH = 255;

/**
 * Expressions can hand numbers to text fields; a finite one is written out, anything else
 * (NaN, Infinity, an object) is a mistake worth naming.
 */
const textInput = z.preprocess(
	(value) =>
		(typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint'
			? String(value)
			: value,
	z.string({
		required_error: 'is required',
		invalid_type_error: 'must be text (the expression returned something else, such as NaN, Infinity or an object)',
	}),
);

/** A zod check of text under `rules` (validation/text.ts), reported with the field's label. */
function checkedText(rules: TextRules) {
	return z.string().superRefine((value, context) => {
		const problem = textProblem(value, rules);
		if (problem) context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
	});
}

const ID_RULES: TextRules = {
	maxLength: MAX_ID_LENGTH,
	noWhitespace: true,
	noControlCharacters: true,
	noInvisibleCharacters: true,
};

/** An identifier copied from the console: required, no spaces. Surrounding spaces are trimmed. */
export const resourceId = textInput
	.transform(trimmed)
	.pipe(z.string().min(1, 'is empty').pipe(checkedText(ID_RULES)));

/** A space inside a subtopic is valid MQTT; line breaks, tabs and other controls are not sent. */
const TOPIC_RULES: TextRules = {
	maxLength: MAX_TOPIC_LENGTH,
	noControlCharacters: true,
	noInvisibleCharacters: true,
};

/**
 * The full MQTT topic to publish to: a parent topic plus optional subtopics. Surrounding spaces
 * and line breaks are trimmed, as for identifiers; inside, line breaks and controls are refused.
 */
export const mqttTopic = textInput.transform(trimmed).pipe(
	z
		.string()
		.min(1, 'is empty')
		.pipe(checkedText(TOPIC_RULES))
		.refine((topic) => !/[+#]/.test(topic), {
			message: 'must not contain the wildcards + or # (they are only for subscribing)',
		})
		.refine((topic) => topic.split('/')[0] !== '', {
			message: 'must start with a parent topic, e.g. TopicA/devices/42',
		})
		.refine((topic) => topic.split('/').every((level) => level.length <= MAX_TOPIC_LEVEL_LENGTH), {
			message: `must have levels (the parts between /) of at most ${MAX_TOPIC_LEVEL_LENGTH} characters each`,
		})
		.refine((topic) => !/[:,%]/.test(topic.split('/')[0]), {
			message: 'must have a parent topic without : , or %',
		}),
);

export function utf8Length(value: string): number {
	return Buffer.byteLength(value, 'utf8');
}

/**
 * The payload exactly as it will be sent, within the message size limit. Not trimmed, and any
 * character is allowed except half of a surrogate pair, which has no UTF-8 form.
 */
export const payload = textInput.pipe(
	z
		.string()
		.min(1, 'is empty; ApsaraMQ needs a payload')
		.pipe(checkedText({}))
		.superRefine((value, context) => {
			const bytes = utf8Length(value);
			if (bytes > MAX_PAYLOAD_BYTES) {
				context.addIssue({
					code: z.ZodIssueCode.custom,
					message: `is ${bytes} bytes, over the ${MAX_PAYLOAD_BYTES}-byte (64 KB) limit of ApsaraMQ for MQTT`,
				});
			}
		}),
);
