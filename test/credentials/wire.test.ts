import OpenApiUtil from '@alicloud/openapi-util';
import { createHash } from 'crypto';
import { createServer, request as httpRequest } from 'http';
import type { IncomingHttpHeaders, Server } from 'http';
import type { AddressInfo } from 'net';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { AlibabaCloudAccessKeyApi } from '../../credentials/AlibabaCloudAccessKeyApi.credentials';

/**
 * What is signed is what is sent: the options returned by `authenticate` are put on the wire to a
 * loopback server (through a custom endpoint with a port and a path prefix), and the server checks
 * the signature the way the gateway does, with Alibaba's own `@alicloud/openapi-util`: V3 from the
 * received headers and body bytes, V2 from the decoded form body (docs/signing.md#where-parameters-go).
 */

const SECRET = 'wire/Secret+42=';

interface Received {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

let server: Server;
let port: number;
let received: Received[] = [];

beforeAll(async () => {
	server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks),
			});
			res.setHeader('content-type', 'application/json');
			res.end('{}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
	received = [];
});

/** Sends the returned options as they are: method, absolute URL, headers, string body. */
async function send(options: IHttpRequestOptions): Promise<Received> {
	await new Promise<void>((resolve, reject) => {
		const req = httpRequest(
			options.url,
			{ method: options.method, headers: options.headers as Record<string, string> },
			(res) => {
				res.resume();
				res.on('end', resolve);
			},
		);
		req.on('error', reject);
		req.end(options.body as string);
	});
	expect(received).toHaveLength(1);
	return received[0];
}

function credentials(overrides: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	return {
		accessKeyId: 'LTAIwire',
		accessKeySecret: ` ${SECRET}\n`,
		temporaryCredentials: true,
		securityToken: 'tok+/=',
		regionId: 'cn-hangzhou',
		endpointType: 'custom',
		customEndpoint: `http://127.0.0.1:${port}/emulator`,
		...overrides,
	};
}

const request = (): IHttpRequestOptions => ({
	method: 'POST',
	url: '/',
	headers: { 'x-acs-action': 'SendMessage', 'x-acs-version': '2020-04-20' },
	qs: {
		InstanceId: 'post-cn-0pp12gl0001',
		MqttTopic: 'TopicA/dev 1',
		Payload: '{"t":"a+b ~*\'()!\\n中文 😀"}',
	},
	timeout: 5000,
	returnFullResponse: true,
	ignoreHttpStatusErrors: true,
});

describe('on the wire', () => {
	const credential = new AlibabaCloudAccessKeyApi();

	it('V3: the server can verify the signature from what it received', async () => {
		const options = await credential.authenticate(
			credentials({ signatureVersion: 'v3' }),
			request(),
		);
		const got = await send(options);

		expect(got.method).toBe('POST');
		expect(got.url).toBe('/emulator/');
		expect(got.headers.host).toBe(`127.0.0.1:${port}`);
		expect(got.body.toString('utf8')).toBe(options.body);
		const bodyHash = createHash('sha256').update(got.body).digest('hex');
		expect(got.headers['x-acs-content-sha256']).toBe(bodyHash);
		expect(got.headers['x-acs-security-token']).toBe('tok+/=');

		const headers = Object.fromEntries(
			Object.entries(got.headers).filter(([, v]) => typeof v === 'string'),
		) as Record<string, string>;
		const expected = OpenApiUtil.getAuthorization(
			{ pathname: '/', method: got.method, query: {}, headers } as never,
			'ACS3-HMAC-SHA256',
			bodyHash,
			'LTAIwire',
			SECRET,
		);
		expect(got.headers.authorization).toBe(expected);
		expect(Object.fromEntries(new URLSearchParams(got.body.toString('utf8')))).toEqual(
			request().qs,
		);
	});

	it('V2: the server can verify the signature from the decoded form body', async () => {
		const options = await credential.authenticate(
			credentials({ signatureVersion: 'v2' }),
			request(),
		);
		const got = await send(options);

		expect(got.url).toBe('/emulator/');
		expect(got.headers['content-type']).toBe('application/x-www-form-urlencoded');
		const { Signature, ...params } = Object.fromEntries(
			new URLSearchParams(got.body.toString('utf8')),
		);
		expect(params).toMatchObject({ ...request().qs, SecurityToken: 'tok+/=' });
		expect(Signature).toBe(OpenApiUtil.getRPCSignature(params, got.method, SECRET));
	});
});
