/**
 * The benchmark's own helpers (no figures are asserted here: the targets are printed by
 * `npm run bench`, never tested).
 */
import { escapeXml, niceMax, throughputChart } from './chart';
import { cpuBetween } from './n8nRunner';
import type { RunFigures } from './measure';
import type { BenchResults } from './report';
import { packageOf } from './profileSummary';
import { maxInWindow, median, percentile } from './stats';

function figures(label: string, perSecondNode: number): RunFigures {
	return {
		label,
		workflowId: 'wf',
		items: 100,
		exitCode: 0,
		wallMs: 1000,
		nodeStartTime: 0,
		nodeExecutionMs: 500,
		nodeStatus: 'success',
		outputItems: 100,
		errorsSurfaced: 0,
		retriedItems: 0,
		perSecondNode,
		perSecondWall: 100,
		msPerItem: 5,
		cpuMsPerItem: 1,
		mainCpus: 0.5,
		otherCpus: 0,
		emulator: {
			action: 'SendMessage',
			accepted: 100,
			throttled: 0,
			rejected: {},
			serverCpuUsPerRequest: 1,
		},
	};
}

describe('bench helpers', () => {
	it('statistics', () => {
		expect(median([3, 1, 2])).toBe(2);
		expect(median([4, 1, 2, 3])).toBe(2.5);
		expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
		expect(maxInWindow([0, 100, 999, 1000, 1001, 1500], 1000)).toBe(4);
		expect(maxInWindow([], 1000)).toBe(0);
	});

	it('CPU between two instants, interpolated between samples', () => {
		const samples: Array<[number, number]> = [
			[1000, 0],
			[1020, 10],
			[1040, 10],
			[1060, 30],
		];
		expect(cpuBetween(samples, 1010, 1050)).toBeCloseTo(15);
		expect(cpuBetween(samples, 0, 5000)).toBe(30);
	});

	it('profile frames are grouped by package', () => {
		expect(packageOf('file:///x/node_modules/a/node_modules/@n8n/typeorm/dist/q.js', 'f')).toBe(
			'@n8n/typeorm',
		);
		expect(packageOf('/tmp/u/.n8n/nodes/node_modules/n8n-nodes-apsaramq/dist/x.js', 'f')).toBe(
			'n8n-nodes-apsaramq',
		);
		expect(packageOf('node:net', 'connect')).toBe('node: built-ins');
		expect(packageOf('', '(garbage collector)')).toBe('(garbage collector)');
	});

	it('chart scale and escaping', () => {
		expect(niceMax(263)).toBe(300);
		expect(niceMax(8.4)).toBe(10);
		expect(niceMax(0)).toBe(1);
		expect(escapeXml(`a<b & "c">`)).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
	});

	it('draws one bar per measured scenario, in a well-formed SVG', () => {
		const results = {
			config: { latencyMs: 30, jitterMs: 10 },
			environment: {
				n8nVersion: '2.41.1',
				n8nNodeVersion: 'v24',
				cpuCount: 2,
				cpuModel: 'CPU <x>',
				date: '2026-01-01T00:00:00Z',
			},
			throughput: { defaults: figures('d', 240), concurrency1: figures('c', 30) },
			ons: figures('o', 8),
			overhead: { httpRequest: figures('h', 900) },
		} as unknown as BenchResults;
		const svg = throughputChart(results);
		expect(svg.startsWith('<svg ')).toBe(true);
		expect(svg.match(/<rect /g)).toHaveLength(1 + 4);
		expect(svg).toContain('CPU &lt;x&gt;');
		expect(svg).toContain('240/s');
		const opened = (svg.match(/<(svg|text|style)[\s>]/g) ?? []).length;
		const closed = (svg.match(/<\/(svg|text|style)>/g) ?? []).length;
		expect(opened).toBe(closed);
	});
});
