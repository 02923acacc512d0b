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

/** The longest single wait, so that a cancelled execution is noticed within this many milliseconds. */
const CANCEL_CHECK_MS = 200;

/** Waits `ms`, returning early (false) as soon as the execution is cancelled. */
export async function waitUnlessCancelled(
	clock: Clock,
	ms: number,
	signal: AbortSignal | undefined,
): Promise<boolean> {
	const until = clock.now() + ms;
	for (let left = ms; left > 0; left = until - clock.now()) {
		if (signal?.aborted) return false;
		await clock.sleep(Math.min(left, CANCEL_CHECK_MS));
	}
	return !signal?.aborted;
}
