// The ApsaraMQ Trigger in a running n8n 2.41.1 (`n8n start`): a message published with Debian's
// `mosquitto_pub` to the emulator's MQTT broker reaches an activated workflow through a
// forwarding rule (docs/trigger.md#output-items, docs/mq-http-server.md#forwarding).
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';

import { createEmulator, type Emulator } from '../emulator';
import { defaultSeed } from '../emulator/seed';
import { emulatorCredential, EXAMPLE_CREDENTIAL, locator, SEED } from './harness/apsaramq';
import {
	chainWorkflow,
	codeNode,
	createN8nInstance,
	repoRoot,
	type N8nInstance,
	type NodeSpec,
	type RestSession,
	type RunningN8n,
} from './harness';
import {
	activateWorkflow,
	deactivateWorkflow,
	executionData,
	executionsOf,
	isFinished,
} from './harness/triggerRest';
import { waitFor } from './harness/wait';

const TRIGGER_TYPE = 'n8n-nodes-apsaramq.apsaraMqTrigger';
const GROUP = 'GID_http_group';
const FORWARDED_TOPIC = 'test_topic';
const FORWARDING_RULE = {
	mqttTopic: 'devices',
	instanceId: SEED.onsInstance,
	topic: FORWARDED_TOPIC,
};
const FORWARDED_WORKFLOW = 'triggerForward001';

function trigger(topic: string, options: Record<string, unknown>): NodeSpec {
	return {
		name: 'ApsaraMQ Trigger',
		type: TRIGGER_TYPE,
		parameters: {
			instanceId: locator(SEED.onsInstance),
			topic: locator(topic),
			groupId: locator(GROUP),
			acknowledge: 'executionSucceeds',
			messagesPerExecution: 1,
			options: { parseJson: true, ...options },
		},
		credentials: { alibabaCloudAccessKeyApi: EXAMPLE_CREDENTIAL },
	};
}

/** The Code node hands the trigger's item on as one JSON text, easy to find in the stored run data. */
const asText = codeNode(
	'As Text',
	'return $input.all().map((item) => ({ json: { received: JSON.stringify(item.json) } }));',
);

function mosquittoPub(port: number, clientId: string, topic: string, message: string) {
	return new Promise<{ exitCode: number; stderr: string }>((resolve) => {
		const args = ['-h', '127.0.0.1', '-p', String(port), '-i', clientId, '-V', 'mqttv311'];
		args.push('-q', '1', '-t', topic, '-m', message);
		execFile('mosquitto_pub', args, { timeout: 20_000 }, (error, _stdout, stderr) =>
			resolve({ exitCode: error ? Number((error as { code?: number }).code ?? -1) : 0, stderr }),
		);
	});
}

describe('ApsaraMQ Trigger in n8n 2.41.1: MQTT forwarding', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;
	let running: RunningN8n;
	let session: RestSession;

	beforeAll(async () => {
		// Debian's mosquitto-clients, installed by the project's script when missing.
		execFileSync('bash', [path.join(repoRoot(), 'test/e2e/install-mosquitto-clients.sh')], {
			stdio: 'inherit',
		});
		emulator = await createEmulator({
			seed: { ...defaultSeed(), forwarding: [FORWARDING_RULE] },
			knobs: { quotas: { enabled: false } },
		});
		n8n = await createN8nInstance({ packageDir: repoRoot() });
		await n8n.importCredentials([emulatorCredential(emulator.url, EXAMPLE_CREDENTIAL)]);
		await n8n.importWorkflow([
			chainWorkflow(FORWARDED_WORKFLOW, [trigger(FORWARDED_TOPIC, {}), asText]),
		]);
		running = await n8n.start();
		session = await n8n.createOwnerAndLogin();
	});

	afterAll(async () => {
		await running?.stop();
		await n8n?.dispose();
		await emulator?.close();
	});

	const groupStates = (topic: string) =>
		emulator
			.rocketMqMessages({ topic })
			.filter((message) => message.publishTime !== undefined)
			.map((message) => ({ msgId: message.msgId, ...message.deliveries[GROUP] }));

	it("Forwarding: a message published with Debian's mosquitto_pub on a forwarded MQTT topic reaches the workflow with the documented properties", async () => {
		await activateWorkflow(session, FORWARDED_WORKFLOW);
		const clientId = 'GID_mqtt_devices@@@sensor-7';
		const published = await mosquittoPub(
			emulator.mqttPort,
			clientId,
			'devices/sensor-7/temperature',
			'{"celsius":21.5}',
		);
		expect(published).toEqual({ exitCode: 0, stderr: '' });

		const [execution] = await waitFor(
			async () => {
				const list = await executionsOf(session, FORWARDED_WORKFLOW);
				return list.length > 0 && list.every(isFinished) ? list : undefined;
			},
			{ what: 'the execution of the forwarded message', timeoutMs: 60_000, intervalMs: 500 },
		);
		await waitFor(
			() => {
				const list = groupStates(FORWARDED_TOPIC);
				return list.length === 1 && list[0].state === 'acked' ? true : undefined;
			},
			{ what: 'the forwarded message acknowledged', timeoutMs: 30_000 },
		);
		await deactivateWorkflow(session, FORWARDED_WORKFLOW);
		expect(execution.status).toBe('success');
		expect(await executionsOf(session, FORWARDED_WORKFLOW)).toHaveLength(1);

		// The stored run data is flatted JSON: an array whose strings include the Code node's text.
		const values = JSON.parse(await executionData(session, execution.id)) as unknown[];
		const text = values.find(
			(value): value is string => typeof value === 'string' && value.startsWith('{"messageId"'),
		);
		const item = JSON.parse(text ?? '{}') as Record<string, unknown>;
		const [stored] = groupStates(FORWARDED_TOPIC);
		expect(item).toEqual({
			messageId: stored.msgId,
			body: { celsius: 21.5 },
			tag: '',
			messageKey: '',
			properties: {
				qoslevel: '1',
				topic: 'devices/sensor-7/temperature',
				mqttSecondTopic: '/sensor-7/temperature',
				clientId,
				cleansessionflag: 'true',
			},
			publishTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
			firstConsumeTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
			consumedTimes: 1,
			topic: FORWARDED_TOPIC,
			instanceId: SEED.onsInstance,
			groupId: GROUP,
		});
	});
});
