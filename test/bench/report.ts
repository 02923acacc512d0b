/**
 * The benchmark's results: their shape, the speed and safety targets
 * (docs/quotas-and-retries.md#speed-and-safety-targets), the Markdown report, the console summary.
 */
import type { BenchConfig } from './config';
import type { Environment } from './environment';
import type { RunFigures } from './measure';
import type { SdkSerialResult } from './sdkSerial';
import { IMPLS, type SigningCase, type SigningResult } from './signing';
import { int, mib, num, seconds } from './stats';
import type { PublishResults } from './publishScenario';
import { publishSection, publishTargets } from './publishReport';
import type { TriggerResults } from './trigger';
import { triggerSection } from './triggerReport';
import { SEND_MESSAGE } from '../../nodes/ApsaraMq/transport/apis';

/**
 * The node's automatic pace and Alibaba's limits (nodes/ApsaraMq/transport/apis.ts,
 * docs/quotas-and-retries.md#pacing).
 */
export const SEND_RATE = SEND_MESSAGE.automaticRatePerSecond;
export const SEND_QUOTA = 300;
export const ONS_RATE = 8;
export const ONS_QUOTA = 10;

export type SdkFigures = SdkSerialResult & {
	/** items ÷ loop time */
	perSecond: number;
	emulator: { accepted: number; throttled: number; rejected: Record<string, number> };
};

export interface Target {
	id: string;
	name: string;
	target: string;
	measured: string;
	/** Which figure the verdict uses. */
	basis: string;
	/** null: not measured in this run. */
	pass: boolean | null;
}

export interface BenchResults {
	/** What the run measures against. */
	issue: string;
	environment: Environment;
	config: BenchConfig;
	startedAt: string;
	finishedAt: string;
	totalDurationMs: number;
	/** 1-minute load average when each step began (another n8n on the machine shows here). */
	load: Record<string, number>;
	/** Time of a fixed piece of CPU work before each step (larger = slower machine at that moment). */
	calibrationMs: Record<string, number>;
	/** Steps that failed, with their stack. */
	errors: Record<string, string>;
	signing?: { runtimes: SigningResult[] };
	throughput?: { defaults?: RunFigures; concurrency1?: RunFigures; sdkSerial?: SdkFigures };
	ons?: RunFigures;
	overhead?: {
		oursConcurrency1?: RunFigures;
		httpRequest?: RunFigures;
		oursDefault?: RunFigures;
		/** Variants that take the figures apart (see the report). */
		diagnostics?: RunFigures[];
	};
	memory?: Array<{
		items: number;
		ours?: RunFigures;
		noOp?: RunFigures;
		diagnostics?: RunFigures[];
	}>;
	publish?: PublishResults;
	trigger?: TriggerResults;
	targets: Target[];
}

const pct = (ratio: number) => `${num(ratio * 100, 1)} %`;

/** Ours (the credential's per-call `authenticate`) against Alibaba's, params in a form body, per case. */
export function signingComparisons(signing: BenchResults['signing']) {
	const rows: Array<{
		node: string;
		payload: string;
		signature: string;
		ours: number;
		oursSignRequest: number;
		alibabaBody: number;
		alibabaQuery: number;
		ratio: number;
	}> = [];
	for (const runtime of signing?.runtimes ?? []) {
		const find = (payload: string, signature: string, impl: string): SigningCase | undefined =>
			runtime.cases.find(
				(entry) =>
					entry.payload === payload && entry.signature === signature && entry.impl === impl,
			);
		const seen = new Set<string>();
		for (const entry of runtime.cases) {
			const key = `${entry.payload}|${entry.signature}`;
			if (seen.has(key)) continue;
			seen.add(key);
			const ours = find(entry.payload, entry.signature, IMPLS.oursAuthenticate)?.nsPerCall ?? NaN;
			const alibabaBody = find(entry.payload, entry.signature, IMPLS.alibabaBody)?.nsPerCall ?? NaN;
			rows.push({
				node: runtime.nodeVersion,
				payload: entry.payload,
				signature: entry.signature,
				ours,
				oursSignRequest:
					find(entry.payload, entry.signature, IMPLS.oursSignRequest)?.nsPerCall ?? NaN,
				alibabaBody,
				alibabaQuery: find(entry.payload, entry.signature, IMPLS.alibabaQuery)?.nsPerCall ?? NaN,
				ratio: ours / alibabaBody,
			});
		}
	}
	return rows;
}

export function evaluateTargets(results: BenchResults): Target[] {
	const targets: Target[] = [];
	const defaults = results.throughput?.defaults;
	const c1 = results.throughput?.concurrency1;
	const ons = results.ons;

	targets.push({
		id: 'rate-send',
		name: 'Sustained rate, Send MQTT Message (defaults)',
		target: `≥ 95 % of the configured ${SEND_RATE}/s`,
		measured: defaults
			? `${num(defaults.perSecondNode)}/s = ${pct(defaults.perSecondNode / SEND_RATE)} (${int(defaults.items)} items in ${seconds(defaults.nodeExecutionMs)}, of which ${seconds(defaults.emulator.firstRequestAfterMs ?? NaN)} checking items before the first request; between first and last request ${num(defaults.emulator.sustainedPerSecond ?? NaN)}/s)`
			: 'not measured',
		basis: "items ÷ the node's executionTime (run data)",
		pass: defaults ? defaults.perSecondNode >= 0.95 * SEND_RATE : null,
	});
	targets.push({
		id: 'rate-ons',
		name: 'Sustained rate, Push ONS Message (defaults)',
		target: `≥ 95 % of the configured ${ONS_RATE}/s (quota ${ONS_QUOTA}/s)`,
		measured: ons
			? `${num(ons.perSecondNode, 2)}/s = ${pct(ons.perSecondNode / ONS_RATE)} of ${ONS_RATE}/s, ${pct(ons.perSecondNode / ONS_QUOTA)} of the quota`
			: 'not measured',
		basis: "items ÷ the node's executionTime (run data)",
		pass: ons ? ons.perSecondNode >= 0.95 * ONS_RATE : null,
	});

	const realQuotaRuns = [defaults, c1, ons].filter((run): run is RunFigures => run !== undefined);
	const surfaced = realQuotaRuns.reduce((total, run) => total + run.errorsSurfaced, 0);
	const throttledAnswers = realQuotaRuns.reduce((total, run) => total + run.emulator.throttled, 0);
	const failedExits = realQuotaRuns.filter((run) => run.exitCode !== 0).length;
	targets.push({
		id: 'throttling',
		name: 'Throttling errors surfacing (real quotas)',
		target: '0',
		measured:
			realQuotaRuns.length > 0
				? `${surfaced} error items or node failures, ${failedExits} failed executions over ${realQuotaRuns.length} runs; the emulator throttled ${throttledAnswers} requests (retried by the node)`
				: 'not measured',
		basis:
			'error items in the node output + node failures, in the defaults, concurrency-1 and ONS runs',
		pass: realQuotaRuns.length > 0 ? surfaced === 0 && failedExits === 0 : null,
	});

	targets.push({
		id: 'speedup',
		name: 'Defaults against the one-at-a-time baseline (30 ms ± 10 ms)',
		target: '≥ 7×',
		measured:
			defaults && c1
				? `${num(defaults.perSecondNode / c1.perSecondNode, 2)}× (${num(defaults.perSecondNode)}/s against ${num(c1.perSecondNode)}/s)`
				: 'not measured',
		basis: "items ÷ the node's executionTime, both runs",
		pass: defaults && c1 ? defaults.perSecondNode >= 7 * c1.perSecondNode : null,
	});

	const signing = signingComparisons(results.signing);
	const worst = signing.reduce<(typeof signing)[number] | undefined>(
		(acc, row) => (acc === undefined || row.ratio > acc.ratio ? row : acc),
		undefined,
	);
	const slower = signing.filter((row) => row.ratio > 1);
	targets.push({
		id: 'signing',
		name: "Signing cost against Alibaba's own code",
		target: 'no slower, every payload, V2 and V3',
		measured: worst
			? `${slower.length} of ${signing.length} cases slower; worst ${num(worst.ratio, 2)}× (${worst.signature}, ${worst.payload}, Node ${worst.node}: ${num(worst.ours / 1000, 1)} µs against ${num(worst.alibabaBody / 1000, 1)} µs)`
			: 'not measured',
		basis:
			"median ns per call: our credential's authenticate() against openapi-util driven as openapi-client does, parameters in a form body (like ours)",
		pass: worst ? slower.length === 0 : null,
	});

	// Like with like: each node as a user runs it. The HTTP Request node 4.5 starts every item's
	// request at once, so ours runs with its default concurrency too; the one-at-a-time figure is
	// shown beside it.
	const oursOverhead = results.overhead?.oursDefault;
	const c1Overhead = results.overhead?.oursConcurrency1;
	const http = results.overhead?.httpRequest;
	targets.push({
		id: 'overhead',
		name: 'Per-item overhead against the HTTP Request node (0 ms, no quotas)',
		target: 'no worse',
		measured:
			oursOverhead && http
				? `${num(oursOverhead.cpuMsPerItem, 3)} CPU ms/item (defaults) against ${num(http.cpuMsPerItem, 3)} = ${num(oursOverhead.cpuMsPerItem / http.cpuMsPerItem, 2)}×; wall ${num(oursOverhead.msPerItem, 3)} ms/item against ${num(http.msPerItem, 3)}` +
					(c1Overhead
						? `; concurrency 1: ${num(c1Overhead.cpuMsPerItem, 3)} CPU ms/item = ${num(c1Overhead.cpuMsPerItem / http.cpuMsPerItem, 2)}×`
						: '')
				: 'not measured',
		basis:
			"CPU time of n8n's main process during the node's execution ÷ items, each node with its defaults (the HTTP Request node 4.5 sends all items at once; ours 24 in flight, rate unbound)",
		pass: oursOverhead && http ? oursOverhead.cpuMsPerItem <= http.cpuMsPerItem : null,
	});

	for (const entry of results.memory ?? []) {
		const ours = entry.ours?.rss?.mainMaxRssKb;
		const noOp = entry.noOp?.rss?.mainMaxRssKb;
		// Scenario 1's defaults run sends the same items at the default pace: its peak is shown too.
		const paced = defaults?.items === entry.items ? defaults.mainMaxRssKb : undefined;
		targets.push({
			id: `memory-${entry.items}`,
			name: `Peak memory of the n8n process, ${int(entry.items)} items`,
			target: '≤ 1.2× the No Op run',
			measured:
				ours && noOp
					? `${num(ours / noOp, 2)}× (${mib(ours)} against ${mib(noOp)}), rate unbound` +
						(paced
							? `; at the default pace (scenario 1): ${num(paced / noOp, 2)}× (${mib(paced)})`
							: '')
					: 'not measured',
			basis: "maxRSS of n8n's main process (getrusage at exit)",
			pass: ours && noOp ? ours <= 1.2 * noOp : null,
		});
	}
	if (results.publish) targets.push(...publishTargets(results.publish));
	return targets;
}

/** The node's checking pass: from its start to the first request the emulator processed. */
export function checkingPass(run: RunFigures): { ms: number; cpuMs: number } | undefined {
	const { firstRequestAfterMs, cpuBeforeFirstRequestMs } = run.emulator;
	if (firstRequestAfterMs === undefined || cpuBeforeFirstRequestMs === undefined) return undefined;
	return { ms: firstRequestAfterMs, cpuMs: cpuBeforeFirstRequestMs };
}

const verdict = (pass: boolean | null) => (pass === null ? 'n/a' : pass ? 'PASS' : 'FAIL');

export function runRow(run: RunFigures | undefined, extra: string[] = []): string {
	if (!run) return '';
	return `| ${run.label} | ${int(run.items)} | ${seconds(run.nodeExecutionMs)} | ${num(run.perSecondNode)} | ${seconds(run.wallMs)} | ${num(run.perSecondWall)} | ${num(run.msPerItem, 3)} | ${num(run.cpuMsPerItem, 3)} | ${num(run.mainCpus, 2)} / ${num(run.otherCpus, 2)} | ${run.errorsSurfaced} | ${run.emulator.throttled} | ${run.retriedItems} |${extra.map((cell) => ` ${cell} |`).join('')}\n`;
}

export const RUN_HEADER =
	'| run | items | node time | items/s (node) | `n8n execute` wall | items/s (wall) | ms/item (node) | CPU ms/item | CPUs busy: n8n main / other work | errors surfaced | throttled answers | retried items |';
export const RUN_RULE = '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';

export function markdownReport(results: BenchResults): string {
	const env = results.environment;
	const lines: string[] = [];
	lines.push('# ApsaraMQ node benchmark: the speed and safety targets', '');
	lines.push(
		`Run ${results.startedAt} → ${results.finishedAt}, ${num(results.totalDurationMs / 60_000, 1)} min in total. Written by \`npm run bench\` (test/bench/run.ts).`,
		'',
	);
	lines.push(
		'## Targets',
		'',
		'| target | goal | measured | basis | verdict |',
		'|---|---|---|---|---|',
	);
	for (const target of results.targets) {
		lines.push(
			`| ${target.name} | ${target.target} | ${target.measured} | ${target.basis} | **${verdict(target.pass)}** |`,
		);
	}
	lines.push('', '![messages per second per scenario](throughput.svg)', '');

	lines.push('## Environment', '');
	lines.push(
		`- CPU: ${env.cpuCount} × ${env.cpuModel}; memory ${env.memoryGiB} GiB; ${env.os}`,
		`- n8n ${env.n8nVersion} on Node.js ${env.n8nNodeVersion} (the e2e harness's cached install); benchmark runner and emulator on Node.js ${env.benchNodeVersion}`,
		`- package ${env.packageVersion} at commit ${env.gitCommit}${env.sourceDirty ? ' (nodes/ or credentials/ had uncommitted changes)' : ''}; dist/ as built`,
		`- ${Object.entries(env.dependencies)
			.map(([name, version]) => `${name} ${version}`)
			.join(', ')}`,
		`- date ${env.date}; 1-min load average at the start ${env.loadAverageAtStart.join(' / ')}, per step: ${Object.entries(
			results.load,
		)
			.map(([step, load]) => `${step} ${load}`)
			.join('; ')}`,
		`- calibration (a fixed piece of CPU work in the runner, ms; larger = slower machine at that moment) per step: ${Object.entries(
			results.calibrationMs ?? {},
		)
			.map(([step, ms]) => `${step} ${ms}`)
			.join('; ')}`,
		`- emulator: in the runner's process, latency ${results.config.latencyMs} ms ± ${results.config.jitterMs} ms and the real quotas (SendMessage 300/s per source IP, OnsMessagePush 10/s) for sections 1–2; 0 ms and no quotas for sections 4–5`,
		'',
	);

	const t = results.throughput;
	if (t) {
		lines.push(
			`## 1. Send MQTT Message, ${results.config.latencyMs} ms ± ${results.config.jitterMs} ms, real quotas`,
			'',
		);
		lines.push(`${RUN_HEADER} first → last request | peak in 1 s |`, `${RUN_RULE}---:|---:|`);
		for (const run of [t.defaults, t.concurrency1]) {
			if (!run) continue;
			lines.push(
				runRow(run, [
					run.emulator.sustainedPerSecond === undefined
						? 'n/a'
						: `${num(run.emulator.sustainedPerSecond)}/s (from +${int(run.emulator.firstRequestAfterMs ?? NaN)} ms to +${int(run.emulator.lastRequestAfterMs ?? NaN)} ms)`,
					int(run.emulator.peakPerSecond ?? NaN),
				]).trimEnd(),
			);
		}
		lines.push('');
		if (t.defaults) {
			const ideal = (t.defaults.items / SEND_RATE) * 1000;
			lines.push(
				`- Defaults: ${num(t.defaults.perSecondNode)}/s = ${pct(t.defaults.perSecondNode / SEND_RATE)} of the configured ${SEND_RATE}/s and ${pct(t.defaults.perSecondNode / SEND_QUOTA)} of the ${SEND_QUOTA}/s per-IP quota; node time ${seconds(t.defaults.nodeExecutionMs)} and \`n8n execute\` wall ${seconds(t.defaults.wallMs)} against the ideal ${seconds(ideal)} (items ÷ rate): ${num(t.defaults.nodeExecutionMs / ideal, 3)}× and ${num(t.defaults.wallMs / ideal, 3)}×.`,
			);
		}
		const pass = t.defaults ? checkingPass(t.defaults) : undefined;
		if (t.defaults && pass) {
			const sending = t.defaults.nodeExecutionMs - pass.ms;
			lines.push(
				`- Before its first request the node checks every item (\`prepare\`, the \`{{ $json }}\` expression included), so that a bad row cannot leave the rows before it sent: ${seconds(pass.ms)} (${num(pass.ms / t.defaults.items, 3)} ms and ${num(pass.cpuMs / t.defaults.items, 3)} CPU ms per item). From the start of sending to the node's end: ${seconds(sending)} → ${num((t.defaults.items * 1000) / sending)}/s = ${pct((t.defaults.items * 1000) / sending / SEND_RATE)} of ${SEND_RATE}/s.`,
			);
		}
		if (t.defaults && t.concurrency1) {
			lines.push(
				`- Defaults against concurrency 1: ${num(t.defaults.perSecondNode / t.concurrency1.perSecondNode, 2)}× (node time), ${num(t.defaults.perSecondWall / t.concurrency1.perSecondWall, 2)}× (\`n8n execute\` wall).`,
			);
		}
		const sdk = t.sdkSerial;
		if (sdk) {
			lines.push(
				`- Alibaba's SDK in a serial loop (${sdk.sdk} ${sdk.sdkVersion}, V3, plain script on Node.js ${sdk.nodeVersion}): ${int(sdk.ok)} of ${int(sdk.items)} sent in ${seconds(sdk.loopMs)} → ${num(sdk.perSecond)}/s; per call p50 ${num(sdk.latencyMs.p50, 1)} ms, p90 ${num(sdk.latencyMs.p90, 1)} ms, p99 ${num(sdk.latencyMs.p99, 1)} ms; failures ${JSON.stringify(sdk.failures)}; CPU ${num(sdk.cpuMs / sdk.items, 3)} ms per call; emulator throttled ${sdk.emulator.throttled}.${t.defaults ? ` The node's defaults: ${num(t.defaults.perSecondNode / sdk.perSecond, 2)}× the SDK loop.` : ''}`,
			);
		}
		lines.push('');
	}

	if (results.ons) {
		const ons = results.ons;
		lines.push(`## 2. Push ONS Message, ${int(ons.items)} items`, '');
		lines.push(`${RUN_HEADER} first → last request | peak in 1 s |`, `${RUN_RULE}---:|---:|`);
		lines.push(
			runRow(ons, [
				`${num(ons.emulator.sustainedPerSecond ?? NaN, 2)}/s`,
				int(ons.emulator.peakPerSecond ?? NaN),
			]).trimEnd(),
			'',
			`- ${num(ons.perSecondNode, 2)}/s = ${pct(ons.perSecondNode / ONS_QUOTA)} of the ${ONS_QUOTA}/s quota and ${pct(ons.perSecondNode / ONS_RATE)} of the node's automatic ${ONS_RATE}/s; ideal ${seconds((ons.items / ONS_RATE) * 1000)} (items ÷ rate), node time ${seconds(ons.nodeExecutionMs)}.`,
			'',
		);
	}

	if (results.signing) {
		lines.push('## 3. Signing cost per SendMessage call (in-process, median of rounds)', '');
		lines.push(
			"Ours: the credential's `authenticate()` (what n8n calls for every attempt: reads the credential fields and the request options, then `signRequest`), and `signRequest` alone. Alibaba: `@alicloud/openapi-util` and `@alicloud/tea-util` driven step by step as `@alicloud/openapi-client` 0.4.15 drives them (`doRequest` for V3, `doRPCRequest` for V2: common headers or parameters with `getTimestamp`/`getNonce`, body or query, hashing, `getAuthorization` / `getRPCSignature`, and the wire query string), with the parameters in a form body as ours, and in the query as the generated product SDKs put them. Same AccessKey, same host, same parameters.",
			'',
			'| Node.js | payload | sig. | ours authenticate() µs | ours signRequest µs | Alibaba (form body) µs | Alibaba (query) µs | ours ÷ Alibaba (form body) |',
			'|---|---|---|---:|---:|---:|---:|---:|',
		);
		for (const row of signingComparisons(results.signing)) {
			lines.push(
				`| ${row.node} | ${row.payload} | ${row.signature} | ${num(row.ours / 1000, 2)} | ${num(row.oursSignRequest / 1000, 2)} | ${num(row.alibabaBody / 1000, 2)} | ${num(row.alibabaQuery / 1000, 2)} | ${num(row.ratio, 2)}× |`,
			);
		}
		lines.push('');
	}

	const o = results.overhead;
	if (o) {
		lines.push(
			`## 4. Per-item overhead at 0 ms latency, no quotas (${int(o.oursConcurrency1?.items ?? o.httpRequest?.items ?? 0)} items)`,
			'',
		);
		const overheadCells = (run: RunFigures) => [
			num(run.emulator.serverCpuUsPerRequest, 1),
			mib(run.mainMaxRssKb),
		];
		lines.push(
			`${RUN_HEADER} emulator CPU µs/request | n8n main maxRSS |`,
			`${RUN_RULE}---:|---:|`,
		);
		for (const run of [o.oursConcurrency1, o.httpRequest, o.oursDefault]) {
			if (run) lines.push(runRow(run, overheadCells(run)).trimEnd());
		}
		if (o.diagnostics && o.diagnostics.length > 0) {
			lines.push(
				'',
				'Diagnostic variants (same items, same settings):',
				'',
				`${RUN_HEADER} emulator CPU µs/request | n8n main maxRSS |`,
				`${RUN_RULE}---:|---:|`,
			);
			for (const run of o.diagnostics) lines.push(runRow(run, overheadCells(run)).trimEnd());
			const find = (word: string) => o.diagnostics?.find((run) => run.label.includes(word));
			const oursLiteral = find('fixed text payload');
			const httpLiteral = find('fixed JSON body');
			const c1 = o.oursConcurrency1;
			const parts: string[] = [];
			const pass = c1 ? checkingPass(c1) : undefined;
			if (c1 && pass) {
				parts.push(
					`the checking pass before the first request (\`prepare\` for every item, \`{{ $json }}\` included; measured from the node's start to the emulator's first request): ${seconds(pass.ms)}, ${num(pass.cpuMs / c1.items, 3)} CPU ms/item`,
				);
			}
			if (c1 && oursLiteral) {
				parts.push(
					`evaluating \`{{ $json }}\` (once per item: the send reuses what the checking pass prepared): ${num(c1.cpuMsPerItem - oursLiteral.cpuMsPerItem, 3)} CPU ms/item`,
				);
			}
			if (o.httpRequest && httpLiteral) {
				parts.push(
					`the HTTP Request node's one evaluation of \`{{ $json }}\`: ${num(o.httpRequest.cpuMsPerItem - httpLiteral.cpuMsPerItem, 3)} CPU ms/item`,
				);
			}
			if (oursLiteral && httpLiteral) {
				parts.push(
					`without any expression, ours ${num(oursLiteral.cpuMsPerItem, 3)} against ${num(httpLiteral.cpuMsPerItem, 3)} CPU ms/item (${num(oursLiteral.cpuMsPerItem / httpLiteral.cpuMsPerItem, 2)}×): the rest is signing, our per-item parameter reads and checks, and the larger signed request`,
				);
			}
			if (parts.length > 0) {
				lines.push(
					'',
					'Taken apart (differences of CPU time per item):',
					'',
					...parts.map((part) => `- ${part}`),
				);
			}
		}
		lines.push(
			'',
			"- n8n 2.41.1's HTTP Request node (4.x, `HttpRequestV3`) does not send items one by one: it starts every item's request in its item loop and awaits them all together (`Promise.allSettled`), so all of them are in flight at once; its batching option only spaces the starts. The verdict therefore compares each node with its defaults (ours: 24 in flight), by the CPU time of n8n's main process per item; the one-at-a-time row is shown too.",
			"- Ours with concurrency 1 sends a V3-signed request through `httpRequestWithAuthentication` (the credential is read once per execution and handed to every request; n8n calls `authenticate` for each) and the emulator verifies the signature and publishes to its MQTT broker; the HTTP Request node sends an unsigned JSON POST to `/__emulator/sink`, which only answers `{\"ok\":true}`. The emulator's CPU per request (last column) is in the runner's process, not in n8n's.",
			'',
		);
	}

	if (results.memory && results.memory.length > 0) {
		lines.push('## 5. Peak memory of the n8n process (0 ms latency, no quotas, unbound rate)', '');
		lines.push(
			'| items | run | main process maxRSS | × No Op | main VmHWM (polled) | process tree peak (polled) | largest live JS heap after a major GC (major GCs) | node time | `n8n execute` wall |',
			'|---:|---|---:|---:|---:|---:|---:|---:|---:|',
		);
		for (const entry of results.memory) {
			const base = entry.noOp?.rss?.mainMaxRssKb;
			const runs = [entry.noOp, entry.ours, ...(entry.diagnostics ?? [])];
			for (const [index, run] of runs.entries()) {
				if (!run) continue;
				const peak = run.rss?.mainMaxRssKb;
				const ratio = base && peak ? `${num(peak / base, 2)}×` : '';
				const label = index >= 2 ? `diagnostic: ${run.label}` : run.label;
				lines.push(
					`| ${int(entry.items)} | ${label} | ${index === 1 ? `**${mib(peak)}**` : mib(peak)} | ${index === 1 ? `**${ratio}**` : ratio} | ${mib(run.rss?.rootPeakKb)} | ${mib(run.rss?.treePeakKb)} | ${mib(run.mainMaxLiveHeapKb)} (${run.mainMajorGcs ?? 'n/a'}) | ${seconds(run.nodeExecutionMs)} | ${seconds(run.wallMs)} |`,
				);
			}
		}
		lines.push(
			'',
			"- maxRSS counts garbage that V8 has not collected yet: with a large heap limit V8 lets the old generation grow between major GCs, so a node that allocates per request (any HTTP call through n8n's helpers) raises the peak far above what it keeps. The live-heap column is the JS heap in use right after a major GC (a PerformanceObserver in n8n's process), i.e. what was really held.",
		);
		lines.push('');
	}

	if (results.publish) {
		const latency = `${results.config.latencyMs} ms ± ${results.config.jitterMs} ms`;
		lines.push(...publishSection(results.publish, latency));
	}
	if (results.trigger) lines.push(...triggerSection(results.trigger, 7));

	if (Object.keys(results.errors).length > 0) {
		lines.push('## Steps that failed', '');
		for (const [step, error] of Object.entries(results.errors)) {
			lines.push(`- ${step}:`, '', '```', error.slice(0, 4000), '```', '');
		}
	}
	lines.push(
		'## Notes',
		'',
		"- Node time is the node's own `executionTime` from n8n's run data (`n8n execute --rawOutput`); it starts after the Code node and includes the node's checking of every item before the first send. `n8n execute` wall is the whole process (start-up, Code node, node, printing the run data, shut-down).",
		"- CPU ms/item: utime + stime of n8n's main process from /proc, sampled every 20 ms, over the node's execution window. CPUs busy: the same as a share of one core, and the machine's busy time (/proc/stat) minus n8n's main process minus the runner (emulator) over the same window: other work on this 2-core machine, which slows a CPU-bound run.",
		'- Every figure comes from one run of each scenario on a shared machine; see the load averages above.',
		'',
	);
	return `${lines.join('\n')}\n`;
}

export function printSummary(results: BenchResults): void {
	console.log('');
	console.log('============ speed and safety targets ============');
	for (const target of results.targets) {
		console.log(`${verdict(target.pass).padEnd(4)}  ${target.name}: ${target.measured}`);
		console.log(`      goal ${target.target}; basis: ${target.basis}`);
	}
	if (Object.keys(results.errors).length > 0) {
		console.log(`steps that failed: ${Object.keys(results.errors).join(', ')}`);
	}
	console.log(`total duration ${num(results.totalDurationMs / 60_000, 1)} min`);
}
