import type { ApiFailure } from '../../ApsaraMq/transport/errors';
import type { PollResult } from './delivery';

/**
 * Whether a failed poll can heal by waiting (docs/trigger.md#errors). Network errors, 5xx,
 * throttling and the codes Alibaba documents as retryable back off and poll again, forever;
 * everything else is a setting to fix, reported through `emitError` with the code and the fix so
 * that n8n shows the workflow as failing instead of idling silently.
 */
export type ConsumeFailure =
	| { kind: 'transient'; failure: ApiFailure; fix?: string }
	| { kind: 'permanent'; failure: ApiFailure; fix: string };

// https://help.aliyun.com/en/apsaramq-for-rocketmq/cloud-message-queue-rocketmq-4-x-series/developer-reference/error-codes-for-the-http-client-sdk
const RETRYABLE_CODES = new Set([
	'InternalError',
	'InternalServerError',
	'QpsLimitExceeded',
	'TimeExpired',
	'RequestTimeout',
]);

const FIXES: Record<string, string> = {
	InvalidAccessKeyId:
		'The AccessKey ID is unknown to Alibaba Cloud. Check the AccessKey ID of the credential.',
	SignatureDoesNotMatch:
		'The AccessKey secret does not belong to the AccessKey ID. Check the secret of the credential.',
	AccessDenied:
		'The AccessKey may not consume here. Grant the RAM user mq:SUB on the instance, topic and group (docs/trigger.md#ram-policy).',
	HTTPForbidden:
		'The AccessKey may not consume here. Grant the RAM user mq:SUB on the instance, topic and group (docs/trigger.md#ram-policy).',
	TopicNotExist:
		'The topic does not exist in this instance. Check the instance and the topic, and the HTTP endpoint of the instance.',
	SubscriptionNotExist:
		'The group does not subscribe to this topic over HTTP. Use a group created with the HTTP protocol (a TCP group cannot be used) that exists in this instance.',
	GroupNotExist:
		'The group does not exist in this instance. Create an HTTP group, or pick one from the list.',
	InvalidArgument:
		'Alibaba Cloud refused a parameter of the poll. Check the tag filter (tags joined by ||) and the messages per execution (1 to 16).',
	InvalidAuthorizationHeader:
		'The request signature was malformed on the way. Check that no proxy rewrites the Authorization header.',
	TimeExpired:
		'The clock of the n8n host is more than 15 minutes off. Synchronise it (NTP); the trigger keeps retrying meanwhile.',
};

const DEFAULT_FIX = 'Check the instance, topic, group and credential of the trigger.';

export function classifyConsumeFailure(
	result: Extract<PollResult, { kind: 'failed' }>,
): ConsumeFailure {
	const { outcome, failure } = result;
	const fix = failure.code ? FIXES[failure.code] : undefined;
	if (outcome === 'throttled' || outcome === 'notSent' || outcome === 'ambiguous') {
		return { kind: 'transient', failure, fix };
	}
	if (failure.code !== undefined && RETRYABLE_CODES.has(failure.code)) {
		return { kind: 'transient', failure, fix };
	}
	if (outcome === 'rejected' && failure.httpStatus !== undefined && failure.httpStatus >= 500) {
		return { kind: 'transient', failure, fix };
	}
	if (outcome === 'unsent') {
		return {
			kind: 'permanent',
			failure,
			fix:
				fix ??
				'The credential refused the endpoint. Use an https:// HTTP endpoint (http:// only for loopback).',
		};
	}
	return { kind: 'permanent', failure, fix: fix ?? DEFAULT_FIX };
}

/** Waits before the next poll after `attempt` failures in a row: 1 s doubling to 30 s. */
export function reconnectDelay(attempt: number): number {
	return Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt - 1));
}
