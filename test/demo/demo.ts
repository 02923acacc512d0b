// `npm run demo`: the two example workflows, headless, against the local ApsaraMQ emulator, with a
// real MQTT subscriber connected; prints what was sent, what the subscriber received and what the
// consumers got, and a final line saying whether every demo message was delivered (exit 1 if not).
//
//   spreadsheet example (examples/spreadsheet-to-ons-push.json): `n8n execute`
//   webhook example (examples/webhook-to-mqtt.json): `n8n start`, then POST /webhook/apsaramq-demo
import { EXAMPLES, outputItems, readSimpleCsv, subscribeMqtt } from '../e2e/harness/apsaramq';
import { freePort } from '../e2e/harness/instance';
import { Cleanup, prepareEnvironment, short, type Log } from './environment';

/** The JSON bodies the demo POSTs to the webhook. */
export const WEBHOOK_BODIES: Array<Record<string, unknown>> = [
	{ device: 'sensor-1', temperature: 21.5, unit: 'C' },
	{ device: 'sensor-2', text: 'héllo 中文 😀, "quoted" & 100%' },
	{ reading: [1, 2, 3], note: 'no device field: goes to TopicA/devices/demo' },
];

export interface MqttOutcome {
	body: Record<string, unknown>;
	httpStatus?: number;
	msgId?: string;
	mqttTopic?: string;
	/** Bytes the subscriber received on the topic, identical to the body's compact JSON. */
	receivedBytes?: number;
	delivered: boolean;
	problem?: string;
}

export interface OnsOutcome {
	row: Record<string, string>;
	requestId?: string;
	/** The MsgId of the pushed copy (the emulator's ONS delivery record). */
	deliveredMsgId?: string;
	delivered: boolean;
	problem?: string;
}

export interface DemoSummary {
	ons: OnsOutcome[];
	mqtt: MqttOutcome[];
	allDelivered: boolean;
	finalLine: string;
	/** What it ran on; all stopped or deleted once runDemo returns. */
	resources: { emulatorUrl: string; n8nUserFolder: string; filesDir: string };
}

/** Runs the demo; everything it starts is stopped and deleted before it returns. */
export async function runDemo(
	options: { log?: Log; cleanup?: Cleanup } = {},
): Promise<DemoSummary> {
	const log = options.log ?? ((line: string) => console.log(line));
	const cleanup = options.cleanup ?? new Cleanup();
	try {
		const env = await prepareEnvironment(cleanup, { n8nPort: await freePort(), log });
		const { emulator, n8n } = env;

		const subscriber = await subscribeMqtt(emulator.mqttUrl, 'TopicA/devices/#');
		cleanup.add(() => subscriber.close());
		log(`MQTT subscriber connected to ${emulator.mqttUrl}, topic TopicA/devices/#`);

		// 1. The spreadsheet example, headless
		log('');
		log(`[1/2] Spreadsheet → Push ONS Message: n8n execute --id=${EXAMPLES.spreadsheet.id} …`);
		const rows = readSimpleCsv(env.csvPath);
		const run = await n8n.execute(EXAMPLES.spreadsheet.id);
		const runError = run.result?.data.resultData.error as { message?: string } | undefined;
		const pushed = outputItems(run.result, EXAMPLES.spreadsheet.pushNode);
		const onsDeliveries = emulator.onsDeliveries();
		const ons: OnsOutcome[] = rows.map((row, i) => {
			const requestId = pushed[i]?.json.requestId as string | undefined;
			const delivery = onsDeliveries.find(
				(d) => requestId !== undefined && d.requestId === requestId,
			);
			const matches =
				delivery !== undefined &&
				delivery.clientId === row.clientId &&
				delivery.groupId === row.groupId &&
				delivery.topic === row.topic &&
				delivery.sourceMsgId === row.msgId;
			return {
				row,
				requestId,
				deliveredMsgId: delivery?.msgId,
				delivered: run.exitCode === 0 && matches,
				problem:
					run.exitCode !== 0
						? `the workflow failed: ${runError?.message ?? `n8n execute exited with ${run.exitCode}`}`
						: !delivery
							? 'the emulator recorded no push for this row'
							: !matches
								? 'the emulator recorded a push to another consumer or of another message'
								: undefined,
			};
		});
		log(`      ${pushed.length} output items, exit code ${run.exitCode}`);

		// 2. The webhook example, served by a running n8n
		log('');
		log('[2/2] Webhook → Send MQTT Message: starting n8n (about 20 s) …');
		const running = await n8n.start({ timeoutMs: 180_000 });
		cleanup.add(async () => {
			await running.stop();
		});
		const webhookUrl = `${running.url}/webhook/${EXAMPLES.webhook.webhookPath}`;
		log(`      POST ${webhookUrl} (${WEBHOOK_BODIES.length} requests)`);
		const mqtt: MqttOutcome[] = [];
		for (const body of WEBHOOK_BODIES) {
			try {
				const response = await fetch(webhookUrl, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body),
				});
				const text = await response.text();
				const answer = response.ok ? (JSON.parse(text) as Record<string, unknown>) : {};
				mqtt.push({
					body,
					httpStatus: response.status,
					msgId: typeof answer.msgId === 'string' ? answer.msgId : undefined,
					mqttTopic: typeof answer.mqttTopic === 'string' ? answer.mqttTopic : undefined,
					delivered: false,
					problem: response.ok ? undefined : `HTTP ${response.status}: ${text.slice(0, 300)}`,
				});
			} catch (error) {
				mqtt.push({
					body,
					delivered: false,
					problem: `the request failed: ${(error as Error).message}`,
				});
			}
		}
		await running.stop();

		// What the subscriber got: the body's compact JSON, byte for byte, on the answered topic
		const expected = (outcome: MqttOutcome) => Buffer.from(JSON.stringify(outcome.body), 'utf8');
		const arrived = (outcome: MqttOutcome) =>
			subscriber
				.on(outcome.mqttTopic ?? '')
				.some((message) => message.payload.equals(expected(outcome)));
		await subscriber
			.waitUntil(() => mqtt.every((outcome) => !outcome.msgId || arrived(outcome)), 10_000)
			.catch(() => undefined);
		const mqttDeliveries = emulator.mqttDeliveries();
		for (const outcome of mqtt) {
			if (outcome.problem) continue;
			const delivery = mqttDeliveries.find((d) => d.msgId === outcome.msgId);
			if (!outcome.msgId) outcome.problem = 'the webhook answer carries no msgId';
			else if (!delivery) outcome.problem = 'the emulator recorded no MQTT message with this msgId';
			else if (!arrived(outcome))
				outcome.problem = 'the MQTT subscriber did not receive the payload';
			else {
				outcome.delivered = true;
				outcome.receivedBytes = expected(outcome).length;
			}
		}

		return {
			...report(ons, mqtt, log),
			resources: {
				emulatorUrl: emulator.url,
				n8nUserFolder: n8n.userFolder,
				filesDir: env.filesDir,
			},
		};
	} finally {
		await cleanup.run();
	}
}

function report(ons: OnsOutcome[], mqtt: MqttOutcome[], log: Log): Omit<DemoSummary, 'resources'> {
	const mark = (ok: boolean) => (ok ? '✔' : '✘');
	log('');
	log('════════ ApsaraMQ demo: summary ════════');
	log('');
	log(
		`Spreadsheet → Push ONS Message (examples/${EXAMPLES.spreadsheet.file}, ${ons.length} CSV rows)`,
	);
	ons.forEach((outcome, i) => {
		const { row } = outcome;
		log(
			`  ${mark(outcome.delivered)} row ${i + 1}: message ${row.msgId} (${row.topic}) → consumer ${short(row.clientId, 12)} of ${row.groupId}`,
		);
		log(
			outcome.delivered
				? `      the consumer got it as new message ${outcome.deliveredMsgId} (request ${outcome.requestId})`
				: `      NOT delivered: ${outcome.problem}`,
		);
	});
	log('');
	log(
		`Webhook → Send MQTT Message (examples/${EXAMPLES.webhook.file}, POST /webhook/${EXAMPLES.webhook.webhookPath})`,
	);
	for (const outcome of mqtt) {
		log(`  ${mark(outcome.delivered)} sent ${JSON.stringify(outcome.body)}`);
		log(
			outcome.delivered
				? `      msgId ${outcome.msgId} on ${outcome.mqttTopic}; the MQTT subscriber received ${outcome.receivedBytes} bytes, identical`
				: `      NOT delivered: ${outcome.problem}${outcome.msgId ? ` (msgId ${outcome.msgId})` : ''}`,
		);
	}
	log('');
	const onsOk = ons.filter((o) => o.delivered).length;
	const mqttOk = mqtt.filter((o) => o.delivered).length;
	const allDelivered =
		ons.length > 0 && mqtt.length > 0 && onsOk === ons.length && mqttOk === mqtt.length;
	const counts = `${mqttOk} of ${mqtt.length} MQTT messages reached the subscriber, ${onsOk} of ${ons.length} ONS pushes reached their consumers`;
	const finalLine = allDelivered
		? `✔ Every demo message was delivered: ${counts}.`
		: `✘ Not every demo message was delivered: ${counts}.`;
	log(finalLine);
	return { ons, mqtt, allDelivered, finalLine };
}

if (require.main === module) {
	const cleanup = new Cleanup();
	let stopping = false;
	const onSignal = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: stopping n8n and the emulator …`);
		void cleanup.run().then(() => process.exit(130));
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	runDemo({ cleanup }).then(
		(summary) => process.exit(summary.allDelivered ? 0 : 1),
		(error: unknown) => {
			console.error(`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}`);
			process.exit(1);
		},
	);
}
