// ApsaraMQ-specific helpers for the e2e tests and the demos (test/demo): the seeded emulator world,
// credentials pointing at the emulator, the example workflows in examples/, raw REST calls, and an
// MQTT subscriber. Builds on the generic harness (install, instance, workflow).
import { copyFileSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import mqtt, { type MqttClient } from 'mqtt';

import { repoRoot } from './install';
import type { ExecutionResult, RestSession } from './instance';
import type { NodeSpec, WorkflowFile } from './workflow';

/** The node type of the package installed as a community package. */
export const APSARAMQ_NODE_TYPE = 'n8n-nodes-apsaramq.apsaraMq';
export const CREDENTIAL_TYPE = 'alibabaCloudAccessKeyApi';

/** The credential the example workflows reference; tests and demos import one with this id/name. */
export const EXAMPLE_CREDENTIAL = { id: 'apsaramqEmulatorCred', name: 'ApsaraMQ (local emulator)' };

/** The emulator's default seed (test/emulator/seed.json), as the tests use it. */
export const SEED = {
	key: { accessKeyId: 'testid', accessKeySecret: 'testsecret' },
	sts: {
		accessKeyId: 'STS.NUgYrLnoC37mZZCNnAbez2x',
		accessKeySecret: 'stssecret',
		securityToken: 'CAIS-emulator-sts-token-0001',
	},
	mqttOnly: { accessKeyId: 'mqttonlyid', accessKeySecret: 'mqttonlysecret' },
	mqttInstance: 'post-cn-0pp12gl0001',
	mqttOpenInstance: 'mqtt-cn-4xl3g0a0002',
	onsInstance: 'MQ_INST_111111111111_DOxxxxxx',
	onsSecondInstance: 'MQ_INST_222222222222_DOyyyyyy',
	onlineGroup: 'GID_test_group_id',
	offlineGroup: 'GID_offline_group',
	otherGroup: 'GID_other_group',
	consumers: [
		{
			clientId: '30.5.121.7@24813#-1999745829#-1737591554#453111174894656',
			clientAddr: '30.5.121.7',
			language: 'JAVA',
			version: 'V4_3_6',
		},
		{
			clientId: '30.5.121.8@24900#-1999745829#-1737591554#453111174894700',
			clientAddr: '30.5.121.8',
			language: 'JAVA',
			version: 'V4_3_6',
		},
		{
			clientId: '10.0.0.12@3142#1266402811#-946306207#24781634862811',
			clientAddr: '10.0.0.12',
			language: 'CPP',
			version: 'V1_1_3',
		},
	],
	otherConsumer: {
		clientId: '192.168.1.5@777#1#2#3',
		clientAddr: '192.168.1.5',
		language: 'JAVA',
		version: 'V4_9_4',
	},
	messages: {
		testTopic: { msgId: '0BC1669963051B4B8F7A2A5A2C2E0001', topic: 'test_topic' },
		orders: { msgId: '0BC1669963051B4B8F7A2A5A2C2E0002', topic: 'orders' },
		otherTopic: { msgId: '0BC1669963051B4B8F7A2A5A2C2E0003', topic: 'other_topic' },
	},
} as const;

export interface CredentialData {
	accessKeyId: string;
	accessKeySecret: string;
	temporaryCredentials: boolean;
	securityToken: string;
	regionId: string;
	endpointType: 'public' | 'vpc' | 'custom';
	customEndpoint: string;
	signatureVersion: 'v2' | 'v3';
}

/** Credential data for the emulator at `endpoint` (key `testid`, V3), with overrides. */
export function emulatorCredentialData(
	endpoint: string,
	overrides: Partial<CredentialData> = {},
): CredentialData {
	return {
		...SEED.key,
		temporaryCredentials: false,
		securityToken: '',
		regionId: 'cn-hangzhou',
		endpointType: 'custom',
		customEndpoint: endpoint,
		signatureVersion: 'v3',
		...overrides,
	};
}

/** A credential for `n8n import:credentials`. */
export function emulatorCredential(
	endpoint: string,
	ref: { id: string; name: string } = EXAMPLE_CREDENTIAL,
	overrides: Partial<CredentialData> = {},
): { id: string; name: string; type: string; data: CredentialData } {
	return { ...ref, type: CREDENTIAL_TYPE, data: emulatorCredentialData(endpoint, overrides) };
}

/** A resource locator value in ID mode (`{ __rl, mode: 'id', value }`). */
export function locator(value: string): { __rl: true; mode: 'id'; value: string } {
	return { __rl: true, mode: 'id', value };
}

/** An ApsaraMQ node for `chainWorkflow` / `fanOutWorkflow`. */
export function apsaraMqNode(
	name: string,
	parameters: Record<string, unknown>,
	credential: { id: string; name: string },
	extra: Partial<NodeSpec> = {},
): NodeSpec {
	return {
		name,
		type: APSARAMQ_NODE_TYPE,
		typeVersion: 1,
		parameters: { options: {}, ...parameters },
		credentials: { [CREDENTIAL_TYPE]: credential },
		...extra,
	};
}

/** Read/Write Files from Disk, reading one file into the binary property `data`. */
export function readFileNode(name: string, file: string): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1.1,
		parameters: { operation: 'read', fileSelector: file, options: {} },
	};
}

/** Extract From File, CSV with a header row: one item per row. */
export function extractCsvNode(name: string): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.extractFromFile',
		typeVersion: 1.1,
		parameters: { operation: 'csv', binaryPropertyName: 'data', options: {} },
	};
}

// ---------------------------------------------------------------------------------------------
// The example workflows (examples/)

export const EXAMPLES = {
	webhook: {
		file: 'webhook-to-mqtt.json',
		id: 'apsaraMqWebhook1',
		webhookPath: 'apsaramq-demo',
		sendNode: 'Send MQTT Message',
	},
	spreadsheet: {
		file: 'spreadsheet-to-ons-push.json',
		id: 'apsaraMqOnsPush1',
		csv: 'ons-pushes.csv',
		readNode: 'Read CSV file',
		extractNode: 'Extract rows',
		pushNode: 'Push ONS Message',
	},
} as const;

export function examplesDir(): string {
	return path.join(repoRoot(), 'examples');
}

/** An example workflow as shipped (examples/<file>). */
export function loadExample(file: string): WorkflowFile {
	return JSON.parse(readFileSync(path.join(examplesDir(), file), 'utf8')) as WorkflowFile;
}

/**
 * The spreadsheet example with its Read/Write Files node pointed at `csvPath` (which must lie in a
 * folder of `N8N_RESTRICT_FILE_ACCESS_TO`).
 */
export function spreadsheetExample(csvPath: string): WorkflowFile {
	const workflow = loadExample(EXAMPLES.spreadsheet.file);
	const read = workflow.nodes.find((node) => node.name === EXAMPLES.spreadsheet.readNode);
	if (!read)
		throw new Error(`${EXAMPLES.spreadsheet.file} has no node "${EXAMPLES.spreadsheet.readNode}"`);
	read.parameters = { ...read.parameters, fileSelector: csvPath };
	return workflow;
}

/** Parses the small, unquoted CSV of examples/ons-pushes.csv into rows keyed by the header. */
export function readSimpleCsv(file: string): Array<Record<string, string>> {
	const [header, ...lines] = readFileSync(file, 'utf8')
		.split(/\r?\n/)
		.filter((line) => line !== '');
	const names = header.split(',');
	return lines.map((line) => {
		const cells = line.split(',');
		return Object.fromEntries(names.map((name, i) => [name, cells[i] ?? '']));
	});
}

/**
 * A fresh folder for files n8n may read: pass it as `N8N_RESTRICT_FILE_ACCESS_TO` (n8n 2.x reads
 * files only inside those folders, never inside its own `.n8n` folder). Real path, because n8n
 * compares resolved paths and refuses paths with a symlinked component.
 */
export function makeFilesDir(prefix = 'apsaramq-files-'): string {
	return realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** Copies `examples/ons-pushes.csv` into `dir`; returns the copy's path. */
export function placeExampleCsv(dir: string): string {
	const target = path.join(dir, EXAMPLES.spreadsheet.csv);
	copyFileSync(path.join(examplesDir(), EXAMPLES.spreadsheet.csv), target);
	return target;
}

// ---------------------------------------------------------------------------------------------
// Run data

export interface OutputItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
	error?: unknown;
}

/** The items (json + pairedItem) of one output of a node's first run. */
export function outputItems(
	result: ExecutionResult | undefined,
	nodeName: string,
	output = 0,
): OutputItem[] {
	const run = result?.data.resultData.runData[nodeName]?.[0];
	return (run?.data?.main?.[output] ?? []) as OutputItem[];
}

/** `pairedItem.item` of each item (n8n stores `{ item }` or `[{ item }]`). */
export function pairedIndexes(items: OutputItem[]): Array<number | undefined> {
	return items.map((item) => {
		const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
		return (paired as { item?: number } | undefined)?.item;
	});
}

// ---------------------------------------------------------------------------------------------
// REST

/** A REST call that returns the status and parsed body instead of throwing on an error status. */
export async function restRaw(
	session: RestSession,
	url: string,
	method: string,
	restPath: string,
	body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await fetch(`${url}${restPath}`, {
		method,
		headers: {
			cookie: session.cookie,
			'browser-id': session.browserId,
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let parsed: Record<string, unknown>;
	try {
		parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
	} catch {
		parsed = { text };
	}
	return { status: response.status, body: parsed };
}

// ---------------------------------------------------------------------------------------------
// MQTT

export interface ReceivedMessage {
	topic: string;
	payload: Buffer;
}

export interface MqttRecorder {
	client: MqttClient;
	messages: ReceivedMessage[];
	/** The messages received on `topic`. */
	on(topic: string): ReceivedMessage[];
	/** Resolves once `predicate(messages)` holds; rejects after `timeoutMs` (default 10 s). */
	waitUntil(
		predicate: (messages: ReceivedMessage[]) => boolean,
		timeoutMs?: number,
	): Promise<ReceivedMessage[]>;
	/** Resolves once `count` messages arrived in all. */
	waitForCount(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
	close(): Promise<void>;
}

/** An mqtt.js client subscribed (QoS 1) to `topics` on the broker at `url`, recording every message. */
export async function subscribeMqtt(url: string, topics: string | string[]): Promise<MqttRecorder> {
	const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000 });
	await client.subscribeAsync(topics, { qos: 1 });
	const messages: ReceivedMessage[] = [];
	const listeners = new Set<() => void>();
	client.on('message', (topic, payload) => {
		messages.push({ topic, payload: Buffer.from(payload) });
		for (const listener of listeners) listener();
	});
	const waitUntil = async (
		predicate: (received: ReceivedMessage[]) => boolean,
		timeoutMs = 10_000,
	): Promise<ReceivedMessage[]> =>
		await new Promise((resolve, reject) => {
			const check = () => {
				if (!predicate(messages)) return;
				clearTimeout(timer);
				listeners.delete(check);
				resolve(messages.slice());
			};
			const timer = setTimeout(() => {
				listeners.delete(check);
				reject(
					new Error(`MQTT: condition not met after ${timeoutMs} ms (${messages.length} messages)`),
				);
			}, timeoutMs);
			listeners.add(check);
			check();
		});
	return {
		client,
		messages,
		on: (topic) => messages.filter((message) => message.topic === topic),
		waitUntil,
		waitForCount: async (count, timeoutMs) =>
			await waitUntil((received) => received.length >= count, timeoutMs),
		close: async () => {
			listeners.clear();
			await client.endAsync(true);
		},
	};
}
