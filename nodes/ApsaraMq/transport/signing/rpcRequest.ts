import { HEADER } from './constants';
import { SigningError } from './errors';
import type { ParameterValue, RpcRequest } from './signRequest';

/**
 * The contract between the node and the credential (docs/signing.md#where-parameters-go): the node
 * names the API in the `x-acs-action` and `x-acs-version` headers and passes business parameters
 * in `qs`; the credential turns that into a signed request. This module reads that shape without
 * depending on n8n's types, so it stays pure.
 */

/** The parts of n8n's `IHttpRequestOptions` the credential reads. */
export interface RequestOptionsLike {
	headers?: Readonly<Record<string, unknown>>;
	qs?: Readonly<Record<string, unknown>>;
	body?: unknown;
}

function headerText(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

function isEmptyBody(body: unknown): boolean {
	if (body === undefined || body === null || body === '') return true;
	return (
		typeof body === 'object' &&
		Object.getPrototypeOf(body) === Object.prototype &&
		Object.keys(body as object).length === 0
	);
}

/** Reads the API and its parameters from request options; header names are case-insensitive. */
export function readRpcRequest(options: RequestOptionsLike): RpcRequest {
	const headers: Record<string, string> = {};
	let action: string | undefined;
	let version: string | undefined;
	const rawHeaders = options.headers ?? {};
	for (const name of Object.keys(rawHeaders)) {
		const value = headerText(rawHeaders[name]);
		if (value === undefined) continue;
		const lowerCaseName = name.toLowerCase();
		if (lowerCaseName === HEADER.action) action = value.trim();
		else if (lowerCaseName === HEADER.version) version = value.trim();
		else headers[name] = value;
	}
	if (!action || !version) {
		const missing = !action ? HEADER.action : HEADER.version;
		throw new SigningError(
			`Cannot sign the request: the ${missing} header is missing. Requests signed with this ` +
				'credential must name the Alibaba Cloud API in the x-acs-action and x-acs-version headers.',
			missing,
		);
	}

	if (!isEmptyBody(options.body)) {
		throw new SigningError(
			'Cannot sign the request: it already has a body. Pass Alibaba Cloud API parameters in qs; ' +
				'the credential builds and signs the form body itself.',
			'body',
		);
	}

	const parameters: Record<string, ParameterValue> = Object.create(null) as Record<
		string,
		ParameterValue
	>;
	const qs = options.qs ?? {};
	for (const name of Object.keys(qs)) {
		const value = qs[name];
		if (
			value === undefined ||
			value === null ||
			typeof value === 'string' ||
			typeof value === 'number' ||
			typeof value === 'boolean'
		) {
			parameters[name] = value;
		} else {
			throw new SigningError(
				`Cannot sign the request: the parameter "${name}" must be a string, number or boolean, ` +
					'not an object or array.',
				name,
			);
		}
	}
	return { action, version, parameters, headers };
}
