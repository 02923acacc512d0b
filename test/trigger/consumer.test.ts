import type { ExecutionResult } from '../../nodes/ApsaraMqTrigger/consume/acknowledgeMode';
import { FakeN8n, startConsumer, until } from './consumerHarness';
import { FakeQueue } from './fakeQueue';

function deferred<T>() {
	let resolve!: (value: T) => void;
	const promise = new Promise<T>((done) => (resolve = done));
	return { promise, resolve };
}

describe('the consume loop', () => {
	it('runs every message once and acknowledges it after the execution', async () => {
		const queue = new FakeQueue();
		const n8n = new FakeN8n();
		for (let i = 0; i < 50; i++) queue.publish(`m${i}`);
		const trigger = startConsumer(queue, n8n, { mode: 'executionSucceeds', limit: 4 });
		await until(() => queue.unacknowledged().length === 0);
		await trigger.stop();

		const runs = n8n.runsPerMessage();
		expect(runs.size).toBe(50);
		expect([...runs.values()].every((count) => count === 1)).toBe(true);
		expect(trigger.consumer.counters).toMatchObject({
			received: 50,
			succeeded: 50,
			acknowledged: 50,
		});
	});

	it('never has more than the limit in flight, and asks only for as many messages as there is room for', async () => {
		const queue = new FakeQueue();
		const n8n = new FakeN8n();
		let running = 0;
		let most = 0;
		const gates: Array<() => void> = [];
		n8n.decide = async (): Promise<ExecutionResult> => {
			running++;
			most = Math.max(most, running);
			const gate = deferred<void>();
			gates.push(gate.resolve);
			await gate.promise;
			running--;
			return 'succeeded';
		};
		for (let i = 0; i < 20; i++) queue.publish(`m${i}`);
		const trigger = startConsumer(queue, n8n, { mode: 'executionFinishes', limit: 3 });
		await until(() => running === 3);
		const pollsWhileFull = queue.polls.length;
		// Polling pauses while the limit is reached.
		for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
		expect(queue.polls.length).toBe(pollsWhileFull);
		while (queue.unacknowledged().length > 0) {
			gates.shift()?.();
			await new Promise((resolve) => setImmediate(resolve));
		}
		await trigger.stop();
		expect(most).toBe(3);
		expect(Math.max(...queue.polls)).toBeLessThanOrEqual(3);
		expect(n8n.runsPerMessage().size).toBe(20);
	});

	it('asks for the messages of every free place: 16 at most per poll', async () => {
		const queue = new FakeQueue();
		const n8n = new FakeN8n();
		const trigger = startConsumer(queue, n8n, {
			mode: 'executionSucceeds',
			limit: 8,
			messagesPerExecution: 4,
		});
		await until(() => queue.polls.length === 1);
		await trigger.stop();
		expect(queue.polls[0]).toBe(16);
	});

	it('puts up to messagesPerExecution messages in one execution', async () => {
		const queue = new FakeQueue();
		const n8n = new FakeN8n();
		for (let i = 0; i < 10; i++) queue.publish(`m${i}`);
		const trigger = startConsumer(queue, n8n, {
			mode: 'executionSucceeds',
			limit: 2,
			messagesPerExecution: 4,
		});
		await until(() => queue.unacknowledged().length === 0);
		await trigger.stop();
		const sizes = n8n.executions.map((execution) => execution.messageIds.length);
		expect(sizes.every((size) => size <= 4)).toBe(true);
		expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(10);
		expect(queue.acks.every((handles) => handles.length <= 4)).toBe(true);
	});

	it('closing aborts the long poll in flight: the loop ends and no poll follows', async () => {
		const queue = new FakeQueue();
		const n8n = new FakeN8n();
		const trigger = startConsumer(queue, n8n, { mode: 'executionSucceeds' });
		await until(() => queue.polls.length === 1);
		trigger.controller.abort();
		await trigger.loop;
		queue.publish('late');
		for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
		expect(queue.polls).toHaveLength(1);
		expect(n8n.executions).toHaveLength(0);
	});

	it('backs off and reconnects forever on network errors and 5xx, logging the attempt count', async () => {
		const queue = new FakeQueue();
		const n8n = new FakeN8n();
		for (let i = 0; i < 6; i++) {
			queue.scriptedPolls.push(
				i % 2 === 0
					? {
							kind: 'failed',
							outcome: 'notSent',
							failure: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' },
						}
					: {
							kind: 'failed',
							outcome: 'ambiguous',
							failure: { code: 'InternalError', message: 'oops', httpStatus: 500 },
						},
			);
		}
		queue.publish('m1');
		const trigger = startConsumer(queue, n8n, { mode: 'executionSucceeds' });
		await until(() => queue.unacknowledged().length === 0);
		await trigger.stop();
		const warnings = trigger.logs.filter((log) => log.level === 'warn');
		expect(warnings.map((log) => log.meta?.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
		expect(trigger.clock.sleeps).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000]);
		expect(
			trigger.logs.some(
				(log) => log.level === 'info' && log.message.includes('after 6 failed attempts'),
			),
		).toBe(true);
		expect(trigger.permanent).toHaveLength(0);
	});

	it('stops and reports what cannot heal, with the code and the fix', async () => {
		const queue = new FakeQueue();
		const n8n = new FakeN8n();
		queue.scriptedPolls.push({
			kind: 'failed',
			outcome: 'rejected',
			failure: { code: 'SignatureDoesNotMatch', message: 'signature mismatch', httpStatus: 403 },
		});
		const trigger = startConsumer(queue, n8n, { mode: 'executionSucceeds' });
		await trigger.loop;
		expect(trigger.permanent).toHaveLength(1);
		expect(trigger.permanent[0].failure.code).toBe('SignatureDoesNotMatch');
		expect(trigger.permanent[0].fix).toMatch(/secret/);
		expect(queue.polls).toHaveLength(1);
	});

	it('leaves a message that comes again while its execution still runs, and lets the running one decide', async () => {
		const queue = new FakeQueue();
		const n8n = new FakeN8n();
		const release = deferred<void>();
		n8n.decide = async (): Promise<ExecutionResult> => {
			await release.promise;
			return 'succeeded';
		};
		queue.publish('slow');
		const trigger = startConsumer(queue, n8n, { mode: 'executionSucceeds' });
		await until(() => n8n.keys.size === 1);
		queue.expireInvisibility();
		await until(() => trigger.consumer.counters.skippedInFlight === 1);
		release.resolve();
		await until(() => queue.acks.length === 1);
		// The first handle expired with the redelivery: the ack is refused and explained.
		expect(trigger.consumer.counters.expiredAcks).toBe(1);
		expect(
			trigger.logs.some((log) => log.level === 'warn' && log.message.includes('invisibility time')),
		).toBe(true);
		// The message comes again; n8n's key skips it and the new handle is acknowledged.
		queue.expireInvisibility();
		await until(() => queue.unacknowledged().length === 0);
		await trigger.stop();
		expect(n8n.runsPerMessage().get('slow')).toBe(1);
		expect(trigger.consumer.counters.duplicates).toBe(1);
	});

	it('ordered: the messages of one sharding key run one after the other, in order', async () => {
		const queue = new FakeQueue(true);
		const n8n = new FakeN8n();
		const order: string[] = [];
		n8n.decide = (batch) => {
			order.push(...batch.map((delivery) => delivery.messageId));
			return 'succeeded';
		};
		for (let i = 0; i < 12; i++)
			queue.publish(`k${i % 3}-${i}`, '', { __SHARDINGKEY: `k${i % 3}` });
		const trigger = startConsumer(queue, n8n, {
			mode: 'executionSucceeds',
			orderly: true,
			limit: 3,
		});
		await until(() => queue.unacknowledged().length === 0);
		await trigger.stop();
		for (const key of ['k0', 'k1', 'k2']) {
			const ofKey = order.filter((id) => id.startsWith(`${key}-`));
			const numbers = ofKey.map((id) => Number(id.split('-')[1]));
			expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
			expect(numbers).toHaveLength(4);
		}
	});

	it('ordered: after a failed execution the later messages of its key wait for it', async () => {
		const queue = new FakeQueue(true);
		const n8n = new FakeN8n();
		let failFirst = true;
		n8n.decide = (batch) => {
			if (batch[0].messageId === 'a1' && failFirst) {
				failFirst = false;
				return 'failed';
			}
			return 'succeeded';
		};
		for (const id of ['a1', 'a2', 'a3']) queue.publish(id, '', { __SHARDINGKEY: 'a' });
		const trigger = startConsumer(queue, n8n, {
			mode: 'executionSucceeds',
			orderly: true,
			limit: 3,
		});
		await until(() => n8n.executions.length === 1);
		for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
		expect(n8n.executions.map((execution) => execution.messageIds[0])).toEqual(['a1']);
		queue.expireInvisibility();
		await until(() => queue.unacknowledged().length === 0);
		await trigger.stop();
		expect(n8n.executions.map((execution) => execution.messageIds[0])).toEqual([
			'a1',
			'a1',
			'a2',
			'a3',
		]);
	});
});
