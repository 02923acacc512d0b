/**
 * The RocketMQ HTTP protocol's consume side (long polling, receipt handles, invisibility and
 * redelivery, ordered partitions, timed messages, tag filters, acks), quotas and faults, with
 * Alibaba's `@aliyunmq/mq-http-sdk` 1.0.4 as the client. Time moves with a faked `Date` only.
 */
import { createEmulator, type Emulator } from './emulator';
import {
	errorCode,
	mqWire,
	sdkClient,
	sdkProperties,
	type SdkConsumer,
	type SdkError,
} from './mqHttp/sdk-client';
import { closeAgent, fakeOnly, until } from './test-helpers';

const INSTANCE = 'MQ_INST_111111111111_DOxxxxxx';
const GROUP = 'GID_http_group';

let emu: Emulator;

beforeAll(async () => {
	emu = await createEmulator({ mqtt: false });
});
afterEach(() => {
	jest.useRealTimers();
	emu.reset();
});
afterAll(async () => {
	await emu.close();
	closeAgent();
});

const producer = (topic = 'test_topic') => sdkClient(emu.url).getProducer(INSTANCE, topic);
const consumer = (topic = 'test_topic', tag?: string): SdkConsumer =>
	sdkClient(emu.url).getConsumer(INSTANCE, topic, GROUP, tag);

async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
	try {
		await promise;
	} catch (e) {
		return e as SdkError;
	}
	throw new Error('expected the SDK call to fail');
}

const advance = (ms: number) => jest.setSystemTime(Date.now() + ms);

describe('consume and ack', () => {
	it('delivers with a ReceiptHandle and the documented fields; ack removes it; an empty poll is MessageNotExist', async () => {
		const sent = await producer().publishMessage(
			'one',
			'TagA',
			sdkProperties({ key: 'k-1', user: { a: 'x' } }),
		);
		const { code, body } = await consumer().consumeMessage(16);
		expect(code).toBe(200);
		expect(body).toHaveLength(1);
		const [m] = body;
		expect(m).toMatchObject({
			MessageId: sent.body.MessageId,
			MessageBody: 'one',
			MessageBodyMD5: sent.body.MessageBodyMD5,
			MessageTag: 'TagA',
			MessageKey: 'k-1',
			Properties: { a: 'x' },
			ConsumedTimes: '1',
		});
		expect(Number(m.NextConsumeTime) - Number(m.FirstConsumeTime)).toBe(300_000);
		expect(Number(m.PublishTime)).toBeLessThanOrEqual(Number(m.FirstConsumeTime));
		expect(emu.rocketMqMessages({ topic: 'test_topic' }).at(-1)?.deliveries[GROUP]).toMatchObject({
			state: 'invisible',
			consumedTimes: 1,
		});

		const ack = await consumer().ackMessage([m.ReceiptHandle]);
		expect(ack.code).toBe(204);
		expect(emu.rocketMqMessages({ topic: 'test_topic' }).at(-1)?.deliveries[GROUP]).toEqual({
			state: 'acked',
			consumedTimes: 1,
		});
		expect((await sdkError(consumer().consumeMessage(1))).Code).toBe('MessageNotExist');
		expect(emu.calls({ api: 'mq' }).map((c) => [c.action, c.status])).toEqual([
			['PublishMessage', 201],
			['ConsumeMessage', 200],
			['AckMessage', 204],
			['ConsumeMessage', 404],
		]);
	});

	it('seed messages are history: pushed and found by key, never consumed', async () => {
		expect((await sdkError(consumer().consumeMessage(16))).Code).toBe('MessageNotExist');
	});

	it('batches up to numOfMessages in store order, and emu.addMessage / publishRocketMq feed the same store', async () => {
		emu.addMessage({
			msgId: 'A0000000000000000000000000000001',
			instanceId: INSTANCE,
			topic: 'test_topic',
			body: 'added',
			key: 'ka',
		});
		emu.publishRocketMq({ instanceId: INSTANCE, topic: 'test_topic', body: 'published', tag: 'T' });
		for (let i = 0; i < 20; i++) await producer().publishMessage(`m${i}`);
		const first = await consumer().consumeMessage(16);
		expect(first.body.map((m) => m.MessageBody)).toEqual([
			'added',
			'published',
			...Array.from({ length: 14 }, (_, i) => `m${i}`),
		]);
		const second = await consumer().consumeMessage(16);
		expect(second.body.map((m) => m.MessageBody)).toEqual([
			'm14',
			'm15',
			'm16',
			'm17',
			'm18',
			'm19',
		]);
	});

	it('filters by tag A||B; other messages are filtered for the group', async () => {
		for (const tag of ['TagA', 'TagB', 'TagC']) await producer().publishMessage(tag, tag);
		const { body } = await consumer('test_topic', 'TagA||TagC').consumeMessage(16);
		expect(body.map((m) => m.MessageBody)).toEqual(['TagA', 'TagC']);
		expect(
			emu.rocketMqMessages({ topic: 'test_topic' }).map((m) => m.deliveries[GROUP]?.state),
		).toEqual([undefined, 'invisible', 'filtered', 'invisible']);
	});

	it('redelivers an unacked message after NextConsumeTime with a new handle and ConsumedTimes + 1; the old handle is refused', async () => {
		fakeOnly('Date');
		await producer().publishMessage('again');
		const [first] = (await consumer().consumeMessage(1)).body;
		expect((await sdkError(consumer().consumeMessage(1))).Code).toBe('MessageNotExist');
		advance(300_000);
		const [second] = (await consumer().consumeMessage(1)).body;
		expect(second).toMatchObject({
			MessageId: first.MessageId,
			ConsumedTimes: '2',
			FirstConsumeTime: first.FirstConsumeTime,
		});
		expect(second.ReceiptHandle).not.toBe(first.ReceiptHandle);

		const stale = await consumer().ackMessage([first.ReceiptHandle, 'garbage']);
		expect(stale.code).toBe(404);
		expect(stale.body).toEqual([
			expect.objectContaining({ ErrorCode: 'MessageNotExist', ReceiptHandle: first.ReceiptHandle }),
			expect.objectContaining({ ErrorCode: 'ReceiptHandleError', ReceiptHandle: 'garbage' }),
		]);
		advance(300_000);
		const expired = await consumer().ackMessage([second.ReceiptHandle]);
		expect(expired.body).toEqual([expect.objectContaining({ ErrorCode: 'MessageNotExist' })]);
	});

	it('scales the invisibility with the knob, and dead-letters after maxRetries', async () => {
		fakeOnly('Date');
		emu.setKnobs({ mqHttp: { invisibilityScale: 0.01, maxRetries: 1 } });
		await producer().publishMessage('poison');
		const [m] = (await consumer().consumeMessage(1)).body;
		expect(Number(m.NextConsumeTime) - Number(m.FirstConsumeTime)).toBe(3000);
		advance(3000);
		expect((await consumer().consumeMessage(1)).body[0].ConsumedTimes).toBe('2');
		advance(3000);
		expect((await sdkError(consumer().consumeMessage(1))).Code).toBe('MessageNotExist');
		expect(emu.rocketMqMessages({ topic: 'test_topic' }).at(-1)?.deliveries[GROUP]).toEqual({
			state: 'deadLettered',
			consumedTimes: 2,
		});
	});

	it('keeps a timed message invisible until its delivery time', async () => {
		fakeOnly('Date');
		await producer().publishMessage(
			'later',
			undefined,
			sdkProperties({ startDeliverTime: Date.now() + 60_000 }),
		);
		expect(emu.rocketMqMessages({ topic: 'test_topic' }).at(-1)?.deliveries).toEqual({});
		expect((await sdkError(consumer().consumeMessage(1))).Code).toBe('MessageNotExist');
		advance(60_000);
		expect((await consumer().consumeMessage(1)).body[0]).toMatchObject({
			MessageBody: 'later',
			StartDeliverTime: expect.any(Number),
		});
	});
});

describe('ordered consumption (trans=order)', () => {
	it('keeps one batch in flight per sharding key, and order within a key', async () => {
		fakeOnly('Date');
		const send = (body: string, key: string) =>
			producer('orders').publishMessage(body, undefined, sdkProperties({ shardingKey: key }));
		await send('k1-a', 'k1');
		await send('k1-b', 'k1');
		await send('k2-a', 'k2');
		const c = consumer('orders');
		const b1 = (await c.consumeMessageOrderly(1)).body;
		expect(b1.map((m) => m.MessageBody)).toEqual(['k1-a']);
		expect(Number(b1[0].NextConsumeTime) - Number(b1[0].FirstConsumeTime)).toBe(60_000);
		const b2 = (await c.consumeMessageOrderly(16)).body;
		expect(b2.map((m) => m.MessageBody)).toEqual(['k2-a']);
		expect((await sdkError(c.consumeMessageOrderly(16))).Code).toBe('MessageNotExist');
		// Not acked: the same message comes back first, after the (ordered) one minute.
		advance(60_000);
		const again = (await c.consumeMessageOrderly(16)).body;
		expect(again.map((m) => [m.MessageBody, m.ConsumedTimes])).toEqual([
			['k1-a', '2'],
			['k1-b', '1'],
			['k2-a', '2'],
		]);
		expect((await c.ackMessage(again.map((m) => m.ReceiptHandle))).code).toBe(204);
		expect((await sdkError(c.consumeMessageOrderly(16))).Code).toBe('MessageNotExist');
	});

	it('refuses trans=order on a normal topic', async () => {
		expect((await sdkError(consumer().consumeMessageOrderly(1))).Code).toBe('InvalidArgument');
	});
});

describe('long polling', () => {
	it('answers a waiting poll as soon as a message is stored', async () => {
		const poll = consumer().consumeMessage(16, 30);
		await until(() => emu.rocketMqPendingPolls() === 1);
		const sent = await producer().publishMessage('now');
		const { body } = await poll;
		expect(body.map((m) => m.MessageId)).toEqual([sent.body.MessageId]);
		const [publish, consume] = emu.calls({ api: 'mq' });
		expect([publish.action, consume.action]).toEqual(['PublishMessage', 'ConsumeMessage']);
	});

	it('answers a waiting poll when a timed message becomes visible, and when a redelivery is due', async () => {
		fakeOnly('Date', 'setTimeout', 'clearTimeout');
		emu.setKnobs({ mqHttp: { invisibilityScale: 0.01 } });
		await producer().publishMessage(
			'timed',
			undefined,
			sdkProperties({ startDeliverTime: Date.now() + 5000 }),
		);
		const poll = consumer().consumeMessage(1, 30);
		await until(() => emu.rocketMqPendingPolls() === 1);
		jest.advanceTimersByTime(5000);
		const [m] = (await poll).body;
		expect(m).toMatchObject({ MessageBody: 'timed', ConsumedTimes: '1' });

		const again = consumer().consumeMessage(1, 30);
		await until(() => emu.rocketMqPendingPolls() === 1);
		jest.advanceTimersByTime(3000);
		expect((await again).body[0]).toMatchObject({ MessageId: m.MessageId, ConsumedTimes: '2' });
	});

	it('does not hand a message to a poll whose client went away', async () => {
		const gone = mqWire(emu.url, {
			method: 'GET',
			resource: `/topics/test_topic/messages?consumer=${GROUP}&ns=${INSTANCE}&numOfMessages=1&waitseconds=30`,
			timeoutMs: 200,
		}).catch((e: Error) => e.message);
		await until(() => emu.rocketMqPendingPolls() === 1);
		expect(await gone).toBe('client timeout');
		await until(() => emu.rocketMqPendingPolls() === 0);
		await producer().publishMessage('kept');
		expect((await consumer().consumeMessage(1)).body[0]).toMatchObject({
			MessageBody: 'kept',
			ConsumedTimes: '1',
		});
	});

	it('close() releases pending long polls at once', async () => {
		const other = await createEmulator({ mqtt: false });
		const poll = sdkClient(other.url)
			.getConsumer(INSTANCE, 'test_topic', GROUP)
			.consumeMessage(1, 30);
		const outcome = poll.then(
			() => 'answered',
			(e: SdkError) => e.Code ?? 'closed',
		);
		await until(() => other.rocketMqPendingPolls() === 1);
		await other.close();
		expect(['MessageNotExist', 'closed']).toContain(await outcome);
	});
});

describe('errors, quotas and faults', () => {
	const get = (query: string) =>
		mqWire(emu.url, { method: 'GET', resource: `/topics/test_topic/messages?${query}` });

	it.each([
		[
			'a TCP group',
			`consumer=GID_test_group_id&ns=${INSTANCE}&numOfMessages=1`,
			404,
			'SubscriptionNotExist',
		],
		[
			'an unknown group',
			`consumer=GID_nope&ns=${INSTANCE}&numOfMessages=1`,
			404,
			'SubscriptionNotExist',
		],
		['no consumer', `ns=${INSTANCE}&numOfMessages=1`, 400, 'InvalidArgument'],
		['numOfMessages 0', `consumer=${GROUP}&ns=${INSTANCE}&numOfMessages=0`, 400, 'InvalidArgument'],
		[
			'numOfMessages 17',
			`consumer=${GROUP}&ns=${INSTANCE}&numOfMessages=17`,
			400,
			'InvalidArgument',
		],
		['no numOfMessages', `consumer=${GROUP}&ns=${INSTANCE}`, 400, 'InvalidArgument'],
		[
			'waitseconds 31',
			`consumer=${GROUP}&ns=${INSTANCE}&numOfMessages=1&waitseconds=31`,
			400,
			'InvalidArgument',
		],
		[
			'trans=pop',
			`consumer=${GROUP}&ns=${INSTANCE}&numOfMessages=1&trans=pop`,
			400,
			'InvalidArgument',
		],
	])('answers %s with the documented code', async (_name, query, status, code) => {
		const res = await get(query);
		expect([res.status, errorCode(res.text)]).toEqual([status, code]);
	});

	it('an ack without handles is MissingReceiptHandle; a malformed one MalformedXML', async () => {
		const ack = (body: string) =>
			mqWire(emu.url, {
				method: 'DELETE',
				resource: `/topics/test_topic/messages?consumer=${GROUP}&ns=${INSTANCE}`,
				body: Buffer.from(body),
			});
		expect(
			errorCode(
				(await ack('<ReceiptHandles xmlns="http://mq.aliyuncs.com/doc/v1/"></ReceiptHandles>'))
					.text,
			),
		).toBe('MissingReceiptHandle');
		expect(errorCode((await ack('<ReceiptHandles><ReceiptHandle>x</ReceiptHandles>')).text)).toBe(
			'MalformedXML',
		);
	});

	it('counts publish and consume against the instance TPS (QpsLimitExceeded)', async () => {
		fakeOnly('Date');
		emu.reset({
			seed: {
				...emu.state.snapshot(),
				onsInstances: emu.state.snapshot().onsInstances.map((i) => ({ ...i, maxTps: 2 })),
			},
		});
		await producer().publishMessage('1');
		await consumer().consumeMessage(1);
		const e = await sdkError(producer().publishMessage('3'));
		expect(e.Code).toBe('QpsLimitExceeded');
		expect(emu.calls({ code: 'QpsLimitExceeded' })[0]).toMatchObject({
			throttled: true,
			status: 400,
		});
		advance(1001);
		expect((await producer().publishMessage('4')).code).toBe(201);
		emu.reset({ seed: (await import('./seed')).defaultSeed() });
	});

	it('faults like the OpenAPI side: before processing nothing is stored, after processing it is', async () => {
		emu.setKnobs({
			script: [
				{ fault: 'internalError', action: 'PublishMessage' },
				{ fault: 'sendMessageFailed', action: 'PublishMessage' },
				{ fault: 'resetAfterProcessing', action: 'PublishMessage' },
				{ fault: 'resetAfterProcessing', action: 'ConsumeMessage' },
			],
		});
		expect((await sdkError(producer().publishMessage('a'))).Code).toBe('InternalError');
		expect((await sdkError(producer().publishMessage('b'))).Code).toBe('InternalError');
		expect((await sdkError(producer().publishMessage('c'))).message).toMatch(
			/socket hang up|ECONNRESET/,
		);
		expect(
			emu
				.rocketMqMessages({ topic: 'test_topic' })
				.filter((m) => m.publishTime)
				.map((m) => m.body),
		).toEqual(['b', 'c']);
		// A consume answer lost after processing leaves the messages in flight.
		await sdkError(consumer().consumeMessage(16));
		expect(
			emu
				.rocketMqMessages({ topic: 'test_topic' })
				.filter((m) => m.publishTime)
				.map((m) => m.deliveries[GROUP]?.state),
		).toEqual(['invisible', 'invisible']);
		expect(emu.counters().PublishMessage).toMatchObject({
			accepted: 2,
			faults: { internalError: 1, sendMessageFailed: 1, resetAfterProcessing: 1 },
		});
	});
});
