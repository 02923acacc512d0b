import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationProperties, operationSubtitle } from './actions/operations';
import { router } from './actions/router';
import { listSearch } from './methods/listSearch';

export class ApsaraMq implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alibaba Cloud ApsaraMQ',
		name: 'apsaraMq',
		icon: { light: 'file:../../icons/apsaramq.svg', dark: 'file:../../icons/apsaramq.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle,
		description:
			'Publish MQTT messages and push RocketMQ (ONS) messages with Alibaba Cloud ApsaraMQ',
		defaults: { name: 'Alibaba Cloud ApsaraMQ' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'alibabaCloudAccessKeyApi', required: true }],
		properties: operationProperties,
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
