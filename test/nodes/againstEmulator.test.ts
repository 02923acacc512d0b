import { inspect } from 'node:util';

import mqtt from 'mqtt';
import type { ICredentialDataDecryptedObject, INodeExecutionData } from 'n8n-workflow';

import { systemClock } from '../../nodes/ApsaraMq/transport/clock';
import type { Emulator } from '../emulator';
import { createEmulator } from '../emulator';
import { id, run } from './fakeContext';
import { emulatorCredentials, n8nLikeTransport } from './emulatorTransport';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await createEmulator();
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

const AWKWARD = 'héllo wörld ~*\'()!+/=?&% 中文 😀\n{"json": [1, 2]}\ttab';

const send = (payload: unknown) => ({
	operation: 'sendMqttMessage',
	instanceId: id('post-cn-0pp12gl0001'),
	mqttTopic: 'TopicA/devices/42',
	payloadType: 'text',
	payload,
	options: {},
});

async function runWith(
	parameters: Record<string, unknown>,
	credentialOverrides: Partial<ICredentialDataDecryptedObject> = {},
	extra: { items?: INodeExecutionData[]; continueOnFail?: boolean } = {},
) {
	const { transport, close } = n8nLikeTransport();
	const credentials = emulatorCredentials(emulator.url, credentialOverrides);
	try {
		// Real time: the emulator's quota windows run on the system clock.
		return await run({ parameters, transport, credentials, clock: systemClock, ...extra });
	} finally {
		await close();
	}
}

describe.each(['v2', 'v3'])('against the emulator, signature %s', (signatureVersion) => {
	it('Send MQTT Message reaches an MQTT subscriber byte for byte', async () => {
		const client = await mqtt.connectAsync(emulator.mqttUrl);
		await client.subscribeAsync('TopicA/#', { qos: 1 });
		const received = new Promise<Buffer>((resolve) =>
			client.on('message', (_topic, message) => resolve(message)),
		);
		const { output } = await runWith(send(AWKWARD), { signatureVersion });
		expect((await received).toString('utf8')).toBe(AWKWARD);
		await client.endAsync();

		const [delivery] = emulator.mqttDeliveries();
		expect(output[0].json).toEqual({
			msgId: delivery.msgId,
			requestId: delivery.requestId,
			instanceId: 'post-cn-0pp12gl0001',
			mqttTopic: 'TopicA/devices/42',
		});
		expect(emulator.calls()[0]).toMatchObject({ signatureVersion, code: 'OK' });
	});

	it('Push ONS Message records a delivery with a new message ID', async () => {
		const { output } = await runWith(
			{
				operation: 'pushOnsMessage',
				instanceId: id('MQ_INST_111111111111_DOxxxxxx'),
				topic: id('test_topic'),
				groupId: id('GID_test_group_id'),
				clientId: id('30.5.121.7@24813#-1999745829#-1737591554#453111174894656'),
				msgId: '0BC1669963051B4B8F7A2A5A2C2E0001',
				options: {},
			},
			{ signatureVersion },
		);
		const [delivery] = emulator.onsDeliveries();
		expect(delivery).toMatchObject({ sourceMsgId: '0BC1669963051B4B8F7A2A5A2C2E0001', topic: 'test_topic' });
		expect(delivery.msgId).not.toBe(delivery.sourceMsgId);
		expect(output[0].json.requestId).toBe(delivery.requestId);
	});

	it('Get ONS Consumer Connections outputs every online consumer, paired; an offline group fails its item', async () => {
		const { output } = await runWith(
			{
				operation: 'getOnsConsumerConnections',
				instanceId: id('MQ_INST_111111111111_DOxxxxxx'),
				groupId: (i: number) => id(i === 0 ? 'GID_test_group_id' : 'GID_offline_group'),
				options: {},
			},
			{ signatureVersion },
			{ items: [{ json: {} }, { json: {} }], continueOnFail: true },
		);
		expect(output.map((item) => [item.pairedItem, item.json.language ?? item.json.code])).toEqual([
			[{ item: 0 }, 'JAVA'],
			[{ item: 0 }, 'JAVA'],
			[{ item: 0 }, 'CPP'],
			[{ item: 1 }, 'BIZ_CONSUMER_NOT_ONLINE'],
		]);
		expect(output[2].json).toEqual({
			clientId: '10.0.0.12@3142#1266402811#-946306207#24781634862811',
			clientAddr: '10.0.0.12',
			language: 'CPP',
			version: 'V1_1_3',
			instanceId: 'MQ_INST_111111111111_DOxxxxxx',
			groupId: 'GID_test_group_id',
		});
		expect(emulator.calls().map((call) => call.code)).toEqual(['OK', 'BIZ_CONSUMER_NOT_ONLINE']);
	});

	it('works with STS temporary credentials', async () => {
		const { output } = await runWith(send('sts'), {
			signatureVersion,
			accessKeyId: 'STS.NUgYrLnoC37mZZCNnAbez2x',
			accessKeySecret: 'stssecret',
			temporaryCredentials: true,
			securityToken: 'CAIS-emulator-sts-token-0001',
		});
		expect(output[0].json.msgId).toMatch(/^[0-9A-F]{32}$/);
	});

	it('a wrong secret fails with SignatureDoesNotMatch, and neither the secret nor the echoed string to sign shows anywhere', async () => {
		const secret = 'wrong-secret-7f3a';
		const { output } = await runWith(
			send('private payload 123'),
			{ signatureVersion, accessKeySecret: secret },
			{ continueOnFail: true },
		);
		expect(emulator.calls()[0].code).toBe('SignatureDoesNotMatch');
		expect(output[0].json).toMatchObject({ code: 'SignatureDoesNotMatch', httpStatus: 400 });
		const everything = [JSON.stringify(output), inspect(output, { depth: 10 })].join('\n');
		expect(everything).not.toContain(secret);
		expect(everything).not.toMatch(/private%20payload|AccessKeyId%3D|ACS3-HMAC-SHA256\\n[0-9a-f]{64}/);
		expect(everything).toContain('[server string to sign redacted]');

		// Without continue on fail, the thrown error itself, serialized every way n8n might.
		const thrown = await runWith(send('private payload 123'), {
			signatureVersion,
			accessKeySecret: secret,
		}).catch((e: Error & { description?: string }) => e);
		const everythingThrown = [
			JSON.stringify(thrown),
			inspect(thrown, { depth: 10 }),
			String((thrown as { description?: string }).description),
			(thrown as Error).stack,
		].join('\n');
		expect(everythingThrown).toContain('SignatureDoesNotMatch');
		expect(everythingThrown).not.toContain(secret);
		expect(everythingThrown).not.toMatch(/private%20payload|AccessKeyId%3D|ACS3-HMAC-SHA256\\n[0-9a-f]{64}/);
	});
});

it('signs every attempt anew: a throttled call is retried with a fresh nonce and timestamp', async () => {
	emulator.setKnobs({
		script: [{ fault: 'throttle' }, { fault: 'throttle' }],
		mqttThrottleCode: 'SystemOverFlow',
		retryAfterMs: 5,
	});
	const { output } = await runWith(send('retry me'));
	expect(output[0].json.attempts).toBe(3);
	const calls = emulator.calls();
	expect(calls.map((c) => c.code)).toEqual(['SystemOverFlow', 'SystemOverFlow', 'OK']);
	expect(new Set(calls.map((c) => c.nonce)).size).toBe(3);
	expect(emulator.mqttDeliveries()).toHaveLength(1);
});

it('an http:// endpoint that is not loopback is refused before anything is sent', async () => {
	const { output } = await runWith(send('x'), { customEndpoint: 'http://example.com:8080' }, { continueOnFail: true });
	expect(output[0].json.error).toMatch(/https/);
	expect(emulator.calls()).toHaveLength(0);
});
