import type { IExecuteFunctions } from 'n8n-workflow';

import type { AlibabaClient, RetryPolicy } from '../client';
import { lookUpKey } from './lookup';
import type { PublishInput, PublishResult } from './publish';
import { publishRocketMq } from './publish';

/**
 * "Skip Keys Already Stored" (docs/mq-http-protocol.md#re-running-an-input): one look-up of the
 * item's key before publishing, so that re-running an input whose first run was cut short (a
 * worker killed mid-batch) publishes only the messages that are not stored yet. A failing
 * look-up fails the item instead of publishing, since publishing then could store a duplicate.
 */

export interface CheckedPublishResult extends PublishResult {
	/** A message with this key was stored before: nothing was published. */
	alreadyStored: boolean;
}

export async function publishUnlessStored(
	context: IExecuteFunctions,
	client: AlibabaClient,
	input: PublishInput,
	policy: RetryPolicy,
	itemIndex: number,
): Promise<CheckedPublishResult> {
	const stored = await lookUpKey(
		client,
		{ instanceId: input.instanceId, topic: input.topic, key: input.messageKey },
		itemIndex,
	);
	if (stored) {
		return {
			body: { MessageId: stored.messageId, RequestId: stored.requestId },
			attempts: 1,
			possibleDuplicate: false,
			alreadyStored: true,
		};
	}
	return { ...(await publishRocketMq(context, client, input, policy, itemIndex)), alreadyStored: false };
}
