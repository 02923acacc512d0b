import { acknowledgeAfter } from '../../nodes/ApsaraMqTrigger/consume/acknowledgeMode';
import { chainsOf } from '../../nodes/ApsaraMqTrigger/consume/batches';
import {
	classifyConsumeFailure,
	reconnectDelay,
} from '../../nodes/ApsaraMqTrigger/consume/consumeFailure';
import type { Delivery } from '../../nodes/ApsaraMqTrigger/consume/delivery';
import { deduplicationKey } from '../../nodes/ApsaraMqTrigger/consume/deduplicationKey';
import { FailureMemory } from '../../nodes/ApsaraMqTrigger/consume/failureMemory';
import { messageItem } from '../../nodes/ApsaraMqTrigger/consume/messageItem';
import { ParallelGate } from '../../nodes/ApsaraMqTrigger/consume/parallelGate';
import { parseProperties } from '../../nodes/ApsaraMqTrigger/consume/properties';

function delivery(messageId: string, properties: Record<string, string> = {}): Delivery {
	return {
		messageId,
		receiptHandle: `h-${messageId}`,
		body: '{"a":1}',
		bodyMd5: '',
		tag: 'TagA',
		properties,
		publishTime: Date.UTC(2025, 0, 1),
		firstConsumeTime: Date.UTC(2025, 0, 1, 0, 0, 1),
		nextConsumeTime: Date.UTC(2025, 0, 1, 0, 5, 1),
		consumedTimes: 2,
	};
}

describe('deduplicationKey', () => {
	it('is the workflow, the node and the MessageId, the same on every redelivery', () => {
		expect(
			deduplicationKey(
				'wf',
				'node',
				[{ messageId: 'M1', failures: 0 }],
				'executionFinishes',
				'act1',
			),
		).toBe('apsaramq:wf:node:M1');
	});

	it('counts known failures only where a failed message must run again', () => {
		const failed = [{ messageId: 'M1', failures: 2 }];
		expect(deduplicationKey('wf', 'node', failed, 'executionSucceeds', 'act1')).toBe(
			'apsaramq:wf:node:act1:M1~2',
		);
		expect(deduplicationKey('wf', 'node', failed, 'executionFinishes', 'act1')).toBe(
			'apsaramq:wf:node:M1',
		);
		expect(deduplicationKey('wf', 'node', failed, 'immediately', 'act1')).toBe(
			'apsaramq:wf:node:M1',
		);
	});

	it('names the activation only where an execution cut off by a crash of n8n must run again', () => {
		const message = [{ messageId: 'M1', failures: 0 }];
		const afterRestart = (mode: 'executionSucceeds' | 'executionFinishes' | 'immediately') =>
			deduplicationKey('wf', 'node', message, mode, 'act1') ===
			deduplicationKey('wf', 'node', message, mode, 'act2');
		expect(afterRestart('executionSucceeds')).toBe(false);
		expect(afterRestart('executionFinishes')).toBe(true);
		expect(afterRestart('immediately')).toBe(true);
	});

	it('names a batch by its messages whatever their order, within 255 characters', () => {
		const a = deduplicationKey(
			'wf',
			'node',
			[
				{ messageId: 'A', failures: 0 },
				{ messageId: 'B', failures: 0 },
			],
			'executionSucceeds',
			'act1',
		);
		const b = deduplicationKey(
			'wf',
			'node',
			[
				{ messageId: 'B', failures: 0 },
				{ messageId: 'A', failures: 0 },
			],
			'executionSucceeds',
			'act1',
		);
		const c = deduplicationKey(
			'wf',
			'node',
			[
				{ messageId: 'A', failures: 1 },
				{ messageId: 'B', failures: 0 },
			],
			'executionSucceeds',
			'act1',
		);
		expect(a).toBe(b);
		expect(c).not.toBe(a);
		expect(a).toMatch(/^apsaramq:wf:node:act1:batch:[0-9a-f]{64}$/);
		const long = deduplicationKey(
			'w'.repeat(200),
			'n'.repeat(36),
			[{ messageId: 'M'.repeat(64), failures: 0 }],
			'immediately',
			'act1',
		);
		expect(long.length).toBeLessThanOrEqual(255);
	});
});

describe('acknowledgeAfter', () => {
	it.each([
		['executionFinishes', 'succeeded', true],
		['executionFinishes', 'failed', true],
		['executionFinishes', 'duplicate', true],
		['executionFinishes', 'notStarted', false],
		['executionSucceeds', 'succeeded', true],
		['executionSucceeds', 'failed', false],
		['executionSucceeds', 'duplicate', true],
		['executionSucceeds', 'notStarted', false],
		['immediately', 'succeeded', false],
	] as const)('%s after %s: %s', (mode, result, expected) => {
		expect(acknowledgeAfter(mode, result)).toBe(expected);
	});
});

describe('FailureMemory', () => {
	it('counts, forgets, and drops the oldest entries beyond its limit', () => {
		const store: Record<string, number> = {};
		const memory = new FailureMemory(store, 2);
		memory.recordFailure('a');
		memory.recordFailure('a');
		memory.recordFailure('b');
		memory.recordFailure('c');
		expect(store).toEqual({ b: 1, c: 1 });
		memory.recordFailure('b');
		memory.recordFailure('d');
		expect(store).toEqual({ b: 2, d: 1 });
		memory.forget('b');
		expect(memory.failures('b')).toBe(0);
	});
});

describe('classifyConsumeFailure', () => {
	it('waits out the network, 5xx, throttling and the documented retryable codes', () => {
		for (const [outcome, code, httpStatus] of [
			['notSent', 'ECONNREFUSED', undefined],
			['ambiguous', 'ETIMEDOUT', undefined],
			['throttled', 'QpsLimitExceeded', 400],
			['rejected', 'InternalError', 500],
			['rejected', 'Whatever', 503],
			['rejected', 'TimeExpired', 408],
		] as const) {
			expect(
				classifyConsumeFailure({
					kind: 'failed',
					outcome,
					failure: { code, message: 'x', httpStatus },
				}).kind,
			).toBe('transient');
		}
	});

	it('stops on what cannot heal, with a fix naming the setting', () => {
		const failure = (code: string, httpStatus: number) =>
			classifyConsumeFailure({
				kind: 'failed',
				outcome: 'rejected',
				failure: { code, message: 'x', httpStatus },
			});
		expect(failure('InvalidAccessKeyId', 403)).toMatchObject({
			kind: 'permanent',
			fix: expect.stringMatching(/AccessKey ID/),
		});
		expect(failure('AccessDenied', 403)).toMatchObject({
			kind: 'permanent',
			fix: expect.stringMatching(/mq:SUB/),
		});
		expect(failure('TopicNotExist', 404)).toMatchObject({
			kind: 'permanent',
			fix: expect.stringMatching(/topic/),
		});
		expect(failure('SubscriptionNotExist', 404)).toMatchObject({
			kind: 'permanent',
			fix: expect.stringMatching(/TCP group/),
		});
		expect(
			classifyConsumeFailure({
				kind: 'failed',
				outcome: 'unsent',
				failure: { message: 'refused endpoint' },
			}),
		).toMatchObject({ kind: 'permanent', fix: expect.stringMatching(/https/) });
	});

	it('reconnects after 1 s, doubling to 30 s at most', () => {
		expect([1, 2, 3, 5, 6, 50].map(reconnectDelay)).toEqual([
			1_000, 2_000, 4_000, 16_000, 30_000, 30_000,
		]);
	});
});

describe('chainsOf', () => {
	it('unordered: batches of up to messagesPerExecution, each a chain of its own', () => {
		const chains = chainsOf(
			['a', 'b', 'c', 'd', 'e'].map((id) => delivery(id)),
			2,
			false,
		);
		expect(chains.map((chain) => chain.map((batch) => batch.map((one) => one.messageId)))).toEqual([
			[['a', 'b']],
			[['c', 'd']],
			[['e']],
		]);
	});

	it('ordered: one chain per sharding key, in the order received', () => {
		const ids = [
			['a1', 'A'],
			['b1', 'B'],
			['a2', 'A'],
			['a3', 'A'],
		];
		const chains = chainsOf(
			ids.map(([id, key]) => delivery(id, { __SHARDINGKEY: key })),
			2,
			true,
		);
		expect(chains.map((chain) => chain.map((batch) => batch.map((one) => one.messageId)))).toEqual([
			[['a1', 'a2'], ['a3']],
			[['b1']],
		]);
	});
});

describe('ParallelGate', () => {
	it('refuses to go over its limit and wakes a waiter on release', async () => {
		const gate = new ParallelGate(1);
		gate.take();
		expect(() => gate.take()).toThrow(/No free place/);
		const controller = new AbortController();
		let woken = false;
		const waiting = gate.waitForRoom(controller.signal).then(() => (woken = true));
		await Promise.resolve();
		expect(woken).toBe(false);
		gate.release();
		await waiting;
		expect(gate.free).toBe(1);
		expect(() => new ParallelGate(0)).toThrow(RangeError);
	});
});

describe('parseProperties and messageItem', () => {
	it('keeps the value after the first colon and drops pairs without a key', () => {
		expect(parseProperties('KEYS:k1|url:http://x:1/|:nokey|flag|a:')).toEqual({
			KEYS: 'k1',
			url: 'http://x:1/',
			a: '',
		});
	});

	it('builds the documented item, parsing a JSON body only when asked', () => {
		const context = { topic: 'T', instanceId: 'MQ_INST_1', groupId: 'GID_1', parseJson: true };
		expect(messageItem(delivery('M1', { KEYS: 'k1' }), context)).toEqual({
			messageId: 'M1',
			body: { a: 1 },
			tag: 'TagA',
			messageKey: 'k1',
			properties: { KEYS: 'k1' },
			publishTime: '2025-01-01T00:00:00.000Z',
			firstConsumeTime: '2025-01-01T00:00:01.000Z',
			consumedTimes: 2,
			topic: 'T',
			instanceId: 'MQ_INST_1',
			groupId: 'GID_1',
		});
		expect(messageItem({ ...delivery('M2'), body: 'not json' }, context).body).toBe('not json');
		expect(messageItem(delivery('M3'), { ...context, parseJson: false }).body).toBe('{"a":1}');
	});
});
