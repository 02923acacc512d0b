/**
 * One measured `n8n execute` of a benchmark workflow: the node's own figures from n8n's run data,
 * the whole process's wall time, the CPU time of n8n's main process while the node ran, what the
 * emulator saw, and (optionally) memory.
 */
import type { Emulator } from '../emulator';
import type { N8nInstance } from '../e2e/harness';
import { cpuBetween, executeWorkflow, nodeRun } from './n8nRunner';
import { maxInWindow } from './stats';
import { UNDER_TEST } from './workflows';

export interface EmulatorFigures {
	/** The API the node called, or `sink` for the HTTP Request node. */
	action: string;
	/** Requests processed (answered 200). */
	accepted: number;
	/** Requests refused by a quota (retried by the node when it is ours). */
	throttled: number;
	/** Other refusals, by code. */
	rejected: Record<string, number>;
	/**
	 * From the node's start to the first / last processed request (ms). Before the first request
	 * our node checks every item (`prepare`, expressions included) unless "On Error: Continue".
	 */
	firstRequestAfterMs?: number;
	lastRequestAfterMs?: number;
	/** CPU ms of n8n's main process from the node's start to the first request. */
	cpuBeforeFirstRequestMs?: number;
	/** Processed requests per second between the first and the last one. */
	sustainedPerSecond?: number;
	/** Most processed requests in any one-second window (the quotas are per second). */
	peakPerSecond?: number;
	/** CPU of the emulator's process (the benchmark runner) per request, µs. */
	serverCpuUsPerRequest: number;
}

export interface RunFigures {
	label: string;
	workflowId: string;
	items: number;
	exitCode: number | null;
	/** `n8n execute`, spawn to exit: start-up, the Code node, the node, printing, shut-down. */
	wallMs: number;
	/** The node's own `startTime` (epoch ms) and `executionTime` from the run data. */
	nodeStartTime: number;
	nodeExecutionMs: number;
	nodeStatus: string;
	nodeError?: string;
	outputItems: number;
	/** Output items carrying an `error` (continue-on-fail) plus 1 if the node itself failed. */
	errorsSurfaced: number;
	/** Output items that needed more than one attempt (`attempts` > 1). */
	retriedItems: number;
	/** items ÷ node execution time */
	perSecondNode: number;
	/** items ÷ `n8n execute` wall time */
	perSecondWall: number;
	/** node execution time ÷ items */
	msPerItem: number;
	/** CPU time of n8n's main process during the node's execution, per item (ms). */
	cpuMsPerItem: number;
	/**
	 * Other work on the machine while the node ran, in CPUs (1 = one core fully busy): machine
	 * busy time minus n8n's main process minus this runner (the emulator), over the node's
	 * window. n8n's task runner is idle then. A shared machine shows up here.
	 */
	otherCpus: number;
	/** n8n's main process during the node's window, in CPUs. */
	mainCpus: number;
	/** The same, all threads of the main process, over the whole `n8n execute` (ms). */
	mainCpuMsTotal?: number;
	/** Peak RSS of n8n's main process (exact, getrusage at exit), KiB; recorded for every run. */
	mainMaxRssKb?: number;
	/** Largest JS heap in use right after a major GC in the main process (KiB), and how many ran. */
	mainMaxLiveHeapKb?: number;
	mainMajorGcs?: number;
	emulator: EmulatorFigures;
	rss?: { mainMaxRssKb?: number; rootPeakKb: number; treePeakKb: number };
}

export async function measureRun(
	n8n: N8nInstance,
	emulator: Emulator,
	spec: {
		label: string;
		workflowId: string;
		items: number;
		action: string;
		timeoutMs: number;
		measureRss?: boolean;
		cpuProfileDir?: string;
		nodeOptions?: string[];
	},
): Promise<RunFigures> {
	emulator.reset({ keepKnobs: true });
	const cpuBefore = process.cpuUsage();
	const run = await executeWorkflow(n8n, spec.workflowId, {
		timeoutMs: spec.timeoutMs,
		measureRss: spec.measureRss,
		cpuProfileDir: spec.cpuProfileDir,
		nodeOptions: spec.nodeOptions,
	});
	const serverCpu = process.cpuUsage(cpuBefore);
	const node = nodeRun(run, UNDER_TEST);
	const output = node.data?.main[0] ?? [];
	const itemErrors = output.filter((item) => item.json.error !== undefined).length;
	const nodeFailed = node.error !== undefined || node.executionStatus === 'error';
	const retried = output.filter((item) => Number(item.json.attempts ?? 1) > 1).length;
	const start = node.startTime;
	const end = node.startTime + node.executionTime;

	const counters = emulator.counters()[spec.action] ?? {
		accepted: 0,
		throttled: 0,
		rejected: {},
	};
	const requests = counters.accepted + counters.throttled + sum(counters.rejected);
	const figures: EmulatorFigures = {
		action: spec.action,
		accepted: counters.accepted,
		throttled: counters.throttled,
		rejected: { ...counters.rejected },
		serverCpuUsPerRequest: requests > 0 ? (serverCpu.user + serverCpu.system) / requests : 0,
	};
	if (spec.action !== 'sink') {
		const times = emulator
			.calls({ action: spec.action })
			.filter((call) => call.processed)
			.map((call) => Date.parse(call.time))
			.sort((a, b) => a - b);
		if (times.length > 0) {
			const first = times[0];
			const last = times[times.length - 1];
			figures.firstRequestAfterMs = first - start;
			figures.cpuBeforeFirstRequestMs = cpuBetween(run.cpuSamples, start, first);
			figures.lastRequestAfterMs = last - start;
			figures.sustainedPerSecond =
				last > first ? ((times.length - 1) * 1000) / (last - first) : undefined;
			figures.peakPerSecond = maxInWindow(times, 1000);
		}
	}
	return {
		label: spec.label,
		workflowId: spec.workflowId,
		items: spec.items,
		exitCode: run.exitCode,
		wallMs: run.durationMs,
		nodeStartTime: node.startTime,
		nodeExecutionMs: node.executionTime,
		nodeStatus: node.executionStatus ?? 'unknown',
		nodeError: nodeFailed ? describeError(node.error) : undefined,
		outputItems: output.length,
		errorsSurfaced: itemErrors + (nodeFailed ? 1 : 0),
		retriedItems: retried,
		perSecondNode: (spec.items * 1000) / node.executionTime,
		perSecondWall: (spec.items * 1000) / run.durationMs,
		msPerItem: node.executionTime / spec.items,
		cpuMsPerItem: cpuBetween(run.cpuSamples, start, end) / spec.items,
		mainCpus: cpuBetween(run.cpuSamples, start, end) / Math.max(1, end - start),
		otherCpus:
			(cpuBetween(run.machineSamples, start, end) -
				cpuBetween(run.cpuSamples, start, end) -
				cpuBetween(run.runnerSamples, start, end)) /
			Math.max(1, end - start),
		mainCpuMsTotal: run.mainCpuMs,
		mainMaxRssKb: run.mainMaxRssKb,
		mainMaxLiveHeapKb: run.mainMaxLiveHeapKb,
		mainMajorGcs: run.mainMajorGcs,
		emulator: figures,
		rss: run.rss
			? {
					mainMaxRssKb: run.rss.mainMaxRssKb,
					rootPeakKb: run.rss.rootPeakKb,
					treePeakKb: run.rss.treePeakKb,
				}
			: undefined,
	};
}

function sum(record: Record<string, number>): number {
	return Object.values(record).reduce((total, value) => total + value, 0);
}

function describeError(error: unknown): string {
	if (!error || typeof error !== 'object') return 'the node failed';
	const { message, description } = error as { message?: string; description?: string };
	return [message, description].filter(Boolean).join(' — ') || 'the node failed';
}
