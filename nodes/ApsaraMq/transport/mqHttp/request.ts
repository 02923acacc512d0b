import type {
	IAdditionalCredentialOptions,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../client';
import type { Outcome } from '../outcome';
import { classifyException, classifyResponse } from '../outcome';
import { MQ_SIGNING_HEADER, MQ_SIGNING_VALUE } from '../signing/signMq';
import type { XmlElement } from './xml';
import { childElements, childText, parseXml, xmlFields } from './xml';

/**
 * One RocketMQ HTTP protocol request through n8n's `httpRequestWithAuthentication`, the
 * credential signing it with the MQ signature (docs/signing.md#mq-http), and its answer classified
 * into the Outcome kinds of the OpenAPI calls (docs/mq-http-protocol.md#answers-and-errors).
 */

export interface MqHttpRequest {
	method: 'GET' | 'POST' | 'DELETE';
	/** Absolute: the instance's HTTP endpoint, path and percent-encoded query. */
	url: string;
	/** The XML body; absent for GET. */
	body?: string;
	timeoutMs: number;
}

/** `Code` values of the protocol that mean "refused before processing, because of a quota". */
const MQ_THROTTLING_CODES = new Set(['QpsLimitExceeded']);

interface FullTextResponse {
	statusCode: number;
	headers?: Record<string, unknown>;
	body?: unknown;
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (body instanceof Uint8Array) return new TextDecoder().decode(body);
	return '';
}

function headerText(
	headers: Record<string, unknown> | undefined,
	name: string,
): string | undefined {
	const value = headers?.[name];
	const text = Array.isArray(value) ? value[0] : value;
	return typeof text === 'string' && text !== '' ? text : undefined;
}

function parsedOrUndefined(text: string): XmlElement | undefined {
	if (text.trim() === '') return undefined;
	try {
		return parseXml(text);
	} catch {
		// Not the protocol's XML (a proxy's HTML page, say): classified by the status alone.
		return undefined;
	}
}

/**
 * `<Error>` → Code/Message/RequestId; `<Errors>` (an ack's failed handles) → the first
 * ErrorCode/ErrorMessage, with every failed handle under `Errors`.
 */
function errorFields(root: XmlElement | undefined, requestId: string | undefined): IDataObject {
	if (root?.name === 'Error') {
		return {
			Code: childText(root, 'Code'),
			Message: childText(root, 'Message'),
			RequestId: childText(root, 'RequestId') ?? requestId,
		};
	}
	if (root?.name === 'Errors') {
		const errors = childElements(root, 'Error').map(xmlFields);
		return {
			Code: errors[0]?.ErrorCode,
			Message: errors[0]?.ErrorMessage,
			RequestId: requestId,
			Errors: errors,
		};
	}
	return { RequestId: requestId };
}

/** The answer of one request: success with the root element, or a classified failure. */
export function classifyMqResponse(
	response: FullTextResponse,
	expectedRoot?: string,
	proofField?: string,
): Outcome & { root?: XmlElement } {
	const requestId = headerText(response.headers, 'x-mq-request-id');
	const text = bodyText(response.body);
	const root = parsedOrUndefined(text);
	const { statusCode } = response;
	if (statusCode >= 200 && statusCode < 300) {
		if (expectedRoot === undefined || root?.name === expectedRoot) {
			const body = { ...(root ? xmlFields(root) : {}), RequestId: requestId };
			// Without the proof field (MessageId of a publish) a 2xx is ambiguous, as for OpenAPI calls.
			return { ...classifyResponse({ statusCode, headers: response.headers, body }, proofField), root };
		}
		// Processed, but the answer is not what the protocol promises: the message may be stored.
		return {
			type: 'ambiguous',
			failure: {
				code: 'UnexpectedResponse',
				message: `The RocketMQ HTTP endpoint answered HTTP ${statusCode} without the <${expectedRoot}> the protocol promises`,
				requestId,
				httpStatus: statusCode,
			},
		};
	}
	const fields = errorFields(root, requestId);
	if (fields.Message === undefined && fields.Code === undefined) {
		fields.Message = `The RocketMQ HTTP endpoint answered HTTP ${statusCode} without an <Error> body`;
	}
	const outcome = classifyResponse({ statusCode, headers: response.headers, body: fields });
	if (outcome.type !== 'success' && outcome.type !== 'cancelled' && outcome.type !== 'throttled') {
		if (typeof fields.Code === 'string' && MQ_THROTTLING_CODES.has(fields.Code)) {
			return { type: 'throttled', failure: outcome.failure };
		}
	}
	return outcome;
}

/** Sends one request and classifies what came back (or what was thrown). */
export async function sendMqHttp(
	context: IExecuteFunctions,
	credentials: IAdditionalCredentialOptions,
	request: MqHttpRequest,
	expectedRoot?: string,
	proofField?: string,
): Promise<Outcome & { root?: XmlElement }> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		body: request.body,
		// The credential signs with the MQ signature when it sees this header, and removes it.
		headers: { [MQ_SIGNING_HEADER]: MQ_SIGNING_VALUE },
		timeout: request.timeoutMs,
		encoding: 'text',
		// Never followed: the signed request must reach the endpoint it was signed for.
		disableFollowRedirect: true,
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	try {
		const response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			CREDENTIAL_TYPE,
			options,
			credentials,
		)) as FullTextResponse;
		return classifyMqResponse(response, expectedRoot, proofField);
	} catch (error) {
		return classifyException(error, context.getExecutionCancelSignal?.()?.aborted === true);
	}
}

/**
 * A path segment or query value percent-encoded so that WHATWG URL normalisation (what n8n's
 * HTTP client sends) leaves it unchanged, i.e. the signed resource is the sent one: everything but
 * RFC 3986's unreserved characters is encoded.
 */
export function encodeUrlPart(text: string): string {
	return encodeURIComponent(text).replace(
		/[!'()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}
