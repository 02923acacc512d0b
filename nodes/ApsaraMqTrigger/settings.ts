import type { ITriggerFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { resourceId } from '../ApsaraMq/validation/fields';
import { ACKNOWLEDGE_MODES } from './consume/acknowledgeMode';
import { MAX_MESSAGES_PER_POLL } from './consume/consumer';

/** An upper bound that still protects n8n's memory and database (docs/trigger.md#parallel-executions). */
export const MAX_PARALLEL_EXECUTIONS = 1_000;
export const DEFAULT_PARALLEL_EXECUTIONS = 10;

// Topic 3–64 and group 2–64 characters of [A-Za-z0-9_-] (docs/trigger.md#names).
const topicName = resourceId.pipe(
	z.string().regex(/^[A-Za-z0-9_-]{3,64}$/, 'must be 3 to 64 letters, digits, _ or -'),
);
const groupName = resourceId.pipe(
	z.string().regex(/^[A-Za-z0-9_-]{2,64}$/, 'must be 2 to 64 letters, digits, _ or -'),
);

/** `TagA||TagB`; empty or `*` means every tag. */
const tagFilter = z
	.string({ invalid_type_error: 'must be text' })
	.transform((value) => value.trim())
	.refine(
		(value) =>
			value === '' ||
			value === '*' ||
			value.split('||').every((tag) => tag.trim() !== '' && !tag.includes('|')),
		{
			message: 'must be tags joined by ||, e.g. TagA||TagB, with no empty tag and no single |',
		},
	)
	.transform((value) =>
		value === '*'
			? ''
			: value
					.split('||')
					.map((tag) => tag.trim())
					.join('||'),
	);

const wholeNumber = (low: number, high: number) =>
	z
		.number({ invalid_type_error: 'must be a number' })
		.int('must be a whole number')
		.min(low, `must be at least ${low}`)
		.max(high, `must be at most ${high}`);

const schema = z.object({
	instanceId: resourceId,
	topic: topicName,
	groupId: groupName,
	tag: tagFilter,
	acknowledge: z.enum(ACKNOWLEDGE_MODES, {
		errorMap: () => ({ message: `must be one of ${ACKNOWLEDGE_MODES.join(', ')}` }),
	}),
	messagesPerExecution: wholeNumber(1, MAX_MESSAGES_PER_POLL),
	orderly: z.boolean(),
	parseJson: z.boolean(),
	maxParallelExecutions: wholeNumber(1, MAX_PARALLEL_EXECUTIONS),
	httpEndpoint: z
		.string({ invalid_type_error: 'must be text' })
		.transform((value) => value.trim().replace(/\/+$/, ''))
		.refine((value) => value === '' || /^https?:\/\/[^\s/]+/.test(value), {
			message: 'must be a URL such as https://123456789.mqrest.cn-hangzhou.aliyuncs.com',
		}),
	decodeBase64Body: z.boolean(),
	binaryPropertyName: resourceId,
	acknowledgeTestEvent: z.boolean(),
});

export type TriggerSettings = z.output<typeof schema>;

/** The labels the editor shows, so that an error names the field the user sees. */
const LABELS: Record<string, string> = {
	instanceId: 'Instance',
	topic: 'Topic',
	groupId: 'Group',
	tag: 'Tag Filter',
	acknowledge: 'Acknowledge',
	messagesPerExecution: 'Messages per Execution',
	orderly: 'Ordered Consumption',
	parseJson: 'Parse JSON Body',
	maxParallelExecutions: 'Max Parallel Executions',
	httpEndpoint: 'HTTP Endpoint',
	decodeBase64Body: 'Decode Base64 Body to Binary',
	binaryPropertyName: 'Binary Property',
	acknowledgeTestEvent: 'Acknowledge Test Event',
};

/** The raw values, as read from the node (resource locators give their ID). */
export function rawSettings(context: ITriggerFunctions): Record<string, unknown> {
	const options = context.getNodeParameter('options', {}) as Record<string, unknown>;
	const locator = (name: string) => context.getNodeParameter(name, '', { extractValue: true });
	return {
		instanceId: locator('instanceId'),
		topic: locator('topic'),
		groupId: locator('groupId'),
		tag: context.getNodeParameter('tag', ''),
		acknowledge: context.getNodeParameter('acknowledge', 'executionSucceeds'),
		messagesPerExecution: context.getNodeParameter('messagesPerExecution', 1),
		orderly: options.orderly ?? false,
		parseJson: options.parseJson ?? false,
		maxParallelExecutions: options.maxParallelExecutions ?? DEFAULT_PARALLEL_EXECUTIONS,
		httpEndpoint: options.httpEndpoint ?? '',
		decodeBase64Body: options.decodeBase64Body ?? false,
		binaryPropertyName: options.binaryPropertyName ?? 'data',
		acknowledgeTestEvent: options.acknowledgeTestEvent ?? false,
	};
}

/** Checks the settings before any request; an error names the field and says what is wrong. */
export function parseSettings(
	raw: Record<string, unknown>,
): TriggerSettings | { problems: string[] } {
	const result = schema.safeParse(raw);
	if (result.success) return result.data;
	return {
		problems: result.error.issues.map((issue) => {
			const field = String(issue.path[0] ?? '');
			return `"${LABELS[field] ?? field}" ${issue.message}`;
		}),
	};
}

export function readTriggerSettings(context: ITriggerFunctions): TriggerSettings {
	const parsed = parseSettings(rawSettings(context));
	if (!('problems' in parsed)) return parsed;
	const [first, ...others] = parsed.problems;
	throw new NodeOperationError(context.getNode(), first, {
		description: others.length > 0 ? `Also: ${others.join('; ')}` : undefined,
	});
}
