import { randomUUID } from 'crypto';

import type {
	IBinaryKeyData,
	IDataObject,
	INodeExecutionData,
	IRun,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Clock } from '../ApsaraMq/transport/clock';
import { codePrefix } from '../ApsaraMq/transport/errors';
import { cleanServerText } from '../ApsaraMq/transport/serverText';
import type { ConsumeFailure } from './consume/consumeFailure';
import { Consumer } from './consume/consumer';
import type { Acknowledge, Delivery, Poll } from './consume/delivery';
import { deduplicationKey } from './consume/deduplicationKey';
import { executionResult } from './consume/executionResult';
import { FailureMemory } from './consume/failureMemory';
import { messageItem } from './consume/messageItem';
import { ParallelGate } from './consume/parallelGate';
import { receiveTestEvent, TestEventFailure } from './consume/testEvent';
import type { TriggerSettings } from './settings';

/** Consume and acknowledge for one topic and group, over the HTTP protocol in production. */
export interface ConsumeTransport {
	poll: Poll;
	acknowledge: Acknowledge;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The error shown for what cannot heal: Alibaba's code and message, and the fix. */
export function consumeError(
	context: ITriggerFunctions,
	failure: ConsumeFailure,
): NodeOperationError {
	const { code, message, requestId } = failure.failure;
	// Server text: the string-to-sign echo cut off and truncated (docs/errors.md#redaction).
	const text = `${codePrefix(code)}${cleanServerText(message)}`;
	const details = [failure.fix, requestId ? `Request ID: ${requestId}` : undefined].filter(Boolean);
	return new NodeOperationError(context.getNode(), text, { description: details.join(' ') });
}

async function itemOf(
	context: ITriggerFunctions,
	delivery: Delivery,
	settings: TriggerSettings,
): Promise<INodeExecutionData> {
	const json: IDataObject = messageItem(delivery, {
		topic: settings.topic,
		instanceId: settings.instanceId,
		groupId: settings.groupId,
		parseJson: settings.parseJson && !settings.decodeBase64Body,
	});
	if (!settings.decodeBase64Body) return { json };
	const text = delivery.body.replace(/\s+/g, '');
	if (!BASE64.test(text)) return { json };
	const binary: IBinaryKeyData = {
		[settings.binaryPropertyName]: await context.helpers.prepareBinaryData(
			Buffer.from(text, 'base64'),
			delivery.messageId,
		),
	};
	return { json, binary };
}

async function itemsOf(context: ITriggerFunctions, batch: Delivery[], settings: TriggerSettings) {
	return await Promise.all(
		batch.map(async (delivery) => await itemOf(context, delivery, settings)),
	);
}

/**
 * The trigger once its settings are checked and its transport is open (docs/trigger.md): in
 * manual mode one test event; activated, the consume loop until n8n calls `closeFunction`, which
 * aborts the poll in flight and returns at once.
 */
export function startTrigger(
	context: ITriggerFunctions,
	settings: TriggerSettings,
	transport: ConsumeTransport,
	clock: Clock,
): ITriggerResponse {
	const controller = new AbortController();
	const closeFunction = async () => {
		controller.abort();
	};

	if (context.getMode() === 'manual') {
		const manualTriggerFunction = async () => {
			try {
				await receiveTestEvent(
					{
						...transport,
						clock,
						// n8n replaces `emit` after trigger() returned: look it up when showing.
						show: (batch) =>
							void itemsOf(context, batch, settings).then((items) => context.emit([items])),
					},
					{
						messagesPerExecution: settings.messagesPerExecution,
						acknowledge: settings.acknowledgeTestEvent,
					},
					controller.signal,
				);
			} catch (error) {
				if (error instanceof TestEventFailure) throw consumeError(context, error.failure);
				throw new NodeOperationError(context.getNode(), error as Error);
			}
		};
		return { closeFunction, manualTriggerFunction };
	}

	const workflowId = String(context.getWorkflow().id ?? '');
	const nodeId = context.getNode().id;
	// New on every activation, so a restart of n8n gives new keys in executionSucceeds mode
	// (deduplicationKey.ts).
	const activationId = randomUUID().slice(0, 8);
	const consumer = new Consumer(
		{
			mode: settings.acknowledge,
			messagesPerExecution: settings.messagesPerExecution,
			orderly: settings.orderly,
		},
		{
			...transport,
			execute: async (batch, key) => {
				const items = await itemsOf(context, batch, settings);
				const done = context.helpers.createDeferredPromise<IRun>();
				context.emit([items], undefined, done, key);
				return executionResult(await done.promise);
			},
			keyOf: (messages) =>
				deduplicationKey(workflowId, nodeId, messages, settings.acknowledge, activationId),
			gate: new ParallelGate(settings.maxParallelExecutions),
			failures: new FailureMemory(),
			clock,
			log: context.logger,
			onPermanentFailure: (failure) => context.emitError(consumeError(context, failure)),
		},
	);
	void consumer.run(controller.signal).catch((error: unknown) => {
		context.emitError(error instanceof Error ? error : new Error(String(error)));
	});
	return { closeFunction };
}
