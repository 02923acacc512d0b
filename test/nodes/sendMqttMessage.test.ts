import type { IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { FakeClock } from '../transport/fakeClock';
import type { Transport } from './fakeContext';
import { answer, id, run } from './fakeContext';

const base = {
	operation: 'sendMqttMessage',
	instanceId: id('post-cn-0pp12gl0001'),
	mqttTopic: 'TopicA/devices/42',
	payloadType: 'text',
	payload: 'hello',
	options: { maxRequestsPerSecond: 1000 },
};

let msgCounter = 0;
const accepted: Transport = async (request) => {
	msgCounter++;
	return answer(200, { RequestId: `req-${msgCounter}`, MsgId: `MSG${msgCounter}`, qs: request.qs });
};

function qsOf(request: IHttpRequestOptions) {
	return request.qs as Record<string, string>;
}

describe('Send MQTT Message', () => {
	it('sends InstanceId, MqttTopic and Payload to onsmqtt SendMessage 2020-04-20 and outputs the interface shape', async () => {
		const { output, requests } = await run({ parameters: base, transport: accepted });
		expect(requests).toHaveLength(1);
		expect(requests[0]).toMatchObject({
			method: 'POST',
			headers: { 'x-acs-action': 'SendMessage', 'x-acs-version': '2020-04-20' },
			qs: { InstanceId: 'post-cn-0pp12gl0001', MqttTopic: 'TopicA/devices/42', Payload: 'hello' },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 10_000,
		});
		expect(output).toEqual([
			{
				json: {
					msgId: expect.stringMatching(/^MSG\d+$/),
					requestId: expect.stringMatching(/^req-\d+$/),
					instanceId: 'post-cn-0pp12gl0001',
					mqttTopic: 'TopicA/devices/42',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('reads every parameter per item (expressions), and keeps input order and pairing under concurrency', async () => {
		const items: INodeExecutionData[] = Array.from({ length: 40 }, (_, i) => ({ json: { n: i } }));
		const clock = new FakeClock();
		// Round trips of 0 to 14 ms, scrambled, so that answers come back out of order.
		const slowAndScrambled: Transport = async (request) => {
			const qs = qsOf(request);
			await clock.sleep((Number(qs.Payload.slice(4)) * 7) % 15);
			return answer(200, { RequestId: `r-${qs.Payload}`, MsgId: `m-${qs.Payload}` });
		};
		const { output, requests } = await run({
			clock,
			items,
			parameters: {
				...base,
				mqttTopic: (_: number, item: INodeExecutionData) => `TopicA/devices/${item.json.n as number}`,
				payload: (i: number) => `row ${i}`,
				options: { maxRequestsPerSecond: 1000, maxConcurrentRequests: 8 },
			},
			transport: slowAndScrambled,
		});
		expect(requests).toHaveLength(40);
		expect(output.map((o) => o.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		expect(output.map((o) => o.json.msgId)).toEqual(items.map((_, i) => `m-row ${i}`));
		expect(output.map((o) => o.json.mqttTopic)).toEqual(items.map((_, i) => `TopicA/devices/${i}`));
	});

	it('reads the credential once per execution and hands it to every request', async () => {
		const seen: unknown[] = [];
		const transport: Transport = async (_request, _type, credentials) => {
			seen.push(credentials);
			return answer(200, { RequestId: 'r', MsgId: 'm' });
		};
		const credentials = { accessKeyId: 'id', accessKeySecret: 'secret' };
		const { credentialReads } = await run({
			items: Array.from({ length: 12 }, () => ({ json: {} })),
			parameters: base,
			transport,
			credentials,
		});
		expect(credentialReads()).toBe(1);
		expect(seen).toEqual(Array.from({ length: 12 }, () => credentials));
	});

	it('never has more requests in flight than Max Concurrent Requests', async () => {
		const clock = new FakeClock();
		let inFlight = 0;
		let peak = 0;
		const transport: Transport = async () => {
			peak = Math.max(peak, ++inFlight);
			await clock.sleep(5);
			inFlight--;
			return answer(200, { RequestId: 'r', MsgId: 'm' });
		};
		await run({
			clock,
			items: Array.from({ length: 30 }, () => ({ json: {} })),
			parameters: { ...base, options: { maxRequestsPerSecond: 1000, maxConcurrentRequests: 3 } },
			transport,
		});
		expect(peak).toBe(3);
	});

	describe('payload types', () => {
		it('json: sends the expression value as compact JSON', async () => {
			const { requests } = await run({
				items: [{ json: { a: 1, nested: { b: [1, 2] }, text: 'ü "q"' } }],
				parameters: {
					...base,
					payloadType: 'json',
					jsonPayload: (_: number, item: INodeExecutionData) => item.json,
				},
				transport: accepted,
			});
			expect(qsOf(requests[0]).Payload).toBe('{"a":1,"nested":{"b":[1,2]},"text":"ü \\"q\\""}');
		});

		it('json: compacts JSON typed as text, and names the field when it is not JSON', async () => {
			const { requests } = await run({
				parameters: { ...base, payloadType: 'json', jsonPayload: '{\n  "a": 1,\n  "b": [ true ]\n}' },
				transport: accepted,
			});
			expect(qsOf(requests[0]).Payload).toBe('{"a":1,"b":[true]}');

			await expect(
				run({ parameters: { ...base, payloadType: 'json', jsonPayload: '{"a":' }, transport: accepted }),
			).rejects.toThrow(/"JSON Payload" is not valid JSON/);
		});

		it('binary: sends the file Base64-encoded', async () => {
			const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
			const { requests } = await run({
				items: [
					{ json: {}, binary: { file: { data: bytes.toString('base64'), mimeType: 'application/octet-stream' } } },
				],
				parameters: { ...base, payloadType: 'binary', binaryPropertyName: 'file' },
				transport: accepted,
			});
			expect(Buffer.from(qsOf(requests[0]).Payload, 'base64')).toEqual(bytes);
		});

		it('binary: a missing property names the field and lists the properties the item has', async () => {
			const error = await run({
				items: [{ json: {}, binary: { photo: { data: 'AA==', mimeType: 'image/png' } } }],
				parameters: { ...base, payloadType: 'binary', binaryPropertyName: 'data' },
				transport: accepted,
			}).catch((e: NodeOperationError) => e);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect((error as NodeOperationError).message).toMatch(/"Input Binary Field".*no binary property "data"/);
			expect((error as NodeOperationError).description).toMatch(/photo/);
		});

		it('binary: a file that exceeds 64 KB once Base64-encoded is refused before sending', async () => {
			const big = Buffer.alloc(50 * 1024, 7);
			const transport = jest.fn(accepted);
			await expect(
				run({
					items: [{ json: {}, binary: { data: { data: big.toString('base64'), mimeType: 'x/y' } } }],
					parameters: { ...base, payloadType: 'binary', binaryPropertyName: 'data' },
					transport,
				}),
			).rejects.toThrow(/Base64.*over the 65536-byte \(64 KB\) limit/);
			expect(transport).not.toHaveBeenCalled();
		});
	});

	describe('validation before any request', () => {
		it.each([
			['an empty instance', { instanceId: id('  ') }, /"Instance" is empty/],
			['an instance with spaces', { instanceId: id('post cn') }, /"Instance" must not contain spaces/],
			['an empty topic', { mqttTopic: '' }, /"MQTT Topic" is empty/],
			['a wildcard topic', { mqttTopic: 'TopicA/+/x' }, /"MQTT Topic" must not contain the wildcards/],
			['a topic without parent', { mqttTopic: '/devices/1' }, /"MQTT Topic" must start with a parent topic/],
			['a parent topic with a colon', { mqttTopic: 'Topic:A/x' }, /without : , or %/],
			['a parent topic over 64 characters', { mqttTopic: `${'a'.repeat(65)}/x` }, /at most 64 characters/],
			['an empty payload', { payload: '' }, /"Payload" is empty/],
			['a payload over 64 KB', { payload: 'é'.repeat(32 * 1024 + 1) }, /"Payload" is 65538 bytes, over the 65536-byte/],
			['an object where text is expected', { payload: { a: 1 } }, /"Payload" must be text/],
			['a negative rate', { options: { maxRequestsPerSecond: -1 } }, /"Max Requests per Second" must be 0/],
			['a fractional retry count', { options: { maxRetries: 1.5 } }, /"Max Retries" must be a whole number/],
		])('refuses %s, naming the field', async (_, override, message) => {
			const transport = jest.fn(accepted);
			const error = await run({ parameters: { ...base, ...override }, transport }).catch((e) => e);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(message);
			expect(error.context.itemIndex).toBe(0);
			expect(transport).not.toHaveBeenCalled();
		});

		it('accepts a payload of exactly 64 KB and numbers from expressions', async () => {
			const { requests } = await run({
				items: [{ json: {} }, { json: {} }],
				parameters: { ...base, payload: (i: number) => (i === 0 ? 'x'.repeat(65536) : 42) },
				transport: accepted,
			});
			expect(qsOf(requests[0]).Payload).toHaveLength(65536);
			expect(qsOf(requests[1]).Payload).toBe('42');
		});

		it('checks every item before sending any, so a bad row never leaves half a batch sent', async () => {
			const transport = jest.fn(accepted);
			const error = await run({
				items: Array.from({ length: 10 }, () => ({ json: {} })),
				parameters: { ...base, payload: (i: number) => (i === 7 ? '' : `row ${i}`) },
				transport,
			}).catch((e) => e);
			expect(error.message).toMatch(/"Payload" is empty/);
			expect(error.context.itemIndex).toBe(7);
			expect(transport).not.toHaveBeenCalled();
		});

		it('evaluates each item once: the send reuses what the checking pass prepared', async () => {
			const payload = jest.fn((i: number) => `row ${i}`);
			const { output, requests } = await run({
				items: Array.from({ length: 25 }, () => ({ json: {} })),
				parameters: { ...base, payload },
				transport: accepted,
			});
			expect(payload).toHaveBeenCalledTimes(25);
			expect(requests.map((request) => qsOf(request).Payload)).toEqual(
				Array.from({ length: 25 }, (_, i) => `row ${i}`),
			);
			expect(output).toHaveLength(25);
		});

		it('stops checking as soon as the execution is cancelled, and sends nothing', async () => {
			const controller = new AbortController();
			const payload = jest.fn((i: number) => {
				if (i === 3) controller.abort();
				return `row ${i}`;
			});
			const transport = jest.fn(accepted);
			const error = await run({
				items: Array.from({ length: 1000 }, () => ({ json: {} })),
				parameters: { ...base, payload },
				transport,
				cancelSignal: controller.signal,
			}).catch((e) => e);
			expect(error.message).toBe('The execution was cancelled');
			expect(error.description).toMatch(/^0 of 1000 items were confirmed sent/);
			expect(payload).toHaveBeenCalledTimes(4);
			expect(transport).not.toHaveBeenCalled();
		});

		it('evaluates while sending when continue on fail is on, as there is no checking pass', async () => {
			const payload = jest.fn((i: number) => `row ${i}`);
			await run({
				items: Array.from({ length: 5 }, () => ({ json: {} })),
				parameters: { ...base, payload },
				transport: accepted,
				continueOnFail: true,
			});
			expect(payload).toHaveBeenCalledTimes(5);
		});
	});

	describe('Alibaba errors', () => {
		const signatureError = answer(400, {
			RequestId: 'B1A2-REQ',
			HostId: 'onsmqtt.cn-hangzhou.aliyuncs.com',
			Code: 'SignatureDoesNotMatch',
			Message:
				'Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3Dtestid%26Payload%3Dsecret-business-data',
			Recommend: 'https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch',
		});

		it('become a NodeApiError with code, redacted message, request ID, HTTP status and a hint', async () => {
			const error = await run({ parameters: base, transport: async () => signatureError }).catch((e) => e);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe(
				'SendMessage failed: SignatureDoesNotMatch: Specified signature is not matched with our calculation. [server string to sign redacted]',
			);
			expect(error.httpCode).toBe('400');
			expect(error.description).toMatch(/AccessKey secret.*spaces/);
			expect(error.description).toMatch(/Request ID: B1A2-REQ/);
			expect(error.context.itemIndex).toBe(0);
			const serialized = JSON.stringify({ ...error, message: error.message, description: error.description });
			expect(serialized).not.toMatch(/secret-business-data|AccessKeyId%3D/);
		});

		it.each([
			['InvalidTimeStamp.Expired', 400, /clock/],
			['InvalidAccessKeyId.NotFound', 404, /does not know this AccessKey ID/],
			['Forbidden.RAM', 403, /mq:MqttInstanceAccess and mq:SendMessage/],
			['InstancePermissionCheckFailed', 400, /instance ID is wrong/],
		])('%s gets its hint', async (code, status, hint) => {
			const error = await run({
				parameters: { ...base, options: { maxRetries: 0 } },
				transport: async () => answer(status, { RequestId: 'R', Code: code, Message: 'm' }),
			}).catch((e) => e);
			expect(error.message).toContain(code);
			expect(error.description).toMatch(hint);
		});

		it('decides success by HTTP status and the absence of an error Code ("Code": "200" is a success)', async () => {
			const { output } = await run({
				parameters: base,
				transport: async () => answer(200, { RequestId: 'R', MsgId: 'M', Code: '200', Success: 'true' }),
			});
			expect(output[0].json).toMatchObject({ msgId: 'M', requestId: 'R' });
		});

		it('with continue on fail, a failed item yields an error item and the others go on', async () => {
			const transport: Transport = async (request) =>
				qsOf(request).Payload === 'row 1'
					? answer(400, { RequestId: 'R1', Code: 'InvalidParameter.Payload', Message: 'bad payload' })
					: answer(200, { RequestId: 'ok', MsgId: `M-${qsOf(request).Payload}` });
			const { output } = await run({
				items: [{ json: {} }, { json: {} }, { json: {} }],
				parameters: { ...base, payload: (i: number) => (i === 2 ? '' : `row ${i}`) },
				transport,
				continueOnFail: true,
			});
			expect(output).toHaveLength(3);
			expect(output[0]).toMatchObject({ json: { msgId: 'M-row 0' }, pairedItem: { item: 0 } });
			expect(output[1].json).toEqual({
				error: 'SendMessage failed: InvalidParameter.Payload: bad payload',
				code: 'InvalidParameter.Payload',
				requestId: 'R1',
				httpStatus: 400,
			});
			expect(output[1].pairedItem).toEqual({ item: 1 });
			expect(output[2].json).toEqual({ error: expect.stringMatching(/"Payload" is empty/) });
			expect(output[2].pairedItem).toEqual({ item: 2 });
		});

		it('with "Continue (using error output)", puts the facts under details so n8n routes the item to the error output', async () => {
			const { output } = await run({
				parameters: base,
				transport: async () => answer(403, { RequestId: 'R9', Code: 'Forbidden.RAM', Message: 'denied' }),
				continueOnFail: true,
				node: { onError: 'continueErrorOutput' },
			});
			expect(output).toEqual([
				{
					json: {
						error: 'SendMessage failed: Forbidden.RAM: denied',
						details: { code: 'Forbidden.RAM', requestId: 'R9', httpStatus: 403 },
					},
					pairedItem: { item: 0 },
				},
			]);
		});

		it('without continue on fail, stops at the failure and says how many items were sent', async () => {
			const transport: Transport = async (request) =>
				qsOf(request).Payload === 'row 3'
					? answer(400, { RequestId: 'R3', Code: 'PermissionCheckFailed', Message: 'denied' })
					: answer(200, { RequestId: 'ok', MsgId: 'M' });
			const error = await run({
				items: Array.from({ length: 6 }, () => ({ json: {} })),
				parameters: { ...base, payload: (i: number) => `row ${i}`, options: { maxConcurrentRequests: 1 } },
				transport,
			}).catch((e) => e);
			expect(error.context.itemIndex).toBe(3);
			expect(error.description).toMatch(/3 of 6 items had been sent; the others were not sent/);
		});
	});

	describe('retries', () => {
		it('retries throttling, honours x-acs-retry-after, and reports the attempts', async () => {
			let calls = 0;
			const transport: Transport = async () =>
				++calls < 3
					? answer(400, { RequestId: 'T', Code: 'Throttling.User', Message: 'flow control' }, { 'x-acs-retry-after': '5' })
					: answer(200, { RequestId: 'ok', MsgId: 'M' });
			const { output } = await run({ parameters: base, transport });
			expect(calls).toBe(3);
			expect(output[0].json).toMatchObject({ msgId: 'M', attempts: 3 });
			expect(output[0].json).not.toHaveProperty('possibleDuplicate');
		});

		it('adapts a rate set above the quota to the throttling instead of failing rows', async () => {
			// A service that accepts 10 calls in any second and throttles the others, on virtual time.
			const clock = new FakeClock();
			const accepted: number[] = [];
			let throttled = 0;
			const quotaOfTen: Transport = async () => {
				const now = clock.now();
				const overQuota = accepted.filter((t) => t > now - 1000).length >= 10;
				if (overQuota) throttled++;
				else accepted.push(now);
				await clock.sleep(30);
				return overQuota
					? answer(400, { RequestId: 'T', Code: 'Throttling.User', Message: 'flow control' })
					: answer(200, { RequestId: 'ok', MsgId: 'M' });
			};
			const { output } = await run({
				clock,
				items: Array.from({ length: 200 }, () => ({ json: {} })),
				parameters: { ...base, options: { maxRequestsPerSecond: 20, maxConcurrentRequests: 32 } },
				transport: quotaOfTen,
			});
			expect(output.filter((item) => item.json.error)).toEqual([]);
			expect(accepted).toHaveLength(200);
			// The pace came down towards the quota: without halving, about half the calls are throttled.
			expect(throttled).toBeGreaterThan(0);
			expect(throttled / (throttled + accepted.length)).toBeLessThan(0.25);
		});

		it('does not retry a send after an ambiguous failure, and fails it as AmbiguousDelivery', async () => {
			let calls = 0;
			const transport: Transport = async () => {
				calls++;
				return answer(500, { RequestId: 'R500', Code: 'SendMessageFailed', Message: 'store timeout' });
			};
			const { output } = await run({ parameters: base, transport, continueOnFail: true });
			expect(calls).toBe(1);
			expect(output[0].json).toMatchObject({ code: 'AmbiguousDelivery', requestId: 'R500', httpStatus: 500 });
			expect(output[0].json.error).toMatch(/may or may not have been delivered.*SendMessageFailed: store timeout/);
		});

		it('retries it when Retry Ambiguous Failures is on, and flags the possible duplicate', async () => {
			let calls = 0;
			const transport: Transport = async () =>
				++calls === 1
					? answer(500, { RequestId: 'R500', Code: 'InternalError', Message: 'oops' })
					: answer(200, { RequestId: 'ok', MsgId: 'M' });
			const { output } = await run({
				parameters: { ...base, options: { retryAmbiguousFailures: true } },
				transport,
			});
			expect(output[0].json).toMatchObject({ msgId: 'M', attempts: 2, possibleDuplicate: true });
		});

		it('does not retry a send answered 503 ServiceUnavailable (it may have been processed): AmbiguousDelivery', async () => {
			let calls = 0;
			const transport: Transport = async () => {
				calls++;
				return answer(503, { RequestId: 'R503', Code: 'ServiceUnavailable', Message: 'busy' });
			};
			const { output } = await run({
				parameters: { ...base, options: { maxRetries: 2 } },
				transport,
				continueOnFail: true,
			});
			expect(calls).toBe(1);
			expect(output[0].json).toMatchObject({ code: 'AmbiguousDelivery', httpStatus: 503 });
			expect(output[0].json.error).toMatch(/may or may not have been delivered.*ServiceUnavailable: busy/);
		});

		it('with Retry Ambiguous Failures, a 503 retried into a success says possibleDuplicate', async () => {
			let calls = 0;
			const transport: Transport = async () =>
				++calls === 1
					? answer(503, { RequestId: 'R503', Code: 'ServiceUnavailable', Message: 'busy' })
					: answer(200, { RequestId: 'R', MsgId: 'M' });
			const { output } = await run({
				parameters: { ...base, options: { retryAmbiguousFailures: true } },
				transport,
			});
			expect(output[0].json).toMatchObject({ msgId: 'M', attempts: 2, possibleDuplicate: true });
		});

		it('retries a 503 whose body is the gateway\'s throttling (refused before processing)', async () => {
			let calls = 0;
			const transport: Transport = async () =>
				++calls === 1
					? answer(503, { RequestId: 'T', Code: 'Throttling.User' })
					: answer(200, { RequestId: 'R', MsgId: 'M' });
			const { output } = await run({ parameters: base, transport });
			expect(output[0].json).toEqual(expect.objectContaining({ msgId: 'M', attempts: 2 }));
			expect(output[0].json.possibleDuplicate).toBeUndefined();
		});

		it.each([
			['an empty 200 {}', {}],
			['a 200 without MsgId', { RequestId: 'R' }],
			['a 200 with an error Code', { RequestId: 'R', MsgId: 'M', Code: 'InternalError', Message: 'oops' }],
		])('%s is never a success: the item fails as AmbiguousDelivery and is not resent', async (_name, body) => {
			let calls = 0;
			const { output } = await run({
				parameters: base,
				transport: async () => {
					calls++;
					return answer(200, body);
				},
				continueOnFail: true,
			});
			expect(calls).toBe(1);
			expect(output[0].json.msgId).toBeUndefined();
			expect(output[0].json).toMatchObject({ code: 'AmbiguousDelivery', httpStatus: 200 });
		});
	});
});
