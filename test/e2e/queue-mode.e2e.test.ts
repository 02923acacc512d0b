// The package in n8n's queue mode: Postgres, Redis, one main instance and two workers
// (harness/queue.ts), against the emulator with its quotas on. Webhook executions spread over the
// workers, a 2,000-item batch on one worker, and the editor's REST calls (lists, credential test)
// answered by main. The worker-crash cases are in queue-crash.e2e.test.ts.
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

const CALLS = 200;
const PARALLEL = 10;
const BATCH = 2000;

describe('n8n 2.41.1 in queue mode (main + 2 workers, Postgres, Redis)', () => {
	let emulator: Emulator;
	let cluster: QueueCluster;
	let session: RestSession;

	beforeAll(async () => {
		emulator = await createEmulator({ mqtt: false });
		cluster = await startQueueCluster({
			prepare: async (main) => {
				await main.importCredentials([emulatorCredential(emulator.url, EXAMPLE_CREDENTIAL)]);
				await main.importWorkflow([loadExample(EXAMPLES.webhook.file), queueBatchWorkflow()]);
				await main.publishWorkflow(EXAMPLES.webhook.id);
				await main.publishWorkflow(QUEUE_BATCH.id);
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
		const answers: Array<{ status: number; body: Record<string, unknown> }> = [];
		let next = 0;
		const caller = async () => {
			while (next < CALLS) {
				const i = next++;
				const response = await fetch(`${cluster.url}/webhook/${EXAMPLES.webhook.webhookPath}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ device: `q${i}`, seq: i }),
				});
				answers[i] = {
					status: response.status,
					body: (await response.json()) as Record<string, unknown>,
				};
			}
		};
		await Promise.all(Array.from({ length: PARALLEL }, caller));

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
});
