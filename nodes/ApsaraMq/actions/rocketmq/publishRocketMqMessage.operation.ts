import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { answerText } from '../../transport/answer';
import { MQ_HTTP_PUBLISH } from '../../transport/apis';
import { defaultClock } from '../../transport/clock';
import type { PublishInput, PublishResult } from '../../transport/mqHttp/publish';
import { publishRocketMq } from '../../transport/mqHttp/publish';
import type { CheckedPublishResult } from '../../transport/mqHttp/publishUnlessStored';
import { publishUnlessStored } from '../../transport/mqHttp/publishUnlessStored';
import { resourceId } from '../../validation/fields';
import { fieldLabels, invalidParameter, parseFields, parseOrThrow } from '../../validation/parse';
import {
	bodySizeProblem,
	deliveryTime,
	messageKey,
	rocketMqBody,
	rocketMqTag,
	rocketMqTopic,
	shardingKey,
	userProperties,
} from '../../validation/rocketMqFields';
import { callOptionsDescription } from '../callOptions';
import type { Operation, PreparedCall } from '../operation';
import { retryFields } from '../operation';
import { readPayload } from '../payload';
import { payloadFields } from '../payloadFields';
import { resourceLocator } from '../resourceLocator';
import { onsInstanceLocator } from './onsLocators';

// RocketMQ 4.x HTTP protocol, PublishMessage: docs/mq-http-protocol.md

const PUBLISH_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Deliver At',
		name: 'deliverAt',
		type: 'dateTime',
		default: '',
		description:
			'Timed delivery: the message reaches consumers at this time, at most 40 days ahead (HTTP consumers only see timers under 3 days). An expression may also give a number of seconds from now, e.g. {{ 300 }}. Timed messages carry at most 64 KB.',
	},
	{
		displayName: 'HTTP Endpoint',
		name: 'httpEndpoint',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://1234567890123456.mqrest.cn-hangzhou.aliyuncs.com',
		description:
			"The instance's HTTP endpoint, when it should not be looked up (OnsInstanceBaseInfo) or the credential's custom endpoint used. Example: https://1234567890123456.mqrest.cn-hangzhou.aliyuncs.com.",
	},
	{
		displayName: 'Message Key',
		name: 'messageKey',
		type: 'string',
		default: '',
		placeholder: 'e.g. order-10042',
		description: 'The message key (KEYS) consumers can de-duplicate on and the console can search. Empty: a key derived from the execution, the node and the item; n8n\'s Retry and a new webhook call are new executions with new keys, so give a key from the input (e.g. an order number) to re-run an input safely. No spaces or \' " & &lt; &gt; | :. Example: order-10042.',
	},
	{
		displayName: 'Properties',
		name: 'properties',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add property',
		description: 'User properties of the message, at most 16 KB in all; no \' " & &lt; &gt; | : in names or values',
		options: [
			{
				displayName: 'Property',
				name: 'property',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. source' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: 'e.g. n8n' },
				],
			},
		],
	},
	{
		displayName: 'Skip Keys Already Stored',
		name: 'skipKeysAlreadyStored',
		type: 'boolean',
		default: false,
		description:
			"Whether to look each item's message key up first (OnsMessageGetByKey, 8 per second) and publish only when no message with that key is stored in the topic. For re-running an input whose first run stopped midway (a crashed worker): nothing is stored twice, and each item's alreadyStored says which keys were there. Needs a Message Key from the input, since the default key changes with every execution.",
	},
	{
		displayName: 'Sharding Key',
		name: 'shardingKey',
		type: 'string',
		default: '',
		placeholder: 'e.g. customer-42',
		description:
			'For ordered topics: messages with the same sharding key reach consumers in the order they were published. Example: the customer ID.',
	},
];

function optionsDescription(): INodeProperties {
	const base = callOptionsDescription(MQ_HTTP_PUBLISH, { sends: true });
	const options = [...PUBLISH_OPTIONS, ...((base.options as INodeProperties[]) ?? [])].sort((a, b) =>
		a.displayName.localeCompare(b.displayName),
	);
	return { ...base, options };
}

const properties: INodeProperties[] = [
	{
		displayName:
			'Publishes a new message to a RocketMQ 4.x topic over the instance\'s HTTP protocol. Every message carries a message key; when the outcome of a publish is unknown, the node looks the key up (OnsMessageGetByKey) instead of publishing twice.',
		name: 'publishRocketMqMessageNotice',
		type: 'notice',
		default: '',
	},
	onsInstanceLocator,
	resourceLocator({
		displayName: 'Topic',
		name: 'topic',
		description: 'The topic to publish to, e.g. test-mq_topic',
		example: 'test-mq_topic',
		searchListMethod: 'searchOnsTopics',
		dependsOn: ['instanceId.value'],
	}),
	...payloadFields({
		binaryOption:
			'Send a binary property of the item (a file), Base64-encoded, because the protocol carries text only. Files up to 3 MB fit in 4 MB once encoded (48 KB in 64 KB for timed messages).',
		payloadPlaceholder: 'e.g. {"orderId": 10042}',
		payload: 'The message body, sent exactly as written (UTF-8, at most 4 MB; 64 KB for timed messages)',
		jsonPayload:
			'The JSON value to send, serialized compactly. The default sends the whole input item. Example: {"orderId": 10042, "paid": true}.',
	}),
	{
		displayName: 'Tag',
		name: 'tag',
		type: 'string',
		default: '',
		placeholder: 'e.g. TagA',
		description:
			'One tag consumers can filter on; empty for none. No spaces, * or || (which separates tags when consuming). Example: TagA.',
	},
	optionsDescription(),
];

const LABELS = fieldLabels([...properties, ...PUBLISH_OPTIONS]);

const paramsSchema = z.object({
	instanceId: resourceId,
	topic: rocketMqTopic,
	payload: rocketMqBody,
	tag: rocketMqTag,
});

const optionsSchema = z.object({
	messageKey: messageKey.optional(),
	properties: userProperties,
	shardingKey: shardingKey.optional(),
	httpEndpoint: z.string({ invalid_type_error: 'must be text' }).trim().optional(),
	skipKeysAlreadyStored: z.boolean({ invalid_type_error: 'must be true or false' }),
});

/** The run of this node within the execution: it tells the loop runs of one node apart. */
function runIndexOf(context: IExecuteFunctions, itemIndex: number): number {
	const runIndex: unknown = context.getWorkflowDataProxy(itemIndex).$runIndex;
	return typeof runIndex === 'number' ? runIndex : 0;
}

/**
 * The default message key (docs/mq-http-protocol.md#duplicate-rules): the same when n8n runs this
 * execution again, different for every node, loop run and item.
 */
export function defaultMessageKey(context: IExecuteFunctions, itemIndex: number): string {
	const node = context.getNode();
	const nodeId = (node.id || node.name).replace(/[^A-Za-z0-9_-]/g, '');
	const executionId = String(context.getExecutionId() ?? 'manual').replace(/[^A-Za-z0-9_-]/g, '');
	return `n8n-${executionId}-${nodeId}-${runIndexOf(context, itemIndex)}-${itemIndex}`;
}

function emptyToUndefined(value: unknown): unknown {
	return value === '' || value === null ? undefined : value;
}

async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedCall> {
	const { value, label } = await readPayload(this, itemIndex, LABELS);
	const input = parseFields(this, itemIndex, paramsSchema, { ...LABELS, payload: label }, { payload: value });
	const raw = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const options = parseOrThrow(
		this,
		optionsSchema,
		{
			messageKey: emptyToUndefined(raw.messageKey),
			properties: (raw.properties as IDataObject | undefined)?.property ?? [],
			shardingKey: emptyToUndefined(raw.shardingKey),
			httpEndpoint: emptyToUndefined(raw.httpEndpoint),
			skipKeysAlreadyStored: raw.skipKeysAlreadyStored ?? false,
		},
		LABELS,
		itemIndex,
	);
	const delivery = deliveryTime(raw.deliverAt, defaultClock().now());
	if (delivery.problem) invalidParameter(this, itemIndex, `"${LABELS.deliverAt}" ${delivery.problem}`);
	const sizeProblem = bodySizeProblem(input.payload, delivery.at !== undefined);
	if (sizeProblem) invalidParameter(this, itemIndex, `"${label}" ${sizeProblem}`);

	const publish: PublishInput = {
		instanceId: input.instanceId,
		topic: input.topic,
		body: input.payload,
		tag: input.tag,
		messageKey: options.messageKey ?? defaultMessageKey(this, itemIndex),
		properties: options.properties,
		deliverAtMs: delivery.at,
		shardingKey: options.shardingKey,
		httpEndpoint: options.httpEndpoint || undefined,
	};
	return {
		params: {},
		// One sharding key's messages reach the broker in input order (docs/mq-http-protocol.md#ordered-delivery).
		orderKey: publish.shardingKey,
		send: async (client, policy, index) =>
			options.skipKeysAlreadyStored
				? await publishUnlessStored(this, client, publish, policy, index)
				: await publishRocketMq(this, client, publish, policy, index),
		toOutput: (result) => [
			{
				messageId: answerText(result.body.MessageId),
				messageBodyMd5: answerText(result.body.MessageBodyMD5),
				messageKey: publish.messageKey,
				requestId: answerText(result.body.RequestId),
				instanceId: publish.instanceId,
				topic: publish.topic,
				tag: publish.tag,
				...retryFields(result),
				...((result as PublishResult).confirmedBy ? { confirmedBy: 'lookup' } : {}),
				...(options.skipKeysAlreadyStored
					? { alreadyStored: (result as CheckedPublishResult).alreadyStored }
					: {}),
			},
		],
	};
}

export const publishRocketMqMessage: Operation = {
	value: 'publishRocketMqMessage',
	name: 'Publish RocketMQ Message',
	action: 'Publish a RocketMQ message',
	description: 'Publish a new message to a RocketMQ 4.x topic over the HTTP protocol',
	target: 'topic',
	api: MQ_HTTP_PUBLISH,
	properties,
	prepare,
};
