import type { ICredentialDataDecryptedObject, INodeExecutionData } from 'n8n-workflow';

import { systemClock } from '../../nodes/ApsaraMq/transport/clock';
import type { Emulator } from '../emulator';
import { createEmulator } from '../emulator';
import { emulatorCredentials, n8nLikeTransport } from './emulatorTransport';
import { FakeClock } from '../transport/fakeClock';
import { id, NODE, run } from './fakeContext';

function virtualClockAtNow(): FakeClock {
	const clock = new FakeClock();
	clock.time = Date.now();
	return clock;
}

/** Publish RocketMQ Message against the emulator's RocketMQ HTTP protocol, signed by the real credential. */

const INSTANCE = 'MQ_INST_111111111111_DOxxxxxx';
let emulator: Emulator;

beforeAll(async () => {
	emulator = await createEmulator({ knobs: { quotas: { enabled: false } } });
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

const publish = (
	overrides: Record<string, unknown> = {},
	options: Record<string, unknown> = {},
) => ({
	operation: 'publishRocketMqMessage',
	instanceId: id(INSTANCE),
	topic: id('test_topic'),
	payloadType: 'text',
	payload: 'hello',
	tag: '',
	options,
	...overrides,
});

async function runWith(
	parameters: Record<string, unknown>,
	extra: {
		items?: INodeExecutionData[];
		continueOnFail?: boolean;
		credentials?: Partial<ICredentialDataDecryptedObject>;
		/** The system clock: for the emulator's key index delay, which runs on real time. */
		realTime?: boolean;
	} = {},
) {
	const { transport, close } = n8nLikeTransport();
	try {
		return await run({
			parameters,
			transport,
			credentials: emulatorCredentials(emulator.url, extra.credentials),
			items: extra.items,
			continueOnFail: extra.continueOnFail,
			// Virtual time for pacing and look-up pauses, starting at the emulator's (real) now,
			// since delivery times are checked against it.
			clock: extra.realTime ? systemClock : virtualClockAtNow(),
		});
	} finally {
		await close();
	}
}

/** The messages published over HTTP (the seed holds one more). */
const stored = () =>
	emulator.rocketMqMessages({ topic: 'test_topic' }).filter((m) => m.publishTime !== undefined);

describe('publishes', () => {
	it('body, tag, key and properties, one output item per input, in order, paired', async () => {
		const items = [{ json: { n: 1 } }, { json: { n: 2 } }, { json: { n: 3 } }];
		const { output } = await runWith(
			publish({
				payload: (i: number) => `body ${i} a]]>b<c>&\r\n`,
				tag: 'TagA',
				options: (i: number) => ({
					messageKey: `order-${i}`,
					properties: { property: [{ name: 'source', value: 'n8n 😀' }] },
				}),
			}),
			{ items },
		);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const messages = stored();
		expect(messages).toHaveLength(3);
		for (const [i, item] of output.entries()) {
			const message = messages.find((m) => m.msgId === item.json.messageId);
			expect(message).toMatchObject({
				body: `body ${i} a]]>b<c>&\r\n`,
				tag: 'TagA',
				key: `order-${i}`,
			});
			expect(message?.properties).toMatchObject({ source: 'n8n 😀' });
			expect(item.json).toMatchObject({
				messageKey: `order-${i}`,
				instanceId: INSTANCE,
				topic: 'test_topic',
				tag: 'TagA',
			});
			expect(item.json.messageBodyMd5).toMatch(/^[0-9A-F]{32}$/);
			expect(item.json).not.toHaveProperty('confirmedBy');
		}
	});

	it('a default key per execution, node, run and item', async () => {
		const { output } = await runWith(publish(), { items: [{ json: {} }, { json: {} }] });
		expect(output.map((item) => item.json.messageKey)).toEqual([
			`n8n-101-${NODE.id}-0-0`,
			`n8n-101-${NODE.id}-0-1`,
		]);
		expect(
			stored()
				.map((m) => m.key)
				.sort(),
		).toEqual([`n8n-101-${NODE.id}-0-0`, `n8n-101-${NODE.id}-0-1`]);
	});

	it('reads the credential once per execution, not once per item (n8n queries its database for each read)', async () => {
		const items = Array.from({ length: 12 }, (_, n) => ({ json: { n } }));
		const { output, credentialReads } = await runWith(publish(), { items });
		expect(output).toHaveLength(12);
		expect(stored()).toHaveLength(12);
		expect(credentialReads()).toBe(1);
	});

	it('binary as Base64 and JSON compact', async () => {
		const bytes = Buffer.from([0, 1, 2, 255, 254]);
		const binaryItem = {
			json: {},
			binary: { data: { data: bytes.toString('base64'), mimeType: 'application/octet-stream' } },
		};
		await runWith(publish({ payloadType: 'binary', binaryPropertyName: 'data' }), {
			items: [binaryItem],
		});
		expect(Buffer.from(stored()[0].body, 'base64').toString('hex')).toBe(bytes.toString('hex'));
		emulator.reset();
		await runWith(publish({ payloadType: 'json', jsonPayload: '{ "a": [1, 2] }' }));
		expect(stored()[0].body).toBe('{"a":[1,2]}');
	});

	it('a timed message', async () => {
		const at = Date.now() + 3_600_000;
		await runWith(publish({}, { deliverAt: new Date(at).toISOString() }));
		expect(stored()[0].startDeliverTime).toBe(at);
	});

	it('a sharding key on an ordered topic', async () => {
		await runWith(publish({ topic: id('orders') }, { shardingKey: 'customer-7' }));
		const [message] = emulator
			.rocketMqMessages({ topic: 'orders' })
			.filter((m) => m.publishTime !== undefined);
		expect(message.shardingKey).toBe('customer-7');
	});

	it('one sharding key in input order even when answers come back out of order (jitter)', async () => {
		// A random delay on the way in lets a later request overtake an earlier one.
		emulator.setKnobs({ mqHttp: { ...emulator.knobs().mqHttp, arrivalJitterMs: 25 } });
		const items = Array.from({ length: 40 }, (_, n) => ({ json: { n } }));
		const { output } = await runWith(
			publish({
				topic: id('orders'),
				payload: (i: number) => `row ${i}`,
				options: (i: number) => ({ shardingKey: `customer-${i % 4}` }),
			}),
			{ items },
		);
		expect(output).toHaveLength(40);
		const messages = emulator
			.rocketMqMessages({ topic: 'orders' })
			.filter((m) => m.publishTime !== undefined);
		expect(messages).toHaveLength(40);
		for (let key = 0; key < 4; key++) {
			const rows = messages
				.filter((m) => m.shardingKey === `customer-${key}`)
				.map((m) => Number(String(m.body).replace('row ', '')));
			expect(rows).toEqual(Array.from({ length: 10 }, (_, n) => n * 4 + key));
		}
	});

	it('with STS temporary credentials', async () => {
		const { output } = await runWith(publish(), {
			credentials: {
				accessKeyId: 'STS.NUgYrLnoC37mZZCNnAbez2x',
				accessKeySecret: 'stssecret',
				temporaryCredentials: true,
				securityToken: 'CAIS-emulator-sts-token-0001',
			},
		});
		expect(output[0].json.messageId).toBeTruthy();
	});
});

describe('refuses bad input before any request, naming the field', () => {
	it.each([
		['topic', publish({ topic: id('a b') }), '"Topic"'],
		['tag with ||', publish({ tag: 'A||B' }), '"Tag" must be one tag'],
		['tag with a space', publish({ tag: 'A B' }), '"Tag" must not contain spaces'],
		['message key with a colon', publish({}, { messageKey: 'a:b' }), '"Message Key"'],
		['sharding key with |', publish({}, { shardingKey: 'a|b' }), '"Sharding Key"'],
		[
			'a forbidden property character',
			publish({}, { properties: { property: [{ name: 'a', value: 'x|y' }] } }),
			'"Properties" property 1 (a) contains',
		],
		[
			'a reserved property',
			publish({}, { properties: { property: [{ name: 'KEYS', value: 'x' }] } }),
			'reserved name',
		],
		[
			'16 KB of properties',
			publish({}, { properties: { property: [{ name: 'a', value: 'x'.repeat(17_000) }] } }),
			'16 KB',
		],
		[
			'a delivery time in the past',
			publish({}, { deliverAt: '2020-01-01T00:00:00Z' }),
			'"Deliver At" is in the past',
		],
		[
			'a delivery time beyond 40 days',
			publish({}, { deliverAt: 41 * 86_400 }),
			'more than 40 days',
		],
		[
			'a timed body over 64 KB',
			publish({ payload: 'x'.repeat(65_537) }, { deliverAt: 60 }),
			'64 KB',
		],
		['a body over 4 MB', publish({ payload: 'x'.repeat(4 * 1024 * 1024 + 1) }), '4 MB'],
		['a character XML cannot carry', publish({ payload: 'a\u0001b' }), 'Base64'],
		['an empty body', publish({ payload: '' }), '"Payload" is empty'],
	])('%s', async (_name, parameters, message) => {
		const error = await runWith(parameters).catch((e: Error) => e);
		expect((error as Error).message).toContain(message);
		expect(emulator.calls().length).toBe(0);
	});
});

describe('errors of the protocol reach the item with a hint', () => {
	it('TopicNotExist', async () => {
		const { output } = await runWith(publish({ topic: id('no_such_topic') }), {
			continueOnFail: true,
		});
		expect(output[0].json).toMatchObject({ code: 'TopicNotExist' });
	});

	it('SignatureDoesNotMatch with a wrong secret, the secret never shown', async () => {
		const error = await runWith(publish(), {
			credentials: { accessKeySecret: 'wrong-secret' },
		}).catch((e) => e);
		expect(error.message).toContain('SignatureDoesNotMatch');
		expect(
			JSON.stringify({ ...error, message: error.message, description: error.description }),
		).not.toContain('wrong-secret');
	});
});

describe('an unknown outcome is looked up by key', () => {
	it('found: the item succeeds with the stored ID, confirmed by the look-up, stored once', async () => {
		emulator.setKnobs({ script: [{ fault: 'resetAfterProcessing', action: 'PublishMessage' }] });
		const { output } = await runWith(publish({}, { messageKey: 'k-found' }));
		expect(output[0].json).toMatchObject({ confirmedBy: 'lookup', messageKey: 'k-found' });
		expect(stored()).toHaveLength(1);
		expect(output[0].json.messageId).toBe(stored()[0].msgId);
	});

	it('found later: the look-up asks again while the key index lags (2.5 s here)', async () => {
		emulator.setKnobs({
			script: [{ fault: 'resetAfterProcessing', action: 'PublishMessage' }],
			mqHttp: { keyIndexDelayMs: 2500 },
		});
		const { output, requests } = await runWith(publish({}, { messageKey: 'k-late' }), {
			realTime: true,
		});
		expect(output[0].json).toMatchObject({ confirmedBy: 'lookup', messageId: stored()[0].msgId });
		const lookups = requests.filter((r) => r.headers?.['x-acs-action'] === 'OnsMessageGetByKey');
		// The first try, right after the publish, misses; a later one finds it.
		expect(lookups.length).toBeGreaterThan(1);
	});

	it('not found: AmbiguousDelivery, nothing published twice', async () => {
		emulator.setKnobs({ script: [{ fault: 'resetBeforeProcessing', action: 'PublishMessage' }] });
		const { output } = await runWith(publish({}, { messageKey: 'k-missing' }), {
			continueOnFail: true,
		});
		expect(output[0].json).toMatchObject({ code: 'AmbiguousDelivery' });
		expect(stored()).toHaveLength(0);
	});

	it('not found, Retry Ambiguous Failures on: published again, marked possibleDuplicate', async () => {
		emulator.setKnobs({ script: [{ fault: 'resetBeforeProcessing', action: 'PublishMessage' }] });
		const { output } = await runWith(
			publish({}, { messageKey: 'k-retry', retryAmbiguousFailures: true }),
		);
		expect(output[0].json).toMatchObject({ possibleDuplicate: true, attempts: 2 });
		expect(stored()).toHaveLength(1);
	});

	it('look-up failing (throttled every time): AmbiguousDelivery', async () => {
		emulator.setKnobs({
			script: [
				{ fault: 'resetBeforeProcessing', action: 'PublishMessage' },
				...Array.from({ length: 8 }, () => ({
					fault: 'throttle' as const,
					action: 'OnsMessageGetByKey',
				})),
			],
		});
		const { output } = await runWith(publish({}, { messageKey: 'k-fail' }), {
			continueOnFail: true,
		});
		expect(output[0].json).toMatchObject({ code: 'AmbiguousDelivery' });
	});
});

describe('Skip Keys Already Stored: a re-run publishes only the keys not stored yet', () => {
	const lookupsIn = (requests: Array<{ headers?: Record<string, unknown> }>) =>
		requests.filter((r) => r.headers?.['x-acs-action'] === 'OnsMessageGetByKey').length;
	const items = [{ json: { order: 'a' } }, { json: { order: 'b' } }, { json: { order: 'c' } }];
	const byOrder = (options: Record<string, unknown> = {}) =>
		publish({
			payload: (i: number) => `order ${i}`,
			options: (i: number) => ({ messageKey: `order-${'abc'[i]}`, ...options }),
		});

	it('the stored keys are not published again; each item says whether its key was there', async () => {
		// The first run stopped after two of the three items.
		await runWith(byOrder(), { items: items.slice(0, 2) });
		const before = stored();
		expect(before).toHaveLength(2);

		const { output, requests } = await runWith(byOrder({ skipKeysAlreadyStored: true }), { items });
		const after = stored();
		expect(after.map((m) => m.key).sort()).toEqual(['order-a', 'order-b', 'order-c']);
		expect(output.map((item) => item.json.alreadyStored)).toEqual([true, true, false]);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// A stored key's item names the message stored by the first run.
		expect(output[0].json.messageId).toBe(before.find((m) => m.key === 'order-a')?.msgId);
		expect(output[1].json.messageId).toBe(before.find((m) => m.key === 'order-b')?.msgId);
		expect(output[2].json.messageId).toBe(after.find((m) => m.key === 'order-c')?.msgId);
		expect(lookupsIn(requests)).toBe(3);
	});

	it('off by default: no look-up, no alreadyStored field, a repeat is stored twice', async () => {
		await runWith(byOrder(), { items: items.slice(0, 1) });
		const { output, requests } = await runWith(byOrder(), { items: items.slice(0, 1) });
		expect(lookupsIn(requests)).toBe(0);
		expect(output[0].json).not.toHaveProperty('alreadyStored');
		expect(stored()).toHaveLength(2);
	});

	it('a look-up that keeps failing fails the item and publishes nothing', async () => {
		emulator.setKnobs({
			script: Array.from({ length: 8 }, () => ({
				fault: 'throttle' as const,
				action: 'OnsMessageGetByKey',
			})),
		});
		const { output } = await runWith(byOrder({ skipKeysAlreadyStored: true }), {
			items: items.slice(0, 1),
			continueOnFail: true,
		});
		expect(output[0].json.error).toEqual(expect.any(String));
		expect(output[0].json).not.toHaveProperty('messageId');
		expect(stored()).toHaveLength(0);
	});

	it('refuses a value that is not true or false, naming the field, before any request', async () => {
		const { output, requests } = await runWith(publish({}, { skipKeysAlreadyStored: 'yes' }), {
			continueOnFail: true,
		});
		expect(String(output[0].json.error)).toContain('Skip Keys Already Stored');
		expect(requests).toHaveLength(0);
	});
});
