/**
 * `n8n execute --id=<id> --rawOutput` in an instance of the e2e harness, like
 * `N8nInstance.execute`, but with the process id in hand while it runs, so that the benchmark can
 * sample the CPU time of n8n's main process (from /proc, every 20 ms, without touching the
 * process) and line it up with the node's own start and execution time from the run data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
	parseRawOutput,
	RssMonitor,
	type ExecutionResult,
	type N8nInstance,
	type NodeRun,
	type PeakRss,
} from '../e2e/harness';

/** Clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`; 100 on Linux x86-64). */
const CLK_TCK = 100;
const CPU_SAMPLE_MS = 20;

export interface ExecuteRun {
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	/** Wall time of the whole `n8n execute` process, spawn to exit. */
	durationMs: number;
	stdout: string;
	stderr: string;
	result: ExecutionResult | undefined;
	/** `[Date.now(), CPU ms of n8n's main process so far]`, every 20 ms. */
	cpuSamples: Array<[number, number]>;
	/**
	 * `[Date.now(), busy CPU ms of the whole machine so far]` (/proc/stat) and
	 * `[Date.now(), CPU ms of this runner process so far]` (the emulator), at the same instants:
	 * what is left after n8n and the emulator is other work on the machine.
	 */
	machineSamples: Array<[number, number]>;
	runnerSamples: Array<[number, number]>;
	/** CPU ms of the main process over its whole life (`process.cpuUsage()` at exit). */
	mainCpuMs?: number;
	/** The exact peak RSS of the main process (`process.resourceUsage().maxRSS` at exit), KiB. */
	mainMaxRssKb?: number;
	/** The main process's largest JS heap in use right after a major GC, KiB, and the number of major GCs. */
	mainMaxLiveHeapKb?: number;
	mainMajorGcs?: number;
	/** With `measureRss`: the harness's polled peaks plus the exact `maxRSS` of the main process. */
	rss?: PeakRss & { mainMaxRssKb?: number };
}

const running = new Set<ChildProcess>();

/** Kills every n8n this module started and has not seen exit (on Ctrl-C). */
export function killAll(): void {
	for (const child of running) killGroup(child, 'SIGKILL');
	running.clear();
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (!child.pid) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

/** Busy CPU time of the whole machine (all CPUs, idle and iowait excluded), ms. */
export function readMachineBusyMs(): number | undefined {
	try {
		const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
		const [user, nice, system, , , irq, softirq, steal] = line
			.trim()
			.split(/\s+/)
			.slice(1)
			.map(Number);
		return ((user + nice + system + irq + softirq + steal) * 1000) / CLK_TCK;
	} catch {
		return undefined;
	}
}

export function readCpuMs(pid: number): number | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// pid (comm) state ppid … : utime and stime are fields 14 and 15 (1-based)
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
	} catch {
		return undefined;
	}
}

/**
 * A `--require` probe in n8n's processes: at exit it records the exact peak RSS and the CPU time,
 * and, from a `gc` PerformanceObserver, the largest JS heap in use right after a major GC (what
 * the heap really held, as opposed to garbage waiting for the next collection) and how many major
 * GCs ran.
 */
function probeFile(n8n: N8nInstance): string {
	const file = path.join(n8n.userFolder, 'bench-probe.cjs');
	if (!existsSync(file)) {
		writeFileSync(
			file,
			`const { PerformanceObserver, constants } = require('perf_hooks');
const v8 = require('v8');
let maxLiveHeap = 0;
let majorGcs = 0;
try {
	new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) {
			if (entry.detail && entry.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
				majorGcs++;
				maxLiveHeap = Math.max(maxLiveHeap, v8.getHeapStatistics().used_heap_size);
			}
		}
	}).observe({ entryTypes: ['gc'] });
} catch {}
process.on('exit', () => {
	try {
		const cpu = process.cpuUsage();
		require('fs').appendFileSync(process.env.APSARAMQ_BENCH_PROBE_FILE, JSON.stringify({
			pid: process.pid, maxRssKb: process.resourceUsage().maxRSS, cpuMs: (cpu.user + cpu.system) / 1000,
			maxLiveHeapKb: Math.round(maxLiveHeap / 1024), majorGcs,
		}) + '\\n');
	} catch {}
});
`,
		);
	}
	return file;
}

export async function executeWorkflow(
	n8n: N8nInstance,
	workflowId: string,
	options: {
		timeoutMs: number;
		measureRss?: boolean;
		cpuProfileDir?: string;
		/** More `NODE_OPTIONS` for n8n's processes, e.g. `--max-old-space-size=512`. */
		nodeOptions?: string[];
	},
): Promise<ExecuteRun> {
	const probeOut = path.join(n8n.userFolder, `probe-${randomUUID()}.jsonl`);
	const nodeOptions = [`--require=${probeFile(n8n)}`, ...(options.nodeOptions ?? [])];
	if (options.cpuProfileDir) {
		nodeOptions.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
	}
	const env: NodeJS.ProcessEnv = {
		...n8n.env,
		APSARAMQ_BENCH_PROBE_FILE: probeOut,
		NODE_OPTIONS: nodeOptions.join(' '),
	};
	// stdout goes to a file: `n8n execute` prints the run data and then calls process.exit(),
	// which cuts off what is still queued for a pipe (seen with 100,000 items); a file is written
	// synchronously, so the JSON arrives whole.
	const stdoutFile = path.join(n8n.userFolder, `stdout-${randomUUID()}.txt`);
	const stdoutFd = openSync(stdoutFile, 'w');
	const started = Date.now();
	let child: ChildProcess;
	try {
		child = spawn(
			n8n.install.nodeBin,
			[n8n.install.n8nBin, 'execute', `--id=${workflowId}`, '--rawOutput'],
			{ cwd: n8n.userFolder, env, detached: true, stdio: ['ignore', stdoutFd, 'pipe'] },
		);
	} finally {
		closeSync(stdoutFd);
	}
	running.add(child);
	const pid = child.pid ?? -1;
	const cpuSamples: Array<[number, number]> = [];
	const machineSamples: Array<[number, number]> = [];
	const runnerSamples: Array<[number, number]> = [];
	const sample = () => {
		const now = Date.now();
		const cpu = readCpuMs(pid);
		if (cpu !== undefined) cpuSamples.push([now, cpu]);
		const machine = readMachineBusyMs();
		if (machine !== undefined) machineSamples.push([now, machine]);
		const runner = process.cpuUsage();
		runnerSamples.push([now, (runner.user + runner.system) / 1000]);
	};
	sample();
	const sampler = setInterval(sample, CPU_SAMPLE_MS);
	const monitor = options.measureRss && pid > 0 ? new RssMonitor(pid) : undefined;
	const err: Buffer[] = [];
	child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), options.timeoutMs);
	try {
		const { exitCode, signal } = await new Promise<{
			exitCode: number | null;
			signal: NodeJS.Signals | null;
		}>((resolve, reject) => {
			child.on('error', reject);
			child.on('close', (code, sig) => resolve({ exitCode: code, signal: sig }));
		});
		const durationMs = Date.now() - started;
		clearInterval(sampler);
		const peaks = monitor?.stop();
		const stdout = readFileSync(stdoutFile, 'utf8');
		rmSync(stdoutFile, { force: true });
		let result: ExecutionResult | undefined;
		try {
			result = parseRawOutput(stdout);
		} catch {
			result = undefined;
		}
		const probe = readProbe(probeOut, pid);
		return {
			exitCode,
			signal,
			durationMs,
			stdout: stdout.length > 200_000 ? `…${stdout.slice(-200_000)}` : stdout,
			stderr: Buffer.concat(err).toString('utf8'),
			result,
			cpuSamples,
			machineSamples,
			runnerSamples,
			mainCpuMs: probe?.cpuMs,
			mainMaxRssKb: probe?.maxRssKb,
			mainMaxLiveHeapKb: probe?.maxLiveHeapKb,
			mainMajorGcs: probe?.majorGcs,
			rss: peaks ? { ...peaks, mainMaxRssKb: probe?.maxRssKb } : undefined,
		};
	} finally {
		clearTimeout(timer);
		clearInterval(sampler);
		monitor?.stop();
		running.delete(child);
	}
}

interface ProbeEntry {
	pid: number;
	maxRssKb: number;
	cpuMs: number;
	maxLiveHeapKb: number;
	majorGcs: number;
}

function readProbe(file: string, pid: number): ProbeEntry | undefined {
	if (!existsSync(file)) return undefined;
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		if (!line) continue;
		const entry = JSON.parse(line) as ProbeEntry;
		if (entry.pid === pid) return entry;
	}
	return undefined;
}

/** CPU ms the main process spent between two wall-clock instants (linear between samples). */
export function cpuBetween(samples: Array<[number, number]>, from: number, to: number): number {
	return cpuAt(samples, to) - cpuAt(samples, from);
}

function cpuAt(samples: Array<[number, number]>, t: number): number {
	if (samples.length === 0) return 0;
	if (t <= samples[0][0]) return samples[0][1];
	for (let i = 1; i < samples.length; i++) {
		const [t1, c1] = samples[i];
		if (t <= t1) {
			const [t0, c0] = samples[i - 1];
			return t1 === t0 ? c1 : c0 + ((c1 - c0) * (t - t0)) / (t1 - t0);
		}
	}
	return samples[samples.length - 1][1];
}

/** The first run of a node, or a readable error. */
export function nodeRun(run: ExecuteRun, nodeName: string): NodeRun {
	const nodeRunData = run.result?.data.resultData.runData[nodeName]?.[0];
	if (!nodeRunData) {
		throw new Error(
			`n8n execute (exit ${run.exitCode ?? run.signal}) has no run data for "${nodeName}"\n--- stdout tail\n${run.stdout.slice(-3000)}\n--- stderr tail\n${run.stderr.slice(-3000)}`,
		);
	}
	return nodeRunData;
}
