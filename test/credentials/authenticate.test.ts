import { randomUUID } from 'crypto';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { AlibabaCloudAccessKeyApi } from '../../credentials/AlibabaCloudAccessKeyApi.credentials';
import {
	EMPTY_BODY_SHA256,
	hashPayload,
	signRequest,
} from '../../nodes/ApsaraMq/transport/signing';
import { fakeOnly } from '../emulator/test-helpers';

/**
 * The credential's `authenticate` on its own: the contract with the node (x-acs-action /
 * x-acs-version headers + qs in; signed POST out), with the clock and nonce frozen where needed.
 */

jest.mock('crypto', () => {
	const actual = jest.requireActual<typeof import('crypto')>('crypto');
	return { ...actual, randomUUID: jest.fn(() => actual.randomUUID()) };
});
const mockedRandomUUID = randomUUID as jest.MockedFunction<typeof randomUUID>;

const SECRET = 'Sup3rS3cret/+=Value';
const TOKEN = 'CAIS+token/with=stuff';
const NOW = new Date('2024-01-01T00:00:00.789Z');
const NONCE = '0f0e4b3a-9d7e-4a2b-8c4d-5e6f00112233';

const credential = new AlibabaCloudAccessKeyApi();

function credentials(
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		accessKeyId: 'LTAItestid',
		accessKeySecret: SECRET,
		temporaryCredentials: false,
		securityToken: '',
		regionId: 'cn-hangzhou',
		endpointType: 'public',
		customEndpoint: '',
		signatureVersion: 'v3',
		...overrides,
	};
}

const abortController = new AbortController();

/** Exactly what the node passes (transport/client.ts). */
function nodeRequest(overrides: Partial<IHttpRequestOptions> = {}): IHttpRequestOptions {
	return {
		method: 'POST',
		url: '/',
		headers: { 'x-acs-action': 'SendMessage', 'x-acs-version': '2020-04-20' },
		qs: {
			InstanceId: 'post-cn-0pp12gl0001',
			MqttTopic: 'TopicA/dev 1',
			Payload: "a+b ~*'()! 中文 😀",
		},
		timeout: 10_000,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		abortSignal: abortController.signal,
		...overrides,
	};
}

/** What n8n's credentials tester passes for the `test` request (routing node defaults added). */
function testRequest(): IHttpRequestOptions {
	return {
		qs: {},
		body: {},
		...credential.test.request,
		headers: { ...credential.test.request.headers },
		url: credential.test.request.url ?? '/',
		timeout: 300_000,
		returnFullResponse: true,
	} as IHttpRequestOptions;
}

function freeze(now = NOW, nonce = NONCE): void {
	jest.setSystemTime(now);
	mockedRandomUUID.mockReturnValueOnce(nonce as ReturnType<typeof randomUUID>);
}

async function errorOf(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected authenticate to throw');
}

function decodeForm(body: unknown): Record<string, string> {
	expect(typeof body).toBe('string');
	return Object.fromEntries(new URLSearchParams(body as string));
}

beforeAll(() => {
	fakeOnly('Date');
});

afterAll(() => {
	jest.useRealTimers();
});

describe('authenticate: the request contract', () => {
	it('returns a signed V3 POST to the base URL, keeping every other option untouched', async () => {
		freeze();
		const original = nodeRequest();
		const snapshot = JSON.stringify(original);
		const result = await credential.authenticate(credentials(), original);

		const expected = signRequest(
			{
				request: {
					action: 'SendMessage',
					version: '2020-04-20',
					parameters: original.qs as Record<string, string>,
				},
				credentials: { accessKeyId: 'LTAItestid', accessKeySecret: SECRET },
				signatureVersion: 'v3',
				endpoint: { endpointType: 'public', regionId: 'cn-hangzhou' },
			},
			{ now: NOW, nonce: NONCE },
		);
		expect(result).toEqual({
			method: 'POST',
			url: 'https://onsmqtt.cn-hangzhou.aliyuncs.com/',
			baseURL: undefined,
			qs: undefined,
			body: expected.body,
			headers: expected.headers,
			timeout: 10_000,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			abortSignal: abortController.signal,
			disableFollowRedirect: true,
		});
		expect(result.abortSignal).toBe(abortController.signal);
		expect(JSON.stringify(original)).toBe(snapshot);
	});

	it('turns off redirects on every request it signs, the credential test\'s included', async () => {
		for (const request of [nodeRequest(), testRequest(), nodeRequest({ disableFollowRedirect: false })]) {
			freeze();
			const result = await credential.authenticate(credentials({ signatureVersion: 'v2' }), request);
			expect(result.disableFollowRedirect).toBe(true);
		}
	});

	it('sets the documented headers', async () => {
		freeze();
		const result = await credential.authenticate(credentials(), nodeRequest());
		expect(result.headers).toEqual({
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'application/json',
			'user-agent': 'AlibabaCloud (n8n-nodes-apsaramq)',
			'x-acs-action': 'SendMessage',
			'x-acs-version': '2020-04-20',
			host: 'onsmqtt.cn-hangzhou.aliyuncs.com',
			'x-acs-date': '2024-01-01T00:00:00Z',
			'x-acs-signature-nonce': NONCE,
			'x-acs-content-sha256': hashPayload(result.body as string),
			authorization: expect.stringMatching(
				/^ACS3-HMAC-SHA256 Credential=LTAItestid,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=[0-9a-f]{64}$/,
			),
		});
	});

	it('puts the business parameters in a strictly encoded body that decodes back exactly', async () => {
		const original = nodeRequest();
		const result = await credential.authenticate(credentials(), original);
		expect(result.body).toBe(
			'InstanceId=post-cn-0pp12gl0001&MqttTopic=TopicA%2Fdev%201&Payload=a%2Bb%20~%2A%27%28%29%21%20%E4%B8%AD%E6%96%87%20%F0%9F%98%80',
		);
		expect(result.body).not.toContain('+');
		expect(decodeForm(result.body)).toEqual(original.qs);
	});

	it('reads the API headers case-insensitively and keeps other headers', async () => {
		const result = await credential.authenticate(
			credentials(),
			nodeRequest({
				headers: { 'X-Acs-Action': 'OnsGroupList', 'X-ACS-VERSION': '2019-02-14', 'X-Custom': 'c' },
				qs: { InstanceId: 'MQ_INST_1', Count: 3, Flag: true, Skip: undefined },
			}),
		);
		expect(result.url).toBe('https://ons.cn-hangzhou.aliyuncs.com/');
		expect(result.headers).toMatchObject({
			'x-acs-action': 'OnsGroupList',
			'x-acs-version': '2019-02-14',
			'x-custom': 'c',
		});
		expect(result.headers).not.toHaveProperty('X-Acs-Action');
		expect(decodeForm(result.body)).toEqual({ InstanceId: 'MQ_INST_1', Count: '3', Flag: 'true' });
	});

	it('signs V2 with every parameter and Signature in the body, nothing in the URL', async () => {
		freeze(new Date('2024-01-01T00:00:00Z'), 'c5f4c0d2-0f0e-4b3a-9d7e-1a2b3c4d5e6f');
		const result = await credential.authenticate(
			credentials({ accessKeyId: 'testid', accessKeySecret: 'testsecret', signatureVersion: 'v2' }),
			nodeRequest({
				qs: {
					InstanceId: 'post-cn-0pp12gl0001',
					MqttTopic: 'TopicA/dev 1',
					Payload: "héllo wörld ~*'()!+/=?&中文",
				},
			}),
		);
		expect(result.url).toBe('https://onsmqtt.cn-hangzhou.aliyuncs.com/');
		expect(result.qs).toBeUndefined();
		// docs/signing.md#vector-d, as sent
		expect(result.body).toBe(
			'AccessKeyId=testid&Action=SendMessage&Format=JSON&InstanceId=post-cn-0pp12gl0001&MqttTopic=TopicA%2Fdev%201&Payload=h%C3%A9llo%20w%C3%B6rld%20~%2A%27%28%29%21%2B%2F%3D%3F%26%E4%B8%AD%E6%96%87&SignatureMethod=HMAC-SHA1&SignatureNonce=c5f4c0d2-0f0e-4b3a-9d7e-1a2b3c4d5e6f&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00Z&Version=2020-04-20&Signature=Fwn45aOe%2BbLENjao6WGZxdRos24%3D',
		);
		expect(result.headers).not.toHaveProperty('authorization');
	});
});

describe('authenticate: endpoints', () => {
	it.each([
		[
			{ endpointType: 'public', regionId: 'ap-southeast-1' },
			'https://onsmqtt.ap-southeast-1.aliyuncs.com/',
			'onsmqtt.ap-southeast-1.aliyuncs.com',
		],
		[
			{ endpointType: 'vpc', regionId: 'cn-shanghai' },
			'https://onsmqtt-vpc.cn-shanghai.aliyuncs.com/',
			'onsmqtt-vpc.cn-shanghai.aliyuncs.com',
		],
		[
			{ endpointType: 'custom', customEndpoint: 'https://mq.example.com' },
			'https://mq.example.com/',
			'mq.example.com',
		],
		[
			{ endpointType: 'custom', customEndpoint: 'https://mq.example.com:8443' },
			'https://mq.example.com:8443/',
			'mq.example.com:8443',
		],
		[
			{ endpointType: 'custom', customEndpoint: 'https://gw.example.com:8443/alibaba/mq' },
			'https://gw.example.com:8443/alibaba/mq/',
			'gw.example.com:8443',
		],
		[
			{ endpointType: 'custom', customEndpoint: ' http://127.0.0.1:9000 ' },
			'http://127.0.0.1:9000/',
			'127.0.0.1:9000',
		],
		[
			{ endpointType: 'custom', customEndpoint: 'http://localhost:9000/emu' },
			'http://localhost:9000/emu/',
			'localhost:9000',
		],
		[
			{ endpointType: 'custom', customEndpoint: 'http://[::1]:9000' },
			'http://[::1]:9000/',
			'[::1]:9000',
		],
	])('%j → %s (host %s)', async (settings, url, host) => {
		const result = await credential.authenticate(credentials(settings), nodeRequest());
		expect(result.url).toBe(url);
		expect(result.baseURL).toBeUndefined();
		expect((result.headers as Record<string, string>).host).toBe(host);
	});

	it('ignores a baseURL and url the caller passed', async () => {
		const result = await credential.authenticate(
			credentials(),
			nodeRequest({ baseURL: 'https://evil.example.com', url: '/other?x=1' }),
		);
		expect(result.url).toBe('https://onsmqtt.cn-hangzhou.aliyuncs.com/');
		expect(result.baseURL).toBeUndefined();
	});

	it.each(['http://mq.example.com', 'http://10.1.2.3:8080', 'http://192.168.0.5'])(
		'refuses %s: http:// to a non-loopback host, naming the field and https',
		async (customEndpoint) => {
			const error = await errorOf(
				credential.authenticate(
					credentials({ endpointType: 'custom', customEndpoint }),
					nodeRequest(),
				),
			);
			expect(error).toBeInstanceOf(UserError);
			expect(error.message).toContain('Custom Endpoint (customEndpoint)');
			expect(error.message).toContain('https://');
		},
	);

	it.each(['ftp://mq.example.com', 'not a url', ''])(
		'refuses the custom endpoint %j',
		async (customEndpoint) => {
			const error = await errorOf(
				credential.authenticate(
					credentials({ endpointType: 'custom', customEndpoint }),
					nodeRequest(),
				),
			);
			expect(error).toBeInstanceOf(UserError);
			expect(error.message).toMatch(/Custom Endpoint \(customEndpoint\)/);
		},
	);

	it('refuses an unknown API version, naming it', async () => {
		const error = await errorOf(
			credential.authenticate(
				credentials(),
				nodeRequest({ headers: { 'x-acs-action': 'SendMessage', 'x-acs-version': '2099-09-09' } }),
			),
		);
		expect(error).toBeInstanceOf(UserError);
		expect(error.message).toContain('2099-09-09');
	});
});

describe('authenticate: keys and STS', () => {
	it('signs with trimmed keys: a secret with a trailing space or newline signs like the trimmed one', async () => {
		freeze();
		const clean = await credential.authenticate(credentials(), nodeRequest());
		for (const dirty of [`${SECRET} `, `${SECRET}\n`, ` \t${SECRET}\r\n`]) {
			freeze();
			const result = await credential.authenticate(
				credentials({ accessKeyId: '  LTAItestid\n', accessKeySecret: dirty }),
				nodeRequest(),
			);
			expect(result).toEqual(clean);
		}
	});

	it('V3 with STS: signs x-acs-security-token (trimmed)', async () => {
		const result = await credential.authenticate(
			credentials({ temporaryCredentials: true, securityToken: ` ${TOKEN}\n` }),
			nodeRequest(),
		);
		const headers = result.headers as Record<string, string>;
		expect(headers['x-acs-security-token']).toBe(TOKEN);
		expect(headers.authorization).toContain(';x-acs-security-token;');
		expect(decodeForm(result.body)).not.toHaveProperty('SecurityToken');
	});

	it('V2 with STS: sends SecurityToken as a signed parameter', async () => {
		const result = await credential.authenticate(
			credentials({ temporaryCredentials: true, securityToken: TOKEN, signatureVersion: 'v2' }),
			nodeRequest(),
		);
		expect(decodeForm(result.body).SecurityToken).toBe(TOKEN);
		expect(result.body).toContain(`SecurityToken=${encodeURIComponent(TOKEN)}`);
		expect(result.headers).not.toHaveProperty('x-acs-security-token');
	});

	it('ignores a leftover token when Temporary Credentials is off', async () => {
		const result = await credential.authenticate(
			credentials({ securityToken: TOKEN }),
			nodeRequest(),
		);
		expect(result.headers).not.toHaveProperty('x-acs-security-token');
	});

	it.each([
		[{ accessKeyId: '' }, 'AccessKey ID (accessKeyId)'],
		[{ accessKeyId: ' \n ' }, 'AccessKey ID (accessKeyId)'],
		[{ accessKeySecret: '' }, 'AccessKey Secret (accessKeySecret)'],
		[{ accessKeySecret: '  ' }, 'AccessKey Secret (accessKeySecret)'],
		[{ temporaryCredentials: true, securityToken: ' ' }, 'Security Token (securityToken)'],
		[{ endpointType: 'custom', customEndpoint: ' ' }, 'Custom Endpoint (customEndpoint)'],
	])('refuses %j with a UserError naming %s', async (overrides, field) => {
		const error = await errorOf(credential.authenticate(credentials(overrides), nodeRequest()));
		expect(error).toBeInstanceOf(UserError);
		expect(error.message).toContain(field);
	});

	it('refuses a request that does not name the API', async () => {
		const error = await errorOf(
			credential.authenticate(
				credentials(),
				nodeRequest({ headers: { 'x-acs-version': '2020-04-20' } }),
			),
		);
		expect(error).toBeInstanceOf(UserError);
		expect(error.message).toContain('x-acs-action');
	});
});

describe('authenticate: freshness', () => {
	it('uses a new nonce and the current time on every call, so every retry is re-signed', async () => {
		jest.setSystemTime(new Date('2024-05-05T10:00:00Z'));
		const first = await credential.authenticate(credentials(), nodeRequest());
		jest.setSystemTime(new Date('2024-05-05T10:00:01Z'));
		const second = await credential.authenticate(credentials(), nodeRequest());
		const a = first.headers as Record<string, string>;
		const b = second.headers as Record<string, string>;
		expect(a['x-acs-signature-nonce']).not.toBe(b['x-acs-signature-nonce']);
		expect(a['x-acs-signature-nonce']).toMatch(/^[0-9a-f-]{36}$/);
		expect(a['x-acs-date']).toBe('2024-05-05T10:00:00Z');
		expect(b['x-acs-date']).toBe('2024-05-05T10:00:01Z');
		expect(a.authorization).not.toBe(b.authorization);
	});

	it('V2: new SignatureNonce and Timestamp on every call', async () => {
		jest.setSystemTime(new Date('2024-05-05T10:00:00Z'));
		const first = decodeForm(
			(await credential.authenticate(credentials({ signatureVersion: 'v2' }), nodeRequest())).body,
		);
		jest.setSystemTime(new Date('2024-05-05T10:00:02Z'));
		const second = decodeForm(
			(await credential.authenticate(credentials({ signatureVersion: 'v2' }), nodeRequest())).body,
		);
		expect(first.SignatureNonce).not.toBe(second.SignatureNonce);
		expect(first.Timestamp).toBe('2024-05-05T10:00:00Z');
		expect(second.Timestamp).toBe('2024-05-05T10:00:02Z');
		expect(first.Signature).not.toBe(second.Signature);
	});

	it('calls randomUUID once per signing', async () => {
		mockedRandomUUID.mockClear();
		await credential.authenticate(credentials(), nodeRequest());
		await credential.authenticate(credentials(), nodeRequest());
		expect(mockedRandomUUID).toHaveBeenCalledTimes(2);
	});
});

describe('authenticate: the secret never leaks', () => {
	it.each(['v2', 'v3'])('%s: not in the returned options', async (signatureVersion) => {
		for (const temporaryCredentials of [false, true]) {
			const result = await credential.authenticate(
				credentials({ signatureVersion, temporaryCredentials, securityToken: TOKEN }),
				nodeRequest(),
			);
			const serialized = JSON.stringify(result);
			expect(serialized).not.toContain(SECRET);
			expect(serialized).not.toContain(encodeURIComponent(SECRET));
		}
	});

	it.each([
		[
			'http custom endpoint',
			{ endpointType: 'custom', customEndpoint: 'http://mq.example.com' },
			nodeRequest(),
		],
		[
			'secret in custom endpoint user info',
			{
				endpointType: 'custom',
				customEndpoint: `https://user:${encodeURIComponent(SECRET)}@mq.example.com`,
			},
			nodeRequest(),
		],
		['empty AccessKey ID', { accessKeyId: '' }, nodeRequest()],
		['empty token', { temporaryCredentials: true, securityToken: '' }, nodeRequest()],
		['bad signature version', { signatureVersion: 'v9' }, nodeRequest()],
		[
			'unknown API version',
			{},
			nodeRequest({ headers: { 'x-acs-action': 'SendMessage', 'x-acs-version': 'nope' } }),
		],
		['no API headers', {}, nodeRequest({ headers: {} })],
		['object parameter', {}, nodeRequest({ qs: { Payload: { nested: SECRET } } })],
		['preset body', {}, nodeRequest({ body: SECRET })],
		['AccessKey ID with a space', { accessKeyId: `LTAI ${SECRET}` }, nodeRequest()],
	])('not in the error for: %s', async (_label, overrides, request) => {
		const error = await errorOf(credential.authenticate(credentials(overrides), request));
		expect(error).toBeInstanceOf(UserError);
		expect(error.message).not.toContain(SECRET);
		expect(JSON.stringify(error)).not.toContain(SECRET);
		expect(String(error.stack)).not.toContain(SECRET);
	});
});

describe('the credential test request', () => {
	it.each([
		[{ endpointType: 'public', regionId: 'cn-hangzhou' }, 'https://sts.cn-hangzhou.aliyuncs.com/'],
		[{ endpointType: 'vpc', regionId: 'cn-beijing' }, 'https://sts-vpc.cn-beijing.aliyuncs.com/'],
		[{ endpointType: 'public', regionId: 'mq-internet-access' }, 'https://sts.aliyuncs.com/'],
		[
			{ endpointType: 'custom', customEndpoint: 'http://127.0.0.1:4010/emu' },
			'http://127.0.0.1:4010/emu/',
		],
	])('goes to STS through the user’s endpoint settings: %j → %s', async (settings, url) => {
		const result = await credential.authenticate(credentials(settings), testRequest());
		expect(result.url).toBe(url);
		expect(result.method).toBe('POST');
		expect(result.qs).toBeUndefined();
		expect(result.ignoreHttpStatusErrors).toBe(true);
		expect(result.timeout).toBe(300_000);
	});

	it('V3: GetCallerIdentity with an empty, hashed body', async () => {
		const result = await credential.authenticate(credentials(), testRequest());
		const headers = result.headers as Record<string, string>;
		expect(result.body).toBe('');
		expect(headers['x-acs-action']).toBe('GetCallerIdentity');
		expect(headers['x-acs-version']).toBe('2015-04-01');
		expect(headers['x-acs-content-sha256']).toBe(EMPTY_BODY_SHA256);
		expect(headers.host).toBe('sts.cn-hangzhou.aliyuncs.com');
		expect(headers.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=LTAItestid,/);
	});

	it('V2: GetCallerIdentity with the common parameters in the body', async () => {
		const result = await credential.authenticate(
			credentials({ signatureVersion: 'v2' }),
			testRequest(),
		);
		expect(decodeForm(result.body)).toMatchObject({
			Action: 'GetCallerIdentity',
			Version: '2015-04-01',
			AccessKeyId: 'LTAItestid',
			Format: 'JSON',
			SignatureMethod: 'HMAC-SHA1',
			SignatureVersion: '1.0',
		});
	});
});
