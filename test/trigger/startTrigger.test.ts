import type { IRun, ITriggerFunctions } from 'n8n-workflow';

import { parseSettings, type TriggerSettings } from '../../nodes/ApsaraMqTrigger/settings';
import { startTrigger } from '../../nodes/ApsaraMqTrigger/startTrigger';
import { FakeClock } from '../transport/fakeClock';
import { until } from './consumerHarness';
import { FakeQueue } from './fakeQueue';

/** What n8n's helpers.createDeferredPromise gives (n8n-workflow does not export it). */
function createDeferredPromise<T>() {
	let resolve!: (value: T) => void;
	let reject!: (error: Error) => void;
	const promise = new Promise<T>((done, fail) => {
		resolve = done;
		reject = fail;
	});
	return { promise, resolve, reject };
}

interface Emitted {
	items: unknown[];
	key?: string;
	done?: { resolve: (run: IRun | undefined) => void; reject: (error: Error) => void };
}

function settingsWith(overrides: Record<string, unknown> = {}): TriggerSettings {
	const parsed = parseSettings({
		instanceId: 'MQ_INST_1',
		topic: 'orders',
		groupId: 'GID_http',
		tag: '',
		acknowledge: 'executionSucceeds',
		messagesPerExecution: 1,
		orderly: false,
		parseJson: true,
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

function fakeContext(mode: 'trigger' | 'manual') {
	const emitted: Emitted[] = [];
	const errors: Error[] = [];
	const staticData: Record<string, unknown> = {};
	const context = {
		getMode: () => mode,
		getNode: () => ({
			id: 'node-1',
			name: 'ApsaraMQ Trigger',
			type: 'n8n-nodes-apsaramq.apsaraMqTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		getWorkflow: () => ({ id: 'wf-1', name: 'w', active: true }),
		getWorkflowStaticData: () => staticData,
		logger: { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() },
		helpers: {
			createDeferredPromise,
			prepareBinaryData: async (buffer: Buffer, fileName: string) => ({
				data: buffer.toString('base64'),
				fileName,
				mimeType: 'application/octet-stream',
			}),
		},
		emit: (data: unknown[][], _response: unknown, done?: Emitted['done'], key?: string) => {
			emitted.push({ items: data[0], key, done });
		},
		emitError: (error: Error) => errors.push(error),
	};
	return {
		context: context as unknown as ITriggerFunctions,
		emitted,
		errors,
		staticData,
		raw: context,
	};
}

const success = { status: 'success', data: { resultData: { runData: {} } } } as unknown as IRun;
const failure = {
	status: 'error',
	data: { resultData: { runData: {}, error: new Error('boom') } },
} as unknown as IRun;

describe('startTrigger, activated', () => {
	it('emits each message with its deduplication key and acknowledges it as n8n tells how it ended', async () => {
		const queue = new FakeQueue();
		const { context, emitted, staticData } = fakeContext('trigger');
		queue.publish('M1', '{"n":1}', { KEYS: 'k1' });
		queue.publish('M2');
		queue.publish('M3');
		const response = startTrigger(context, settingsWith(), queue, new FakeClock());
		await until(() => emitted.length === 2);
		// executionSucceeds: the workflow, the node, this activation, the message.
		expect(emitted.map((one) => one.key)).toEqual([
			expect.stringMatching(/^apsaramq:wf-1:node-1:[0-9a-f]{8}:M1$/),
			expect.stringMatching(/^apsaramq:wf-1:node-1:[0-9a-f]{8}:M2$/),
		]);
		expect(emitted[0].key?.split(':')[3]).toBe(emitted[1].key?.split(':')[3]);
		expect(emitted[0].items).toEqual([
			{
				json: expect.objectContaining({
					messageId: 'M1',
					body: { n: 1 },
					messageKey: 'k1',
					topic: 'orders',
					groupId: 'GID_http',
				}),
			},
		]);
		emitted[0].done?.resolve(success);
		emitted[1].done?.resolve(failure);
		await until(() => emitted.length === 3);
		// An execution with this key exists already: n8n resolves the done promise with undefined.
		emitted[2].done?.resolve(undefined);
		await until(() => queue.acks.length === 2);
		await response.closeFunction?.();
		expect(queue.unacknowledged()).toEqual(['M2']);
		// The failure count is kept in memory: nothing is written to the workflow's static data.
		expect(staticData).toEqual({});
	});

	it('closing returns at once, aborting the poll in flight; nothing is polled after it', async () => {
		const queue = new FakeQueue();
		const { context } = fakeContext('trigger');
		const response = startTrigger(context, settingsWith(), queue, new FakeClock());
		await until(() => queue.polls.length === 1);
		await response.closeFunction?.();
		queue.publish('late');
		for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
		expect(queue.polls).toHaveLength(1);
	});

	it('reports what cannot heal through emitError, with the code and the fix', async () => {
		const queue = new FakeQueue();
		queue.scriptedPolls.push({
			kind: 'failed',
			outcome: 'rejected',
			failure: {
				code: 'TopicNotExist',
				message: 'The topic you provided does not exist.',
				httpStatus: 404,
				requestId: 'R1',
			},
		});
		const { context, errors } = fakeContext('trigger');
		startTrigger(context, settingsWith(), queue, new FakeClock());
		await until(() => errors.length === 1);
		expect(errors[0].message).toBe('TopicNotExist: The topic you provided does not exist.');
		expect((errors[0] as { description?: string }).description).toMatch(
			/Check the instance and the topic.*Request ID: R1/,
		);
	});

	it('cuts a huge server message short in the error and in the log of a failed poll', async () => {
		const huge = 'x'.repeat(10_000_000);
		const queue = new FakeQueue();
		queue.scriptedPolls.push({
			kind: 'failed',
			outcome: 'ambiguous',
			failure: { code: 'InternalError', message: huge, httpStatus: 500 },
		});
		queue.scriptedPolls.push({
			kind: 'failed',
			outcome: 'rejected',
			failure: { code: 'TopicNotExist', message: huge, httpStatus: 404 },
		});
		const { context, errors, raw } = fakeContext('trigger');
		startTrigger(context, settingsWith(), queue, new FakeClock());
		await until(() => errors.length === 1);
		expect(errors[0].message.length).toBeLessThan(2_200);
		expect(errors[0].message).toContain('more characters cut');
		const warned = (raw.logger.warn as jest.Mock).mock.calls.map(([text]) => String(text));
		expect(warned.length).toBeGreaterThan(0);
		for (const text of warned) expect(text.length).toBeLessThan(2_400);
	});

	it('decodes a Base64 body into the binary property when asked', async () => {
		const queue = new FakeQueue();
		const { context, emitted } = fakeContext('trigger');
		queue.publish('B1', Buffer.from('hello file').toString('base64'));
		queue.publish('B2', 'not base64!');
		const response = startTrigger(
			context,
			settingsWith({ decodeBase64Body: true, binaryPropertyName: 'file' }),
			queue,
			new FakeClock(),
		);
		await until(() => emitted.length === 2);
		await response.closeFunction?.();
		const items = emitted.map(
			(one) =>
				one.items[0] as { json: { messageId: string }; binary?: Record<string, { data: string }> },
		);
		const first = items.find((item) => item.json.messageId === 'B1');
		const second = items.find((item) => item.json.messageId === 'B2');
		expect(Buffer.from(first?.binary?.file.data ?? '', 'base64').toString()).toBe('hello file');
		expect(second).toBeDefined();
		expect(second?.binary).toBeUndefined();
	});
});

describe('startTrigger, manual test', () => {
	it('shows one batch through the emit n8n puts in place after trigger() returned, and leaves it unacknowledged', async () => {
		const queue = new FakeQueue();
		const { context, raw } = fakeContext('manual');
		queue.publish('M1');
		queue.publish('M2');
		const response = startTrigger(
			context,
			settingsWith({ messagesPerExecution: 2 }),
			queue,
			new FakeClock(),
		);
		const shown: unknown[][][] = [];
		raw.emit = (data: unknown[][]) => void shown.push(data as unknown[][]);
		await response.manualTriggerFunction?.();
		await until(() => shown.length === 1);
		await response.closeFunction?.();
		expect(shown[0][0]).toHaveLength(2);
		expect(queue.acks).toHaveLength(0);
		expect(queue.unacknowledged()).toEqual(['M1', 'M2']);
	});

	it('acknowledges the test event when the user chose so', async () => {
		const queue = new FakeQueue();
		const { context, raw } = fakeContext('manual');
		queue.publish('M1');
		const response = startTrigger(
			context,
			settingsWith({ acknowledgeTestEvent: true }),
			queue,
			new FakeClock(),
		);
		raw.emit = () => undefined;
		await response.manualTriggerFunction?.();
		expect(queue.unacknowledged()).toEqual([]);
	});

	it('fails the test with the code and the fix when it cannot consume', async () => {
		const queue = new FakeQueue();
		queue.scriptedPolls.push({
			kind: 'failed',
			outcome: 'rejected',
			failure: { code: 'AccessDenied', message: 'You are not authorized.', httpStatus: 403 },
		});
		const { context } = fakeContext('manual');
		const response = startTrigger(context, settingsWith(), queue, new FakeClock());
		await expect(response.manualTriggerFunction?.()).rejects.toMatchObject({
			message: 'AccessDenied: You are not authorized.',
			description: expect.stringMatching(/mq:SUB/),
		});
	});
});

describe('the settings', () => {
	it('name the field and say what is wrong, before any request', () => {
		const problems = (raw: Record<string, unknown>) => {
			const parsed = parseSettings({ ...settingsWith(), ...raw });
			return 'problems' in parsed ? parsed.problems : [];
		};
		expect(problems({ messagesPerExecution: 17 })).toEqual([
			'"Messages per Execution" must be at most 16',
		]);
		expect(problems({ maxParallelExecutions: 0 })).toEqual([
			'"Max Parallel Executions" must be at least 1',
		]);
		expect(problems({ tag: 'A|B' })[0]).toMatch(/^"Tag Filter" must be tags joined by \|\|/);
		expect(problems({ topic: 'a b' })[0]).toMatch(/^"Topic" must not contain spaces/);
		expect(problems({ groupId: '' })[0]).toMatch(/^"Group" is empty/);
		expect(problems({ acknowledge: 'later' })[0]).toMatch(/^"Acknowledge" must be one of/);
		expect(settingsWith({ tag: ' A || B ' }).tag).toBe('A||B');
		expect(settingsWith({ tag: '*' }).tag).toBe('');
	});
});
