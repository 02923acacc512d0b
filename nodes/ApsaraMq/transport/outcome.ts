import type { IDataObject } from 'n8n-workflow';

import { answerText } from './answer';
import type { ApiFailure } from './errors';

/**
 * What one attempt of a call came to, classified by what it means for a retry
 * (docs/errors.md#outcomes, docs/quotas-and-retries.md#what-is-retried):
 * - `throttled`: refused before processing; always safe to retry after a pause.
 * - `notSent`: certainly never processed (no connection, DNS failure); safe to retry.
 * - `ambiguous`: the service may have processed it (timeout, reset after sending, 5xx, a 2xx
 *   without the proof of success); a retry
 *   may deliver a message twice.
 * - `rejected`: processed and refused (bad parameters, permissions, signature); a retry won't help.
 * - `unsent`: the request never left n8n (for example the credential refused the endpoint).
 * - `cancelled`: the execution was cancelled.
 */
export type Outcome =
	| { type: 'success'; body: IDataObject }
	| { type: 'throttled'; failure: ApiFailure; retryAfterMs?: number }
	| { type: 'notSent' | 'ambiguous' | 'rejected' | 'unsent'; failure: ApiFailure }
	| { type: 'cancelled' };

export interface FullResponse {
	body: unknown;
	headers?: Record<string, unknown>;
	statusCode: number;
}

const SUCCESS_CODES = new Set(['200', 'OK', 'ok', 'Success', 'success']);
const THROTTLING_PREFIXES = ['Throttling', 'SystemOverFlow', 'ApplyTokenOverFlow'];

/** Alibaba's codes of a call refused before processing because of a quota (`Throttling.User`, …). */
export function isThrottlingCode(code: string | undefined): boolean {
	return code !== undefined && THROTTLING_PREFIXES.some((prefix) => code.startsWith(prefix));
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `x-acs-retry-after`, read as milliseconds as Alibaba's newer SDK core does. */
function retryAfterMs(headers: Record<string, unknown> | undefined): number | undefined {
	const raw = headers?.['x-acs-retry-after'];
	const value = Number(Array.isArray(raw) ? raw[0] : raw);
	return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** The origin (scheme, host, port) of a redirect's target: never its path or query. */
function locationOrigin(headers: Record<string, unknown> | undefined): string {
	const raw = headers?.location;
	const text = Array.isArray(raw) ? raw[0] : raw;
	if (typeof text !== 'string' || text === '') return 'no location given';
	try {
		return new URL(text).origin;
	} catch {
		return 'a location that is not an absolute URL';
	}
}

/**
 * Success is a 2xx status, no error `Code`, a JSON object, and, for APIs that answer one, the
 * field that proves the call did its work (`MsgId` of a send). A 2xx that lacks any of these was
 * answered by something, but not with a success: for a send it may or may not have been
 * delivered, so it is ambiguous, never a success (docs/errors.md#deciding-success).
 */
export function classifyResponse(response: FullResponse, proofField?: string): Outcome {
	const { statusCode, body } = response;
	const fields = isObject(body) ? body : {};
	const code = fields.Code === undefined || fields.Code === null ? undefined : String(fields.Code);
	const isErrorCode = code !== undefined && !SUCCESS_CODES.has(code);
	const isSuccessStatus = statusCode >= 200 && statusCode < 300;

	if (isSuccessStatus && !isErrorCode) {
		if (!isObject(body)) {
			return unexpected(statusCode, `Alibaba Cloud answered HTTP ${statusCode} with a body that is not JSON`);
		}
		if (proofField !== undefined && answerText(body[proofField]) === undefined) {
			return unexpected(statusCode, `Alibaba Cloud answered HTTP ${statusCode} without the ${proofField} of a success`, body);
		}
		return { type: 'success', body };
	}

	// Redirects are never followed (client.ts): the signed request must not reach another origin.
	if (statusCode >= 300 && statusCode < 400) {
		return {
			type: 'rejected',
			failure: {
				code: 'RedirectRefused',
				message: `The endpoint answered HTTP ${statusCode}, a redirect to ${locationOrigin(response.headers)}, which the node does not follow: the signed request is sent to the configured endpoint only. Set the endpoint to the final address`,
				httpStatus: statusCode,
			},
		};
	}

	const failure: ApiFailure = {
		code,
		message:
			answerText(fields.Message) ??
			(isErrorCode ? code : `Alibaba Cloud answered HTTP ${statusCode} without an error message`),
		requestId: answerText(fields.RequestId),
		httpStatus: statusCode,
	};
	// The gateway's throttling codes are refusals before processing, whatever the status (503 too).
	if (isThrottlingCode(code) || statusCode === 429) {
		return { type: 'throttled', failure, retryAfterMs: retryAfterMs(response.headers) };
	}
	// Any other error Code on a 2xx contradicts itself: whether the call was processed is unknown.
	if (isSuccessStatus) return { type: 'ambiguous', failure };
	// Any other 5xx, 503 ServiceUnavailable included, may come after the service took the request
	// in: Alibaba counts InternalError and ServiceUnavailable as "unknown" for sends
	// (docs/errors.md#gateway-codes).
	if (statusCode >= 500) return { type: 'ambiguous', failure };
	return { type: 'rejected', failure };
}

function unexpected(statusCode: number, message: string, body?: IDataObject): Outcome {
	return {
		type: 'ambiguous',
		failure: {
			code: 'UnexpectedResponse',
			message,
			requestId: body ? answerText(body.RequestId) : undefined,
			httpStatus: statusCode,
		},
	};
}

type NetworkOutcome = 'notSent' | 'ambiguous';

const NO_ANSWER = 'no answer within the timeout';

/**
 * System network codes: whether the request certainly never reached the service (`notSent`: no
 * byte was sent) or may have been processed (`ambiguous`: it may have been written), and the
 * plain words for them. n8n replaces any error message that contains a code such as ECONNRESET
 * with a generic text, so the code itself goes into the error's `code` field only.
 */
const NETWORK_CODES: Record<string, { outcome: NetworkOutcome; reason: string }> = {
	ECONNREFUSED: { outcome: 'notSent', reason: 'connection refused' },
	ENOTFOUND: { outcome: 'notSent', reason: 'host name not found' },
	EAI_AGAIN: { outcome: 'notSent', reason: 'host name lookup failed' },
	EHOSTUNREACH: { outcome: 'notSent', reason: 'host unreachable' },
	ENETUNREACH: { outcome: 'notSent', reason: 'network unreachable' },
	ENETDOWN: { outcome: 'notSent', reason: 'network down' },
	UND_ERR_CONNECT_TIMEOUT: { outcome: 'notSent', reason: 'connection attempt timed out' },
	ECONNRESET: { outcome: 'ambiguous', reason: 'connection reset' },
	EPIPE: { outcome: 'ambiguous', reason: 'connection closed while sending' },
	UND_ERR_SOCKET: { outcome: 'ambiguous', reason: 'connection closed' },
	ETIMEDOUT: { outcome: 'ambiguous', reason: NO_ANSWER },
	ECONNABORTED: { outcome: 'ambiguous', reason: NO_ANSWER },
	ESOCKETTIMEDOUT: { outcome: 'ambiguous', reason: NO_ANSWER },
	UND_ERR_HEADERS_TIMEOUT: { outcome: 'ambiguous', reason: NO_ANSWER },
	UND_ERR_BODY_TIMEOUT: { outcome: 'ambiguous', reason: NO_ANSWER },
};

const CANCEL_CODES = new Set(['ERR_CANCELED', 'ABORT_ERR']);

/** n8n marks every error raised while the request was on the wire (@n8n/backend-network). */
const HTTP_REQUEST_ERROR = Symbol.for('n8n.backend-network.http-request-error');

/**
 * The error and what it wraps. n8n keeps the original as `cause`, or as `errorResponse` when it
 * was not an Error instance.
 */
function causeChain(error: unknown): Array<Record<string | symbol, unknown>> {
	const chain: Array<Record<string | symbol, unknown>> = [];
	let current = error;
	while (isObject(current) || current instanceof Error) {
		const level = current as unknown as Record<string | symbol, unknown>;
		if (chain.includes(level)) break;
		chain.push(level);
		current = level.cause ?? level.errorResponse;
	}
	return chain;
}

/** System error codes along the chain; n8n also copies one into `httpCode` (for example ECONNRESET). */
function errorCodes(chain: Array<Record<string | symbol, unknown>>): string[] {
	return chain
		.flatMap((level) => [level.code, level.httpCode])
		.filter((code): code is string => typeof code === 'string' && /^[A-Z][A-Z_]+$/.test(code));
}

const NETWORK_MESSAGES: Record<NetworkOutcome, string> = {
	notSent: 'Could not connect to Alibaba Cloud',
	ambiguous: 'The connection to Alibaba Cloud failed after the request was sent',
};

/** Classifies an exception thrown by n8n's request helper (no HTTP response was received). */
export function classifyException(error: unknown, cancelled: boolean): Outcome {
	const chain = causeChain(error);
	const codes = errorCodes(chain);
	if (cancelled || codes.some((code) => CANCEL_CODES.has(code))) return { type: 'cancelled' };

	const networkCode = codes.find((code) => NETWORK_CODES[code] !== undefined);
	const network = networkCode === undefined ? undefined : NETWORK_CODES[networkCode];
	const timedOut = chain.some((level) => /timeout/i.test(String(level.message ?? '')));
	const onTheWire = chain.some(
		(level) => level[HTTP_REQUEST_ERROR] === true || level.isAxiosError === true,
	);
	if (network || timedOut || onTheWire) {
		const type = network?.outcome ?? 'ambiguous';
		const reason = network?.reason ?? (timedOut ? NO_ANSWER : 'connection error');
		return {
			type,
			failure: {
				code: networkCode ?? (timedOut ? 'Timeout' : 'ConnectionFailed'),
				message: `${NETWORK_MESSAGES[type]} (${reason})`,
			},
		};
	}

	// Nothing reached the wire: the credential refused to sign (for example an http:// endpoint).
	const deepest = chain[chain.length - 1];
	const reason = deepest?.message;
	const message =
		typeof reason === 'string' && reason !== '' ? reason : 'The request could not be prepared';
	return { type: 'unsent', failure: { message } };
}
