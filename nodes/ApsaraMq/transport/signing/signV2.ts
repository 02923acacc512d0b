import { createHmac } from 'crypto';

import { buildCanonicalQuery } from './canonicalQuery';
import type { ParameterMap } from './canonicalQuery';
import { percentEncode } from './percentEncode';

/**
 * Signature V2, RPC HMAC-SHA1 with `SignatureVersion=1.0` (docs/signing.md#v2-string-to-sign).
 */

/** Base64 HMAC-SHA1 over the UTF-8 bytes of `data`. */
export function hmacSha1Base64(key: string, data: string): string {
	return createHmac('sha1', key).update(data, 'utf8').digest('base64');
}

/**
 * Step 5: `METHOD&%2F&encode(canonicalizedQuery)`. The canonical string is percent-encoded a
 * second time, so `=` → `%3D`, `&` → `%26` and an escape such as `%3A` → `%253A`.
 */
export function buildV2StringToSign(method: string, canonicalQuery: string): string {
	return `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery)}`;
}

/** Step 6: the HMAC key is the secret followed by `&`, a detail that is easy to miss. */
export function signV2StringToSign(stringToSign: string, accessKeySecret: string): string {
	return hmacSha1Base64(`${accessKeySecret}&`, stringToSign);
}

/** Every intermediate stage, so tests can name the stage that diverged. */
export interface V2Signature {
	canonicalQuery: string;
	stringToSign: string;
	/** Raw Base64; it must be percent-encoded again where it is sent (`+` → `%2B`). */
	signature: string;
}

/**
 * Signs `params` (every parameter except `Signature`: common and business ones together) for the
 * HTTP `method` that will actually be used, because the method is part of the string to sign.
 */
export function signV2(params: ParameterMap, method: string, accessKeySecret: string): V2Signature {
	const canonicalQuery = buildCanonicalQuery(params);
	const stringToSign = buildV2StringToSign(method, canonicalQuery);
	return {
		canonicalQuery,
		stringToSign,
		signature: signV2StringToSign(stringToSign, accessKeySecret),
	};
}
