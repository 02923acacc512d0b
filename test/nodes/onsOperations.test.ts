import type { INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { FakeClock } from '../transport/fakeClock';
import { worstOverQuotaWindow } from '../transport/pacing';
import type { Transport } from './fakeContext';
import { answer, id, run } from './fakeContext';

const push = {
	operation: 'pushOnsMessage',
	instanceId: id('MQ_INST_111111111111_DOxxxxxx'),
	topic: id('test-mq_topic'),
	groupId: id('GID_test_group_id'),
	clientId: id('30.5.121.10@24813#-1999745829#-1737591554#453111174894656'),
	msgId: '0BC1669963053CF68F733BB703960001',
	options: {},
};

describe('Push ONS Message', () => {
	it('calls ons OnsMessagePush 2019-02-14 with the five IDs and outputs them with the request ID', async () => {
		const { output, requests } = await run({
			parameters: push,
			transport: async () => answer(200, { RequestId: 'B8EDC90D-F726' }),
		});
		expect(requests[0]).toMatchObject({
			headers: { 'x-acs-action': 'OnsMessagePush', 'x-acs-version': '2019-02-14' },
			qs: {
				InstanceId: 'MQ_INST_111111111111_DOxxxxxx',
				Topic: 'test-mq_topic',
				GroupId: 'GID_test_group_id',
				ClientId: '30.5.121.10@24813#-1999745829#-1737591554#453111174894656',
				MsgId: '0BC1669963053CF68F733BB703960001',
			},
		});
		expect(output).toEqual([
			{
				json: {
					requestId: 'B8EDC90D-F726',
					instanceId: 'MQ_INST_111111111111_DOxxxxxx',
					topic: 'test-mq_topic',
					groupId: 'GID_test_group_id',
					clientId: '30.5.121.10@24813#-1999745829#-1737591554#453111174894656',
					msgId: '0BC1669963053CF68F733BB703960001',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('trims IDs pasted with spaces and names an empty one', async () => {
		const { requests } = await run({
			parameters: { ...push, msgId: '  0BC1  ' },
			transport: async () => answer(200, { RequestId: 'R' }),
		});
		expect((requests[0].qs as Record<string, string>).MsgId).toBe('0BC1');
		await expect(
			run({ parameters: { ...push, clientId: id('') }, transport: async () => answer(200, {}) }),
		).rejects.toThrow(/"Client ID" is empty/);
	});

	it('maps BIZ_CONSUMER_NOT_ONLINE to an error that points at Get ONS Consumer Connections', async () => {
		const error = await run({
			parameters: push,
			transport: async () =>
				answer(400, { RequestId: 'R', Code: 'BIZ_CONSUMER_NOT_ONLINE', Message: 'consumer not online' }),
		}).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.description).toMatch(/Get ONS Consumer Connections/);
	});

	/** Items pushed with a 40 ms round trip on virtual time; returns when each call started. */
	async function pushStarts(
		count: number,
		options: Record<string, unknown>,
		answerOf: (call: number) => ReturnType<typeof answer> = () => answer(200, { RequestId: 'R' }),
	) {
		const clock = new FakeClock();
		const started: number[] = [];
		const transport: Transport = async () => {
			started.push(clock.now());
			const call = started.length;
			await clock.sleep(40);
			return answerOf(call);
		};
		const { output } = await run({
			items: Array.from({ length: count }, () => ({ json: {} })),
			parameters: { ...push, options },
			transport,
			clock,
		});
		return { started, output };
	}

	it('paces pushes under the 10/s quota by default: no window holds more than 8 × its length + 1 calls', async () => {
		const { started, output } = await pushStarts(30, {});
		expect(output).toHaveLength(30);
		expect(started).toHaveLength(30);
		expect(worstOverQuotaWindow(started, 8)).toBeUndefined();
		// And no slower than 8 per second: 30 starts 125 ms apart.
		expect(started[29] - started[0]).toBe(29 * 125);
	});

	it('paces at Max Requests per Second when it is set', async () => {
		const { started } = await pushStarts(12, { maxRequestsPerSecond: 2.5, maxConcurrentRequests: 12 });
		expect(worstOverQuotaWindow(started, 2.5)).toBeUndefined();
		expect(started[11] - started[0]).toBe(11 * 400);
	});

	it('paces retries of throttled calls too: every attempt fits the pace', async () => {
		const throttledEveryThird = (call: number) =>
			call % 3 === 0
				? answer(400, { RequestId: 'T', Code: 'Throttling.User', Message: 'flow control' })
				: answer(200, { RequestId: 'R' });
		const { started, output } = await pushStarts(30, {}, throttledEveryThird);
		expect(output).toHaveLength(30);
		expect(started.length).toBeGreaterThan(30);
		expect(worstOverQuotaWindow(started, 8)).toBeUndefined();
	});
});

describe('Get ONS Consumer Connections', () => {
	const get = {
		operation: 'getOnsConsumerConnections',
		instanceId: id('MQ_INST_111111111111_DOxxxxxx'),
		groupId: (i: number) => id(i === 0 ? 'GID_a' : 'GID_b'),
		options: {},
	};
	const connections = (groupId: string) => ({
		RequestId: `R-${groupId}`,
		Data: {
			MessageModel: 'CLUSTERING',
			ConnectionList: {
				ConnectionDo: [
					{ ClientId: `${groupId}-c1`, ClientAddr: '10.0.0.1', Language: 'JAVA', Version: 'V4_3_6' },
					{ ClientId: `${groupId}-c2`, ClientAddr: '10.0.0.2', Language: 'JAVA', Version: 'V4_3_6' },
				],
			},
		},
	});

	it('outputs one item per online consumer, each paired with the input item that asked', async () => {
		const items: INodeExecutionData[] = [{ json: {} }, { json: {} }];
		const { output, requests } = await run({
			items,
			parameters: get,
			transport: async (request) => answer(200, connections((request.qs as Record<string, string>).GroupId)),
		});
		expect(requests.map((r) => r.headers)).toEqual([
			{ 'x-acs-action': 'OnsConsumerGetConnection', 'x-acs-version': '2019-02-14' },
			{ 'x-acs-action': 'OnsConsumerGetConnection', 'x-acs-version': '2019-02-14' },
		]);
		expect(output.map((o) => [o.json.clientId, o.pairedItem])).toEqual([
			['GID_a-c1', { item: 0 }],
			['GID_a-c2', { item: 0 }],
			['GID_b-c1', { item: 1 }],
			['GID_b-c2', { item: 1 }],
		]);
		expect(output[0].json).toEqual({
			clientId: 'GID_a-c1',
			clientAddr: '10.0.0.1',
			language: 'JAVA',
			version: 'V4_3_6',
			instanceId: 'MQ_INST_111111111111_DOxxxxxx',
			groupId: 'GID_a',
		});
	});

	it('fails an item whose group has no consumer online instead of dropping it', async () => {
		const { output } = await run({
			items: [{ json: {} }, { json: {} }],
			parameters: get,
			continueOnFail: true,
			transport: async (request) =>
				(request.qs as Record<string, string>).GroupId === 'GID_a'
					? answer(200, { RequestId: 'R', Data: { ConnectionList: { ConnectionDo: [] } } })
					: answer(200, connections('GID_b')),
		});
		expect(output[0]).toMatchObject({
			json: { code: 'BIZ_CONSUMER_NOT_ONLINE', requestId: 'R' },
			pairedItem: { item: 0 },
		});
		expect(output.slice(1).map((o) => o.pairedItem)).toEqual([{ item: 1 }, { item: 1 }]);
	});

	it('retries a read after a 500 (reads are safe to repeat)', async () => {
		let calls = 0;
		const { output } = await run({
			parameters: { ...get, groupId: id('GID_a') },
			transport: async () =>
				++calls === 1
					? answer(500, { RequestId: 'R', Code: 'InternalError', Message: 'x' })
					: answer(200, connections('GID_a')),
		});
		expect(calls).toBe(2);
		expect(output).toHaveLength(2);
	});
});
