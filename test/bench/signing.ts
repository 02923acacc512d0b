/**
 * Signing cost per call, in-process: this package's signer against Alibaba's own code
 * (`@alicloud/openapi-util`, driven step by step the way `@alicloud/openapi-client` 0.4.15 drives
 * it), on the same inputs: one SendMessage call (InstanceId, MqttTopic, Payload), the same
 * AccessKey, the same public endpoint host.
 *
 * "The full work to sign one call" on each side:
 * - ours, `signRequest`: new Date + randomUUID (what the credential passes in), checks,
 *   normalisation, endpoint, canonicalisation, hashing, HMAC → method, URL, headers and the exact
 *   form body;
 * - ours, `authenticate`: the credential's whole per-call hook as n8n calls it (reads the
 *   credential fields and n8n's request options, then `signRequest`; async);
 * - Alibaba, V3 (`doRequest`): common headers with `getTimestamp`/`getNonce`, the body with
 *   `toForm` (or the query), `hash`/`hexEncode` of the body, `getAuthorization`, and the wire
 *   query string with `querystring.stringify` as `@alicloud/tea-typescript`'s `buildURL` does;
 * - Alibaba, V2 (`doRPCRequest`): common query parameters, the body with `toFormString(query())`
 *   (or the query), `getRPCSignature` over query + body, and the wire query string.
 * Each Alibaba variant comes in two layouts: business parameters in a form body (as this package
 * sends them: like with like) and in the query (what the generated product SDKs do).
 *
 * Run by the benchmark in its own Node.js and in n8n's Node.js 24:
 *   node .tooling/test/bench/signing.js [roundMs] [rounds]   → one JSON line
 */
import OpenApiUtil from '@alicloud/openapi-util';
import * as $tea from '@alicloud/tea-typescript';
import Util from '@alicloud/tea-util';
import { randomUUID } from 'node:crypto';
import querystring from 'node:querystring';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { AlibabaCloudAccessKeyApi } from '../../credentials/AlibabaCloudAccessKeyApi.credentials';
import { signRequest, type SignatureVersion } from '../../nodes/ApsaraMq/transport/signing';
import { median } from './stats';
import { itemJson, MQTT_INSTANCE, MQTT_TOPIC } from './workflows';

const ACCESS_KEY_ID = 'LTAI5tBenchmarkKeyId0001';
const ACCESS_KEY_SECRET = 'BenchmarkSecretBenchmarkSecret';
const REGION = 'cn-hangzhou';
const HOST = `onsmqtt.${REGION}.aliyuncs.com`;
const ACTION = 'SendMessage';
const VERSION = '2020-04-20';
const V3 = 'ACS3-HMAC-SHA256';

function mixed(bytes: number): string {
	const unit = '温度 21.5°C ~*\'()!+/=?&% 😀 {"k":"v"} ';
	let text = '';
	while (Buffer.byteLength(text + unit) <= bytes) text += unit;
	return text;
}

/** JSON text of about `bytes` bytes: an array of benchmark items. */
function json(bytes: number): string {
	const list: unknown[] = [];
	for (let i = 0; JSON.stringify(list).length < bytes; i++) list.push(itemJson(i));
	list.pop();
	return JSON.stringify(list);
}

export const PAYLOADS: Array<{ name: string; payload: string }> = [
	{ name: 'item JSON (69 B)', payload: JSON.stringify(itemJson(42)) },
	{ name: '4 KB JSON', payload: json(4 * 1024) },
	{ name: '60 KB JSON', payload: json(60 * 1024) },
	{ name: "60 KB UTF-8 rich in !'()* (worst case)", payload: mixed(60 * 1024) },
];

type Params = Record<string, string>;
type Impl = (params: Params) => unknown;

// ---------- ours ----------

function oursSignRequest(version: SignatureVersion): Impl {
	return (params) =>
		signRequest(
			{
				request: { action: ACTION, version: VERSION, parameters: params },
				credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET },
				signatureVersion: version,
				endpoint: { endpointType: 'public', regionId: REGION },
			},
			{ now: new Date(), nonce: randomUUID() },
		);
}

function oursAuthenticate(version: SignatureVersion): Impl {
	const credential = new AlibabaCloudAccessKeyApi();
	const data = {
		accessKeyId: ACCESS_KEY_ID,
		accessKeySecret: ACCESS_KEY_SECRET,
		temporaryCredentials: false,
		regionId: REGION,
		endpointType: 'public',
		signatureVersion: version,
	};
	// What AlibabaClient.attempt hands to httpRequestWithAuthentication for every attempt.
	return async (params) =>
		await credential.authenticate(data, {
			method: 'POST',
			url: '/',
			headers: { 'x-acs-action': ACTION, 'x-acs-version': VERSION },
			qs: params,
			timeout: 10_000,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		} as IHttpRequestOptions);
}

// ---------- Alibaba (openapi-client 0.4.15's steps, with its own utilities) ----------

function wireUrl(request: $tea.Request): string {
	const base = `https://${request.headers.host}${request.pathname}`;
	return Object.keys(request.query).length > 0
		? `${base}?${querystring.stringify(request.query)}`
		: base;
}

function alibabaV3(layout: 'body' | 'query'): Impl {
	return (params) => {
		const request = new $tea.Request();
		request.protocol = 'https';
		request.method = 'POST';
		request.pathname = '/';
		request.query = layout === 'query' ? { ...params } : {};
		request.headers = {
			host: HOST,
			'x-acs-version': VERSION,
			'x-acs-action': ACTION,
			'user-agent': Util.getUserAgent(''),
			'x-acs-date': OpenApiUtil.getTimestamp(),
			'x-acs-signature-nonce': Util.getNonce(),
			accept: 'application/json',
		};
		let hashed = OpenApiUtil.hexEncode(OpenApiUtil.hash(Util.toBytes(''), V3));
		let body = '';
		if (layout === 'body') {
			body = OpenApiUtil.toForm(params);
			hashed = OpenApiUtil.hexEncode(OpenApiUtil.hash(Util.toBytes(body), V3));
			request.headers['content-type'] = 'application/x-www-form-urlencoded';
		}
		request.headers['x-acs-content-sha256'] = hashed;
		request.headers.Authorization = OpenApiUtil.getAuthorization(
			request,
			V3,
			hashed,
			ACCESS_KEY_ID,
			ACCESS_KEY_SECRET,
		);
		return { url: wireUrl(request), headers: request.headers, body };
	};
}

function alibabaV2(layout: 'body' | 'query'): Impl {
	return (params) => {
		const request = new $tea.Request();
		request.protocol = 'https';
		request.method = 'POST';
		request.pathname = '/';
		request.query = {
			Action: ACTION,
			Format: 'json',
			Version: VERSION,
			Timestamp: OpenApiUtil.getTimestamp(),
			SignatureNonce: Util.getNonce(),
			...(layout === 'query' ? params : {}),
		};
		request.headers = {
			host: HOST,
			'x-acs-version': VERSION,
			'x-acs-action': ACTION,
			'user-agent': Util.getUserAgent(''),
		};
		let body = '';
		if (layout === 'body') {
			body = Util.toFormString(Util.anyifyMapValue(OpenApiUtil.query(params)));
			request.headers['content-type'] = 'application/x-www-form-urlencoded';
		}
		request.query.SignatureMethod = 'HMAC-SHA1';
		request.query.SignatureVersion = '1.0';
		request.query.AccessKeyId = ACCESS_KEY_ID;
		const signed = {
			...request.query,
			...OpenApiUtil.query(layout === 'body' ? params : {}),
		};
		request.query.Signature = OpenApiUtil.getRPCSignature(
			signed,
			request.method,
			ACCESS_KEY_SECRET,
		);
		return { url: wireUrl(request), headers: request.headers, body };
	};
}

// ---------- measurement ----------

export interface SigningCase {
	payload: string;
	payloadBytes: number;
	signature: 'V2' | 'V3' | 'MQ';
	impl: string;
	/** Median over rounds. */
	nsPerCall: number;
	rounds: number[];
}

export interface SigningResult {
	nodeVersion: string;
	roundMs: number;
	rounds: number;
	cases: SigningCase[];
}

export const IMPLS = {
	oursSignRequest: 'ours: signRequest',
	oursAuthenticate: 'ours: credential authenticate() (n8n per-call hook)',
	alibabaBody: 'Alibaba openapi-util, params in form body (like ours)',
	alibabaQuery: 'Alibaba openapi-util, params in query (generated SDKs)',
} as const;

export interface Runner {
	label: string;
	signature: 'V2' | 'V3' | 'MQ';
	fn: Impl;
	async: boolean;
}

let sink = 0;

function consume(value: unknown): void {
	// keep results alive so nothing is optimised away
	if (value && typeof value === 'object') sink += Object.keys(value).length;
}

/** ns per call over about `ms` milliseconds, checking the clock every `batch` calls. */
export async function measure(runner: Runner, params: Params, ms: number): Promise<number> {
	const batch = 16;
	const budget = BigInt(Math.round(ms * 1e6));
	let calls = 0;
	const started = process.hrtime.bigint();
	let elapsed = 0n;
	while (elapsed < budget) {
		if (runner.async) {
			for (let i = 0; i < batch; i++) consume(await runner.fn(params));
		} else {
			for (let i = 0; i < batch; i++) consume(runner.fn(params));
		}
		calls += batch;
		elapsed = process.hrtime.bigint() - started;
	}
	return Number(elapsed) / calls;
}

export async function runSigning(roundMs: number, rounds: number): Promise<SigningResult> {
	const runners: Runner[] = [];
	for (const [signature, version] of [
		['V3', 'v3'],
		['V2', 'v2'],
	] as const) {
		runners.push(
			{ label: IMPLS.oursSignRequest, signature, fn: oursSignRequest(version), async: false },
			{ label: IMPLS.oursAuthenticate, signature, fn: oursAuthenticate(version), async: true },
			{
				label: IMPLS.alibabaBody,
				signature,
				fn: signature === 'V3' ? alibabaV3('body') : alibabaV2('body'),
				async: false,
			},
			{
				label: IMPLS.alibabaQuery,
				signature,
				fn: signature === 'V3' ? alibabaV3('query') : alibabaV2('query'),
				async: false,
			},
		);
	}
	const cases: SigningCase[] = [];
	for (const { name, payload } of PAYLOADS) {
		const params = { InstanceId: MQTT_INSTANCE, MqttTopic: MQTT_TOPIC, Payload: payload };
		const samples = new Map<Runner, number[]>(runners.map((runner) => [runner, []]));
		// warm-up round (discarded), then rounds with the runners in rotating order
		for (const runner of runners) await measure(runner, params, roundMs);
		for (let round = 0; round < rounds; round++) {
			for (let k = 0; k < runners.length; k++) {
				const runner = runners[(k + round) % runners.length];
				samples.get(runner)?.push(await measure(runner, params, roundMs));
			}
		}
		for (const runner of runners) {
			const values = samples.get(runner) ?? [];
			cases.push({
				payload: name,
				payloadBytes: Buffer.byteLength(payload),
				signature: runner.signature,
				impl: runner.label,
				nsPerCall: median(values),
				rounds: values.map((value) => Math.round(value)),
			});
		}
	}
	if (sink < 0) console.log(sink);
	return { nodeVersion: process.version, roundMs, rounds, cases };
}

if (require.main === module) {
	const [roundMs = '300', rounds = '7'] = process.argv.slice(2);
	runSigning(Number(roundMs), Number(rounds)).then(
		(result) => {
			console.log(JSON.stringify(result));
			process.exit(0);
		},
		(error: unknown) => {
			console.error(error);
			process.exit(1);
		},
	);
}
