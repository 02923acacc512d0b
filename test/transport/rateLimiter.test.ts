import { RateLimiter } from '../../nodes/ApsaraMq/transport/rateLimiter';
import { FakeClock } from './fakeClock';

/** Start times of `count` calls reserved back to back, as concurrent workers do. */
function reserveMany(limiter: RateLimiter, clock: FakeClock, count: number): number[] {
	return Array.from({ length: count }, () => clock.now() + limiter.reserve());
}

function maxInAnyWindow(starts: number[], windowMs: number): number {
	let max = 0;
	for (let i = 0, j = 0; i < starts.length; i++) {
		while (starts[i] - starts[j] >= windowMs) j++;
		max = Math.max(max, i - j + 1);
	}
	return max;
}

describe('RateLimiter', () => {
	it('spaces starts 1/rate apart, so no one-second window exceeds the rate', () => {
		const clock = new FakeClock();
		const limiter = new RateLimiter(250, clock);
		const starts = reserveMany(limiter, clock, 1000);
		expect(starts[1] - starts[0]).toBe(4);
		expect(maxInAnyWindow(starts, 1000)).toBe(250);
		expect(starts[999] - starts[0]).toBe(3996);
	});

	it('does not save up slots while idle: no burst after a pause', () => {
		const clock = new FakeClock();
		const limiter = new RateLimiter(10, clock);
		limiter.reserve();
		clock.time += 60_000;
		const starts = reserveMany(limiter, clock, 20);
		expect(maxInAnyWindow(starts, 1000)).toBe(10);
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
