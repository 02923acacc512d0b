/**
 * The workflows of the trigger scenario: a trigger → one node that does little (No Op, or the
 * e2e test's Code node as a diagnostic), the same after both triggers.
 */
import { EXAMPLE_CREDENTIAL, locator, SEED } from '../e2e/harness/apsaramq';
import { chainWorkflow, codeNode, type NodeSpec, type WorkflowFile } from '../e2e/harness';

export const TRIGGER_TOPIC = 'test_topic';
export const TRIGGER_GROUP = 'GID_http_group';
export const RABBIT_QUEUE = 'bench_trigger';
export const RABBIT_CREDENTIAL = { id: 'benchRabbitMqCred1', name: 'Bench RabbitMQ (local)' };

export type AfterTrigger = 'noOp' | 'code';

/**
 * A Code node like the one of test/e2e/apsaramq-trigger.e2e.test.ts (runs in n8n's task runner),
 * but blind to the item's shape: RabbitMQ's items carry `content`, ours `body`, and a node that
 * throws on one of them would make its trigger requeue the message forever.
 */
const PASS_THROUGH =
	'return $input.all().map((item) => ({ json: { fields: Object.keys(item.json).length } }));';

function afterTrigger(kind: AfterTrigger): NodeSpec {
	if (kind === 'code') return codeNode('Work', PASS_THROUGH);
	return { name: 'Work', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };
}

export function apsaraMqTriggerWorkflow(
	id: string,
	options: { messagesPerExecution: number; maxParallelExecutions: number; after: AfterTrigger },
): WorkflowFile {
	return chainWorkflow(id, [
		{
			name: 'ApsaraMQ Trigger',
			type: 'n8n-nodes-apsaramq.apsaraMqTrigger',
			parameters: {
				instanceId: locator(SEED.onsInstance),
				topic: locator(TRIGGER_TOPIC),
				groupId: locator(TRIGGER_GROUP),
				acknowledge: 'executionSucceeds',
				messagesPerExecution: options.messagesPerExecution,
				options: { parseJson: true, maxParallelExecutions: options.maxParallelExecutions },
			},
			credentials: { alibabaCloudAccessKeyApi: EXAMPLE_CREDENTIAL },
		},
		afterTrigger(options.after),
	]);
}

/**
 * n8n's RabbitMQ Trigger acknowledging after a successful execution, with the parallel limit
 * (its `prefetch`): the closest to our `executionSucceeds` with Max Parallel Executions.
 */
export function rabbitMqTriggerWorkflow(
	id: string,
	options: { parallelMessages: number; after: AfterTrigger },
): WorkflowFile {
	return chainWorkflow(id, [
		{
			name: 'RabbitMQ Trigger',
			type: 'n8n-nodes-base.rabbitmqTrigger',
			typeVersion: 1,
			parameters: {
				queue: RABBIT_QUEUE,
				options: {
					acknowledge: 'executionFinishesSuccessfully',
					parallelMessages: options.parallelMessages,
					jsonParseBody: true,
				},
			},
			credentials: { rabbitmq: RABBIT_CREDENTIAL },
		},
		afterTrigger(options.after),
	]);
}
