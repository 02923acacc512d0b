/**
 * The RocketMQ HTTP protocol's publish side and its authentication, with Alibaba's
 * `@aliyunmq/mq-http-sdk` 1.0.4 as the client, and the OpenAPI actions around it.
 */
import { createHash } from 'node:crypto';

import { createEmulator, type Emulator } from './emulator';
import { mqSignature, mqStringToSign, sdkContentMd5 } from './mqHttp/signature';
import {
	errorCode,
	mqWire,
	sdkClient,
	sdkProperties,
	sdkPublishBody,
	type SdkError,
} from './mqHttp/sdk-client';
import { closeAgent, fakeOnly, signedCall, VERSIONS } from './test-helpers';

const INSTANCE = 'MQ_INST_111111111111_DOxxxxxx';
const PUBLISH = `/topics/test_topic/messages?ns=${INSTANCE}`;
const VECTOR_DATE = 'Wed, 01 Jan 2025 00:00:00 GMT';
const VECTOR_NS = 'MQ_INST_1234567890123456_BXtestab';

let emu: Emulator;

beforeAll(async () => {
	emu = await createEmulator({ mqtt: false });
});
afterEach(() => emu.reset());
afterAll(async () => {
	await emu.close();
	closeAgent();
});

async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
	try {
		await promise;
	} catch (e) {
		return e as SdkError;
	}
	throw new Error('expected the SDK call to fail');
}

describe('signature stages against the vectors computed with the SDK', () => {
	const sign = (
		method: string,
		md5: string | undefined,
		resource: string,
		type = 'text/xml;charset=utf-8',
	) =>
		mqSignature(
			'testAccessKeySecret',
			mqStringToSign({
				method,
				contentMd5: md5,
				contentType: type,
				date: VECTOR_DATE,
				mqHeaders: { 'x-mq-version': '2015-06-06' },
				resource,
			}),
		);

	it('V0: the SDK unit-test vector', () => {
		const sts = mqStringToSign({
			method: 'PUT',
			contentMd5: '574683b3684e3cff610afa155cc2506d',
			contentType: 'text/xml',
			date: 'Tue, 11 Apr 2017 10:09:19 GMT',
			mqHeaders: { 'x-mq-version': '2015-06-06' },
			resource: '/',
		});
		expect(mqSignature('ACCESS_KEY_SECRET', sts)).toBe('G7NRBqmP9XfhTJ/pV3AgYQtXaaU=');
	});

	it('V1/V4 publish, V3 ack, V6 commit with Content-MD5', () => {
		const body = sdkPublishBody('hello world', 'TagA', 'KEYS:order-1|a:1');
		expect(sdkContentMd5(body)).toBe('ZDcyOTQ1ZTRiYzM2NTdlMWJiYzg1NTRhYWVmZTliNzM=');
		expect(sign('POST', sdkContentMd5(body), `/topics/T_test/messages?ns=${VECTOR_NS}`)).toBe(
			't16EmRqz3L806vfE5N7KaCUCDuw=',
		);
		expect(
			sign(
				'DELETE',
				'YWEyYjNkMjBmZTRjNTdkYjc0OWUzNjExNmJmMDdhNzc=',
				`/topics/T_test/messages?consumer=GID_test&ns=${VECTOR_NS}`,
			),
		).toBe('kx0naLI2XlI3VFdnmFPSxejdvmM=');
		expect(
			sign(
				'DELETE',
				'NmE0ZTMxMjBjY2E2ZDY0YzZiMjIzNmQyZGY2MGNlMDM=',
				`/topics/T_test/messages?consumer=GID_test&ns=${VECTOR_NS}&trans=commit`,
			),
		).toBe('XUkFepBHxb3Mb87dpzdQlPxInks=');
	});

	it('V2 consume (encoded tag), V5 ordered, V7 without Content-Type: the resource as sent', () => {
		expect(
			sign(
				'GET',
				undefined,
				`/topics/T_test/messages?consumer=GID_test&ns=${VECTOR_NS}&tag=TagA%7C%7CTagB&numOfMessages=3&waitseconds=3`,
			),
		).toBe('MOBasnd2V/tcZlnICmdwQHViM4w=');
		expect(
			sign(
				'GET',
				undefined,
				`/topics/T_test/messages?consumer=GID_test&ns=${VECTOR_NS}&numOfMessages=16&waitseconds=30&trans=order`,
			),
		).toBe('8Z6y4IM/8bcSQWWtHZTFgTJQlQk=');
		expect(
			sign('GET', undefined, '/topics/T_test/messages?consumer=GID_test&numOfMessages=1', ''),
		).toBe('2P8dUaUJ7e5RyRDU6yNciyU64nE=');
	});
});

describe('PublishMessage with the SDK', () => {
	it('stores the message with tag, key and properties, and answers its ID and body MD5', async () => {
		const producer = sdkClient(emu.url).getProducer(INSTANCE, 'test_topic');
		const answer = await producer.publishMessage(
			'hello <b> & "c"\nline',
			'TagA',
			sdkProperties({ key: 'order-7', user: { customer: 'c-1', n: '2' } }),
		);
		expect(answer.code).toBe(201);
		expect(answer.body.MessageId).toMatch(/^[0-9A-F]{32}$/);
		expect(answer.body.MessageBodyMD5).toBe(
			createHash('md5').update('hello <b> & "c"\nline', 'utf8').digest('hex').toUpperCase(),
		);
		const [stored] = emu.rocketMqMessages({ topic: 'test_topic' }).filter((m) => m.publishTime);
		expect(stored).toMatchObject({
			msgId: answer.body.MessageId,
			instanceId: INSTANCE,
			body: 'hello <b> & "c"\nline',
			tag: 'TagA',
			key: 'order-7',
			properties: { KEYS: 'order-7', customer: 'c-1', n: '2' },
		});
		expect(emu.calls({ action: 'PublishMessage' })).toMatchObject([
			{
				api: 'mq',
				code: 'OK',
				status: 201,
				accessKeyId: 'testid',
				msgId: answer.body.MessageId,
				processed: true,
			},
		]);
	});

	it('reads entity-escaped text too, and keeps a CR only as &#13; (XML line ends)', async () => {
		const body = Buffer.from(
			'<?xml version="1.0" encoding="UTF-8"?><Message><MessageBody>a]]&gt;b &lt;c&gt; &amp; x&#13;\ny\r\nz</MessageBody></Message>',
		);
		const res = await mqWire(emu.url, { method: 'POST', resource: PUBLISH, body });
		expect(res.status).toBe(201);
		expect(emu.rocketMqMessages({ topic: 'test_topic' }).at(-1)?.body).toBe(
			'a]]>b <c> & x\r\ny\nz',
		);
	});

	it("refuses the SDK's own CDATA body holding ]]> with MalformedXML (the SDK's hazard)", async () => {
		const producer = sdkClient(emu.url).getProducer(INSTANCE, 'test_topic');
		const e = await sdkError(producer.publishMessage('a]]>b<c>&'));
		expect(e.Code).toBe('MalformedXML');
		expect(emu.calls({ action: 'PublishMessage' })[0]).toMatchObject({
			status: 400,
			processed: false,
		});
	});

	it.each([
		['an unknown topic', 'TopicNotExist', 404, `/topics/nope/messages?ns=${INSTANCE}`],
		['an unknown instance', 'TopicNotExist', 404, '/topics/test_topic/messages?ns=MQ_INST_9_x'],
		['no ns on an instance with a namespace', 'TopicNotExist', 404, '/topics/test_topic/messages'],
		['an unknown query item', 'InvalidQueryString', 400, `${PUBLISH}&foo=1`],
		['another path', 'InvalidRequestURL', 400, `/topics/test_topic/other?ns=${INSTANCE}`],
	])('answers %s with %s %d', async (_name, code, status, resource) => {
		const res = await mqWire(emu.url, { method: 'POST', resource, body: sdkPublishBody('x') });
		expect([res.status, errorCode(res.text)]).toEqual([status, code]);
		expect(res.headers['x-mq-request-id']).toMatch(/^[0-9A-F]{24}$/);
		expect(res.headers['content-type']).toBe('text/xml;charset=utf-8');
		expect(res.text).toMatch(
			/^<\?xml version="1.0" encoding="UTF-8"\?><Error xmlns="http:\/\/mq.aliyuncs.com\/doc\/v1\/"><Code>\w+<\/Code><Message>[^<]+<\/Message><RequestId>[0-9A-F]{24}<\/RequestId><HostId>http:\/\/127.0.0.1:\d+<\/HostId><\/Error>$/,
		);
	});

	it('accepts a publish without ns on an instance without a namespace', async () => {
		emu.reset({
			seed: {
				...emu.state.snapshot(),
				onsInstances: [
					{
						instanceId: 'MQ_INST_legacy',
						independentNaming: false,
						topics: [{ topic: 'legacy_topic' }],
					},
				],
			},
		});
		const res = await mqWire(emu.url, {
			method: 'POST',
			resource: '/topics/legacy_topic/messages',
			body: sdkPublishBody('x'),
		});
		expect(res.status).toBe(201);
		emu.reset({ seed: (await import('./seed')).defaultSeed() });
	});

	it.each([
		['a body over 4 MB', 'test_topic', 'x'.repeat(4 * 1024 * 1024 + 1), {}],
		[
			'a timed body over 64 KB',
			'test_topic',
			'x'.repeat(64 * 1024 + 1),
			{ startDeliverTime: Date.now() + 60_000 },
		],
		[
			'a delivery time beyond 40 days',
			'test_topic',
			'x',
			{ startDeliverTime: Date.now() + 41 * 86_400_000 },
		],
		['an ordered topic without a sharding key', 'orders', 'x', {}],
		[
			'a timed message on an ordered topic',
			'orders',
			'x',
			{ shardingKey: 'k', startDeliverTime: Date.now() + 1000 },
		],
	])('refuses %s with InvalidArgument, storing nothing', async (_name, topic, body, props) => {
		const producer = sdkClient(emu.url).getProducer(INSTANCE, topic);
		const e = await sdkError(producer.publishMessage(body, undefined, sdkProperties(props)));
		expect(e.Code).toBe('InvalidArgument');
		expect(emu.rocketMqMessages({ topic }).filter((m) => m.publishTime)).toHaveLength(0);
	});

	it('accepts exactly 4 MB, and a sharding key on an ordered topic', async () => {
		const producer = sdkClient(emu.url).getProducer(INSTANCE, 'test_topic');
		expect((await producer.publishMessage('x'.repeat(4 * 1024 * 1024))).code).toBe(201);
		const ordered = sdkClient(emu.url).getProducer(INSTANCE, 'orders');
		expect(
			(await ordered.publishMessage('x', 'T', sdkProperties({ shardingKey: 'customer-1' }))).code,
		).toBe(201);
		expect(emu.rocketMqMessages({ topic: 'orders' }).at(-1)).toMatchObject({
			shardingKey: 'customer-1',
		});
	});
});

describe('authentication', () => {
	const publish = (
		tamper?: Parameters<typeof mqWire>[1]['tamper'],
		extra: Partial<Parameters<typeof mqWire>[1]> = {},
	) =>
		mqWire(emu.url, {
			method: 'POST',
			resource: PUBLISH,
			body: sdkPublishBody('hello'),
			tamper,
			...extra,
		});
	const outcome = async (p: ReturnType<typeof publish>) => {
		const res = await p;
		return [res.status, errorCode(res.text) ?? 'OK'];
	};

	it.each<
		[
			string,
			Parameters<typeof mqWire>[1]['tamper'],
			Partial<Parameters<typeof mqWire>[1]>,
			number,
			string,
		]
	>([
		['a wrong secret', undefined, { secret: 'wrong' }, 403, 'SignatureDoesNotMatch'],
		['an unknown AccessKey', undefined, { keyId: 'nobody' }, 403, 'InvalidAccessKeyId'],
		[
			'a disabled AccessKey',
			undefined,
			{ keyId: 'disabledid', secret: 'disabledsecret' },
			403,
			'InvalidAccessKeyId',
		],
		[
			'a tampered Date',
			(w) => (w.headers.date = new Date(Date.now() + 1000).toUTCString()),
			{},
			403,
			'SignatureDoesNotMatch',
		],
		['a tampered body', (w) => (w.body = sdkPublishBody('hellO')), {}, 400, 'InvalidDigest'],
		['a tampered query', (w) => (w.resource += '&ns=x'), {}, 403, 'SignatureDoesNotMatch'],
		[
			'no Authorization',
			(w) => delete w.headers.authorization,
			{},
			400,
			'MissingAuthorizationHeader',
		],
		[
			'a malformed Authorization',
			(w) => (w.headers.authorization = 'MQ testid'),
			{},
			400,
			'InvalidAuthorizationHeader',
		],
		['no Date', (w) => delete w.headers.date, {}, 400, 'MissingDateHeader'],
		[
			'a malformed Date',
			(w) => (w.headers.date = '2025-01-01T00:00:00Z'),
			{},
			400,
			'InvalidDateHeader',
		],
		[
			'a RAM user without mq:PUB',
			undefined,
			{ keyId: 'mqttonlyid', secret: 'mqttonlysecret' },
			403,
			'AccessDenied',
		],
	])('refuses %s', async (_name, tamper, extra, status, code) => {
		expect(await outcome(publish(tamper, extra))).toEqual([status, code]);
		expect(emu.rocketMqMessages({ topic: 'test_topic' }).filter((m) => m.publishTime)).toHaveLength(
			0,
		);
	});

	it('signs Content-MD5: removing it breaks the signature, a request signed without one passes', async () => {
		expect(await outcome(publish((w) => delete w.headers['content-md5']))).toEqual([
			403,
			'SignatureDoesNotMatch',
		]);
		// Signed without it, it passes:
		const { mqSignature: sig, mqStringToSign: sts } = await import('./mqHttp/signature');
		const res = await publish((w) => {
			delete w.headers['content-md5'];
			const s = sts({
				method: 'POST',
				contentType: w.headers['content-type'],
				date: w.headers.date,
				mqHeaders: { 'x-mq-version': '2015-06-06' },
				resource: w.resource,
			});
			w.headers.authorization = `MQ testid:${sig('testsecret', s)}`;
		});
		expect(res.status).toBe(201);
	});

	it('refuses a Date more than 15 minutes off the server clock with TimeExpired 408, and accepts 14', async () => {
		emu.setKnobs({ clockSkewMs: 16 * 60_000 });
		expect(await outcome(publish())).toEqual([408, 'TimeExpired']);
		emu.setKnobs({ clockSkewMs: -14 * 60_000 });
		expect(await outcome(publish())).toEqual([201, 'OK']);
	});

	it('STS: the security-token is required and not signed', async () => {
		const sts = { keyId: 'STS.NUgYrLnoC37mZZCNnAbez2x', secret: 'stssecret' };
		expect(
			await outcome(publish(undefined, { ...sts, token: 'CAIS-emulator-sts-token-0001' })),
		).toEqual([201, 'OK']);
		expect(await outcome(publish(undefined, sts))).toEqual([403, 'AccessDenied']);
		expect(await outcome(publish(undefined, { ...sts, token: 'other' }))).toEqual([
			403,
			'AccessDenied',
		]);
		expect(
			await outcome(
				publish(undefined, {
					keyId: 'STS.ExpiredKey0000000000000',
					secret: 'expiredstssecret',
					token: 'CAIS-emulator-sts-token-expired',
				}),
			),
		).toEqual([403, 'AccessDenied']);
		expect(await outcome(publish(undefined, { token: 'CAIS-emulator-sts-token-0001' }))).toEqual([
			403,
			'AccessDenied',
		]);
	});
});

describe('the OpenAPI side', () => {
	const ons = (action: string, params: Record<string, string>) =>
		signedCall(emu.url, { version: VERSIONS.ons, action, params });

	it('OnsInstanceBaseInfo: endpoints at the emulator, namespace flag, TPS', async () => {
		const res = await ons('OnsInstanceBaseInfo', { InstanceId: INSTANCE });
		expect(res.status).toBe(200);
		expect(res.json.InstanceBaseInfo).toMatchObject({
			InstanceId: INSTANCE,
			IndependentNaming: true,
			MaxTps: 5000,
			Endpoints: {
				HttpInternetEndpoint: emu.url,
				HttpInternetSecureEndpoint: emu.url,
				HttpInternalEndpoint: emu.url,
			},
		});
		expect((await ons('OnsInstanceBaseInfo', { InstanceId: 'MQ_INST_none' })).json.Code).toBe(
			'INSTANCE_NOT_FOUND',
		);
	});

	it('a message published over HTTP is found by key after the index delay, and can be pushed', async () => {
		emu.setKnobs({ mqHttp: { keyIndexDelayMs: 60_000 } });
		fakeOnly('Date');
		try {
			const producer = sdkClient(emu.url).getProducer(INSTANCE, 'test_topic');
			const { body } = await producer.publishMessage(
				'by key',
				'TagA',
				sdkProperties({ key: 'row-1' }),
			);
			const byKey = () =>
				ons('OnsMessageGetByKey', { InstanceId: INSTANCE, Topic: 'test_topic', Key: 'row-1' });
			const ids = (r: Awaited<ReturnType<typeof byKey>>) =>
				(r.json.Data as { OnsRestMessageDo: Array<{ MsgId: string }> }).OnsRestMessageDo.map(
					(m) => m.MsgId,
				);
			expect(ids(await byKey())).toEqual([]);
			jest.setSystemTime(Date.now() + 60_000);
			expect(ids(await byKey())).toEqual([body.MessageId]);
			const byId = await ons('OnsMessageGetByMsgId', {
				InstanceId: INSTANCE,
				Topic: 'test_topic',
				MsgId: body.MessageId,
			});
			expect(byId.json.Data).toMatchObject({ MsgId: body.MessageId, Topic: 'test_topic' });

			const push = await ons('OnsMessagePush', {
				InstanceId: INSTANCE,
				Topic: 'test_topic',
				GroupId: 'GID_test_group_id',
				ClientId: '30.5.121.7@24813#-1999745829#-1737591554#453111174894656',
				MsgId: body.MessageId,
			});
			expect(push.status).toBe(200);
			expect(emu.onsDeliveries()[0]).toMatchObject({
				sourceMsgId: body.MessageId,
				bodyBase64: Buffer.from('by key').toString('base64'),
			});
		} finally {
			jest.useRealTimers();
		}
	});

	it('OnsGroupList answers GroupType for both kinds', async () => {
		const res = await ons('OnsGroupList', { InstanceId: INSTANCE, GroupType: 'all' });
		const groups = (
			res.json.Data as { SubscribeInfoDo: Array<{ GroupId: string; GroupType: string }> }
		).SubscribeInfoDo;
		expect(groups.map((g) => [g.GroupId, g.GroupType])).toEqual([
			['GID_test_group_id', 'tcp'],
			['GID_offline_group', 'tcp'],
			['GID_http_group', 'http'],
		]);
	});
});

describe('CLI flags', () => {
	it('sets the RocketMQ HTTP knobs, and refuses a bad value before anything listens', async () => {
		const { parseCliArgs } = await import('./main');
		const options = parseCliArgs(['--invisibility-scale', '0.01', '--key-index-delay', '500']);
		expect(options !== 'help' && options.knobs).toMatchObject({
			mqHttp: { invisibilityScale: 0.01, keyIndexDelayMs: 500 },
		});
		expect(() => parseCliArgs(['--invisibility-scale', '0'])).toThrow(/invisibilityScale/);
	});
});
