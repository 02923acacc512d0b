import { percentEncode } from './percentEncode';

/**
 * Stage 2: the canonicalized query string, the same for V2 and V3
 * (docs/signing.md#canonical-query).
 */

/** Parameter name → value, both already strings (see `normalizeParameters` in signRequest.ts). */
export type ParameterMap = Readonly<Record<string, string>>;

/**
 * Parameter names in signing order.
 *
 * "Sorted by name" means the default `Array#sort`, which compares UTF-16 code units. That is what
 * Alibaba's own signers do (`Object.keys(params).sort()` in `@alicloud/openapi-util` and
 * `@alicloud/pop-core`) and what Java's `String#compareTo` on the gateway side does. It equals
 * UTF-8 byte order for every name below U+D800, which covers every real parameter name.
 */
export function sortedParameterNames(params: ParameterMap): string[] {
	return Object.keys(params).sort();
}

/**
 * `encode(name)=encode(value)` pairs sorted by raw name and joined with `&`; an empty value is
 * written `name=` (valueless keys are never produced, docs/signing.md#vector-g-and-h).
 *
 * The same string is the V2 canonicalized query, the V3 canonical query, and, because what is
 * signed is what is sent, the form body of this package's requests: it contains only unreserved
 * characters and `%XY` escapes, so no HTTP layer re-encodes it and a `+` is always `%2B`.
 */
export function buildCanonicalQuery(params: ParameterMap): string {
	return sortedParameterNames(params)
		.map((name) => `${percentEncode(name)}=${percentEncode(params[name])}`)
		.join('&');
}
