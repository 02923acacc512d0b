import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { answerText } from '../../transport/answer';
import { APPLY_TOKEN } from '../../transport/apis';
import { defaultClock } from '../../transport/clock';
import { resourceId } from '../../validation/fields';
import {
	MAX_TOKEN_RESOURCES,
	mqttClientId,
	tokenActions,
	tokenExpiry,
	tokenResources,
	tokenType,
} from '../../validation/mqttAccessFields';
import { fieldLabels, parseFields } from '../../validation/parse';
import type { Operation, PreparedCall } from '../operation';
import { retryFields } from '../operation';
import { accessOptions, mqttInstanceLocator } from './mqttAccessShared';
import { readConnectSettings, tokenConnect } from './mqttConnect';

// https://www.alibabacloud.com/help/en/apsaramq-for-mqtt/api-applytoken (onsmqtt 2020-04-20),
// docs/mqtt-access.md#applytoken

const properties: INodeProperties[] = [
	{
		displayName:
			'The token server pattern: an app asks this workflow for a token and connects with the connect output, so the AccessKey never leaves n8n. Alibaba Cloud allows 100 tokens per second per account.',
		name: 'applyMqttTokenNotice',
		type: 'notice',
		default: '',
	},
	mqttInstanceLocator,
	{
		displayName: 'Topics',
		name: 'resources',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		placeholder: 'e.g. TopicA/devices/42/#',
		description: `The topics the token allows, one per line or comma-separated (or a list from an expression), at most ${MAX_TOKEN_RESOURCES}. MQTT wildcards + and # may be used below the parent topic. Example: TopicA/devices/42/#.`,
	},
	{
		displayName: 'Actions',
		name: 'actions',
		type: 'options',
		default: 'R',
		description: 'What a client holding the token may do on those topics',
		options: [
			{ name: 'Publish (W)', value: 'W', description: 'Publish only' },
			{ name: 'Subscribe (R)', value: 'R', description: 'Subscribe only' },
			{ name: 'Subscribe and Publish (R,W)', value: 'R,W', description: 'Both' },
		],
	},
	{
		displayName: 'Expire Time',
		name: 'expireTime',
		type: 'string',
		default: '1h',
		required: true,
		placeholder: 'e.g. 1h',
		description:
			'When the token expires: a duration from now (30m, 1h, 7d, 3600 for seconds, or ISO PT1H) or a date-time (2026-12-31T23:00:00Z). Between 60 seconds and 30 days. Example: 1h.',
	},
	{
		displayName: 'Client ID',
		name: 'clientId',
		type: 'string',
		default: '',
		placeholder: 'e.g. GID_app@@@user-42',
		description:
			'Optional: the client ID the app will connect with, put into the connect output. The token itself is not bound to a client ID. Example: GID_app@@@user-42.',
	},
	accessOptions(APPLY_TOKEN, { connect: true }),
];

const LABELS = fieldLabels(properties);

function paramsSchema(now: number) {
	return z.object({
		instanceId: resourceId,
		resources: tokenResources,
		actions: tokenActions,
		expireTime: tokenExpiry(now),
		clientId: z.preprocess((value) => (value === '' ? undefined : value), mqttClientId.optional()),
	});
}

async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedCall> {
	const input = parseFields(this, itemIndex, paramsSchema(defaultClock().now()), LABELS);
	const settings = await readConnectSettings(this, itemIndex, input.instanceId);
	return {
		params: {
			InstanceId: input.instanceId,
			Resources: input.resources.join(','),
			Actions: input.actions,
			ExpireTime: String(input.expireTime),
		},
		toOutput: (result) => {
			const token = answerText(result.body.Token) ?? '';
			return [
				{
					token,
					requestId: answerText(result.body.RequestId),
					instanceId: input.instanceId,
					resources: input.resources,
					actions: input.actions,
					expireTime: new Date(input.expireTime).toISOString(),
					connect: tokenConnect(settings, {
						clientId: input.clientId,
						type: tokenType(input.actions),
						token,
					}),
					...retryFields(result),
				},
			];
		},
	};
}

export const applyMqttToken: Operation = {
	value: 'applyMqttToken',
	name: 'Apply MQTT Token',
	action: 'Apply an MQTT token',
	description: 'Create a short-lived token that lets an app or device use some MQTT topics',
	target: 'resources',
	api: APPLY_TOKEN,
	properties,
	prepare,
};
