/**
 * The emulator's own percent-encoding and form decoding (docs/signing.md#percent-encoding and
 * docs/signing.md#where-parameters-go).
 *
 * Deliberately independent of `nodes/` and `credentials/`: if the package's signer and the
 * emulator shared an encoder, a bug in it would cancel out and every test would still pass.
 */

const UNRESERVED = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~') {
	UNRESERVED[c.charCodeAt(0)] = 1;
}
const ESCAPES: string[] = [];
for (let b = 0; b < 256; b++) {
	ESCAPES.push(
		UNRESERVED[b] ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0'),
	);
}

/**
 * Strict RFC 3986 encoding over the UTF-8 bytes of `value`: unreserved characters stay, every
 * other byte becomes `%XY` with upper-case hex (space → `%20`, `*` → `%2A`, `~` stays).
 */
export function percentEncode(value: string): string {
	const bytes = Buffer.from(value, 'utf8');
	let out = '';
	for (let i = 0; i < bytes.length; i++) out += ESCAPES[bytes[i]];
	return out;
}

function hexValue(b: number): number {
	if (b >= 0x30 && b <= 0x39) return b - 0x30;
	if (b >= 0x41 && b <= 0x46) return b - 0x37;
	if (b >= 0x61 && b <= 0x66) return b - 0x57;
	return -1;
}

/**
 * Decodes one `application/x-www-form-urlencoded` component the way the gateway does: `+` is a
 * space, `%XY` is a byte, the resulting bytes are UTF-8. A `%` not followed by two hex digits is
 * kept literally; invalid UTF-8 becomes U+FFFD.
 */
export function formDecode(bytes: Buffer, start = 0, end = bytes.length): string {
	const out = Buffer.allocUnsafe(end - start);
	let n = 0;
	for (let i = start; i < end; i++) {
		const b = bytes[i];
		if (b === 0x2b) {
			out[n++] = 0x20;
		} else if (b === 0x25 && i + 2 < end) {
			const hi = hexValue(bytes[i + 1]);
			const lo = hexValue(bytes[i + 2]);
			if (hi >= 0 && lo >= 0) {
				out[n++] = (hi << 4) | lo;
				i += 2;
			} else {
				out[n++] = b;
			}
		} else {
			out[n++] = b;
		}
	}
	return out.toString('utf8', 0, n);
}

/** One decoded `name=value` pair; `hasValue` is false for a valueless key such as `?empty`. */
export interface FormPair {
	name: string;
	value: string;
	hasValue: boolean;
}

/** Splits a query string or form body on `&`, then on the first `=`, and decodes both halves. */
export function parseUrlEncoded(input: Buffer | string): FormPair[] {
	const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
	const pairs: FormPair[] = [];
	let start = 0;
	while (start <= bytes.length) {
		let end = bytes.indexOf(0x26, start);
		if (end === -1) end = bytes.length;
		if (end > start) {
			const eq = bytes.indexOf(0x3d, start);
			if (eq !== -1 && eq < end) {
				pairs.push({
					name: formDecode(bytes, start, eq),
					value: formDecode(bytes, eq + 1, end),
					hasValue: true,
				});
			} else {
				pairs.push({ name: formDecode(bytes, start, end), value: '', hasValue: false });
			}
		}
		start = end + 1;
	}
	return pairs;
}

/** Pairs to a plain map; on a repeated name the last occurrence wins (documented choice). */
export function pairsToMap(pairs: FormPair[]): Map<string, string> {
	const map = new Map<string, string>();
	for (const p of pairs) map.set(p.name, p.value);
	return map;
}
