import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { AlibabaApi } from './apis';
import { CREDENTIAL_PROBLEMS } from './credentialProblems';
import { MQ_HTTP_HINTS } from './mqHttp/hints';
import { isThrottlingCode } from './outcome';
import { cleanServerText, redactServerStringToSign } from './serverText';

export { redactServerStringToSign };

/** What went wrong with one API call, in the terms the user sees (never a secret). */
export interface ApiFailure {
	/** Alibaba's error `Code`, or one of ours (`AmbiguousDelivery`, `ConnectionFailed`, …). */
	code?: string;
	message: string;
	requestId?: string;
	httpStatus?: number;
}

/**
 * The code of a send that may or may not have been delivered
 * (docs/quotas-and-retries.md#duplicate-hazard).
 */
export const AMBIGUOUS_DELIVERY = 'AmbiguousDelivery';

/**
 * `Code: ` to put before a message. System network codes (ECONNRESET, UND_ERR_SOCKET, …) are left
 * out because n8n swaps any message containing one for a generic text; the item's `code` field
 * still carries them.
 */
export function codePrefix(code: string | undefined): string {
	return code === undefined || /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(code) ? '' : `${code}: `;
}

type Hint = (api: AlibabaApi) => string;

const THROTTLING_HINT: Hint = (api) =>
	`Alibaba Cloud kept throttling ${api.action} after every retry. Lower "Max Requests per Second" in the node options (the account allows about ${api.quotaPerSecond} per second, shared by every workflow, n8n worker and program using it), or raise "Max Retries".`;

const PERMISSION_HINT: Hint = (api) =>
	`The AccessKey is not allowed to call ${api.action} on this resource. Grant its RAM user ${api.ramActions}, or check that the instance, topic or group belongs to this account and region.`;

/**
 * Hints for the codes users meet most, keyed by exact code, then by prefix. The codes of a refused
 * AccessKey, signature, token, clock or endpoint are in CREDENTIAL_PROBLEMS, shared with the
 * credential test.
 */
const HINTS: Record<string, Hint> = {
	...MQ_HTTP_HINTS,
	'Forbidden.RAM': PERMISSION_HINT,
	Forbidden: PERMISSION_HINT,
	PermissionCheckFailed: PERMISSION_HINT,
	AUTH_RESOURCE_OWNER_ERROR: PERMISSION_HINT,
	InstancePermissionCheckFailed: () =>
		'The instance ID is wrong, belongs to another account, or is in another region than the one in the credential.',
	INSTANCE_NOT_FOUND: () =>
		'No RocketMQ instance with this ID exists in the region of the credential. Check the instance ID and the credential region.',
	BIZ_TOPIC_NOT_FOUND: () => 'The topic does not exist in this instance. Check its name.',
	BIZ_NO_MESSAGE: () =>
		'No message with this ID is stored in the topic (messages expire after the retention period). Check the message ID and the topic.',
	BIZ_CONSUMER_NOT_ONLINE: (api) =>
		api.action === 'OnsConsumerGetConnection'
			? 'No consumer that subscribes with this group ID is connected now. Start a consumer of the group, or check the group ID and the instance.'
			: 'No consumer of this group with this client ID is online. Use the operation "Get ONS Consumer Connections" to list the clients online now.',
	BIZ_SUBSCRIPTION_NOT_FOUND: () => 'The group does not subscribe to this topic.',
	'InvalidProtocol.NeedSsl': () => 'This endpoint only accepts HTTPS. Use an https:// endpoint.',
	[AMBIGUOUS_DELIVERY]: () =>
		'The request reached the network but no answer arrived, so the message may or may not have been delivered. It was not sent again, to avoid a duplicate. Check the consumer side; turn on "Retry Ambiguous Failures" in the node options to retry such failures, accepting that a message may arrive twice.',
};

const PREFIX_HINTS: Array<[prefix: string, hint: Hint]> = [
	['Missing', () => 'A required field is empty. Fill it in the node.'],
	['InvalidParameter', () => 'A field has a value Alibaba Cloud does not accept. Check the fields of the node.'],
];

export function hintFor(code: string | undefined, api: AlibabaApi): string | undefined {
	if (!code) return undefined;
	const exact = HINTS[code];
	if (exact) return exact(api);
	const credentialProblem = CREDENTIAL_PROBLEMS[code];
	if (credentialProblem) return credentialProblem;
	if (isThrottlingCode(code)) return THROTTLING_HINT(api);
	const prefixed = PREFIX_HINTS.find(([prefix]) => code.startsWith(prefix));
	return prefixed?.[1](api);
}

/**
 * The error of a failed call. Built from scratch, never from n8n's request error: that one carries
 * the signed request (AccessKey ID, STS token, signature), which must not reach the UI or logs.
 */
export function toNodeApiError(
	node: INode,
	api: AlibabaApi,
	failure: ApiFailure,
	itemIndex?: number,
	secrets: readonly string[] = [],
): NodeApiError {
	// Everything from the server passes the one gate (serverText.ts): cut, redacted, truncated.
	const clean = (text: string | undefined) =>
		text === undefined ? undefined : cleanServerText(text, secrets);
	failure = { ...failure, code: clean(failure.code), requestId: clean(failure.requestId) };
	const message = clean(failure.message) ?? '';
	const details = [
		hintFor(failure.code, api),
		failure.requestId ? `Request ID: ${failure.requestId}` : undefined,
	].filter(Boolean);
	const response: JsonObject = { Code: failure.code ?? null, Message: message };
	if (failure.requestId) response.RequestId = failure.requestId;
	if (failure.httpStatus) response.HttpStatus = failure.httpStatus;
	const text = `${api.action} failed: ${codePrefix(failure.code)}${message}`;
	const error = new NodeApiError(node, response, {
		message: text,
		description: details.length > 0 ? details.join('\n') : undefined,
		httpCode: failure.httpStatus ? String(failure.httpStatus) : undefined,
		itemIndex,
	});
	return keepMessage(error, text);
}

/** A NodeOperationError (bad input, cancellation) that keeps its message word for word. */
export function operationError(
	node: INode,
	message: string,
	options: { itemIndex?: number; description?: string } = {},
): NodeOperationError {
	return keepMessage(new NodeOperationError(node, message, options), message);
}

/**
 * n8n swaps any error message that merely contains a system error code for a generic text, and
 * Alibaba codes trip it ("InstancePermissionCheckFailed" contains EPERM). Put ours back.
 */
function keepMessage<E extends Error>(error: E, message: string): E {
	error.message = message;
	return error;
}

/** Code, request ID and HTTP status of a failed call, read back from its node error. */
export function failureDetails(error: Error & { errorResponse?: JsonObject }): JsonObject {
	const response = error.errorResponse ?? {};
	const details: JsonObject = {};
	if (typeof response.Code === 'string') details.code = response.Code;
	if (typeof response.RequestId === 'string') details.requestId = response.RequestId;
	if (typeof response.HttpStatus === 'number') details.httpStatus = response.HttpStatus;
	return details;
}
