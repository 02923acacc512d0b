/**
 * Signing cost per publish, in-process: this package's MQ HTTP signature (docs/signing.md#mq-http)
 * against Alibaba's `@aliyunmq/mq-http-sdk` 1.0.4, which signs in `MQClient#buildHeaders` (Date,
 * Content-MD5 of the body, then `sign`: string to sign and HMAC-SHA1). Same AccessKey, same
 * resource (`/topics/{topic}/messages?ns={instance}`), the same XML body written by each side.
 *
 * - ours, `authenticate`: the credential's whole per-attempt hook as n8n calls it for a publish
 *   (reads the credential fields, sees the MQ header, checks the URL, signs; async);
 * - ours, `signMqRequest`: the headers of one request (Date, MD5, string to sign, HMAC);
 * - ours, stages: `mqStringToSign` + `mqSignature` with the Date and MD5 given (the SDK's `sign`);
 * - Alibaba, `buildHeaders` (the SDK's full signing of a request) and `sign` alone.
 *
 * Run by the benchmark in its own Node.js and in n8n's Node.js 24:
 *   node .tooling/test/bench/signingMq.js [roundMs] [rounds]   → one JSON line
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { AlibabaCloudAccessKeyApi } from '../../credentials/AlibabaCloudAccessKeyApi.credentials';
import { publishXml } from '../../nodes/ApsaraMq/transport/mqHttp/publish';
import {
	MQ_SIGNING_HEADER,
	MQ_SIGNING_VALUE,
	mqContentMd5,
	mqSignature,
	mqStringToSign,
	signMqRequest,
} from '../../nodes/ApsaraMq/transport/signing/signMq';
import { sdkClient, sdkPublishBody } from '../emulator/mqHttp/sdk-client';
import { PUBLISH_TOPIC } from './publishWorkflows';
import { measure, type Runner, type SigningResult } from './signing';
import { median } from './stats';
import { itemJson, ONS_INSTANCE } from './workflows';

const ACCESS_KEY_ID = 'LTAI5tBenchmarkKeyId0001';
const ACCESS_KEY_SECRET = 'BenchmarkSecretBenchmarkSecret';
const BASE_URL = 'https://1234567890123456.mqrest.cn-hangzhou.aliyuncs.com';
const RESOURCE = `/topics/${PUBLISH_TOPIC}/messages?ns=${ONS_INSTANCE}`;

export const MQ_IMPLS = {
	oursAuthenticate: 'ours: credential authenticate() (n8n per-attempt hook)',
	oursSignMqRequest: 'ours: signMqRequest',
	oursStages: 'ours: mqStringToSign + mqSignature (Date and MD5 given)',
	alibabaBuildHeaders: 'Alibaba mq-http-sdk: buildHeaders',
	alibabaSign: 'Alibaba mq-http-sdk: sign (Date and MD5 given)',
} as const;

/** JSON text of about `bytes` bytes: an array of benchmark items. */
function json(bytes: number): string {
	const list: unknown[] = [];
	for (let i = 0; JSON.stringify(list).length < bytes; i++) list.push(itemJson(i));
	list.pop();
	return JSON.stringify(list);
}

export const MQ_BODIES: Array<{ name: string; body: string }> = [
	{ name: 'item JSON (69 B)', body: JSON.stringify(itemJson(42)) },
	{ name: '4 KB JSON', body: json(4 * 1024) },
	{ name: '60 KB JSON', body: json(60 * 1024) },
];

const KEYS = 'KEYS:n8n-1-bench-0-42';

function runners(body: string): Runner[] {
	const ourXml = publishXml({
		instanceId: ONS_INSTANCE,
		topic: PUBLISH_TOPIC,
		body,
		tag: '',
		messageKey: 'n8n-1-bench-0-42',
		properties: [],
	});
	const credentials = { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET };
	const credential = new AlibabaCloudAccessKeyApi();
	const data = {
		accessKeyId: ACCESS_KEY_ID,
		accessKeySecret: ACCESS_KEY_SECRET,
		temporaryCredentials: false,
		regionId: 'cn-hangzhou',
		endpointType: 'public',
		signatureVersion: 'v3',
	};
	// What sendMqHttp hands to httpRequestWithAuthentication for every attempt.
	const options = {
		method: 'POST',
		url: `${BASE_URL}${RESOURCE}`,
		body: ourXml,
		headers: { [MQ_SIGNING_HEADER]: MQ_SIGNING_VALUE },
		timeout: 10_000,
		encoding: 'text',
		disableFollowRedirect: true,
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	} as IHttpRequestOptions;
	const fixedHeaders = {
		date: new Date().toUTCString(),
		'x-mq-version': '2015-06-06',
		'content-type': 'text/xml;charset=utf-8',
		'content-md5': mqContentMd5(ourXml),
	};
	const client = sdkClient(BASE_URL, ACCESS_KEY_ID, ACCESS_KEY_SECRET);
	const sdkBody = sdkPublishBody(body, undefined, KEYS);
	const sdkHeaders = client.buildHeaders('POST', sdkBody, RESOURCE);
	const sdkSign = (
		client as unknown as { sign(m: string, h: Record<string, string>, r: string): string }
	).sign.bind(client);
	return [
		{
			label: MQ_IMPLS.oursAuthenticate,
			signature: 'MQ',
			fn: async () => await credential.authenticate(data, options),
			async: true,
		},
		{
			label: MQ_IMPLS.oursSignMqRequest,
			signature: 'MQ',
			fn: () =>
				signMqRequest(
					{ method: 'POST', resource: RESOURCE, body: ourXml },
					credentials,
					new Date(),
				),
			async: false,
		},
		{
			label: MQ_IMPLS.oursStages,
			signature: 'MQ',
			fn: () => ({
				signature: mqSignature(
					ACCESS_KEY_SECRET,
					mqStringToSign({
						method: 'POST',
						contentMd5: fixedHeaders['content-md5'],
						contentType: fixedHeaders['content-type'],
						date: fixedHeaders.date,
						headers: fixedHeaders,
						resource: RESOURCE,
					}),
				),
			}),
			async: false,
		},
		{
			label: MQ_IMPLS.alibabaBuildHeaders,
			signature: 'MQ',
			fn: () => client.buildHeaders('POST', sdkBody, RESOURCE),
			async: false,
		},
		{
			label: MQ_IMPLS.alibabaSign,
			signature: 'MQ',
			fn: () => ({ signature: sdkSign('POST', sdkHeaders, RESOURCE) }),
			async: false,
		},
	];
}

export async function runSigningMq(roundMs: number, rounds: number): Promise<SigningResult> {
	const cases: SigningResult['cases'] = [];
	for (const { name, body } of MQ_BODIES) {
		const list = runners(body);
		const samples = new Map<Runner, number[]>(list.map((runner) => [runner, []]));
		// warm-up round (discarded), then rounds with the runners in rotating order
		for (const runner of list) await measure(runner, {}, roundMs);
		for (let round = 0; round < rounds; round++) {
			for (let k = 0; k < list.length; k++) {
				const runner = list[(k + round) % list.length];
				samples.get(runner)?.push(await measure(runner, {}, roundMs));
			}
		}
		for (const runner of list) {
			const values = samples.get(runner) ?? [];
			cases.push({
				payload: name,
				payloadBytes: Buffer.byteLength(body),
				signature: 'MQ',
				impl: runner.label,
				nsPerCall: median(values),
				rounds: values.map((value) => Math.round(value)),
			});
		}
	}
	return { nodeVersion: process.version, roundMs, rounds, cases };
}

if (require.main === module) {
	const [roundMs = '300', rounds = '7'] = process.argv.slice(2);
	runSigningMq(Number(roundMs), Number(rounds)).then(
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
