import fc from 'fast-check';

import { RateLimiter } from '../../nodes/ApsaraMq/transport/rateLimiter';
import { FakeClock } from './fakeClock';
import { worstOverQuotaWindow } from './pacing';

/**
 * Start times of `count` calls reserved back to back, as concurrent workers do. A caller told to
 * wait a negative time starts now, as the client does.
 */
function reserveMany(limiter: RateLimiter, clock: FakeClock, count: number): number[] {
	return Array.from({ length: count }, () => clock.now() + Math.max(0, limiter.reserve()));
}

/** What happens to a limiter between reservations. */
type Step =
	| { type: 'reserve'; callers: number }
	| { type: 'idle'; ms: number }
	| { type: 'throttled'; sentBefore: number; retryAfterMs?: number };

const step: fc.Arbitrary<Step> = fc.oneof(
	fc.record({ type: fc.constant('reserve' as const), callers: fc.integer({ min: 1, max: 40 }) }),
	fc.record({ type: fc.constant('idle' as const), ms: fc.integer({ min: 0, max: 5000 }) }),
	fc.record(
		{
			type: fc.constant('throttled' as const),
			sentBefore: fc.integer({ min: 0, max: 3000 }),
			retryAfterMs: fc.integer({ min: 0, max: 3000 }),
		},
		{ requiredKeys: ['type', 'sentBefore'] },
	),
);

describe('RateLimiter', () => {
	it('no window of any length holds more than rate × window + 1 starts, and the pace is the rate', () => {
		const clock = new FakeClock();
		const limiter = new RateLimiter(250, clock);
		const starts = reserveMany(limiter, clock, 1000);
		expect(worstOverQuotaWindow(starts, 250)).toBeUndefined();
		// Not slower than the rate either: 1000 starts 4 ms apart.
		expect(starts[999] - starts[0]).toBe(3996);
	});

	it('keeps that promise at the maximum rate whatever the callers, pauses and throttling', () => {
		fc.assert(
			fc.property(
				fc.double({ min: 0.5, max: 1000, noNaN: true }),
				fc.array(step, { maxLength: 60 }),
				(maxRate, steps) => {
					const clock = new FakeClock();
					const limiter = new RateLimiter(maxRate, clock);
					const starts: number[] = [];
					for (const s of steps) {
						if (s.type === 'reserve') starts.push(...reserveMany(limiter, clock, s.callers));
						if (s.type === 'idle') clock.time += s.ms;
						if (s.type === 'throttled')
							limiter.onThrottled(clock.now() - s.sentBefore, s.retryAfterMs);
					}
					expect(worstOverQuotaWindow(starts, maxRate)).toBeUndefined();
				},
			),
			{ numRuns: 300 },
		);
	});

	it('does not save up slots while idle: no burst after a pause, and no needless wait', () => {
		const clock = new FakeClock();
		const limiter = new RateLimiter(10, clock);
		limiter.reserve();
		clock.time += 60_000;
		const starts = reserveMany(limiter, clock, 20);
		expect(worstOverQuotaWindow(starts, 10)).toBeUndefined();
		expect(starts[0]).toBe(clock.time);
	});

	it('halves the rate on throttling once per episode, and holds every caller for retry-after', () => {
		const clock = new FakeClock();
		const limiter = new RateLimiter(100, clock);
		const sentBefore = clock.now();
		limiter.onThrottled(sentBefore, 2000);
		expect(limiter.currentRate()).toBe(50);
		// Other calls sent before the slow-down come back throttled too: no further halving.
		limiter.onThrottled(sentBefore);
		limiter.onThrottled(sentBefore);
		expect(limiter.currentRate()).toBe(50);
		expect(limiter.reserve()).toBe(2000);
		// A call sent after the slow-down that is throttled again starts a new episode.
		clock.time += 1;
		limiter.onThrottled(clock.now());
		expect(limiter.currentRate()).toBeCloseTo(25.005, 3);
	});

	it('spaces starts at the lowered rate after a slow-down', () => {
		const clock = new FakeClock();
		const limiter = new RateLimiter(100, clock);
		limiter.onThrottled(clock.now());
		expect(limiter.reserve()).toBe(0);
		// 50 per second: the next caller starts 20 ms later, not 10.
		expect(limiter.reserve()).toBe(20);
	});

	it('climbs back linearly to the maximum, 10% of it per second', () => {
		const clock = new FakeClock();
		const limiter = new RateLimiter(200, clock);
		limiter.onThrottled(clock.now());
		expect(limiter.currentRate()).toBe(100);
		clock.time += 2000;
		expect(limiter.currentRate()).toBe(140);
		clock.time += 10_000;
		expect(limiter.currentRate()).toBe(200);
	});

	it('never drops below half a call per second however long the throttling lasts', () => {
		const clock = new FakeClock();
		const limiter = new RateLimiter(8, clock);
		for (let i = 0; i < 50; i++) {
			limiter.onThrottled(clock.now());
			clock.time += 1;
		}
		expect(limiter.currentRate()).toBeLessThan(0.51);
		expect(limiter.currentRate()).toBeGreaterThanOrEqual(0.5);
	});
});
