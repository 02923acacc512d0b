// Publish RocketMQ Message inside a real n8n 2.41.1 (`n8n execute`) against the emulator's RocketMQ
// HTTP protocol (issue 11, "Tests and figures"): a 1,000-row CSV with one sharding key per customer
// to an ordered topic, 1,000 publishes under injected faults after processing (the look-up by key),
// and a timed message and a binary body read back by Alibaba's own SDK. Every case checks n8n's
// output items AND the emulator's message store. One n8n instance and one emulator for the file.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { createEmulator, type Emulator } from '../emulator';
import { sdkClient, type SdkError, type SdkMessage } from '../emulator/mqHttp/sdk-client';
import {
	apsaraMqNode,
	emulatorCredential,
	extractCsvNode,
	locator,
	makeFilesDir,
	outputItems,
	pairedIndexes,
	readFileNode,
	SEED,
} from './harness/apsaramq';
import {
	chainWorkflow,
	codeNode,
	createN8nInstance,
	manualTrigger,
	repoRoot,
	type ExecutionResult,
	type N8nInstance,
} from './harness';

const CRED = { id: 'e2ePublishKeyV3', name: 'key V3 (publish)' };
const INSTANCE = SEED.onsInstance;
const ORDERED_TOPIC = 'orders'; // messageType 1 (partition-ordered) in the seed
const NORMAL_TOPIC = 'test_topic';
const HTTP_GROUP = 'GID_http_group';
const PUBLISH_NODE = 'Publish';

const ROWS = 1000;
const CUSTOMERS = 10;
/** Row i: customer `cust-<i % 10>`, its `seq` within that customer, a unique order id. */
const csvRows = () =>
	Array.from({ length: ROWS }, (_, i) => ({
		orderId: `order-${i}`,
		customer: `cust-${i % CUSTOMERS}`,
		seq: Math.floor(i / CUSTOMERS),
	}));

const FAULT_ITEMS = 1000;

/** All 256 byte values, then pseudo-random bytes: 12 KiB (16 KiB as Base64). */
function sampleBinary(): Buffer {
	const chunks = [Buffer.from(Array.from({ length: 256 }, (_, i) => i))];
	for (let i = 0; chunks.length * 32 < 12 * 1024 - 256; i++) {
		chunks.push(createHash('sha256').update(`publish-sample-${i}`).digest());
	}
	return Buffer.concat(chunks);
}

function publishNode(parameters: Record<string, unknown>, options: Record<string, unknown> = {}) {
	return apsaraMqNode(
		PUBLISH_NODE,
		{
			operation: 'publishRocketMqMessage',
			instanceId: locator(INSTANCE),
			topic: locator(NORMAL_TOPIC),
			payloadType: 'text',
			tag: '',
			...parameters,
			options,
		},
		CRED,
		// AmbiguousDelivery items must reach the output, one per input, not stop the run.
		{ onError: 'continueRegularOutput' },
	);
}

const published = (emulator: Emulator, topic: string) =>
	emulator
		.rocketMqMessages({ topic, instanceId: INSTANCE })
		.filter((m) => m.publishTime !== undefined);

/** The figure of a run: the Publish node's own time (n8n's executionTime), in msg/s. */
function throughput(result: ExecutionResult | undefined, messages: number): string {
	const ms = result?.data.resultData.runData[PUBLISH_NODE]?.[0]?.executionTime ?? NaN;
	return `${messages} messages in ${ms} ms = ${((messages * 1000) / ms).toFixed(0)} msg/s (node defaults)`;
}

describe('Publish RocketMQ Message in n8n 2.41.1 (n8n execute) against the emulator', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;
	let filesDir: string;
	const sample = sampleBinary();

	beforeAll(async () => {
		emulator = await createEmulator();
		filesDir = makeFilesDir('apsaramq-publish-');
		const rows = csvRows();
		writeFileSync(
			path.join(filesDir, 'orders.csv'),
			['orderId,customer,seq', ...rows.map((r) => `${r.orderId},${r.customer},${r.seq}`)].join(
				'\n',
			) + '\n',
		);
		writeFileSync(path.join(filesDir, 'sample.bin'), sample);

		n8n = await createN8nInstance({
			packageDir: repoRoot(),
			env: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir },
		});
		await n8n.importCredentials([emulatorCredential(emulator.url, CRED)]);
		await n8n.importWorkflow([
			chainWorkflow('e2ePublishCsv001', [
				manualTrigger(),
				readFileNode('Read CSV', path.join(filesDir, 'orders.csv')),
				extractCsvNode('Rows'),
				publishNode(
					{
						topic: locator(ORDERED_TOPIC),
						payload: '={{ JSON.stringify($json) }}',
					},
					{ messageKey: '={{ $json.orderId }}', shardingKey: '={{ $json.customer }}' },
				),
			]),
			chainWorkflow('e2ePublishFault1', [
				manualTrigger(),
				codeNode(
					'Items',
					`return Array.from({ length: ${FAULT_ITEMS} }, (_, n) => ({ json: { n } }));`,
				),
				publishNode(
					{ payload: "={{ 'fault test ' + $json.n }}" },
					{ messageKey: "={{ 'fault-' + $json.n }}" },
				),
			]),
			chainWorkflow('e2ePublishTimed1', [
				manualTrigger(),
				publishNode({ payload: 'timed hello' }, { messageKey: 'timed-1', deliverAt: '={{ 20 }}' }),
			]),
			chainWorkflow('e2ePublishBin001', [
				manualTrigger(),
				readFileNode('Read file', path.join(filesDir, 'sample.bin')),
				publishNode(
					{ payloadType: 'binary', binaryPropertyName: 'data' },
					{ messageKey: 'binary-1' },
				),
			]),
		]);
	});

	beforeEach(() => emulator.reset());

	afterAll(async () => {
		await n8n?.dispose();
		await emulator?.close();
	});

	it(`a ${ROWS}-row CSV, one sharding key per customer (${CUSTOMERS}), to an ordered topic: all stored once, in order per key, items paired and in order`, async () => {
		const rows = csvRows();
		const run = await n8n.execute('e2ePublishCsv001');
		expect(run.exitCode).toBe(0);

		const output = outputItems(run.result, PUBLISH_NODE);
		expect(output).toHaveLength(ROWS);
		expect(pairedIndexes(output)).toEqual(rows.map((_, i) => i));
		expect(output.map((item) => item.json.messageKey)).toEqual(rows.map((r) => r.orderId));
		expect(output.filter((item) => item.json.error !== undefined)).toEqual([]);

		const stored = published(emulator, ORDERED_TOPIC);
		expect(stored).toHaveLength(ROWS);
		expect(new Set(stored.map((m) => m.key)).size).toBe(ROWS);
		const byId = new Map(stored.map((m) => [m.msgId, m]));
		for (const [i, item] of output.entries()) {
			const message = byId.get(item.json.messageId as string);
			expect(message).toMatchObject({ key: rows[i].orderId, shardingKey: rows[i].customer });
			// Extract From File gives every cell as text.
			expect(JSON.parse(message!.body)).toEqual({ ...rows[i], seq: String(rows[i].seq) });
		}
		// The store's order, per sharding key, is the CSV's order of that customer's rows.
		for (let c = 0; c < CUSTOMERS; c++) {
			const customer = `cust-${c}`;
			const seqs = stored
				.filter((m) => m.shardingKey === customer)
				.map((m) => Number((JSON.parse(m.body) as { seq: string }).seq));
			expect(seqs).toEqual(Array.from({ length: ROWS / CUSTOMERS }, (_, s) => s));
		}
		console.log(`publish e2e, ordered CSV: ${throughput(run.result, ROWS)}`);
	});

	it(`${FAULT_ITEMS} publishes with 10 % faults after processing: every item accounted for once, 0 duplicates stored`, async () => {
		// Stored, then the answer fails (500) or the connection drops: the node cannot know, so it
		// looks the key up (OnsMessageGetByKey) instead of publishing again.
		emulator.setKnobs({
			randomSeed: 11,
			faults: { sendMessageFailed: 0.05, resetAfterProcessing: 0.05 },
			faultActions: ['PublishMessage'],
		});
		const run = await n8n.execute('e2ePublishFault1', { timeoutMs: 540_000 });
		expect(run.exitCode).toBe(0);

		const output = outputItems(run.result, PUBLISH_NODE);
		expect(output).toHaveLength(FAULT_ITEMS);
		expect(pairedIndexes(output)).toEqual(Array.from({ length: FAULT_ITEMS }, (_, i) => i));
		const outcome = (json: Record<string, unknown>) =>
			json.code === 'AmbiguousDelivery'
				? 'ambiguous'
				: json.error === undefined && typeof json.messageId === 'string'
					? json.confirmedBy === 'lookup'
						? 'confirmedByLookup'
						: 'published'
					: 'other';
		const counts = { published: 0, confirmedByLookup: 0, ambiguous: 0, other: 0 };
		for (const item of output) counts[outcome(item.json)]++;
		expect(counts.other).toBe(0);

		const stored = published(emulator, NORMAL_TOPIC);
		const keys = stored.map((m) => m.key);
		expect(new Set(keys).size).toBe(keys.length); // 0 duplicates
		const byKey = new Map(stored.map((m) => [m.key, m]));
		for (const [n, item] of output.entries()) {
			expect(item.json.messageKey).toBe(`fault-${n}`);
			if (outcome(item.json) === 'ambiguous') continue;
			// A success names the one message stored under its key.
			expect(byKey.get(`fault-${n}`)?.msgId).toBe(item.json.messageId);
		}
		// Every fault happened after storing, so every message is stored exactly once.
		expect(stored).toHaveLength(FAULT_ITEMS);
		const faulted = emulator
			.calls()
			.filter((call) => call.action === 'PublishMessage' && call.fault !== null).length;
		expect(faulted).toBeGreaterThan(50);
		expect(counts.confirmedByLookup + counts.ambiguous).toBe(faulted);
		console.log(
			`publish e2e, faults: ${faulted} faulted publishes; items: ${JSON.stringify(counts)}; ${throughput(run.result, FAULT_ITEMS)}`,
		);
	});

	it('a timed message is stored with its delivery time and not consumable before it', async () => {
		const run = await n8n.execute('e2ePublishTimed1');
		expect(run.exitCode).toBe(0);
		const [item] = outputItems(run.result, PUBLISH_NODE);
		const [message] = published(emulator, NORMAL_TOPIC);
		expect(item.json).toMatchObject({ messageId: message.msgId, messageKey: 'timed-1' });
		expect(message.startDeliverTime).toBeGreaterThan(message.publishTime!);
		// deliverAt = 20 s from when the node read it, which is before the publish.
		expect(message.startDeliverTime).toBeLessThanOrEqual(message.publishTime! + 20_000);

		// Poll (2 s long polls) until the message comes: every answer before its time is empty, and
		// 20 s leave n8n time to exit first, so at least one poll happens before it.
		const consumer = sdkClient(emulator.url).getConsumer(INSTANCE, NORMAL_TOPIC, HTTP_GROUP);
		let emptyBefore = 0;
		let body: SdkMessage[] = [];
		while (body.length === 0 && Date.now() < message.startDeliverTime + 30_000) {
			try {
				body = (await consumer.consumeMessage(16, 2)).body;
			} catch (error) {
				expect((error as SdkError).Code).toBe('MessageNotExist');
				if (Date.now() < message.startDeliverTime) emptyBefore++;
			}
		}
		expect(Date.now()).toBeGreaterThanOrEqual(message.startDeliverTime);
		expect(emptyBefore).toBeGreaterThan(0);
		expect(body).toHaveLength(1);
		expect(body[0]).toMatchObject({
			MessageId: message.msgId,
			MessageBody: 'timed hello',
			MessageKey: 'timed-1',
		});
	});

	it('a binary body round-trips byte for byte (Base64), read back by the SDK', async () => {
		const run = await n8n.execute('e2ePublishBin001');
		expect(run.exitCode).toBe(0);
		const [item] = outputItems(run.result, PUBLISH_NODE);
		const [message] = published(emulator, NORMAL_TOPIC);
		expect(item.json.messageId).toBe(message.msgId);
		expect(Buffer.from(message.body, 'base64').equals(sample)).toBe(true);

		const consumer = sdkClient(emulator.url).getConsumer(INSTANCE, NORMAL_TOPIC, HTTP_GROUP);
		const { body } = await consumer.consumeMessage(16, 5);
		expect(body).toHaveLength(1);
		const received: SdkMessage = body[0];
		expect(Buffer.from(received.MessageBody, 'base64').equals(sample)).toBe(true);
		expect(item.json.messageBodyMd5).toBe(received.MessageBodyMD5);
	});
});
