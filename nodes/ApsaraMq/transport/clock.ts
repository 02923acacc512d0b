import { sleep } from 'n8n-workflow';

/** Time as the pacing and retry code sees it; tests replace it with a fake clock. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
	random(): number;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms) => await sleep(ms),
	random: () => Math.random(),
};

let clockOfNewClients: Clock = systemClock;

/** The clock of a client created without one: the system clock, unless a test replaced it. */
export function defaultClock(): Clock {
	return clockOfNewClients;
}

/**
 * Makes clients created from now on use `clock`, and returns the one it replaces. Only tests of
 * the whole node call it, to run pacing and retries on virtual time; n8n never does.
 */
export function replaceDefaultClock(clock: Clock): Clock {
	const previous = clockOfNewClients;
	clockOfNewClients = clock;
	return previous;
}

/**
 * Longest wait handed to one timer: 2³¹−1 ms (about 24.8 days). A longer delay overflows and
 * fires after 1 ms, so longer waits are taken in steps of this size (docs/quotas-and-retries.md#waits).
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Sleeps `ms` on `clock`, in steps no timer can overflow on, until done or `stopped()`. */
export async function sleepInSteps(clock: Clock, ms: number, stopped = () => false): Promise<void> {
	for (let left = ms; left > 0 && !stopped(); left -= MAX_TIMER_MS) {
		await clock.sleep(Math.min(left, MAX_TIMER_MS));
	}
}

/**
 * The waits of one execution (pacing, backoff), each ended early when the execution is cancelled.
 * One abort listener for the whole execution wakes the waits pending at that moment; each wait
 * leaves the set when it ends. Nothing is attached to a promise that never settles, so memory
 * does not grow with the number of waits (a race against a never-settling "cancelled" promise
 * kept one reaction per wait: about 450 bytes per item of a batch).
 */
export class CancellableWaits {
	private readonly pending = new Set<() => void>();

	constructor(
		private readonly clock: Clock,
		private readonly signal: AbortSignal | undefined,
	) {
		signal?.addEventListener('abort', () => this.wakeAll(), { once: true });
	}

	/** How many waits are pending now (tests check that none is left behind). */
	get size(): number {
		return this.pending.size;
	}

	/** Waits `ms`, or less if the execution is cancelled meanwhile; false when it was cancelled. */
	async wait(ms: number): Promise<boolean> {
		if (ms > 0 && !this.signal?.aborted) {
			await new Promise<void>((wake) => {
				this.pending.add(wake);
				void sleepInSteps(this.clock, ms, () => this.signal?.aborted === true).then(() => {
					this.pending.delete(wake);
					wake();
				});
			});
		}
		return !this.signal?.aborted;
	}

	private wakeAll(): void {
		for (const wake of this.pending) wake();
		this.pending.clear();
	}
}
