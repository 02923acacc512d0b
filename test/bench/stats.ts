/** Small numeric helpers for the benchmark. */

export function median(values: number[]): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[index];
}

/** The largest number of instants that fall into any window of `windowMs` (instants sorted). */
export function maxInWindow(sortedTimes: number[], windowMs: number): number {
	let best = 0;
	let start = 0;
	for (let end = 0; end < sortedTimes.length; end++) {
		while (sortedTimes[end] - sortedTimes[start] >= windowMs) start++;
		best = Math.max(best, end - start + 1);
	}
	return best;
}

export function round(value: number, digits = 1): number {
	if (!Number.isFinite(value)) return value;
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

/** `12,345` */
export function int(value: number): string {
	return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : String(value);
}

/** A number with `digits` decimals and thousands separators. */
export function num(value: number, digits = 1): string {
	return Number.isFinite(value)
		? value.toLocaleString('en-US', {
				minimumFractionDigits: digits,
				maximumFractionDigits: digits,
			})
		: String(value);
}

export function seconds(ms: number): string {
	return `${num(ms / 1000, 2)} s`;
}

export function mib(kb: number | undefined): string {
	return kb === undefined ? 'n/a' : `${num(kb / 1024, 0)} MiB`;
}
