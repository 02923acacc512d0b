import type { IDataObject, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { answerList, answerText } from '../answer';
import { ONS_MESSAGE_GET_BY_KEY } from '../apis';
import type { AlibabaClient, RetryPolicy } from '../client';

/**
 * Whether a message with a given key is stored in a topic, for a publish whose outcome is unknown
 * (docs/mq-http-protocol.md#duplicate-rules). `OnsMessageGetByKey` is paced under its own quota by
 * the client's limiter for that API. The key index is built after the write, so a miss is asked
 * again after a pause; a hit is proof, a miss is not.
 */

/** Pauses before each try, in ms: five tries over about 15 s. */
export const LOOKUP_PAUSES_MS = [0, 1000, 2000, 4000, 8000];

const LOOKUP_POLICY: RetryPolicy = { maxRetries: 3, timeoutMs: 10_000, retryAmbiguous: false };

export interface StoredMessage {
	messageId: string;
	requestId?: string;
}

/** KEYS holds the message's keys separated by spaces; the look-up is a fuzzy match, so check. */
function hasKey(message: IDataObject, key: string): boolean {
	const properties = answerList(message, 'PropertyList', 'MessageProperty');
	const keys = properties.find((property) => property.Name === 'KEYS');
	return answerText(keys?.Value)?.split(' ').includes(key) === true;
}

/**
 * One look-up of a key: the stored message, or undefined when none is stored (an empty list or
 * `BIZ_NO_MESSAGE`). Any other failure (no RAM permission, throttled past the retries) is thrown.
 */
export async function lookUpKey(
	client: AlibabaClient,
	where: { instanceId: string; topic: string; key: string },
	itemIndex: number,
): Promise<StoredMessage | undefined> {
	try {
		const { body } = await client.call(
			ONS_MESSAGE_GET_BY_KEY,
			{ InstanceId: where.instanceId, Topic: where.topic, Key: where.key },
			LOOKUP_POLICY,
			itemIndex,
		);
		const found = answerList(body, 'Data', 'OnsRestMessageDo').find((message) => hasKey(message, where.key));
		const messageId = answerText(found?.MsgId);
		return messageId ? { messageId, requestId: answerText(body.RequestId) } : undefined;
	} catch (error) {
		// the client throws only NodeApiError / NodeOperationError
		const failure = error as NodeApiError | NodeOperationError;
		if (lookupCode(failure) === 'BIZ_NO_MESSAGE') return undefined;
		throw failure;
	}
}

function lookupCode(error: unknown): unknown {
	return (error as { errorResponse?: IDataObject }).errorResponse?.Code;
}

export async function findStoredMessage(
	client: AlibabaClient,
	where: { instanceId: string; topic: string; key: string },
	itemIndex: number,
	log: (message: string) => void,
): Promise<StoredMessage | undefined> {
	for (const pause of LOOKUP_PAUSES_MS) {
		if (!(await client.pause(pause))) return undefined;
		try {
			const stored = await lookUpKey(client, where, itemIndex);
			if (stored) return stored;
		} catch (error) {
			// A failing look-up ends the search: it counts as a miss.
			log(`ApsaraMQ: look-up of message key ${where.key} failed (${String(lookupCode(error) ?? (error as Error).message)})`);
			return undefined;
		}
	}
	return undefined;
}
