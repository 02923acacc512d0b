/**
 * Exponential backoff with full jitter (a random wait between 0 and base × 2^retry, capped), which
 * spreads retries of many concurrent requests apart. Throttling starts from a longer base, as
 * Alibaba's Python core does (docs/quotas-and-retries.md#backoff).
 */
const BASE_DELAY_MS = 100;
const THROTTLED_BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

export function backoffDelay(retry: number, throttled: boolean, random: () => number): number {
	const base = throttled ? THROTTLED_BASE_DELAY_MS : BASE_DELAY_MS;
	const ceiling = Math.min(MAX_DELAY_MS, base * 2 ** retry);
	return Math.round(random() * ceiling);
}

/**
 * Longest pause an `x-acs-retry-after` header may ask for. A longer one (or a nonsense one such as
 * 3,000,000,000) is cut to this: the retry then meets the throttling again and backs off anew,
 * instead of holding the execution for hours (docs/quotas-and-retries.md#backoff).
 */
export const MAX_RETRY_AFTER_MS = 60_000;

export function cappedRetryAfter(retryAfterMs: number): number {
	return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
}
