import { UserError } from 'n8n-workflow';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { AlibabaCloudAccessKeyApi } from '../../credentials/AlibabaCloudAccessKeyApi.credentials';
import {
	canonicalMqHeaders,
	mqContentMd5,
	mqDate,
	mqResourceOf,
	mqSignature,
	mqStringToSign,
	signMqRequest,
} from '../../nodes/ApsaraMq/transport/signing';
import { fakeOnly } from '../emulator/test-helpers';
import { MQ_REQUEST_VECTORS, MQ_STAGE_ONLY_VECTORS, MQ_VECTOR_NOW } from './mqVectors';

/** The MQ HTTP signature stage by stage against docs/signing.md#mq-http-vectors. */

describe.each([...MQ_REQUEST_VECTORS, ...MQ_STAGE_ONLY_VECTORS])('$name', (vector) => {
	const contentType = vector.contentType ?? 'text/xml;charset=utf-8';

	it('gives the string to sign of the SDK', () => {
		expect(
			mqStringToSign({
				method: vector.method,
				contentMd5: vector.contentMd5,
				contentType,
				date: vector.date,
				headers: { 'x-mq-version': '2015-06-06', 'content-type': contentType },
				resource: vector.resource,
			}),
		).toBe(vector.stringToSign);
	});

	it('gives the signature of the SDK', () => {
		expect(mqSignature(vector.secret, vector.stringToSign)).toBe(vector.signature);
	});
});

describe.each(MQ_REQUEST_VECTORS)('signMqRequest: $name', (vector) => {
	const headers = signMqRequest(
		{ method: vector.method, resource: vector.resource, body: vector.body },
		{
			accessKeyId: vector.accessKeyId,
			accessKeySecret: vector.secret,
			securityToken: vector.securityToken,
		},
		MQ_VECTOR_NOW,
	);

	it('sends the Date, version, type and Content-MD5 that were signed', () => {
		expect(headers.date).toBe(vector.date);
		expect(headers['x-mq-version']).toBe('2015-06-06');
		expect(headers['content-type']).toBe('text/xml;charset=utf-8');
		expect(headers['content-md5']).toBe(vector.contentMd5 === '' ? undefined : vector.contentMd5);
	});

	it('authorizes with the SDK signature, the token only sent', () => {
		expect(headers.authorization).toBe(`MQ ${vector.accessKeyId}:${vector.signature}`);
		expect(headers['security-token']).toBe(vector.securityToken);
	});
});

describe('stages', () => {
	it('Content-MD5 is Base64 of the lower-case hex digest (the SDK form)', () => {
		expect(mqContentMd5('a')).toBe(
			Buffer.from('0cc175b9c0f1b6a831c399e269772661').toString('base64'),
		);
	});

	it('canonical x-mq-* headers: lower case, sorted, others left out', () => {
		expect(
			canonicalMqHeaders({ 'X-MQ-Zeta': 'z', 'x-mq-alpha': 'a', Date: 'd', 'content-type': 't' }),
		).toBe('x-mq-alpha:a\nx-mq-zeta:z\n');
	});

	it('refuses an invalid clock', () => {
		expect(() => mqDate(new Date(Number.NaN))).toThrow('invalid date');
	});

	it('the resource is path and query as sent, in the order given', () => {
		expect(
			mqResourceOf('https://1.mqrest.cn-hangzhou.aliyuncs.com/topics/T/messages?ns=N&a=%7C'),
		).toBe('/topics/T/messages?ns=N&a=%7C');
		expect(mqResourceOf('http://127.0.0.1:4000/gw/topics/T/messages?z=1&a=2')).toBe(
			'/gw/topics/T/messages?z=1&a=2',
		);
	});

	it.each([
		['http://1.mqrest.cn-hangzhou.aliyuncs.com/topics/T/messages', 'not a loopback'],
		['ftp://127.0.0.1/topics/T/messages', 'must start with https://'],
		['https://user:pw@1.mqrest.cn-hangzhou.aliyuncs.com/topics/T/messages', 'user name'],
		['/topics/T/messages', 'not a valid absolute URL'],
	])('refuses %s', (url, message) => {
		expect(() => mqResourceOf(url)).toThrow(message);
	});

	it("accepts plain http:// for the instance's VPC endpoint, which has no https:// form", () => {
		expect(
			mqResourceOf('http://123.mqrest.cn-hangzhou-internal.aliyuncs.com/topics/T/messages'),
		).toBe('/topics/T/messages');
	});
});

describe('the credential signs a request marked x-apsaramq-signing: mq-http', () => {
	const credential = new AlibabaCloudAccessKeyApi();
	const vector = MQ_REQUEST_VECTORS[3]; // STS publish
	const credentials = {
		accessKeyId: ` ${vector.accessKeyId} `,
		accessKeySecret: vector.secret,
		temporaryCredentials: true,
		securityToken: vector.securityToken ?? '',
		regionId: 'cn-hangzhou',
		endpointType: 'public',
		customEndpoint: '',
		signatureVersion: 'v3',
	};
	const request = (overrides: Partial<IHttpRequestOptions> = {}): IHttpRequestOptions => ({
		method: 'POST',
		url: `https://1234567890123456.mqrest.cn-hangzhou.aliyuncs.com${vector.resource}`,
		body: vector.body,
		headers: { 'x-apsaramq-signing': 'mq-http', Date: 'stale', 'X-Keep': 'kept' },
		timeout: 5000,
		...overrides,
	});

	afterEach(() => jest.useRealTimers());

	it('with the MQ signature of the vector, the marker removed, URL, body and options kept', async () => {
		fakeOnly('Date');
		jest.setSystemTime(MQ_VECTOR_NOW);
		const signed = await credential.authenticate(credentials, request());
		expect(signed.headers).toEqual({
			'X-Keep': 'kept',
			date: vector.date,
			'x-mq-version': '2015-06-06',
			'content-type': 'text/xml;charset=utf-8',
			'content-md5': vector.contentMd5,
			authorization: `MQ ${vector.accessKeyId}:${vector.signature}`,
			'security-token': vector.securityToken,
		});
		expect(signed.url).toBe(request().url);
		expect(signed.body).toBe(vector.body);
		expect(signed.timeout).toBe(5000);
		expect(signed.disableFollowRedirect).toBe(true);
		expect(JSON.stringify(signed)).not.toContain(vector.secret);
	});

	it('afresh on every attempt: a later call carries a later Date', async () => {
		fakeOnly('Date');
		jest.setSystemTime(MQ_VECTOR_NOW);
		const first = await credential.authenticate(credentials, request());
		jest.setSystemTime(new Date(MQ_VECTOR_NOW.getTime() + 61_000));
		const second = await credential.authenticate(credentials, request());
		expect(second.headers?.date).toBe('Wed, 01 Jan 2025 00:01:01 GMT');
		expect(second.headers?.authorization).not.toBe(first.headers?.authorization);
	});

	it('without STS sends no security-token', async () => {
		const signed = await credential.authenticate(
			{ ...credentials, temporaryCredentials: false },
			request(),
		);
		expect(signed.headers).not.toHaveProperty('security-token');
	});

	it('refuses a plain http:// URL to a remote host with a UserError, before any request', async () => {
		await expect(
			credential.authenticate(
				credentials,
				request({ url: 'http://example.com/topics/T/messages' }),
			),
		).rejects.toThrow(UserError);
	});

	it('refuses a query in qs, which n8n would re-encode after signing', async () => {
		await expect(
			credential.authenticate(credentials, request({ qs: { ns: 'x' } })),
		).rejects.toThrow('put the query in the URL');
	});

	it('leaves V3 signing untouched for requests without the marker', async () => {
		const signed = await credential.authenticate(credentials, {
			method: 'POST',
			url: '/',
			headers: { 'x-acs-action': 'OnsInstanceBaseInfo', 'x-acs-version': '2019-02-14' },
			qs: { InstanceId: 'MQ_INST_1' },
		});
		expect(String(signed.headers?.authorization)).toMatch(/^ACS3-HMAC-SHA256 /);
	});
});
