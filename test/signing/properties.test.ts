import OpenApiUtil from '@alicloud/openapi-util';
import RPCClient from '@alicloud/pop-core';
import fc from 'fast-check';
import { dirname, join } from 'path';

import {
	buildCanonicalQuery,
	hashPayload,
	signRequest,
	signV2,
	signV3,
	V2_RESERVED_PARAMETERS,
} from '../../nodes/ApsaraMq/transport/signing';
import { fakeOnly } from '../emulator/test-helpers';

/**
 * Property tests with Alibaba's own code as the oracle (docs/signing.md#oracle-tests):
 * `@alicloud/openapi-util` 0.3.3 (`getRPCSignature`, `getAuthorization`, `hash`) and
 * `@alicloud/pop-core` 1.8.0 (`RPCClient#request`, driven deterministically by pinning its clock,
 * its nonce generator and its HTTP layer).
 */

const RUNS = 3000;
const POP_CORE_RUNS = 2000;
const BIG_RUNS = 40;

/** Characters that broke real Alibaba signers (docs/signing.md#percent-encoding), plus CJK, emoji and line breaks. */
const AWKWARD = [
	'~',
	'*',
	"'",
	'(',
	')',
	'!',
	'+',
	'/',
	'=',
	'?',
	'&',
	'%',
	' ',
	'#',
	';',
	',',
	':',
	'@',
	'"',
	'\\',
	'\n',
	'\r',
	'\t',
	'中',
	'文',
	'é',
	'ö',
	'😀',
	'👍🏽',
	'%20',
	'%2B',
	'\u0000',
	'\u007f',
];
const unit = fc.oneof(
	{ arbitrary: fc.constantFrom(...AWKWARD), weight: 3 },
	{ arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 2 },
	{ arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), weight: 1 },
	{ arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), weight: 2 },
);
const text = (maxLength = 24) => fc.string({ unit, maxLength });
/** `__proto__` is excluded only because the oracles store parameters in ordinary objects. */
const parameterName = fc
	.string({ unit, minLength: 1, maxLength: 12 })
	.filter((name) => name !== '__proto__');
const parameters = fc.dictionary(parameterName, text(), { maxKeys: 8, noNullPrototype: true });
const businessParameters = fc.dictionary(
	parameterName.filter((name) => !V2_RESERVED_PARAMETERS.includes(name)),
	text(),
	{ maxKeys: 8, noNullPrototype: true },
);
const secret = text(40).filter((s) => s.trim() !== '' && s === s.trim());
const accessKeyId = fc.stringMatching(/^[A-Za-z0-9.]{1,24}$/);
const method = fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', '');
/** Big values: a few random units repeated to at least 64 KB (whole repeats, so no split pair). */
const bigValue = fc
	.string({ unit, minLength: 1, maxLength: 8 })
	.map((seed) => seed.repeat(Math.ceil(65536 / seed.length)));

function decodeForm(body: string): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [name, value] of new URLSearchParams(body)) result[name] = value;
	return result;
}

describe('V2 signature equals @alicloud/openapi-util getRPCSignature', () => {
	it(`random unicode parameters, methods and secrets (${RUNS} runs)`, () => {
		fc.assert(
			fc.property(parameters, method, secret, (params, httpMethod, key) => {
				expect(signV2(params, httpMethod, key).signature).toBe(
					OpenApiUtil.getRPCSignature(params, httpMethod, key),
				);
			}),
			{ numRuns: RUNS },
		);
	});

	it(`64 KB values (${BIG_RUNS} runs)`, () => {
		fc.assert(
			fc.property(parameterName, bigValue, secret, (name, value, key) => {
				const params = { [name]: value, Action: 'SendMessage' };
				expect(signV2(params, 'POST', key).signature).toBe(
					OpenApiUtil.getRPCSignature(params, 'POST', key),
				);
			}),
			{ numRuns: BIG_RUNS },
		);
	});
});

/** Header names in random letter case, so repeated names must merge. */
const headerName = fc
	.tuple(
		fc.oneof(
			fc.constantFrom('host', 'content-type', 'x-acs-action', 'x-acs-date', 'x-acs-test'),
			fc.stringMatching(/^x-acs-[a-z0-9-]{1,10}$/),
			fc.constantFrom('accept', 'user-agent', 'x-other', 'authorization'),
		),
		fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }),
	)
	.map(([name, upper]) =>
		name
			.split('')
			.map((c, i) => (upper[i] ? c.toUpperCase() : c))
			.join(''),
	);
const headers = fc.dictionary(headerName, text(), { maxKeys: 10, noNullPrototype: true });
/** openapi-util writes query names unencoded, so only unreserved names are comparable. */
const queryName = fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/);
const query = fc.dictionary(queryName, text(), { maxKeys: 6, noNullPrototype: true });

describe('V3 Authorization equals @alicloud/openapi-util getAuthorization', () => {
	it(`random headers (merged case variants), queries, bodies and methods (${RUNS} runs)`, () => {
		fc.assert(
			fc.property(
				headers,
				query,
				text(200),
				fc.constantFrom('POST', 'GET', 'PUT', 'DELETE'),
				accessKeyId,
				secret,
				(hdrs, qs, body, httpMethod, id, key) => {
					const hashedPayload = hashPayload(body);
					const ours = signV3({
						method: httpMethod,
						query: qs,
						headers: hdrs,
						hashedPayload,
						accessKeyId: id,
						accessKeySecret: key,
					});
					const theirs = OpenApiUtil.getAuthorization(
						{ pathname: '/', method: httpMethod, query: qs, headers: hdrs } as never,
						'ACS3-HMAC-SHA256',
						hashedPayload,
						id,
						key,
					);
					expect(ours.authorization).toBe(theirs);
				},
			),
			{ numRuns: RUNS },
		);
	});

	it(`payload hash equals OpenApiUtil.hash of the exact bytes (${RUNS} runs)`, () => {
		fc.assert(
			fc.property(text(300), (body) => {
				expect(hashPayload(body)).toBe(
					OpenApiUtil.hexEncode(OpenApiUtil.hash(Buffer.from(body, 'utf8'), 'ACS3-HMAC-SHA256')),
				);
			}),
			{ numRuns: RUNS },
		);
	});

	it(`64 KB query values and bodies (${BIG_RUNS} runs)`, () => {
		fc.assert(
			fc.property(bigValue, accessKeyId, secret, (value, id, key) => {
				const body = buildCanonicalQuery({ Payload: value });
				const hdrs = { host: 'h', 'x-acs-content-sha256': hashPayload(body) };
				const ours = signV3({
					method: 'POST',
					query: { Payload: value },
					headers: hdrs,
					hashedPayload: hashPayload(body),
					accessKeyId: id,
					accessKeySecret: key,
				});
				expect(ours.authorization).toBe(
					OpenApiUtil.getAuthorization(
						{ pathname: '/', method: 'POST', query: { Payload: value }, headers: hdrs } as never,
						'ACS3-HMAC-SHA256',
						hashPayload(body),
						id,
						key,
					),
				);
			}),
			{ numRuns: BIG_RUNS },
		);
	});
});

describe('V2 form body equals the one @alicloud/pop-core sends', () => {
	// pop-core's own kitx copy supplies its nonce; pin it, its clock (Date) and its HTTP layer.
	// Plain require: the spies must patch the very module objects pop-core calls through.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const httpx = require('httpx') as typeof import('httpx');
	const popCoreDirectory = dirname(require.resolve('@alicloud/pop-core/package.json'));
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const kitx = require(join(popCoreDirectory, 'node_modules', 'kitx')) as {
		makeNonce: () => string;
	};
	let sent: { url: string; data: unknown; headers: Record<string, string> } | undefined;

	beforeAll(() => {
		fakeOnly('Date');
		jest.spyOn(httpx, 'request').mockImplementation(async (url, options) => {
			sent = {
				url,
				data: options.data,
				headers: { ...(options.headers as Record<string, string>) },
			};
			return { req: { getHeaders: () => ({}) }, statusCode: 200, headers: {} } as never;
		});
		jest.spyOn(httpx, 'read').mockResolvedValue(Buffer.from('{}'));
	});

	afterAll(() => {
		jest.useRealTimers();
		jest.restoreAllMocks();
	});

	it(`random business parameters, credentials, STS tokens, times and nonces (${POP_CORE_RUNS} runs)`, async () => {
		await fc.assert(
			fc.asyncProperty(
				businessParameters,
				fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,15}$/),
				accessKeyId,
				secret,
				fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{1,40}$/), { nil: undefined }),
				fc.date({
					min: new Date('2000-01-01T00:00:00Z'),
					max: new Date('2099-12-31T23:59:59Z'),
					noInvalidDate: true,
				}),
				fc.uuid(),
				async (params, action, id, key, token, now, nonce) => {
					jest.setSystemTime(now);
					const nonceSpy = jest.spyOn(kitx, 'makeNonce').mockReturnValue(nonce);
					sent = undefined;
					const client = new RPCClient({
						endpoint: 'https://onsmqtt.cn-hangzhou.aliyuncs.com',
						apiVersion: '2020-04-20',
						accessKeyId: id,
						accessKeySecret: key,
						...(token === undefined ? {} : { securityToken: token }),
					} as RPCClient.Config);
					await client.request(action, params, {
						method: 'POST',
						formatAction: false,
						formatParams: false,
					});
					nonceSpy.mockRestore();

					const ours = signRequest(
						{
							request: { action, version: '2020-04-20', parameters: params },
							credentials: { accessKeyId: id, accessKeySecret: key, securityToken: token },
							signatureVersion: 'v2',
							endpoint: { endpointType: 'public', regionId: 'cn-hangzhou' },
						},
						{ now, nonce },
					);
					expect(sent).toBeDefined();
					expect(ours.url).toBe(sent!.url);
					expect(ours.body).toBe(sent!.data);
					expect(sent!.headers['content-type']).toBe(ours.headers['content-type']);
				},
			),
			{ numRuns: POP_CORE_RUNS },
		);
	});
});

describe('the form body round-trips through a real form decoder', () => {
	const context = { now: new Date('2024-01-01T00:00:00Z'), nonce: 'n-1' };
	const sign = (version: 'v2' | 'v3', params: Record<string, string>) =>
		signRequest(
			{
				request: { action: 'SendMessage', version: '2020-04-20', parameters: params },
				credentials: { accessKeyId: 'id', accessKeySecret: 'key' },
				signatureVersion: version,
				endpoint: { endpointType: 'public', regionId: 'cn-hangzhou' },
			},
			context,
		);

	it(`V3: decoded body equals the business parameters, no raw + (${RUNS} runs)`, () => {
		fc.assert(
			fc.property(parameters, (params) => {
				const { body } = sign('v3', params);
				expect(body).not.toContain('+');
				expect(decodeForm(body)).toEqual(params);
			}),
			{ numRuns: RUNS },
		);
	});

	it(`V2: decoded body equals business + common parameters + a valid Signature (${RUNS} runs)`, () => {
		fc.assert(
			fc.property(businessParameters, (params) => {
				const { body } = sign('v2', params);
				expect(body).not.toContain('+');
				const { Signature, ...signed } = decodeForm(body);
				expect(signed).toEqual({
					...params,
					AccessKeyId: 'id',
					Action: 'SendMessage',
					Format: 'JSON',
					SignatureMethod: 'HMAC-SHA1',
					SignatureNonce: 'n-1',
					SignatureVersion: '1.0',
					Timestamp: '2024-01-01T00:00:00Z',
					Version: '2020-04-20',
				});
				expect(Signature).toBe(OpenApiUtil.getRPCSignature(signed, 'POST', 'key'));
			}),
			{ numRuns: RUNS },
		);
	});

	it(`64 KB values round-trip under V2 and V3 (${BIG_RUNS} runs)`, () => {
		fc.assert(
			fc.property(
				parameterName.filter((n) => !V2_RESERVED_PARAMETERS.includes(n)),
				bigValue,
				(name, value) => {
					expect(decodeForm(sign('v3', { [name]: value }).body)[name]).toBe(value);
					expect(decodeForm(sign('v2', { [name]: value }).body)[name]).toBe(value);
				},
			),
			{ numRuns: BIG_RUNS },
		);
	});
});
