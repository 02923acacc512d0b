/**
 * The `publish` scenario's targets and its section of results.md (docs/mq-http-protocol.md,
 * README.md here). The goal of at least 15× the SDK's serial loop is issue 11's.
 */
import { MQ_HTTP_PUBLISH } from '../../nodes/ApsaraMq/transport/apis';
import { LOOKUP_PAUSES_MS } from '../../nodes/ApsaraMq/transport/mqHttp/lookup';
import type { RunFigures } from './measure';
import type { PublishResults } from './publishScenario';
import { checkingPass, RUN_HEADER, RUN_RULE, runRow, type Target } from './report';
import { MQ_IMPLS } from './signingMq';
import { int, num, seconds } from './stats';

export const PUBLISH_RATE = MQ_HTTP_PUBLISH.automaticRatePerSecond;
export const PUBLISH_CONCURRENCY = MQ_HTTP_PUBLISH.automaticConcurrency;
export const PUBLISH_SPEEDUP_GOAL = 15;

/** Ours (authenticate) against the SDK's buildHeaders, per Node.js and body. */
export function mqSigningComparisons(signing: PublishResults['signing']) {
	const rows: Array<{
		node: string;
		body: string;
		ours: number;
		oursSignMqRequest: number;
		oursStages: number;
		alibabaBuildHeaders: number;
		alibabaSign: number;
		ratio: number;
	}> = [];
	for (const runtime of signing?.runtimes ?? []) {
		const bodies = [...new Set(runtime.cases.map((entry) => entry.payload))];
		for (const body of bodies) {
			const ns = (impl: string) =>
				runtime.cases.find((entry) => entry.payload === body && entry.impl === impl)?.nsPerCall ??
				NaN;
			const ours = ns(MQ_IMPLS.oursAuthenticate);
			const alibabaBuildHeaders = ns(MQ_IMPLS.alibabaBuildHeaders);
			rows.push({
				node: runtime.nodeVersion,
				body,
				ours,
				oursSignMqRequest: ns(MQ_IMPLS.oursSignMqRequest),
				oursStages: ns(MQ_IMPLS.oursStages),
				alibabaBuildHeaders,
				alibabaSign: ns(MQ_IMPLS.alibabaSign),
				ratio: ours / alibabaBuildHeaders,
			});
		}
	}
	return rows;
}

/**
 * When the node's look-up (five tries after pauses of LOOKUP_PAUSES_MS) first asks at or after
 * `indexedAfterMs`, not counting the round trips; undefined: after its last try.
 */
export function nodeLookupFindsAt(indexedAfterMs: number): number | undefined {
	let at = 0;
	for (const pause of LOOKUP_PAUSES_MS) {
		at += pause;
		if (at >= indexedAfterMs) return at;
	}
	return undefined;
}

export function publishTargets(publish: PublishResults | undefined): Target[] {
	const targets: Target[] = [];
	const defaults = publish?.defaults;
	const sdk = publish?.sdkSerial;
	targets.push({
		id: 'publish-speedup',
		name: "Publish RocketMQ Message, defaults against the MQ HTTP SDK's serial loop (30 ms ± 10 ms)",
		target: `≥ ${PUBLISH_SPEEDUP_GOAL}×`,
		measured:
			defaults && sdk
				? `${num(defaults.perSecondNode / sdk.perSecond, 2)}× (${num(defaults.perSecondNode)}/s against ${num(sdk.perSecond)}/s)` +
					(publish?.ordered
						? `; with one sharding key per 10 rows ${num(publish.ordered.perSecondNode)}/s = ${num(publish.ordered.perSecondNode / sdk.perSecond, 2)}×`
						: '')
				: 'not measured',
		basis: "items ÷ the node's executionTime against publishes ÷ the SDK loop's time",
		pass: defaults && sdk ? defaults.perSecondNode >= PUBLISH_SPEEDUP_GOAL * sdk.perSecond : null,
	});
	const paced = [defaults, publish?.ordered].filter((run): run is RunFigures => run !== undefined);
	const surfaced = paced.reduce((total, run) => total + run.errorsSurfaced, 0);
	const accepted = paced.reduce((total, run) => total + run.emulator.accepted, 0);
	const wanted = paced.reduce((total, run) => total + run.items, 0);
	targets.push({
		id: 'publish-complete',
		name: 'Publish RocketMQ Message: every item published once (30 ms ± 10 ms, real quotas)',
		target: '0 errors, publishes stored = items',
		measured:
			paced.length > 0
				? `${surfaced} error items or node failures; ${int(accepted)} publishes stored for ${int(wanted)} items over ${paced.length} runs`
				: 'not measured',
		basis:
			"error items in the node's output + node failures; the emulator's accepted PublishMessage",
		pass: paced.length > 0 ? surfaced === 0 && accepted === wanted : null,
	});
	const ours = publish?.oursZeroLatency;
	const http = publish?.httpRequestZeroLatency;
	targets.push({
		id: 'publish-overhead',
		name: 'Publish RocketMQ Message, per-item CPU against the HTTP Request node (0 ms, no quotas)',
		target: 'no worse',
		measured:
			ours && http
				? `${num(ours.cpuMsPerItem, 3)} CPU ms/item against ${num(http.cpuMsPerItem, 3)} = ${num(ours.cpuMsPerItem / http.cpuMsPerItem, 2)}×; wall ${num(ours.msPerItem, 3)} ms/item against ${num(http.msPerItem, 3)}`
				: 'not measured',
		basis:
			"CPU time of n8n's main process during the node's execution ÷ items, each node with its defaults (ours 4,000/s automatic, 64 in flight; the HTTP Request node all at once)",
		pass: ours && http ? ours.cpuMsPerItem <= http.cpuMsPerItem : null,
	});
	const signing = mqSigningComparisons(publish?.signing);
	const worst = signing.reduce<(typeof signing)[number] | undefined>(
		(acc, row) => (acc === undefined || row.ratio > acc.ratio ? row : acc),
		undefined,
	);
	const slower = signing.filter((row) => row.ratio > 1);
	targets.push({
		id: 'publish-signing',
		name: "MQ HTTP signing cost per publish against the SDK's own",
		target: 'no slower, every body',
		measured: worst
			? `${slower.length} of ${signing.length} cases slower; worst ${num(worst.ratio, 2)}× (${worst.body}, Node ${worst.node}: ${num(worst.ours / 1000, 1)} µs against ${num(worst.alibabaBuildHeaders / 1000, 1)} µs)`
			: 'not measured',
		basis: "median ns per call: our credential's authenticate() against mq-http-sdk's buildHeaders",
		pass: worst ? slower.length === 0 : null,
	});
	return targets;
}

export function publishSection(publish: PublishResults, latency: string): string[] {
	const lines: string[] = [];
	const paced = [publish.defaults, publish.ordered].filter(
		(run): run is RunFigures => run !== undefined,
	);
	if (paced.length > 0 || publish.sdkSerial) {
		lines.push(`## 6. Publish RocketMQ Message, ${latency}, real quotas`, '');
		lines.push(`${RUN_HEADER} first → last request | peak in 1 s |`, `${RUN_RULE}---:|---:|`);
		for (const run of paced) {
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
		for (const run of paced) {
			const pass = checkingPass(run);
			if (!pass) continue;
			const sending = run.nodeExecutionMs - pass.ms;
			lines.push(
				`- ${run.label}: checking every item first ${seconds(pass.ms)} (${num(pass.cpuMs / run.items, 3)} CPU ms per item); from the first request to the node's end ${seconds(sending)} → ${num((run.items * 1000) / sending)}/s (automatic pace ${PUBLISH_RATE}/s, ${PUBLISH_CONCURRENCY} in flight).`,
			);
		}
		const sdk = publish.sdkSerial;
		if (sdk) {
			lines.push(
				`- Alibaba's ${sdk.sdk} ${sdk.sdkVersion} in a serial loop (\`getProducer(...).publishMessage\`, plain script on Node.js ${sdk.nodeVersion}): ${int(sdk.ok)} of ${int(sdk.items)} published in ${seconds(sdk.loopMs)} → ${num(sdk.perSecond)}/s; per publish p50 ${num(sdk.latencyMs.p50, 1)} ms, p90 ${num(sdk.latencyMs.p90, 1)} ms, p99 ${num(sdk.latencyMs.p99, 1)} ms; failures ${JSON.stringify(sdk.failures)}; CPU ${num(sdk.cpuMs / sdk.items, 3)} ms per publish.${publish.defaults ? ` The node's defaults: ${num(publish.defaults.perSecondNode / sdk.perSecond, 2)}× the SDK loop.` : ''}`,
			);
		}
		if (publish.defaults && publish.ordered) {
			lines.push(
				`- Sharding keys: one key per 10 consecutive rows costs ${num(publish.defaults.perSecondNode / publish.ordered.perSecondNode, 2)}× the time: one key's messages go one after another (actions/keyedSequence.ts), and a worker waiting for its key's previous message holds its slot, so ${PUBLISH_CONCURRENCY} in flight cover only about ${Math.ceil(PUBLISH_CONCURRENCY / 10)} keys at once.`,
			);
		}
		lines.push('');
	}
	const ours = publish.oursZeroLatency;
	const http = publish.httpRequestZeroLatency;
	if (ours || http) {
		lines.push('### Per-item CPU at 0 ms latency, no quotas', '');
		lines.push(`${RUN_HEADER} emulator CPU µs/request |`, `${RUN_RULE}---:|`);
		for (const run of [ours, http]) {
			if (run) lines.push(runRow(run, [num(run.emulator.serverCpuUsPerRequest, 1)]).trimEnd());
		}
		lines.push('');
	}
	if (publish.signing) {
		lines.push(
			'### Signing cost per publish (in-process, median of rounds)',
			'',
			"Ours: the credential's `authenticate()` for an MQ HTTP publish (what n8n calls for every attempt), `signMqRequest`, and the pure stages (string to sign + HMAC, Date and MD5 given). Alibaba: `@aliyunmq/mq-http-sdk`'s `MQClient#buildHeaders` (Date, Content-MD5, `sign`) and `sign` alone. Same AccessKey, resource and body.",
			'',
			'| Node.js | body | ours authenticate() µs | ours signMqRequest µs | ours stages µs | SDK buildHeaders µs | SDK sign µs | ours ÷ SDK buildHeaders |',
			'|---|---|---:|---:|---:|---:|---:|---:|',
		);
		for (const row of mqSigningComparisons(publish.signing)) {
			lines.push(
				`| ${row.node} | ${row.body} | ${num(row.ours / 1000, 2)} | ${num(row.oursSignMqRequest / 1000, 2)} | ${num(row.oursStages / 1000, 2)} | ${num(row.alibabaBuildHeaders / 1000, 2)} | ${num(row.alibabaSign / 1000, 2)} | ${num(row.ratio, 2)}× |`,
			);
		}
		lines.push('');
	}
	if (publish.keyIndex) {
		lines.push(
			'### How soon a published message is found by key (emulator)',
			'',
			`Publish with the SDK, then \`OnsMessageGetByKey\` every 25 ms (emulator latency and quotas off). The node's look-up after an unknown outcome asks after pauses of ${LOOKUP_PAUSES_MS.map((ms) => `${ms / 1000} s`).join(', ')}.`,
			'',
			"| `mqHttp.keyIndexDelayMs` | found after | look-ups that missed first | the node's look-up would find it at |",
			'|---:|---:|---:|---:|',
		);
		for (const figure of publish.keyIndex) {
			// By the index lag itself: the measured time adds a look-up's round trip.
			const nodeAt = nodeLookupFindsAt(
				figure.foundAfterMs === undefined ? Infinity : figure.keyIndexDelayMs,
			);
			lines.push(
				`| ${int(figure.keyIndexDelayMs)} ms | ${figure.foundAfterMs === undefined ? 'not within 20 s' : `${num(figure.foundAfterMs, 1)} ms`} | ${figure.misses} | ${nodeAt === undefined ? 'never (AmbiguousDelivery)' : `its try at +${num(nodeAt / 1000, 0)} s`} |`,
			);
		}
		lines.push('');
	}
	return lines;
}
