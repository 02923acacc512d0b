import type { IHttpRequestOptions, ITriggerFunctions } from 'n8n-workflow';

import { parseSettings } from '../../nodes/ApsaraMqTrigger/settings';
import { openConsumeTransport } from '../../nodes/ApsaraMqTrigger/transport/openConsumeTransport';
import { parseXml } from '../../nodes/ApsaraMq/transport/mqHttp/xml';

type Answer = { statusCode: number; headers?: Record<string, string>; body: unknown };

/**
 * The trigger's requests as n8n's request helper receives them: the endpoint look-up, then the
 * RocketMQ HTTP consume and ack requests, flagged for the MQ signature, with the close's abort
 * signal on the long poll.
 */
function fakeTrigger(
	answers: Array<(options: IHttpRequestOptions) => Answer>,
	independentNaming = true,
) {
	const requests: IHttpRequestOptions[] = [];
	const context = {
		getNode: () => ({
			id: 'n1',
			name: 'Trigger',
			type: 't',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		getCredentials: async () => ({ endpointType: 'public', regionId: 'cn-hangzhou' }),
		logger: { debug() {}, info() {}, warn() {}, error() {} },
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				requests.push(options);
				if (options.headers?.['x-acs-action'] === 'OnsInstanceBaseInfo') {
					return {
						statusCode: 200,
						body: {
							RequestId: 'R0',
							InstanceBaseInfo: {
								IndependentNaming: independentNaming,
								Endpoints: {
									HttpInternetSecureEndpoint: 'https://1234.mqrest.cn-hangzhou.aliyuncs.com',
								},
							},
						},
					};
				}
				const answer = answers.shift();
				if (!answer) throw new Error('no answer scripted');
				return answer(options);
			},
		},
	};
	return { context: context as unknown as ITriggerFunctions, requests };
}

function settings(overrides: Record<string, unknown> = {}) {
	const parsed = parseSettings({
		instanceId: 'MQ_INST_1',
		topic: 'orders',
		groupId: 'GID_http',
		tag: 'A||B',
		acknowledge: 'executionSucceeds',
		messagesPerExecution: 1,
		orderly: false,
		parseJson: false,
		maxParallelExecutions: 2,
		httpEndpoint: '',
		decodeBase64Body: false,
		binaryPropertyName: 'data',
		acknowledgeTestEvent: false,
		...overrides,
	});
	if ('problems' in parsed) throw new Error(parsed.problems.join('; '));
	return parsed;
}

const messages =
	'<Messages xmlns="http://mq.aliyuncs.com/doc/v1/"><Message><MessageId>M1</MessageId><ReceiptHandle>h1</ReceiptHandle>' +
	'<MessageBody>hi</MessageBody><ConsumedTimes>1</ConsumedTimes><PublishTime>1</PublishTime><FirstConsumeTime>1</FirstConsumeTime>' +
	'<NextConsumeTime>2</NextConsumeTime></Message></Messages>';

describe('openConsumeTransport', () => {
	it('long-polls the instance endpoint with the group, namespace, tags and count, signed as MQ HTTP, abortable', async () => {
		const { context, requests } = fakeTrigger([() => ({ statusCode: 200, body: messages })]);
		const transport = await openConsumeTransport(context, settings({ orderly: true }));
		const signal = new AbortController().signal;
		const result = await transport.poll(3, signal);
		expect(result).toMatchObject({
			kind: 'messages',
			deliveries: [{ messageId: 'M1', receiptHandle: 'h1', body: 'hi' }],
		});
		const consume = requests[1];
		expect(consume.method).toBe('GET');
		expect(consume.url).toBe(
			'https://1234.mqrest.cn-hangzhou.aliyuncs.com/topics/orders/messages?consumer=GID_http&ns=MQ_INST_1&tag=A%7C%7CB&numOfMessages=3&waitseconds=30&trans=order',
		);
		expect(consume.headers).toEqual({ 'x-apsaramq-signing': 'mq-http' });
		expect(consume.abortSignal).toBe(signal);
		expect(consume.timeout).toBeGreaterThan(30_000);
	});

	it('reads an idle long poll (404 MessageNotExist) as no message, and leaves ns out without a namespace', async () => {
		const notExist =
			'<Error xmlns="http://mq.aliyuncs.com/doc/v1/"><Code>MessageNotExist</Code><Message>Message not exist.</Message><RequestId>R</RequestId><HostId>h</HostId></Error>';
		const { context, requests } = fakeTrigger([() => ({ statusCode: 404, body: notExist })], false);
		const transport = await openConsumeTransport(context, settings({ tag: '' }));
		expect(await transport.poll(1, new AbortController().signal)).toEqual({
			kind: 'messages',
			deliveries: [],
		});
		expect(requests[1].url).toBe(
			'https://1234.mqrest.cn-hangzhou.aliyuncs.com/topics/orders/messages?consumer=GID_http&numOfMessages=1&waitseconds=30',
		);
	});

	it('passes an <Error> on with its code, and a cancelled poll as cancelled', async () => {
		const denied =
			'<Error><Code>AccessDenied</Code><Message>not allowed</Message><RequestId>R9</RequestId><HostId>h</HostId></Error>';
		const aborted = Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' });
		const { context } = fakeTrigger([
			() => ({ statusCode: 403, body: denied }),
			() => {
				throw aborted;
			},
		]);
		const transport = await openConsumeTransport(context, settings());
		expect(await transport.poll(1, new AbortController().signal)).toMatchObject({
			kind: 'failed',
			outcome: 'rejected',
			failure: { code: 'AccessDenied', requestId: 'R9', httpStatus: 403 },
		});
		const controller = new AbortController();
		controller.abort();
		expect(await transport.poll(1, controller.signal)).toEqual({ kind: 'cancelled' });
	});

	it('acknowledges with a <ReceiptHandles> body, and reads the handles a 404 <Errors> refused', async () => {
		const errors =
			'<Errors><Error><ErrorCode>MessageNotExist</ErrorCode><ErrorMessage>expired</ErrorMessage><ReceiptHandle>h2</ReceiptHandle></Error></Errors>';
		const { context, requests } = fakeTrigger([
			() => ({ statusCode: 204, body: '' }),
			() => ({ statusCode: 404, body: errors }),
		]);
		const transport = await openConsumeTransport(context, settings());
		expect(await transport.acknowledge(['h1', 'h<&>'])).toEqual({
			kind: 'acknowledged',
			refused: [],
		});
		const ack = requests[1];
		expect(ack.method).toBe('DELETE');
		expect(ack.url).toBe(
			'https://1234.mqrest.cn-hangzhou.aliyuncs.com/topics/orders/messages?consumer=GID_http&ns=MQ_INST_1',
		);
		const body = parseXml(String(ack.body));
		expect(body.name).toBe('ReceiptHandles');
		expect(body.children.map((child) => child.text)).toEqual(['h1', 'h<&>']);
		expect(await transport.acknowledge(['h1', 'h2'])).toEqual({
			kind: 'acknowledged',
			refused: [{ receiptHandle: 'h2', code: 'MessageNotExist', message: 'expired' }],
		});
	});
});
