import type { Clock } from '../../nodes/ApsaraMq/transport/clock';

/**
 * A clock whose sleep returns at once and moves time forward, so pacing and backoff can be
 * checked without waiting. Records every sleep.
 */
export class FakeClock implements Clock {
	time = 1_700_000_000_000;
	sleeps: number[] = [];

	constructor(private readonly randomValue = 0.5) {}

	now(): number {
		return this.time;
	}

	async sleep(ms: number): Promise<void> {
		this.sleeps.push(ms);
		this.time += ms;
		await Promise.resolve();
	}

	random(): number {
		return this.randomValue;
	}
}
