/**
 * The MQTT token, status and device operations against the emulator, with mqtt.js logging in to
 * its broker (strict mode: no anonymous client) with nothing but the `connect` output of the node.
 */
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { systemClock } from '../../nodes/ApsaraMq/transport/clock';
import type { Emulator } from '../emulator';
import { createEmulator } from '../emulator';
import { until } from '../emulator/test-helpers';
import { emulatorCredentials, n8nLikeTransport } from './emulatorTransport';
import { id, run } from './fakeContext';

const INSTANCE = 'post-cn-0pp12gl0001';
const SECRET = 'testsecret';

let emulator: Emulator;
const clients: MqttClient[] = [];
/** Every output item of every run here, to check that the AccessKey secret is in none. */
const everyOutput: INodeExecutionData[] = [];

beforeAll(async () => {
	emulator = await createEmulator({ knobs: { mqttAuth: 'strict' } });
});
afterEach(async () => {
	await Promise.all(clients.splice(0).map((client) => client.endAsync(true)));
	emulator.reset({ keepKnobs: true });
});
afterAll(async () => {
	expect(everyOutput.length).toBeGreaterThan(0);
	expect(JSON.stringify(everyOutput)).not.toContain(SECRET);
	await emulator.close();
});

async function runNode(
	parameters: IDataObject,
	extra: { items?: INodeExecutionData[]; continueOnFail?: boolean } = {},
) {
	const { transport, close } = n8nLikeTransport();
	try {
		const result = await run({
			parameters: {
				instanceId: id(INSTANCE),
				options: {},
				'options.connectHost': '127.0.0.1',
				'options.connectPort': emulator.mqttPort,
				...parameters,
			},
			transport,
			credentials: emulatorCredentials(emulator.url),
			clock: systemClock,
			...extra,
		});
		everyOutput.push(...result.output);
		return result;
	} finally {
		await close();
	}
}

/** Connects exactly as a device given the connect object would. */
async function connectWith(connect: IDataObject, clientId?: string): Promise<MqttClient> {
	const client = await mqtt.connectAsync({
		host: connect.host as string,
		port: connect.port as number,
		clientId: (connect.clientId as string | undefined) ?? clientId,
		username: connect.username as string,
		password: connect.password as string,
		reconnectPeriod: 0,
	});
	clients.push(client);
	return client;
}

const closed = (client: MqttClient) =>
	new Promise<void>((resolve) => client.once('close', () => resolve()));

describe('Apply MQTT Token and Revoke MQTT Token', () => {
	it('gives an app a login that receives on its topics only, until the token is revoked', async () => {
		const applied = await runNode({
			operation: 'applyMqttToken',
			resources: 'TopicA/devices/42/#',
			actions: 'R',
			expireTime: '10m',
			clientId: 'GID_mqtt_devices@@@app-1',
		});
		const token = applied.output[0].json;
		const connect = token.connect as IDataObject;
		expect(connect).toMatchObject({ host: '127.0.0.1', port: emulator.mqttPort });
		expect(connect.username).toBe(`Token|testid|${INSTANCE}`);

		const app = await connectWith(connect);
		await app.subscribeAsync('TopicA/devices/42/#', { qos: 1 });
		await expect(app.subscribeAsync('TopicB/#', { qos: 1 })).rejects.toThrow(/Subscribe error/);
		const received = new Promise<string>((resolve) =>
			app.once('message', (_topic, payload) => resolve(payload.toString())),
		);
		await runNode({
			operation: 'sendMqttMessage',
			mqttTopic: 'TopicA/devices/42/light',
			payloadType: 'text',
			payload: 'on',
		});
		await expect(received).resolves.toBe('on');

		const gone = closed(app);
		const revoked = await runNode({ operation: 'revokeMqttToken', token: token.token });
		expect(revoked.output[0].json).toMatchObject({ revoked: true, instanceId: INSTANCE });
		await gone;
		await expect(connectWith(connect)).rejects.toThrow(/Bad username or password/);
	});

	it('refuses the emulator a client without credentials (strict mode)', async () => {
		await expect(
			mqtt.connectAsync(emulator.mqttUrl, { reconnectPeriod: 0, clientId: 'GID_x@@@y' }),
		).rejects.toThrow(/Not authorized/);
	});
});

describe('device credentials and client status', () => {
	const device = (n: number) => `GID_mqtt_devices@@@sensor-${n}`;
	const deviceItems = (count: number) =>
		Array.from({ length: count }, (_, n) => ({ json: { clientId: device(n) } }));
	const byItem = (_: number, item: INodeExecutionData) => item.json.clientId;

	it('registers devices that connect, reports them online while connected and offline after', async () => {
		const registered = await runNode(
			{ operation: 'registerMqttDeviceCredential', clientId: byItem },
			{ items: deviceItems(3) },
		);
		expect(registered.output.map((o) => o.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		for (const { json } of registered.output) {
			expect(json).toMatchObject({ registered: true, instanceId: INSTANCE });
			expect(json.deviceAccessKeyId).toMatch(/^DC\./);
		}
		await Promise.all(
			registered.output.map(({ json }) => connectWith(json.connect as IDataObject)),
		);

		// 12 input items, 3 of them connected: two batch calls (10 + 2), one output per input item.
		const status = await runNode(
			{ operation: 'getMqttClientStatus', clientId: byItem },
			{ items: deviceItems(12) },
		);
		expect(status.output.map(({ json }) => [json.clientId, json.online])).toEqual(
			Array.from({ length: 12 }, (_, n) => [device(n), n < 3]),
		);
		expect(status.output.map((o) => o.pairedItem)).toEqual(
			Array.from({ length: 12 }, (_, n) => ({ item: n })),
		);
		expect(emulator.calls({ action: 'BatchQuerySessionByClientIds' })).toHaveLength(2);

		await Promise.all(clients.splice(0).map((client) => client.endAsync()));
		// The broker ends the session once it has read the DISCONNECT.
		await until(() => !emulator.mqttAccess.isOnline(INSTANCE, device(0)));
		const single = await runNode({ operation: 'getMqttClientStatus', clientId: device(0) });
		expect(single.output[0].json).toMatchObject({ clientId: device(0), online: false });
		expect(emulator.calls({ action: 'QuerySessionByClientId' })).toHaveLength(1);
	});

	it('reads a credential whose connect object works, and one that does not exist', async () => {
		await runNode({ operation: 'registerMqttDeviceCredential', clientId: device(1) });
		const got = await runNode(
			{ operation: 'getMqttDeviceCredential', clientId: byItem },
			{ items: deviceItems(2) },
		);
		expect(got.output[0].json).toMatchObject({ registered: false, clientId: device(0) });
		expect(got.output[1].json).toMatchObject({ registered: true, clientId: device(1) });
		await connectWith(got.output[1].json.connect as IDataObject);
	});

	it('unregisters a device, which can no longer log in', async () => {
		const registered = await runNode({
			operation: 'registerMqttDeviceCredential',
			clientId: device(5),
		});
		const unregistered = await runNode({
			operation: 'unregisterMqttDeviceCredential',
			clientId: device(5),
		});
		expect(unregistered.output[0].json).toMatchObject({ unregistered: true, clientId: device(5) });
		await expect(connectWith(registered.output[0].json.connect as IDataObject)).rejects.toThrow(
			/Bad username or password/,
		);
	});

	it('keeps every item, paired, when one item of a group fails with continue on fail', async () => {
		const items = deviceItems(4);
		items[2] = { json: { clientId: '' } };
		const status = await runNode(
			{ operation: 'getMqttClientStatus', clientId: byItem },
			{ items, continueOnFail: true },
		);
		expect(status.output).toHaveLength(4);
		expect(status.output[2].json.error).toMatch(/"Client ID" is empty/);
		expect(status.output.map((o) => o.pairedItem)).toEqual(
			Array.from({ length: 4 }, (_, n) => ({ item: n })),
		);
		expect(emulator.calls({ action: 'BatchQuerySessionByClientIds' })).toHaveLength(1);
	});

	it('asks for 300 clients in 30 calls without being throttled', async () => {
		const status = await runNode(
			{ operation: 'getMqttClientStatus', clientId: byItem },
			{ items: deviceItems(300) },
		);
		expect(status.output).toHaveLength(300);
		const calls = emulator.calls({ action: 'BatchQuerySessionByClientIds' });
		expect(calls).toHaveLength(30);
		expect(calls.filter((call) => call.throttled)).toEqual([]);
	});
});
