/**
 * The workflows of the `publish` scenario: Manual Trigger → Code node (the benchmark items) →
 * Publish RocketMQ Message with each item's JSON as the body, to the seeded RocketMQ instance.
 */
import { chainWorkflow, codeNode, manualTrigger, type WorkflowFile } from '../e2e/harness';
import {
	CREDENTIAL,
	CREDENTIAL_TYPE,
	ITEM_EXPRESSION,
	ITEMS_NODE,
	NODE_TYPE,
	ONS_INSTANCE,
	UNDER_TEST,
	type CallOptions,
} from './workflows';

/** Seeded topics of ONS_INSTANCE: normal (messageType 0) and partition-ordered (messageType 1). */
export const PUBLISH_TOPIC = 'test_topic';
export const ORDERED_TOPIC = 'orders';

/** Rows that share one sharding key in the ordered variant: rows 0–9 → key 0, 10–19 → key 1 … */
export const ROWS_PER_SHARDING_KEY = 10;

/** The sharding key of item i in the ordered variant (the same text in n8n and in the SDK loop). */
export function shardingKeyOf(i: number): string {
	return `customer-${Math.floor(i / ROWS_PER_SHARDING_KEY)}`;
}

/**
 * Publish RocketMQ Message with the node's defaults (message key derived from the execution and
 * the item). `ordered`: to the ordered topic with one sharding key per ROWS_PER_SHARDING_KEY
 * consecutive rows, as a CSV sorted by customer gives them.
 */
export function publishWorkflow(
	id: string,
	count: number,
	options: CallOptions = {},
	variant: { ordered?: boolean } = {},
): WorkflowFile {
	const sharding = variant.ordered
		? { shardingKey: `={{ 'customer-' + Math.floor($json.i / ${ROWS_PER_SHARDING_KEY}) }}` }
		: {};
	return chainWorkflow(id, [
		manualTrigger(),
		codeNode(
			ITEMS_NODE,
			`return Array.from({ length: ${count} }, (_, i) => ({ json: ${ITEM_EXPRESSION} }));`,
		),
		{
			name: UNDER_TEST,
			type: NODE_TYPE,
			typeVersion: 1,
			parameters: {
				operation: 'publishRocketMqMessage',
				instanceId: { __rl: true, mode: 'id', value: ONS_INSTANCE },
				topic: { __rl: true, mode: 'id', value: variant.ordered ? ORDERED_TOPIC : PUBLISH_TOPIC },
				payloadType: 'json',
				jsonPayload: '={{ $json }}',
				tag: '',
				options: { ...options, ...sharding },
			},
			credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
		},
	]);
}
