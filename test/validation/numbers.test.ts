import { z } from 'zod';

import { describeRange, numberInRange } from '../../nodes/ApsaraMq/validation/numbers';

describe('number ranges of options', () => {
	const timeout = numberInRange({ min: 1, max: 600_000, integer: true, unit: 'milliseconds' }, 10_000);
	const rate = numberInRange({ min: 0.01, max: 1000, special: { value: 0, meaning: 'automatic' } }, 0);

	it('says the whole range in the error', () => {
		expect(describeRange({ min: 1, max: 600_000, integer: true, unit: 'milliseconds' })).toBe(
			'must be a whole number between 1 and 600000 milliseconds',
		);
		expect(describeRange({ min: 0.01, max: 1000, special: { value: 0, meaning: 'automatic' } })).toBe(
			'must be 0 (automatic) or between 0.01 and 1000',
		);
	});

	it.each([2 ** 31, 600_001, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a Timeout of %p', (value) => {
		expect(timeout.safeParse(value).success).toBe(false);
	});

	it.each([1, 600_000, 10_000])('accepts a Timeout of %p', (value) => {
		expect(timeout.parse(value)).toBe(value);
	});

	it.each([Number.POSITIVE_INFINITY, 1e-7, 0.001, 1001, -1, Number.NaN])('refuses a rate of %p', (value) => {
		expect(rate.safeParse(value).success).toBe(false);
	});

	it.each([0, 0.01, 2.5, 1000])('accepts a rate of %p', (value) => {
		expect(rate.parse(value)).toBe(value);
	});

	it('gives the default when absent and refuses text', () => {
		expect(z.object({ timeout }).parse({})).toEqual({ timeout: 10_000 });
		expect(timeout.safeParse('100').success).toBe(false);
	});
});
