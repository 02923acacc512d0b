import type {
	IAdditionalCredentialOptions,
	IHttpRequestOptions,
	ITriggerFunctions,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../ApsaraMq/transport/client';
import type { Outcome } from '../../ApsaraMq/transport/outcome';
import { classifyException } from '../../ApsaraMq/transport/outcome';
import { classifyMqResponse } from '../../ApsaraMq/transport/mqHttp/request';
import type { XmlElement } from '../../ApsaraMq/transport/mqHttp/xml';
import { MQ_SIGNING_HEADER, MQ_SIGNING_VALUE } from '../../ApsaraMq/transport/signing/signMq';

export interface TriggerMqRequest {
	method: 'GET' | 'DELETE';
	url: string;
	body?: string;
	timeoutMs: number;
	/** Aborts the request in flight: the trigger closes. */
	signal: AbortSignal;
}

/**
 * One RocketMQ HTTP request of the trigger, as `sendMqHttp` (transport/mqHttp/request.ts) sends
 * one for an execution, but from a trigger context and with an abort signal, so that closing the
 * workflow ends a 30-second long poll at once (docs/trigger.md#closing).
 */
export interface TriggerMqAnswer {
	outcome: Outcome & { root?: XmlElement };
	/** The raw answer, when one came: an ack's per-handle `<Errors>` are read from it. */
	response?: { statusCode: number; body: string };
}

export async function sendTriggerMqRequest(
	context: ITriggerFunctions,
	credentials: IAdditionalCredentialOptions,
	request: TriggerMqRequest,
): Promise<TriggerMqAnswer> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		body: request.body,
		headers: { [MQ_SIGNING_HEADER]: MQ_SIGNING_VALUE },
		timeout: request.timeoutMs,
		encoding: 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		abortSignal: request.signal,
	};
	try {
		const response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			CREDENTIAL_TYPE,
			options,
			credentials,
		)) as { statusCode: number; headers?: Record<string, unknown>; body?: unknown };
		const body = typeof response.body === 'string' ? response.body : '';
		return {
			outcome: classifyMqResponse(response),
			response: { statusCode: response.statusCode, body },
		};
	} catch (error) {
		return { outcome: classifyException(error, request.signal.aborted) };
	}
}
