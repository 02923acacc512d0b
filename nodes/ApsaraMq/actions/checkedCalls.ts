import type { RetryPolicy } from '../transport/client';
import type { PreparedCall } from './operation';

/** What the checking pass made of one item: the call, ready to send, and its retry policy. */
export interface CheckedItem {
	policy: RetryPolicy;
	call: PreparedCall;
}

/** Enough for tens of thousands of small messages; a constant, whatever the batch size. */
export const CHECKED_CALLS_BUDGET_BYTES = 16 * 1024 * 1024;
/** A rough size of one entry's objects and closure besides its strings. */
const ENTRY_OVERHEAD_BYTES = 512;

/**
 * The calls prepared by the checking pass, kept up to a memory budget so that the sending pass
 * does not evaluate every item's expressions a second time: n8n's expression evaluation is the
 * largest per-item cost of the node. Past the budget the sending pass evaluates again, so memory
 * stays bounded whatever the batch size. An entry is released when its item is taken.
 */
export class CheckedCalls {
	private readonly entries = new Map<number, CheckedItem>();
	private bytes = 0;

	constructor(private readonly budgetBytes = CHECKED_CALLS_BUDGET_BYTES) {}

	keep(itemIndex: number, item: CheckedItem): void {
		const size = estimatedBytes(item.call.params);
		if (this.bytes + size > this.budgetBytes) return;
		this.bytes += size;
		this.entries.set(itemIndex, item);
	}

	take(itemIndex: number): CheckedItem | undefined {
		const item = this.entries.get(itemIndex);
		this.entries.delete(itemIndex);
		return item;
	}
}

function estimatedBytes(params: Record<string, string>): number {
	let bytes = ENTRY_OVERHEAD_BYTES;
	// V8 keeps a string in one or two bytes per UTF-16 unit; count two.
	for (const value of Object.values(params)) bytes += 2 * value.length;
	return bytes;
}
