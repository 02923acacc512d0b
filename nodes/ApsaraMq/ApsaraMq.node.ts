import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operations, router } from './actions/router';
import { listSearch } from './methods/listSearch';

export class ApsaraMq implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alibaba Cloud ApsaraMQ',
		name: 'apsaraMq',
		icon: { light: 'file:../../icons/apsaramq.svg', dark: 'file:../../icons/apsaramq.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{ {"sendMqttMessage": "Send MQTT Message", "pushOnsMessage": "Push ONS Message", "getOnsConsumerConnections": "Get ONS Consumer Connections"}[$parameter["operation"]] }}',
		description:
			'Publish MQTT messages and push RocketMQ (ONS) messages with Alibaba Cloud ApsaraMQ',
		defaults: { name: 'Alibaba Cloud ApsaraMQ' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'alibabaCloudAccessKeyApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'sendMqttMessage',
				description:
					'What to do: publish an MQTT message, push a stored RocketMQ (ONS) message to a consumer, or list the consumers of a group',
				options: [
					{
						name: 'Get ONS Consumer Connections',
						value: 'getOnsConsumerConnections',
						description: 'List the consumers of a RocketMQ (ONS) group that are online now',
						action: 'Get ONS consumer connections',
					},
					{
						name: 'Push ONS Message',
						value: 'pushOnsMessage',
						description:
							'Push a stored RocketMQ (ONS) message again, as a new message, to one consumer',
						action: 'Push an ONS message',
					},
					{
						name: 'Send MQTT Message',
						value: 'sendMqttMessage',
						description: 'Publish a message to an ApsaraMQ for MQTT topic',
						action: 'Send an MQTT message',
					},
				],
			},
			...operations.sendMqttMessage.description,
			...operations.pushOnsMessage.description,
			...operations.getOnsConsumerConnections.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
