import { createHash } from 'crypto';

import type { AcknowledgeMode } from './acknowledgeMode';

/**
 * The deduplication key n8n stores with the execution of a batch (docs/trigger.md#guarantees).
 * n8n's unique index spans every workflow and holds 255 characters
 * (docs/n8n-behaviour.md#triggers), hence the workflow and node IDs and the hash of long batches.
 *
 * The key is the MessageId, which stays the same across redeliveries, so a redelivery after a lost
 * acknowledgement starts no second execution. In `executionSucceeds` mode a message whose
 * execution failed must run again, so the number of failed executions known for it is part of the
 * key, and so is the activation of the trigger: n8n 2.41 keeps the key of an execution that n8n's
 * crash cut off (marked `crashed` at the restart), and without the activation the redelivery of
 * that message would be skipped as a duplicate and acknowledged, a message lost with no successful
 * execution. The price: a message whose execution succeeded just before n8n stopped, not yet
 * acknowledged, runs once more after the restart (docs/trigger.md#guarantees).
 */
export interface KeyedMessage {
	messageId: string;
	/** Failed executions known for this message (only counted in `executionSucceeds` mode). */
	failures: number;
}

const PREFIX = 'apsaramq';

function messagePart(message: KeyedMessage, mode: AcknowledgeMode): string {
	const failures = mode === 'executionSucceeds' ? message.failures : 0;
	return failures > 0 ? `${message.messageId}~${failures}` : message.messageId;
}

export function deduplicationKey(
	workflowId: string,
	nodeId: string,
	messages: KeyedMessage[],
	mode: AcknowledgeMode,
	activationId: string,
): string {
	if (messages.length === 0) throw new Error('A batch without messages has no deduplication key');
	const scope =
		mode === 'executionSucceeds'
			? `${PREFIX}:${workflowId}:${nodeId}:${activationId}`
			: `${PREFIX}:${workflowId}:${nodeId}`;
	if (messages.length === 1) {
		const key = `${scope}:${messagePart(messages[0], mode)}`;
		if (key.length <= 255) return key;
	}
	// A batch is the same batch only with the same messages, whatever their order in the answer.
	const parts = messages.map((message) => messagePart(message, mode)).sort();
	const digest = createHash('sha256').update(parts.join('\n')).digest('hex');
	return `${scope}:batch:${digest}`.slice(0, 255);
}
