import type {
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { listSearch } from '../ApsaraMq/methods/listSearch';
import { defaultClock } from '../ApsaraMq/transport/clock';
import { triggerProperties } from './description';
import { readTriggerSettings } from './settings';
import { startTrigger } from './startTrigger';
import { openConsumeTransport } from './transport/openConsumeTransport';

/**
 * Starts a workflow for every RocketMQ message of a topic and group, over the RocketMQ HTTP
 * protocol, acknowledging it as the chosen mode says (docs/trigger.md).
 */
export class ApsaraMqTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alibaba Cloud ApsaraMQ Trigger',
		name: 'apsaraMqTrigger',
		icon: { light: 'file:../../icons/apsaramq.svg', dark: 'file:../../icons/apsaramq.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"topic " + ($parameter["topic"].value || "")}}',
		description: 'Start a workflow for every ApsaraMQ for RocketMQ message of a topic',
		eventTriggerDescription: 'Waiting for ApsaraMQ for RocketMQ messages',
		defaults: { name: 'Alibaba Cloud ApsaraMQ Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'alibabaCloudAccessKeyApi', required: true }],
		properties: triggerProperties,
	};

	methods = { listSearch };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const settings = readTriggerSettings(this);
		const transport = await openConsumeTransport(this, settings);
		return startTrigger(this, settings, transport, defaultClock());
	}
}
