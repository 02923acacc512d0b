/**
 * The emulator's own check of the MQ HTTP signature (docs/mq-http-server.md#signature), written
 * apart from the package's signer so that a bug in one cannot hide behind the same bug in the other.
 */
import { createHash, createHmac } from 'node:crypto';

/** The headers that enter the string to sign, as the server received them (names lower case). */
export interface SignedParts {
	method: string;
	contentMd5?: string;
	contentType?: string;
	date: string;
	/** Every `x-mq-*` header with its value. */
	mqHeaders: Record<string, string>;
	/** Path and query exactly as sent: not decoded, not sorted. */
	resource: string;
}

export function mqStringToSign(parts: SignedParts): string {
	const canonicalHeaders = Object.keys(parts.mqHeaders)
		.map((name) => name.toLowerCase())
		.sort()
		.map((name) => `${name}:${parts.mqHeaders[name]}\n`)
		.join('');
	return (
		[parts.method.toUpperCase(), parts.contentMd5 ?? '', parts.contentType ?? '', parts.date].join(
			'\n',
		) +
		'\n' +
		canonicalHeaders +
		parts.resource
	);
}

export function mqSignature(secret: string, stringToSign: string): string {
	return createHmac('sha1', Buffer.from(secret, 'utf8'))
		.update(Buffer.from(stringToSign, 'utf8'))
		.digest('base64');
}

/**
 * The `Content-MD5` form Alibaba's Node and Go SDKs send: base64 of the lower-case hex digest
 * string, not of the raw 16 bytes (docs/mq-http-server.md#content-md5).
 */
export function sdkContentMd5(body: Buffer): string {
	return Buffer.from(createHash('md5').update(body).digest('hex'), 'utf8').toString('base64');
}

/** `MQ <AccessKeyId>:<Signature>`, or null when the header does not have that shape. */
export function parseMqAuthorization(
	header: string,
): { accessKeyId: string; signature: string } | null {
	const match = /^MQ ([^:\s]+):(\S+)$/.exec(header);
	return match ? { accessKeyId: match[1], signature: match[2] } : null;
}

/** RFC 1123 GMT date as `Date.prototype.toUTCString()` writes it; null when it is not one. */
export function parseHttpDate(value: string): number | null {
	if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) return null;
	const t = Date.parse(value);
	return Number.isNaN(t) ? null : t;
}
