/**
 * Runtime knobs: latency, fault injection, quotas and recording. Settable at creation and at
 * run time (`POST /__emulator/knobs`, `emulator.setKnobs`), merged into the current values.
 */
import { z } from 'zod';

import { defaultMqHttpKnobs, mqHttpKnobsSchema } from './mqHttp/knobs';

export const FAULT_KINDS = [
	'internalError',
	'serviceUnavailable',
	'resetBeforeProcessing',
	'sendMessageFailed',
	'resetAfterProcessing',
	'stall',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Faults that happen before processing (nothing stored or published). */
export const PRE_FAULTS: ReadonlySet<FaultKind> = new Set([
	'internalError',
	'serviceUnavailable',
	'resetBeforeProcessing',
]);

const rate = z.number().min(0).max(1);

const faultsSchema = z
	.object({
		internalError: rate,
		serviceUnavailable: rate,
		resetBeforeProcessing: rate,
		sendMessageFailed: rate,
		resetAfterProcessing: rate,
		stall: rate,
	})
	.strict();

const limit = z.number().int().min(1).nullable();
const quotaOverride = z.object({ account: limit.optional(), ip: limit.optional() }).strict();

const quotasSchema = z
	.object({
		/** false = no quota at all (benchmarks of raw overhead). */
		enabled: z.boolean(),
		/** Multiplies every built-in limit (at least 1 per second remains). */
		scale: z.number().positive(),
		/** Absolute per-action limits, e.g. `{ SendMessage: { account: 5, ip: 3 } }`; null = unlimited. */
		overrides: z.record(quotaOverride),
	})
	.strict();

const scriptEntry = z
	.object({
		fault: z.enum([...FAULT_KINDS, 'throttle']),
		/** Only a request for this action consumes the entry; absent = any action. */
		action: z.string().optional(),
	})
	.strict();

export const knobsSchema = z
	.object({
		latencyMs: z.number().min(0),
		jitterMs: z.number().min(0),
		faults: faultsSchema,
		/** Random faults only hit these actions; empty = every action. */
		faultActions: z.array(z.string()),
		stallMs: z.number().min(0),
		/** Forced outcomes, consumed in order by the next matching authenticated requests. */
		script: z.array(scriptEntry),
		quotas: quotasSchema,
		mqttThrottleCode: z.enum(['Throttling.User', 'SystemOverFlow']),
		retryAfterMs: z.number().int().min(0).nullable(),
		/** Larger MQTT payloads are refused with InvalidParameter.Payload; 0 = no limit. */
		maxPayloadBytes: z.number().int().min(0),
		/** Added to the emulator's clock (simulates a skewed server clock). */
		clockSkewMs: z.number(),
		timestampWindowMs: z.number().min(0),
		/** How long a nonce is remembered; 0 = for the process lifetime. */
		nonceTtlMs: z.number().min(0),
		recordParams: z.boolean(),
		/** Also keep method, URL, headers and body of every call (memory-hungry). */
		recordRaw: z.boolean(),
		/** Caps each record list (calls, MQTT and ONS deliveries); the oldest are dropped. */
		maxRecords: z.number().int().min(1),
		/** Seed of the PRNG used for faults and jitter; setting it restarts the sequence. */
		randomSeed: z.number().int(),
		mqHttp: mqHttpKnobsSchema,
	})
	.strict();

export type Knobs = z.output<typeof knobsSchema>;

export const knobsPatchSchema = knobsSchema
	.extend({
		faults: faultsSchema.partial(),
		quotas: quotasSchema
			.extend({ overrides: z.record(quotaOverride.nullable()) })
			.partial()
			.strict(),
		mqHttp: mqHttpKnobsSchema.partial(),
	})
	.partial()
	.strict();

export type KnobsPatch = z.input<typeof knobsPatchSchema>;

export function defaultKnobs(): Knobs {
	return {
		latencyMs: 0,
		jitterMs: 0,
		faults: {
			internalError: 0,
			serviceUnavailable: 0,
			resetBeforeProcessing: 0,
			sendMessageFailed: 0,
			resetAfterProcessing: 0,
			stall: 0,
		},
		faultActions: [],
		stallMs: 60_000,
		script: [],
		quotas: { enabled: true, scale: 1, overrides: {} },
		mqttThrottleCode: 'Throttling.User',
		retryAfterMs: null,
		maxPayloadBytes: 65_536,
		clockSkewMs: 0,
		timestampWindowMs: 15 * 60_000,
		nonceTtlMs: 31 * 60_000,
		recordParams: true,
		recordRaw: false,
		maxRecords: 200_000,
		randomSeed: 1,
		mqHttp: defaultMqHttpKnobs(),
	};
}

/** Validates `patch` and merges it into `base` (faults, quotas and overrides merge by key). */
export function mergeKnobs(base: Knobs, patch: unknown): Knobs {
	const result = knobsPatchSchema.safeParse(patch ?? {});
	if (!result.success) {
		const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
		throw new Error(`Invalid knobs: ${issues.join('; ')}`);
	}
	const p = result.data;
	const overrides = { ...base.quotas.overrides };
	for (const [action, o] of Object.entries(p.quotas?.overrides ?? {})) {
		if (o === null) delete overrides[action];
		else overrides[action] = { ...overrides[action], ...o };
	}
	return {
		...base,
		...p,
		faults: { ...base.faults, ...p.faults },
		quotas: { ...base.quotas, ...p.quotas, overrides },
		mqHttp: { ...base.mqHttp, ...p.mqHttp },
		faultActions: p.faultActions ?? base.faultActions,
		script: p.script ?? base.script,
	};
}

/** mulberry32: tiny, fast, seedable; good enough for reproducible fault decisions. */
export function createPrng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
