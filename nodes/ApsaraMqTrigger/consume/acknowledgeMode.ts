/**
 * When a delivery is acknowledged (docs/trigger.md#acknowledge-modes):
 * - `immediately`: before the execution starts; a failed or lost execution is not retried.
 * - `executionFinishes`: when the execution ended, successful or not; each message runs once.
 * - `executionSucceeds`: only after a successful execution; RocketMQ redelivers a message whose
 *   execution failed once its invisibility time is over.
 */
export const ACKNOWLEDGE_MODES = ['immediately', 'executionFinishes', 'executionSucceeds'] as const;
export type AcknowledgeMode = (typeof ACKNOWLEDGE_MODES)[number];

/**
 * How an emitted execution ended, as n8n's done promise tells it (docs/n8n-behaviour.md#triggers):
 * - `succeeded` / `failed`: the run, with or without `resultData.error`;
 * - `duplicate`: n8n started nothing because an execution with this deduplication key exists;
 * - `notStarted`: the done promise was rejected (the execution could not start, or was cancelled).
 */
export type ExecutionResult = 'succeeded' | 'failed' | 'duplicate' | 'notStarted';

/**
 * Whether to acknowledge a delivery after its execution ended (in `immediately` mode it already
 * was). A `duplicate` is acknowledged in both modes: the earlier execution with the same key is
 * the one that counts, and in `executionSucceeds` mode the key changes after each known failure
 * (deduplicationKey.ts), so an existing key means that execution was not a failure we know of.
 * `notStarted` leaves the message for RocketMQ to deliver again.
 */
export function acknowledgeAfter(mode: AcknowledgeMode, result: ExecutionResult): boolean {
	if (mode === 'immediately') return false;
	if (result === 'notStarted') return false;
	if (mode === 'executionSucceeds') return result !== 'failed';
	return true;
}
