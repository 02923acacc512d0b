import { FakeN8n, startConsumer, until } from './consumerHarness';
import { FakeQueue } from './fakeQueue';

/**
 * One test per row of the guarantee table in docs/trigger.md#guarantees. FakeN8n has n8n's unique
 * deduplication key; a "restart" is a new consumer on the same queue and the same FakeN8n.
 */
const lostAck = {
	kind: 'failed',
	outcome: 'notSent',
	failure: { code: 'ECONNRESET', message: 'socket hang up' },
} as const;

async function settle(turns = 30): Promise<void> {
	for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setImmediate(resolve));
}

describe('guarantees per acknowledge mode', () => {
	describe('immediately: at most once', () => {
		it('acknowledges before the execution starts and does not run a failed message again', async () => {
			const queue = new FakeQueue();
			const n8n = new FakeN8n();
			n8n.decide = () => {
				// Already acknowledged when the execution runs.
				expect(queue.unacknowledged()).toEqual([]);
				return 'failed';
			};
			queue.publish('m1');
			const trigger = startConsumer(queue, n8n, { mode: 'immediately' });
			await until(() => n8n.executions.length === 1);
			queue.expireInvisibility();
			await settle();
			await trigger.stop();
			expect(n8n.executions).toHaveLength(1);
			expect(queue.unacknowledged()).toEqual([]);
		});

		it('skips the redelivery of a message whose acknowledgement was lost', async () => {
			const queue = new FakeQueue();
			const n8n = new FakeN8n();
			queue.scriptedAcks.push(lostAck, lostAck, lostAck);
			queue.publish('m1');
			const trigger = startConsumer(queue, n8n, { mode: 'immediately' });
			await until(() => n8n.executions.length === 1);
			queue.expireInvisibility();
			await until(() => queue.unacknowledged().length === 0);
			await trigger.stop();
			expect(n8n.runsPerMessage().get('m1')).toBe(1);
			expect(trigger.consumer.counters.duplicates).toBe(1);
		});
	});

	describe('executionFinishes: one execution per message', () => {
		it('acknowledges a failed execution and does not run it again', async () => {
			const queue = new FakeQueue();
			const n8n = new FakeN8n();
			n8n.decide = () => 'failed';
			queue.publish('m1');
			const trigger = startConsumer(queue, n8n, { mode: 'executionFinishes' });
			await until(() => queue.unacknowledged().length === 0);
			await trigger.stop();
			expect(n8n.executions).toEqual([
				expect.objectContaining({ messageIds: ['m1'], result: 'failed' }),
			]);
		});

		it('a lost acknowledgement: the redelivery is skipped by the key and acknowledged', async () => {
			const queue = new FakeQueue();
			const n8n = new FakeN8n();
			queue.scriptedAcks.push(lostAck, lostAck, lostAck);
			queue.publish('m1');
			const trigger = startConsumer(queue, n8n, { mode: 'executionFinishes' });
			await until(() => trigger.consumer.counters.failedAcks === 1);
			queue.expireInvisibility();
			await until(() => queue.unacknowledged().length === 0);
			await trigger.stop();
			expect(n8n.runsPerMessage().get('m1')).toBe(1);
		});

		it('n8n restarted between the execution and the acknowledgement: no second execution', async () => {
			const queue = new FakeQueue();
			const n8n = new FakeN8n();
			let stopAfterRun!: () => void;
			const ran = new Promise<void>((resolve) => (stopAfterRun = resolve));
			n8n.decide = () => {
				stopAfterRun();
				return 'failed';
			};
			queue.publish('m1');
			const first = startConsumer(queue, n8n, { mode: 'executionFinishes' });
			await ran;
			queue.scriptedAcks.push({
				kind: 'failed',
				outcome: 'rejected',
				failure: { message: 'n8n is gone' },
			});
			await first.stop();
			expect(queue.unacknowledged()).toEqual(['m1']);

			queue.expireInvisibility();
			const second = startConsumer(queue, n8n, { mode: 'executionFinishes' });
			await until(() => queue.unacknowledged().length === 0);
			await second.stop();
			expect(n8n.runsPerMessage().get('m1')).toBe(1);
		});
	});

	describe('executionSucceeds: at least once until one execution succeeds', () => {
		it('runs a failed message again when it comes back, then acknowledges its success', async () => {
			const queue = new FakeQueue();
			const n8n = new FakeN8n();
			let failures = 2;
			n8n.decide = () => (failures-- > 0 ? 'failed' : 'succeeded');
			queue.publish('m1');
			const trigger = startConsumer(queue, n8n, { mode: 'executionSucceeds' });
			for (const runs of [1, 2]) {
				await until(() => n8n.executions.length === runs);
				await settle();
				expect(queue.unacknowledged()).toEqual(['m1']);
				queue.expireInvisibility();
			}
			await until(() => queue.unacknowledged().length === 0);
			await trigger.stop();
			expect(n8n.executions.map((execution) => execution.result)).toEqual([
				'failed',
				'failed',
				'succeeded',
			]);
			expect(new Set(n8n.executions.map((execution) => execution.key)).size).toBe(3);
			// Once acknowledged, the count is not kept.
			expect(trigger.failureCounts).toEqual({});
		});

		it('a lost acknowledgement of a success: the redelivery is skipped and acknowledged', async () => {
			const queue = new FakeQueue();
			const n8n = new FakeN8n();
			queue.scriptedAcks.push(lostAck, lostAck, lostAck);
			queue.publish('m1');
			const trigger = startConsumer(queue, n8n, { mode: 'executionSucceeds' });
			await until(() => trigger.consumer.counters.failedAcks === 1);
			queue.expireInvisibility();
			await until(() => queue.unacknowledged().length === 0);
			await trigger.stop();
			expect(n8n.runsPerMessage().get('m1')).toBe(1);
		});

		it('n8n restarted between a success and its acknowledgement: it runs once more (a new activation, a new key)', async () => {
			const queue = new FakeQueue();
			const n8n = new FakeN8n();
			queue.scriptedAcks.push(lostAck, lostAck, lostAck);
			queue.publish('m1');
			const first = startConsumer(queue, n8n, { mode: 'executionSucceeds' });
			await until(() => first.consumer.counters.failedAcks === 1);
			await first.stop();
			queue.expireInvisibility();
			const second = startConsumer(queue, n8n, { mode: 'executionSucceeds' });
			await until(() => queue.unacknowledged().length === 0);
			await second.stop();
			expect(n8n.executions.map((execution) => execution.result)).toEqual([
				'succeeded',
				'succeeded',
			]);
		});

		it('a failure before a restart still runs again after it', async () => {
			const queue = new FakeQueue();
			const n8n = new FakeN8n();
			n8n.decide = () => 'failed';
			queue.publish('m1');
			const first = startConsumer(queue, n8n, { mode: 'executionSucceeds' });
			await until(() => n8n.executions.length === 1);
			await first.stop();

			n8n.decide = () => 'succeeded';
			queue.expireInvisibility();
			const second = startConsumer(queue, n8n, { mode: 'executionSucceeds' });
			await until(() => queue.unacknowledged().length === 0);
			await second.stop();
			expect(n8n.executions.map((execution) => execution.result)).toEqual(['failed', 'succeeded']);
		});

		it('an execution that n8n could not start leaves the message for a redelivery', async () => {
			const queue = new FakeQueue();
			const n8n = new FakeN8n();
			let first = true;
			n8n.execute = async () => {
				if (first) {
					first = false;
					throw new Error('database unavailable');
				}
				return 'succeeded';
			};
			queue.publish('m1');
			const trigger = startConsumer(queue, n8n, { mode: 'executionSucceeds' });
			await until(() => trigger.consumer.counters.notStarted === 1);
			await settle();
			expect(queue.unacknowledged()).toEqual(['m1']);
			queue.expireInvisibility();
			await until(() => queue.unacknowledged().length === 0);
			await trigger.stop();
			expect(trigger.consumer.counters.succeeded).toBe(1);
		});
	});
});
