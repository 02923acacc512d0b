/**
 * Helpers for the emulator's own tests: a tiny client that crafts signed requests with
 * Alibaba's `@alicloud/openapi-util` (getRPCSignature / getAuthorization), so the emulator's
 * verifier is checked against Alibaba's code and never against itself or the package's signer.
 */
import OpenApiUtil from '@alicloud/openapi-util';
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';

export const VERSIONS = { onsmqtt: '2020-04-20', ons: '2019-02-14', sts: '2015-04-01' } as const;

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** The strict encoder recipe of docs/signing.md#percent-encoding, for putting values on the wire. */
export const wireEncode = (s: string): string =>
	encodeURIComponent(s).replace(
		/[!'()*]/g,
		(c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
	);

const form = (params: Record<string, string>) =>
	Object.entries(params)
		.map(([k, v]) => `${wireEncode(k)}=${wireEncode(v)}`)
		.join('&');

export interface RawResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	json: Record<string, unknown>;
}

export function httpRequest(
	url: string,
	init: {
		method?: string;
		headers?: Record<string, string>;
		body?: string | Buffer;
		timeoutMs?: number;
	} = {},
): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const options = { method: init.method ?? 'GET', headers: init.headers, agent };
		const req = http.request(url, options, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json: Record<string, unknown> = {};
				try {
					json = JSON.parse(text) as Record<string, unknown>;
				} catch {
					json = {};
				}
				resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
			});
			res.on('error', reject);
		});
		req.on('error', reject);
		if (init.timeoutMs !== undefined) {
			req.setTimeout(init.timeoutMs, () => req.destroy(new Error('client timeout')));
		}
		if (init.body !== undefined) req.write(init.body);
		req.end();
	});
}

export const timestamp = (ms = Date.now()): string =>
	new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface SignedCall {
	sig?: 'v2' | 'v3';
	version: string;
	action: string;
	params?: Record<string, string>;
	keyId?: string;
	secret?: string;
	token?: string;
	method?: 'GET' | 'POST';
	nonce?: string;
	time?: string;
	/** V2: where everything goes; V3: business parameters in the query or a form body. */
	placement?: 'query' | 'form';
	/** Mutates the wire request after signing (to simulate client bugs). */
	tamper?: (wire: { path: string; headers: Record<string, string>; body: string }) => void;
	/** Extra headers (sent, and for V3 signed when they are x-acs-*). */
	headers?: Record<string, string>;
	/** Omit these parameters / headers entirely. */
	omit?: string[];
	/** Client-side timeout (the request is destroyed with `client timeout`). */
	timeoutMs?: number;
}

export interface WireRequest {
	url: string;
	method: 'GET' | 'POST';
	headers: Record<string, string>;
	body?: string;
	timeoutMs?: number;
}

/** Builds, signs (with Alibaba's openapi-util) and sends one request to the emulator. */
export async function signedCall(baseUrl: string, call: SignedCall): Promise<RawResponse> {
	return sendWire(buildSigned(baseUrl, call));
}

export function sendWire(w: WireRequest): Promise<RawResponse> {
	return httpRequest(w.url, w);
}

/** Builds and signs one request without sending it. */
export function buildSigned(baseUrl: string, call: SignedCall): WireRequest {
	const sig = call.sig ?? 'v3';
	const method = call.method ?? 'POST';
	const keyId = call.keyId ?? 'testid';
	const secret = call.secret ?? 'testsecret';
	const nonce = call.nonce ?? randomUUID();
	const time = call.time ?? timestamp();
	const omit = new Set(call.omit ?? []);
	const host = new URL(baseUrl).host;
	const wire = { path: '/', headers: {} as Record<string, string>, body: '' };

	if (sig === 'v2') {
		const all: Record<string, string> = {
			Action: call.action,
			Version: call.version,
			Format: 'JSON',
			AccessKeyId: keyId,
			SignatureMethod: 'HMAC-SHA1',
			SignatureVersion: '1.0',
			SignatureNonce: nonce,
			Timestamp: time,
			...(call.token !== undefined ? { SecurityToken: call.token } : {}),
			...call.params,
		};
		for (const k of omit) delete all[k];
		if (!omit.has('Signature')) all.Signature = OpenApiUtil.getRPCSignature(all, method, secret);
		if ((call.placement ?? 'form') === 'form' && method === 'POST') {
			wire.body = form(all);
			wire.headers['content-type'] = 'application/x-www-form-urlencoded';
		} else {
			wire.path = `/?${form(all)}`;
		}
		Object.assign(wire.headers, call.headers);
	} else {
		const query: Record<string, string> = { ...call.params };
		let body = '';
		const headers: Record<string, string> = {
			host,
			'x-acs-action': call.action,
			'x-acs-version': call.version,
			'x-acs-date': time,
			'x-acs-signature-nonce': nonce,
			...(call.token !== undefined ? { 'x-acs-security-token': call.token } : {}),
			...call.headers,
		};
		if (call.placement === 'form') {
			body = form(query);
			for (const k of Object.keys(query)) delete query[k];
			headers['content-type'] = 'application/x-www-form-urlencoded';
		}
		headers['x-acs-content-sha256'] = createHash('sha256').update(body).digest('hex');
		for (const k of omit) {
			delete headers[k];
			delete query[k];
		}
		const request = { pathname: '/', method, query, headers };
		headers.Authorization = OpenApiUtil.getAuthorization(
			request as unknown as Parameters<typeof OpenApiUtil.getAuthorization>[0],
			'ACS3-HMAC-SHA256',
			headers['x-acs-content-sha256'] ?? '',
			keyId,
			secret,
		);
		if (omit.has('Authorization')) delete headers.Authorization;
		wire.headers = { ...headers, accept: 'application/json' };
		wire.body = body;
		const qs = form(query);
		wire.path = qs ? `/?${qs}` : '/';
	}
	call.tamper?.(wire);
	return {
		url: `${baseUrl}${wire.path}`,
		method,
		headers: wire.headers,
		body: wire.body || undefined,
		timeoutMs: call.timeoutMs,
	};
}

export interface Subscriber {
	client: MqttClient;
	messages: Array<{ topic: string; payload: Buffer }>;
	/** Resolves once at least `n` messages have arrived (rejects after `timeoutMs`). */
	waitFor(n: number, timeoutMs?: number): Promise<Array<{ topic: string; payload: Buffer }>>;
	close(): Promise<void>;
}

export async function subscribe(mqttUrl: string, topic: string): Promise<Subscriber> {
	const client = await mqtt.connectAsync(mqttUrl, { reconnectPeriod: 0 });
	await client.subscribeAsync(topic, { qos: 1 });
	const messages: Array<{ topic: string; payload: Buffer }> = [];
	const waiters: Array<() => void> = [];
	client.on('message', (t, payload) => {
		messages.push({ topic: t, payload: Buffer.from(payload) });
		for (const w of waiters.splice(0)) w();
	});
	return {
		client,
		messages,
		waitFor(n, timeoutMs = 5000) {
			return new Promise((resolve, reject) => {
				const deadline = setTimeout(
					() => reject(new Error(`got ${messages.length} of ${n} MQTT messages`)),
					timeoutMs,
				);
				const check = () => {
					if (messages.length >= n) {
						clearTimeout(deadline);
						resolve(messages.slice());
					} else {
						waiters.push(check);
					}
				};
				check();
			});
		},
		close: () => client.endAsync(true),
	};
}

export function closeAgent(): void {
	agent.destroy();
}

const FAKEABLE: FakeableAPI[] = [
	'Date',
	'hrtime',
	'nextTick',
	'performance',
	'queueMicrotask',
	'requestAnimationFrame',
	'cancelAnimationFrame',
	'requestIdleCallback',
	'cancelIdleCallback',
	'setImmediate',
	'clearImmediate',
	'setInterval',
	'clearInterval',
	'setTimeout',
	'clearTimeout',
];

/**
 * Fakes these timer APIs and leaves every other one real, so that sockets keep working: `Date`
 * alone freezes the emulator's quota windows and signature clock at the current time (move it
 * with jest.setSystemTime); `setTimeout` and `clearTimeout` hold its latency and stall waits
 * until jest.advanceTimersByTime. Undo with jest.useRealTimers().
 */
export function fakeOnly(...apis: FakeableAPI[]): void {
	jest.useFakeTimers({ doNotFake: FAKEABLE.filter((api) => !apis.includes(api)) });
}

/** Lets the event loop turn, I/O included, until `condition` holds; the test's timeout bounds it. */
export async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
