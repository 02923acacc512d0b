import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { answerText } from '../../transport/answer';
import { REVOKE_TOKEN } from '../../transport/apis';
import { resourceId } from '../../validation/fields';
import { fieldLabels, parseFields } from '../../validation/parse';
import type { Operation, PreparedCall } from '../operation';
import { retryFields } from '../operation';
import { accessOptions, mqttInstanceLocator } from './mqttAccessShared';

// https://www.alibabacloud.com/help/en/apsaramq-for-mqtt/api-revoketoken (onsmqtt 2020-04-20)

const properties: INodeProperties[] = [
	{
		displayName:
			'A revoked token stops working at once: clients that connected with it are refused. Alibaba Cloud allows only 5 revocations per second per account; the node paces itself under it.',
		name: 'revokeMqttTokenNotice',
		type: 'notice',
		default: '',
	},
	mqttInstanceLocator,
	{
		displayName: 'Token',
		name: 'token',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		placeholder: 'e.g. the token field of the Apply MQTT Token output',
		description:
			'The token to revoke, as Apply MQTT Token returned it in its token field (usually an expression that reads it)',
	},
	accessOptions(REVOKE_TOKEN, { connect: false }),
];

const paramsSchema = z.object({ instanceId: resourceId, token: resourceId });
const LABELS = fieldLabels(properties);

async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedCall> {
	const input = parseFields(this, itemIndex, paramsSchema, LABELS);
	return {
		params: { InstanceId: input.instanceId, Token: input.token },
		// The token is left out of the output: it is a credential, and the item is paired with its input.
		toOutput: (result) => [
			{
				revoked: true,
				requestId: answerText(result.body.RequestId),
				instanceId: input.instanceId,
				...retryFields(result),
			},
		],
	};
}

export const revokeMqttToken: Operation = {
	value: 'revokeMqttToken',
	name: 'Revoke MQTT Token',
	action: 'Revoke an MQTT token',
	description: 'Make an MQTT token stop working before it expires',
	target: 'instanceId',
	api: REVOKE_TOKEN,
	properties,
	prepare,
};
