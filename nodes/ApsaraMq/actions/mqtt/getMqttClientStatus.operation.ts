import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { answerList, answerText } from '../../transport/answer';
import {
	BATCH_QUERY_SESSION_BY_CLIENT_IDS,
	QUERY_SESSION_BY_CLIENT_ID,
} from '../../transport/apis';
import { resourceId } from '../../validation/fields';
import { fieldLabels, parseFields } from '../../validation/parse';
import type { ItemGrouping, Operation, PreparedCall } from '../operation';
import { retryFields } from '../operation';
import { accessOptions, mqttInstanceLocator } from './mqttAccessShared';

// https://www.alibabacloud.com/help/en/apsaramq-for-mqtt/api-querysessionbyclientid and
// https://www.alibabacloud.com/help/en/apsaramq-for-mqtt/api-batchquerysessionbyclientids,
// docs/mqtt-access.md#client-status

/** BatchQuerySessionByClientIds takes at most 10 client IDs. */
const CLIENT_IDS_PER_CALL = 10;

const properties: INodeProperties[] = [
	{
		displayName:
			'With several input items, the node asks for up to 10 clients in one call (BatchQuerySessionByClientIds, 100 calls per second per account) and still gives one output item per input item.',
		name: 'getMqttClientStatusNotice',
		type: 'notice',
		default: '',
	},
	mqttInstanceLocator,
	{
		displayName: 'Client ID',
		name: 'clientId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. GID_devices@@@sensor-42',
		description: 'The MQTT client ID whose connection to check. Example: GID_devices@@@sensor-42.',
	},
	// The options describe the pace of the batch API, which carries every run of more than one item.
	accessOptions(BATCH_QUERY_SESSION_BY_CLIENT_IDS, { connect: false }),
];

const paramsSchema = z.object({ instanceId: resourceId, clientId: resourceId });
const LABELS = fieldLabels(properties);

function statusItem(
	clientId: string,
	instanceId: string,
	online: boolean,
	result: { body: IDataObject },
): IDataObject {
	return { clientId, instanceId, online, requestId: answerText(result.body.RequestId) };
}

async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedCall> {
	const input = parseFields(this, itemIndex, paramsSchema, LABELS);
	return {
		params: { InstanceId: input.instanceId, ClientId: input.clientId },
		toOutput: (result) => [
			{
				...statusItem(input.clientId, input.instanceId, result.body.OnlineStatus === true, result),
				...retryFields(result),
			},
		],
	};
}

const grouping: ItemGrouping = {
	api: BATCH_QUERY_SESSION_BY_CLIENT_IDS,
	size: CLIENT_IDS_PER_CALL,
	key: (call) => call.params.InstanceId,
	params: (calls) => ({
		InstanceId: calls[0].params.InstanceId,
		...Object.fromEntries(calls.map((call, i) => [`ClientIdList.${i + 1}`, call.params.ClientId])),
	}),
	// Matched by client ID, not by position: the answer's order is not documented. A client ID
	// asked twice in one group gets the same answer twice.
	split: (result, calls) => {
		const online = new Map(
			answerList(result.body, 'OnlineStatusList').map((entry) => [
				answerText(entry.ClientId),
				entry.OnlineStatus === true,
			]),
		);
		return calls.map((call) => {
			const { ClientId: clientId, InstanceId: instanceId } = call.params;
			if (!online.has(clientId)) {
				throw new Error(`The answer has no status for ${clientId}`);
			}
			return [statusItem(clientId, instanceId, online.get(clientId) === true, result)];
		});
	},
};

export const getMqttClientStatus: Operation = {
	value: 'getMqttClientStatus',
	name: 'Get MQTT Client Status',
	action: 'Get the status of an MQTT client',
	description: 'Tell whether an MQTT client is connected now',
	target: 'clientId',
	api: QUERY_SESSION_BY_CLIENT_ID,
	properties,
	prepare,
	grouping,
};
