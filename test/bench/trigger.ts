/**
 * Bench scenario `trigger` (test/bench/README.md#trigger): our ApsaraMQ Trigger on the emulator
 * against n8n's own RabbitMQ Trigger on a local rabbitmq-server, the same workflow activated under
 * `n8n start`, a backlog of N messages already in the queue; messages per second end to end from
 * n8n's execution list, CPU of each process, and the peak RSS of n8n with a large backlog.
 */
import { createEmulator, type Emulator } from '../emulator';
import { emulatorCredential, SEED } from '../e2e/harness/apsaramq';
import {
	createN8nInstance,
	readProcMemory,
	repoRoot,
	processTree,
	type N8nInstall,
	type N8nInstance,
	type RestSession,
	type RunningN8n,
} from '../e2e/harness';
import { activateWorkflow, deactivateWorkflow, executionsOf } from '../e2e/harness/triggerRest';
import type { BenchConfig } from './config';
import { readCpuMs, readMachineBusyMs } from './n8nRunner';
import { startRabbitMq, type RabbitMq } from './rabbitmq';
import {
	apsaraMqTriggerWorkflow,
	rabbitMqTriggerWorkflow,
	RABBIT_CREDENTIAL,
	RABBIT_QUEUE,
	TRIGGER_TOPIC,
	type AfterTrigger,
} from './triggerWorkflows';

export interface TriggerRun {
	label: string;
	trigger: 'apsaraMq' | 'rabbitMq';
	after: AfterTrigger;
	messages: number;
	messagesPerExecution: number;
	parallel: number;
	executions: number;
	failedExecutions: number;
	/** First execution started → last execution stopped (n8n's execution list), and those instants (epoch ms, for a profile's window). */
	endToEndMs: number;
	firstStartedAt: number;
	lastStoppedAt: number;
	messagesPerSecond: number;
	executionsPerSecond: number;
	/** Median and 95th percentile of stoppedAt − startedAt of one execution. */
	executionMedianMs: number;
	executionP95Ms: number;
	/** Activation REST call → last execution stopped. */
	activationToLastMs: number;
	/** CPU over the end-to-end window, in CPUs (1 = one core busy): n8n main, its task runner, the broker, the whole machine. */
	cpus: { n8nMain: number; taskRunner: number; broker: number; machine: number };
	/** CPU ms of n8n's main process per message. */
	n8nCpuMsPerMessage: number;
	/** The emulator's requests (ours only): ConsumeMessage and AckMessage calls. */
	requests?: Record<string, number>;
}

export interface TriggerMemoryRun {
	label: string;
	backlog: number;
	parallel: number;
	/** n8n main process RSS while activated but idle (no message), largest sample, MiB. */
	idleRssMiB: number;
	/** Largest RSS sample of n8n's main process while it works through the backlog, MiB. */
	busyPeakRssMiB: number;
	/** Messages acknowledged by the end of the window. */
	processedMessages: number;
	seconds: number;
	/** Most messages delivered and not yet acknowledged at one sample (emulator). */
	maxInFlight: number;
}

export interface TriggerResults {
	rabbitMqVersion?: string;
	runs: TriggerRun[];
	memory: TriggerMemoryRun[];
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
const MiB = (kb: number) => Math.round((kb / 1024) * 10) / 10;

function quantile(sorted: number[], q: number): number {
	if (sorted.length === 0) return 0;
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** How many executions of a workflow have finished (n8n's list count, one small request). */
async function finishedCount(session: RestSession, workflowId: string): Promise<number> {
	const filter = encodeURIComponent(
		JSON.stringify({ workflowId, status: ['success', 'error', 'crashed', 'canceled'] }),
	);
	const page = await session.rest<{ count: number }>(
		'GET',
		`/rest/executions?filter=${filter}&limit=1`,
	);
	return page.count;
}

/** The CPU time so far of n8n's main process, its task runner(s) and the broker's processes. */
function cpuSnapshot(n8nPid: number, brokerPids: () => number[]) {
	const tree = processTree(n8nPid);
	const runners = tree.slice(1);
	const sum = (pids: number[]) => pids.reduce((total, pid) => total + (readCpuMs(pid) ?? 0), 0);
	return {
		at: Date.now(),
		n8nMain: readCpuMs(n8nPid) ?? 0,
		taskRunner: sum(runners),
		broker: sum(brokerPids()),
		machine: readMachineBusyMs() ?? 0,
	};
}

/** The processes of the emulator (this one) or of RabbitMQ (its process tree). */
function brokerPidsOf(
	trigger: TriggerRun['trigger'],
	rabbit: RabbitMq | undefined,
): () => number[] {
	if (trigger === 'apsaraMq' || !rabbit) return () => [process.pid];
	return () => processTree(rabbit.pid);
}

export interface TriggerScenarioContext {
	install: N8nInstall;
	config: BenchConfig;
	log: (message: string) => void;
}

interface Case {
	id: string;
	label: string;
	trigger: TriggerRun['trigger'];
	after: AfterTrigger;
	messages: number;
	messagesPerExecution: number;
}

/** Runs the whole scenario: throughput cases, then the memory runs, each n8n stopped after. */
export async function runTriggerScenario(context: TriggerScenarioContext): Promise<TriggerResults> {
	const { install, config, log } = context;
	const parallel = config.triggerParallel;
	const results: TriggerResults = { runs: [], memory: [] };
	const emulator = await createEmulator({
		knobs: { latencyMs: 0, jitterMs: 0, quotas: { enabled: false }, recordParams: false },
	});
	let rabbit: RabbitMq | undefined;
	let n8n: N8nInstance | undefined;
	let running: RunningN8n | undefined;
	try {
		rabbit = await startRabbitMq(install);
		results.rabbitMqVersion = rabbit.version;
		await rabbit.createQueue(RABBIT_QUEUE);

		const messages = config.triggerMessages;
		const cases: Case[] = [
			{
				id: 'benchTrigOurs1',
				label: `ApsaraMQ Trigger, 1 message per execution`,
				trigger: 'apsaraMq',
				after: 'noOp',
				messages,
				messagesPerExecution: 1,
			},
			{
				id: 'benchTrigRabbit1',
				label: `RabbitMQ Trigger (1 message per execution, it has no batches)`,
				trigger: 'rabbitMq',
				after: 'noOp',
				messages,
				messagesPerExecution: 1,
			},
			{
				id: 'benchTrigOurs16',
				label: `ApsaraMQ Trigger, 16 messages per execution`,
				trigger: 'apsaraMq',
				after: 'noOp',
				messages,
				messagesPerExecution: 16,
			},
		];
		if (config.diagnostics) {
			const few = config.triggerCodeMessages;
			cases.push(
				{
					id: 'benchTrigOursCode',
					label: 'diagnostic: ApsaraMQ Trigger → Code node (the e2e workflow)',
					trigger: 'apsaraMq',
					after: 'code',
					messages: few,
					messagesPerExecution: 1,
				},
				{
					id: 'benchTrigRabbitCode',
					label: 'diagnostic: RabbitMQ Trigger → Code node',
					trigger: 'rabbitMq',
					after: 'code',
					messages: few,
					messagesPerExecution: 1,
				},
			);
		}

		n8n = await createN8nInstance({ packageDir: repoRoot() });
		await n8n.importCredentials([
			emulatorCredential(emulator.url),
			{ ...RABBIT_CREDENTIAL, type: 'rabbitmq', data: rabbit.credentialData },
		]);
		await n8n.importWorkflow(
			cases.map((c) =>
				c.trigger === 'apsaraMq'
					? apsaraMqTriggerWorkflow(c.id, {
							messagesPerExecution: c.messagesPerExecution,
							maxParallelExecutions: parallel,
							after: c.after,
						})
					: rabbitMqTriggerWorkflow(c.id, { parallelMessages: parallel, after: c.after }),
			),
		);
		// BENCH_PROFILE_DIR: V8 CPU profiles of n8n's processes, written when n8n stops.
		const profile = config.profileDir
			? { env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${config.profileDir}` } }
			: {};
		running = await n8n.start(profile);
		const session = await n8n.createOwnerAndLogin();
		for (const c of cases) {
			log(`▶ trigger: ${c.label}, ${c.messages} messages, parallel ${parallel}`);
			const run = await measureCase(c, { emulator, rabbit, running, session, parallel, log });
			results.runs.push(run);
			log(
				`  ${run.label}: ${run.executions} executions in ${(run.endToEndMs / 1000).toFixed(1)} s → ${run.messagesPerSecond.toFixed(1)} messages/s; ` +
					`CPUs n8n ${run.cpus.n8nMain.toFixed(2)}, runner ${run.cpus.taskRunner.toFixed(2)}, broker ${run.cpus.broker.toFixed(2)}, machine ${run.cpus.machine.toFixed(2)}; ${run.n8nCpuMsPerMessage.toFixed(2)} n8n CPU ms/message`,
			);
		}
		await running.stop();
		running = undefined;
		await n8n.dispose();
		n8n = undefined;
		await rabbit.stop();
		rabbit = undefined;

		const memoryLimits = config.triggerMemoryMessages > 0 ? config.triggerMemoryParallel : [];
		for (const limit of memoryLimits) {
			log(`▶ trigger memory: backlog ${config.triggerMemoryMessages}, parallel ${limit}`);
			const run = await measureMemory(emulator, {
				backlog: config.triggerMemoryMessages,
				parallel: limit,
				seconds: config.triggerMemorySeconds,
				log,
			});
			results.memory.push(run);
			log(
				`  idle ${run.idleRssMiB} MiB, busy peak ${run.busyPeakRssMiB} MiB; ${run.processedMessages} messages in ${run.seconds} s; at most ${run.maxInFlight} in flight`,
			);
		}
	} finally {
		await running?.stop();
		await n8n?.dispose();
		await rabbit?.stop();
		await emulator.close();
	}
	return results;
}

async function measureCase(
	c: Case,
	parts: {
		emulator: Emulator;
		rabbit: RabbitMq;
		running: RunningN8n;
		session: RestSession;
		parallel: number;
		log: (message: string) => void;
	},
): Promise<TriggerRun> {
	const { emulator, rabbit, running, session, parallel } = parts;
	const expected = Math.ceil(c.messages / c.messagesPerExecution);
	if (c.trigger === 'apsaraMq') {
		emulator.reset({ keepKnobs: true });
		for (let n = 0; n < c.messages; n++) {
			emulator.publishRocketMq({
				instanceId: SEED.onsInstance,
				topic: TRIGGER_TOPIC,
				body: JSON.stringify({ n }),
				tag: 'bench',
			});
		}
	} else {
		await rabbit.createQueue(RABBIT_QUEUE);
		await rabbit.publish(RABBIT_QUEUE, c.messages);
	}
	const brokerPids = brokerPidsOf(c.trigger, rabbit);
	const before = cpuSnapshot(running.pid, brokerPids);
	const activatedAt = Date.now();
	await activateWorkflow(session, c.id);
	// Generous: at 2 messages per second on a crowded machine, plus a minute.
	const deadline = Date.now() + 60_000 + c.messages * 500;
	let finished = 0;
	while (finished < expected) {
		if (Date.now() > deadline)
			throw new Error(`${c.label}: ${finished}/${expected} executions finished in time`);
		await sleep(500);
		finished = await finishedCount(session, c.id);
	}
	const after = cpuSnapshot(running.pid, brokerPids);
	await deactivateWorkflow(session, c.id);
	const executions = await executionsOf(session, c.id);
	const starts = executions.map((e) => Date.parse(e.startedAt ?? '')).filter(Number.isFinite);
	const stops = executions.map((e) => Date.parse(e.stoppedAt ?? '')).filter(Number.isFinite);
	const first = Math.min(...starts);
	const last = Math.max(...stops);
	const durations = executions
		.map((e) => Date.parse(e.stoppedAt ?? '') - Date.parse(e.startedAt ?? ''))
		.filter(Number.isFinite)
		.sort((a, b) => a - b);
	const endToEndMs = Math.max(1, last - first);
	const windowMs = Math.max(1, after.at - before.at);
	const cpus = (key: 'n8nMain' | 'taskRunner' | 'broker' | 'machine') =>
		Math.round(((after[key] - before[key]) / windowMs) * 100) / 100;
	const requests: Record<string, number> = {};
	if (c.trigger === 'apsaraMq') {
		for (const [action, counters] of Object.entries(emulator.counters())) {
			requests[action] = counters.accepted;
		}
	}
	return {
		label: c.label,
		trigger: c.trigger,
		after: c.after,
		messages: c.messages,
		messagesPerExecution: c.messagesPerExecution,
		parallel,
		executions: executions.length,
		failedExecutions: executions.filter((e) => e.status !== 'success').length,
		endToEndMs,
		firstStartedAt: first,
		lastStoppedAt: last,
		messagesPerSecond: (c.messages * 1000) / endToEndMs,
		executionsPerSecond: (executions.length * 1000) / endToEndMs,
		executionMedianMs: quantile(durations, 0.5),
		executionP95Ms: quantile(durations, 0.95),
		activationToLastMs: last - activatedAt,
		cpus: {
			n8nMain: cpus('n8nMain'),
			taskRunner: cpus('taskRunner'),
			broker: cpus('broker'),
			machine: cpus('machine'),
		},
		n8nCpuMsPerMessage: (after.n8nMain - before.n8nMain) / c.messages,
		...(c.trigger === 'apsaraMq' ? { requests } : {}),
	};
}

/** Messages delivered and not acknowledged, in the emulator's store. */
function inFlight(emulator: Emulator): { inFlight: number; acked: number } {
	let delivered = 0;
	let acked = 0;
	for (const message of emulator.rocketMqMessages({ topic: TRIGGER_TOPIC })) {
		const state = Object.values(message.deliveries)[0]?.state;
		if (state === 'invisible') delivered++;
		else if (state === 'acked') acked++;
	}
	return { inFlight: delivered, acked };
}

/** A fresh n8n: idle RSS while activated on an empty topic, then the peak while it works a backlog. */
async function measureMemory(
	emulator: Emulator,
	options: { backlog: number; parallel: number; seconds: number; log: (message: string) => void },
): Promise<TriggerMemoryRun> {
	const id = `benchTrigMem${options.parallel}`;
	emulator.reset({ keepKnobs: true });
	const n8n = await createN8nInstance({ packageDir: repoRoot() });
	let running: RunningN8n | undefined;
	try {
		await n8n.importCredentials([emulatorCredential(emulator.url)]);
		await n8n.importWorkflow([
			apsaraMqTriggerWorkflow(id, {
				messagesPerExecution: 1,
				maxParallelExecutions: options.parallel,
				after: 'noOp',
			}),
		]);
		running = await n8n.start();
		const session = await n8n.createOwnerAndLogin();
		await activateWorkflow(session, id);
		const rssOf = () => readProcMemory((running as RunningN8n).pid)?.rssKb ?? 0;
		// Idle: activated, long-polling an empty topic, for 10 s after 20 s to settle from the start.
		await sleep(20_000);
		let idleKb = 0;
		for (let i = 0; i < 40; i++) {
			idleKb = Math.max(idleKb, rssOf());
			await sleep(250);
		}
		for (let n = 0; n < options.backlog; n++) {
			emulator.publishRocketMq({
				instanceId: SEED.onsInstance,
				topic: TRIGGER_TOPIC,
				body: JSON.stringify({ n }),
				tag: 'bench',
			});
		}
		const began = Date.now();
		let busyKb = 0;
		let maxInFlight = 0;
		let acked = 0;
		let sample = 0;
		while (Date.now() - began < options.seconds * 1000) {
			busyKb = Math.max(busyKb, rssOf());
			// Scanning 100,000 messages costs this process some CPU: every 5 s only.
			if (sample++ % 20 === 0) {
				const state = inFlight(emulator);
				maxInFlight = Math.max(maxInFlight, state.inFlight);
				acked = state.acked;
			}
			await sleep(250);
		}
		const seconds = Math.round((Date.now() - began) / 100) / 10;
		acked = inFlight(emulator).acked;
		await deactivateWorkflow(session, id);
		return {
			label: `ApsaraMQ Trigger → No Op, Max Parallel Executions ${options.parallel}, backlog ${options.backlog}`,
			backlog: options.backlog,
			parallel: options.parallel,
			idleRssMiB: MiB(idleKb),
			busyPeakRssMiB: MiB(busyKb),
			processedMessages: acked,
			seconds,
			maxInFlight,
		};
	} finally {
		await running?.stop();
		await n8n.dispose();
	}
}
