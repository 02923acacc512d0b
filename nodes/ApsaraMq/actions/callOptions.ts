import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import type { AlibabaApi } from '../transport/apis';
import type { RetryPolicy } from '../transport/client';
import { fieldLabels, parseOrThrow } from '../validation/parse';

export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_TIMEOUT_MS = 10_000;

/** One option of the collection; its description names the API's own pace and limits. */
interface CallOption {
	field: Omit<INodeProperties, 'description'>;
	describe(api: AlibabaApi): string;
	/** Only for operations that send a message (the duplicate hazard). */
	sendsOnly?: true;
}

const CALL_OPTIONS: CallOption[] = [
	{
		field: {
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrentRequests',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 256 },
			default: 0,
		},
		describe: (api) =>
			`How many requests may wait for an answer at the same time, for the whole batch. 0 means automatic (${api.automaticConcurrency}). Set 1 to send one request after another. Example: 8.`,
	},
	{
		field: {
			displayName: 'Max Requests per Second',
			name: 'maxRequestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
		},
		describe: (api) =>
			`Upper limit on ${api.action} calls per second for the whole batch. 0 means automatic: ${api.automaticRatePerSecond} per second for this n8n process, shared by all its executions, under Alibaba Cloud's limit of ${api.quotaPerSecond}. With more n8n processes (queue-mode workers) behind one address or account than that leaves room for, divide the limit between them. Example: 100.`,
	},
	{
		field: {
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: DEFAULT_MAX_RETRIES,
		},
		describe: () =>
			'How many times to retry a call that was throttled or never reached Alibaba Cloud, with a growing random pause between tries. Example: 5.',
	},
	{
		field: {
			displayName: 'Retry Ambiguous Failures',
			name: 'retryAmbiguousFailures',
			type: 'boolean',
			default: false,
		},
		describe: () =>
			'Whether to also retry when the outcome is unknown (a timeout or a dropped connection after the request was sent). Such a retry can deliver the same message twice; when it happens, the output item has possibleDuplicate set to true.',
		sendsOnly: true,
	},
	{
		field: {
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_TIMEOUT_MS,
		},
		describe: () =>
			'How long to wait for an answer to one call, in milliseconds, before treating it as failed. Example: 10000.',
	},
];

/**
 * The Options collection of an operation: pacing, concurrency, retries and timeout, all optional.
 * Pacing and concurrency apply to the whole batch and are read from the first item; retries and
 * timeout are read per item.
 */
export function callOptionsDescription(
	api: AlibabaApi,
	{ sends }: { sends: boolean },
): INodeProperties {
	const options = CALL_OPTIONS.filter((option) => sends || !option.sendsOnly).map(
		({ field, describe }) => ({ ...field, description: describe(api) }),
	);
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		description:
			'How fast to send, how many calls to keep in flight, how often to retry and how long to wait. Every option is optional; the defaults stay under Alibaba Cloud limits.',
		options,
	};
}

const callOptionsSchema = z.object({
	maxConcurrentRequests: z.number().int('must be a whole number').min(0).max(256).default(0),
	maxRequestsPerSecond: z.number().min(0, 'must be 0 (automatic) or more').default(0),
	maxRetries: z.number().int('must be a whole number').min(0).max(10).default(DEFAULT_MAX_RETRIES),
	retryAmbiguousFailures: z.boolean().default(false),
	timeout: z.number().int('must be a whole number of milliseconds').min(1).default(DEFAULT_TIMEOUT_MS),
});

const OPTION_LABELS = fieldLabels(CALL_OPTIONS.map((option) => option.field));

export interface CallSettings {
	/** The user's limit for this batch; undefined = automatic, one pace shared by the n8n process. */
	ratePerSecond: number | undefined;
	concurrency: number;
	policy: RetryPolicy;
}

/** Reads and checks the Options collection of one item, resolving "automatic" values. */
export function readCallSettings(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AlibabaApi,
): CallSettings {
	const raw = this.getNodeParameter('options', itemIndex, {});
	const options = parseOrThrow(this, callOptionsSchema, raw, OPTION_LABELS, itemIndex);
	return {
		ratePerSecond: options.maxRequestsPerSecond || undefined,
		concurrency: options.maxConcurrentRequests || api.automaticConcurrency,
		policy: {
			maxRetries: options.maxRetries,
			timeoutMs: options.timeout,
			retryAmbiguous: options.retryAmbiguousFailures,
		},
	};
}
