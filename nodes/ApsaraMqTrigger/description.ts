import type { INodeProperties } from 'n8n-workflow';

import { resourceLocator } from '../ApsaraMq/actions/resourceLocator';
import { onsInstanceLocator } from '../ApsaraMq/actions/rocketmq/onsLocators';
import { MAX_MESSAGES_PER_POLL } from './consume/consumer';
import { DEFAULT_PARALLEL_EXECUTIONS, MAX_PARALLEL_EXECUTIONS } from './settings';

/** The trigger's parameters; names fixed by docs/interface.md#trigger-node. */
export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'A test ("Execute workflow" or "Fetch test event") shows one batch and leaves it unacknowledged, so RocketMQ delivers it again to the activated workflow after its invisibility time (5 minutes, 1 minute in order). Turn on "Acknowledge Test Event" in the options to consume it for good.',
		name: 'testEventNotice',
		type: 'notice',
		default: '',
	},
	onsInstanceLocator,
	resourceLocator({
		displayName: 'Topic',
		name: 'topic',
		description: 'The topic to consume, e.g. test-mq_topic',
		example: 'test-mq_topic',
		searchListMethod: 'searchOnsTopics',
		dependsOn: ['instanceId.value'],
	}),
	resourceLocator({
		displayName: 'Group',
		name: 'groupId',
		description:
			"The consumer group, created with the HTTP protocol: the trigger consumes over RocketMQ's HTTP protocol, and a TCP group cannot be used by HTTP clients. The list shows HTTP groups only.",
		example: 'GID_http_group',
		searchListMethod: 'searchOnsHttpGroups',
		dependsOn: ['instanceId.value'],
	}),
	{
		displayName: 'Tag Filter',
		name: 'tag',
		type: 'string',
		default: '',
		placeholder: 'e.g. TagA||TagB',
		description:
			'Receive only messages with one of these tags, joined by ||. Empty: every message.',
	},
	{
		displayName: 'Acknowledge',
		name: 'acknowledge',
		type: 'options',
		default: 'executionSucceeds',
		description: 'When the message is acknowledged, so that RocketMQ does not deliver it again',
		options: [
			{
				name: 'When the Execution Succeeds',
				value: 'executionSucceeds',
				description:
					'After a successful execution. A failed execution leaves the message, and RocketMQ delivers it again after its invisibility time (5 minutes, 1 minute in order), up to 288 times.',
			},
			{
				name: 'When the Execution Finishes',
				value: 'executionFinishes',
				description:
					'After the execution, successful or not: each message runs once, and a failed one is in the execution list, where it can be retried',
			},
			{
				name: 'Immediately',
				value: 'immediately',
				description:
					'Before the execution starts. A message whose execution fails or is lost is not delivered again.',
			},
		],
	},
	{
		displayName: 'Messages per Execution',
		name: 'messagesPerExecution',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 1, maxValue: MAX_MESSAGES_PER_POLL, numberPrecision: 0 },
		description: `1 starts one execution per message; up to ${MAX_MESSAGES_PER_POLL} messages can come in one execution, one item each`,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Acknowledge Test Event',
				name: 'acknowledgeTestEvent',
				type: 'boolean',
				default: false,
				description:
					'Whether a test acknowledges the batch it shows, so that the activated workflow never receives it',
			},
			{
				displayName: 'Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				displayOptions: { show: { decodeBase64Body: [true] } },
				description: 'The binary property to put the decoded body in',
			},
			{
				displayName: 'Decode Base64 Body to Binary',
				name: 'decodeBase64Body',
				type: 'boolean',
				default: false,
				description:
					'Whether to decode a Base64 body (as the Publish and Send operations write files) into a binary property. A body that is not Base64 stays text.',
			},
			{
				displayName: 'HTTP Endpoint',
				name: 'httpEndpoint',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://123456789.mqrest.cn-hangzhou.aliyuncs.com',
				description: "The instance's HTTP endpoint, found from the instance when empty",
			},
			{
				displayName: 'Max Parallel Executions',
				name: 'maxParallelExecutions',
				type: 'number',
				default: DEFAULT_PARALLEL_EXECUTIONS,
				typeOptions: { minValue: 1, maxValue: MAX_PARALLEL_EXECUTIONS, numberPrecision: 0 },
				description:
					'The most executions running at once; polling pauses while they run, so a backlog never fills the memory',
			},
			{
				displayName: 'Ordered Consumption',
				name: 'orderly',
				type: 'boolean',
				default: false,
				description:
					'Whether to consume in order (partition-ordered or globally ordered topics): messages of one sharding key run one after the other',
			},
			{
				displayName: 'Parse JSON Body',
				name: 'parseJson',
				type: 'boolean',
				default: false,
				description: 'Whether to parse a body that is JSON; other bodies stay text',
			},
		],
	},
];
