import { FakeN8n, startConsumer, until } from './consumerHarness';
import { FakeQueue } from './fakeQueue';

/**
 * The row "n8n stopped during the execution" of docs/trigger.md#guarantees. n8n 2.41 marks an execution that was running
 * when n8n was killed as `crashed` and keeps its deduplication key. FakeN8n keeps the keys of every
 * execution, ended or not; the "kill" closes the consumer without waiting for its execution, and a
 * new consumer on the same queue and keys is the restart (a new activation of the trigger).
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
	it('executionSucceeds: the crashed execution does not count as a success; after the restart the redelivery runs and its success is acknowledged', async () => {
		const queue = new FakeQueue();
		const n8n = new FakeN8n();
		await killDuringExecution(queue, n8n, 'executionSucceeds');

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
	});

	it('executionFinishes: the crashed execution counts as the one execution; the redelivery is skipped and acknowledged', async () => {
		const queue = new FakeQueue();
		const n8n = new FakeN8n();
		await killDuringExecution(queue, n8n, 'executionFinishes');

		const second = startConsumer(queue, n8n, { mode: 'executionFinishes' });
		await until(() => queue.unacknowledged().length === 0);
		await second.stop();
		expect(second.consumer.counters).toMatchObject({ duplicates: 1, succeeded: 0 });
	});
});
