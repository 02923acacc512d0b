import { SigningError } from './errors';
import { MQ_SIGNING_HEADER, MQ_SIGNING_VALUE, mqResourceOf, signMqRequest } from './signMq';
import type { SigningCredentials } from './signRequest';

/**
 * The contract between the node and the credential for the RocketMQ HTTP protocol
 * (docs/signing.md#mq-http): the node sends an absolute `url`, a method, an XML string body (or
 * none) and the header `x-apsaramq-signing: mq-http`; the credential removes that header and adds
 * the signed ones. Typed without n8n, so it stays pure.
 */

export interface MqRequestOptionsLike {
	method?: string;
	url: string;
	headers?: Readonly<Record<string, unknown>>;
	body?: unknown;
	qs?: Readonly<Record<string, unknown>>;
}

/** Headers the signer owns; a caller's copy, in any letter case, is dropped. */
const SIGNED_HEADERS = new Set([
	MQ_SIGNING_HEADER,
	'authorization',
	'content-md5',
	'content-type',
	'date',
	'security-token',
	'x-mq-version',
]);

export function isMqHttpRequest(options: { headers?: Readonly<Record<string, unknown>> }): boolean {
	const headers = options.headers ?? {};
	return Object.keys(headers).some(
		(name) => name.toLowerCase() === MQ_SIGNING_HEADER && headers[name] === MQ_SIGNING_VALUE,
	);
}

function bodyText(body: unknown): string | undefined {
	if (body === undefined || body === null || body === '') return undefined;
	if (typeof body === 'string') return body;
	throw new SigningError(
		'Cannot sign the RocketMQ HTTP request: its body must be the XML text, not an object.',
		'body',
	);
}

/** The request options, signed afresh for `now`; every option but the headers is kept. */
export function signMqHttpOptions<T extends MqRequestOptionsLike>(
	options: T,
	credentials: SigningCredentials,
	now: Date,
): T {
	if (options.qs !== undefined && Object.keys(options.qs).length > 0) {
		// n8n would append and re-encode qs after signing, so the signed resource would differ.
		throw new SigningError(
			'Cannot sign the RocketMQ HTTP request: put the query in the URL, not in qs.',
			'qs',
		);
	}
	const method = (options.method ?? 'GET').toUpperCase();
	const body = bodyText(options.body);
	const headers: Record<string, string> = {};
	const rawHeaders = options.headers ?? {};
	for (const name of Object.keys(rawHeaders)) {
		const value = rawHeaders[name];
		if (SIGNED_HEADERS.has(name.toLowerCase()) || typeof value !== 'string') continue;
		headers[name] = value;
	}
	const signed = signMqRequest(
		{ method, resource: mqResourceOf(options.url), body },
		credentials,
		now,
	);
	return { ...options, method, headers: { ...headers, ...signed } };
}
