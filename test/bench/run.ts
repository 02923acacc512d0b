/**
 * `npm run bench` (docs/quotas-and-retries.md#speed-and-safety-targets): the package inside the
 * real n8n 2.41.1 of the end-to-end tests, against the local Alibaba gateway emulator, beside the
 * one-at-a-time baseline, Alibaba's SDK, n8n's HTTP Request node and a No Op node. Prints every figure with the targets and writes
 * results.json, results.md and throughput.svg to test/bench/results/. See README.md here.
 */
import { OPTION_RANGES } from '../../nodes/ApsaraMq/actions/callOptions';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createEmulator, type Emulator } from '../emulator';
import { createN8nInstance, ensureN8n, repoRoot, type N8nInstance } from '../e2e/harness';
import { throughputChart } from './chart';
import { readConfig, type BenchConfig } from './config';
import { describeEnvironment } from './environment';
import { measureRun, type RunFigures } from './measure';
import { killAll } from './n8nRunner';
import { publishBenchWorkflows, runPublishScenario } from './publishScenario';
import {
	evaluateTargets,
	markdownReport,
	printSummary,
	SEND_RATE,
	type BenchResults,
} from './report';
import type { SdkSerialResult } from './sdkSerial';
import type { SigningResult } from './signing';
import { runTriggerScenario } from './trigger';
import {
	emulatorCredential,
	httpRequestWorkflow,
	noOpWorkflow,
	pushWorkflow,
	sendWorkflow,
	setWorkflow,
} from './workflows';

/**
 * The highest rate the node accepts (1,000/s), far above what n8n reaches on this machine (a few
 * hundred items per second at 0 ms), so that it never binds. A larger value is refused.
 */
const UNBOUND_RATE = OPTION_RANGES.maxRequestsPerSecond.max;
/** Largest memory run of the HTTP Request node, which opens one socket per item at once. */
const HTTP_MEMORY_MAX_ITEMS = 20_000;

const ID = {
	sendDefaults: 'benchSend30msDflt',
	sendConcurrency1: 'benchSend30msConc1',
	onsDefaults: 'benchOnsPush30ms',
	overheadOursC1: 'benchOvhOursConc1',
	overheadOursDefault: 'benchOvhOursDflt',
	overheadHttp: 'benchOvhHttpReq',
	overheadOursLiteral: 'benchDiagOursLiteral',
	overheadHttpLiteral: 'benchDiagHttpLiteral',
	memoryOurs: (i: number) => `benchMemOurs${i}`,
	memoryNoOp: (i: number) => `benchMemNoOp${i}`,
	memorySet: (i: number) => `benchMemSet${i}`,
	memoryHttp: (i: number) => `benchMemHttp${i}`,
};

function log(message: string): void {
	console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function loadNow(): number {
	return Math.round(os.loadavg()[0] * 100) / 100;
}

/**
 * A fixed piece of CPU work (hashing, JSON, string building), timed: the same number on a quiet
 * machine every time, larger when the machine or its host is busy. Taken before every step.
 */
function calibrationMs(): number {
	const block = Buffer.alloc(1024, 7);
	const started = process.hrtime.bigint();
	let sink = 0;
	for (let i = 0; i < 4000; i++) {
		sink += createHash('sha256').update(block).digest()[0];
		sink += JSON.stringify({ i, text: `item-${i}`, list: [i, i + 1, i + 2] }).length;
		sink += encodeURIComponent(`温度 ${i} ~*'()!`).length;
	}
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	return sink < 0 ? -1 : Math.round(ms * 100) / 100;
}

/** Runs a compiled script of this folder with n8n's Node.js 24; resolves with its last JSON line. */
async function runScript<T>(
	nodeBin: string,
	script: string,
	args: string[],
	timeoutMs: number,
): Promise<T> {
	const file = path.join(__dirname, script);
	return await new Promise<T>((resolve, reject) => {
		const child = spawn(nodeBin, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			const last = out.trim().split('\n').pop() ?? '';
			if (code !== 0) {
				reject(new Error(`${script} exited with ${code}\n${err.slice(-3000)}`));
				return;
			}
			try {
				resolve(JSON.parse(last) as T);
			} catch {
				reject(new Error(`${script} printed no JSON\n${out.slice(-2000)}\n${err.slice(-2000)}`));
			}
		});
	});
}

async function main(): Promise<number> {
	const config = readConfig();
	const began = Date.now();
	log(`config: ${JSON.stringify(config)}`);
	const install = await ensureN8n();
	const environment = describeEnvironment(install);
	log(
		`n8n ${install.n8nVersion} on Node ${install.nodeVersion}; runner Node ${process.version}; ` +
			`${environment.cpuCount} × ${environment.cpuModel}; load ${environment.loadAverageAtStart.join(' ')}`,
	);

	const results: BenchResults = {
		issue: 'speed and safety targets (docs/quotas-and-retries.md#speed-and-safety-targets)',
		environment,
		config,
		startedAt: new Date(began).toISOString(),
		finishedAt: '',
		totalDurationMs: 0,
		load: {},
		calibrationMs: {},
		errors: {},
		targets: [],
	};

	const step = async (name: string, fn: () => Promise<void>) => {
		results.load[name] = loadNow();
		results.calibrationMs[name] = calibrationMs();
		const t0 = Date.now();
		log(`▶ ${name} (load ${results.load[name]}, calibration ${results.calibrationMs[name]} ms)`);
		try {
			await fn();
			log(`✔ ${name} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
		} catch (error) {
			results.errors[name] = (error as Error).stack ?? String(error);
			log(`✘ ${name}: ${(error as Error).message.split('\n')[0]}`);
		}
	};

	const wants = (scenario: BenchConfig['scenarios'][number]) => config.scenarios.includes(scenario);

	// 3. Signing, first, on a quiet machine: in this process's Node.js and in n8n's Node.js 24.
	if (wants('signing')) {
		await step('signing', async () => {
			const args = [String(config.signRoundMs), String(config.signRounds)];
			const timeout = 20 * 60_000;
			const n8nNode = await runScript<SigningResult>(install.nodeBin, 'signing.js', args, timeout);
			const runnerNode = await runScript<SigningResult>(
				process.execPath,
				'signing.js',
				args,
				timeout,
			);
			results.signing = { runtimes: [n8nNode, runnerNode] };
		});
	}

	// The trigger scenario starts n8n, the emulator and RabbitMQ of its own (`n8n start`).
	const needsN8n = config.scenarios.some(
		(scenario) => scenario !== 'signing' && scenario !== 'trigger',
	);
	let emulator: Emulator | undefined;
	let n8n: N8nInstance | undefined;
	try {
		if (needsN8n) {
			emulator = await createEmulator({
				knobs: { latencyMs: config.latencyMs, jitterMs: config.jitterMs },
			});
			n8n = await createN8nInstance({ packageDir: repoRoot() });
			await n8n.importCredentials([emulatorCredential(emulator.url)]);
			const sink = `${emulator.url}/__emulator/sink`;
			const workflows = [
				sendWorkflow(ID.sendDefaults, config.items),
				sendWorkflow(ID.sendConcurrency1, config.items, { maxConcurrentRequests: 1 }),
				pushWorkflow(ID.onsDefaults, config.onsItems),
				sendWorkflow(ID.overheadOursC1, config.overheadItems, {
					maxConcurrentRequests: 1,
					maxRequestsPerSecond: UNBOUND_RATE,
				}),
				sendWorkflow(ID.overheadOursDefault, config.overheadItems, {
					maxRequestsPerSecond: UNBOUND_RATE,
				}),
				httpRequestWorkflow(ID.overheadHttp, config.overheadItems, sink),
				sendWorkflow(
					ID.overheadOursLiteral,
					config.overheadItems,
					{ maxConcurrentRequests: 1, maxRequestsPerSecond: UNBOUND_RATE },
					{ literalPayload: true },
				),
				httpRequestWorkflow(ID.overheadHttpLiteral, config.overheadItems, sink, true),
				...config.memoryItems.flatMap((count, i) => [
					sendWorkflow(ID.memoryOurs(i), count, { maxRequestsPerSecond: UNBOUND_RATE }),
					noOpWorkflow(ID.memoryNoOp(i), count),
					setWorkflow(ID.memorySet(i), count),
					httpRequestWorkflow(ID.memoryHttp(i), count, sink),
				]),
				...(wants('publish') ? publishBenchWorkflows(config, sink) : []),
			];
			await n8n.importWorkflow(workflows);
			log(`n8n instance ready in ${n8n.userFolder}; emulator at ${emulator.url}`);
		}
		const emu = emulator as Emulator;
		const inst = n8n as N8nInstance;
		const run = (spec: Parameters<typeof measureRun>[2]) => measureRun(inst, emu, spec);
		const realLatency = () =>
			emu.setKnobs({
				latencyMs: config.latencyMs,
				jitterMs: config.jitterMs,
				quotas: { enabled: true },
				recordParams: true,
			});
		const zeroLatency = (recordParams: boolean) =>
			emu.setKnobs({ latencyMs: 0, jitterMs: 0, quotas: { enabled: false }, recordParams });

		// 1. 10,000 Send MQTT Message items at 30 ms ± 10 ms, real quotas.
		if (wants('throughput')) {
			const throughput: NonNullable<BenchResults['throughput']> = {};
			results.throughput = throughput;
			await step('throughput: node defaults', async () => {
				realLatency();
				throughput.defaults = await run({
					label: `ApsaraMQ node, defaults (${SEND_RATE}/s, 24 in flight)`,
					workflowId: ID.sendDefaults,
					items: config.items,
					action: 'SendMessage',
					timeoutMs: 180_000 + config.items * 12,
				});
				logRun(throughput.defaults);
			});
			await step('throughput: node concurrency 1', async () => {
				realLatency();
				throughput.concurrency1 = await run({
					label: 'ApsaraMQ node, concurrency 1 (one at a time)',
					workflowId: ID.sendConcurrency1,
					items: config.items,
					action: 'SendMessage',
					timeoutMs: 180_000 + config.items * 80,
				});
				logRun(throughput.concurrency1);
			});
			await step('throughput: SDK serial loop', async () => {
				realLatency();
				emu.reset({ keepKnobs: true });
				const sdk = await runScript<SdkSerialResult>(
					install.nodeBin,
					'sdkSerial.js',
					[emu.url, String(config.items), 'openapi-client'],
					180_000 + config.items * 80,
				);
				const counters = emu.counters().SendMessage;
				throughput.sdkSerial = {
					...sdk,
					perSecond: (sdk.items * 1000) / sdk.loopMs,
					emulator: {
						accepted: counters?.accepted ?? 0,
						throttled: counters?.throttled ?? 0,
						rejected: { ...(counters?.rejected ?? {}) },
					},
				};
				log(
					`  SDK serial (${sdk.sdk} ${sdk.sdkVersion}, Node ${sdk.nodeVersion}): ${sdk.ok}/${sdk.items} ok in ${(sdk.loopMs / 1000).toFixed(1)} s → ${throughput.sdkSerial.perSecond.toFixed(1)}/s`,
				);
			});
		}

		// 2. 300 Push ONS Message items against the 10/s quota.
		if (wants('ons')) {
			await step('ons: node defaults', async () => {
				realLatency();
				results.ons = await run({
					label: 'ApsaraMQ node, Push ONS Message, defaults (8/s, 4 in flight)',
					workflowId: ID.onsDefaults,
					items: config.onsItems,
					action: 'OnsMessagePush',
					timeoutMs: 180_000 + config.onsItems * 400,
				});
				logRun(results.ons);
			});
		}

		// 6. Publish RocketMQ Message: against the MQ HTTP SDK, the HTTP Request node, its signing.
		if (wants('publish')) {
			results.publish = await runPublishScenario({
				config,
				emulator: emu,
				n8nNodeBin: install.nodeBin,
				run,
				step,
				realLatency,
				zeroLatency,
				runScript,
				log,
				logRun,
			});
		}

		// 4. Per-item overhead at zero latency, quotas off: ours against the HTTP Request node.
		if (wants('overhead')) {
			const overhead: NonNullable<BenchResults['overhead']> = {};
			results.overhead = overhead;
			const profileDir = config.profileDir;
			if (profileDir) mkdirSync(profileDir, { recursive: true });
			await step('overhead: node concurrency 1', async () => {
				zeroLatency(true);
				overhead.oursConcurrency1 = await run({
					label: 'ApsaraMQ node, concurrency 1, unbound rate',
					workflowId: ID.overheadOursC1,
					items: config.overheadItems,
					action: 'SendMessage',
					timeoutMs: 300_000 + config.overheadItems * 40,
					cpuProfileDir: profileDir && path.join(profileDir, 'ours-concurrency-1'),
				});
				logRun(overhead.oursConcurrency1);
			});
			await step('overhead: HTTP Request node', async () => {
				zeroLatency(true);
				overhead.httpRequest = await run({
					label: 'HTTP Request node (4.5), unsigned POST to the emulator sink',
					workflowId: ID.overheadHttp,
					items: config.overheadItems,
					action: 'sink',
					timeoutMs: 300_000 + config.overheadItems * 40,
					cpuProfileDir: profileDir && path.join(profileDir, 'http-request'),
				});
				logRun(overhead.httpRequest);
			});
			await step('overhead: node default concurrency', async () => {
				zeroLatency(true);
				overhead.oursDefault = await run({
					label: 'ApsaraMQ node, default concurrency (24), unbound rate',
					workflowId: ID.overheadOursDefault,
					items: config.overheadItems,
					action: 'SendMessage',
					timeoutMs: 300_000 + config.overheadItems * 40,
					cpuProfileDir: profileDir && path.join(profileDir, 'ours-default'),
				});
				logRun(overhead.oursDefault);
			});
			if (config.diagnostics) {
				overhead.diagnostics = [];
				const diagnostics = overhead.diagnostics;
				const diagnose = async (
					label: string,
					workflowId: string,
					action: string,
					profileName: string,
				) =>
					await step(`overhead diagnostic: ${label}`, async () => {
						zeroLatency(true);
						const figures = await run({
							label,
							workflowId,
							items: config.overheadItems,
							action,
							timeoutMs: 300_000 + config.overheadItems * 40,
							cpuProfileDir: profileDir && path.join(profileDir, profileName),
						});
						diagnostics.push(figures);
						logRun(figures);
					});
				await diagnose(
					'ApsaraMQ node, concurrency 1, fixed text payload (no expression)',
					ID.overheadOursLiteral,
					'SendMessage',
					'diag-ours-literal',
				);
				await diagnose(
					'HTTP Request node, fixed JSON body (no expression)',
					ID.overheadHttpLiteral,
					'sink',
					'diag-http-literal',
				);
			}
		}

		// 5. Peak memory of the n8n process: ours against No Op.
		if (wants('memory')) {
			results.memory = [];
			for (const [i, count] of config.memoryItems.entries()) {
				const entry: NonNullable<BenchResults['memory']>[number] = { items: count };
				results.memory.push(entry);
				await step(`memory: ${count} items, No Op`, async () => {
					zeroLatency(false);
					entry.noOp = await run({
						label: `No Op node, ${count} items`,
						workflowId: ID.memoryNoOp(i),
						items: count,
						action: 'SendMessage',
						timeoutMs: 300_000 + count * 20,
						measureRss: true,
					});
					logRun(entry.noOp);
				});
				await step(`memory: ${count} items, ApsaraMQ node`, async () => {
					zeroLatency(false);
					entry.ours = await run({
						label: `ApsaraMQ node, ${count} items, default concurrency, unbound rate`,
						workflowId: ID.memoryOurs(i),
						items: count,
						action: 'SendMessage',
						timeoutMs: 300_000 + count * 20,
						measureRss: true,
					});
					logRun(entry.ours);
				});
				if (!config.diagnostics) continue;
				entry.diagnostics = [];
				const diagnostics = entry.diagnostics;
				await step(`memory diagnostic: ${count} items, Edit Fields`, async () => {
					zeroLatency(false);
					const figures = await run({
						label: `Edit Fields (Set) node, one expression per item, ${count} items`,
						workflowId: ID.memorySet(i),
						items: count,
						action: 'SendMessage',
						timeoutMs: 300_000 + count * 20,
						measureRss: true,
					});
					diagnostics.push(figures);
					logRun(figures);
				});
				// The HTTP Request node starts every item's request at once: one socket per item.
				if (count > HTTP_MEMORY_MAX_ITEMS) continue;
				await step(`memory diagnostic: ${count} items, HTTP Request`, async () => {
					zeroLatency(false);
					const figures = await run({
						label: `HTTP Request node, the same items POSTed to the sink, ${count} items`,
						workflowId: ID.memoryHttp(i),
						items: count,
						action: 'sink',
						timeoutMs: 300_000 + count * 20,
						measureRss: true,
					});
					diagnostics.push(figures);
					logRun(figures);
				});
			}
		}
	} finally {
		await n8n?.dispose();
		await emulator?.close();
	}

	// 6. The ApsaraMQ Trigger against n8n's RabbitMQ Trigger, activated under `n8n start`.
	if (wants('trigger')) {
		await step('trigger', async () => {
			results.trigger = await runTriggerScenario({ install, config, log });
		});
	}

	results.finishedAt = new Date().toISOString();
	results.totalDurationMs = Date.now() - began;
	results.targets = evaluateTargets(results);
	mkdirSync(config.resultsDir, { recursive: true });
	writeFileSync(
		path.join(config.resultsDir, 'results.json'),
		`${JSON.stringify(results, null, 2)}\n`,
	);
	writeFileSync(path.join(config.resultsDir, 'results.md'), markdownReport(results));
	writeFileSync(path.join(config.resultsDir, 'throughput.svg'), throughputChart(results));
	printSummary(results);
	log(
		`results in ${config.resultsDir}; total ${(results.totalDurationMs / 60_000).toFixed(1)} min`,
	);
	return Object.keys(results.errors).length > 0 ? 1 : 0;
}

function logRun(figures: RunFigures | undefined): void {
	if (!figures) return;
	const rss = figures.rss?.mainMaxRssKb
		? `, main RSS peak ${Math.round(figures.rss.mainMaxRssKb / 1024)} MiB`
		: '';
	log(
		`  ${figures.label}: node ${(figures.nodeExecutionMs / 1000).toFixed(2)} s → ${figures.perSecondNode.toFixed(1)}/s; ` +
			`wall ${(figures.wallMs / 1000).toFixed(1)} s; ${figures.msPerItem.toFixed(3)} ms and ${figures.cpuMsPerItem.toFixed(3)} CPU ms per item; ` +
			`errors ${figures.errorsSurfaced}; throttled ${figures.emulator.throttled}; CPUs n8n ${figures.mainCpus.toFixed(2)}, other ${figures.otherCpus.toFixed(2)}${rss}`,
	);
}

process.on('SIGINT', () => {
	killAll();
	process.exit(130);
});

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error);
		killAll();
		process.exit(1);
	},
);
