import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Memory figures of one process, from `/proc/<pid>/status`, in KiB. */
export interface ProcMemory {
	pid: number;
	/** Current resident set size (VmRSS). */
	rssKb: number;
	/** Peak resident set size so far (VmHWM), kept by the kernel, so no peak between polls is lost. */
	hwmKb: number;
	/** The command line, for telling n8n's main process from its task runner. */
	cmdline: string;
}

/** `/proc/<pid>/status` memory of one process, or undefined when it is gone. Linux only. */
export function readProcMemory(pid: number): ProcMemory | undefined {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const field = (name: string) => {
			const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
			return match ? Number(match[1]) : 0;
		};
		const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
		return { pid, rssKb: field('VmRSS'), hwmKb: field('VmHWM'), cmdline };
	} catch {
		return undefined;
	}
}

/** The process ids of `rootPid` and all its descendants (by scanning `/proc/<pid>/stat`). */
export function processTree(rootPid: number): number[] {
	const parentOf = new Map<number, number>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(path.join('/proc', entry, 'stat'), 'utf8');
			// pid (comm) state ppid ...; comm may hold spaces and parentheses: split after the last ')'.
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			parentOf.set(Number(entry), ppid);
		} catch {
			// the process ended while we were reading
		}
	}
	const tree = [rootPid];
	for (let i = 0; i < tree.length; i++) {
		for (const [pid, ppid] of parentOf) if (ppid === tree[i]) tree.push(pid);
	}
	return tree;
}

/** What `RssMonitor.stop()` reports, in KiB. */
export interface PeakRss {
	/** VmHWM of the root process at the last poll: its own peak resident memory. */
	rootPeakKb: number;
	/** The largest sum of VmRSS over the whole tree seen at one poll. */
	treePeakKb: number;
	/** Per process of the tree (root first): the largest VmHWM seen. */
	processes: Array<{ pid: number; peakKb: number; cmdline: string }>;
	samples: number;
}

/**
 * Polls the memory of a process and its descendants (n8n's main process and its task runner) until
 * stopped. Polls every `intervalMs` (default 25); VmHWM makes the per-process peaks exact up to the
 * last poll before the process exits, while the tree sum is a sampled figure.
 */
export class RssMonitor {
	private readonly peaks = new Map<number, { peakKb: number; cmdline: string }>();
	private treePeakKb = 0;
	private samples = 0;
	private readonly timer: NodeJS.Timeout;

	constructor(
		readonly rootPid: number,
		intervalMs = 25,
	) {
		this.poll();
		this.timer = setInterval(() => this.poll(), intervalMs);
	}

	poll(): void {
		let sum = 0;
		for (const pid of processTree(this.rootPid)) {
			const mem = readProcMemory(pid);
			if (!mem) continue;
			sum += mem.rssKb;
			const seen = this.peaks.get(pid);
			if (!seen || mem.hwmKb > seen.peakKb) {
				this.peaks.set(pid, { peakKb: mem.hwmKb, cmdline: seen?.cmdline || mem.cmdline });
			}
		}
		this.samples++;
		if (sum > this.treePeakKb) this.treePeakKb = sum;
	}

	stop(): PeakRss {
		clearInterval(this.timer);
		const processes = [...this.peaks].map(([pid, { peakKb, cmdline }]) => ({
			pid,
			peakKb,
			cmdline,
		}));
		return {
			rootPeakKb: this.peaks.get(this.rootPid)?.peakKb ?? 0,
			treePeakKb: this.treePeakKb,
			processes,
			samples: this.samples,
		};
	}
}

/** Starts polling `pid` and its descendants; call the returned function to stop and get the peaks. */
export function measurePeakRss(pid: number, intervalMs?: number): () => PeakRss {
	const monitor = new RssMonitor(pid, intervalMs);
	return () => monitor.stop();
}
