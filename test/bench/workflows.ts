/**
 * The benchmark's workflows: Manual Trigger → Code node (the items, generated inside n8n so that
 * n8n's own item handling is measured) → the node under test.
 */
import {
	chainWorkflow,
	codeNode,
	manualTrigger,
	stableUuid,
	type NodeSpec,
	type WorkflowFile,
} from '../e2e/harness';

export const NODE_TYPE = 'n8n-nodes-apsaramq.apsaraMq';
export const CREDENTIAL_TYPE = 'alibabaCloudAccessKeyApi';
export const CREDENTIAL = { id: 'benchAlibabaCred1', name: 'Bench emulator (V3)' };

export const MQTT_INSTANCE = 'post-cn-0pp12gl0001';
export const MQTT_TOPIC = 'TopicA/bench';
export const ONS_INSTANCE = 'MQ_INST_111111111111_DOxxxxxx';
export const ONS_TOPIC = 'test_topic';
export const ONS_GROUP = 'GID_test_group_id';
export const ONS_CLIENT = '30.5.121.7@24813#-1999745829#-1737591554#453111174894656';
export const ONS_MSG_ID = '0BC1669963051B4B8F7A2A5A2C2E0001';

/** Name of the node under test in every workflow (its run data is read by this name). */
export const UNDER_TEST = 'Under Test';
export const ITEMS_NODE = 'Items';

/** The JSON of item i, the same in the Code node and in the SDK script (about 80 bytes). */
export const ITEM_EXPRESSION =
	"({ i, deviceId: 'device-' + (i % 100), temperature: 20 + (i % 50) / 10, ts: 1700000000000 + i })";

export function itemJson(i: number): Record<string, unknown> {
	return {
		i,
		deviceId: `device-${i % 100}`,
		temperature: 20 + (i % 50) / 10,
		ts: 1700000000000 + i,
	};
}

function items(count: number): NodeSpec {
	return codeNode(
		ITEMS_NODE,
		`return Array.from({ length: ${count} }, (_, i) => ({ json: ${ITEM_EXPRESSION} }));`,
	);
}

export function emulatorCredential(emulatorUrl: string) {
	return {
		...CREDENTIAL,
		type: CREDENTIAL_TYPE,
		data: {
			accessKeyId: 'testid',
			accessKeySecret: 'testsecret',
			temporaryCredentials: false,
			regionId: 'cn-hangzhou',
			endpointType: 'custom',
			customEndpoint: emulatorUrl,
			signatureVersion: 'v3',
		},
	};
}

export interface CallOptions {
	maxConcurrentRequests?: number;
	maxRequestsPerSecond?: number;
	maxRetries?: number;
	timeout?: number;
}

/** A fixed payload of the same size as an item's JSON, for runs without any expression. */
export const LITERAL_PAYLOAD = JSON.stringify(itemJson(12345));

/**
 * Send MQTT Message: each item's JSON as the payload (the JSON payload's default `{{ $json }}`).
 * Diagnostic variants: `literalPayload` sends a fixed text (no expression to evaluate);
 * `continueOnFail` sets "On Error: Continue", under which the node skips its checking pass.
 */
export function sendWorkflow(
	id: string,
	count: number,
	options: CallOptions = {},
	variant: { literalPayload?: boolean; continueOnFail?: boolean } = {},
): WorkflowFile {
	const payload = variant.literalPayload
		? { payloadType: 'text', payload: LITERAL_PAYLOAD }
		: { payloadType: 'json', jsonPayload: '={{ $json }}' };
	return chainWorkflow(id, [
		manualTrigger(),
		items(count),
		{
			name: UNDER_TEST,
			type: NODE_TYPE,
			typeVersion: 1,
			parameters: {
				operation: 'sendMqttMessage',
				instanceId: { __rl: true, mode: 'id', value: MQTT_INSTANCE },
				mqttTopic: MQTT_TOPIC,
				...payload,
				options,
			},
			credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
			...(variant.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		},
	]);
}

/** Push ONS Message: the seeded stored message to an online consumer, once per item. */
export function pushWorkflow(id: string, count: number, options: CallOptions = {}): WorkflowFile {
	return chainWorkflow(id, [
		manualTrigger(),
		items(count),
		{
			name: UNDER_TEST,
			type: NODE_TYPE,
			typeVersion: 1,
			parameters: {
				operation: 'pushOnsMessage',
				instanceId: { __rl: true, mode: 'id', value: ONS_INSTANCE },
				topic: { __rl: true, mode: 'id', value: ONS_TOPIC },
				groupId: { __rl: true, mode: 'id', value: ONS_GROUP },
				clientId: { __rl: true, mode: 'id', value: ONS_CLIENT },
				msgId: ONS_MSG_ID,
				options,
			},
			credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
		},
	]);
}

/**
 * n8n's HTTP Request node (4.5, the default version): each item's JSON POSTed unsigned to `url`
 * (`literalBody`: a fixed body of the same size, no expression).
 */
export function httpRequestWorkflow(
	id: string,
	count: number,
	url: string,
	literalBody = false,
): WorkflowFile {
	return chainWorkflow(id, [
		manualTrigger(),
		items(count),
		{
			name: UNDER_TEST,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.5,
			parameters: {
				method: 'POST',
				url,
				sendBody: true,
				contentType: 'json',
				specifyBody: 'json',
				jsonBody: literalBody ? LITERAL_PAYLOAD : '={{ $json }}',
				options: {},
			},
		},
	]);
}

/** The same workflow with a No Op node in place of the node under test. */
export function noOpWorkflow(id: string, count: number): WorkflowFile {
	return chainWorkflow(id, [
		manualTrigger(),
		items(count),
		{ name: UNDER_TEST, type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
	]);
}

/** Edit Fields (Set) with one expression per item (the item's JSON as text): n8n's expression cost alone. */
export function setWorkflow(id: string, count: number): WorkflowFile {
	return chainWorkflow(id, [
		manualTrigger(),
		items(count),
		{
			name: UNDER_TEST,
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: {
				mode: 'manual',
				assignments: {
					assignments: [
						{
							id: stableUuid(`${id}/payload`),
							name: 'payload',
							value: '={{ JSON.stringify($json) }}',
							type: 'string',
						},
					],
				},
				options: {},
			},
		},
	]);
}
