import type {
	IAdditionalCredentialOptions,
	IHttpRequestOptions,
	IRun,
	ITriggerFunctions,
} from 'n8n-workflow';

import { ApsaraMqTrigger } from '../../nodes/ApsaraMqTrigger/ApsaraMqTrigger.node';
import type { Emulator } from '../emulator';
import { createEmulator } from '../emulator';
import { emulatorCredentials, n8nLikeTransport } from '../nodes/emulatorTransport';
import { until } from './consumerHarness';

/**
 * The trigger node as n8n runs it, against the emulator's RocketMQ HTTP protocol, through the
 * real credential's MQ signature: executions, acknowledgements, redelivery after a failure.
 */
const INSTANCE = 'MQ_INST_111111111111_DOxxxxxx';
const TOPIC = 'test_topic';
const GROUP = 'GID_http_group';

let emulator: Emulator;
let http: ReturnType<typeof n8nLikeTransport>;

beforeAll(async () => {
	emulator = await createEmulator();
	http = n8nLikeTransport();
});
afterAll(async () => {
	await http.close();
	await emulator.close();
});
beforeEach(() => emulator.reset());

interface Emitted {
	ids: string[];
	key?: string;
	done?: { resolve: (run: IRun | undefined) => void };
}

function deferred<T>() {
	let resolve!: (value: T) => void;
	let reject!: (error: Error) => void;
	const promise = new Promise<T>((done, fail) => ((resolve = done), (reject = fail)));
	return { promise, resolve, reject };
}

function triggerContext(
	parameters: Record<string, unknown>,
	mode: 'trigger' | 'manual' = 'trigger',
) {
	const emitted: Emitted[] = [];
	const errors: Error[] = [];
	const context = {
		getMode: () => mode,
		getNode: () => ({
			id: 'node-1',
			name: 'Trigger',
			type: 'n8n-nodes-apsaramq.apsaraMqTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		getWorkflow: () => ({ id: 'wf-1', name: 'w', active: true }),
		getWorkflowStaticData: () => ({}),
		getCredentials: async () => emulatorCredentials(emulator.url),
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		logger: { debug() {}, info() {}, warn() {}, error() {} },
		helpers: {
			createDeferredPromise: deferred,
			httpRequestWithAuthentication: async (
				type: string,
				options: IHttpRequestOptions,
				extra?: IAdditionalCredentialOptions,
			) => await http.transport(options, type, extra?.credentialsDecrypted?.data),
		},
		emit: (
			data: Array<Array<{ json: { messageId: string } }>>,
			_response: unknown,
			done?: Emitted['done'],
			key?: string,
		) => {
			emitted.push({ ids: data[0].map((item) => item.json.messageId), key, done });
		},
		emitError: (error: Error) => errors.push(error),
	};
	return { context: context as unknown as ITriggerFunctions, emitted, errors };
}

const success = { status: 'success', data: { resultData: { runData: {} } } } as unknown as IRun;
const failure = {
	status: 'error',
	data: { resultData: { runData: {}, error: new Error('x') } },
} as unknown as IRun;

const parameters = (extra: Record<string, unknown> = {}) => ({
	instanceId: INSTANCE,
	topic: TOPIC,
	groupId: GROUP,
	tag: '',
	acknowledge: 'executionSucceeds',
	messagesPerExecution: 1,
	options: { maxParallelExecutions: 4 },
	...extra,
});

function states(ids: string[]) {
	const byId = new Map(
		emulator.rocketMqMessages({ topic: TOPIC }).map((message) => [message.msgId, message]),
	);
	return ids.map((id) => byId.get(id)?.deliveries[GROUP]?.state);
}

describe('the ApsaraMQ Trigger against the emulator', () => {
	it('runs each published message once and acknowledges it; a failed one stays unacknowledged', async () => {
		const ids = Array.from(
			{ length: 20 },
			(_, i) =>
				emulator.publishRocketMq({ instanceId: INSTANCE, topic: TOPIC, body: `m${i}` }).msgId,
		);
		const { context, emitted, errors } = triggerContext(parameters());
		const response = await new ApsaraMqTrigger().trigger.call(context);
		const answered = new Set<number>();
		await until(() => {
			emitted.forEach((one, index) => {
				if (answered.has(index)) return;
				answered.add(index);
				one.done?.resolve(one.ids[0] === ids[0] ? failure : success);
			});
			return emitted.length >= 20 && states(ids.slice(1)).every((state) => state === 'acked');
		}, 20_000);
		await response.closeFunction?.();
		expect(errors).toEqual([]);
		expect(new Set(emitted.flatMap((one) => one.ids))).toEqual(new Set(ids));
		expect(emitted).toHaveLength(20);
		expect(states([ids[0]])).toEqual(['invisible']);
		expect(
			emitted.every((one) =>
				new RegExp(`^apsaramq:wf-1:node-1:[0-9a-f]{8}:${one.ids[0]}$`).test(one.key ?? ''),
			),
		).toBe(true);
	});

	it('ordered consumption: 300 messages of 10 sharding keys run in order per key, each once, all acknowledged', async () => {
		const KEYS = 10;
		const PER_KEY = 30;
		const sequence = new Map<string, { key: number; n: number }>();
		// Key after key, so that one answer holds several messages of one key, which must run one after the other.
		for (let key = 0; key < KEYS; key++) {
			for (let n = 0; n < PER_KEY; n++) {
				const { msgId } = emulator.publishRocketMq({
					instanceId: INSTANCE,
					topic: 'orders',
					body: `${key}:${n}`,
					properties: { __SHARDINGKEY: `customer-${key}` },
				});
				sequence.set(msgId, { key, n });
			}
		}
		const { context, emitted, errors } = triggerContext(
			parameters({ topic: 'orders', options: { maxParallelExecutions: 5, orderly: true } }),
		);
		const response = await new ApsaraMqTrigger().trigger.call(context);
		const answered = new Set<number>();
		const acked = () =>
			emulator
				.rocketMqMessages({ topic: 'orders' })
				.filter((message) => message.deliveries[GROUP]?.state === 'acked').length;
		// Executions of one key that n8n was running at the same time (never more than 1 in order).
		let mostAtOnceForOneKey = 0;
		await until(() => {
			const open = emitted.filter((_, index) => !answered.has(index));
			for (let key = 0; key < KEYS; key++) {
				const atOnce = open.filter((one) => sequence.get(one.ids[0])?.key === key).length;
				mostAtOnceForOneKey = Math.max(mostAtOnceForOneKey, atOnce);
			}
			emitted.forEach((one, index) => {
				if (answered.has(index)) return;
				answered.add(index);
				one.done?.resolve(success);
			});
			return acked() === KEYS * PER_KEY;
		}, 200_000);
		await response.closeFunction?.();
		expect(errors).toEqual([]);
		const runs = emitted.flatMap((one) => one.ids);
		expect(runs).toHaveLength(KEYS * PER_KEY);
		expect(new Set(runs).size).toBe(KEYS * PER_KEY);
		expect(mostAtOnceForOneKey).toBe(1);
		for (let key = 0; key < KEYS; key++) {
			const order = runs.map((id) => sequence.get(id)).filter((m) => m?.key === key);
			expect(order.map((m) => m?.n)).toEqual(Array.from({ length: PER_KEY }, (_, n) => n));
		}
	});

	it('closing aborts the long poll in flight: the emulator sees the client go', async () => {
		const { context } = triggerContext(parameters());
		const response = await new ApsaraMqTrigger().trigger.call(context);
		await until(() => emulator.rocketMqPendingPolls() === 1, 100_000);
		await response.closeFunction?.();
		await until(() => emulator.rocketMqPendingPolls() === 0, 100_000);
	}, 20_000);

	it('stops with the code and the fix for a topic that does not exist', async () => {
		const { context, errors } = triggerContext(parameters({ topic: 'no_such_topic' }));
		const response = await new ApsaraMqTrigger().trigger.call(context);
		await until(() => errors.length === 1, 20_000);
		await response.closeFunction?.();
		expect(errors[0].message).toMatch(/^TopicNotExist/);
	});
});
