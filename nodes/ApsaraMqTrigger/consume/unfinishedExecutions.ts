import type { FailureMemory } from './failureMemory';

/**
 * The messages whose execution started in `executionSucceeds` mode and has not ended yet, kept in
 * an object the caller owns: the node passes its workflow static data, which n8n saves when it
 * starts an execution (docs/n8n-behaviour.md#triggers), so a record made just before the
 * execution starts is in the database with it.
 *
 * Why: n8n 2.41 marks an execution that was running when n8n died (`kill -9`, out of memory) as
 * `crashed` when it starts again, and the row keeps its deduplication key. The redelivery of that
 * message would be skipped as a duplicate and acknowledged, so a message without a successful
 * execution would be gone (docs/trigger.md#guarantees). When the trigger starts, each message
 * still recorded here counts as one failed execution (failureMemory.ts), so its redelivery gets a
 * new key and runs.
 */
export class UnfinishedExecutions {
	/** `changed` tells n8n that the static data must be saved (staticDataStore.ts). */
	constructor(
		private readonly store: Record<string, number>,
		private readonly changed: () => void = () => undefined,
	) {}

	started(messageId: string): void {
		this.store[messageId] = 1;
		this.changed();
	}

	ended(messageId: string): void {
		if (!(messageId in this.store)) return;
		delete this.store[messageId];
		this.changed();
	}

	/**
	 * At activation: what the previous run of n8n left unfinished becomes a known failure. Returns
	 * how many messages that was. A message whose execution did succeed just before n8n stopped,
	 * with the record's removal not saved yet, runs once more: a duplicate, never a loss.
	 */
	countAsFailures(failures: FailureMemory): number {
		const ids = Object.keys(this.store);
		for (const id of ids) {
			failures.recordFailure(id);
			delete this.store[id];
		}
		if (ids.length > 0) this.changed();
		return ids.length;
	}
}
