/**
 * Stage 1 of both signature versions: the strict RFC 3986 percent-encoder over UTF-8
 * (alibaba-openapi.md section 3).
 *
 * `encodeURIComponent` already works on UTF-8 bytes, writes upper-case hex, keeps `-_.~` and
 * encodes a space as `%20` (never `+`). It leaves `!'()*` alone, which RFC 3986 reserves and
 * Alibaba's canonical form encodes, so those five are finished by hand.
 */

const LEFT_BY_ENCODE_URI_COMPONENT = /[!'()*]/g;

const hexEscape = (character: string): string =>
	`%${character.charCodeAt(0).toString(16).toUpperCase()}`;

/**
 * Percent-encodes `value` exactly as Alibaba's signers do.
 *
 * Throws `URIError` on a lone UTF-16 surrogate, which has no UTF-8 form; callers validate input
 * with {@link hasLoneSurrogate} first to give a better message.
 */
export function percentEncode(value: string): string {
	return encodeURIComponent(value).replace(LEFT_BY_ENCODE_URI_COMPONENT, hexEscape);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `value` holds half of a surrogate pair, i.e. cannot be encoded as UTF-8. */
export function hasLoneSurrogate(value: string): boolean {
	return LONE_SURROGATE.test(value);
}
