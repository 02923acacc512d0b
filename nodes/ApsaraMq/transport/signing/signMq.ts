import { createHash } from 'crypto';

import { SigningError } from './errors';
import { isLoopbackHost } from './endpoint';
import type { SigningCredentials } from './signRequest';
import { hmacSha1Base64 } from './signV2';

/**
 * The MQ HTTP signature of the RocketMQ 4.x HTTP protocol (docs/signing.md#mq-http), as pure
 * stages: string to sign, signature, and the headers of one request. The clock comes in as a
 * `Date`; nothing here reads the time or does I/O.
 */

/** The header by which the node asks the credential for this signature instead of V2/V3. */
export const MQ_SIGNING_HEADER = 'x-apsaramq-signing';
export const MQ_SIGNING_VALUE = 'mq-http';

export const MQ_PROTOCOL_VERSION = '2015-06-06';
/** Alibaba's Node SDK sends and signs this exact spelling on every request, GET included. */
export const MQ_CONTENT_TYPE = 'text/xml;charset=utf-8';

export interface MqStringToSignParts {
	/** Upper case, as sent. */
	method: string;
	/** The `Content-MD5` header as sent, '' without one. */
	contentMd5: string;
	/** The `Content-Type` header as sent, '' without one. */
	contentType: string;
	/** The `Date` header as sent (RFC 1123 GMT). */
	date: string;
	/** Every header sent; only the `x-mq-*` ones take part. */
	headers: Readonly<Record<string, string>>;
	/** Path and query exactly as sent: neither sorted nor re-encoded. */
	resource: string;
}

/** `x-mq-*` headers, names in lower case, sorted, each `name:value\n`. */
export function canonicalMqHeaders(headers: Readonly<Record<string, string>>): string {
	const mqHeaders = new Map<string, string>();
	for (const name of Object.keys(headers)) {
		const lowerCaseName = name.toLowerCase();
		if (lowerCaseName.startsWith('x-mq-')) mqHeaders.set(lowerCaseName, headers[name]);
	}
	return [...mqHeaders.keys()]
		.sort()
		.map((name) => `${name}:${mqHeaders.get(name)}\n`)
		.join('');
}

/** `METHOD\nMD5\nTYPE\nDATE\n` + canonical `x-mq-*` headers + resource. */
export function mqStringToSign(parts: MqStringToSignParts): string {
	return (
		`${parts.method}\n${parts.contentMd5}\n${parts.contentType}\n${parts.date}\n` +
		canonicalMqHeaders(parts.headers) +
		parts.resource
	);
}

/** Base64 HMAC-SHA1 keyed with the secret itself (no `&`, unlike V2). */
export function mqSignature(accessKeySecret: string, stringToSign: string): string {
	return hmacSha1Base64(accessKeySecret, stringToSign);
}

/**
 * `Content-MD5` in the form Alibaba's Node and Go SDKs send: Base64 of the 32-character
 * lower-case hex digest, not of the 16 raw bytes (docs/signing.md#mq-http).
 */
export function mqContentMd5(body: string): string {
	const hex = createHash('md5').update(body, 'utf8').digest('hex');
	return Buffer.from(hex, 'utf8').toString('base64');
}

/** `Date` header: RFC 1123 in GMT, what `Date#toUTCString()` gives. */
export function mqDate(now: Date): string {
	if (Number.isNaN(now.getTime())) {
		throw new SigningError('Cannot sign the request: the clock gave an invalid date.');
	}
	return now.toUTCString();
}

export interface MqRequestToSign {
	method: string;
	/** Path and query exactly as they will be sent. */
	resource: string;
	/** The XML body, absent for GET. */
	body?: string;
}

/**
 * The headers to add to one MQ HTTP request: `date`, `x-mq-version`, `content-type`,
 * `content-md5` when there is a body, `authorization`, and `security-token` with STS (sent, never
 * signed). The same inputs always give the same headers.
 */
export function signMqRequest(
	request: MqRequestToSign,
	credentials: SigningCredentials,
	now: Date,
): Record<string, string> {
	const method = request.method.toUpperCase();
	const headers: Record<string, string> = {
		date: mqDate(now),
		'x-mq-version': MQ_PROTOCOL_VERSION,
		'content-type': MQ_CONTENT_TYPE,
	};
	const hasBody = method !== 'GET' && method !== 'HEAD';
	if (hasBody) headers['content-md5'] = mqContentMd5(request.body ?? '');
	const signature = mqSignature(
		credentials.accessKeySecret,
		mqStringToSign({
			method,
			contentMd5: headers['content-md5'] ?? '',
			contentType: headers['content-type'],
			date: headers.date,
			headers,
			resource: request.resource,
		}),
	);
	headers.authorization = `MQ ${credentials.accessKeyId}:${signature}`;
	if (credentials.securityToken) headers['security-token'] = credentials.securityToken;
	return headers;
}

/**
 * Alibaba's VPC HTTP endpoint of an instance, `{uid}.mqrest.{region}-internal.aliyuncs.com`, is
 * published with http:// only (docs/endpoints.md#rocketmq-http-endpoints): it never leaves
 * Alibaba's network, and the secret is never sent, only the signature.
 */
const VPC_MQ_HOST = /^[a-z0-9]+\.mqrest\.[a-z0-9-]+-internal\.aliyuncs\.com$/;

function isVpcMqHost(hostname: string): boolean {
	return VPC_MQ_HOST.test(hostname.toLowerCase());
}

/**
 * The resource to sign for an absolute URL: path and query as n8n's HTTP client sends them, i.e.
 * after WHATWG URL normalisation. Refuses what the custom endpoint refuses: plain http:// to a
 * host that is neither loopback nor the instance's VPC endpoint, other schemes, user names and
 * fragments (docs/endpoints.md#loopback-rule). Messages name at most the host.
 */
export function mqResourceOf(url: string): string {
	const parsed = URL.canParse(url) ? new URL(url) : undefined;
	if (parsed === undefined) {
		throw new SigningError(
			'Cannot sign the request: the RocketMQ HTTP endpoint is not a valid absolute URL.',
			'httpEndpoint',
		);
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new SigningError(
			`The RocketMQ HTTP endpoint must start with https://; "${parsed.protocol}" is not supported.`,
			'httpEndpoint',
		);
	}
	if (
		parsed.protocol === 'http:' &&
		!isLoopbackHost(parsed.hostname) &&
		!isVpcMqHost(parsed.hostname)
	) {
		throw new SigningError(
			`The RocketMQ HTTP endpoint uses http:// for the host ${parsed.hostname}, which is not a ` +
				'loopback address. Use https:// (the HttpInternetSecureEndpoint of the instance): plain ' +
				'http:// is accepted only for localhost, 127.0.0.0/8, [::1] and the VPC endpoint ' +
				'{id}.mqrest.{region}-internal.aliyuncs.com.',
			'httpEndpoint',
		);
	}
	if (parsed.username !== '' || parsed.password !== '' || parsed.hash !== '') {
		throw new SigningError(
			'The RocketMQ HTTP endpoint must not contain a user name, a password or a fragment (#...).',
			'httpEndpoint',
		);
	}
	return parsed.pathname + parsed.search;
}
