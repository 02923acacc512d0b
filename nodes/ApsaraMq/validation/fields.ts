import { z } from 'zod';

/** Largest MQTT message ApsaraMQ accepts (docs/endpoints.md#sendmessage). */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/** The parent topic (before the first `/`) has its own limits on ApsaraMQ for MQTT. */
const MAX_PARENT_TOPIC_LENGTH = 64;

/** Expressions can hand numbers to text fields; anything else is a mistake worth naming. */
const textInput = z.preprocess(
	(value) => (typeof value === 'number' || typeof value === 'bigint' ? String(value) : value),
	z.string({
		required_error: 'is required',
		invalid_type_error: 'must be text (the expression returned something else)',
	}),
);

/** An identifier copied from the console: required, no spaces. Surrounding spaces are trimmed. */
export const resourceId = textInput
	.transform((value) => value.trim())
	.pipe(
		z
			.string()
			.min(1, 'is empty')
			.regex(/^\S+$/, 'must not contain spaces or line breaks'),
	);

/** The full MQTT topic to publish to: a parent topic plus optional subtopics. */
export const mqttTopic = textInput.pipe(
	z
		.string()
		.min(1, 'is empty')
		.refine((topic) => !/[+#]/.test(topic), {
			message: 'must not contain the wildcards + or # (they are only for subscribing)',
		})
		.refine((topic) => topic.split('/')[0].trim() !== '', {
			message: 'must start with a parent topic, e.g. TopicA/devices/42',
		})
		.refine((topic) => topic.split('/')[0].length <= MAX_PARENT_TOPIC_LENGTH, {
			message: `must have a parent topic (the part before the first /) of at most ${MAX_PARENT_TOPIC_LENGTH} characters`,
		})
		.refine((topic) => !/[:,%]/.test(topic.split('/')[0]), {
			message: 'must have a parent topic without : , or %',
		})
		.refine((topic) => !topic.includes('\u0000'), { message: 'must not contain a null character' }),
);

export function utf8Length(value: string): number {
	return Buffer.byteLength(value, 'utf8');
}

/** The payload exactly as it will be sent, within the message size limit. */
export const payload = textInput.pipe(
	z
		.string()
		.min(1, 'is empty; ApsaraMQ needs a payload')
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
