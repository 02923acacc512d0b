import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';

import type { IExecuteFunctions, ILoadOptionsFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ApsaraMq } from '../../nodes/ApsaraMq/ApsaraMq.node';
import { SEND_MESSAGE } from '../../nodes/ApsaraMq/transport/apis';
import { AlibabaClient } from '../../nodes/ApsaraMq/transport/client';
import { FakeClock } from '../transport/fakeClock';
import type { Transport } from './fakeContext';
import { answer, id, NODE, run } from './fakeContext';

/**
 * The eleven findings of issue 10 (hostile endpoints, odd answers, awkward inputs), one block
 * each; every test here failed before the fix it names.
 */

const send = {
	operation: 'sendMqttMessage',
	instanceId: id('post-cn-0pp12gl0001'),
	mqttTopic: 'TopicA/devices/42',
	payloadType: 'text',
	payload: 'hello',
	options: { maxRequestsPerSecond: 1000 },
};

const push = {
	operation: 'pushOnsMessage',
	instanceId: id('MQ_INST_111111111111_DOxxxxxx'),
	topic: id('test-mq_topic'),
	groupId: id('GID_test_group_id'),
	clientId: id('30.5.121.10@24813#-1999745829#-1737591554#453111174894656'),
	msgId: '0BC1669963053CF68F733BB703960001',
	options: {},
};

const accepted: Transport = async () => answer(200, { RequestId: 'R', MsgId: 'M' });
const items = (count: number): INodeExecutionData[] => Array.from({ length: count }, (_, i) => ({ json: { i } }));
/** A parameter that is `bad` on item 3 and `good` elsewhere. */
const badOnItem3 = (good: unknown, bad: unknown) => (itemIndex: number) => (itemIndex === 3 ? bad : good);

async function refusal(parameters: Record<string, unknown>, count = 1) {
	const result = await run({ items: items(count), parameters, transport: accepted }).catch((error: Error) => error);
	expect(result).toBeInstanceOf(NodeOperationError);
	return result as NodeOperationError;
}

describe('point 1: everything that can fail for one item fails in the checking pass', () => {
	it.each([
		['Payload', { ...send, payload: badOnItem3('ok', 'cut \ud83d') }],
		['MQTT Topic', { ...send, mqttTopic: badOnItem3('TopicA/x', 'TopicA/\ude00') }],
		['Message ID', { ...push, msgId: badOnItem3('0BC1669963053CF68F733BB703960001', 'MSG\ud800') }],
		['Group', { ...push, groupId: badOnItem3(id('GID_a'), id('GID_\udfff')) }],
	])('an unpaired surrogate in %s on row 3 of 6 stops the node before any row is sent', async (label, parameters) => {
		let sent = 0;
		const error = await run({
			items: items(6),
			parameters,
			transport: async () => {
				sent++;
				return answer(200, { RequestId: 'R', MsgId: 'M' });
			},
		}).catch((e: Error) => e);
		expect(sent).toBe(0);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(new RegExp(`^Invalid parameter: "${label}" contains half of a character`));
		expect((error as NodeOperationError).context.itemIndex).toBe(3);
	});
});

describe('point 3: redirects are never followed', () => {
	it('asks n8n not to follow redirects on every call, and a 307 is an error naming the origin only', async () => {
		const { output, requests } = await run({
			parameters: send,
			continueOnFail: true,
			transport: async () =>
				answer(307, '', { location: 'https://collector.example:8443/steal?AccessKeyId=LTAIexample&x=1' }),
		});
		expect(requests[0].disableFollowRedirect).toBe(true);
		expect(output[0].json).toMatchObject({ code: 'RedirectRefused', httpStatus: 307 });
		expect(output[0].json.error).toContain('https://collector.example:8443');
		expect(output[0].json.error).not.toMatch(/steal|AccessKeyId|LTAI/);
		expect(output[0].json.msgId).toBeUndefined();
	});

	it('a 302 with a relative or missing location is refused too, and never retried', async () => {
		for (const headers of [{ location: '/elsewhere?token=abc' }, {}] as Array<Record<string, string>>) {
			let calls = 0;
			const { output } = await run({
				parameters: send,
				continueOnFail: true,
				transport: async () => {
					calls++;
					return answer(302, {}, headers);
				},
			});
			expect(calls).toBe(1);
			expect(output[0].json.code).toBe('RedirectRefused');
			expect(output[0].json.error).not.toContain('token=abc');
		}
	});
});

/** Heap in use after a full collection (the test process exposes gc for itself). */
function heapAfterGc(): number {
	setFlagsFromString('--expose-gc');
	const gc = runInNewContext('gc') as () => void;
	gc();
	gc();
	return process.memoryUsage().heapUsed;
}

describe('point 4: memory of a batch does not grow with its length', () => {
	it('50,000 paced calls of one execution keep no memory per wait (was about 450 bytes each)', async () => {
		const clock = new FakeClock();
		const signal = new AbortController().signal;
		const context = {
			getNode: () => NODE,
			getExecutionCancelSignal: () => signal,
			getCredentials: async () => ({}),
			logger: { debug: () => undefined },
			helpers: { httpRequestWithAuthentication: async () => answer(200, { RequestId: 'R', MsgId: 'M' }) },
		} as unknown as IExecuteFunctions;
		const client = new AlibabaClient(context, () => 1000, clock);
		const policy = { maxRetries: 0, timeoutMs: 1000, retryAmbiguous: false };
		// Warm up, so that the code and the limiter are allocated before the first measurement.
		for (let i = 0; i < 1000; i++) await client.call(SEND_MESSAGE, { P: 'x' }, policy);
		const before = heapAfterGc();
		for (let i = 0; i < 50_000; i++) await client.call(SEND_MESSAGE, { P: 'x' }, policy);
		const grown = heapAfterGc() - before;
		// Each call waited on the pace (1 ms apart); 450 bytes each would be 22 MB.
		expect(clock.sleeps.length).toBeGreaterThanOrEqual(50_000);
		expect(grown).toBeLessThan(3 * 1024 * 1024);
	}, 60_000);
});

function listContext(body: unknown, statusCode = 400): ILoadOptionsFunctions {
	return {
		getNode: () => NODE,
		getCredentials: async () => ({}),
		getCurrentNodeParameter: () => 'MQ_INST_111111111111_DOxxxxxx',
		logger: { debug: () => undefined },
		helpers: { httpRequestWithAuthentication: async () => answer(statusCode, body) },
	} as unknown as ILoadOptionsFunctions;
}

describe('point 5: text from a server never meets a quadratic regex', () => {
	it('a list search refused with 64 KB of dots then a letter fails at once with a short message', async () => {
		const message = `${'.'.repeat(64 * 1024)}x`;
		const search = new ApsaraMq().methods.listSearch.searchOnsTopics;
		const error = (await search.call(listContext({ Code: 'Odd', Message: message })).catch((e: Error) => e)) as Error;
		// The dropdown shows the message and n8n's description of it (the same server text) in one line.
		expect(error.message).toMatch(/^OnsTopicList failed: Odd: \.+… \[\d+ more characters cut\]/);
		expect(error.message.length).toBeLessThan(4200);
	}, 30_000);
});

describe('point 6: a JSON payload is sent as written, or refused naming "JSON Payload"', () => {
	const sentPayload = async (jsonPayload: unknown) => {
		const { requests } = await run({ parameters: { ...send, payloadType: 'json', jsonPayload }, transport: accepted });
		return (requests[0].qs as Record<string, string>).Payload;
	};

	it('keeps every digit and every value of JSON text', async () => {
		expect(await sentPayload('{"id": 12345678901234567890}')).toBe('{"id":12345678901234567890}');
		expect(await sentPayload('{ "big": 1e400, "s": "a  b" }')).toBe('{"big":1e400,"s":"a  b"}');
	});

	it('accepts valid JSON text nested 5,000 deep', async () => {
		const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
		expect(await sentPayload(deep)).toBe(deep);
	});

	it.each([
		['a circular value', (() => {
			const value: Record<string, unknown> = {};
			value.self = value;
			return value;
		})(), /"JSON Payload" cannot be turned into JSON \(it refers to itself\)/],
		['NaN inside a value', { n: Number.NaN }, /"JSON Payload" holds the number NaN/],
		['Infinity inside a value', [Number.POSITIVE_INFINITY], /"JSON Payload" holds the number Infinity/],
	])('refuses %s with an error naming the field', async (_name, jsonPayload, expected) => {
		const error = await refusal({ ...send, payloadType: 'json', jsonPayload });
		expect(error.message).toMatch(expected);
	});
});

describe('point 7: fields Alibaba would refuse are checked before sending', () => {
	it.each([
		['NUL', 'GID_\u0000x', /U\+0000/],
		['a control character', 'GID_\u0007', /U\+0007/],
		['a zero-width space', 'GID_\u200btest', /U\+200B/],
		['100,000 characters', `GID_${'x'.repeat(100_000)}`, /100004 characters long, over the limit of 255/],
	])('an ONS ID with %s is refused naming the field', async (_name, value, expected) => {
		const error = await refusal({ ...push, groupId: id(value) });
		expect(error.message).toMatch(/^Invalid parameter: "Group" /);
		expect(error.message).toMatch(expected);
	});

	it('a 10,007-character MQTT topic is refused: 64 characters per level, 1,024 in all', async () => {
		const longLevel = await refusal({ ...send, mqttTopic: `TopicA/${'x'.repeat(10_000)}` });
		expect(longLevel.message).toMatch(/"MQTT Topic" is 10007 characters long, over the limit of 1024/);
		const level = await refusal({ ...send, mqttTopic: `TopicA/${'x'.repeat(65)}` });
		expect(level.message).toMatch(/"MQTT Topic" must have levels .* of at most 64 characters/);
	});

	it('a topic with a line break inside is refused; spaces and line breaks around it are trimmed', async () => {
		const error = await refusal({ ...send, mqttTopic: 'TopicA/a\r\nb' });
		expect(error.message).toMatch(/"MQTT Topic" contains the control character U\+000D/);
		const { requests, output } = await run({ parameters: { ...send, mqttTopic: ' \r\nTopicA/x \n' }, transport: accepted });
		expect((requests[0].qs as Record<string, string>).MqttTopic).toBe('TopicA/x');
		expect(output[0].json.mqttTopic).toBe('TopicA/x');
	});

	it.each([Number.NaN, Number.POSITIVE_INFINITY])('%p from an expression is refused, not sent as text', async (value) => {
		const error = await refusal({ ...send, payload: value });
		expect(error.message).toMatch(/"Payload" must be text/);
	});

	it.each(['__proto__', 'toString', 'constructor', 'hasOwnProperty'])(
		'a binary property named %s is "not found", not a TypeError',
		async (name) => {
			const error = await refusal({ ...send, payloadType: 'binary', binaryPropertyName: name });
			expect(error.message).toBe(`Invalid parameter: "Input Binary Field": the item has no binary property "${name}"`);
		},
	);
});

describe('point 8: every number has a range, enforced before sending, and every wait is capped', () => {
	it.each([
		['a Timeout of 2^31 ms', { timeout: 2 ** 31 }, /"Timeout" must be a whole number between 1 and 600000 milliseconds/],
		['Max Requests per Second of Infinity', { maxRequestsPerSecond: Number.POSITIVE_INFINITY }, /"Max Requests per Second" must be 0 \(automatic\) or between 0.01 and 1000/],
		['Max Requests per Second of 1e-7', { maxRequestsPerSecond: 1e-7 }, /"Max Requests per Second" must be 0/],
		['Max Concurrent Requests of NaN', { maxConcurrentRequests: Number.NaN }, /"Max Concurrent Requests" must be 0/],
	])('%s is refused before any request', async (_name, options, expected) => {
		const error = await refusal({ ...send, options });
		expect(error.message).toMatch(expected);
	});

	it.each([
		['3,000,000,000', '3000000000'],
		['600,000', '600000'],
	])('an x-acs-retry-after of %s ms is honoured up to 60 s, never overflowed to 1 ms', async (_name, header) => {
		const clock = new FakeClock();
		let calls = 0;
		const { output } = await run({
			clock,
			parameters: send,
			transport: async () =>
				++calls === 1
					? answer(400, { Code: 'Throttling.User', RequestId: 'T' }, { 'x-acs-retry-after': header })
					: answer(200, { RequestId: 'R', MsgId: 'M' }),
		});
		expect(output[0].json).toMatchObject({ msgId: 'M', attempts: 2 });
		expect(Math.max(...clock.sleeps)).toBe(60_000);
	});
});

describe('point 9: continue on fail holds for a bad option on the first item', () => {
	it('Max Retries 99 on item 0 gives an error item for it; the other items are sent', async () => {
		const { output } = await run({
			items: items(3),
			parameters: { ...send, options: (i: number) => (i === 0 ? { maxRetries: 99 } : {}) },
			continueOnFail: true,
			transport: accepted,
		});
		expect(output).toHaveLength(3);
		expect(output[0].json.error).toMatch(/"Max Retries" must be a whole number between 0 and 10/);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output.slice(1).map((item) => item.json.msgId)).toEqual(['M', 'M']);
	});

	it('an option expression that throws on item 0 is that item\'s error too', async () => {
		const { output } = await run({
			items: items(2),
			parameters: {
				...send,
				options: (i: number) => {
					if (i === 0) throw new Error('bad expression');
					return {};
				},
			},
			continueOnFail: true,
			transport: accepted,
		});
		expect(output.map((item) => item.json.error ?? item.json.msgId)).toEqual(['bad expression', 'M']);
	});
});

describe('point 10: server text is truncated and redacted by value before it reaches an error', () => {
	const credentials = { accessKeySecret: 'myS3cret/Key+value==', securityToken: 'CAIS.sts/token+xyz' };

	it('a 10 MB server message becomes a short error with a marker', async () => {
		const { output } = await run({
			parameters: send,
			continueOnFail: true,
			transport: async () => answer(400, { Code: 'InvalidParameter', Message: 'y'.repeat(10 * 1024 * 1024), RequestId: 'R' }),
		});
		const error = output[0].json.error as string;
		expect(error.length).toBeLessThan(2200);
		expect(error).toMatch(/… \[\d+ more characters cut\]$/);
	});

	it.each([
		['as it is', (s: string) => s],
		['percent-encoded', (s: string) => encodeURIComponent(s)],
		['Base64', (s: string) => Buffer.from(s).toString('base64')],
		['JSON-escaped', (s: string) => JSON.stringify(s).slice(1, -1)],
	])('the secret and the token echoed %s never reach the error item or the log', async (_form, encode) => {
		const echoed = `got ${encode(credentials.accessKeySecret)} and ${encode(credentials.securityToken)}`;
		const { output, logs } = await run({
			parameters: { ...send, options: { maxRetries: 1 } },
			credentials,
			continueOnFail: true,
			transport: async () => answer(400, { Code: `Throttling.${encode(credentials.securityToken)}`, Message: echoed, RequestId: 'R' }),
		});
		const everything = JSON.stringify(output) + logs.join('\n');
		expect(everything).toContain('[redacted]');
		expect(everything).not.toContain(encode(credentials.accessKeySecret));
		expect(everything).not.toContain(encode(credentials.securityToken));
	});
});

describe('point 11: a single ConnectionDo object is one consumer, not "no consumer online"', () => {
	it('Get ONS Consumer Connections outputs the one consumer', async () => {
		const { output } = await run({
			parameters: { operation: 'getOnsConsumerConnections', instanceId: push.instanceId, groupId: push.groupId, options: {} },
			transport: async () =>
				answer(200, {
					RequestId: 'R',
					Data: { ConnectionList: { ConnectionDo: { ClientId: 'c1', ClientAddr: '10.0.0.1', Language: 'JAVA', Version: 'V4_3_6' } } },
				}),
		});
		expect(output).toEqual([
			expect.objectContaining({ json: expect.objectContaining({ clientId: 'c1', clientAddr: '10.0.0.1' }) }),
		]);
	});

	it('the Client ID dropdown lists it too', async () => {
		const search = new ApsaraMq().methods.listSearch.searchOnsClients;
		const { results } = await search.call(
			listContext({ RequestId: 'R', Data: { ConnectionList: { ConnectionDo: { ClientId: '10.0.0.1@1#2' } } } }, 200),
		);
		expect(results.map((entry) => entry.value)).toEqual(['10.0.0.1@1#2']);
	});
});
