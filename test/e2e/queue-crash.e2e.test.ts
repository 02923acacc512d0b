// A worker stopped in the middle of a 2,000-item Send MQTT Message batch (harness/queue.ts).
// SIGTERM: n8n's worker waits for its running execution, which completes. SIGKILL: what was sent
// stays sent, the rest is never sent, n8n marks the execution failed minutes later and does not
// run it again; the user re-sends what the subscribers never received. For Publish RocketMQ
// Message the user runs the same input again with keys from the input and Skip Keys Already
// Stored: only the missing messages are published. The figures printed here are the ones
// README.md#queue-mode quotes.
import { createEmulator, type Emulator } from '../emulator';
import { emulatorCredential, EXAMPLE_CREDENTIAL, SEED } from './harness/apsaramq';
import type { RestSession } from './harness/instance';
import { startQueueCluster, type QueueCluster, type QueueWorker } from './harness/queue';
import { waitFor } from './harness/wait';
import {
	batchTopic,
	QUEUE_BATCH,
	queueBatchWorkflow,
	startBatch,
	type BatchRequest,
} from './fixtures/queue-batch';
import {
	PUBLISH_TOPIC,
	publishBatchKey,
	QUEUE_PUBLISH_BATCH,
	queuePublishBatchWorkflow,
	startPublishBatch,
} from './fixtures/queue-publish';

const BATCH = 2000;
// slow enough (20 s for the batch) to stop a worker in the middle of it
const RATE = 100;

const report = (line: string) => process.stdout.write(`[queue-crash] ${line}\n`);

describe('a worker stopped in the middle of a batch (queue mode)', () => {
	let emulator: Emulator;
	let cluster: QueueCluster;
	let session: RestSession;

	beforeAll(async () => {
		emulator = await createEmulator({ mqtt: false });
		cluster = await startQueueCluster({
			prepare: async (main) => {
				await main.importCredentials([emulatorCredential(emulator.url, EXAMPLE_CREDENTIAL)]);
				await main.importWorkflow([queueBatchWorkflow(), queuePublishBatchWorkflow()]);
				await main.publishWorkflow(QUEUE_BATCH.id);
				await main.publishWorkflow(QUEUE_PUBLISH_BATCH.id);
			},
		});
		session = await cluster.main.createOwnerAndLogin(cluster.url);
	}, 600_000);

	afterAll(async () => {
		await cluster?.dispose();
		await emulator?.close();
	});

	beforeEach(() => emulator.reset());

	const delivered = (run: string) => emulator.mqttDeliveries({ topic: batchTopic(run) });
	const indexesOf = (run: string) =>
		delivered(run).map((delivery) =>
			Number(Buffer.from(delivery.payloadBase64, 'base64').toString('utf8').split('/')[1]),
		);
	const statusOf = (id: string) => cluster.executions().find((row) => row.id === id)?.status;

	/** Starts a batch, waits until `after` messages went out, and finds the execution and its worker. */
	async function batchInFlight(
		request: BatchRequest,
		after: number,
	): Promise<{ executionId: string; worker: QueueWorker }> {
		const before = new Set(cluster.executions().map((row) => row.id));
		await startBatch(cluster.url, request);
		await waitFor(() => (delivered(request.run).length >= after ? true : undefined), {
			what: `${after} deliveries of ${request.run}`,
			timeoutMs: 60_000,
		});
		const executionId = await waitFor(
			() => cluster.executions().find((row) => !before.has(row.id))?.id,
			{ what: 'the batch execution' },
		);
		const worker = await waitFor(() => cluster.workerOf(executionId), {
			what: `the worker of execution ${executionId}`,
		});
		return { executionId, worker };
	}

	it('SIGTERM: the worker finishes the batch before it exits; 2,000 of 2,000, no duplicate', async () => {
		const request = { run: 'sigterm', count: BATCH, rate: RATE };
		const { executionId, worker } = await batchInFlight(request, 300);
		const atSignal = delivered(request.run).length;
		const signalledAt = Date.now();
		process.kill(worker.pid, 'SIGTERM'); // what `docker stop` sends to n8n
		const exit = await worker.exited;
		const exitSeconds = (Date.now() - signalledAt) / 1000;

		expect(worker.output()).toContain('Waiting for 1 active executions to finish');
		expect(delivered(request.run)).toHaveLength(BATCH);
		expect(new Set(indexesOf(request.run)).size).toBe(BATCH);
		expect(emulator.counters().total.duplicates).toBe(0);
		await waitFor(() => (statusOf(executionId) === 'success' ? true : undefined), {
			what: `execution ${executionId} to succeed`,
		});
		report(
			`SIGTERM after ${atSignal} of ${BATCH} sent: worker exited (${exit.exitCode ?? exit.signal}) ${exitSeconds.toFixed(1)} s later; ${delivered(request.run).length} delivered, 0 duplicates, execution success`,
		);
		await cluster.addWorker();
	});

	it('SIGKILL: a prefix stays delivered, the execution fails minutes later, n8n does not re-run it; re-sending only what never arrived completes it', async () => {
		const request = { run: 'sigkill', count: BATCH, rate: RATE };
		const { executionId, worker } = await batchInFlight(request, 500);
		const killedAt = Date.now();
		worker.signal('SIGKILL'); // the worker and its task runner: an out-of-memory kill, a lost machine
		await worker.exited;
		// answers already on the wire may still arrive at the emulator for a moment
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const sent = indexesOf(request.run);
		const highest = Math.max(...sent);
		expect(new Set(sent).size).toBe(sent.length);
		expect(sent.length).toBeLessThan(BATCH);
		// delivered in order but for the requests that were in flight together (24 at most)
		expect(highest + 1 - sent.length).toBeLessThanOrEqual(24);

		const failed = await waitFor(
			() => {
				const status = statusOf(executionId);
				return status && status !== 'running' && status !== 'new' ? status : undefined;
			},
			{ what: `execution ${executionId} to leave "running"`, timeoutMs: 300_000, intervalMs: 1000 },
		);
		const failedAfter = (Date.now() - killedAt) / 1000;
		expect(failed).toMatch(/^(error|crashed)$/);
		expect(delivered(request.run)).toHaveLength(sent.length); // nobody sent the rest

		// n8n's own retry of the failed execution: it has no run data to resume from
		const retry = await fetch(`${cluster.url}/rest/executions/${executionId}/retry`, {
			method: 'POST',
			headers: {
				cookie: session.cookie,
				'browser-id': session.browserId,
				'content-type': 'application/json',
			},
			body: JSON.stringify({ loadWorkflow: false }),
		});
		const retryBody = await retry.text();
		await new Promise((resolve) => setTimeout(resolve, 3000));
		expect(delivered(request.run)).toHaveLength(sent.length);

		// what the user does: ask the subscribers which messages arrived, send only the others
		const received = new Set(sent);
		const missing = Array.from({ length: BATCH }, (_, i) => i).filter((i) => !received.has(i));
		await startBatch(cluster.url, { run: request.run, count: BATCH, only: missing });
		await waitFor(() => (delivered(request.run).length >= BATCH ? true : undefined), {
			what: 'the re-sent remainder',
			timeoutMs: 120_000,
		});
		expect(new Set(indexesOf(request.run)).size).toBe(BATCH);
		expect(emulator.counters().total.duplicates).toBe(0);
		report(
			`SIGKILL after ${sent.length} of ${BATCH} sent (highest index ${highest}); execution "${failed}" ${failedAfter.toFixed(0)} s after the kill; n8n's retry answered ${retry.status} ${retryBody.slice(0, 200)} and sent nothing; re-sending the ${missing.length} missing items: ${BATCH} distinct delivered, 0 duplicates`,
		);
	});
	it('SIGKILL mid-batch of Publish RocketMQ Message: running the same input again with Skip Keys Already Stored publishes only the missing messages, 0 duplicates, and its items say which keys were stored', async () => {
		// the previous case killed a worker: two alive again, one to kill and one for the re-run
		await cluster.addWorker();
		const run = 'pubkill';
		// 2,000 look-ups at 8/s would take 4 minutes: a smaller batch shows the same
		const count = 400;
		const stored = () =>
			emulator
				.rocketMqMessages({ topic: PUBLISH_TOPIC, instanceId: SEED.onsInstance })
				.filter((message) => message.publishTime !== undefined);
		const idsBefore = () => new Set(cluster.executions().map((row) => row.id));

		const before = idsBefore();
		await startPublishBatch(cluster.url, { run, count, rate: 20 });
		await waitFor(() => (stored().length >= 100 ? true : undefined), {
			what: '100 messages stored',
			timeoutMs: 60_000,
		});
		const executionId = await waitFor(
			() => cluster.executions().find((row) => !before.has(row.id))?.id,
			{ what: 'the batch execution' },
		);
		const worker = await waitFor(() => cluster.workerOf(executionId), {
			what: `the worker of execution ${executionId}`,
		});
		worker.signal('SIGKILL');
		await worker.exited;
		// requests already on the wire may still reach the emulator for a moment
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const first = stored();
		expect(first.length).toBeLessThan(count);
		expect(new Set(first.map((message) => message.key)).size).toBe(first.length);

		// what the README tells the user: the same input again, keys from the input, skip stored keys
		const beforeRerun = idsBefore();
		await startPublishBatch(cluster.url, { run, count, skip: true });
		const rerunId = await waitFor(
			() => cluster.executions().find((row) => !beforeRerun.has(row.id))?.id,
			{ what: 'the re-run execution' },
		);
		const status = await waitFor(
			() => {
				const row = cluster.executions().find((execution) => execution.id === rerunId);
				return row && !['new', 'running'].includes(row.status) ? row.status : undefined;
			},
			{ what: `re-run ${rerunId} to finish`, timeoutMs: 180_000, intervalMs: 1000 },
		);
		expect(status).toBe('success');

		const all = stored();
		expect(all).toHaveLength(count);
		expect(all.map((message) => message.key).sort()).toEqual(
			Array.from({ length: count }, (_, i) => publishBatchKey(run, i)).sort(),
		);
		// the re-run's items: alreadyStored true for the keys the killed run had stored
		const occurrences = (text: string) =>
			Number(
				cluster.query(
					`SELECT (length(data) - length(replace(data, '${text}', ''))) / length('${text}') FROM execution_data WHERE "executionId" = ${rerunId}`,
				)[0][0],
			);
		expect({
			alreadyStored: occurrences('"alreadyStored":true'),
			published: occurrences('"alreadyStored":false'),
		}).toEqual({ alreadyStored: first.length, published: count - first.length });
		report(
			`Publish RocketMQ Message SIGKILL after ${first.length} of ${count} stored; the same input again with Skip Keys Already Stored: ${first.length} items alreadyStored, ${count - first.length} published, ${all.length} stored, 0 duplicate keys`,
		);
	});
});
