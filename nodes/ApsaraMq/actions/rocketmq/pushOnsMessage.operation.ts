import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { answerText } from '../../transport/answer';
import { ONS_MESSAGE_PUSH } from '../../transport/apis';
import { resourceId } from '../../validation/fields';
import { fieldLabels, parseFields } from '../../validation/parse';
import { callOptionsDescription } from '../callOptions';
import type { Operation, PreparedCall } from '../operation';
import { retryFields } from '../operation';
import { onsGroupLocator, onsInstanceLocator } from './onsLocators';
import { resourceLocator } from '../resourceLocator';

// https://www.alibabacloud.com/help/en/apsaramq-for-rocketmq/api-onsmessagepush (ons 2019-02-14)

const properties: INodeProperties[] = [
	{
		displayName:
			'Push ONS Message sends a copy of a stored message, as a new message with a new ID, to one consumer: it is meant for checking that consumers handle a message. Alibaba Cloud allows about 10 calls per second per account, so it is not a channel for bulk sending.',
		name: 'pushOnsMessageNotice',
		type: 'notice',
		default: '',
	},
	onsInstanceLocator,
	resourceLocator({
		displayName: 'Topic',
		name: 'topic',
		description: 'The topic that holds the message, e.g. test-mq_topic',
		example: 'test-mq_topic',
		searchListMethod: 'searchOnsTopics',
		dependsOn: ['instanceId.value'],
	}),
	onsGroupLocator,
	resourceLocator({
		displayName: 'Client ID',
		name: 'clientId',
		description:
			'The consumer instance that receives the message; only consumers online now can receive it. Example: 30.5.121.10@24813#-1999745829#-1737591554#453111174894656.',
		example: '30.5.121.10@24813#-1999745829#-1737591554#453111174894656',
		searchListMethod: 'searchOnsClients',
		dependsOn: ['instanceId.value', 'groupId.value'],
	}),
	{
		displayName: 'Message ID',
		name: 'msgId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 0BC1669963053CF68F733BB70396****',
		description:
			'The ID of the stored message to push again (from the console message query or the producer). Example: 0BC1669963053CF68F733BB703960001.',
	},
	callOptionsDescription(ONS_MESSAGE_PUSH, { sends: true }),
];

const paramsSchema = z.object({
	instanceId: resourceId,
	topic: resourceId,
	groupId: resourceId,
	clientId: resourceId,
	msgId: resourceId,
});

const LABELS = fieldLabels(properties);

async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedCall> {
	const input = parseFields(this, itemIndex, paramsSchema, LABELS);
	return {
		params: {
			InstanceId: input.instanceId,
			Topic: input.topic,
			GroupId: input.groupId,
			ClientId: input.clientId,
			MsgId: input.msgId,
		},
		toOutput: (result) => [
			{
				requestId: answerText(result.body.RequestId),
				instanceId: input.instanceId,
				topic: input.topic,
				groupId: input.groupId,
				clientId: input.clientId,
				msgId: input.msgId,
				...retryFields(result),
			},
		],
	};
}

export const pushOnsMessage: Operation = {
	value: 'pushOnsMessage',
	name: 'Push ONS Message',
	action: 'Push an ONS message',
	description: 'Push a stored RocketMQ (ONS) message again, as a new message, to one consumer',
	target: 'topic',
	api: ONS_MESSAGE_PUSH,
	properties,
	prepare,
};
