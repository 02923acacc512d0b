/**
 * Stage 1 of both signature versions: the strict RFC 3986 percent-encoder over UTF-8
 * (alibaba-openapi.md section 3).
 *
 * `encodeURIComponent` already works on UTF-8 bytes, writes upper-case hex, keeps `-_.~` and
 * encodes a space as `%20` (never `+`). It leaves `!'()*` alone, which RFC 3986 reserves and
 * Alibaba's canonical form encodes. Patching those five afterwards with a regular expression
 * costs a callback per match, which made a 60 KB payload full of them slower to sign than
 * Alibaba's own code; such values go through a table over their UTF-8 bytes instead.
 */

const RESERVED_BY_RFC_3986 = /[!'()*]/;

/** The encoded form of every byte: unreserved ASCII as is, everything else `%XX`. */
const ENCODED_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
	/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte)) && byte < 0x80
		? String.fromCharCode(byte)
		: `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
);

const utf8 = new TextEncoder();

/**
 * Percent-encodes `value` exactly as Alibaba's signers do.
 *
 * Throws `URIError` on a lone UTF-16 surrogate, which has no UTF-8 form; callers validate input
 * with {@link hasLoneSurrogate} first to give a better message.
 */
export function percentEncode(value: string): string {
	if (!RESERVED_BY_RFC_3986.test(value)) return encodeURIComponent(value);
	if (hasLoneSurrogate(value)) throw new URIError('URI malformed');
	let encoded = '';
	const bytes = utf8.encode(value);
	for (let i = 0; i < bytes.length; i++) encoded += ENCODED_BYTE[bytes[i]];
	return encoded;
}

/** `String.prototype.isWellFormed` (Node.js 20+), missing from the ES2022 typings we compile with. */
interface WellFormedCheck {
	isWellFormed(): boolean;
}

/** Whether `value` holds half of a surrogate pair, i.e. cannot be encoded as UTF-8. */
export function hasLoneSurrogate(value: string): boolean {
	return !(value as unknown as WellFormedCheck).isWellFormed();
}
