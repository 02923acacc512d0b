import { z } from 'zod';

/**
 * Number options with a documented range (docs/quotas-and-retries.md#option-ranges). Every number
 * a user or an expression gives is checked against its range before any request: NaN and
 * Infinity never pass, so no timer, pace or retry count can be fed a value it cannot honour.
 */
export interface NumberRange {
	min: number;
	max: number;
	/** Whole numbers only. */
	integer?: boolean;
	/** A value allowed besides the range, with its meaning, e.g. 0 for "automatic". */
	special?: { value: number; meaning: string };
	/** The unit named in errors, e.g. "milliseconds". */
	unit?: string;
}

/** `between 1 and 600000 milliseconds`: the range in words, for errors and descriptions. */
export function describeRange(range: NumberRange): string {
	const unit = range.unit ? ` ${range.unit}` : '';
	const whole = range.integer ? 'a whole number ' : '';
	const special = range.special ? `${range.special.value} (${range.special.meaning}) or ` : '';
	return `must be ${special}${whole}between ${range.min} and ${range.max}${unit}`;
}

/** A zod number in `range`, defaulting to `fallback`; the error says the whole range. */
export function numberInRange(range: NumberRange, fallback: number) {
	const message = describeRange(range);
	return z
		.number({ invalid_type_error: `${message} (the expression returned something else)` })
		.refine(
			(value) =>
				Number.isFinite(value) &&
				(value === range.special?.value ||
					(value >= range.min && value <= range.max && (!range.integer || Number.isInteger(value)))),
			{ message },
		)
		.default(fallback);
}
