import { HEADER, SIGNED_HEADER_PREFIX } from './constants';

/**
 * Stage 3 (V3 only): canonical headers and signed headers (docs/signing.md#canonical-headers).
 */

/** A header value as requests carry it; a repeated header may be given as an array. */
export type HeaderValue = string | readonly string[] | undefined;
export type HeaderMap = Readonly<Record<string, HeaderValue>>;

export interface CanonicalHeaders {
	/** `name:value\n` per signed header, sorted by name; ends in `\n`. */
	canonicalHeaders: string;
	/** The same names joined with `;`. */
	signedHeaders: string;
}

/** `host`, `content-type` and every `x-acs-*` header are signed; nothing else is. */
export function isSignedHeader(lowerCaseName: string): boolean {
	return (
		lowerCaseName === HEADER.host ||
		lowerCaseName === HEADER.contentType ||
		lowerCaseName.startsWith(SIGNED_HEADER_PREFIX)
	);
}

/**
 * Lower-cases names, keeps the signed ones, trims values, and merges repeated names (spelt in
 * different cases in a plain object, or given as an array) into one line whose values are sorted
 * and joined with `,`, as Alibaba's `getAuthorization` does (docs/signing.md#vector-g-and-h).
 */
export function buildCanonicalHeaders(headers: HeaderMap): CanonicalHeaders {
	const merged = new Map<string, string[]>();
	for (const name of Object.keys(headers)) {
		const raw = headers[name];
		if (raw === undefined) continue;
		const lowerCaseName = name.toLowerCase();
		if (!isSignedHeader(lowerCaseName)) continue;
		const values = typeof raw === 'string' ? [raw] : raw;
		const list = merged.get(lowerCaseName) ?? [];
		for (const value of values) list.push(value.trim());
		merged.set(lowerCaseName, list);
	}
	const names = [...merged.keys()].sort();
	return {
		canonicalHeaders: names
			.map((name) => `${name}:${(merged.get(name) ?? []).sort().join(',')}\n`)
			.join(''),
		signedHeaders: names.join(';'),
	};
}
