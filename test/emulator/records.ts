/**
 * Compact records of calls and deliveries, per-API counters and duplicate detection.
 */
import { createHash } from 'node:crypto';

import type { FaultKind } from './knobs';

export interface CallRecord {
	seq: number;
	/** ISO time the request was received. */
	time: string;
	requestId: string;
	method: string;
	/** Product code (`onsmqtt`, `ons`, `sts`) when the version was recognised. */
	api: string | null;
	action: string | null;
	version: string | null;
	/** `mq` for the RocketMQ HTTP protocol's own signature (mqHttp/). */
	signatureVersion: 'v2' | 'v3' | 'mq' | null;
	/** `ip:port` of the client. */
	source: string;
	accessKeyId: string | null;
	nonce: string | null;
	/** `OK`, an Alibaba error code, or null when the connection was reset without an answer. */
	code: string | null;
	/** HTTP status sent, 0 when none was sent (reset, or stall released by close()). */
	status: number;
	/** True when the call was processed (message stored/published, list answered). */
	processed: boolean;
	throttled: boolean;
	fault: FaultKind | null;
	msgId?: string;
	params?: Record<string, string>;
	raw?: { url: string; headers: Record<string, string | string[] | undefined>; body: string };
}

export interface MqttDelivery {
	seq: number;
	time: string;
	requestId: string;
	instanceId: string;
	topic: string;
	payloadBase64: string;
	bytes: number;
	msgId: string;
	/** The same (instance, topic, payload) was delivered before. */
	duplicate: boolean;
}

export interface OnsDelivery {
	seq: number;
	time: string;
	requestId: string;
	instanceId: string;
	topic: string;
	groupId: string;
	clientId: string;
	sourceMsgId: string;
	/** The new MsgId of the pushed copy. */
	msgId: string;
	bodyBase64: string;
	/** The same (instance, topic, group, client, MsgId) push was made before. */
	duplicate: boolean;
}

export interface ApiCounters {
	/** Processed calls (including those followed by an after-processing fault). */
	accepted: number;
	/** Error answers by code (throttling and injected 5xx included). */
	rejected: Record<string, number>;
	throttled: number;
	faults: Partial<Record<FaultKind, number>>;
	duplicates: number;
}

export interface CallFilter {
	action?: string;
	api?: string;
	code?: string;
	status?: number;
	accessKeyId?: string;
	fault?: string;
	/** Only records with `seq` greater than this. */
	since?: number;
	limit?: number;
	/** Exact matches on recorded parameters. */
	params?: Record<string, string>;
}

const PARAM_MAX_CHARS = 4096;
const HIDDEN_PARAMS = new Set(['Signature']);

function capped<T>(list: T[], max: number): void {
	if (list.length > max) list.splice(0, list.length - max);
}

export class Recorder {
	calls: CallRecord[] = [];
	mqtt: MqttDelivery[] = [];
	ons: OnsDelivery[] = [];
	private counters = new Map<string, ApiCounters>();
	private seen = new Set<string>();
	private seq = 0;

	nextSeq(): number {
		return ++this.seq;
	}

	counter(action: string | null): ApiCounters {
		const name = action ?? '(unrouted)';
		let c = this.counters.get(name);
		if (!c) {
			c = { accepted: 0, rejected: {}, throttled: 0, faults: {}, duplicates: 0 };
			this.counters.set(name, c);
		}
		return c;
	}

	addCall(call: CallRecord, max: number): void {
		this.calls.push(call);
		if (this.calls.length > max * 1.1) capped(this.calls, max);
	}

	/** Marks a delivery key as seen; returns true if it had been seen before. */
	duplicate(action: string, parts: string[]): boolean {
		const key = createHash('sha1').update(parts.join('\u0000')).digest('base64');
		const dup = this.seen.has(key);
		if (dup) this.counter(action).duplicates++;
		else this.seen.add(key);
		return dup;
	}

	addMqtt(d: MqttDelivery, max: number): void {
		this.mqtt.push(d);
		if (this.mqtt.length > max * 1.1) capped(this.mqtt, max);
	}

	addOns(d: OnsDelivery, max: number): void {
		this.ons.push(d);
		if (this.ons.length > max * 1.1) capped(this.ons, max);
	}

	snapshotCounters(): Record<string, ApiCounters> & { total: ApiCounters } {
		const total: ApiCounters = {
			accepted: 0,
			rejected: {},
			throttled: 0,
			faults: {},
			duplicates: 0,
		};
		const out: Record<string, ApiCounters> = {};
		for (const [name, c] of this.counters) {
			out[name] = structuredClone(c);
			total.accepted += c.accepted;
			total.throttled += c.throttled;
			total.duplicates += c.duplicates;
			for (const [code, n] of Object.entries(c.rejected)) {
				total.rejected[code] = (total.rejected[code] ?? 0) + n;
			}
			for (const [kind, n] of Object.entries(c.faults) as Array<[FaultKind, number]>) {
				total.faults[kind] = (total.faults[kind] ?? 0) + n;
			}
		}
		return { ...out, total };
	}

	filterCalls(f: CallFilter = {}): CallRecord[] {
		const out = this.calls.filter(
			(c) =>
				(f.action === undefined || c.action === f.action) &&
				(f.api === undefined || c.api === f.api) &&
				(f.code === undefined || c.code === f.code) &&
				(f.status === undefined || c.status === f.status) &&
				(f.accessKeyId === undefined || c.accessKeyId === f.accessKeyId) &&
				(f.fault === undefined || c.fault === f.fault) &&
				(f.since === undefined || c.seq > f.since) &&
				(f.params === undefined || Object.entries(f.params).every(([k, v]) => c.params?.[k] === v)),
		);
		return f.limit === undefined ? out : out.slice(-f.limit);
	}

	clear(): void {
		this.calls = [];
		this.mqtt = [];
		this.ons = [];
		this.counters.clear();
		this.seen.clear();
	}
}

/** Copy of the request parameters for the call log, minus `Signature`, long values truncated. */
export function recordParams(params: ReadonlyMap<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of params) {
		if (HIDDEN_PARAMS.has(k)) continue;
		out[k] =
			v.length > PARAM_MAX_CHARS
				? `${v.slice(0, PARAM_MAX_CHARS)}…[${v.length - PARAM_MAX_CHARS} more chars]`
				: v;
	}
	return out;
}
