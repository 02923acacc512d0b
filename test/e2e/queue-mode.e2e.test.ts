// The package in n8n's queue mode: Postgres, Redis, one main instance and two workers
// (harness/queue.ts), against the emulator with its quotas on. Webhook executions spread over the
// workers (Send MQTT Message and Publish RocketMQ Message), a 2,000-item batch on one worker, the
// editor's REST calls (lists, credential test) answered by main, and the ApsaraMQ Trigger on main
// acknowledging each message only after its execution succeeded on a worker. The worker-crash
// cases are in queue-crash.e2e.test.ts.
import { createEmulator, type Emulator } from '../emulator';
import {
	APSARAMQ_NODE_TYPE,
	CREDENTIAL_TYPE,
	emulatorCredential,
	emulatorCredentialData,
	EXAMPLE_CREDENTIAL,
	EXAMPLES,
	loadExample,
	SEED,
} from './harness/apsaramq';
import type { RestSession } from './harness/instance';
import { startQueueCluster, type QueueCluster } from './harness/queue';
import { waitFor } from './harness/wait';
import {
	batchPayloads,
	batchTopic,
	QUEUE_BATCH,
	queueBatchWorkflow,
	startBatch,
} from './fixtures/queue-batch';
import { PUBLISH_TOPIC, QUEUE_PUBLISH, queuePublishWorkflow } from './fixtures/queue-publish';
import {
	failFirstWorkflow,
	QUEUE_TRIGGER,
	SLOW_SECONDS,
	slowWorkflow,
	TRIGGER_GROUP,
	TRIGGER_TOPIC,
} from './fixtures/queue-trigger';

const CALLS = 200;
const PARALLEL = 10;
const BATCH = 2000;
const TRIGGER_MESSAGES = 200;

const report = (line: string) => process.stdout.write(`[queue-mode] ${line}\n`);

/** POSTs `body(i)` for i < calls to a production webhook, `parallel` at a time; the answers in order of i. */
async function callWebhook(
	url: string,
	webhookPath: string,
	calls: number,
	body: (i: number) => Record<string, unknown>,
	parallel = PARALLEL,
): Promise<Array<{ status: number; body: Record<string, unknown> }>> {
	const answers: Array<{ status: number; body: Record<string, unknown> }> = [];
	let next = 0;
	const caller = async () => {
		while (next < calls) {
			const i = next++;
			const response = await fetch(`${url}/webhook/${webhookPath}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body(i)),
			});
			answers[i] = {
				status: response.status,
				body: (await response.json()) as Record<string, unknown>,
			};
		}
	};
	await Promise.all(Array.from({ length: parallel }, caller));
	return answers;
}

describe('n8n 2.41.1 in queue mode (main + 2 workers, Postgres, Redis)', () => {
	let emulator: Emulator;
	let cluster: QueueCluster;
	let session: RestSession;

	beforeAll(async () => {
		emulator = await createEmulator({ mqtt: false });
		cluster = await startQueueCluster({
			prepare: async (main) => {
				await main.importCredentials([emulatorCredential(emulator.url, EXAMPLE_CREDENTIAL)]);
				await main.importWorkflow([
					loadExample(EXAMPLES.webhook.file),
					queueBatchWorkflow(),
					queuePublishWorkflow(),
					// activated by their tests, through main's REST API
					failFirstWorkflow(),
					slowWorkflow(),
				]);
				await main.publishWorkflow(EXAMPLES.webhook.id);
				await main.publishWorkflow(QUEUE_BATCH.id);
				await main.publishWorkflow(QUEUE_PUBLISH.id);
			},
		});
		session = await cluster.main.createOwnerAndLogin(cluster.url);
	}, 600_000);

	afterAll(async () => {
		await cluster?.dispose();
		await emulator?.close();
	});

	beforeEach(() => emulator.reset());

	it(`${CALLS} webhook calls (${PARALLEL} at a time) run on both workers, each message delivered once`, async () => {
		const answers = await callWebhook(cluster.url, EXAMPLES.webhook.webhookPath, CALLS, (i) => ({
			device: `q${i}`,
			seq: i,
		}));

		expect(answers.filter((answer) => answer.status === 200)).toHaveLength(CALLS);
		const deliveries = emulator.mqttDeliveries();
		expect(deliveries).toHaveLength(CALLS);
		expect(new Set(deliveries.map((delivery) => delivery.topic)).size).toBe(CALLS);
		expect(answers.map((answer) => answer.body.msgId).sort()).toEqual(
			deliveries.map((delivery) => delivery.msgId).sort(),
		);
		expect(emulator.counters().total.duplicates).toBe(0);

		const executions = await waitFor(
			() => {
				const rows = cluster.executions().filter((row) => row.workflowId === EXAMPLES.webhook.id);
				return rows.length === CALLS && rows.every((row) => row.status === 'success')
					? rows
					: undefined;
			},
			{ what: `${CALLS} successful executions in Postgres`, timeoutMs: 60_000 },
		);
		const perWorker = cluster.workers.map(
			(worker) => executions.filter((row) => worker.startedExecutions().includes(row.id)).length,
		);
		expect(perWorker.reduce((sum, count) => sum + count, 0)).toBe(CALLS);
		for (const count of perWorker) expect(count).toBeGreaterThan(0);
	});

	/** How many executions of `ids` each worker started (from the workers' logs). */
	const perWorker = (ids: string[]) =>
		cluster.workers.map(
			(worker) => ids.filter((id) => worker.startedExecutions().includes(id)).length,
		);

	/** Waits until `count` executions of the workflow are in Postgres and none is still running. */
	const settledExecutions = async (workflowId: string, count: number, timeoutMs = 120_000) =>
		await waitFor(
			() => {
				const rows = cluster.executions().filter((row) => row.workflowId === workflowId);
				return rows.length >= count && rows.every((row) => !['new', 'running'].includes(row.status))
					? rows
					: undefined;
			},
			{ what: `${count} finished executions of ${workflowId}`, timeoutMs },
		);

	it(`${CALLS} webhook calls → Publish RocketMQ Message run on both workers, every message stored once`, async () => {
		const started = Date.now();
		const answers = await callWebhook(cluster.url, QUEUE_PUBLISH.webhookPath, CALLS, (i) => ({
			seq: i,
		}));
		const seconds = (Date.now() - started) / 1000;

		expect(answers.filter((answer) => answer.status === 200)).toHaveLength(CALLS);
		const stored = emulator
			.rocketMqMessages({ topic: PUBLISH_TOPIC, instanceId: SEED.onsInstance })
			.filter((message) => message.publishTime !== undefined);
		expect(stored).toHaveLength(CALLS);
		expect(stored.map((message) => message.key).sort()).toEqual(
			Array.from({ length: CALLS }, (_, i) => `call-${i}`).sort(),
		);
		// each call's answer names the one message stored under its key
		const byKey = new Map(stored.map((message) => [message.key, message.msgId]));
		expect(answers.map((answer) => answer.body.messageId)).toEqual(
			answers.map((_, i) => byKey.get(`call-${i}`)),
		);

		const executions = await settledExecutions(QUEUE_PUBLISH.id, CALLS);
		expect(executions.filter((row) => row.status !== 'success')).toEqual([]);
		const counts = perWorker(executions.map((row) => row.id));
		expect(counts.reduce((sum, count) => sum + count, 0)).toBe(CALLS);
		for (const count of counts) expect(count).toBeGreaterThan(0);
		report(
			`publish: ${CALLS} webhook calls in ${seconds.toFixed(1)} s (${(CALLS / seconds).toFixed(1)}/s), executions per worker ${counts.join(' + ')}, ${stored.length} stored, 0 duplicate keys`,
		);
	});

	it(`a ${BATCH}-item batch runs on one worker and delivers every message once`, async () => {
		const request = { run: 'batch-2000', count: BATCH };
		await startBatch(cluster.url, request);
		const deliveries = await waitFor(
			() => {
				const delivered = emulator.mqttDeliveries({ topic: batchTopic(request.run) });
				return delivered.length >= BATCH ? delivered : undefined;
			},
			{ what: `${BATCH} deliveries`, timeoutMs: 120_000 },
		);
		const payloads = deliveries.map((delivery) =>
			Buffer.from(delivery.payloadBase64, 'base64').toString('utf8'),
		);
		expect(payloads.slice().sort()).toEqual(batchPayloads(request).sort());
		expect(emulator.counters().total.duplicates).toBe(0);

		const execution = await waitFor(
			() =>
				cluster
					.executions()
					.find((row) => row.workflowId === QUEUE_BATCH.id && row.status === 'success'),
			{ what: 'the batch execution to succeed', timeoutMs: 60_000 },
		);
		// the worker logs "finished" a moment after it saved the status
		const ranOn = await waitFor(
			() => {
				const workers = cluster.workers.filter((worker) =>
					worker.finishedExecutions().includes(execution.id),
				);
				return workers.length > 0 ? workers : undefined;
			},
			{ what: `a worker to log that it finished execution ${execution.id}` },
		);
		expect(ranOn).toHaveLength(1);
	});

	it('main answers the dropdown lists and the credential test through its REST API', async () => {
		const list = await session.rest<{ results: Array<{ value: string }> }>(
			'POST',
			'/rest/dynamic-node-parameters/resource-locator-results',
			{
				path: 'parameters.instanceId',
				nodeTypeAndVersion: { name: APSARAMQ_NODE_TYPE, version: 1 },
				currentNodeParameters: {
					operation: 'sendMqttMessage',
					instanceId: { __rl: true, mode: 'list', value: '' },
				},
				methodName: 'searchMqttInstances',
				credentials: { [CREDENTIAL_TYPE]: EXAMPLE_CREDENTIAL },
			},
		);
		expect(list.results.map((result) => result.value)).toEqual([
			SEED.mqttInstance,
			SEED.mqttOpenInstance,
		]);

		const testCredential = async (secret: string) =>
			await session.rest<{ status: string; message: string }>('POST', '/rest/credentials/test', {
				credentials: {
					...EXAMPLE_CREDENTIAL,
					type: CREDENTIAL_TYPE,
					data: emulatorCredentialData(emulator.url, { accessKeySecret: secret }),
				},
			});
		expect(await testCredential(SEED.key.accessKeySecret)).toMatchObject({ status: 'OK' });
		expect(await testCredential('wrong-secret')).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/secret/i),
		});
		expect(emulator.calls().map((call) => [call.action, call.code])).toEqual([
			['ListInstances', 'OK'],
			['GetCallerIdentity', 'OK'],
			['GetCallerIdentity', 'SignatureDoesNotMatch'],
		]);
	});
	describe('the ApsaraMQ Trigger on main, its executions on the workers (executionSucceeds)', () => {
		const activate = async (workflowId: string) => {
			const { versionId } = await session.rest<{ versionId: string }>(
				'GET',
				`/rest/workflows/${workflowId}`,
			);
			await session.rest('POST', `/rest/workflows/${workflowId}/activate`, { versionId });
		};
		const deactivate = async (workflowId: string) =>
			await session.rest('POST', `/rest/workflows/${workflowId}/deactivate`, {});

		/** Stores `count` JSON messages `{ n }` as if published; their IDs in order of n. */
		const publishMessages = (count: number) =>
			Array.from(
				{ length: count },
				(_, n) =>
					emulator.publishRocketMq({
						instanceId: SEED.onsInstance,
						topic: TRIGGER_TOPIC,
						body: JSON.stringify({ n }),
						key: `trigger-${n}`,
					}).msgId,
			);

		const groupStates = () =>
			emulator
				.rocketMqMessages({ topic: TRIGGER_TOPIC, instanceId: SEED.onsInstance })
				.filter((message) => message.publishTime !== undefined)
				.map((message) => ({ msgId: message.msgId, ...message.deliveries[TRIGGER_GROUP] }));

		/** The known message IDs in each execution's stored run data (one query for all). */
		const messagesOf = (executionIds: string[], known: Set<string>): Map<string, string[]> => {
			const rows = cluster.query(
				`SELECT "executionId", string_agg(DISTINCT m[1], ',') FROM execution_data, regexp_matches(data, '[0-9A-F]{32}', 'g') AS m WHERE "executionId" IN (${executionIds.join(',')}) GROUP BY 1`,
			);
			return new Map(
				rows.map(([id, list]) => [id, list.split(',').filter((messageId) => known.has(messageId))]),
			);
		};

		beforeEach(() => {
			// 300 s × 0.05 = 15 s before an unacknowledged message comes again
			emulator.setKnobs({ quotas: { enabled: false }, mqHttp: { invisibilityScale: 0.05 } });
		});

		it(`${TRIGGER_MESSAGES} messages, 10 % failing at their first delivery: failures are not acknowledged and come again; every message acknowledged after exactly one successful execution`, async () => {
			const workflowId = QUEUE_TRIGGER.failFirst;
			await activate(workflowId);
			const started = Date.now();
			const ids = publishMessages(TRIGGER_MESSAGES);
			const failing = new Set(ids.filter((_, n) => n % 10 === 0));
			const expected = TRIGGER_MESSAGES + failing.size;
			try {
				const states = await waitFor(
					() => {
						const all = groupStates();
						return all.length === TRIGGER_MESSAGES && all.every((state) => state.state === 'acked')
							? all
							: undefined;
					},
					{
						what: `${TRIGGER_MESSAGES} messages acknowledged`,
						timeoutMs: 420_000,
						intervalMs: 500,
					},
				);
				const seconds = (Date.now() - started) / 1000;
				const executions = await settledExecutions(workflowId, expected);
				// a failing message is delivered twice: its failure left it unacknowledged
				const consumed = new Map(states.map((state) => [state.msgId, state.consumedTimes]));
				expect(ids.filter((id) => consumed.get(id) !== (failing.has(id) ? 2 : 1))).toEqual([]);
				const byStatus = (status: string) => executions.filter((row) => row.status === status);
				expect({
					total: executions.length,
					error: byStatus('error').length,
					success: byStatus('success').length,
				}).toEqual({ total: expected, error: failing.size, success: TRIGGER_MESSAGES });

				const known = new Set(ids);
				const inSuccess = messagesOf(
					byStatus('success').map((row) => row.id),
					known,
				);
				const successes = [...inSuccess.values()];
				expect(successes.every((list) => list.length === 1)).toBe(true);
				expect(new Set(successes.flat()).size).toBe(TRIGGER_MESSAGES);
				const inError = [
					...messagesOf(
						byStatus('error').map((row) => row.id),
						known,
					).values(),
				].flat();
				expect(inError.sort()).toEqual([...failing].sort());

				// main ran none of them: every execution was started by a worker, and both took some
				const counts = perWorker(executions.map((row) => row.id));
				expect(counts.reduce((sum, count) => sum + count, 0)).toBe(expected);
				for (const count of counts) expect(count).toBeGreaterThan(0);
				report(
					`trigger: ${TRIGGER_MESSAGES} messages (${failing.size} failing once) → ${executions.length} executions (${counts.join(' + ')} per worker), all acknowledged in ${seconds.toFixed(0)} s`,
				);
			} finally {
				await deactivate(workflowId);
			}
		});

		it(`a slow workflow (${SLOW_SECONDS} s on the worker): no message is acknowledged before its execution succeeded`, async () => {
			const workflowId = QUEUE_TRIGGER.slow;
			const count = 5;
			await activate(workflowId);
			try {
				publishMessages(count);
				let sawRunningUnacked = false;
				await waitFor(
					() => {
						// the emulator first, then Postgres: a message acknowledged at the first read
						// must already show a successful execution at the second
						const acked = groupStates().filter((state) => state.state === 'acked').length;
						const rows = cluster.executions().filter((row) => row.workflowId === workflowId);
						const succeeded = rows.filter((row) => row.status === 'success').length;
						expect(acked).toBeLessThanOrEqual(succeeded);
						if (rows.some((row) => row.status === 'running') && acked < count)
							sawRunningUnacked = true;
						return acked === count ? true : undefined;
					},
					{ what: `${count} slow messages acknowledged`, timeoutMs: 120_000, intervalMs: 100 },
				);
				expect(sawRunningUnacked).toBe(true);
				const executions = await settledExecutions(workflowId, count);
				expect(executions.map((row) => row.status)).toEqual(new Array(count).fill('success'));
				expect(groupStates().map((state) => state.consumedTimes)).toEqual(new Array(count).fill(1));
			} finally {
				await deactivate(workflowId);
			}
		});
	});
});
