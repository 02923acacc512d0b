import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { MQ_HTTP_PUBLISH } from '../apis';
import type { AlibabaClient, CallResult, RetryPolicy } from '../client';
import { AMBIGUOUS_DELIVERY, failureDetails } from '../errors';
import { findHttpEndpoint } from './endpoint';
import { findStoredMessage } from './lookup';
import { encodeUrlPart, sendMqHttp } from './request';
import { writeMqXml } from './xml';

/**
 * One RocketMQ HTTP publish with the duplicate rules of docs/mq-http-protocol.md#duplicate-rules:
 * an unknown outcome is never retried blindly; the node looks the key up first.
 */

export interface PublishInput {
	instanceId: string;
	topic: string;
	body: string;
	tag: string;
	messageKey: string;
	/** User properties, checked; the reserved ones are added here. */
	properties: Array<{ name: string; value: string }>;
	deliverAtMs?: number;
	shardingKey?: string;
	httpEndpoint?: string;
}

export interface PublishResult extends CallResult {
	confirmedBy?: 'lookup';
}

/** `k:v|k:v`, the reserved keys first. */
export function propertiesText(input: PublishInput): string {
	const pairs: Array<[string, string]> = [['KEYS', input.messageKey]];
	if (input.deliverAtMs !== undefined) pairs.push(['__STARTDELIVERTIME', String(input.deliverAtMs)]);
	if (input.shardingKey !== undefined) pairs.push(['__SHARDINGKEY', input.shardingKey]);
	for (const { name, value } of input.properties) pairs.push([name, value]);
	return pairs.map(([name, value]) => `${name}:${value}`).join('|');
}

export function publishXml(input: PublishInput): string {
	return writeMqXml('Message', [
		['MessageBody', input.body],
		['MessageTag', input.tag === '' ? undefined : input.tag],
		['Properties', propertiesText(input)],
	]);
}

/** Upper-case hex MD5 of the body, what the server answers as MessageBodyMD5. */
export function bodyMd5(body: string): string {
	return createHash('md5').update(body, 'utf8').digest('hex').toUpperCase();
}

function isAmbiguous(error: unknown): boolean {
	return failureDetails(error as Error).code === AMBIGUOUS_DELIVERY;
}

export async function publishRocketMq(
	context: IExecuteFunctions,
	client: AlibabaClient,
	input: PublishInput,
	policy: RetryPolicy,
	itemIndex: number,
): Promise<PublishResult> {
	const endpoint = await findHttpEndpoint(context, client, input.instanceId, input.httpEndpoint, itemIndex);
	const query = endpoint.namespace === undefined ? '' : `?ns=${encodeUrlPart(endpoint.namespace)}`;
	const url = `${endpoint.baseUrl}topics/${encodeUrlPart(input.topic)}/messages${query}`;
	const body = publishXml(input);
	const credentials = await client.credentialOptions();
	let attempts = 0;
	const send = async () => {
		attempts++;
		const outcome = await sendMqHttp(context, credentials, { method: 'POST', url, body, timeoutMs: policy.timeoutMs }, 'Message', 'MessageId');
		delete outcome.root;
		return outcome;
	};

	// Never retried blindly here: an unknown outcome goes to the look-up first.
	const first = await settle(client.callWith(MQ_HTTP_PUBLISH, send, { ...policy, retryAmbiguous: false }, itemIndex));
	if ('result' in first) return first.result;
	if (!isAmbiguous(first.failure)) throw first.failure;
	const stored = await findStoredMessage(
		client,
		{ instanceId: input.instanceId, topic: input.topic, key: input.messageKey },
		itemIndex,
		(message) => context.logger.warn(message),
	);
	if (stored) {
		const answer: IDataObject = {
			MessageId: stored.messageId,
			MessageBodyMD5: bodyMd5(input.body),
			RequestId: stored.requestId,
		};
		return { body: answer, attempts, possibleDuplicate: false, confirmedBy: 'lookup' };
	}
	if (!policy.retryAmbiguous) throw first.failure;
	// The user accepts duplicates: publish again; the earlier attempt may be stored too.
	const earlier = attempts;
	const again = await client.callWith(MQ_HTTP_PUBLISH, send, policy, itemIndex);
	return { ...again, attempts: earlier + again.attempts, possibleDuplicate: true };
}

/** The client's result, or the NodeApiError / NodeOperationError it threw. */
async function settle(
	pending: Promise<CallResult>,
): Promise<{ result: CallResult } | { failure: NodeApiError | NodeOperationError }> {
	try {
		return { result: await pending };
	} catch (error) {
		return { failure: error as NodeApiError | NodeOperationError };
	}
}
