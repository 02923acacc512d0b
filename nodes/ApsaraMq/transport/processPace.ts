import type { AlibabaApi } from './apis';
import type { Clock } from './clock';
import { RateLimiter } from './rateLimiter';

/**
 * The automatic pace is one per API for the whole n8n process (an n8n instance, or one queue-mode
 * worker), not one per execution: a worker runs several executions at once (n8n's
 * `--concurrency`, 10 by default), and they all leave from the same address, so they share one
 * limiter instead of multiplying the calls per second. Its slow-down after throttling is shared
 * too. Keyed by clock so that each test on virtual time gets its own.
 * See docs/quotas-and-retries.md#queue-mode.
 */
const paces = new WeakMap<Clock, Map<string, RateLimiter>>();

export function processPace(api: AlibabaApi, clock: Clock): RateLimiter {
	let byApi = paces.get(clock);
	if (!byApi) {
		byApi = new Map();
		paces.set(clock, byApi);
	}
	let limiter = byApi.get(api.action);
	if (!limiter) {
		limiter = new RateLimiter(api.automaticRatePerSecond, clock);
		byApi.set(api.action, limiter);
	}
	return limiter;
}
