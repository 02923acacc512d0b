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

/**
 * Resolves when the execution is cancelled (never without a signal). One listener per execution,
 * however many calls wait at the same time.
 */
export function whenCancelled(signal: AbortSignal | undefined): Promise<void> {
	if (!signal) return new Promise<void>(() => undefined);
	if (signal.aborted) return Promise.resolve();
	return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Waits `ms`, or less if the execution is cancelled meanwhile; false when it was cancelled. */
export async function waitUnlessCancelled(
	clock: Clock,
	ms: number,
	signal: AbortSignal | undefined,
	cancelled: Promise<void>,
): Promise<boolean> {
	if (ms > 0 && !signal?.aborted) await Promise.race([clock.sleep(ms), cancelled]);
	return !signal?.aborted;
}
