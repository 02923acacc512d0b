import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import type { AlibabaApi } from '../transport/apis';
import type { RetryPolicy } from '../transport/client';
import type { NumberRange } from '../validation/numbers';
import { describeRange, numberInRange } from '../validation/numbers';
import { fieldLabels, parseOrThrow } from '../validation/parse';

export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_TIMEOUT_MS = 10_000;

const AUTOMATIC = { value: 0, meaning: 'automatic' };

/** The range of every number option (docs/quotas-and-retries.md#option-ranges). */
export const OPTION_RANGES = {
	maxConcurrentRequests: { min: 1, max: 256, integer: true, special: AUTOMATIC },
	// Alibaba's highest per-account quota is 1,000 calls per second; 0.01 is one call per 100 s.
	maxRequestsPerSecond: { min: 0.01, max: 1000, special: AUTOMATIC },
	maxRetries: { min: 0, max: 10, integer: true },
	// Ten minutes: far above any answer time of these APIs, far below a timer's limit.
	timeout: { min: 1, max: 600_000, integer: true, unit: 'milliseconds' },
} satisfies Record<string, NumberRange>;

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
			typeOptions: { minValue: 0, maxValue: OPTION_RANGES.maxConcurrentRequests.max },
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
			typeOptions: {
				minValue: 0,
				maxValue: OPTION_RANGES.maxRequestsPerSecond.max,
				numberPrecision: 2,
			},
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
			typeOptions: { minValue: 0, maxValue: OPTION_RANGES.maxRetries.max },
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
			typeOptions: { minValue: 1, maxValue: OPTION_RANGES.timeout.max },
			default: DEFAULT_TIMEOUT_MS,
		},
		describe: () =>
			`How long to wait for an answer to one call, in milliseconds, before treating it as failed; ${describeRange(OPTION_RANGES.timeout).replace('must be ', '')}. Example: 10000.`,
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
	maxConcurrentRequests: numberInRange(OPTION_RANGES.maxConcurrentRequests, 0),
	maxRequestsPerSecond: numberInRange(OPTION_RANGES.maxRequestsPerSecond, 0),
	maxRetries: numberInRange(OPTION_RANGES.maxRetries, DEFAULT_MAX_RETRIES),
	retryAmbiguousFailures: z.boolean().default(false),
	timeout: numberInRange(OPTION_RANGES.timeout, DEFAULT_TIMEOUT_MS),
});

const OPTION_LABELS = fieldLabels(CALL_OPTIONS.map((option) => option.field));

export interface CallSettings {
	/** The user's limit for this batch; undefined = automatic: one pace that all executions of this n8n share. */
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

/**
 * The pace and concurrency of the whole batch, from the first item's options. With continue on
 * fail, a bad option on the first item must not fail the whole node: the batch then runs on the
 * automatic values, and the first item gets its own error item when its turn comes.
 */
export function readBatchSettings(
	this: IExecuteFunctions,
	api: AlibabaApi,
	continueOnFail: boolean,
): Omit<CallSettings, 'policy'> {
	if (continueOnFail && !firstItemOptionsAreValid(this)) {
		return { ratePerSecond: undefined, concurrency: api.automaticConcurrency };
	}
	const { ratePerSecond, concurrency } = readCallSettings.call(this, 0, api);
	return { ratePerSecond, concurrency };
}

/** Whether the first item's options can be read (its expressions evaluate) and pass the checks. */
function firstItemOptionsAreValid(context: IExecuteFunctions): boolean {
	try {
		return callOptionsSchema.safeParse(context.getNodeParameter('options', 0, {})).success;
	} catch {
		return false;
	}
}
