import type { INodeExecutionData } from 'n8n-workflow';

import { systemClock } from '../../nodes/ApsaraMq/transport/clock';
import type { CallRecord, Emulator } from '../emulator';
import { createEmulator } from '../emulator';
import type { ParameterValue, Transport } from './fakeContext';
import { id, run } from './fakeContext';
import { emulatorCredentials, n8nLikeTransport } from './emulatorTransport';

/**
 * Batches against the emulator with its real quotas (SendMessage 300/s per source IP,
 * OnsMessagePush 10/s) and its fault knobs: the guarantees of the speed and safety targets
 * (docs/quotas-and-retries.md#speed-and-safety-targets), checked item by item. The node runs on the
 * system clock, as the emulator's quota windows do; the tests assert what the emulator recorded
 * (counts, codes, throttling), never how long anything took.
 */

let emulator: Emulator;

beforeAll(async () => {
	emulator = await createEmulator();
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

const rows = (count: number): INodeExecutionData[] =>
	Array.from({ length: count }, (_, n) => ({ json: { n } }));

async function sendBatch(
	count: number,
	options: Record<string, unknown>,
	extra: { cancelSignal?: AbortSignal; onRequest?: () => void } = {},
) {
	const { transport: toEmulator, close } = n8nLikeTransport();
	const transport: Transport = async (...request) => {
		extra.onRequest?.();
		return await toEmulator(...request);
	};
	const credentials = emulatorCredentials(emulator.url);
	const parameters: Record<string, ParameterValue> = {
		operation: 'sendMqttMessage',
		instanceId: id('post-cn-0pp12gl0001'),
		mqttTopic: 'TopicA/batch',
		payloadType: 'text',
		payload: (i: number) => `row-${i}`,
		options,
	};
	try {
		return await run({
			items: rows(count),
			parameters,
			transport,
			credentials,
			continueOnFail: true,
			cancelSignal: extra.cancelSignal,
			clock: systemClock,
		});
	} finally {
		await close();
	}
}

/** Faults that leave the outcome unknown to the client: a retry could deliver twice. */
const AMBIGUOUS_FAULTS = new Set([
	'internalError',
	'serviceUnavailable',
	'resetBeforeProcessing',
	'sendMessageFailed',
	'resetAfterProcessing',
	'stall',
]);

function callsByPayload(calls: CallRecord[]): Map<string, CallRecord[]> {
	const byPayload = new Map<string, CallRecord[]>();
	for (const call of calls) {
		const payload = call.params?.Payload ?? '';
		byPayload.set(payload, [...(byPayload.get(payload) ?? []), call]);
	}
	return byPayload;
}

// Sizes are chosen so that a busy machine (about 50 requests per second) stays well within each
// test's timeout; at the default 250/s the 2,000 sends take 8 s.
it('2,000 sends with 10% mixed faults: every item accounted for once, retried only when safe, no duplicate', async () => {
	const count = 2000;
	emulator.setKnobs({
		randomSeed: 42,
		stallMs: 5_000,
		faults: {
			internalError: 0.02,
			serviceUnavailable: 0.025,
			resetBeforeProcessing: 0.015,
			sendMessageFailed: 0.015,
			resetAfterProcessing: 0.015,
			stall: 0.01,
		},
	});
	const { output } = await sendBatch(count, { timeout: 1000 });

	// One output item per input item, in order, paired with it.
	expect(output).toHaveLength(count);
	expect(output.every((item, i) => (item.pairedItem as { item: number }).item === i)).toBe(true);

	const deliveries = emulator.mqttDeliveries();
	const deliveredMsgIds = new Map(deliveries.map((d) => [Buffer.from(d.payloadBase64, 'base64').toString(), d]));
	const byPayload = callsByPayload(emulator.calls({ action: 'SendMessage' }));
	const outcome = { delivered: 0, ambiguous: 0, ambiguousButDelivered: 0, retried: 0 };

	output.forEach((item, i) => {
		const payload = `row-${i}`;
		const calls = byPayload.get(payload) ?? [];
		// Retried only when safe: no attempt follows one whose outcome the client could not know.
		calls.slice(0, -1).forEach((call) => expect(AMBIGUOUS_FAULTS.has(call.fault ?? '')).toBe(false));
		if (calls.length > 1) outcome.retried++;

		if (item.json.msgId) {
			outcome.delivered++;
			expect(deliveredMsgIds.get(payload)?.msgId).toBe(item.json.msgId);
		} else {
			expect(item.json.code).toBe('AmbiguousDelivery');
			outcome.ambiguous++;
			if (deliveredMsgIds.has(payload)) outcome.ambiguousButDelivered++;
		}
	});

	// The emulator never saw the same message delivered twice.
	expect(deliveries).toHaveLength(deliveredMsgIds.size);
	expect(deliveries.filter((d) => d.duplicate)).toHaveLength(0);
	// Every fault kind happened and no throttling surfaced.
	const faults = emulator.counters().SendMessage?.faults ?? {};
	expect(Object.keys(faults).sort()).toEqual([...AMBIGUOUS_FAULTS].sort());
	// Every one of these faults (503 ServiceUnavailable included, docs/errors.md#gateway-codes)
	// leaves a send's outcome unknown, so none was retried.
	expect(outcome.retried).toBe(0);
	expect(outcome.ambiguousButDelivered).toBeGreaterThan(0);
	expect(outcome.delivered + outcome.ambiguous).toBe(count);
	console.log(`2,000 sends with 10% faults: ${JSON.stringify({ ...outcome, faults })}`);
}, 120_000);

it('with default options, the real quotas never throttle a batch', async () => {
	const { output } = await sendBatch(1000, {});
	expect(output.filter((item) => item.json.error)).toEqual([]);
	expect(emulator.counters().SendMessage?.throttled ?? 0).toBe(0);
}, 60_000);

it('a rate set above the quota adapts to the throttling instead of failing rows', async () => {
	// A quota of 10/s and a rate of 20/s: twice the quota, however slow the machine (a busy one
	// served no more than about 50 requests per second, below the real 300/s).
	emulator.setKnobs({ quotas: { overrides: { SendMessage: { ip: 10, account: null } } } });
	const { output } = await sendBatch(100, { maxRequestsPerSecond: 20, maxConcurrentRequests: 32 });
	expect(output.filter((item) => item.json.error)).toEqual([]);
	expect(emulator.counters().SendMessage?.throttled ?? 0).toBeGreaterThan(0);
	expect(emulator.mqttDeliveries()).toHaveLength(100);
}, 60_000);

it('with Retry Ambiguous Failures on, retried duplicates are flagged, never silent', async () => {
	// No quota: whether 1000/s gets throttled would depend on the machine's speed.
	emulator.setKnobs({ randomSeed: 7, faults: { resetAfterProcessing: 0.05 }, quotas: { enabled: false } });
	const { output } = await sendBatch(600, { retryAmbiguousFailures: true, maxRequestsPerSecond: 1000 });
	const deliveries = emulator.mqttDeliveries();
	const duplicated = new Set(
		deliveries.filter((d) => d.duplicate).map((d) => Buffer.from(d.payloadBase64, 'base64').toString()),
	);
	expect(duplicated.size).toBeGreaterThan(0);
	output.forEach((item, i) => {
		if (duplicated.has(`row-${i}`)) expect(item.json).toMatchObject({ possibleDuplicate: true });
	});
	expect(output.filter((item) => item.json.error)).toEqual([]);
}, 60_000);

it('Push ONS Message stays under the 10/s quota by default', async () => {
	const { transport, close } = n8nLikeTransport();
	const { output } = await run({
		items: rows(20),
		parameters: {
			operation: 'pushOnsMessage',
			instanceId: id('MQ_INST_111111111111_DOxxxxxx'),
			topic: id('test_topic'),
			groupId: id('GID_test_group_id'),
			clientId: id('30.5.121.7@24813#-1999745829#-1737591554#453111174894656'),
			msgId: '0BC1669963051B4B8F7A2A5A2C2E0001',
			options: {},
		},
		transport,
		credentials: emulatorCredentials(emulator.url),
		clock: systemClock,
	}).finally(close);
	expect(output.filter((item) => item.json.error)).toEqual([]);
	// Unpaced, 20 pushes 4 at a time would overrun the emulator's 10/s window and be throttled.
	expect(emulator.counters().OnsMessagePush?.throttled ?? 0).toBe(0);
	expect(emulator.calls({ action: 'OnsMessagePush' }).map((call) => call.code)).toEqual(
		Array.from({ length: 20 }, () => 'OK'),
	);
}, 30_000);

it('cancelling stops sending at once and reports what was confirmed sent', async () => {
	const controller = new AbortController();
	emulator.setKnobs({ latencyMs: 20 });
	// Cancel when the emulator has processed the 100th message, with more in flight behind it.
	let processedSoFar = 0;
	const cancelAtTheHundredth = (call: CallRecord) => {
		if (call.processed && ++processedSoFar === 100) controller.abort();
	};
	emulator.events.on('call', cancelAtTheHundredth);
	let sentAfterCancel = 0;
	const error = await sendBatch(
		5000,
		{},
		{
			cancelSignal: controller.signal,
			onRequest: () => {
				if (controller.signal.aborted) sentAfterCancel++;
			},
		},
	)
		.catch((e) => e)
		.finally(() => emulator.events.off('call', cancelAtTheHundredth));

	expect(error.message).toBe('The execution was cancelled');
	expect(sentAfterCancel).toBe(0);
	const confirmed = Number(/^(\d+) of 5000 items were confirmed sent/.exec(error.description)?.[1]);
	const processed = emulator.counters().SendMessage?.accepted ?? 0;
	// Nothing sent is reported as unsent: the emulator processed at least what was confirmed,
	// and at most what was in flight (24 by default) on top.
	expect(processed).toBeGreaterThanOrEqual(100);
	expect(confirmed).toBeGreaterThan(0);
	expect(processed).toBeGreaterThanOrEqual(confirmed);
	expect(processed - confirmed).toBeLessThanOrEqual(24);
}, 30_000);
