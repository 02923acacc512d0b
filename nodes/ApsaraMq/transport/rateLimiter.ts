import type { Clock } from './clock';

/**
 * Paces calls to one API: hands out start times spaced 1/rate apart, so that no window of any
 * length sees more than rate × window (+1) calls, whatever the concurrency. A slot is never saved
 * up while the caller is idle, so there is no burst after a pause.
 *
 * The rate adapts: when the service throttles, the rate halves (and an `x-acs-retry-after` pause
 * is honoured for every caller); each success then wins back a small step, up to the configured
 * rate. Persistent throttling (another workflow or worker sharing the quota) therefore slows the
 * whole batch down instead of failing rows.
 */
export class RateLimiter {
	private rate: number;
	private nextSlot = 0;
	private readonly minRate: number;

	constructor(
		private readonly maxRate: number,
		private readonly clock: Clock,
	) {
		this.rate = maxRate;
		this.minRate = Math.min(maxRate, 0.5);
	}

	get currentRate(): number {
		return this.rate;
	}

	/** Reserves the next start time and returns how long the caller must wait for it (ms). */
	reserve(): number {
		const now = this.clock.now();
		const slot = Math.max(now, this.nextSlot);
		this.nextSlot = slot + 1000 / this.rate;
		return slot - now;
	}

	onThrottled(retryAfterMs?: number): void {
		this.rate = Math.max(this.minRate, this.rate / 2);
		const now = this.clock.now();
		const resumeAt = now + (retryAfterMs ?? 0);
		this.nextSlot = Math.max(this.nextSlot, resumeAt, now + 1000 / this.rate);
	}

	onSuccess(): void {
		if (this.rate < this.maxRate) {
			// Additive increase: about 50 successes bring a halved rate back to the maximum.
			this.rate = Math.min(this.maxRate, this.rate + this.maxRate / 100);
		}
	}
}
