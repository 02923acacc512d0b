/**
 * The MQTT token and device operations before any request: the password vectors of
 * docs/mqtt-access.md#login-modes, the connect host per endpoint type, and every validation error,
 * each refused with the field named and no request sent.
 */
import type { IDataObject } from 'n8n-workflow';

import { mqttPassword } from '../../nodes/ApsaraMq/actions/mqtt/mqttConnect';
import { FakeClock } from '../transport/fakeClock';
import { answer, id, run } from './fakeContext';

const INSTANCE = 'post-cn-0pp12gl0001';

describe('login passwords (docs/mqtt-access.md#login-modes)', () => {
	it('gives the Signature and DeviceCredential vectors', () => {
		expect(mqttPassword('testAccessKeySecret', 'GID_Test@@@0001')).toBe(
			'sawKnyiOGDJnnaAvrIALP90m6yU=',
		);
		expect(mqttPassword('DC.testDeviceSecret', 'GID_Test@@@0001')).toBe(
			'Ohpp/jFKSmzVdNpWzhvJWyFns6s=',
		);
	});
});

const NOW = Date.parse('2026-12-01T00:00:00Z');

function tokenParameters(overrides: IDataObject = {}): IDataObject {
	return {
		operation: 'applyMqttToken',
		instanceId: id(INSTANCE),
		resources: 'TopicA/devices/+',
		actions: 'R',
		expireTime: '1h',
		clientId: '',
		options: {},
		...overrides,
	};
}

async function applyWith(parameters: IDataObject, credentials: IDataObject = {}) {
	const clock = new FakeClock();
	clock.time = NOW;
	return await run({
		parameters,
		clock,
		credentials: {
			accessKeyId: ' LTAIexample ',
			accessKeySecret: 'account-secret',
			endpointType: 'public',
			...credentials,
		},
		transport: async () => answer(200, { RequestId: 'R1', Token: 'tok+/=' }),
	});
}

describe('Apply MQTT Token', () => {
	it('sends sorted, de-duplicated topics and the expiry in ms, and builds a Token login', async () => {
		const { output, requests } = await applyWith(
			tokenParameters({
				resources: 'TopicB/x\nTopicA/devices/+, TopicB/x',
				actions: 'R,W',
				expireTime: '2h',
				clientId: 'GID_app@@@user-1',
			}),
		);
		expect(requests[0].qs).toEqual({
			InstanceId: INSTANCE,
			Resources: 'TopicA/devices/+,TopicB/x',
			Actions: 'R,W',
			ExpireTime: String(NOW + 2 * 3_600_000),
		});
		expect(output[0].json).toEqual({
			token: 'tok+/=',
			requestId: 'R1',
			instanceId: INSTANCE,
			resources: ['TopicA/devices/+', 'TopicB/x'],
			actions: 'R,W',
			expireTime: new Date(NOW + 2 * 3_600_000).toISOString(),
			connect: {
				host: `${INSTANCE}.mqtt.aliyuncs.com`,
				port: 1883,
				tlsPort: 8883,
				webSocketPort: 80,
				webSocketTlsPort: 443,
				clientId: 'GID_app@@@user-1',
				username: `Token|LTAIexample|${INSTANCE}`,
				password: 'RW|tok+/=',
			},
		});
		expect(JSON.stringify(output)).not.toContain('account-secret');
	});

	it.each([
		['a duration in seconds', 3600, NOW + 3_600_000],
		['an ISO duration', 'P1DT12H', NOW + 36 * 3_600_000],
		['a date-time', '2026-12-02T00:00:00Z', NOW + 86_400_000],
		['a date-time without a zone (UTC)', '2026-12-02T00:00:00', NOW + 86_400_000],
	])('takes the expiry as %s', async (_, expireTime, expected) => {
		const { requests } = await applyWith(tokenParameters({ expireTime }));
		expect(requests[0].qs).toMatchObject({ ExpireTime: String(expected) });
	});

	it('puts the VPC host, or the Connect Host and Port options, into the connect object', async () => {
		const vpc = await applyWith(tokenParameters(), { endpointType: 'vpc' });
		expect((vpc.output[0].json.connect as IDataObject).host).toBe(
			`${INSTANCE}-internal-vpc.mqtt.aliyuncs.com`,
		);
		const custom = await applyWith(tokenParameters(), { endpointType: 'custom' });
		expect(custom.output[0].json.connect).not.toHaveProperty('host');
		const overridden = await applyWith(
			tokenParameters({ 'options.connectHost': '127.0.0.1', 'options.connectPort': 18830 }),
			{ endpointType: 'custom' },
		);
		expect(overridden.output[0].json.connect).toMatchObject({ host: '127.0.0.1', port: 18830 });
	});

	const many = Array.from({ length: 101 }, (_, i) => `TopicA/${i}`).join(',');
	it.each([
		[{ resources: '' }, /"Topics" is empty/],
		[{ resources: many }, /"Topics" has 101 topics; a token covers at most 100/],
		[{ resources: '+/x' }, /"Topics" "\+\/x": the parent topic cannot be a wildcard/],
		[{ resources: 'TopicA/#/x' }, /# can only be the last level/],
		[{ resources: 'TopicA/a+' }, /a wildcard \+ or # must be a whole level/],
		[{ resources: 'TopicA/\u200bx' }, /contains the invisible character U\+200B/],
		[{ actions: 'RW' }, /"Actions" must be R \(subscribe\), W \(publish\) or R,W/],
		[
			{ expireTime: '30s' },
			/"Expire Time" must be between 60 seconds and 30 days from now \(it is 30 seconds/,
		],
		[{ expireTime: '31d' }, /"Expire Time" must be between 60 seconds and 30 days/],
		[{ expireTime: '2020-01-01T00:00:00Z' }, /\(it is in the past\)/],
		[{ expireTime: 'tomorrow' }, /"Expire Time" must be a duration/],
		[{ clientId: 'user-1' }, /"Client ID" must be GroupId@@@DeviceId/],
		[{ instanceId: id(' ') }, /"Instance" is empty/],
	])('refuses %p before any request', async (overrides, message) => {
		await expect(applyWith(tokenParameters(overrides))).rejects.toThrow(message);
	});
});

describe('device and status operations refuse bad input before any request', () => {
	it.each([
		['registerMqttDeviceCredential', '', /"Client ID" is empty/],
		['registerMqttDeviceCredential', 'sensor-1', /must be GroupId@@@DeviceId/],
		['getMqttDeviceCredential', 'GID_a@@@x', /must start with a group ID of 7 to 64/],
		['unregisterMqttDeviceCredential', 'GID_devices@@@', /must end with a device ID/],
		['getMqttClientStatus', ' ', /"Client ID" is empty/],
	])('%s with client ID %p', async (operation, clientId, message) => {
		let requests = 0;
		const attempt = run({
			parameters: { operation, instanceId: id(INSTANCE), clientId, options: {} },
			credentials: { accessKeyId: 'LTAIexample', endpointType: 'public' },
			transport: async () => {
				requests++;
				return answer(200, {});
			},
		});
		await expect(attempt).rejects.toThrow(message);
		expect(requests).toBe(0);
	});
});
