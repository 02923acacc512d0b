import type { Clock } from './clock';

/** After a slow-down, the rate climbs back by this share of the maximum every second. */
const RECOVERY_PER_SECOND = 0.1;

/**
 * Paces calls to one API: hands out start times spaced 1/rate apart, so that no window of any
 * length sees more than rate × window (+1) calls, whatever the concurrency. A slot is never saved
 * up while the caller is idle, so there is no burst after a pause.
 *
 * The rate adapts. When the service throttles, the rate halves (and an `x-acs-retry-after` pause
 * holds every caller), once per episode: throttled answers to calls sent before the last
 * slow-down say nothing new and are not counted again. The rate then climbs back linearly, to
 * the maximum within 10 s of a halving. Persistent throttling (another workflow or n8n worker
 * sharing the quota) therefore slows the whole batch down instead of failing rows.
 */
export class RateLimiter {
	private nextSlot = 0;
	private rateAfterSlowDown: number;
	private lastSlowDown = Number.NEGATIVE_INFINITY;
	private readonly minRate: number;

	constructor(
		private readonly maxRate: number,
		private readonly clock: Clock,
	) {
		this.rateAfterSlowDown = maxRate;
		this.minRate = Math.min(maxRate, 0.5);
	}

	/** Calls per second allowed now. */
	currentRate(now = this.clock.now()): number {
		const recovered = (this.maxRate * RECOVERY_PER_SECOND * (now - this.lastSlowDown)) / 1000;
		return Math.min(this.maxRate, this.rateAfterSlowDown + recovered);
	}

	/** Reserves the next start time and returns how long the caller must wait for it (ms). */
	reserve(): number {
		const now = this.clock.now();
		const slot = Math.max(now, this.nextSlot);
		this.nextSlot = slot + 1000 / this.currentRate(slot);
		return slot - now;
	}

	/** A call started at `sentAt` was throttled. */
	onThrottled(sentAt: number, retryAfterMs?: number): void {
		const now = this.clock.now();
		if (sentAt > this.lastSlowDown) {
			this.rateAfterSlowDown = Math.max(this.minRate, this.currentRate(now) / 2);
			this.lastSlowDown = now;
		}
		this.nextSlot = Math.max(this.nextSlot, now + (retryAfterMs ?? 0));
	}
}
