import fc from 'fast-check';

import { backoffDelay } from '../../nodes/ApsaraMq/transport/backoff';

describe('backoffDelay (full jitter)', () => {
	it.each([
		[0, false, 100],
		[1, false, 200],
		[3, false, 800],
		[0, true, 500],
		[2, true, 2000],
		[20, true, 20_000],
	])('retry %i (throttled %s) waits at most %i ms', (retry, throttled, ceiling) => {
		expect(backoffDelay(retry, throttled, () => 0.999999)).toBe(ceiling);
		expect(backoffDelay(retry, throttled, () => 0)).toBe(0);
		expect(backoffDelay(retry, throttled, () => 0.5)).toBe(Math.round(ceiling / 2));
	});

	it('always waits a whole number of ms between 0 and min(20 s, base × 2^retry)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 40 }),
				fc.boolean(),
				fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
				(retry, throttled, random) => {
					const delay = backoffDelay(retry, throttled, () => random);
					const ceiling = Math.min(20_000, (throttled ? 500 : 100) * 2 ** retry);
					expect(Number.isInteger(delay)).toBe(true);
					expect(delay).toBeGreaterThanOrEqual(0);
					expect(delay).toBeLessThanOrEqual(ceiling);
				},
			),
			{ numRuns: 2000 },
		);
	});
});
