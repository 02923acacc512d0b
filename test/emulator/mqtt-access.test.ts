/**
 * The emulator's token, session and device-credential APIs, and its broker logging clients in the
 * way ApsaraMQ for MQTT does (docs/mqtt-access.md), checked with mqtt.js as the client.
 */
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';

import { createEmulator, type Emulator } from './index';
import { mqttPassword } from './mqttAccess';
import { VERSIONS, closeAgent, fakeOnly, signedCall } from './test-helpers';

const INSTANCE = 'post-cn-0pp12gl0001';
const CLIENT = 'GID_mqtt_devices@@@sensor-1';

let emulator: Emulator;
const clients: MqttClient[] = [];

beforeAll(async () => {
	emulator = await createEmulator();
});
afterEach(async () => {
	await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
	emulator.reset();
});
afterAll(async () => {
	await emulator.close();
	closeAgent();
});

async function call(action: string, params: Record<string, string>) {
	return await signedCall(emulator.url, { version: VERSIONS.onsmqtt, action, params });
}

async function connect(clientId: string, username?: string, password?: string) {
	const client = await mqtt.connectAsync(emulator.mqttUrl, {
		clientId,
		username,
		password,
		reconnectPeriod: 0,
		protocolVersion: 4,
	});
	clients.push(client);
	return client;
}

async function applyToken(resources: string, actions: string, validMs = 3_600_000) {
	const res = await call('ApplyToken', {
		InstanceId: INSTANCE,
		Resources: resources,
		Actions: actions,
		ExpireTime: String(Date.now() + validMs),
	});
	expect(res.status).toBe(200);
	return res.json.Token as string;
}

function nextMessage(client: MqttClient): Promise<{ topic: string; payload: string }> {
	return new Promise((resolve) =>
		client.once('message', (topic, payload) => resolve({ topic, payload: payload.toString() })),
	);
}

const closed = (client: MqttClient) =>
	new Promise<void>((resolve) => client.once('close', () => resolve()));

describe('password vectors of docs/mqtt-access.md#login-modes', () => {
	it('computes the Signature and DeviceCredential passwords of the reference', () => {
		expect(mqttPassword('testAccessKeySecret', 'GID_Test@@@0001')).toBe(
			'sawKnyiOGDJnnaAvrIALP90m6yU=',
		);
		expect(mqttPassword('DC.testDeviceSecret', 'GID_Test@@@0001')).toBe(
			'Ohpp/jFKSmzVdNpWzhvJWyFns6s=',
		);
	});
});

describe('Token mode', () => {
	it('receives on the token topics, is refused elsewhere, and is cut off by RevokeToken', async () => {
		const token = await applyToken('TopicA/devices/+', 'R');
		const username = `Token|testid|${INSTANCE}`;
		const client = await connect(CLIENT, username, `R|${token}`);

		const [allowed] = await client.subscribeAsync('TopicA/devices/+', { qos: 1 });
		expect(allowed.qos).toBe(1);
		// SUBACK failure code 128, which mqtt.js turns into an error.
		await expect(client.subscribeAsync('TopicB/#', { qos: 1 })).rejects.toThrow(/Subscribe error/);

		const arrived = nextMessage(client);
		const sent = await call('SendMessage', {
			InstanceId: INSTANCE,
			MqttTopic: 'TopicA/devices/7',
			Payload: 'on',
		});
		expect(sent.status).toBe(200);
		await expect(arrived).resolves.toEqual({ topic: 'TopicA/devices/7', payload: 'on' });

		expect(
			(await call('QueryToken', { InstanceId: INSTANCE, Token: token })).json.TokenStatus,
		).toBe(true);
		const gone = closed(client);
		expect((await call('RevokeToken', { InstanceId: INSTANCE, Token: token })).status).toBe(200);
		await gone;
		expect(
			(await call('QueryToken', { InstanceId: INSTANCE, Token: token })).json.TokenStatus,
		).toBe(false);
		await expect(connect(CLIENT, username, `R|${token}`)).rejects.toThrow(
			/Bad username or password/,
		);
	});

	it('lets a read token not publish, and closes the connection that tries', async () => {
		const token = await applyToken('TopicA/#', 'R');
		const client = await connect(CLIENT, `Token|testid|${INSTANCE}`, `R|${token}`);
		const gone = closed(client);
		client.publish('TopicA/x', 'nope', { qos: 1 });
		await gone;
	});

	it('takes an R,W token as RW, and several tokens in one password', async () => {
		const rw = await applyToken('TopicA/#', 'R,W');
		const r = await applyToken('TopicB/in', 'R');
		const username = `Token|testid|${INSTANCE}`;
		await expect(connect(CLIENT, username, `R|${rw}`)).rejects.toThrow(/Bad username or password/);
		const client = await connect(CLIENT, username, `RW|${rw}|R|${r}`);
		expect((await client.subscribeAsync('TopicB/in', { qos: 1 }))[0].qos).toBe(1);
		expect((await client.subscribeAsync('TopicA/#', { qos: 1 }))[0].qos).toBe(1);
		await client.publishAsync('TopicA/out', 'yes', { qos: 1 });
	});

	it('refuses an expired token', async () => {
		const token = await applyToken('TopicA/#', 'R', 65_000);
		emulator.setKnobs({ clockSkewMs: 66_000 });
		await expect(connect(CLIENT, `Token|testid|${INSTANCE}`, `R|${token}`)).rejects.toThrow(
			/Bad username or password/,
		);
	});

	it('checks what ApplyToken is given', async () => {
		const base = { InstanceId: INSTANCE, Actions: 'R', ExpireTime: String(Date.now() + 3_600_000) };
		const code = async (params: Record<string, string>) =>
			(await call('ApplyToken', { ...base, ...params })).json.Code;
		expect(await code({ Resources: 'TopicB,TopicA' })).toBe('InvalidParameter.Resources');
		const many = Array.from({ length: 101 }, (_, i) => `TopicA/${String(i).padStart(3, '0')}`);
		expect(await code({ Resources: many.join(',') })).toBe('InvalidParameter.Resources');
		expect(await code({ Resources: 'Nope/x' })).toBe('PermissionCheckFailed');
		expect(await code({ Resources: 'TopicA', Actions: 'RW' })).toBe('InvalidParameter.Actions');
		expect(await code({ Resources: 'TopicA', ExpireTime: String(Date.now() + 30_000) })).toBe(
			'InvalidParameter.ExpireTime',
		);
		expect(await code({ Resources: 'TopicA', InstanceId: 'post-cn-none' })).toBe(
			'InstancePermissionCheckFailed',
		);
	});

	it('paces RevokeToken at 5 per second per account', async () => {
		const token = await applyToken('TopicA', 'R');
		fakeOnly('Date'); // all six calls fall in one second of the quota window, however slow the machine
		const codes = [];
		try {
			for (let i = 0; i < 6; i++) {
				codes.push((await call('RevokeToken', { InstanceId: INSTANCE, Token: token })).json.Code);
			}
		} finally {
			jest.useRealTimers();
		}
		expect(codes.slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
		expect(codes[5]).toBe('Throttling.User');
	});
});

describe('DeviceCredential and Signature modes, and online status', () => {
	it('registers a device that connects, is online while connected, and is refused once unregistered', async () => {
		const registered = await call('RegisterDeviceCredential', {
			InstanceId: INSTANCE,
			ClientId: CLIENT,
		});
		const credential = registered.json.DeviceCredential as Record<string, string>;
		expect(credential.DeviceAccessKeyId).toMatch(/^DC\./);
		const got = await call('GetDeviceCredential', { InstanceId: INSTANCE, ClientId: CLIENT });
		expect(got.json.DeviceCredential).toEqual(credential);

		const username = `DeviceCredential|${credential.DeviceAccessKeyId}|${INSTANCE}`;
		const password = mqttPassword(credential.DeviceAccessKeySecret, CLIENT);
		await expect(connect(CLIENT, username, 'wrong')).rejects.toThrow(/Bad username or password/);
		const client = await connect(CLIENT, username, password);

		const status = async () =>
			(await call('QuerySessionByClientId', { InstanceId: INSTANCE, ClientId: CLIENT })).json
				.OnlineStatus;
		expect(await status()).toBe(true);
		const batch = await call('BatchQuerySessionByClientIds', {
			InstanceId: INSTANCE,
			'ClientIdList.1': CLIENT,
			'ClientIdList.2': 'GID_mqtt_devices@@@sensor-2',
		});
		expect(batch.json.OnlineStatusList).toEqual([
			{ ClientId: CLIENT, OnlineStatus: true },
			{ ClientId: 'GID_mqtt_devices@@@sensor-2', OnlineStatus: false },
		]);
		await client.endAsync();
		expect(await status()).toBe(false);

		const refreshed = await call('RefreshDeviceCredential', {
			InstanceId: INSTANCE,
			ClientId: CLIENT,
		});
		const fresh = refreshed.json.DeviceCredential as Record<string, string>;
		expect(fresh.DeviceAccessKeySecret).not.toBe(credential.DeviceAccessKeySecret);
		await expect(connect(CLIENT, username, password)).rejects.toThrow(/Bad username or password/);
		await connect(CLIENT, username, mqttPassword(fresh.DeviceAccessKeySecret, CLIENT));

		expect(
			(await call('UnRegisterDeviceCredential', { InstanceId: INSTANCE, ClientId: CLIENT })).status,
		).toBe(200);
		const after = await call('GetDeviceCredential', { InstanceId: INSTANCE, ClientId: CLIENT });
		expect(after.json.DeviceCredential).toBeUndefined();
		await expect(
			connect(CLIENT, username, mqttPassword(fresh.DeviceAccessKeySecret, CLIENT)),
		).rejects.toThrow(/Bad username or password/);
	});

	it('checks client IDs and batch sizes', async () => {
		const code = async (action: string, params: Record<string, string>) =>
			(await call(action, { InstanceId: INSTANCE, ...params })).json.Code;
		expect(await code('RegisterDeviceCredential', { ClientId: 'sensor-1' })).toBe(
			'InvalidParameter.ClientId',
		);
		expect(await code('RegisterDeviceCredential', { ClientId: 'GID_other@@@x' })).toBe(
			'ParameterCheckFailed',
		);
		const eleven = Object.fromEntries(
			Array.from({ length: 11 }, (_, i) => [`ClientIdList.${i + 1}`, `GID_mqtt_devices@@@d${i}`]),
		);
		expect(await code('BatchQuerySessionByClientIds', eleven)).toBe(
			'InvalidParameter.ClientIdList',
		);
		expect(await code('BatchQuerySessionByClientIds', {})).toBe('MissingClientIdList');
	});

	it('logs in with the account signature, and refuses a wrong one', async () => {
		const username = `Signature|testid|${INSTANCE}`;
		await expect(connect(CLIENT, username, mqttPassword('wrong', CLIENT))).rejects.toThrow(
			/Bad username or password/,
		);
		const client = await connect(CLIENT, username, mqttPassword('testsecret', CLIENT));
		expect((await client.subscribeAsync('TopicB/#', { qos: 1 }))[0].qos).toBe(1);
	});

	it('admits a client without a username unless mqttAuth is strict', async () => {
		await connect('anonymous-1');
		emulator.setKnobs({ mqttAuth: 'strict' });
		await expect(connect('anonymous-2')).rejects.toThrow(/Not authorized/);
	});
});
