/**
 * Failed executions per MessageId, for the deduplication key of `executionSucceeds` mode. In
 * memory, for one activation of the trigger: the key also names the activation
 * (deduplicationKey.ts), so counts from before a restart would not change any key after it.
 * Bounded: the oldest entries go first.
 */
export const MAX_REMEMBERED_FAILURES = 10_000;

export class FailureMemory {
	constructor(
		private readonly store: Record<string, number> = {},
		private readonly limit = MAX_REMEMBERED_FAILURES,
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
	}

	forget(messageId: string): void {
		if (!(messageId in this.store)) return;
		delete this.store[messageId];
	}
}
