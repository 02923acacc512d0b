// The ApsaraMQ Trigger when n8n 2.41.1 is killed (`kill -9` of `n8n start` and its task runner)
// while about 200 messages are in flight, then started again on the same database and user folder.
// The guarantee table this checks: docs/trigger.md#guarantees ("n8n stopped during the execution").
import { createEmulator, type Emulator } from '../emulator';
import { sdkClient, sdkProperties } from '../emulator/mqHttp/sdk-client';
import { emulatorCredential, EXAMPLE_CREDENTIAL, locator, SEED } from './harness/apsaramq';
import {
	chainWorkflow,
	createN8nInstance,
	repoRoot,
	type N8nInstance,
	type RestSession,
	type RunningN8n,
} from './harness';
import {
	activateWorkflow,
	executionsOf,
	isFinished,
	messageIdsIn,
	type ExecutionSummary,
} from './harness/triggerRest';
import { waitFor } from './harness/wait';

const TRIGGER_TYPE = 'n8n-nodes-apsaramq.apsaraMqTrigger';
const TOPIC = 'test_topic';
const GROUP = 'GID_http_group';
const WORKFLOW_ID = 'triggerCrash00001';
const MESSAGES = 200;
/** Each execution waits this long, so that all of them are running when n8n is killed. */
const EXECUTION_SECONDS = 40;

/** The trigger (executionSucceeds, room for every message at once), then a Wait node. */
const crashWorkflow = chainWorkflow(WORKFLOW_ID, [
	{
		name: 'ApsaraMQ Trigger',
		type: TRIGGER_TYPE,
		parameters: {
			instanceId: locator(SEED.onsInstance),
			topic: locator(TOPIC),
			groupId: locator(GROUP),
			acknowledge: 'executionSucceeds',
			messagesPerExecution: 1,
			options: { parseJson: true, maxParallelExecutions: 250 },
		},
		credentials: { alibabaCloudAccessKeyApi: EXAMPLE_CREDENTIAL },
	},
	{
		// Under 65 s n8n's Wait node sleeps inside the execution (it is not put to the database).
		name: 'Take a While',
		type: 'n8n-nodes-base.wait',
		typeVersion: 1.1,
		parameters: { resume: 'timeInterval', amount: EXECUTION_SECONDS, unit: 'seconds' },
	},
]);

function countBy(values: string[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}

describe('ApsaraMQ Trigger: kill -9 of n8n 2.41.1 with 200 messages in flight, then a restart', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;
	let running: RunningN8n | undefined;
	let session: RestSession;

	beforeAll(async () => {
		// 300 s × 0.15 = 45 s of invisibility: longer than an execution, short enough for the test.
		emulator = await createEmulator({
			knobs: { quotas: { enabled: false }, mqHttp: { invisibilityScale: 0.15 } },
		});
		n8n = await createN8nInstance({ packageDir: repoRoot() });
		await n8n.importCredentials([emulatorCredential(emulator.url, EXAMPLE_CREDENTIAL)]);
		await n8n.importWorkflow(crashWorkflow);
		running = await n8n.start();
		session = await n8n.createOwnerAndLogin();
	});

	afterAll(async () => {
		await running?.stop();
		await n8n?.dispose();
		await emulator?.close();
	});

	async function publish(count: number): Promise<string[]> {
		const producer = sdkClient(emulator.url).getProducer(SEED.onsInstance, TOPIC);
		const ids: string[] = new Array<string>(count);
		let next = 0;
		const worker = async () => {
			while (next < count) {
				const n = next++;
				const answer = await producer.publishMessage(
					JSON.stringify({ n }),
					'crash',
					sdkProperties({ key: `crash-${n}` }),
				);
				ids[n] = answer.body.MessageId;
			}
		};
		await Promise.all(Array.from({ length: 5 }, worker));
		return ids;
	}

	const groupStates = () =>
		emulator
			.rocketMqMessages({ topic: TOPIC })
			.filter((message) => message.publishTime !== undefined)
			.map((message) => ({ msgId: message.msgId, ...message.deliveries[GROUP] }));

	it('loses no message: every one ends with a successful execution and is acknowledged; the executions the kill cut off run again', async () => {
		await activateWorkflow(session, WORKFLOW_ID);
		const ids = await publish(MESSAGES);
		const known = new Set(ids);

		// Every message delivered to n8n and unacknowledged, executions running (each waits 40 s) and
		// none finished, then kill -9. n8n starts a few executions per second here, so some messages
		// have a running execution and the others wait in n8n for theirs to be stored.
		let seen: Record<string, number> = {};
		await waitFor(
			async () => {
				const delivered = groupStates().filter((s) => s.state === 'invisible').length;
				const list = await executionsOf(session, WORKFLOW_ID);
				seen = { delivered, ...countBy(list.map((e) => e.status)) };
				const finished = (seen.success ?? 0) + (seen.error ?? 0);
				return delivered === MESSAGES && (seen.running ?? 0) >= 20 && finished === 0
					? (seen.running ?? 0)
					: undefined;
			},
			{ what: `${MESSAGES} messages in flight`, timeoutMs: 120_000, intervalMs: 500 },
		).catch((error: Error) => {
			throw new Error(`${error.message}; seen: ${JSON.stringify(seen)}`);
		});
		const pid = running?.pid ?? -1;
		process.kill(-pid, 'SIGKILL'); // its process group: n8n and its task runner
		const killed = await running?.stop();
		running = undefined;
		expect(killed?.signal).toBe('SIGKILL');
		const unacknowledgedAtKill = groupStates().filter((s) => s.state !== 'acked').length;
		expect(unacknowledgedAtKill).toBe(MESSAGES);

		// The restart runs n8n's recovery of the crashed executions first: slow on a busy machine.
		running = await n8n.start({ timeoutMs: 300_000 });
		session = await n8n.login(session.email, session.password);

		const states = await waitFor(
			() => {
				const list = groupStates();
				return list.length === MESSAGES && list.every((s) => s.state === 'acked')
					? list
					: undefined;
			},
			{ what: 'every message acknowledged after the restart', timeoutMs: 240_000, intervalMs: 500 },
		);
		const executions = await waitFor(
			async () => {
				const list = await executionsOf(session, WORKFLOW_ID);
				return list.every(isFinished) ? list : undefined;
			},
			{ what: 'every execution finished', timeoutMs: 120_000, intervalMs: 500 },
		);

		const byMessage = new Map<string, ExecutionSummary[]>(ids.map((id) => [id, []]));
		for (const execution of executions) {
			for (const id of await messageIdsIn(session, execution.id, known))
				byMessage.get(id)?.push(execution);
		}
		const successes = (id: string) =>
			(byMessage.get(id) ?? []).filter((e) => e.status === 'success').length;
		const statusCount = countBy(executions.map((e) => e.status));

		const crashed = (id: string) =>
			(byMessage.get(id) ?? []).filter((e) => e.status === 'crashed').length;
		const twoSuccesses = ids.filter((id) => successes(id) === 2);
		console.log(
			`ApsaraMQ Trigger kill -9 figures: ${JSON.stringify({
				messages: MESSAGES,
				atKill: seen,
				executions: statusCount,
				messagesWithTwoSuccesses: twoSuccesses.length,
				consumedTimes: countBy(states.map((s) => String(s.consumedTimes))),
			})}`,
		);

		// 0 lost: every message has a successful execution, and every one is acknowledged.
		expect(ids.filter((id) => successes(id) === 0)).toEqual([]);
		expect(states.every((s) => s.state === 'acked')).toBe(true);
		// n8n marks what was running at the kill `crashed`; each such message ran again, once.
		expect(statusCount.crashed ?? 0).toBeGreaterThan(0);
		expect(ids.filter((id) => crashed(id) > 1)).toEqual([]);
		expect(ids.filter((id) => crashed(id) === 1 && successes(id) !== 1)).toEqual([]);
		// n8n 2.41 runs at its start the executions it had stored but not begun (status `new`); the
		// trigger's redelivery runs too (docs/trigger.md#guarantees), so those messages, and only
		// they, may have two successful executions: never more, never with a crashed one.
		expect(ids.filter((id) => successes(id) > 2)).toEqual([]);
		expect(twoSuccesses.length).toBeLessThanOrEqual(MESSAGES - (statusCount.crashed ?? 0));
		expect(executions.filter((e) => !['success', 'crashed'].includes(e.status))).toEqual([]);
	});
});
