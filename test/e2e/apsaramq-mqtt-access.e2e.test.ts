// MQTT tokens and device credentials in a real n8n 2.41.1, against the emulator whose broker
// refuses anonymous clients (knob mqttAuth: strict). Debian's mosquitto_sub and mqtt.js log in with
// nothing but the `connect` values the node produced:
// - the token-server example (examples/mqtt-token-server.json) under `n8n start`: the token receives
//   what the webhook example's Send MQTT Message publishes on its topic, is refused on another
//   topic, and is refused after Revoke MQTT Token;
// - the device-onboarding example (examples/mqtt-device-onboarding.json, `n8n execute`): each
//   registered device connects, and Get MQTT Client Status reports it online, then offline.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import mqtt, { type MqttClient } from 'mqtt';

import { createEmulator, type Emulator } from '../emulator';
import { until } from '../emulator/test-helpers';
import {
	EXAMPLE_CREDENTIAL,
	EXAMPLES,
	apsaraMqNode,
	emulatorCredential,
	examplesDir,
	loadExample,
	locator,
	makeFilesDir,
	outputItems,
	SEED,
} from './harness/apsaramq';
import {
	DEVICE_ONBOARDING,
	TOKEN_SERVER,
	deviceOnboardingExample,
	placeDevicesCsv,
	tokenServerExample,
} from './harness/mqttAccessExamples';
import {
	chainWorkflow,
	codeNode,
	createN8nInstance,
	repoRoot,
	webhookTrigger,
	type N8nInstance,
	type RunningN8n,
} from './harness';

const STATUS = { id: 'e2eMqttStatus001', path: 'mqtt-status' };
const REVOKE = { id: 'e2eMqttRevoke001', path: 'mqtt-revoke' };

interface Connect {
	host: string;
	port: number;
	clientId: string;
	username: string;
	password: string;
}

function mosquittoSub(connect: Connect, topic: string, seconds: number) {
	const args = ['-h', connect.host, '-p', String(connect.port), '-i', connect.clientId];
	args.push('-u', connect.username, '-P', connect.password, '-V', 'mqttv311', '-q', '1');
	args.push('-t', topic, '-C', '1', '-W', String(seconds));
	return new Promise<{ exitCode: number; stdout: string; stderr: string }>((resolve) => {
		execFile('mosquitto_sub', args, { timeout: (seconds + 5) * 1000 }, (error, stdout, stderr) =>
			resolve({
				exitCode: error ? Number((error as { code?: number }).code ?? -1) : 0,
				stdout,
				stderr,
			}),
		);
	});
}

describe('MQTT tokens and device credentials in a real n8n 2.41.1, real MQTT clients', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;
	let running: RunningN8n;
	let devices: Array<{ clientId: string; connect: Connect }> = [];
	const clients: MqttClient[] = [];

	const post = async (webhookPath: string, body: unknown) => {
		const response = await fetch(`${running.url}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: response.status, body: (await response.json()) as unknown };
	};

	beforeAll(async () => {
		// Debian's mosquitto-clients, installed by the project's script when missing.
		execFileSync('bash', [path.join(repoRoot(), 'test/e2e/install-mosquitto-clients.sh')], {
			stdio: 'inherit',
		});
		emulator = await createEmulator({ knobs: { mqttAuth: 'strict' } });
		const filesDir = makeFilesDir();
		const csvPath = placeDevicesCsv(filesDir);
		n8n = await createN8nInstance({
			packageDir: repoRoot(),
			env: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir },
		});
		await n8n.importCredentials([emulatorCredential(emulator.url, EXAMPLE_CREDENTIAL)]);

		const statusWorkflow = chainWorkflow(STATUS.id, [
			{
				...webhookTrigger(STATUS.path),
				parameters: { ...webhookTrigger(STATUS.path).parameters, responseData: 'allEntries' },
			},
			codeNode(
				'One item per client',
				'return $json.body.clientIds.map((clientId) => ({ json: { clientId } }));',
			),
			apsaraMqNode(
				'Get MQTT Client Status',
				{
					operation: 'getMqttClientStatus',
					instanceId: locator(SEED.mqttInstance),
					clientId: '={{ $json.clientId }}',
				},
				EXAMPLE_CREDENTIAL,
			),
		]);
		const revokeWorkflow = chainWorkflow(REVOKE.id, [
			webhookTrigger(REVOKE.path),
			apsaraMqNode(
				'Revoke MQTT Token',
				{
					operation: 'revokeMqttToken',
					instanceId: locator(SEED.mqttInstance),
					token: '={{ $json.body.token }}',
				},
				EXAMPLE_CREDENTIAL,
			),
		]);
		await n8n.importWorkflow([
			tokenServerExample(emulator.mqttPort),
			loadExample(EXAMPLES.webhook.file),
			deviceOnboardingExample(emulator.mqttPort, csvPath),
			statusWorkflow,
			revokeWorkflow,
		]);

		// Device onboarding runs first, with `n8n execute`; the emulator keeps the credentials.
		const run = await n8n.execute(DEVICE_ONBOARDING.id);
		expect(run.exitCode).toBe(0);
		devices = outputItems(run.result, DEVICE_ONBOARDING.registerNode).map(({ json }) => ({
			clientId: json.clientId as string,
			connect: json.connect as Connect,
		}));

		for (const id of [TOKEN_SERVER.id, EXAMPLES.webhook.id, STATUS.id, REVOKE.id]) {
			await n8n.publishWorkflow(id);
		}
		running = await n8n.start();
	});

	afterAll(async () => {
		await Promise.all(clients.map((client) => client.endAsync(true)));
		await running?.stop();
		await n8n?.dispose();
		await emulator?.close();
	});

	it('the token server hands out a login that mosquitto_sub and mqtt.js use on the token topic only, until it is revoked', async () => {
		const answer = await post(TOKEN_SERVER.webhookPath, { device: 'app-7' });
		expect(answer.status).toBe(200);
		const token = answer.body as { token: string; connect: Connect; resources: string[] };
		expect(token.resources).toEqual(['TopicA/devices/app-7/#']);
		expect(token.connect).toMatchObject({
			host: '127.0.0.1',
			port: emulator.mqttPort,
			clientId: 'GID_mqtt_devices@@@app-7',
			username: `Token|${SEED.key.accessKeyId}|${SEED.mqttInstance}`,
		});
		expect(JSON.stringify(answer.body)).not.toContain(SEED.key.accessKeySecret);

		// mosquitto_sub on the allowed topic receives what the webhook example publishes there, once
		// its subscription is in place (a QoS 1 message is not kept for later subscribers).
		const subscribedOnBroker = new Promise<void>((resolve) =>
			emulator.broker?.on('subscribe', (_subscriptions, client) => {
				if (client.id === token.connect.clientId) resolve();
			}),
		);
		const subscribed = mosquittoSub(token.connect, 'TopicA/devices/app-7/#', 20);
		const app = await mqtt.connectAsync({
			...token.connect,
			clientId: 'GID_mqtt_devices@@@app-7-js',
			reconnectPeriod: 0,
		});
		clients.push(app);
		await app.subscribeAsync('TopicA/devices/app-7/#', { qos: 1 });
		const jsReceived = new Promise<string>((resolve) =>
			app.once('message', (_t, p) => resolve(p.toString())),
		);
		await subscribedOnBroker;
		const sent = await post(EXAMPLES.webhook.webhookPath, { device: 'app-7', light: 'on' });
		expect(sent.status).toBe(200);
		const received = await subscribed;
		expect(received).toMatchObject({ exitCode: 0, stdout: '{"device":"app-7","light":"on"}\n' });
		await expect(jsReceived).resolves.toBe('{"device":"app-7","light":"on"}');

		const outside = await mosquittoSub(token.connect, 'TopicB/#', 5);
		expect(outside.stderr).toContain('All subscription requests were denied.');
		await expect(app.subscribeAsync('TopicB/#', { qos: 1 })).rejects.toThrow(/Subscribe error/);

		const revoked = await post(REVOKE.path, { token: token.token });
		expect(revoked).toMatchObject({ status: 200, body: { revoked: true } });
		const after = await mosquittoSub(token.connect, 'TopicA/devices/app-7/#', 5);
		expect(after.exitCode).not.toBe(0);
		expect(after.stderr).toContain('Connection Refused: bad user name or password');
		await expect(mqtt.connectAsync({ ...token.connect, reconnectPeriod: 0 })).rejects.toThrow(
			/Bad username or password/,
		);
	});

	it('the onboarded devices log in with their connect object, online while connected and offline after', async () => {
		const csv = readFileSync(path.join(examplesDir(), DEVICE_ONBOARDING.csv), 'utf8')
			.trim()
			.split('\n')
			.slice(1);
		expect(devices.map((d) => d.clientId)).toEqual(csv);
		const connected = await Promise.all(
			devices.map(
				async ({ connect }) => await mqtt.connectAsync({ ...connect, reconnectPeriod: 0 }),
			),
		);
		const clientIds = [...csv, 'GID_mqtt_devices@@@never-registered'];
		const online = await post(STATUS.path, { clientIds });
		expect(online.status).toBe(200);
		expect(
			(online.body as Array<{ clientId: string; online: boolean }>).map((s) => [
				s.clientId,
				s.online,
			]),
		).toEqual(clientIds.map((id, i) => [id, i < csv.length]));
		expect(emulator.calls({ action: 'BatchQuerySessionByClientIds' })).toHaveLength(1);

		await Promise.all(connected.map(async (client) => await client.endAsync()));
		// The broker ends each session once it has read the DISCONNECT.
		await until(() => csv.every((id) => !emulator.mqttAccess.isOnline(SEED.mqttInstance, id)));
		const offline = await post(STATUS.path, { clientIds: csv });
		expect((offline.body as Array<{ online: boolean }>).map((s) => s.online)).toEqual(
			csv.map(() => false),
		);
	});
});
