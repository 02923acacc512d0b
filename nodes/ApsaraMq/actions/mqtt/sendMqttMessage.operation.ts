import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { answerText } from '../../transport/answer';
import { SEND_MESSAGE } from '../../transport/apis';
import { MAX_PAYLOAD_BYTES, mqttTopic, payload, resourceId } from '../../validation/fields';
import { fieldLabels, parseFields } from '../../validation/parse';
import { callOptionsDescription } from '../callOptions';
import type { Operation, PreparedCall } from '../operation';
import { retryFields } from '../operation';
import { readPayload } from '../payload';
import { payloadFields } from '../payloadFields';
import { resourceLocator } from '../resourceLocator';

// https://www.alibabacloud.com/help/en/apsaramq-for-mqtt/api-sendmessage (onsmqtt 2020-04-20)

const properties: INodeProperties[] = [
	{
		displayName:
			'Each call publishes one MQTT message of at most 64 KB. Alibaba Cloud allows 300 calls per second from one IP address and blocks the address beyond that; the node paces itself under it.',
		name: 'sendMqttMessageNotice',
		type: 'notice',
		default: '',
	},
	resourceLocator({
		displayName: 'Instance',
		name: 'instanceId',
		description: 'The ApsaraMQ for MQTT instance to publish through, e.g. post-cn-0pp12gl0001',
		example: 'post-cn-0pp12gl0001',
		searchListMethod: 'searchMqttInstances',
	}),
	{
		displayName: 'MQTT Topic',
		name: 'mqttTopic',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. TopicA/devices/42',
		description:
			'The full topic to publish to: a parent topic created in the console, optionally followed by subtopics separated by /. No wildcards (+, #). Example: TopicA/devices/42.',
	},
	...payloadFields({
		binaryOption:
			'Send a binary property of the item (a file), Base64-encoded, because the API carries text only. Files up to 48 KB fit in 64 KB once encoded.',
		payloadPlaceholder: 'e.g. {"temperature": 21.5}',
		payload: `The message text, sent exactly as written (UTF-8, at most ${MAX_PAYLOAD_BYTES} bytes). Example: temperature=21.5.`,
		jsonPayload:
			'The JSON value to send, serialized compactly. The default sends the whole input item. Example: {"deviceId": 42, "on": true}.',
	}),
	callOptionsDescription(SEND_MESSAGE, { sends: true }),
];

const paramsSchema = z.object({
	instanceId: resourceId,
	mqttTopic,
	payload,
});

const LABELS = fieldLabels(properties);

async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedCall> {
	const { value, label } = await readPayload(this, itemIndex, LABELS);
	const input = parseFields(this, itemIndex, paramsSchema, { ...LABELS, payload: label }, {
		payload: value,
	});
	return {
		params: { InstanceId: input.instanceId, MqttTopic: input.mqttTopic, Payload: input.payload },
		toOutput: (result) => [
			{
				msgId: answerText(result.body.MsgId),
				requestId: answerText(result.body.RequestId),
				instanceId: input.instanceId,
				mqttTopic: input.mqttTopic,
				...retryFields(result),
			},
		],
	};
}

export const sendMqttMessage: Operation = {
	value: 'sendMqttMessage',
	name: 'Send MQTT Message',
	action: 'Send an MQTT message',
	description: 'Publish a message to an ApsaraMQ for MQTT topic',
	target: 'mqttTopic',
	api: SEND_MESSAGE,
	properties,
	prepare,
};
