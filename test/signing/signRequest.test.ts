import OpenApiUtil from '@alicloud/openapi-util';
import { parse as parseQueryString } from 'querystring';

import {
	EMPTY_BODY_SHA256,
	hashPayload,
	normalizeParameters,
	percentEncode,
	signRequest,
	SigningError,
} from '../../nodes/ApsaraMq/transport/signing';
import type { SignRequestInput, SigningContext } from '../../nodes/ApsaraMq/transport/signing';
import { V2_VECTORS, V3_VECTORS } from './vectors';

/**
 * Orchestration (signRequest.ts): one RPC call → the exact request, with a frozen clock and nonce.
 */

const SECRET = 'testsecret';
const CONTEXT: SigningContext = {
	now: new Date('2024-01-01T00:00:00.123Z'),
	nonce: 'c5f4c0d2-0f0e-4b3a-9d7e-1a2b3c4d5e6f',
};
const AWKWARD = "héllo wörld ~*'()!+/=?&中文";

function input(overrides: Partial<SignRequestInput> = {}): SignRequestInput {
	return {
		request: {
			action: 'SendMessage',
			version: '2020-04-20',
			parameters: {
				InstanceId: 'post-cn-0pp12gl0001',
				MqttTopic: 'TopicA/dev 1',
				Payload: AWKWARD,
			},
		},
		credentials: { accessKeyId: 'testid', accessKeySecret: SECRET },
		signatureVersion: 'v3',
		endpoint: { endpointType: 'public', regionId: 'cn-hangzhou' },
		...overrides,
	};
}

/** What a real form decoder (WHATWG, as servers use) makes of the body. */
function decodeForm(body: string): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [name, value] of new URLSearchParams(body)) {
		expect(result).not.toHaveProperty(name);
		result[name] = value;
	}
	return result;
}

const FORM_CHARACTERS = /^[A-Za-z0-9\-_.~%=&]*$/;

describe('signRequest V2', () => {
	const vectorD = V2_VECTORS.find((v) => v.name.startsWith('D: '))!;
	const signed = signRequest(input({ signatureVersion: 'v2' }), {
		...CONTEXT,
		now: new Date('2024-01-01T00:00:00Z'),
	});

	it('posts to the product base URL with no query string', () => {
		expect(signed.method).toBe('POST');
		expect(signed.url).toBe('https://onsmqtt.cn-hangzhou.aliyuncs.com/');
	});

	it('sends vector D as the body, Signature last and strictly encoded (+ → %2B, = → %3D)', () => {
		expect(signed.body).toBe(
			`${vectorD.canonicalQuery}&Signature=${percentEncode(vectorD.signature)}`,
		);
		expect(signed.body.endsWith('&Signature=Fwn45aOe%2BbLENjao6WGZxdRos24%3D')).toBe(true);
	});

	it('sets form, JSON and user-agent headers, and no V3 headers', () => {
		expect(signed.headers).toEqual({
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'application/json',
			'user-agent': 'AlibabaCloud (n8n-nodes-apsaramq)',
			'x-acs-action': 'SendMessage',
			'x-acs-version': '2020-04-20',
		});
	});

	it('round-trips through a real form decoder to the common and business parameters', () => {
		const decoded = decodeForm(signed.body);
		expect(decoded).toEqual({ ...vectorD.params, Signature: vectorD.signature });
		expect(parseQueryString(signed.body)).toEqual(decoded);
	});

	it('signs the security token as SecurityToken with STS credentials', () => {
		const sts = signRequest(
			input({
				signatureVersion: 'v2',
				credentials: { accessKeyId: 'STS.id', accessKeySecret: SECRET, securityToken: 'tok+/=' },
			}),
			CONTEXT,
		);
		const decoded = decodeForm(sts.body);
		expect(decoded.SecurityToken).toBe('tok+/=');
		expect(sts.body).toContain('SecurityToken=tok%2B%2F%3D');
		const { Signature, ...signedParams } = decoded;
		expect(Signature).toBe(OpenApiUtil.getRPCSignature(signedParams, 'POST', SECRET));
		expect(sts.headers).not.toHaveProperty('x-acs-security-token');
	});

	it.each([
		'Signature',
		'Timestamp',
		'AccessKeyId',
		'SignatureNonce',
		'Action',
		'Version',
		'Format',
		'SecurityToken',
		'SignatureMethod',
		'SignatureVersion',
	])('refuses the reserved business parameter %s', (name) => {
		expect(() =>
			signRequest(
				input({
					signatureVersion: 'v2',
					request: { action: 'A', version: '2019-02-14', parameters: { [name]: 'x' } },
				}),
				CONTEXT,
			),
		).toThrow(/signature parameter/);
	});
});

describe('signRequest V3', () => {
	const vectorF = V3_VECTORS.find((v) => v.name.startsWith('F: '))!;
	const signed = signRequest(input(), CONTEXT);

	it('sends only the business parameters in the body', () => {
		expect(signed.body).toBe(vectorF.canonicalQuery);
		expect(decodeForm(signed.body)).toEqual(vectorF.query);
	});

	it('sets the signed V3 headers with the exact host, time without ms, nonce and body hash', () => {
		expect(signed.headers).toMatchObject({
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'application/json',
			'user-agent': 'AlibabaCloud (n8n-nodes-apsaramq)',
			host: 'onsmqtt.cn-hangzhou.aliyuncs.com',
			'x-acs-action': 'SendMessage',
			'x-acs-version': '2020-04-20',
			'x-acs-date': '2024-01-01T00:00:00Z',
			'x-acs-signature-nonce': CONTEXT.nonce,
			'x-acs-content-sha256': hashPayload(vectorF.canonicalQuery),
		});
		expect(signed.headers['x-acs-content-sha256']).not.toBe(EMPTY_BODY_SHA256);
	});

	it('signs content-type, host and every x-acs-* header, as Alibaba’s getAuthorization does', () => {
		const { authorization, ...rest } = signed.headers;
		expect(authorization).toMatch(
			/^ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=[0-9a-f]{64}$/,
		);
		expect(authorization).toBe(
			OpenApiUtil.getAuthorization(
				{ pathname: '/', method: 'POST', query: {}, headers: rest } as never,
				'ACS3-HMAC-SHA256',
				rest['x-acs-content-sha256'],
				'testid',
				SECRET,
			),
		);
	});

	it('hashes the empty body of a call without parameters (the STS credential test)', () => {
		const sts = signRequest(
			input({ request: { action: 'GetCallerIdentity', version: '2015-04-01', parameters: {} } }),
			CONTEXT,
		);
		expect(sts.url).toBe('https://sts.cn-hangzhou.aliyuncs.com/');
		expect(sts.body).toBe('');
		expect(sts.headers['x-acs-content-sha256']).toBe(EMPTY_BODY_SHA256);
		expect(sts.headers['content-type']).toBe('application/x-www-form-urlencoded');
	});

	it('signs the security token as the x-acs-security-token header with STS credentials', () => {
		const sts = signRequest(
			input({
				credentials: { accessKeyId: 'STS.id', accessKeySecret: SECRET, securityToken: 'tok+/=' },
			}),
			CONTEXT,
		);
		expect(sts.headers['x-acs-security-token']).toBe('tok+/=');
		expect(sts.headers.authorization).toContain('x-acs-security-token;x-acs-signature-nonce');
		expect(decodeForm(sts.body)).not.toHaveProperty('SecurityToken');
	});

	it('signs the host with a non-default port, and keeps a custom path prefix out of the signature', () => {
		const custom = signRequest(
			input({
				endpoint: {
					endpointType: 'custom',
					regionId: '',
					customEndpoint: 'http://127.0.0.1:8080/mq',
				},
			}),
			CONTEXT,
		);
		expect(custom.url).toBe('http://127.0.0.1:8080/mq/');
		expect(custom.headers.host).toBe('127.0.0.1:8080');
		const { authorization, ...rest } = custom.headers;
		expect(authorization).toBe(
			OpenApiUtil.getAuthorization(
				{ pathname: '/', method: 'POST', query: {}, headers: rest } as never,
				'ACS3-HMAC-SHA256',
				rest['x-acs-content-sha256'],
				'testid',
				SECRET,
			),
		);
	});

	it('passes extra headers through, lower-cased, signing extra x-acs-* ones', () => {
		const withExtras = signRequest(
			input({
				request: {
					action: 'SendMessage',
					version: '2020-04-20',
					parameters: { a: 'b' },
					headers: {
						'X-Acs-Extra': 'e',
						'X-Trace': 't',
						'Content-Type': 'text/plain',
						Host: 'evil.example.com',
						'Content-Length': '999',
						Authorization: 'Bearer x',
					},
				},
			}),
			CONTEXT,
		);
		expect(withExtras.headers['x-acs-extra']).toBe('e');
		expect(withExtras.headers['x-trace']).toBe('t');
		expect(withExtras.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(withExtras.headers.host).toBe('onsmqtt.cn-hangzhou.aliyuncs.com');
		expect(withExtras.headers).not.toHaveProperty('content-length');
		expect(withExtras.headers).not.toHaveProperty('Content-Type');
		expect(withExtras.headers.authorization).toContain('x-acs-extra;');
		expect(withExtras.headers.authorization).not.toContain('x-trace');
	});
});

describe('signRequest, both versions', () => {
	it.each(['v2', 'v3'] as const)(
		'%s: never puts a raw + or any reserved character in the body',
		(version) => {
			const signed = signRequest(
				input({
					signatureVersion: version,
					request: {
						action: 'SendMessage',
						version: '2020-04-20',
						parameters: { 'A+B': '1+1=2 & 3', Payload: 'a+b/c=d?e#f%g\nh😀中' },
					},
				}),
				CONTEXT,
			);
			expect(signed.body).not.toContain('+');
			expect(signed.body).toMatch(FORM_CHARACTERS);
			const decoded = decodeForm(signed.body);
			expect(decoded['A+B']).toBe('1+1=2 & 3');
			expect(decoded.Payload).toBe('a+b/c=d?e#f%g\nh😀中');
		},
	);

	it.each(['v2', 'v3'] as const)(
		'%s: drops undefined/null, sends empty strings as "Name=", converts numbers and booleans',
		(version) => {
			const signed = signRequest(
				input({
					signatureVersion: version,
					request: {
						action: 'OnsGroupList',
						version: '2019-02-14',
						parameters: { Gone: undefined, Null: null, Empty: '', Count: 10, Need: true, Zero: 0 },
					},
				}),
				CONTEXT,
			);
			expect(signed.url).toBe('https://ons.cn-hangzhou.aliyuncs.com/');
			expect(signed.body).toContain('Empty=&');
			expect(signed.body).not.toMatch(/(^|&)Gone(=|&|$)/);
			expect(signed.body).not.toMatch(/(^|&)Null(=|&|$)/);
			const decoded = decodeForm(signed.body);
			expect(decoded).toMatchObject({ Empty: '', Count: '10', Need: 'true', Zero: '0' });
			for (const pair of signed.body.split('&')) expect(pair).toContain('=');
		},
	);

	it.each(['v2', 'v3'] as const)('%s: round-trips a 64 KB value', (version) => {
		const big = '中😀 +&=%~'.repeat(6554).slice(0, 65536);
		const signed = signRequest(
			input({
				signatureVersion: version,
				request: { action: 'SendMessage', version: '2020-04-20', parameters: { Payload: big } },
			}),
			CONTEXT,
		);
		expect(decodeForm(signed.body).Payload).toBe(big);
	});

	it.each(['v2', 'v3'] as const)(
		'%s: is pure; a new nonce or time changes the signature',
		(version) => {
			const a = signRequest(input({ signatureVersion: version }), CONTEXT);
			const b = signRequest(input({ signatureVersion: version }), CONTEXT);
			expect(b).toEqual(a);
			const otherNonce = signRequest(input({ signatureVersion: version }), {
				...CONTEXT,
				nonce: 'other',
			});
			const otherTime = signRequest(input({ signatureVersion: version }), {
				...CONTEXT,
				now: new Date('2024-01-01T00:00:01Z'),
			});
			expect(otherNonce).not.toEqual(a);
			expect(otherTime).not.toEqual(a);
		},
	);

	it.each([
		[
			'unknown version',
			input({ request: { action: 'A', version: '1999-01-01', parameters: {} } }),
			/1999-01-01/,
		],
		[
			'bad action',
			input({ request: { action: 'Send Message\r\n', version: '2020-04-20', parameters: {} } }),
			/x-acs-action/,
		],
		[
			'empty id',
			input({ credentials: { accessKeyId: '', accessKeySecret: SECRET } }),
			/accessKeyId/,
		],
		[
			'empty secret',
			input({ credentials: { accessKeyId: 'id', accessKeySecret: '' } }),
			/accessKeySecret/,
		],
		[
			'id with a space',
			input({ credentials: { accessKeyId: 'LTAI x', accessKeySecret: SECRET } }),
			/accessKeyId/,
		],
		[
			'token with a newline',
			input({ credentials: { accessKeyId: 'id', accessKeySecret: SECRET, securityToken: 'a\nb' } }),
			/securityToken/,
		],
		['signature version', input({ signatureVersion: 'v4' as never }), /signatureVersion/],
		[
			'http custom endpoint',
			input({
				endpoint: { endpointType: 'custom', regionId: '', customEndpoint: 'http://example.com' },
			}),
			/customEndpoint/,
		],
		[
			'object parameter',
			input({ request: { action: 'A', version: '2020-04-20', parameters: { P: {} as never } } }),
			/"P"/,
		],
		[
			'NaN parameter',
			input({ request: { action: 'A', version: '2020-04-20', parameters: { P: Number.NaN } } }),
			/"P"/,
		],
		[
			'lone surrogate',
			input({
				request: { action: 'A', version: '2020-04-20', parameters: { Payload: 'x\uD83D' } },
			}),
			/"Payload".*surrogate/,
		],
	])('refuses %s with a SigningError that never contains the secret', (_, bad, message) => {
		let caught: unknown;
		try {
			signRequest(bad, CONTEXT);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(SigningError);
		expect((caught as Error).message).toMatch(message);
		expect((caught as Error).message).not.toContain(SECRET);
		expect(JSON.stringify(caught)).not.toContain(SECRET);
	});

	it('refuses an empty or malformed nonce', () => {
		expect(() => signRequest(input(), { ...CONTEXT, nonce: '' })).toThrow(/nonce/);
		expect(() => signRequest(input(), { ...CONTEXT, nonce: 'a b' })).toThrow(/nonce/);
	});

	it('never returns the secret', () => {
		for (const version of ['v2', 'v3'] as const) {
			expect(
				JSON.stringify(signRequest(input({ signatureVersion: version }), CONTEXT)),
			).not.toContain(SECRET);
		}
	});
});

describe('normalizeParameters', () => {
	it('returns a prototype-less map of strings', () => {
		const result = normalizeParameters({ a: 1, b: 'x', c: undefined, __proto__x: false });
		expect(Object.getPrototypeOf(result)).toBeNull();
		expect({ ...result }).toEqual({ a: '1', b: 'x', __proto__x: 'false' });
	});

	it('refuses an empty parameter name', () => {
		expect(() => normalizeParameters({ '': 'x' })).toThrow(SigningError);
	});
});
