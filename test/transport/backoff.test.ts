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
});
