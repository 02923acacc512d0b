/**
 * throughput.svg: messages per second per scenario, hand-written SVG (no chart library).
 * One panel per setting, each with its own linear scale; dashed lines mark the configured rate and
 * the quota.
 */
import type { BenchResults } from './report';
import { ONS_QUOTA, ONS_RATE, SEND_QUOTA, SEND_RATE } from './report';
import { num } from './stats';

interface Bar {
	label: string;
	value: number;
	color: string;
}

interface Panel {
	title: string;
	bars: Bar[];
	marks: Array<{ label: string; value: number }>;
}

const OURS = '#ff6d00';
const OURS_LIGHT = '#ffb27a';
const OTHER = '#6b7280';

const WIDTH = 900;
const LABEL_WIDTH = 300;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - 90;
const BAR_HEIGHT = 26;
const BAR_GAP = 10;
const PANEL_TOP = 46;
const PANEL_BOTTOM = 34;

export function escapeXml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}

/** A round axis maximum at or above `value`. */
export function niceMax(value: number): number {
	if (!(value > 0)) return 1;
	const power = 10 ** Math.floor(Math.log10(value));
	for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
		if (step * power >= value) return step * power;
	}
	return 10 * power;
}

function panels(results: BenchResults): Panel[] {
	const out: Panel[] = [];
	const latency = `${results.config.latencyMs} ms ± ${results.config.jitterMs} ms`;
	const t = results.throughput;
	const sendBars: Bar[] = [];
	if (t?.defaults)
		sendBars.push({
			label: 'ApsaraMQ node, defaults',
			value: t.defaults.perSecondNode,
			color: OURS,
		});
	if (t?.concurrency1) {
		sendBars.push({
			label: 'ApsaraMQ node, concurrency 1',
			value: t.concurrency1.perSecondNode,
			color: OURS_LIGHT,
		});
	}
	if (t?.sdkSerial) {
		sendBars.push({
			label: "Alibaba's SDK, serial loop",
			value: t.sdkSerial.perSecond,
			color: OTHER,
		});
	}
	if (sendBars.length > 0) {
		out.push({
			title: `Send MQTT Message, ${latency} latency, real quotas`,
			bars: sendBars,
			marks: [
				{ label: `configured ${SEND_RATE}/s`, value: SEND_RATE },
				{ label: `quota ${SEND_QUOTA}/s per IP`, value: SEND_QUOTA },
			],
		});
	}
	if (results.ons) {
		out.push({
			title: `Push ONS Message, ${latency} latency, real quota`,
			bars: [{ label: 'ApsaraMQ node, defaults', value: results.ons.perSecondNode, color: OURS }],
			marks: [
				{ label: `configured ${ONS_RATE}/s`, value: ONS_RATE },
				{ label: `quota ${ONS_QUOTA}/s`, value: ONS_QUOTA },
			],
		});
	}
	const publishBars = publishPanelBars(results);
	if (publishBars.length > 0) {
		out.push({
			title: `Publish RocketMQ Message, ${latency} latency, real quotas`,
			bars: publishBars,
			marks: [],
		});
	}
	const o = results.overhead;
	const zeroBars: Bar[] = [];
	if (o?.oursConcurrency1) {
		zeroBars.push({
			label: 'ApsaraMQ node, concurrency 1',
			value: o.oursConcurrency1.perSecondNode,
			color: OURS_LIGHT,
		});
	}
	if (o?.httpRequest) {
		zeroBars.push({
			label: 'HTTP Request node (unsigned, all at once)',
			value: o.httpRequest.perSecondNode,
			color: OTHER,
		});
	}
	if (o?.oursDefault) {
		zeroBars.push({
			label: 'ApsaraMQ node, 24 in flight',
			value: o.oursDefault.perSecondNode,
			color: OURS,
		});
	}
	if (zeroBars.length > 0) {
		out.push({
			title: '0 ms latency, no quotas, unbound rate (per-item overhead runs)',
			bars: zeroBars,
			marks: [],
		});
	}
	return out;
}

function publishPanelBars(results: BenchResults): Bar[] {
	const p = results.publish;
	const bars: Bar[] = [];
	if (p?.defaults)
		bars.push({ label: 'ApsaraMQ node, defaults', value: p.defaults.perSecondNode, color: OURS });
	if (p?.ordered) {
		bars.push({
			label: 'ApsaraMQ node, 1 sharding key / 10 rows',
			value: p.ordered.perSecondNode,
			color: OURS_LIGHT,
		});
	}
	if (p?.sdkSerial) {
		bars.push({ label: 'mq-http-sdk, serial loop', value: p.sdkSerial.perSecond, color: OTHER });
	}
	return bars;
}

export function throughputChart(results: BenchResults): string {
	const list = panels(results);
	const parts: string[] = [];
	let y = 58;
	for (const panel of list) {
		const max = niceMax(
			Math.max(...panel.bars.map((bar) => bar.value), ...panel.marks.map((mark) => mark.value)) *
				1.05,
		);
		const x = (value: number) => LABEL_WIDTH + (value / max) * PLOT_WIDTH;
		const plotHeight = panel.bars.length * (BAR_HEIGHT + BAR_GAP) - BAR_GAP;
		const top = y + PANEL_TOP;
		parts.push(`<text x="20" y="${y + 24}" class="panel">${escapeXml(panel.title)}</text>`);
		// grid and axis
		for (let i = 0; i <= 4; i++) {
			const value = (max / 4) * i;
			const gx = x(value).toFixed(1);
			parts.push(
				`<line x1="${gx}" y1="${top - 6}" x2="${gx}" y2="${top + plotHeight + 4}" class="grid"/>`,
			);
			parts.push(
				`<text x="${gx}" y="${top + plotHeight + 20}" class="tick" text-anchor="middle">${num(value, Number.isInteger(value) ? 0 : 1)}</text>`,
			);
		}
		for (const [i, mark] of panel.marks.entries()) {
			const mx = x(mark.value).toFixed(1);
			parts.push(
				`<line x1="${mx}" y1="${top - 10}" x2="${mx}" y2="${top + plotHeight + 4}" class="mark"/>`,
			);
			parts.push(
				`<text x="${mx}" y="${top - 14 - i * 12}" class="markText" text-anchor="middle">${escapeXml(mark.label)}</text>`,
			);
		}
		for (const [i, bar] of panel.bars.entries()) {
			const by = top + i * (BAR_HEIGHT + BAR_GAP);
			const width = Math.max(1, x(bar.value) - LABEL_WIDTH);
			parts.push(
				`<text x="${LABEL_WIDTH - 10}" y="${by + BAR_HEIGHT / 2 + 5}" class="label" text-anchor="end">${escapeXml(bar.label)}</text>`,
			);
			parts.push(
				`<rect x="${LABEL_WIDTH}" y="${by}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" rx="3" fill="${bar.color}"/>`,
			);
			parts.push(
				`<text x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${by + BAR_HEIGHT / 2 + 5}" class="value">${num(bar.value, bar.value < 100 ? 1 : 0)}/s</text>`,
			);
		}
		y = top + plotHeight + PANEL_BOTTOM;
	}
	const height = y + 34;
	const env = results.environment;
	const footer = `n8n ${env.n8nVersion} · Node.js ${env.n8nNodeVersion} · ${env.cpuCount} × ${env.cpuModel} · ${env.date.slice(0, 10)} · messages/s = items ÷ the node's execution time (SDK: ÷ loop time)`;
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Messages per second per benchmark scenario">`,
		'<style>',
		'text{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;fill:#1f2937}',
		'.title{font-size:18px;font-weight:600}.panel{font-size:14px;font-weight:600}',
		'.label{font-size:13px}.value{font-size:13px;font-weight:600}.tick{font-size:11px;fill:#6b7280}',
		'.markText{font-size:11px;fill:#b91c1c}.footer{font-size:11px;fill:#6b7280}',
		'.grid{stroke:#e5e7eb;stroke-width:1}.mark{stroke:#b91c1c;stroke-width:1.5;stroke-dasharray:5 4}',
		'</style>',
		`<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
		'<text x="20" y="32" class="title">ApsaraMQ node in n8n: messages per second</text>',
		...parts,
		`<text x="20" y="${height - 14}" class="footer">${escapeXml(footer)}</text>`,
		'</svg>',
		'',
	].join('\n');
}
