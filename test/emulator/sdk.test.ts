/**
 * Alibaba's own SDKs as real clients of the emulator: `@alicloud/pop-core` (V2, everything in a
 * form body) and `@alicloud/openapi-client` (V3 by default, V2 with signatureAlgorithm 'v2',
 * parameters in the query). An MQTT subscriber checks the payload arrives byte for byte.
 */
import OpenApiClient, { Config, OpenApiRequest, Params } from '@alicloud/openapi-client';
import RPCClient from '@alicloud/pop-core';

import { createEmulator, type Emulator } from './emulator';
import { closeAgent, subscribe, VERSIONS, type Subscriber } from './test-helpers';

const INSTANCE = 'post-cn-0pp12gl0001';
const ONS_INSTANCE = 'MQ_INST_111111111111_DOxxxxxx';
const GROUP = 'GID_test_group_id';
const CLIENT_ID = '30.5.121.7@24813#-1999745829#-1737591554#453111174894656';

const SIXTY_KB = (() => {
	const unit = '~*\'()!+/=?&% 中文😀\n{"k":"v"} ';
	let s = '';
	while (Buffer.byteLength(s + unit) <= 60 * 1024) s += unit;
	return s;
})();

const PAYLOADS: Array<[string, string]> = [
	['reserved characters', "~*'()!+/=?&%"],
	['spaces', 'hello world  with   spaces '],
	['CJK', '中文消息 テスト 한국어'],
	['emoji', '😀🚀 ok 👍🏽'],
	['newlines', 'line1\nline2\r\nline3\ttab'],
	['JSON', '{"a":1,"b":"x y","c":[true,null],"d":"a+b=c&d"}'],
	['percent sequences', '%41%2B+%20%E4%B8%AD'],
	['60 KB mixed', SIXTY_KB],
];

type Runtime = Parameters<OpenApiClient['callApi']>[2];

function openApi(
	emu: Emulator,
	v2: boolean,
	creds = { id: 'testid', secret: 'testsecret' },
	token?: string,
) {
	return new OpenApiClient(
		new Config({
			accessKeyId: creds.id,
			accessKeySecret: creds.secret,
			securityToken: token,
			endpoint: `127.0.0.1:${emu.port}`,
			protocol: 'http',
			...(v2 ? { signatureAlgorithm: 'v2' } : {}),
		}),
	);
}

async function callApi(
	client: OpenApiClient,
	action: string,
	version: string,
	query: Record<string, string>,
): Promise<Record<string, unknown>> {
	const params = new Params({
		action,
		version,
		protocol: 'HTTP',
		pathname: '/',
		method: 'POST',
		authType: 'AK',
		style: 'RPC',
		reqBodyType: 'formData',
		bodyType: 'json',
	});
	const res = await client.callApi(params, new OpenApiRequest({ query }), {} as Runtime);
	return res.body as Record<string, unknown>;
}

function popCore(
	emu: Emulator,
	version: string,
	securityToken?: string,
	id = 'testid',
	secret = 'testsecret',
) {
	return new RPCClient({
		accessKeyId: id,
		accessKeySecret: secret,
		securityToken,
		endpoint: emu.url,
		apiVersion: version,
	});
}

describe('emulator driven by Alibaba SDKs', () => {
	let emu: Emulator;
	let sub: Subscriber;

	beforeAll(async () => {
		emu = await createEmulator({ knobs: { quotas: { enabled: false } } });
		sub = await subscribe(emu.mqttUrl, 'TopicA/#');
	});

	afterAll(async () => {
		await sub.close();
		await emu.close();
		closeAgent();
	});

	const clients: Array<
		[string, 'v2' | 'v3', (topic: string, payload: string) => Promise<Record<string, unknown>>]
	> = [
		[
			'pop-core V2 (form body)',
			'v2',
			(topic, payload) =>
				popCore(emu, VERSIONS.onsmqtt).request<Record<string, unknown>>(
					'SendMessage',
					{ InstanceId: INSTANCE, MqttTopic: topic, Payload: payload },
					{ method: 'POST' },
				),
		],
		[
			'openapi-client V3 (query)',
			'v3',
			(topic, payload) =>
				callApi(openApi(emu, false), 'SendMessage', VERSIONS.onsmqtt, {
					InstanceId: INSTANCE,
					MqttTopic: topic,
					Payload: payload,
				}),
		],
		[
			'openapi-client V2 (query)',
			'v2',
			(topic, payload) =>
				callApi(openApi(emu, true), 'SendMessage', VERSIONS.onsmqtt, {
					InstanceId: INSTANCE,
					MqttTopic: topic,
					Payload: payload,
				}),
		],
	];

	describe.each(clients)('%s: SendMessage', (name, signatureVersion, send) => {
		it.each(PAYLOADS)('delivers %s byte for byte', async (label, payload) => {
			const topic = `TopicA/${name.split(' ')[0]}/${label.replace(/\W+/g, '-')} 中`;
			const before = sub.messages.length;
			const body = await send(topic, payload);
			expect(body.MsgId).toMatch(/^[0-9A-F]{32}$/);
			expect(body.RequestId).toMatch(/^[0-9A-F-]{36}$/);
			const got = await sub.waitFor(before + 1);
			const mine = got.slice(before).find((m) => m.topic === topic);
			expect(mine?.payload.equals(Buffer.from(payload, 'utf8'))).toBe(true);
			const delivery = emu.mqttDeliveries({ topic }).at(-1);
			expect(delivery?.msgId).toBe(body.MsgId);
			expect(Buffer.from(delivery?.payloadBase64 ?? '', 'base64').toString('utf8')).toBe(payload);
			expect(emu.calls({ action: 'SendMessage' }).at(-1)).toMatchObject({
				signatureVersion,
				code: 'OK',
				status: 200,
				msgId: body.MsgId,
			});
		});
	});

	it('GET with pop-core (everything in the query) is accepted too', async () => {
		const body = await popCore(emu, VERSIONS.onsmqtt).request<Record<string, unknown>>(
			'SendMessage',
			{ InstanceId: INSTANCE, MqttTopic: 'TopicA/get', Payload: "a b+c~*'()" },
			{ method: 'GET' },
		);
		expect(body.MsgId).toMatch(/^[0-9A-F]{32}$/);
		expect(emu.calls({ action: 'SendMessage' }).at(-1)).toMatchObject({
			method: 'GET',
			signatureVersion: 'v2',
			code: 'OK',
		});
	});

	it('a wrong secret gives SignatureDoesNotMatch with the echoed string to sign (V3 and V2)', async () => {
		const wrong = { id: 'testid', secret: 'not-the-secret' };
		await expect(
			callApi(openApi(emu, false, wrong), 'ListInstances', VERSIONS.onsmqtt, {}),
		).rejects.toMatchObject({
			code: 'SignatureDoesNotMatch',
			statusCode: 400,
			message: expect.stringMatching(/server StringToSign is \[ACS3-HMAC-SHA256\n[0-9a-f]{64}\]/),
		});
		await expect(
			popCore(emu, VERSIONS.onsmqtt, undefined, 'testid', 'nope').request(
				'SendMessage',
				{ InstanceId: INSTANCE, MqttTopic: 'TopicA/x', Payload: 'secret payload' },
				{ method: 'POST' },
			),
		).rejects.toMatchObject({
			code: 'SignatureDoesNotMatch',
			message: expect.stringContaining(
				'server string to sign is:POST&%2F&AccessKeyId%3Dtestid%26Action%3DSendMessage',
			),
		});
	});

	it('STS: the token is required and checked (pop-core V2 and openapi-client V3)', async () => {
		const sts = { id: 'STS.NUgYrLnoC37mZZCNnAbez2x', secret: 'stssecret' };
		const token = 'CAIS-emulator-sts-token-0001';
		await expect(
			callApi(openApi(emu, false, sts), 'GetCallerIdentity', VERSIONS.sts, {}),
		).rejects.toMatchObject({ code: 'InvalidSecurityToken.MismatchWithAccessKey' });
		const v3 = await callApi(
			openApi(emu, false, sts, token),
			'GetCallerIdentity',
			VERSIONS.sts,
			{},
		);
		expect(v3).toMatchObject({
			AccountId: '1234567890123456',
			IdentityType: 'AssumedRoleUser',
			Arn: 'acs:ram::1234567890123456:assumed-role/n8n-apsaramq/n8n-session',
		});
		const v2 = await popCore(emu, VERSIONS.onsmqtt, token, sts.id, sts.secret).request<
			Record<string, unknown>
		>(
			'SendMessage',
			{ InstanceId: INSTANCE, MqttTopic: 'TopicA/sts', Payload: 'via sts' },
			{ method: 'POST' },
		);
		expect(v2.MsgId).toMatch(/^[0-9A-F]{32}$/);
		await expect(
			popCore(emu, VERSIONS.onsmqtt, 'wrong-token', sts.id, sts.secret).request(
				'ListInstances',
				{},
				{ method: 'POST' },
			),
		).rejects.toMatchObject({ code: 'InvalidSecurityToken.MismatchWithAccessKey' });
	});

	it('GetCallerIdentity for the main account key', async () => {
		const body = await callApi(openApi(emu, false), 'GetCallerIdentity', VERSIONS.sts, {});
		expect(body).toEqual({
			RequestId: expect.any(String),
			AccountId: '1234567890123456',
			UserId: '1234567890123456',
			Arn: 'acs:ram::1234567890123456:root',
			IdentityType: 'Account',
			PrincipalId: '1234567890123456',
		});
	});

	it('ListInstances (onsmqtt) keeps Code/Success as strings', async () => {
		const body = await popCore(emu, VERSIONS.onsmqtt).request<Record<string, unknown>>(
			'ListInstances',
			{},
			{ method: 'POST' },
		);
		expect(body).toMatchObject({ Code: '200', Success: 'true', Message: 'operation success.' });
		expect((body.Instances as Array<{ InstanceId: string }>).map((i) => i.InstanceId)).toEqual([
			'post-cn-0pp12gl0001',
			'mqtt-cn-4xl3g0a0002',
		]);
	});

	describe.each([
		['V3', false],
		['V2', true],
	])('ONS APIs through openapi-client %s', (_label, v2) => {
		it('lists instances, topics and groups', async () => {
			const client = openApi(emu, v2);
			const instances = await callApi(client, 'OnsInstanceInServiceList', VERSIONS.ons, {
				NeedResourceInfo: 'true',
			});
			const vo = (instances.Data as { InstanceVO: Array<Record<string, unknown>> }).InstanceVO;
			expect(vo.map((i) => i.InstanceId)).toEqual([ONS_INSTANCE, 'MQ_INST_222222222222_DOyyyyyy']);
			expect(vo[0]).toMatchObject({
				InstanceStatus: 5,
				InstanceType: 2,
				TopicCount: 2,
				GroupCount: 3,
			});

			const topics = await callApi(client, 'OnsTopicList', VERSIONS.ons, {
				InstanceId: ONS_INSTANCE,
			});
			expect(
				(topics.Data as { PublishInfoDo: Array<{ Topic: string }> }).PublishInfoDo.map(
					(t) => t.Topic,
				),
			).toEqual(['test_topic', 'orders']);
			const one = await callApi(client, 'OnsTopicList', VERSIONS.ons, {
				InstanceId: ONS_INSTANCE,
				Topic: 'orders',
			});
			expect((one.Data as { PublishInfoDo: unknown[] }).PublishInfoDo).toHaveLength(1);

			const groups = await callApi(client, 'OnsGroupList', VERSIONS.ons, {
				InstanceId: ONS_INSTANCE,
				GroupId: 'group',
			});
			expect(
				(groups.Data as { SubscribeInfoDo: Array<{ GroupId: string }> }).SubscribeInfoDo.map(
					(g) => g.GroupId,
				),
			).toEqual(['GID_test_group_id', 'GID_offline_group']);
			const all = await callApi(client, 'OnsGroupList', VERSIONS.ons, {
				InstanceId: ONS_INSTANCE,
				GroupType: 'all',
			});
			expect((all.Data as { SubscribeInfoDo: unknown[] }).SubscribeInfoDo).toHaveLength(3);
		});

		it('lists consumer connections and pushes a stored message to one of them', async () => {
			const client = openApi(emu, v2);
			const conn = await callApi(client, 'OnsConsumerGetConnection', VERSIONS.ons, {
				InstanceId: ONS_INSTANCE,
				GroupId: GROUP,
			});
			const list = (
				conn.Data as { ConnectionList: { ConnectionDo: Array<Record<string, string>> } }
			).ConnectionList.ConnectionDo;
			expect(list).toHaveLength(3);
			expect(list[0]).toEqual({
				ClientId: CLIENT_ID,
				ClientAddr: '30.5.121.7',
				Language: 'JAVA',
				Version: 'V4_3_6',
			});

			const before = emu.onsDeliveries().length;
			const push = await callApi(client, 'OnsMessagePush', VERSIONS.ons, {
				InstanceId: ONS_INSTANCE,
				Topic: 'orders',
				GroupId: GROUP,
				ClientId: CLIENT_ID,
				MsgId: '0BC1669963051B4B8F7A2A5A2C2E0002',
			});
			expect(Object.keys(push)).toEqual(['RequestId']);
			const delivery = emu.onsDeliveries().slice(before)[0];
			expect(delivery).toMatchObject({
				instanceId: ONS_INSTANCE,
				topic: 'orders',
				groupId: GROUP,
				clientId: CLIENT_ID,
				sourceMsgId: '0BC1669963051B4B8F7A2A5A2C2E0002',
				requestId: push.RequestId,
			});
			expect(delivery.msgId).not.toBe('0BC1669963051B4B8F7A2A5A2C2E0002');
			expect(Buffer.from(delivery.bodyBase64, 'base64').toString('utf8')).toContain('中文 ✓');
		});

		it('answers ONS business errors', async () => {
			const client = openApi(emu, v2);
			await expect(
				callApi(client, 'OnsConsumerGetConnection', VERSIONS.ons, {
					InstanceId: ONS_INSTANCE,
					GroupId: 'GID_offline_group',
				}),
			).rejects.toMatchObject({ code: 'BIZ_CONSUMER_NOT_ONLINE', statusCode: 400 });
			await expect(
				callApi(client, 'OnsMessagePush', VERSIONS.ons, {
					InstanceId: ONS_INSTANCE,
					Topic: 'test_topic',
					GroupId: GROUP,
					ClientId: CLIENT_ID,
					MsgId: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF',
				}),
			).rejects.toMatchObject({ code: 'BIZ_NO_MESSAGE' });
			await expect(
				callApi(client, 'OnsMessagePush', VERSIONS.ons, {
					InstanceId: ONS_INSTANCE,
					Topic: 'test_topic',
					GroupId: GROUP,
					ClientId: 'offline@1#2#3',
					MsgId: '0BC1669963051B4B8F7A2A5A2C2E0001',
				}),
			).rejects.toMatchObject({ code: 'BIZ_CONSUMER_NOT_ONLINE' });
			await expect(
				callApi(client, 'OnsTopicList', VERSIONS.ons, { InstanceId: 'MQ_INST_000000000000_NOPE' }),
			).rejects.toMatchObject({ code: 'INSTANCE_NOT_FOUND' });
		});
	});
});
