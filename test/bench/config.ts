/**
 * The benchmark's knobs, read from the environment. The defaults measure the full speed and safety
 * targets (docs/quotas-and-retries.md#speed-and-safety-targets); every knob scales it down for a
 * quick run, e.g.
 * `BENCH_ITEMS=1000 BENCH_MEMORY_ITEMS=2000 BENCH_SCENARIOS=throughput,overhead npm run bench`.
 */
import path from 'node:path';

import { repoRoot } from '../e2e/harness';

export const SCENARIOS = [
	'signing',
	'throughput',
	'ons',
	'overhead',
	'memory',
	'publish',
	'trigger',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchConfig {
	/** Send MQTT Message items for the 30 ms scenarios (defaults, concurrency 1, SDK loop). */
	items: number;
	/** Push ONS Message items. */
	onsItems: number;
	/** Publish RocketMQ Message items of the `publish` scenario, and the SDK loop's publishes. */
	publishItems: number;
	publishSdkItems: number;
	/** Items of the zero-latency per-item overhead runs (ours and the HTTP Request node). */
	overheadItems: number;
	/** Item counts of the memory runs (ours against No Op). */
	memoryItems: number[];
	/** Emulator latency and jitter of the 30 ms scenarios. */
	latencyMs: number;
	jitterMs: number;
	/** Time per signing measurement round, and rounds per case. */
	signRoundMs: number;
	signRounds: number;
	/** Which scenario groups to run. */
	scenarios: Scenario[];
	/** Where results.json, results.md and throughput.svg go. */
	resultsDir: string;
	/**
	 * Diagnostic runs that explain the overhead and memory figures (variants without expressions,
	 * without the checking pass, an Edit Fields node). On by default; `BENCH_DIAGNOSTICS=0` skips them.
	 */
	diagnostics: boolean;
	/** When set, the zero-latency runs also write a V8 CPU profile of n8n here. */
	profileDir: string | undefined;
	/** Scenario `trigger` (README.md#trigger): messages in the queue before activation. */
	triggerMessages: number;
	/** Max Parallel Executions of ours and Parallel Message Processing Limit of RabbitMQ's. */
	triggerParallel: number;
	/** Messages of the diagnostic runs with a Code node after the trigger. */
	triggerCodeMessages: number;
	/** Backlog of the memory runs (0: none), their parallel limits, and how long each works on it. */
	triggerMemoryMessages: number;
	triggerMemoryParallel: number[];
	triggerMemorySeconds: number;
}

function intList(name: string, fallback: number[]): number[] {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const values = raw.split(',').map((part) => Number(part.trim()));
	if (values.some((value) => !Number.isInteger(value) || value < 1)) {
		throw new Error(`${name} must be a comma-separated list of positive integers, got "${raw}"`);
	}
	return values;
}

function int(name: string, fallback: number, min = 1): number {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < min) {
		throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
	}
	return value;
}

export function readConfig(): BenchConfig {
	const items = int('BENCH_ITEMS', 10_000);
	const publishItems = int('BENCH_PUBLISH_ITEMS', 5000);
	const scenarioList = (process.env.BENCH_SCENARIOS ?? '').trim();
	const scenarios = scenarioList
		? scenarioList.split(',').map((name) => name.trim())
		: [...SCENARIOS];
	for (const name of scenarios) {
		if (!(SCENARIOS as readonly string[]).includes(name)) {
			throw new Error(
				`BENCH_SCENARIOS: unknown scenario "${name}" (known: ${SCENARIOS.join(', ')})`,
			);
		}
	}
	return {
		items,
		onsItems: int('BENCH_ONS_ITEMS', 300),
		publishItems,
		// One publish after another at 30 ms: 1,000 already give a steady rate in about 35 s.
		publishSdkItems: int('BENCH_PUBLISH_SDK_ITEMS', Math.min(1000, publishItems)),
		overheadItems: int('BENCH_OVERHEAD_ITEMS', items),
		memoryItems: intList('BENCH_MEMORY_ITEMS', [10_000, 100_000]),
		latencyMs: int('BENCH_LATENCY_MS', 30, 0),
		jitterMs: int('BENCH_JITTER_MS', 10, 0),
		signRoundMs: int('BENCH_SIGN_ROUND_MS', 300),
		signRounds: int('BENCH_SIGN_ROUNDS', 7),
		scenarios: scenarios as Scenario[],
		resultsDir: process.env.BENCH_RESULTS_DIR
			? path.resolve(process.env.BENCH_RESULTS_DIR)
			: path.join(repoRoot(), 'test', 'bench', 'results'),
		diagnostics: process.env.BENCH_DIAGNOSTICS !== '0',
		profileDir: process.env.BENCH_PROFILE_DIR
			? path.resolve(process.env.BENCH_PROFILE_DIR)
			: undefined,
		triggerMessages: int('BENCH_TRIGGER_MESSAGES', 2000),
		triggerParallel: int('BENCH_TRIGGER_PARALLEL', 10),
		triggerCodeMessages: int('BENCH_TRIGGER_CODE_MESSAGES', 300),
		triggerMemoryMessages: int('BENCH_TRIGGER_MEMORY_MESSAGES', 100_000, 0),
		triggerMemoryParallel: intList('BENCH_TRIGGER_MEMORY_PARALLEL', [10, 100]),
		triggerMemorySeconds: int('BENCH_TRIGGER_MEMORY_SECONDS', 60),
	};
}
