/**
 * Counts the executions in flight against a limit. The consume loop asks for room before each
 * poll and polls only for as many batches as there is room for, so a backlog of any size never
 * holds more than `limit` batches in memory: polling pauses while the limit is reached.
 */
export class ParallelGate {
	private inFlight = 0;
	private waiters: Array<() => void> = [];

	constructor(readonly limit: number) {
		if (!Number.isInteger(limit) || limit < 1) {
			throw new RangeError(`The parallel limit must be a whole number of at least 1, not ${limit}`);
		}
	}

	get running(): number {
		return this.inFlight;
	}

	get free(): number {
		return this.limit - this.inFlight;
	}

	/** Takes one place; only call it when `free` is above 0. */
	take(): void {
		if (this.free < 1) throw new Error('No free place in the parallel gate');
		this.inFlight++;
	}

	release(): void {
		this.inFlight--;
		const waiters = this.waiters;
		this.waiters = [];
		for (const wake of waiters) wake();
	}

	/** Resolves once a place is free, or at once when `signal` is aborted. */
	async waitForRoom(signal: AbortSignal): Promise<void> {
		while (this.free < 1 && !signal.aborted) {
			await new Promise<void>((resolve) => {
				const wake = () => {
					signal.removeEventListener('abort', wake);
					resolve();
				};
				this.waiters.push(wake);
				signal.addEventListener('abort', wake, { once: true });
			});
		}
	}
}
