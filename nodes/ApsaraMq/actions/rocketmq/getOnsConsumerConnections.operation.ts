import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { answerList, answerText } from '../../transport/answer';
import { ONS_CONSUMER_GET_CONNECTION } from '../../transport/apis';
import { toNodeApiError } from '../../transport/errors';
import { resourceId } from '../../validation/fields';
import { fieldLabels, parseFields } from '../../validation/parse';
import { callOptionsDescription } from '../callOptions';
import type { Operation, PreparedCall } from '../operation';
import { onsGroupLocator, onsInstanceLocator } from './onsLocators';

// https://www.alibabacloud.com/help/en/apsaramq-for-rocketmq/api-onsconsumergetconnection (ons 2019-02-14)

const properties: INodeProperties[] = [
	onsInstanceLocator,
	onsGroupLocator,
	callOptionsDescription(ONS_CONSUMER_GET_CONNECTION, { sends: false }),
];

const paramsSchema = z.object({ instanceId: resourceId, groupId: resourceId });
const LABELS = fieldLabels(properties);

async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedCall> {
	const input = parseFields(this, itemIndex, paramsSchema, LABELS);
	return {
		params: { InstanceId: input.instanceId, GroupId: input.groupId },
		// One item per online consumer, each paired with the input item that asked. No consumer
		// online fails the item, as the API itself does, so that no input item vanishes.
		toOutput: (result) => {
			const online = answerList(result.body, 'Data', 'ConnectionList', 'ConnectionDo');
			if (online.length === 0) {
				throw toNodeApiError(
					this.getNode(),
					ONS_CONSUMER_GET_CONNECTION,
					{
						code: 'BIZ_CONSUMER_NOT_ONLINE',
						message: `No consumer of group ${input.groupId} is online`,
						requestId: answerText(result.body.RequestId),
					},
					itemIndex,
				);
			}
			return online.map((connection) => ({
				clientId: answerText(connection.ClientId),
				clientAddr: answerText(connection.ClientAddr),
				language: answerText(connection.Language),
				version: answerText(connection.Version),
				instanceId: input.instanceId,
				groupId: input.groupId,
			}));
		},
	};
}

export const getOnsConsumerConnections: Operation = {
	value: 'getOnsConsumerConnections',
	name: 'Get ONS Consumer Connections',
	action: 'Get ONS consumer connections',
	description: 'List the consumers of a RocketMQ (ONS) group that are online now',
	target: 'groupId',
	api: ONS_CONSUMER_GET_CONNECTION,
	properties,
	prepare,
};
