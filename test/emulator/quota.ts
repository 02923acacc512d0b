/**
 * Sliding one-second windows (an exact log of accepted request times per bucket). Only accepted
 * requests enter the log, so a throttled client is fine again once its last second drains.
 */
import type { ApiDef, Quota } from './apis';
import type { Knobs } from './knobs';

interface Bucket {
	times: number[];
	head: number;
}

export class SlidingWindows {
	private readonly buckets = new Map<string, Bucket>();
	private sweeps = 0;

	constructor(private readonly windowMs = 1000) {}

	/** Number of entries of `key` within the window ending at `now`. */
	count(key: string, now: number): number {
		const bucket = this.buckets.get(key);
		if (!bucket) return 0;
		const from = now - this.windowMs;
		while (bucket.head < bucket.times.length && bucket.times[bucket.head] <= from) bucket.head++;
		if (bucket.head > 1024 && bucket.head * 2 > bucket.times.length) {
			bucket.times = bucket.times.slice(bucket.head);
			bucket.head = 0;
		}
		return bucket.times.length - bucket.head;
	}

	add(key: string, now: number): void {
		let bucket = this.buckets.get(key);
		if (!bucket) {
			bucket = { times: [], head: 0 };
			this.buckets.set(key, bucket);
			if (++this.sweeps % 4096 === 0) this.sweep(now);
		}
		bucket.times.push(now);
	}

	clear(): void {
		this.buckets.clear();
	}

	private sweep(now: number): void {
		for (const key of [...this.buckets.keys()]) {
			if (this.count(key, now) === 0) this.buckets.delete(key);
		}
	}
}

/** Effective limits of `api` under the current knobs; undefined = unlimited. */
export function effectiveQuota(api: ApiDef, knobs: Knobs): Quota {
	if (!knobs.quotas.enabled) return {};
	const scale = (n: number | undefined) =>
		n === undefined ? undefined : Math.max(1, Math.floor(n * knobs.quotas.scale));
	const base: Quota = { account: scale(api.quota.account), ip: scale(api.quota.ip) };
	const o = knobs.quotas.overrides[api.action];
	if (o) {
		if (o.account !== undefined) base.account = o.account ?? undefined;
		if (o.ip !== undefined) base.ip = o.ip ?? undefined;
	}
	return base;
}
