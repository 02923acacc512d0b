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
