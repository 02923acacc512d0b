// The ApsaraMQ Trigger in a running n8n 2.41.1 (`n8n start`): ordered consumption of 1,000
// messages with 10 sharding keys published with Alibaba's `@aliyunmq/mq-http-sdk`
// (docs/trigger.md#ordered-consumption).
import { createEmulator, type Emulator } from '../emulator';
import { sdkClient, sdkProperties } from '../emulator/mqHttp/sdk-client';
import { emulatorCredential, EXAMPLE_CREDENTIAL, locator, SEED } from './harness/apsaramq';
import {
	chainWorkflow,
	createN8nInstance,
	repoRoot,
	type N8nInstance,
	type NodeSpec,
	type RestSession,
	type RunningN8n,
} from './harness';
import {
	activateWorkflow,
	deactivateWorkflow,
	executionData,
	executionsOf,
	isFinished,
} from './harness/triggerRest';
import { waitFor } from './harness/wait';

const TRIGGER_TYPE = 'n8n-nodes-apsaramq.apsaraMqTrigger';
const GROUP = 'GID_http_group';
const ORDERED_TOPIC = 'orders'; // partition-ordered in the seed
const ORDERED_WORKFLOW = 'triggerOrdered001';
const KEYS = 10;
const PER_KEY = 100;

function trigger(topic: string, options: Record<string, unknown>): NodeSpec {
	return {
		name: 'ApsaraMQ Trigger',
		type: TRIGGER_TYPE,
		parameters: {
			instanceId: locator(SEED.onsInstance),
			topic: locator(topic),
			groupId: locator(GROUP),
			acknowledge: 'executionSucceeds',
			messagesPerExecution: 1,
			options: { parseJson: true, ...options },
		},
		credentials: { alibabaCloudAccessKeyApi: EXAMPLE_CREDENTIAL },
	};
}

const noOp: NodeSpec = {
	name: 'Done',
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	parameters: {},
};

describe('ApsaraMQ Trigger in n8n 2.41.1: ordered consumption', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;
	let running: RunningN8n;
	let session: RestSession;

	beforeAll(async () => {
		// Ordered invisibility 1 min × 3: a message waiting behind the others of its key in one answer
		// is not delivered again before it runs, even on a busy machine.
		emulator = await createEmulator({
			knobs: { quotas: { enabled: false }, mqHttp: { invisibilityScale: 3 } },
		});
		n8n = await createN8nInstance({ packageDir: repoRoot() });
		await n8n.importCredentials([emulatorCredential(emulator.url, EXAMPLE_CREDENTIAL)]);
		await n8n.importWorkflow(
			chainWorkflow(ORDERED_WORKFLOW, [
				trigger(ORDERED_TOPIC, { orderly: true, maxParallelExecutions: 5 }),
				noOp,
			]),
		);
		running = await n8n.start();
		session = await n8n.createOwnerAndLogin();
	});

	afterAll(async () => {
		await running?.stop();
		await n8n?.dispose();
		await emulator?.close();
	});

	const groupStates = (topic: string) =>
		emulator
			.rocketMqMessages({ topic })
			.filter((message) => message.publishTime !== undefined)
			.map((message) => ({ msgId: message.msgId, ...message.deliveries[GROUP] }));

	it('Ordered Consumption: 1,000 messages of 10 sharding keys run one at a time per key, in order, each once, all acknowledged', async () => {
		await activateWorkflow(session, ORDERED_WORKFLOW);
		const started = Date.now();
		// One publisher per key, each in sequence, so that the order of a key is the order of its seq.
		const published = new Map<string, { key: string; seq: number }>();
		const producer = sdkClient(emulator.url).getProducer(SEED.onsInstance, ORDERED_TOPIC);
		await Promise.all(
			Array.from({ length: KEYS }, async (_, k) => {
				const key = `key-${k}`;
				for (let seq = 0; seq < PER_KEY; seq++) {
					const answer = await producer.publishMessage(
						JSON.stringify({ key, seq }),
						'ordered',
						sdkProperties({ shardingKey: key, key: `${key}-${seq}` }),
					);
					published.set(answer.body.MessageId, { key, seq });
				}
			}),
		);
		const total = KEYS * PER_KEY;
		const states = await waitFor(
			() => {
				const list = groupStates(ORDERED_TOPIC);
				return list.length === total && list.every((s) => s.state === 'acked') ? list : undefined;
			},
			{ what: 'every ordered message acknowledged', timeoutMs: 480_000, intervalMs: 500 },
		);
		const ackedSeconds = (Date.now() - started) / 1000;
		const executions = await waitFor(
			async () => {
				const list = await executionsOf(session, ORDERED_WORKFLOW);
				return list.length >= total && list.every(isFinished) ? list : undefined;
			},
			{ what: `${total} finished executions`, timeoutMs: 120_000, intervalMs: 500 },
		);
		await deactivateWorkflow(session, ORDERED_WORKFLOW);

		expect(states.map((s) => s.consumedTimes)).toEqual(new Array(total).fill(1));
		expect(executions).toHaveLength(total);
		expect(executions.filter((e) => e.status !== 'success')).toEqual([]);

		// Each execution: which message, and the seq its data carries.
		const known = new Set(published.keys());
		const runs: Array<{
			id: number;
			key: string;
			seq: number;
			startedAt: number;
			stoppedAt: number;
		}> = [];
		for (const execution of executions) {
			const data = await executionData(session, execution.id);
			const ids = new Set(data.match(/[0-9A-F]{32}/g) ?? []);
			const [messageId, ...others] = [...ids].filter((id) => known.has(id));
			expect(others).toEqual([]);
			const seqInData = Number(/"seq":(\d+)/.exec(data)?.[1]);
			const message = published.get(messageId);
			expect(seqInData).toBe(message?.seq);
			runs.push({
				id: Number(execution.id),
				key: message?.key ?? '?',
				seq: seqInData,
				startedAt: Date.parse(execution.startedAt ?? ''),
				stoppedAt: Date.parse(execution.stoppedAt ?? ''),
			});
		}
		expect(new Set(runs.map((run) => `${run.key}/${run.seq}`)).size).toBe(total);
		let overlapsAcrossKeys = 0;
		for (let k = 0; k < KEYS; k++) {
			const ofKey = runs.filter((run) => run.key === `key-${k}`);
			const byStart = [...ofKey].sort((a, b) => a.startedAt - b.startedAt || a.id - b.id);
			const byId = [...ofKey].sort((a, b) => a.id - b.id);
			const sequence = Array.from({ length: PER_KEY }, (_, seq) => seq);
			expect(byStart.map((run) => run.seq)).toEqual(sequence);
			expect(byId.map((run) => run.seq)).toEqual(sequence);
			// One at a time: each execution of a key starts once the one before it stopped.
			const overlapping = byStart.filter(
				(run, i) => i > 0 && run.startedAt < byStart[i - 1].stoppedAt,
			);
			expect(overlapping).toEqual([]);
		}
		// Some parallelism: executions of different keys ran at the same time.
		const sorted = [...runs].sort((a, b) => a.startedAt - b.startedAt);
		for (let i = 1; i < sorted.length; i++)
			if (sorted[i].startedAt < sorted[i - 1].stoppedAt) overlapsAcrossKeys++;
		expect(overlapsAcrossKeys).toBeGreaterThan(0);

		console.log(
			`ApsaraMQ Trigger ordered figures: ${JSON.stringify({
				messages: total,
				keys: KEYS,
				executions: executions.length,
				allAcknowledgedSeconds: ackedSeconds,
				messagesPerSecond: Math.round((total / ackedSeconds) * 10) / 10,
				executionsStartedWhileAnotherRan: overlapsAcrossKeys,
			})}`,
		);
	}, 900_000);
});
