// The package inside a real n8n 2.41.1, run with `n8n execute` against the local ApsaraMQ emulator:
// both sending operations with V2/V3 signing and STS keys, a wrong secret (continue on fail, error
// output, and a thrown error), a binary file, consumers → push chain, a 300-row CSV batch, and the
// spreadsheet example from examples/. Every case checks n8n's output items AND the emulator's
// records (calls, MQTT deliveries, ONS pushes), and MQTT payloads at a real subscriber.
// One n8n instance and one emulator for the whole file; every workflow is imported once.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { createEmulator, type Emulator } from '../emulator';
import {
	apsaraMqNode,
	emulatorCredential,
	EXAMPLE_CREDENTIAL,
	EXAMPLES,
	extractCsvNode,
	locator,
	makeFilesDir,
	outputItems,
	pairedIndexes,
	placeExampleCsv,
	readFileNode,
	readSimpleCsv,
	SEED,
	spreadsheetExample,
	subscribeMqtt,
	type CredentialData,
	type MqttRecorder,
} from './harness/apsaramq';
import { batchCsvPath, batchRows, BATCH_ROW_COUNT, toCsv } from './fixtures/mqtt-batch';
import {
	chainWorkflow,
	codeNode,
	createN8nInstance,
	fanOutWorkflow,
	manualTrigger,
	repoRoot,
	type N8nInstance,
	type NodeSpec,
} from './harness';

const WRONG_SECRET = 'wrong-Secret-e2e-Zq9x7';
const CONFIDENTIAL = 'confidential payload 7Q3';

/** Every credential this file uses: id → data overrides. */
const CREDS: Record<string, { name: string; data: Partial<CredentialData> }> = {
	e2eKeyV3: { name: 'key V3', data: { signatureVersion: 'v3' } },
	e2eKeyV2: { name: 'key V2', data: { signatureVersion: 'v2' } },
	e2eStsV3: {
		name: 'STS V3',
		data: { ...SEED.sts, temporaryCredentials: true, signatureVersion: 'v3' },
	},
	e2eStsV2: {
		name: 'STS V2',
		data: { ...SEED.sts, temporaryCredentials: true, signatureVersion: 'v2' },
	},
	e2eBadSecretV2: {
		name: 'wrong secret V2',
		data: { accessKeySecret: WRONG_SECRET, signatureVersion: 'v2' },
	},
	e2eBadSecretV3: {
		name: 'wrong secret V3',
		data: { accessKeySecret: WRONG_SECRET, signatureVersion: 'v3' },
	},
};
const cred = (id: keyof typeof CREDS) => ({ id, name: CREDS[id].name });

/** The signing matrix: one send and one push per (key kind, signature version). */
const SIGNING = [
	{ credential: 'e2eKeyV3', signatureVersion: 'v3', accessKeyId: SEED.key.accessKeyId },
	{ credential: 'e2eKeyV2', signatureVersion: 'v2', accessKeyId: SEED.key.accessKeyId },
	{ credential: 'e2eStsV3', signatureVersion: 'v3', accessKeyId: SEED.sts.accessKeyId },
	{ credential: 'e2eStsV2', signatureVersion: 'v2', accessKeyId: SEED.sts.accessKeyId },
] as const;
const signingTopic = (credential: string) => `TopicB/signing/${credential}`;
const signingPayload = (credential: string) =>
	`signed by ${credential}: héllo 中文 😀 ~*'()!+/=?&%`;
const signingPush = (i: number) => ({
	consumer: SEED.consumers[i % SEED.consumers.length],
	message: i % 2 === 0 ? SEED.messages.testTopic : SEED.messages.orders,
});

/** All 256 byte values, then pseudo-random bytes: 12 KiB, well under the 48 KB a 64 KB message holds. */
function sampleBinary(): Buffer {
	const chunks = [Buffer.from(Array.from({ length: 256 }, (_, i) => i))];
	for (let i = 0; chunks.length * 32 < 12 * 1024 - 256; i++) {
		chunks.push(createHash('sha256').update(`sample-${i}`).digest());
	}
	return Buffer.concat(chunks);
}

function sendText(name: string, credential: string, topic: string, payload: string): NodeSpec {
	return apsaraMqNode(
		name,
		{
			operation: 'sendMqttMessage',
			instanceId: locator(SEED.mqttInstance),
			mqttTopic: topic,
			payloadType: 'text',
			payload,
		},
		cred(credential),
	);
}

function push(
	name: string,
	credential: string,
	values: { instanceId: string; topic: string; groupId: string; clientId: string; msgId: string },
	extra: Partial<NodeSpec> = {},
): NodeSpec {
	return apsaraMqNode(
		name,
		{
			operation: 'pushOnsMessage',
			instanceId: locator(values.instanceId),
			topic: locator(values.topic),
			groupId: locator(values.groupId),
			clientId: locator(values.clientId),
			msgId: values.msgId,
		},
		cred(credential),
		extra,
	);
}

describe('ApsaraMQ node in n8n 2.41.1 (n8n execute) against the emulator', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;
	let filesDir: string;
	let mqttRecorder: MqttRecorder | undefined;
	const sample = sampleBinary();

	beforeAll(async () => {
		emulator = await createEmulator();
		filesDir = makeFilesDir();
		copyFileSync(batchCsvPath(), path.join(filesDir, 'mqtt-batch.csv'));
		writeFileSync(path.join(filesDir, 'sample.bin'), sample);
		const exampleCsv = placeExampleCsv(filesDir);

		n8n = await createN8nInstance({
			packageDir: repoRoot(),
			env: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir },
		});
		await n8n.importCredentials([
			...Object.entries(CREDS).map(([id, { name, data }]) =>
				emulatorCredential(emulator.url, { id, name }, data),
			),
			emulatorCredential(emulator.url, EXAMPLE_CREDENTIAL),
		]);

		const signing = fanOutWorkflow('e2eSigning000001', manualTrigger(), [
			...SIGNING.map(({ credential }) =>
				sendText(
					`Send ${credential}`,
					credential,
					signingTopic(credential),
					signingPayload(credential),
				),
			),
			...SIGNING.map(({ credential }, i) =>
				push(`Push ${credential}`, credential, {
					instanceId: SEED.onsInstance,
					topic: signingPush(i).message.topic,
					groupId: SEED.onlineGroup,
					clientId: signingPush(i).consumer.clientId,
					msgId: signingPush(i).message.msgId,
				}),
			),
		]);

		const wrongSecret = chainWorkflow(
			'e2eWrongSecret01',
			[
				manualTrigger(),
				codeNode('Items', `return [{ json: { row: 0 } }, { json: { row: 1 } }];`),
				{
					...sendText('Bad V2 (continue)', 'e2eBadSecretV2', 'TopicA/secret/v2', CONFIDENTIAL),
					onError: 'continueRegularOutput',
				},
				{
					...push('Bad V3 (error output)', 'e2eBadSecretV3', {
						instanceId: SEED.onsInstance,
						topic: SEED.messages.testTopic.topic,
						groupId: SEED.onlineGroup,
						clientId: SEED.consumers[0].clientId,
						msgId: SEED.messages.testTopic.msgId,
					}),
					onError: 'continueErrorOutput',
				},
				{ name: 'Pushed', type: 'n8n-nodes-base.noOp' },
				{ name: 'Failed', type: 'n8n-nodes-base.noOp' },
			],
			{
				unchained: ['Bad V2 (continue)', 'Bad V3 (error output)', 'Pushed', 'Failed'],
				extraConnections: [
					{ from: 'Items', output: 0, to: 'Bad V2 (continue)' },
					{ from: 'Items', output: 0, to: 'Bad V3 (error output)' },
					{ from: 'Bad V3 (error output)', output: 0, to: 'Pushed' },
					{ from: 'Bad V3 (error output)', output: 1, to: 'Failed' },
				],
			},
		);

		const wrongSecretThrows = chainWorkflow('e2eWrongSecret02', [
			manualTrigger(),
			sendText('Bad V2 (stop)', 'e2eBadSecretV2', 'TopicA/secret/v2', CONFIDENTIAL),
		]);

		const binary = chainWorkflow('e2eBinary0000001', [
			manualTrigger(),
			readFileNode('Read file', path.join(filesDir, 'sample.bin')),
			apsaraMqNode(
				'Send file',
				{
					operation: 'sendMqttMessage',
					instanceId: locator(SEED.mqttInstance),
					mqttTopic: 'devices/files/sample',
					payloadType: 'binary',
					binaryPropertyName: 'data',
				},
				cred('e2eKeyV3'),
			),
		]);

		const consumers = chainWorkflow('e2eConsumers0001', [
			manualTrigger(),
			codeNode(
				'Groups',
				`return ${JSON.stringify([
					{
						instanceId: SEED.onsInstance,
						groupId: SEED.onlineGroup,
						topic: SEED.messages.testTopic.topic,
						msgId: SEED.messages.testTopic.msgId,
					},
					{
						instanceId: SEED.onsSecondInstance,
						groupId: SEED.otherGroup,
						topic: SEED.messages.otherTopic.topic,
						msgId: SEED.messages.otherTopic.msgId,
					},
				])}.map((json) => ({ json }));`,
			),
			apsaraMqNode(
				'Get consumers',
				{
					operation: 'getOnsConsumerConnections',
					instanceId: locator('={{ $json.instanceId }}'),
					groupId: locator('={{ $json.groupId }}'),
				},
				cred('e2eKeyV2'),
			),
			apsaraMqNode(
				'Push to each',
				{
					operation: 'pushOnsMessage',
					instanceId: locator('={{ $json.instanceId }}'),
					topic: locator("={{ $('Groups').item.json.topic }}"),
					groupId: locator('={{ $json.groupId }}'),
					clientId: locator('={{ $json.clientId }}'),
					msgId: "={{ $('Groups').item.json.msgId }}",
				},
				cred('e2eKeyV3'),
			),
		]);

		const batch = chainWorkflow('e2eMqttBatch0001', [
			manualTrigger(),
			readFileNode('Read CSV', path.join(filesDir, 'mqtt-batch.csv')),
			extractCsvNode('Rows'),
			apsaraMqNode(
				'Send rows',
				{
					operation: 'sendMqttMessage',
					instanceId: locator(SEED.mqttInstance),
					mqttTopic: "={{ 'TopicA/batch/' + $json.row }}",
					payloadType: 'text',
					payload: '={{ $json.payload }}',
				},
				cred('e2eKeyV3'),
			),
		]);

		await n8n.importWorkflow([
			signing,
			wrongSecret,
			wrongSecretThrows,
			binary,
			consumers,
			batch,
			spreadsheetExample(exampleCsv),
		]);
	});

	afterAll(async () => {
		await mqttRecorder?.close();
		await n8n?.dispose();
		await emulator?.close();
		if (filesDir) rmSync(filesDir, { recursive: true, force: true });
	});

	beforeEach(() => emulator.reset());
	afterEach(async () => {
		await mqttRecorder?.close();
		mqttRecorder = undefined;
	});

	it('sends and pushes with V3 and V2 signing, with an AccessKey and with STS credentials', async () => {
		mqttRecorder = await subscribeMqtt(emulator.mqttUrl, 'TopicB/signing/#');
		const run = await n8n.execute('e2eSigning000001');
		expect(run.exitCode).toBe(0);

		const calls = emulator.calls();
		for (const [i, { credential, signatureVersion, accessKeyId }] of SIGNING.entries()) {
			// Send MQTT Message: the interface's output item, and the call the emulator accepted
			const sent = outputItems(run.result, `Send ${credential}`);
			expect(sent.map((item) => item.json)).toEqual([
				{
					msgId: expect.stringMatching(/^[0-9A-F]{32}$/),
					requestId: expect.any(String),
					instanceId: SEED.mqttInstance,
					mqttTopic: signingTopic(credential),
				},
			]);
			expect(pairedIndexes(sent)).toEqual([0]);
			const sendCall = calls.find((call) => call.requestId === sent[0].json.requestId);
			expect(sendCall).toMatchObject({
				action: 'SendMessage',
				code: 'OK',
				signatureVersion,
				accessKeyId,
				msgId: sent[0].json.msgId,
			});
			const [delivery] = emulator.mqttDeliveries({ topic: signingTopic(credential) });
			expect(delivery.msgId).toBe(sent[0].json.msgId);

			// Push ONS Message
			const pushed = outputItems(run.result, `Push ${credential}`);
			const expected = signingPush(i);
			expect(pushed.map((item) => item.json)).toEqual([
				{
					requestId: expect.any(String),
					instanceId: SEED.onsInstance,
					topic: expected.message.topic,
					groupId: SEED.onlineGroup,
					clientId: expected.consumer.clientId,
					msgId: expected.message.msgId,
				},
			]);
			const pushCall = calls.find((call) => call.requestId === pushed[0].json.requestId);
			expect(pushCall).toMatchObject({
				action: 'OnsMessagePush',
				code: 'OK',
				signatureVersion,
				accessKeyId,
			});
			const onsDelivery = emulator
				.onsDeliveries()
				.find((d) => d.requestId === pushed[0].json.requestId);
			expect(onsDelivery).toMatchObject({
				clientId: expected.consumer.clientId,
				groupId: SEED.onlineGroup,
				topic: expected.message.topic,
				sourceMsgId: expected.message.msgId,
			});
		}
		expect(emulator.calls().every((call) => call.code === 'OK')).toBe(true);
		expect(emulator.calls()).toHaveLength(8);
		expect(emulator.onsDeliveries()).toHaveLength(4);

		// every MQTT payload reached a real subscriber byte for byte
		await mqttRecorder.waitForCount(4);
		for (const { credential } of SIGNING) {
			const received = mqttRecorder.on(signingTopic(credential));
			expect(received).toHaveLength(1);
			expect(received[0].payload.equals(Buffer.from(signingPayload(credential), 'utf8'))).toBe(
				true,
			);
		}
		// neither secret nor STS token shows in n8n's output
		const everything = run.stdout + run.stderr;
		for (const secret of [
			SEED.key.accessKeySecret,
			SEED.sts.accessKeySecret,
			SEED.sts.securityToken,
		]) {
			expect(everything).not.toContain(secret);
		}
	});

	it('a wrong secret: continue on fail gives { error, code, requestId, httpStatus }, the error output { error, details }; no secret, no string to sign', async () => {
		const run = await n8n.execute('e2eWrongSecret01');
		expect(run.exitCode).toBe(0);
		const rejected = emulator.calls({ code: 'SignatureDoesNotMatch' });
		expect(rejected).toHaveLength(4);
		expect(emulator.calls()).toHaveLength(4);
		expect(emulator.mqttDeliveries()).toHaveLength(0);
		expect(emulator.onsDeliveries()).toHaveLength(0);

		// "Continue" (regular output): the interface's failure item, one per input, paired
		const regular = outputItems(run.result, 'Bad V2 (continue)');
		expect(regular).toHaveLength(2);
		expect(pairedIndexes(regular)).toEqual([0, 1]);
		for (const item of regular) {
			expect(Object.keys(item.json).sort()).toEqual(['code', 'error', 'httpStatus', 'requestId']);
			expect(item.json).toEqual({
				error: expect.stringContaining('SignatureDoesNotMatch'),
				code: 'SignatureDoesNotMatch',
				requestId: expect.any(String),
				httpStatus: 400,
			});
			expect(item.json.error).toContain('[server string to sign redacted]');
			const call = rejected.find((c) => c.requestId === item.json.requestId);
			expect(call).toMatchObject({ signatureVersion: 'v2', action: 'SendMessage' });
		}
		expect(new Set(regular.map((item) => item.json.requestId)).size).toBe(2);

		// "Continue (using error output)": nothing on the success output, both items on the error
		// output, with the facts under `details` (merged onto the input item by n8n)
		expect(outputItems(run.result, 'Bad V3 (error output)', 0)).toHaveLength(0);
		const failed = outputItems(run.result, 'Bad V3 (error output)', 1);
		expect(failed).toHaveLength(2);
		expect(pairedIndexes(failed)).toEqual([0, 1]);
		failed.forEach((item, row) => {
			expect(item.json).toEqual({
				row,
				error: expect.stringContaining('SignatureDoesNotMatch'),
				details: { code: 'SignatureDoesNotMatch', requestId: expect.any(String), httpStatus: 400 },
			});
			const details = item.json.details as { requestId: string };
			expect(rejected.find((c) => c.requestId === details.requestId)).toMatchObject({
				signatureVersion: 'v3',
				action: 'OnsMessagePush',
			});
		});
		expect(outputItems(run.result, 'Failed')).toHaveLength(2);
		expect(run.result?.data.resultData.runData.Pushed).toBeUndefined();

		// nothing secret anywhere in what n8n printed, and V2's echoed string to sign is cut off
		const everything = run.stdout + run.stderr;
		expect(everything).not.toContain(WRONG_SECRET);
		expect(everything).toContain('[server string to sign redacted]');
		expect(everything).not.toMatch(/string to sign is:\s*\S/i);
		expect(everything).not.toMatch(/StringToSign is \[/);
		expect(everything).not.toMatch(
			/AccessKeyId%3D|Payload%3D|confidential%2520payload|confidential%20payload/,
		);
	});

	it('a wrong secret without continue on fail: the run fails with SignatureDoesNotMatch and still prints no secret', async () => {
		const run = await n8n.execute('e2eWrongSecret02');
		expect(run.exitCode).toBe(1);
		const error = run.result?.data.resultData.error as
			| { message: string; description?: string }
			| undefined;
		expect(error?.message).toMatch(/^SendMessage failed: SignatureDoesNotMatch: /);
		expect(error?.description).toContain('Check the AccessKey secret');
		const [call] = emulator.calls();
		expect(call).toMatchObject({ code: 'SignatureDoesNotMatch', signatureVersion: 'v2' });
		expect(error?.description).toContain(`Request ID: ${call.requestId}`);

		const everything = run.stdout + run.stderr;
		expect(everything).not.toContain(WRONG_SECRET);
		expect(everything).toContain('[server string to sign redacted]');
		expect(everything).not.toMatch(/string to sign is:\s*\S/i);
		expect(everything).not.toMatch(/AccessKeyId%3D|Payload%3D|confidential%2520payload/);
	});

	it('sends a binary file Base64-encoded; the subscriber decodes it to the same bytes', async () => {
		mqttRecorder = await subscribeMqtt(emulator.mqttUrl, 'devices/files/#');
		const run = await n8n.execute('e2eBinary0000001');
		expect(run.exitCode).toBe(0);

		const [delivery] = emulator.mqttDeliveries();
		const sent = outputItems(run.result, 'Send file');
		expect(sent.map((item) => item.json)).toEqual([
			{
				msgId: delivery.msgId,
				requestId: delivery.requestId,
				instanceId: SEED.mqttInstance,
				mqttTopic: 'devices/files/sample',
			},
		]);
		const [message] = await mqttRecorder.waitForCount(1);
		expect(message.topic).toBe('devices/files/sample');
		expect(message.payload.toString('latin1')).toBe(sample.toString('base64'));
		expect(Buffer.from(message.payload.toString('latin1'), 'base64').equals(sample)).toBe(true);
		expect(Buffer.from(delivery.payloadBase64, 'base64').toString('latin1')).toBe(
			sample.toString('base64'),
		);
	});

	it('Get ONS Consumer Connections gives one item per online consumer, paired; pushing to each reaches every consumer', async () => {
		const run = await n8n.execute('e2eConsumers0001');
		expect(run.exitCode).toBe(0);

		const connections = outputItems(run.result, 'Get consumers');
		expect(connections.map((item) => item.json)).toEqual([
			...SEED.consumers.map((consumer) => ({
				...consumer,
				instanceId: SEED.onsInstance,
				groupId: SEED.onlineGroup,
			})),
			{ ...SEED.otherConsumer, instanceId: SEED.onsSecondInstance, groupId: SEED.otherGroup },
		]);
		expect(pairedIndexes(connections)).toEqual([0, 0, 0, 1]);

		const pushed = outputItems(run.result, 'Push to each');
		expect(pairedIndexes(pushed)).toEqual([0, 1, 2, 3]);
		const expected = [
			...SEED.consumers.map((consumer) => ({
				instanceId: SEED.onsInstance,
				groupId: SEED.onlineGroup,
				clientId: consumer.clientId,
				topic: SEED.messages.testTopic.topic,
				msgId: SEED.messages.testTopic.msgId,
			})),
			{
				instanceId: SEED.onsSecondInstance,
				groupId: SEED.otherGroup,
				clientId: SEED.otherConsumer.clientId,
				topic: SEED.messages.otherTopic.topic,
				msgId: SEED.messages.otherTopic.msgId,
			},
		];
		expect(pushed.map((item) => item.json)).toEqual(
			expected.map((values) => ({ ...values, requestId: expect.any(String) })),
		);

		const deliveries = emulator.onsDeliveries();
		expect(deliveries).toHaveLength(4);
		pushed.forEach((item, i) => {
			const delivery = deliveries.find((d) => d.requestId === item.json.requestId);
			expect(delivery).toMatchObject({
				instanceId: expected[i].instanceId,
				groupId: expected[i].groupId,
				clientId: expected[i].clientId,
				topic: expected[i].topic,
				sourceMsgId: expected[i].msgId,
				duplicate: false,
			});
		});
		expect(emulator.calls({ action: 'OnsConsumerGetConnection', code: 'OK' })).toHaveLength(2);
	});

	it(`a ${BATCH_ROW_COUNT}-row CSV (Read/Write Files + Extract From File) → one MQTT message per row, byte for byte, items paired and in order`, async () => {
		const rows = batchRows();
		// the committed fixture is exactly what the generator describes
		expect(readFileSync(batchCsvPath(), 'utf8')).toBe(toCsv(rows));

		mqttRecorder = await subscribeMqtt(emulator.mqttUrl, 'TopicA/batch/#');
		const run = await n8n.execute('e2eMqttBatch0001');
		expect(run.exitCode).toBe(0);

		// n8n's CSV extraction kept every awkward value as written
		expect(outputItems(run.result, 'Rows').map((item) => item.json)).toEqual(rows);

		const sent = outputItems(run.result, 'Send rows');
		expect(sent).toHaveLength(BATCH_ROW_COUNT);
		expect(pairedIndexes(sent)).toEqual(rows.map((_, i) => i));
		expect(sent.map((item) => item.json.mqttTopic)).toEqual(
			rows.map((r) => `TopicA/batch/${r.row}`),
		);

		const deliveries = emulator.mqttDeliveries();
		expect(deliveries).toHaveLength(BATCH_ROW_COUNT);
		expect(deliveries.filter((d) => d.duplicate)).toHaveLength(0);
		const byTopic = new Map(deliveries.map((d) => [d.topic, d]));
		rows.forEach((row, i) => {
			const delivery = byTopic.get(`TopicA/batch/${row.row}`);
			expect(sent[i].json).toEqual({
				msgId: delivery?.msgId,
				requestId: delivery?.requestId,
				instanceId: SEED.mqttInstance,
				mqttTopic: `TopicA/batch/${row.row}`,
			});
		});

		await mqttRecorder.waitForCount(BATCH_ROW_COUNT);
		const mismatches = rows.filter((row) => {
			const received = mqttRecorder?.on(`TopicA/batch/${row.row}`) ?? [];
			return received.length !== 1 || !received[0].payload.equals(Buffer.from(row.payload, 'utf8'));
		});
		expect(mismatches).toEqual([]);
		expect(mqttRecorder.messages).toHaveLength(BATCH_ROW_COUNT);
	});

	it('the spreadsheet example (examples/spreadsheet-to-ons-push.json) pushes each CSV row to its consumer', async () => {
		const rows = readSimpleCsv(path.join(filesDir, EXAMPLES.spreadsheet.csv));
		expect(rows.length).toBeGreaterThanOrEqual(3);

		const run = await n8n.execute(EXAMPLES.spreadsheet.id);
		expect(run.exitCode).toBe(0);
		const pushed = outputItems(run.result, EXAMPLES.spreadsheet.pushNode);
		expect(pairedIndexes(pushed)).toEqual(rows.map((_, i) => i));
		expect(pushed.map((item) => item.json)).toEqual(
			rows.map((row) => ({
				requestId: expect.any(String),
				instanceId: SEED.onsInstance,
				topic: row.topic,
				groupId: row.groupId,
				clientId: row.clientId,
				msgId: row.msgId,
			})),
		);
		const deliveries = emulator.onsDeliveries();
		expect(deliveries).toHaveLength(rows.length);
		rows.forEach((row, i) => {
			expect(deliveries.find((d) => d.requestId === pushed[i].json.requestId)).toMatchObject({
				clientId: row.clientId,
				groupId: row.groupId,
				topic: row.topic,
				sourceMsgId: row.msgId,
			});
		});
		// the example's credential reference resolved to the imported credential
		expect(emulator.calls().every((call) => call.accessKeyId === SEED.key.accessKeyId)).toBe(true);
	});
});
