import type { Clock } from '../../nodes/ApsaraMq/transport/clock';

interface Sleeper {
	wakeAt: number;
	order: number;
	wake: () => void;
}

/**
 * Virtual time for pacing, backoff and retry code, sequential or concurrent. `sleep(ms)` wakes
 * the caller when virtual time reaches now + ms; time jumps to the earliest wake-up once every
 * task is waiting (no promise job left to run), and sleepers due at the same time wake in the
 * order they went to sleep. Work between sleeps takes no time, so `now()` recorded by the code
 * under test is exactly the time it scheduled, however busy the machine is. Records every sleep.
 *
 * It only suits code that waits on this clock alone: a real timer or real I/O in the code under
 * test would let virtual time run on while it waits.
 */
export class FakeClock implements Clock {
	time = 1_700_000_000_000;
	sleeps: number[] = [];
	private readonly sleepers: Sleeper[] = [];
	private sleepersSoFar = 0;
	private advanceScheduled = false;

	constructor(private readonly randomValue = 0.5) {}

	now(): number {
		return this.time;
	}

	async sleep(ms: number): Promise<void> {
		this.sleeps.push(ms);
		await new Promise<void>((wake) => {
			this.sleepers.push({ wakeAt: this.time + ms, order: this.sleepersSoFar++, wake });
			this.advanceWhenIdle();
		});
	}

	random(): number {
		return this.randomValue;
	}

	/** setImmediate runs once the promise jobs of every task have run: all of them wait now. */
	private advanceWhenIdle(): void {
		if (this.advanceScheduled) return;
		this.advanceScheduled = true;
		setImmediate(() => {
			this.advanceScheduled = false;
			this.sleepers.sort((a, b) => a.wakeAt - b.wakeAt || a.order - b.order);
			const next = this.sleepers.shift();
			if (!next) return;
			this.time = Math.max(this.time, next.wakeAt);
			next.wake();
			if (this.sleepers.length > 0) this.advanceWhenIdle();
		});
	}
}
