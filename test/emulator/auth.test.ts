/**
 * Authentication, routing and validation, driven by crafted requests signed with Alibaba's
 * `@alicloud/openapi-util` (see test-helpers.ts).
 */
import { createEmulator, type Emulator } from './emulator';
import {
	closeAgent,
	httpRequest,
	signedCall,
	timestamp,
	VERSIONS,
	type SignedCall,
} from './test-helpers';

const INSTANCE = 'post-cn-0pp12gl0001';
const send = (
	payload = 'hi',
	topic = 'TopicA/auth',
): Pick<SignedCall, 'version' | 'action' | 'params'> => ({
	version: VERSIONS.onsmqtt,
	action: 'SendMessage',
	params: { InstanceId: INSTANCE, MqttTopic: topic, Payload: payload },
});

describe('emulator authentication and validation', () => {
	let emu: Emulator;

	beforeAll(async () => {
		emu = await createEmulator({ knobs: { quotas: { enabled: false } } });
	});
	afterEach(() => emu.reset());
	afterAll(async () => {
		await emu.close();
		closeAgent();
	});

	describe.each(['v2', 'v3'] as const)('%s', (sig) => {
		it('accepts a correctly signed request (query and form placement)', async () => {
			for (const placement of ['query', 'form'] as const) {
				const res = await signedCall(emu.url, { sig, ...send(`p ${placement}`), placement });
				expect(res.status).toBe(200);
				expect(res.json.MsgId).toMatch(/^[0-9A-F]{32}$/);
				expect(res.headers['content-type']).toBe('application/json; charset=UTF-8');
				expect(res.headers['x-acs-request-id']).toBe(res.json.RequestId);
			}
			expect(emu.mqttDeliveries().map((d) => d.topic)).toEqual(['TopicA/auth', 'TopicA/auth']);
		});

		it('wrong secret → SignatureDoesNotMatch with the echoed server string to sign', async () => {
			const res = await signedCall(emu.url, { sig, ...send('top secret'), secret: 'wrong' });
			expect(res.status).toBe(400);
			expect(Object.keys(res.json).sort()).toEqual(
				['Code', 'HostId', 'Message', 'Recommend', 'RequestId'].sort(),
			);
			expect(res.json.Code).toBe('SignatureDoesNotMatch');
			expect(res.json.HostId).toBe('onsmqtt.cn-hangzhou.aliyuncs.com');
			expect(res.json.Recommend).toBe(
				`https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&product=OnsMqtt&requestId=${String(res.json.RequestId)}`,
			);
			if (sig === 'v2') {
				expect(res.json.Message).toMatch(
					/^Specified signature is not matched with our calculation\. server string to sign is:POST&%2F&AccessKeyId%3Dtestid%26/,
				);
				expect(res.json.Message).toContain('Payload%3Dtop%2520secret');
			} else {
				expect(res.json.Message).toMatch(
					/^Specified signature does not match our calculation\. server StringToSign is \[ACS3-HMAC-SHA256\n[0-9a-f]{64}\]$/,
				);
			}
			expect(emu.mqttDeliveries()).toHaveLength(0);
		});

		it('a replayed nonce → SignatureNonceUsed (forged requests do not burn nonces)', async () => {
			const nonce = `nonce-${sig}-1`;
			const forged = await signedCall(emu.url, { sig, ...send(), nonce, secret: 'wrong' });
			expect(forged.json.Code).toBe('SignatureDoesNotMatch');
			expect((await signedCall(emu.url, { sig, ...send(), nonce })).status).toBe(200);
			const replay = await signedCall(emu.url, { sig, ...send(), nonce });
			expect(replay.status).toBe(400);
			expect(replay.json).toMatchObject({
				Code: 'SignatureNonceUsed',
				Message: 'Specified signature nonce was used already.',
			});
			expect(emu.mqttDeliveries()).toHaveLength(1);
		});

		it('timestamp: stale → InvalidTimeStamp.Expired, malformed → InvalidTimeStamp.Format', async () => {
			const stale = await signedCall(emu.url, {
				sig,
				...send(),
				time: timestamp(Date.now() - 16 * 60_000),
			});
			expect(stale.status).toBe(400);
			expect(stale.json.Code).toBe('InvalidTimeStamp.Expired');
			const future = await signedCall(emu.url, {
				sig,
				...send(),
				time: timestamp(Date.now() + 16 * 60_000),
			});
			expect(future.json.Code).toBe('InvalidTimeStamp.Expired');
			const ok = await signedCall(emu.url, {
				sig,
				...send(),
				time: timestamp(Date.now() - 14 * 60_000),
			});
			expect(ok.status).toBe(200);
			const millis = await signedCall(emu.url, { sig, ...send(), time: new Date().toISOString() });
			expect(millis.json.Code).toBe('InvalidTimeStamp.Format');
			emu.setKnobs({ clockSkewMs: 20 * 60_000 });
			expect((await signedCall(emu.url, { sig, ...send() })).json.Code).toBe(
				'InvalidTimeStamp.Expired',
			);
		});

		it('unknown key → InvalidAccessKeyId.NotFound (404); disabled → Inactive (400)', async () => {
			const unknown = await signedCall(emu.url, { sig, ...send(), keyId: 'nobody', secret: 'x' });
			expect(unknown.status).toBe(404);
			expect(unknown.json).toMatchObject({
				Code: 'InvalidAccessKeyId.NotFound',
				Message: 'Specified access key is not found.',
			});
			const disabled = await signedCall(emu.url, {
				sig,
				...send(),
				keyId: 'disabledid',
				secret: 'disabledsecret',
			});
			expect(disabled.status).toBe(400);
			expect(disabled.json.Code).toBe('InvalidAccessKeyId.Inactive');
		});

		it('missing business parameter → Missing<Name> (400) before authentication', async () => {
			const res = await signedCall(emu.url, {
				sig,
				version: VERSIONS.onsmqtt,
				action: 'SendMessage',
				params: { InstanceId: INSTANCE, MqttTopic: 'TopicA/x' },
				keyId: 'nobody',
			});
			expect(res.status).toBe(400);
			expect(res.json).toMatchObject({
				Code: 'MissingPayload',
				Message: 'Payload is mandatory for this action.',
			});
			const empty = await signedCall(emu.url, { sig, ...send('') });
			expect(empty.json.Code).toBe('MissingPayload');
			const ons = await signedCall(emu.url, {
				sig,
				version: VERSIONS.ons,
				action: 'OnsConsumerGetConnection',
				params: { InstanceId: 'MQ_INST_111111111111_DOxxxxxx' },
			});
			expect(ons.json.Code).toBe('MissingGroupId');
		});

		it('STS: expired token → InvalidSecurityToken.Expired; token on a permanent key → Malformed', async () => {
			const expired = await signedCall(emu.url, {
				sig,
				...send(),
				keyId: 'STS.ExpiredKey0000000000000',
				secret: 'expiredstssecret',
				token: 'CAIS-emulator-sts-token-expired',
			});
			expect(expired.json.Code).toBe('InvalidSecurityToken.Expired');
			const noToken = await signedCall(emu.url, {
				sig,
				...send(),
				keyId: 'STS.NUgYrLnoC37mZZCNnAbez2x',
				secret: 'stssecret',
			});
			expect(noToken.json.Code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
			const good = await signedCall(emu.url, {
				sig,
				...send(),
				keyId: 'STS.NUgYrLnoC37mZZCNnAbez2x',
				secret: 'stssecret',
				token: 'CAIS-emulator-sts-token-0001',
			});
			expect(good.status).toBe(200);
			const permanent = await signedCall(emu.url, { sig, ...send(), token: 'CAIS-whatever' });
			expect(permanent.json.Code).toBe('InvalidSecurityToken.Malformed');
		});

		it('a key without ONS permission → Forbidden.RAM (403) on ons, fine on onsmqtt', async () => {
			const creds = { keyId: 'mqttonlyid', secret: 'mqttonlysecret' };
			const denied = await signedCall(emu.url, {
				sig,
				...creds,
				version: VERSIONS.ons,
				action: 'OnsInstanceInServiceList',
			});
			expect(denied.status).toBe(403);
			expect(denied.json).toMatchObject({
				Code: 'Forbidden.RAM',
				AccessDeniedDetail: { AuthAction: 'mq:OnsInstanceInServiceList' },
			});
			expect((await signedCall(emu.url, { sig, ...creds, ...send() })).status).toBe(200);
			const who = await signedCall(emu.url, {
				sig,
				...creds,
				version: VERSIONS.sts,
				action: 'GetCallerIdentity',
			});
			expect(who.json).toMatchObject({
				IdentityType: 'RAMUser',
				Arn: 'acs:ram::1234567890123456:user/mqtt-only',
			});
		});

		it('routing: unknown action → InvalidApi.NotFound (404), unknown version → InvalidVersion', async () => {
			const action = await signedCall(emu.url, { sig, version: VERSIONS.onsmqtt, action: 'Nope' });
			expect(action.status).toBe(404);
			expect(action.json.Code).toBe('InvalidApi.NotFound');
			const cross = await signedCall(emu.url, {
				sig,
				version: VERSIONS.ons,
				action: 'SendMessage',
			});
			expect(cross.json.Code).toBe('InvalidApi.NotFound');
			const version = await signedCall(emu.url, {
				sig,
				version: '2099-01-01',
				action: 'SendMessage',
			});
			expect(version.status).toBe(400);
			expect(version.json.Code).toBe('InvalidVersion');
		});

		it('validates MQTT topic, instance and the 64 KB payload limit', async () => {
			const tooBig = await signedCall(emu.url, {
				sig,
				...send('x'.repeat(65_537)),
				placement: 'form',
			});
			expect(tooBig.status).toBe(400);
			expect(tooBig.json.Code).toBe('InvalidParameter.Payload');
			const exact = await signedCall(emu.url, {
				sig,
				...send('x'.repeat(65_536)),
				placement: 'form',
			});
			expect(exact.status).toBe(200);
			const wildcard = await signedCall(emu.url, { sig, ...send('x', 'TopicA/+/x') });
			expect(wildcard.json.Code).toBe('InvalidParameter.MqttTopic');
			const parent = await signedCall(emu.url, { sig, ...send('x', 'Unknown/x') });
			expect(parent.json.Code).toBe('PermissionCheckFailed');
			const anyParent = await signedCall(emu.url, {
				sig,
				version: VERSIONS.onsmqtt,
				action: 'SendMessage',
				params: { InstanceId: 'mqtt-cn-4xl3g0a0002', MqttTopic: 'Anything/goes', Payload: 'x' },
			});
			expect(anyParent.status).toBe(200);
			const instance = await signedCall(emu.url, {
				sig,
				version: VERSIONS.onsmqtt,
				action: 'SendMessage',
				params: { InstanceId: 'post-cn-unknown', MqttTopic: 'TopicA', Payload: 'x' },
			});
			expect(instance.json.Code).toBe('InstancePermissionCheckFailed');
			emu.setKnobs({ maxPayloadBytes: 0 });
			const unlimited = await signedCall(emu.url, {
				sig,
				...send('x'.repeat(70_000)),
				placement: 'form',
			});
			expect(unlimited.status).toBe(200);
			expect(emu.mqttDeliveries().map((d) => d.bytes)).toEqual([65_536, 1, 70_000]);
		});
	});

	describe('wire details', () => {
		it('a raw + in a V2 form body decodes to a space and breaks the signature', async () => {
			const res = await signedCall(emu.url, {
				sig: 'v2',
				...send('a+b'),
				tamper: (w) => {
					w.body = w.body.replace('Payload=a%2Bb', 'Payload=a+b');
				},
			});
			expect(res.json.Code).toBe('SignatureDoesNotMatch');
			expect(res.json.Message).toContain('Payload%3Da%2520b');
		});

		it("V2 accepts unescaped !'()* on the wire (decoded, then strictly re-encoded)", async () => {
			const res = await signedCall(emu.url, {
				sig: 'v2',
				...send("x!'()*y"),
				placement: 'query',
				tamper: (w) => {
					w.path = w.path.replace('x%21%27%28%29%2Ay', "x!'()*y");
				},
			});
			expect(res.status).toBe(200);
			expect(emu.calls().at(-1)?.params?.Payload).toBe("x!'()*y");
		});

		it('V3: a body that does not match x-acs-content-sha256 fails the signature', async () => {
			const res = await signedCall(emu.url, {
				sig: 'v3',
				...send('original'),
				placement: 'form',
				tamper: (w) => {
					w.body = w.body.replace('original', 'modified');
				},
			});
			expect(res.json.Code).toBe('SignatureDoesNotMatch');
			expect(emu.mqttDeliveries()).toHaveLength(0);
		});

		it('V3: a changed query value fails the signature', async () => {
			const res = await signedCall(emu.url, {
				sig: 'v3',
				...send('original'),
				tamper: (w) => {
					w.path = w.path.replace('original', 'modified');
				},
			});
			expect(res.json.Code).toBe('SignatureDoesNotMatch');
		});

		it('V3: missing x-acs-signature-nonce or an unsigned x-acs header → IncompleteSignature', async () => {
			const noNonce = await signedCall(emu.url, {
				sig: 'v3',
				...send(),
				omit: ['x-acs-signature-nonce'],
			});
			expect(noNonce.json.Code).toBe('IncompleteSignature');
			const unsigned = await signedCall(emu.url, {
				sig: 'v3',
				...send(),
				tamper: (w) => {
					w.headers['x-acs-extra'] = 'late';
				},
			});
			expect(unsigned.status).toBe(400);
			expect(unsigned.json.Code).toBe('IncompleteSignature');
			expect(unsigned.json.Message).toContain('x-acs-extra');
			const noAuth = await signedCall(emu.url, { sig: 'v3', ...send(), omit: ['Authorization'] });
			expect(noAuth.json.Code).toBe('IncompleteSignature');
		});

		it('V2: missing common parameters → Missing<Name>', async () => {
			for (const name of ['SignatureNonce', 'Timestamp', 'AccessKeyId', 'Signature']) {
				const res = await signedCall(emu.url, { sig: 'v2', ...send(), omit: [name] });
				expect(res.json.Code).toBe(`Missing${name}`);
			}
			const old = await signedCall(emu.url, {
				sig: 'v2',
				...send(),
				omit: ['Timestamp'],
				params: { ...send().params, TimeStamp: timestamp() },
			});
			expect(old.json.Code).toBe('MissingTimestamp');
		});

		it('V2 without Format answers XML, like the gateway', async () => {
			const res = await signedCall(emu.url, { sig: 'v2', ...send(), omit: ['Format'] });
			expect(res.status).toBe(200);
			expect(res.headers['content-type']).toBe('text/xml;charset=utf-8');
			expect(res.text).toMatch(
				/^<\?xml version='1\.0' encoding='UTF-8'\?><SendMessageResponse><RequestId>[0-9A-F-]{36}<\/RequestId><MsgId>[0-9A-F]{32}<\/MsgId><\/SendMessageResponse>$/,
			);
			const err = await signedCall(emu.url, {
				sig: 'v2',
				...send(),
				omit: ['Format'],
				secret: 'x',
			});
			expect(err.text).toContain('<Error><RequestId>');
			expect(err.text).toContain('<Code>SignatureDoesNotMatch</Code>');
		});

		it('rejects other paths and methods', async () => {
			const path = await httpRequest(`${emu.url}/foo?Action=SendMessage`);
			expect(path.status).toBe(404);
			const put = await httpRequest(`${emu.url}/`, { method: 'PUT' });
			expect(put.json.Code).toBe('UnsupportedHTTPMethod');
			const bare = await httpRequest(`${emu.url}/?Format=JSON`, { method: 'POST' });
			expect(bare.status).toBe(400);
			expect(bare.json.Code).toBe('MissingVersion');
		});

		it('records every call with its verdict', async () => {
			await signedCall(emu.url, { sig: 'v3', ...send('rec'), nonce: 'n-rec' });
			await signedCall(emu.url, { sig: 'v2', ...send('rec'), secret: 'bad', nonce: 'n-bad' });
			const calls = emu.calls();
			expect(calls).toHaveLength(2);
			expect(calls[0]).toMatchObject({
				api: 'onsmqtt',
				action: 'SendMessage',
				version: '2020-04-20',
				signatureVersion: 'v3',
				accessKeyId: 'testid',
				nonce: 'n-rec',
				code: 'OK',
				status: 200,
				processed: true,
				params: { InstanceId: INSTANCE, MqttTopic: 'TopicA/auth', Payload: 'rec' },
			});
			expect(calls[1]).toMatchObject({
				code: 'SignatureDoesNotMatch',
				status: 400,
				processed: false,
			});
			expect(calls[1].params).not.toHaveProperty('Signature');
		});
	});
});
