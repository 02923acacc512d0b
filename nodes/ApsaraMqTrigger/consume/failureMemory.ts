/**
 * Failed executions per MessageId, for the deduplication key of `executionSucceeds` mode. Kept in
 * an object the caller owns: the node passes its workflow static data, which n8n saves with each
 * new execution (docs/n8n-behaviour.md#triggers), so the counts survive a restart of n8n once an
 * execution started after the failure. Bounded: the oldest entries go first.
 */
export const MAX_REMEMBERED_FAILURES = 10_000;

export class FailureMemory {
	/** `changed` tells n8n that the static data must be saved (staticDataStore.ts). */
	constructor(
		private readonly store: Record<string, number>,
		private readonly limit = MAX_REMEMBERED_FAILURES,
		private readonly changed: () => void = () => undefined,
	) {}

	failures(messageId: string): number {
		const count = this.store[messageId];
		return typeof count === 'number' && count > 0 ? count : 0;
	}

	recordFailure(messageId: string): void {
		const count = this.failures(messageId) + 1;
		// Re-inserting moves the entry to the end, so the first keys are the least recent.
		delete this.store[messageId];
		this.store[messageId] = count;
		const ids = Object.keys(this.store);
		for (const id of ids.slice(0, Math.max(0, ids.length - this.limit))) delete this.store[id];
		this.changed();
	}

	forget(messageId: string): void {
		if (!(messageId in this.store)) return;
		delete this.store[messageId];
		this.changed();
	}
}
