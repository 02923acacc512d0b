// The ApsaraMQ Trigger in a running n8n 2.41.1 (`n8n start`) against the emulator's RocketMQ HTTP
// protocol: messages published with Alibaba's own `@aliyunmq/mq-http-sdk`, workflows activated and
// deactivated through n8n's REST API, executions read back from it, acknowledgements read from the
// emulator's message store. The acknowledge modes and their guarantees: docs/trigger.md.
import { createEmulator, type Emulator } from '../emulator';
import { sdkClient, sdkProperties } from '../emulator/mqHttp/sdk-client';
import { emulatorCredential, EXAMPLE_CREDENTIAL, locator, SEED } from './harness/apsaramq';
import {
	chainWorkflow,
	codeNode,
	createN8nInstance,
	repoRoot,
	type N8nInstance,
	type RestSession,
	type RunningN8n,
	type WorkflowFile,
} from './harness';
import {
	activateWorkflow,
	deactivateWorkflow,
	executionsOf as executionsOfWorkflow,
	messageIdsIn as messageIdsOf,
} from './harness/triggerRest';

const TRIGGER_TYPE = 'n8n-nodes-apsaramq.apsaraMqTrigger';
const TOPIC = 'test_topic';
const GROUP = 'GID_http_group';

/** A workflow: the trigger on test_topic / GID_http_group, then a Code node. */
function triggerWorkflow(
	id: string,
	acknowledge: 'executionSucceeds' | 'executionFinishes',
	jsCode: string,
): WorkflowFile {
	return chainWorkflow(id, [
		{
			name: 'ApsaraMQ Trigger',
			type: TRIGGER_TYPE,
			parameters: {
				instanceId: locator(SEED.onsInstance),
				topic: locator(TOPIC),
				groupId: locator(GROUP),
				acknowledge,
				messagesPerExecution: 1,
				options: { parseJson: true },
			},
			credentials: { alibabaCloudAccessKeyApi: EXAMPLE_CREDENTIAL },
		},
		codeNode('Record', jsCode),
	]);
}

const PASS_THROUGH =
	'return $input.all().map((item) => ({ json: { messageId: item.json.messageId, n: item.json.body.n } }));';

/** Fails the messages whose n is a multiple of 10 (on every delivery, or on the first only). */
function failingTenPercent(onlyFirstDelivery: boolean): string {
	const condition = onlyFirstDelivery
		? 'item.json.body.n % 10 === 0 && Number(item.json.consumedTimes) === 1'
		: 'item.json.body.n % 10 === 0';
	return `for (const item of $input.all()) { if (${condition}) throw new Error('planned failure of message ' + item.json.body.n); }\n${PASS_THROUGH}`;
}

/** Polls `check` until it returns a value (not undefined), or throws with `describe()` after `timeoutMs`. */
async function waitFor<T>(
	check: () => Promise<T | undefined> | T | undefined,
	describe: () => unknown,
	timeoutMs = 300_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify(describe())}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

describe('ApsaraMQ Trigger in a running n8n 2.41.1 (n8n start) against the emulator', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;
	let running: RunningN8n;
	let session: RestSession;
	const figures: Record<string, unknown> = {};

	beforeAll(async () => {
		emulator = await createEmulator({ knobs: { quotas: { enabled: false } } });
		n8n = await createN8nInstance({ packageDir: repoRoot() });
		await n8n.importCredentials([emulatorCredential(emulator.url, EXAMPLE_CREDENTIAL)]);
		await n8n.importWorkflow([
			triggerWorkflow('trigger1000Msgs01', 'executionSucceeds', PASS_THROUGH),
			triggerWorkflow('triggerRetryFail1', 'executionSucceeds', failingTenPercent(true)),
			triggerWorkflow('triggerFinishFail', 'executionFinishes', failingTenPercent(false)),
		]);
		running = await n8n.start();
		session = await n8n.createOwnerAndLogin();
	});

	afterAll(async () => {
		console.log(`ApsaraMQ Trigger e2e figures: ${JSON.stringify(figures)}`);
		await running?.stop();
		await n8n?.dispose();
		await emulator?.close();
	});

	const activate = (workflowId: string) => activateWorkflow(session, workflowId);
	const deactivate = (workflowId: string) => deactivateWorkflow(session, workflowId);
	const executionsOf = (workflowId: string) => executionsOfWorkflow(session, workflowId);
	const messageIdsIn = (executionId: string, known: Set<string>) =>
		messageIdsOf(session, executionId, known);

	/** Publishes `count` JSON messages `{ n }` with Alibaba's SDK, 20 at a time; their message IDs in order of n. */
	async function publish(count: number): Promise<string[]> {
		const producer = sdkClient(emulator.url).getProducer(SEED.onsInstance, TOPIC);
		const ids: string[] = new Array<string>(count);
		let next = 0;
		const worker = async () => {
			while (next < count) {
				const n = next++;
				const properties = sdkProperties({ key: `key-${n}` });
				const answer = await producer.publishMessage(JSON.stringify({ n }), 'e2e', properties);
				ids[n] = answer.body.MessageId;
			}
		};
		await Promise.all(Array.from({ length: 20 }, worker));
		return ids;
	}

	const groupStates = () =>
		emulator
			.rocketMqMessages({ topic: TOPIC })
			.filter((message) => message.publishTime !== undefined)
			.map((message) => ({ msgId: message.msgId, ...message.deliveries[GROUP] }));

	const allAcked = (count: number) => () => {
		const states = groupStates();
		return states.length === count && states.every((state) => state.state === 'acked')
			? states
			: undefined;
	};

	const summary = (states: ReturnType<typeof groupStates>) => {
		const byState: Record<string, number> = {};
		for (const state of states)
			byState[state.state ?? 'none'] = (byState[state.state ?? 'none'] ?? 0) + 1;
		return byState;
	};

	it('runs 1,000 messages published with the SDK as 1,000 successful executions, each message exactly once, all acknowledged (executionSucceeds)', async () => {
		const workflowId = 'trigger1000Msgs01';
		emulator.reset({ keepKnobs: true });
		await activate(workflowId);
		const started = Date.now();
		const ids = await publish(1000);
		const publishedMs = Date.now() - started;

		const states = await waitFor(allAcked(1000), () => summary(groupStates()));
		const ackedMs = Date.now() - started;
		const executions = await waitFor(
			async () => {
				const list = await executionsOf(workflowId);
				return list.length >= 1000 &&
					list.every((e) => e.status !== 'running' && e.status !== 'new')
					? list
					: undefined;
			},
			() => 'executions',
		);

		expect(new Set(ids).size).toBe(1000);
		expect(states.map((state) => state.consumedTimes)).toEqual(new Array(1000).fill(1));
		expect(executions).toHaveLength(1000);
		expect(executions.filter((e) => e.status !== 'success')).toEqual([]);

		const known = new Set(ids);
		const seen = new Map<string, number>();
		for (const execution of executions) {
			const inExecution = await messageIdsIn(execution.id, known);
			expect(inExecution).toHaveLength(1);
			seen.set(inExecution[0], (seen.get(inExecution[0]) ?? 0) + 1);
		}
		expect(seen.size).toBe(1000);
		expect([...seen.values()].every((times) => times === 1)).toBe(true);

		figures.thousandMessages = {
			publishSeconds: publishedMs / 1000,
			allAcknowledgedSeconds: ackedMs / 1000,
			messagesPerSecondEndToEnd: Math.round((1000 / ackedMs) * 1000 * 10) / 10,
			executions: executions.length,
		};
	});

	it('stops polling within 1 s of deactivation: no request in the emulator after the REST call returned + 1 s', async () => {
		const workflowId = 'trigger1000Msgs01';
		// The workflow of the previous case is still active and long-polling.
		await waitFor(
			() => (emulator.rocketMqPendingPolls() > 0 ? true : undefined),
			() => ({ pendingPolls: emulator.rocketMqPendingPolls() }),
			60_000,
		);
		await deactivate(workflowId);
		const returnedAt = Date.now();
		// Watch the log for 3 s after the call returned (a poll loop that survived would poll again
		// at once: a long poll ends when its client goes away).
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const late = emulator
			.calls()
			.filter((call) => call.api === 'mq' && Date.parse(call.time) > returnedAt + 1000)
			.map((call) => ({ action: call.action, time: call.time }));
		expect({ late, pendingPolls: emulator.rocketMqPendingPolls() }).toEqual({
			late: [],
			pendingPolls: 0,
		});
	});

	it('executionSucceeds: a workflow failing for 10 % of messages gets each failing one redelivered, and acknowledges its later success', async () => {
		const workflowId = 'triggerRetryFail1';
		emulator.reset();
		// 300 s × 0.05 = 15 s of invisibility before a redelivery: long enough that no execution on
		// a busy machine outlives its delivery, short enough for the test.
		emulator.setKnobs({ quotas: { enabled: false }, mqHttp: { invisibilityScale: 0.05 } });
		await activate(workflowId);
		const ids = await publish(200);
		const states = await waitFor(allAcked(200), () => summary(groupStates()));
		const executions = await waitFor(
			async () => {
				const list = await executionsOf(workflowId);
				return list.length >= 220 ? list : undefined;
			},
			() => 'executions',
		);
		await deactivate(workflowId);

		const failing = new Set(ids.filter((_, n) => n % 10 === 0));
		const consumedTimes = new Map(states.map((state) => [state.msgId, state.consumedTimes]));
		expect(ids.filter((id) => consumedTimes.get(id) !== (failing.has(id) ? 2 : 1))).toEqual([]);
		const byStatus = (status: string) => executions.filter((e) => e.status === status).length;
		expect({
			total: executions.length,
			error: byStatus('error'),
			success: byStatus('success'),
		}).toEqual({ total: 220, error: 20, success: 200 });
		const known = new Set(ids);
		const successes = new Map<string, number>();
		for (const execution of executions.filter((e) => e.status === 'success')) {
			const [id] = await messageIdsIn(execution.id, known);
			successes.set(id, (successes.get(id) ?? 0) + 1);
		}
		expect(successes.size).toBe(200);
		figures.executionSucceedsTenPercentFailing = {
			messages: 200,
			executions: executions.length,
			failed: 20,
		};
	});

	it('executionFinishes: a workflow failing for 10 % of messages runs exactly one execution each, the failures visible in the execution list', async () => {
		const workflowId = 'triggerFinishFail';
		emulator.reset();
		emulator.setKnobs({ quotas: { enabled: false }, mqHttp: { invisibilityScale: 0.05 } });
		await activate(workflowId);
		const ids = await publish(200);
		const states = await waitFor(allAcked(200), () => summary(groupStates()));
		const executions = await waitFor(
			async () => {
				const list = await executionsOf(workflowId);
				return list.length >= 200 && list.every((e) => e.status !== 'running' && e.status !== 'new')
					? list
					: undefined;
			},
			() => 'executions',
		);
		// Every message is acknowledged at its first delivery (consumedTimes 1, state acked), so
		// none can come again; read the list once more to see that no execution started later.
		const after = await executionsOf(workflowId);
		await deactivate(workflowId);

		expect(states.map((state) => state.consumedTimes)).toEqual(new Array(200).fill(1));
		expect(after).toHaveLength(200);
		const known = new Set(ids);
		const failedIds: string[] = [];
		for (const execution of executions.filter((e) => e.status === 'error')) {
			failedIds.push(...(await messageIdsIn(execution.id, known)));
		}
		expect(failedIds.sort()).toEqual(ids.filter((_, n) => n % 10 === 0).sort());
		expect(executions.filter((e) => e.status === 'success')).toHaveLength(180);
		figures.executionFinishesTenPercentFailing = {
			messages: 200,
			executions: after.length,
			failed: failedIds.length,
		};
	});
});
