/**
 * Summarises a V8 `.cpuprofile` (from `BENCH_PROFILE_DIR=… npm run bench`, which runs n8n with
 * `--cpu-prof`): the functions with the most self time, and the inclusive time of every frame whose
 * function or file matches a pattern, over a time window.
 *
 *   node .tooling/test/bench/profileSummary.js <file.cpuprofile> [top=30] [pattern=apsaramq] [fromMs] [toMs]
 *
 * The window (epoch ms, e.g. the node's startTime and startTime + executionTime) limits the samples
 * counted, so n8n's start-up does not drown the node's own work.
 */
import { readFileSync, statSync } from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

export interface ProfileRow {
	name: string;
	ms: number;
	share: number;
}

export interface ProfileSummary {
	totalMs: number;
	idleMs: number;
	self: ProfileRow[];
	/** Self time grouped by package (`node_modules/<package>`, `node:` built-ins, V8's own entries). */
	byPackage: ProfileRow[];
	inclusive: ProfileRow[];
}

/** The package a frame's code belongs to. */
export function packageOf(url: string, functionName: string): string {
	if (!url) return functionName.startsWith('(') ? functionName : '(native)';
	if (url.startsWith('node:')) return 'node: built-ins';
	const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(url);
	return match ? match[1] : url;
}

function frameName(node: ProfileNode): string {
	const { functionName, url, lineNumber } = node.callFrame;
	const file = url.replace(/^.*node_modules\//, '').replace(/^file:\/\//, '');
	return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

/**
 * @param wallClockOffsetMs Date.now() at the profile's start minus its `startTime` in ms (V8's
 *   clock is monotonic); pass the offset to use an epoch window.
 */
export function summarize(
	profile: CpuProfile,
	options: {
		top?: number;
		pattern?: RegExp;
		fromMs?: number;
		toMs?: number;
		wallClockOffsetMs?: number;
	} = {},
): ProfileSummary {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const selfUs = new Map<number, number>();
	let t = profile.startTime;
	let total = 0;
	for (let i = 0; i < profile.samples.length; i++) {
		t += profile.timeDeltas[i];
		const ms = t / 1000 + (options.wallClockOffsetMs ?? 0);
		if (options.fromMs !== undefined && ms < options.fromMs) continue;
		if (options.toMs !== undefined && ms > options.toMs) continue;
		const delta = profile.timeDeltas[i + 1] ?? 0;
		selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + delta);
		total += delta;
	}
	const selfByName = new Map<string, number>();
	const selfByPackage = new Map<string, number>();
	const inclusiveByName = new Map<string, number>();
	let idle = 0;
	for (const [id, us] of selfUs) {
		const node = byId.get(id);
		if (!node) continue;
		const name = frameName(node);
		if (node.callFrame.functionName === '(idle)') idle += us;
		selfByName.set(name, (selfByName.get(name) ?? 0) + us);
		const pkg = packageOf(node.callFrame.url, node.callFrame.functionName);
		selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + us);
		// inclusive: every distinct matching frame on the stack, once per sample
		const seen = new Set<string>();
		for (let cursor: number | undefined = id; cursor !== undefined; cursor = parent.get(cursor)) {
			const frame = byId.get(cursor);
			if (!frame) break;
			const frameLabel = frameName(frame);
			if (options.pattern && !options.pattern.test(frameLabel)) continue;
			if (seen.has(frameLabel)) continue;
			seen.add(frameLabel);
			inclusiveByName.set(frameLabel, (inclusiveByName.get(frameLabel) ?? 0) + us);
		}
	}
	const rows = (map: Map<string, number>) =>
		[...map]
			.sort((a, b) => b[1] - a[1])
			.slice(0, options.top ?? 30)
			.map(([name, us]) => ({ name, ms: us / 1000, share: total > 0 ? us / total : 0 }));
	return {
		totalMs: total / 1000,
		idleMs: idle / 1000,
		self: rows(selfByName),
		byPackage: rows(selfByPackage),
		inclusive: options.pattern ? rows(inclusiveByName) : [],
	};
}

if (require.main === module) {
	const [file, top = '30', pattern = 'apsaramq', from, to] = process.argv.slice(2);
	if (!file) {
		console.error(
			'usage: profileSummary.js <file.cpuprofile> [top] [pattern] [fromEpochMs] [toEpochMs]',
		);
		process.exit(2);
	}
	const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
	// V8's startTime is in µs on a monotonic clock; the file's mtime is its end in wall time.
	const { mtimeMs } = statSync(file);
	const offset = mtimeMs - profile.endTime / 1000;
	const summary = summarize(profile, {
		top: Number(top),
		pattern: new RegExp(pattern, 'i'),
		fromMs: from ? Number(from) : undefined,
		toMs: to ? Number(to) : undefined,
		wallClockOffsetMs: offset,
	});
	const show = (rows: ProfileRow[]) =>
		rows.forEach((row) =>
			console.log(
				`${row.ms.toFixed(0).padStart(8)} ms ${(row.share * 100).toFixed(1).padStart(5)} %  ${row.name}`,
			),
		);
	console.log(
		`window: ${summary.totalMs.toFixed(0)} ms sampled, idle ${summary.idleMs.toFixed(0)} ms`,
	);
	console.log('--- self time by package');
	show(summary.byPackage);
	console.log('--- self time');
	show(summary.self);
	console.log(`--- inclusive time of frames matching /${pattern}/i`);
	show(summary.inclusive);
}
