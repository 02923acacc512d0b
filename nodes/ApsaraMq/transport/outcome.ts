import type { IDataObject } from 'n8n-workflow';

import { answerText } from './answer';
import type { ApiFailure } from './errors';

/**
 * What one attempt of a call came to, classified by what it means for a retry
 * (docs/errors.md#outcomes, docs/quotas-and-retries.md#what-is-retried):
 * - `throttled`: refused before processing; always safe to retry after a pause.
 * - `notSent`: certainly never processed (no connection, DNS failure, 503); safe to retry.
 * - `ambiguous`: the service may have processed it (timeout, reset after sending, 5xx); a retry
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

/** Success is the HTTP status plus the absence of an error `Code`, never a `Code` value alone. */
export function classifyResponse(response: FullResponse): Outcome {
	const { statusCode, body } = response;
	const fields = isObject(body) ? body : {};
	const code = fields.Code === undefined || fields.Code === null ? undefined : String(fields.Code);
	const isErrorCode = code !== undefined && !SUCCESS_CODES.has(code);

	if (statusCode >= 200 && statusCode < 300 && !isErrorCode) {
		if (isObject(body)) return { type: 'success', body };
		return {
			type: 'ambiguous',
			failure: {
				code: 'UnexpectedResponse',
				message: `Alibaba Cloud answered HTTP ${statusCode} with a body that is not JSON`,
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
	if (isThrottlingCode(code) || statusCode === 429) {
		return { type: 'throttled', failure, retryAfterMs: retryAfterMs(response.headers) };
	}
	// 503: the service did not take the request in; the speed and safety targets count it as never
	// processed (docs/errors.md#gateway-codes, docs/quotas-and-retries.md#speed-and-safety-targets).
	if (statusCode === 503) return { type: 'notSent', failure };
	if (statusCode >= 500) return { type: 'ambiguous', failure };
	return { type: 'rejected', failure };
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
