import type { IExecuteFunctions, ITriggerFunctions } from 'n8n-workflow';

import { AlibabaClient, CREDENTIAL_TYPE } from '../../ApsaraMq/transport/client';
import { findHttpEndpoint } from '../../ApsaraMq/transport/mqHttp/endpoint';
import { encodeUrlPart } from '../../ApsaraMq/transport/mqHttp/request';
import { writeMqXml } from '../../ApsaraMq/transport/mqHttp/xml';
import type { Acknowledge, Poll } from '../consume/delivery';
import type { TriggerSettings } from '../settings';
import type { ConsumeTransport } from '../startTrigger';
import { deliveriesOf, refusedHandlesOf } from './consumeAnswer';
import { sendTriggerMqRequest } from './mqHttpRequest';

/** The longest long poll the protocol allows (docs/trigger.md#how-it-consumes). */
export const LONG_POLL_SECONDS = 30;
/** Alibaba's SDKs wait 3 to 5 s beyond the long poll before they call it a timeout. */
const POLL_TIMEOUT_MS = (LONG_POLL_SECONDS + 5) * 1_000;
const ACK_TIMEOUT_MS = 10_000;

function query(parts: Array<[string, string | undefined]>): string {
	return parts
		.filter((part): part is [string, string] => part[1] !== undefined && part[1] !== '')
		.map(([name, value]) => `${name}=${encodeUrlPart(value)}`)
		.join('&');
}

/**
 * Finds the instance's HTTP endpoint (once, at activation) and returns the poll and the
 * acknowledgement of the topic and group over the RocketMQ HTTP protocol.
 */
export async function openConsumeTransport(
	context: ITriggerFunctions,
	settings: TriggerSettings,
): Promise<ConsumeTransport> {
	// The client and the look-up use only getNode, getCredentials, logger and the request
	// helper, which a trigger context has as an execution context does.
	const asExecution = context as unknown as IExecuteFunctions;
	const endpoint = await findHttpEndpoint(
		asExecution,
		new AlibabaClient(asExecution),
		settings.instanceId,
		settings.httpEndpoint || undefined,
		0,
	);
	// Handed to every request, as the client does, so that n8n does not read it from the database each poll.
	const data = await context.getCredentials(CREDENTIAL_TYPE);
	const credentials = {
		credentialsDecrypted: { id: '', name: CREDENTIAL_TYPE, type: CREDENTIAL_TYPE, data },
	};
	const resource = `${endpoint.baseUrl}topics/${encodeUrlPart(settings.topic)}/messages`;

	const poll: Poll = async (count, pollSignal) => {
		const url = `${resource}?${query([
			['consumer', settings.groupId],
			['ns', endpoint.namespace],
			['tag', settings.tag || undefined],
			['numOfMessages', String(count)],
			['waitseconds', String(LONG_POLL_SECONDS)],
			['trans', settings.orderly ? 'order' : undefined],
		])}`;
		const { outcome } = await sendTriggerMqRequest(context, credentials, {
			method: 'GET',
			url,
			timeoutMs: POLL_TIMEOUT_MS,
			signal: pollSignal,
		});
		if (outcome.type === 'cancelled') return { kind: 'cancelled' };
		if (outcome.type === 'success')
			return { kind: 'messages', deliveries: deliveriesOf(outcome.root) };
		// The long poll ended without a message: the normal answer of an idle topic.
		if (outcome.failure.code === 'MessageNotExist') return { kind: 'messages', deliveries: [] };
		return { kind: 'failed', outcome: outcome.type, failure: outcome.failure };
	};

	const acknowledge: Acknowledge = async (receiptHandles) => {
		const url = `${resource}?${query([
			['consumer', settings.groupId],
			['ns', endpoint.namespace],
		])}`;
		const body = writeMqXml(
			'ReceiptHandles',
			receiptHandles.map((handle) => ['ReceiptHandle', handle]),
		);
		// Not aborted by the close: an execution that ends after it still gets its acknowledgement.
		const { outcome, response } = await sendTriggerMqRequest(context, credentials, {
			method: 'DELETE',
			url,
			body,
			timeoutMs: ACK_TIMEOUT_MS,
			signal: new AbortController().signal,
		});
		if (outcome.type === 'success') return { kind: 'acknowledged', refused: [] };
		const refused = response?.statusCode === 404 ? refusedHandlesOf(response.body) : undefined;
		if (refused) return { kind: 'acknowledged', refused };
		if (outcome.type === 'cancelled') {
			return {
				kind: 'failed',
				outcome: 'notSent',
				failure: { message: 'The acknowledgement was cancelled' },
			};
		}
		return { kind: 'failed', outcome: outcome.type, failure: outcome.failure };
	};

	return { poll, acknowledge };
}
