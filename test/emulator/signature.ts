/**
 * Server-side signature reconstruction for V2 (HMAC-SHA1 RPC) and V3 (ACS3-HMAC-SHA256),
 * as docs/signing.md#v2 and docs/signing.md#v3 describe them, checked as README.md here says.
 * Pure functions; the emulator feeds them decoded parameters.
 * Never imports the package's signer (see encoding.ts).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import { percentEncode } from './encoding';

export const ACS3 = 'ACS3-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function sha256Hex(data: Buffer | string): string {
	return createHash('sha256').update(data).digest('hex');
}

function byName(a: [string, string], b: [string, string]): number {
	return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

export interface V2StringToSign {
	canonicalizedQueryString: string;
	stringToSign: string;
}

/**
 * V2: every parameter except `Signature`, sorted by raw name, strictly encoded, joined; then
 * `METHOD&%2F&` + the canonical string encoded a second time.
 */
export function v2StringToSign(method: string, params: Iterable<[string, string]>): V2StringToSign {
	const sorted = [...params].filter(([k]) => k !== 'Signature').sort(byName);
	const canonicalizedQueryString = sorted
		.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
		.join('&');
	return {
		canonicalizedQueryString,
		stringToSign: `${method}&${percentEncode('/')}&${percentEncode(canonicalizedQueryString)}`,
	};
}

/** V2 signature: Base64(HMAC-SHA1(key = secret + "&", stringToSign)). */
export function v2Signature(stringToSign: string, secret: string): string {
	return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

export interface Acs3Authorization {
	credential: string;
	signedHeaders: string[];
	signature: string;
}

/**
 * Parses `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>`; the three
 * parts may come in any order, separated by commas with optional spaces. Returns null when any
 * part is missing or empty.
 */
export function parseAcs3Authorization(header: string): Acs3Authorization | null {
	if (!header.startsWith(`${ACS3} `)) return null;
	const fields = new Map<string, string>();
	for (const part of header.slice(ACS3.length + 1).split(',')) {
		const eq = part.indexOf('=');
		if (eq === -1) return null;
		fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
	}
	const credential = fields.get('Credential');
	const signedHeaders = fields.get('SignedHeaders');
	const signature = fields.get('Signature');
	if (!credential || !signedHeaders || !signature) return null;
	return {
		credential,
		signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()),
		signature,
	};
}

export interface V3Input {
	method: string;
	/** The canonical URI, `/` for RPC. */
	path: string;
	/** Decoded query parameters (re-encoded strictly here). */
	query: Iterable<[string, string]>;
	/** Lower-case header names in the order given by `SignedHeaders`. */
	signedHeaders: string[];
	/** All values received for a lower-case header name. */
	headerValues: (name: string) => string[] | undefined;
	/** Lower-case hex SHA-256 of the raw body. */
	payloadHash: string;
}

export interface V3Canonical {
	canonicalQueryString: string;
	canonicalRequest: string;
	hashedCanonicalRequest: string;
	stringToSign: string;
}

/**
 * V3 canonical request. Header values are trimmed; repeated headers are merged into one line
 * with their values sorted and joined by `,` (docs/signing.md#canonical-headers).
 */
export function v3Canonical(input: V3Input): V3Canonical {
	const canonicalQueryString = [...input.query]
		.sort(byName)
		.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
		.join('&');
	let canonicalHeaders = '';
	for (const name of input.signedHeaders) {
		const values = (input.headerValues(name) ?? []).map((v) => v.trim()).sort();
		canonicalHeaders += `${name}:${values.join(',')}\n`;
	}
	const canonicalRequest = [
		input.method,
		input.path,
		canonicalQueryString,
		canonicalHeaders,
		input.signedHeaders.join(';'),
		input.payloadHash,
	].join('\n');
	const hashedCanonicalRequest = sha256Hex(canonicalRequest);
	return {
		canonicalQueryString,
		canonicalRequest,
		hashedCanonicalRequest,
		stringToSign: `${ACS3}\n${hashedCanonicalRequest}`,
	};
}

/** V3 signature: hex(HMAC-SHA256(key = raw secret, stringToSign)). */
export function v3Signature(stringToSign: string, secret: string): string {
	return createHmac('sha256', secret).update(stringToSign, 'utf8').digest('hex');
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
	const ba = Buffer.from(a, 'utf8');
	const bb = Buffer.from(b, 'utf8');
	return ba.length === bb.length && timingSafeEqual(ba, bb);
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/**
 * Parses `yyyy-MM-ddTHH:mm:ssZ` strictly (UTC, no milliseconds, no offset). Returns epoch ms or
 * null when the text is not a valid timestamp in that exact format.
 */
export function parseAcsTimestamp(text: string): number | null {
	const m = TIMESTAMP.exec(text);
	if (!m) return null;
	const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
	const ms = Date.UTC(y, mo - 1, d, h, mi, s);
	const back = new Date(ms);
	if (
		back.getUTCFullYear() !== y ||
		back.getUTCMonth() !== mo - 1 ||
		back.getUTCDate() !== d ||
		back.getUTCHours() !== h ||
		back.getUTCMinutes() !== mi ||
		back.getUTCSeconds() !== s
	) {
		return null;
	}
	return ms;
}
