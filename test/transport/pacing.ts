export interface Window {
	from: number;
	to: number;
	starts: number;
	allowed: number;
}

/**
 * Rounding slack per gap between starts (ms): times around 1.7e12 ms carry about 1e-4 ms of
 * floating-point error per addition, far below any real excess (rate + 1 at 1000/s shortens every
 * gap by 1e-3 ms, a burst by the whole gap).
 */
const SLACK_PER_GAP_MS = 0.0005;

/**
 * The promise of the rate limiter, checked on recorded start times (ms): no window of any length
 * L holds more than rate × L / 1000 + 1 starts. A window that breaks it still breaks it once
 * shrunk to its first and last start, so checking the window between every pair of starts checks
 * every window. Returns the one that exceeds the allowance most, or undefined when none does.
 */
export function worstOverQuotaWindow(starts: number[], ratePerSecond: number): Window | undefined {
	const sorted = [...starts].sort((a, b) => a - b);
	let worst: Window | undefined;
	for (let i = 0; i < sorted.length; i++) {
		for (let j = i; j < sorted.length; j++) {
			const window = {
				from: sorted[i],
				to: sorted[j],
				starts: j - i + 1,
				allowed: (ratePerSecond * (sorted[j] - sorted[i])) / 1000 + 1,
			};
			// How much longer than it is the window would have to be to hold its starts at the rate.
			const shortBy = ((window.starts - 1) * 1000) / ratePerSecond - (window.to - window.from);
			if (
				shortBy > SLACK_PER_GAP_MS * (window.starts - 1) &&
				(!worst || window.starts - window.allowed > worst.starts - worst.allowed)
			) {
				worst = window;
			}
		}
	}
	return worst;
}
