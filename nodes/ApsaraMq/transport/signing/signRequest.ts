import { buildCanonicalQuery } from './canonicalQuery';
import type { ParameterMap } from './canonicalQuery';
import {
	ACCEPT_JSON,
	FORM_CONTENT_TYPE,
	HEADER,
	RPC_METHOD,
	RPC_PATH,
	USER_AGENT,
	V2_FORMAT,
	V2_RESERVED_PARAMETERS,
	V2_SIGNATURE_METHOD,
	V2_SIGNATURE_VERSION,
} from './constants';
import { hostOf, productForVersion, resolveBaseUrl } from './endpoint';
import type { EndpointSettings } from './endpoint';
import { SigningError } from './errors';
import { formatTimestamp } from './formatTimestamp';
import { hasLoneSurrogate, percentEncode } from './percentEncode';
import { signV2 } from './signV2';
import { hashPayload, signV3 } from './signV3';

/**
 * Orchestration: one Alibaba RPC call → the exact HTTP request to send.
 *
 * Where parameters go is a project decision (docs/signing.md#where-parameters-go): always `POST`
 * to the base URL with path `/` and no query string; every parameter in an
 * `application/x-www-form-urlencoded` body built with the strict encoder, so what is signed is
 * what is sent and a `+` can never reach the server raw.
 * - V2 (docs/signing.md#v2): the body holds the common and business parameters plus `Signature`,
 *   in the order `@alicloud/pop-core` writes them (canonical query, then `Signature` last).
 * - V3 (docs/signing.md#v3): the body holds only the business parameters; `content-type` is
 *   signed and `x-acs-content-sha256` is the hash of those exact bytes. The canonical URI is
 *   always `/`, the RPC resource path: a path prefix of a custom endpoint belongs to a gateway in
 *   front of Alibaba, not to the API.
 *
 * The clock and the nonce come in through {@link SigningContext}: the signer never reads the time
 * or generates randomness itself, so tests pin them and every retry can be signed afresh.
 */

export type SignatureVersion = 'v2' | 'v3';
export const SIGNATURE_VERSIONS: readonly SignatureVersion[] = ['v3', 'v2'];

export interface SigningCredentials {
	/** Already trimmed. */
	accessKeyId: string;
	/** Already trimmed; used only as the HMAC key. */
	accessKeySecret: string;
	/** STS token; absent or empty for long-term AccessKeys. */
	securityToken?: string;
}

export interface SigningContext {
	now: Date;
	/** Unique per attempt (docs/signing.md#request-basics); `crypto.randomUUID()` in production. */
	nonce: string;
}

export type ParameterValue = string | number | boolean | null | undefined;

export interface RpcRequest {
	/** API name, e.g. `SendMessage`. */
	action: string;
	/** API version, e.g. `2020-04-20`; it selects the product. */
	version: string;
	/** Business parameters; `undefined` and `null` ones are left out. */
	parameters: Readonly<Record<string, ParameterValue>>;
	/** Further headers to send as they are; under V3 any `x-acs-*` among them is signed too. */
	headers?: Readonly<Record<string, string>>;
}

export interface SignRequestInput {
	request: RpcRequest;
	credentials: SigningCredentials;
	signatureVersion: SignatureVersion;
	endpoint: EndpointSettings;
}

export interface SignedRequest {
	method: 'POST';
	/** Absolute base URL ending in `/`. */
	url: string;
	/** Header names in lower case. */
	headers: Record<string, string>;
	/** The exact form body. */
	body: string;
}

/** Headers this module sets itself; a caller's copy (in any letter case) is replaced. */
const MANAGED_HEADERS = new Set<string>([
	HEADER.accept,
	HEADER.action,
	HEADER.authorization,
	HEADER.contentLength,
	HEADER.contentSha256,
	HEADER.contentType,
	HEADER.date,
	HEADER.host,
	HEADER.nonce,
	HEADER.securityToken,
	HEADER.userAgent,
	HEADER.version,
]);

const ACTION_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
/** Printable ASCII without spaces: safe inside a header and inside `Credential=...,`. */
const HEADER_TOKEN = /^[\x21-\x2B\x2D-\x7E]+$/;
/** Printable ASCII: safe as a header value. */
const HEADER_TEXT = /^[\x20-\x7E]+$/;

/**
 * Business parameters as the strings that will be signed and sent: `undefined`/`null` dropped,
 * numbers and booleans converted with `String()`. Refuses what cannot be signed faithfully.
 * The result has no prototype, so a parameter called `__proto__` is an ordinary entry.
 */
export function normalizeParameters(
	parameters: Readonly<Record<string, ParameterValue>>,
): Record<string, string> {
	const result = Object.create(null) as Record<string, string>;
	for (const name of Object.keys(parameters)) {
		const value: unknown = parameters[name];
		if (value === undefined || value === null) continue;
		if (name === '' || hasLoneSurrogate(name)) {
			throw new SigningError(
				`Cannot sign the request: the parameter name ${JSON.stringify(name)} is empty or not valid Unicode.`,
			);
		}
		let text: string;
		if (typeof value === 'string') text = value;
		else if (typeof value === 'boolean') text = String(value);
		else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
		else {
			throw new SigningError(
				`Cannot sign the request: the parameter "${name}" must be a string, a finite number or a boolean.`,
			);
		}
		if (hasLoneSurrogate(text)) {
			throw new SigningError(
				`Cannot sign the request: the value of the parameter "${name}" contains an unpaired ` +
					'UTF-16 surrogate (half of an emoji or other character), which has no UTF-8 form.',
			);
		}
		result[name] = text;
	}
	return result;
}

function checkCredentials(credentials: SigningCredentials): void {
	if (credentials.accessKeyId === '' || credentials.accessKeySecret === '') {
		throw new SigningError(
			credentials.accessKeyId === ''
				? 'AccessKey ID (accessKeyId) is empty.'
				: 'AccessKey Secret (accessKeySecret) is empty.',
			credentials.accessKeyId === '' ? 'accessKeyId' : 'accessKeySecret',
		);
	}
	if (!HEADER_TOKEN.test(credentials.accessKeyId)) {
		throw new SigningError(
			'AccessKey ID (accessKeyId) contains characters an AccessKey ID never has (spaces, commas, ' +
				'line breaks or non-ASCII characters). Copy it again from the RAM console (AccessKey pairs).',
			'accessKeyId',
		);
	}
	const token = credentials.securityToken;
	if (token !== undefined && token !== '' && !HEADER_TEXT.test(token)) {
		throw new SigningError(
			'Security Token (securityToken) contains line breaks or non-ASCII characters. Paste the STS ' +
				'token again as a single line.',
			'securityToken',
		);
	}
}

function checkRequest(request: RpcRequest, context: SigningContext): void {
	if (!ACTION_NAME.test(request.action)) {
		throw new SigningError(
			`Cannot sign the request: the API name ${JSON.stringify(request.action)} in the x-acs-action ` +
				'header is empty or not a valid Alibaba Cloud action name.',
			HEADER.action,
		);
	}
	if (!HEADER_TOKEN.test(context.nonce)) {
		throw new SigningError('Cannot sign the request: the signature nonce is empty or malformed.');
	}
}

/** The caller's extra headers minus the ones this module manages. */
function passThroughHeaders(
	headers: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
	const result: Record<string, string> = {};
	if (headers === undefined) return result;
	for (const name of Object.keys(headers)) {
		const lowerCaseName = name.toLowerCase();
		if (!MANAGED_HEADERS.has(lowerCaseName)) result[lowerCaseName] = headers[name];
	}
	return result;
}

function signAsV2(
	input: SignRequestInput,
	business: ParameterMap,
	timestamp: string,
	nonce: string,
): string {
	for (const name of V2_RESERVED_PARAMETERS) {
		if (Object.prototype.hasOwnProperty.call(business, name)) {
			throw new SigningError(
				`Cannot sign the request: "${name}" is a signature parameter and cannot be sent as a ` +
					'business parameter.',
			);
		}
	}
	const { credentials, request } = input;
	const params: Record<string, string> = {
		...business,
		AccessKeyId: credentials.accessKeyId,
		Action: request.action,
		Format: V2_FORMAT,
		SignatureMethod: V2_SIGNATURE_METHOD,
		SignatureNonce: nonce,
		SignatureVersion: V2_SIGNATURE_VERSION,
		Timestamp: timestamp,
		Version: request.version,
	};
	if (credentials.securityToken) params.SecurityToken = credentials.securityToken;
	const { canonicalQuery, signature } = signV2(params, RPC_METHOD, credentials.accessKeySecret);
	return `${canonicalQuery}&Signature=${percentEncode(signature)}`;
}

/**
 * Signs one RPC call. Pure: the same input and context always give the same request.
 * Throws {@link SigningError} with a user-facing message on invalid input.
 */
export function signRequest(input: SignRequestInput, context: SigningContext): SignedRequest {
	const { request, credentials, signatureVersion } = input;
	checkCredentials(credentials);
	checkRequest(request, context);
	const url = resolveBaseUrl(productForVersion(request.version), input.endpoint);
	const business = normalizeParameters(request.parameters);
	const timestamp = formatTimestamp(context.now);

	const headers: Record<string, string> = {
		...passThroughHeaders(request.headers),
		[HEADER.contentType]: FORM_CONTENT_TYPE,
		[HEADER.accept]: ACCEPT_JSON,
		[HEADER.userAgent]: USER_AGENT,
		[HEADER.action]: request.action,
		[HEADER.version]: request.version,
	};

	if (signatureVersion === 'v2') {
		const body = signAsV2(input, business, timestamp, context.nonce);
		return { method: RPC_METHOD, url, headers, body };
	}
	if (signatureVersion !== 'v3') {
		throw new SigningError(
			`Signature Version (signatureVersion) ${JSON.stringify(signatureVersion)} is not v3 or v2.`,
			'signatureVersion',
		);
	}

	const body = buildCanonicalQuery(business);
	const hashedPayload = hashPayload(body);
	headers[HEADER.host] = hostOf(url);
	headers[HEADER.date] = timestamp;
	headers[HEADER.nonce] = context.nonce;
	headers[HEADER.contentSha256] = hashedPayload;
	if (credentials.securityToken) headers[HEADER.securityToken] = credentials.securityToken;
	headers[HEADER.authorization] = signV3({
		method: RPC_METHOD,
		canonicalUri: RPC_PATH,
		query: {},
		headers,
		hashedPayload,
		accessKeyId: credentials.accessKeyId,
		accessKeySecret: credentials.accessKeySecret,
	}).authorization;
	return { method: RPC_METHOD, url, headers, body };
}
