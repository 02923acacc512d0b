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

	it('halves the rate on throttling, honours retry-after for every caller, then climbs back', () => {
		const clock = new FakeClock();
		const limiter = new RateLimiter(100, clock);
		limiter.onThrottled(2000);
		expect(limiter.currentRate).toBe(50);
		expect(limiter.reserve()).toBe(2000);
		limiter.onThrottled();
		expect(limiter.currentRate).toBe(25);
		for (let i = 0; i < 75; i++) limiter.onSuccess();
		expect(limiter.currentRate).toBe(100);
		limiter.onSuccess();
		expect(limiter.currentRate).toBe(100);
	});

	it('never drops below half a call per second however long the throttling lasts', () => {
		const limiter = new RateLimiter(8, new FakeClock());
		for (let i = 0; i < 50; i++) limiter.onThrottled();
		expect(limiter.currentRate).toBe(0.5);
	});
});
