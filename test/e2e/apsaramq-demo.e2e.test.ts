// `npm run demo` end to end: runs the demo's main function (test/demo/demo.ts: emulator, n8n 2.41.1,
// both example workflows headless, an MQTT subscriber) and checks that its summary says every demo
// message was delivered, and that it cleaned up after itself.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { runDemo, WEBHOOK_BODIES } from '../demo/demo';
import { examplesDir, EXAMPLES, readSimpleCsv } from './harness/apsaramq';

describe('npm run demo', () => {
	it('runs both example workflows and reports every demo message delivered', async () => {
		const lines: string[] = [];
		const summary = await runDemo({ log: (line) => lines.push(line) });
		const printed = lines.join('\n');

		const rows = readSimpleCsv(path.join(examplesDir(), EXAMPLES.spreadsheet.csv));
		expect(summary.ons).toHaveLength(rows.length);
		expect(summary.mqtt).toHaveLength(WEBHOOK_BODIES.length);
		expect(summary.ons.filter((o) => !o.delivered)).toEqual([]);
		expect(summary.mqtt.filter((o) => !o.delivered)).toEqual([]);
		for (const outcome of summary.mqtt) {
			expect(outcome.msgId).toMatch(/^[0-9A-F]{32}$/);
			expect(printed).toContain(outcome.msgId);
			expect(outcome.receivedBytes).toBe(Buffer.byteLength(JSON.stringify(outcome.body)));
		}
		expect(summary.mqtt.map((o) => o.mqttTopic)).toEqual([
			'TopicA/devices/sensor-1',
			'TopicA/devices/sensor-2',
			'TopicA/devices/demo',
		]);
		for (const outcome of summary.ons) expect(printed).toContain(String(outcome.deliveredMsgId));

		expect(summary.allDelivered).toBe(true);
		expect(lines.at(-1)).toBe(summary.finalLine);
		expect(summary.finalLine).toBe(
			`✔ Every demo message was delivered: ${WEBHOOK_BODIES.length} of ${WEBHOOK_BODIES.length} MQTT messages reached the subscriber, ${rows.length} of ${rows.length} ONS pushes reached their consumers.`,
		);

		// everything it started is stopped, everything it created is gone
		expect(existsSync(summary.resources.n8nUserFolder)).toBe(false);
		expect(existsSync(summary.resources.filesDir)).toBe(false);
		await expect(fetch(`${summary.resources.emulatorUrl}/__emulator/counters`)).rejects.toThrow();
	});
});
