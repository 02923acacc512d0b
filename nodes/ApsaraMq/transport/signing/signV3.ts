import { createHash, createHmac } from 'crypto';

import { buildCanonicalHeaders } from './canonicalHeaders';
import type { HeaderMap } from './canonicalHeaders';
import { buildCanonicalQuery } from './canonicalQuery';
import type { ParameterMap } from './canonicalQuery';
import { RPC_PATH, V3_ALGORITHM } from './constants';

/**
 * Signature V3, ACS3-HMAC-SHA256 (docs/signing.md#v3-string-to-sign).
 */

/** Lower-case hex SHA-256. Strings are hashed as UTF-8; pass bytes to hash them as they are. */
export function sha256Hex(data: string | Uint8Array): string {
	return createHash('sha256').update(data).digest('hex');
}

/** Lower-case hex HMAC-SHA256 over the UTF-8 bytes of `data`. */
export function hmacSha256Hex(key: string, data: string): string {
	return createHmac('sha256', key).update(data, 'utf8').digest('hex');
}

/**
 * `HashedRequestPayload` and the `x-acs-content-sha256` header: the hash of the exact body bytes.
 * A form body is hashed as sent, never re-canonicalised.
 */
export function hashPayload(body: string | Uint8Array): string {
	return sha256Hex(body);
}

export interface CanonicalRequestParts {
	method: string;
	canonicalUri: string;
	canonicalQuery: string;
	/** Already ends in `\n`, so a blank line follows it in the canonical request. */
	canonicalHeaders: string;
	signedHeaders: string;
	hashedPayload: string;
}

/** The canonical request: six parts joined by newlines, in the order the spec lists them. */
export function buildCanonicalRequest(parts: CanonicalRequestParts): string {
	const { method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders, hashedPayload } =
		parts;
	return `${method}\n${canonicalUri}\n${canonicalQuery}\n${canonicalHeaders}\n${signedHeaders}\n${hashedPayload}`;
}

/** `ACS3-HMAC-SHA256\n` + the hex SHA-256 of the canonical request. */
export function buildV3StringToSign(hashedCanonicalRequest: string): string {
	return `${V3_ALGORITHM}\n${hashedCanonicalRequest}`;
}

/** Unlike V2, the HMAC key is the raw secret with no `&` appended. */
export function signV3StringToSign(stringToSign: string, accessKeySecret: string): string {
	return hmacSha256Hex(accessKeySecret, stringToSign);
}

export function buildAuthorization(
	accessKeyId: string,
	signedHeaders: string,
	signature: string,
): string {
	return `${V3_ALGORITHM} Credential=${accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
}

export interface V3SigningInput {
	method: string;
	/** `/` for RPC APIs; the default. */
	canonicalUri?: string;
	/** Query parameters; this package sends none, but the stage is implemented in full. */
	query: ParameterMap;
	/**
	 * An already canonical query string, signed as it is instead of one built from `query`: a
	 * canonical form no parameter map produces, such as a valueless key (vector H of docs/signing.md#vectors).
	 */
	canonicalQuery?: string;
	/** Every header that will be sent; the signed ones are picked out here. */
	headers: HeaderMap;
	/** Must equal the `x-acs-content-sha256` header. */
	hashedPayload: string;
	accessKeyId: string;
	accessKeySecret: string;
}

/** Every intermediate stage, so tests can name the stage that diverged. */
export interface V3Signature {
	canonicalQuery: string;
	canonicalHeaders: string;
	signedHeaders: string;
	canonicalRequest: string;
	hashedCanonicalRequest: string;
	stringToSign: string;
	signature: string;
	authorization: string;
}

export function signV3(input: V3SigningInput): V3Signature {
	const canonicalQuery = input.canonicalQuery ?? buildCanonicalQuery(input.query);
	const { canonicalHeaders, signedHeaders } = buildCanonicalHeaders(input.headers);
	const canonicalRequest = buildCanonicalRequest({
		method: input.method,
		canonicalUri: input.canonicalUri ?? RPC_PATH,
		canonicalQuery,
		canonicalHeaders,
		signedHeaders,
		hashedPayload: input.hashedPayload,
	});
	const hashedCanonicalRequest = sha256Hex(canonicalRequest);
	const stringToSign = buildV3StringToSign(hashedCanonicalRequest);
	const signature = signV3StringToSign(stringToSign, input.accessKeySecret);
	return {
		canonicalQuery,
		canonicalHeaders,
		signedHeaders,
		canonicalRequest,
		hashedCanonicalRequest,
		stringToSign,
		signature,
		authorization: buildAuthorization(input.accessKeyId, signedHeaders, signature),
	};
}
