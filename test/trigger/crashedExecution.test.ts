import { FailureMemory } from '../../nodes/ApsaraMqTrigger/consume/failureMemory';
import { UnfinishedExecutions } from '../../nodes/ApsaraMqTrigger/consume/unfinishedExecutions';
import { FakeN8n, startConsumer, until } from './consumerHarness';
import { FakeQueue } from './fakeQueue';

/**
 * The row "n8n stopped during the execution" of docs/trigger.md#guarantees: n8n 2.41 marks an
 * execution that was running when n8n was killed as `crashed` and keeps its deduplication key.
 * FakeN8n keeps the key of an execution that never ended; the "kill" closes the consumer without
 * waiting for it, and a new consumer on the same queue, keys and static data is the restart.
 */
const never = () => new Promise<never>(() => undefined);

async function killDuringExecution(
	queue: FakeQueue,
	n8n: FakeN8n,
	mode: 'executionSucceeds' | 'executionFinishes',
) {
	n8n.decide = never;
	queue.publish('m1');
	const first = startConsumer(queue, n8n, { mode });
	await until(() => n8n.keys.size === 1);
	// kill -9: the loop ends, the running execution never reports back.
	first.controller.abort();
	await first.loop;
	n8n.decide = () => 'succeeded';
	queue.expireInvisibility();
}

describe('n8n killed while an execution runs', () => {
	it('executionSucceeds: the crashed execution does not count as a success; the redelivery runs with a new key and its success is acknowledged', async () => {
		const queue = new FakeQueue();
		const n8n = new FakeN8n();
		await killDuringExecution(queue, n8n, 'executionSucceeds');
		expect(n8n.unfinishedData).toEqual({ m1: 1 });

		const second = startConsumer(queue, n8n, { mode: 'executionSucceeds' });
		await until(() => queue.unacknowledged().length === 0);
		await second.stop();
		expect(second.consumer.counters).toMatchObject({
			duplicates: 0,
			succeeded: 1,
			acknowledged: 1,
		});
		expect(n8n.executions).toEqual([
			expect.objectContaining({ messageIds: ['m1'], result: 'succeeded' }),
		]);
		expect(n8n.keys.size).toBe(2);
		expect(second.logs).toContainEqual(
			expect.objectContaining({ level: 'warn', meta: { messages: 1 } }),
		);
		// Nothing left over once the message is acknowledged.
		expect({ unfinished: n8n.unfinishedData, failures: n8n.staticData }).toEqual({
			unfinished: {},
			failures: {},
		});
	});

	it('executionFinishes: the crashed execution counts as the one execution; the redelivery is skipped and acknowledged', async () => {
		const queue = new FakeQueue();
		const n8n = new FakeN8n();
		await killDuringExecution(queue, n8n, 'executionFinishes');
		expect(n8n.unfinishedData).toEqual({});

		const second = startConsumer(queue, n8n, { mode: 'executionFinishes' });
		await until(() => queue.unacknowledged().length === 0);
		await second.stop();
		expect(second.consumer.counters).toMatchObject({ duplicates: 1, succeeded: 0 });
	});

	it('an execution that ends clears its record, whatever its result', async () => {
		const queue = new FakeQueue();
		const n8n = new FakeN8n();
		let failed = false;
		n8n.decide = () => {
			expect(n8n.unfinishedData).toEqual({ m1: 1 });
			if (failed) return 'succeeded';
			failed = true;
			return 'failed';
		};
		queue.publish('m1');
		const trigger = startConsumer(queue, n8n, { mode: 'executionSucceeds' });
		await until(() => n8n.executions.length === 1);
		await until(() => Object.keys(n8n.unfinishedData).length === 0);
		queue.expireInvisibility();
		await until(() => queue.unacknowledged().length === 0);
		await trigger.stop();
		expect(n8n.executions.map((execution) => execution.result)).toEqual(['failed', 'succeeded']);
		expect(n8n.unfinishedData).toEqual({});
	});
});

describe('UnfinishedExecutions', () => {
	it('counts each recorded message as one failed execution at activation, once', () => {
		const store: Record<string, number> = {};
		const failureStore: Record<string, number> = { m2: 1 };
		const unfinished = new UnfinishedExecutions(store);
		unfinished.started('m1');
		unfinished.started('m2');
		unfinished.started('m3');
		unfinished.ended('m3');
		const failures = new FailureMemory(failureStore);
		expect(unfinished.countAsFailures(failures)).toBe(2);
		expect({ store, failureStore }).toEqual({ store: {}, failureStore: { m1: 1, m2: 2 } });
		expect(unfinished.countAsFailures(failures)).toBe(0);
	});
});
