import fc from 'fast-check';

import { mqSignature, mqStringToSign, signMqRequest } from '../../nodes/ApsaraMq/transport/signing';
import { fakeOnly } from '../emulator/test-helpers';

/**
 * Property tests with Alibaba's own MQ HTTP client as the oracle (docs/signing.md#mq-http-oracle):
 * `@aliyunmq/mq-http-sdk` 1.0.4's `MQClient#sign` and `MQClient#buildHeaders`, its clock pinned
 * to the same instant as ours.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MQClient } = require('@aliyunmq/mq-http-sdk/lib/client.js') as {
	MQClient: new (
		endpoint: string,
		accessKeyId: string,
		accessKeySecret: string,
		securityToken?: string,
	) => {
		sign(method: string, headers: Record<string, string>, resource: string): string;
		buildHeaders(method: string, body: Buffer | string, resource: string): Record<string, unknown>;
	};
};

const RUNS = 3000;

/** The characters the issue names, plus CJK, emoji and XML specials. */
const AWKWARD = [
	'||',
	'|',
	'%',
	'%7C',
	'+',
	' ',
	'&',
	'=',
	'?',
	'#',
	':',
	'中文',
	'😀',
	'é',
	'<',
	']]>',
	"'",
	'~',
	'*',
];
const awkwardText = fc
	.array(fc.oneof(fc.constantFrom(...AWKWARD), fc.string({ unit: 'grapheme', maxLength: 6 })), {
		maxLength: 8,
	})
	.map((parts) => parts.join(''));
const secret = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
const accessKeyId = fc.stringMatching(/^[A-Za-z0-9.]{1,30}$/);
const method = fc.constantFrom('GET', 'POST', 'DELETE', 'PUT');

/** A resource the way the SDKs build one: path segments and query values percent-encoded. */
const resource = fc
	.record({
		topic: awkwardText,
		ns: fc.option(fc.stringMatching(/^MQ_INST_[0-9]{1,16}_[A-Za-z0-9]{1,8}$/), { nil: undefined }),
		tag: fc.option(awkwardText, { nil: undefined }),
		consumer: fc.option(awkwardText, { nil: undefined }),
		rawQuery: fc.option(awkwardText, { nil: undefined }),
	})
	.map(({ topic, ns, tag, consumer, rawQuery }) => {
		const query = [
			consumer === undefined ? undefined : `consumer=${encodeURIComponent(consumer)}`,
			ns === undefined ? undefined : `ns=${ns}`,
			tag === undefined ? undefined : `tag=${encodeURIComponent(tag)}`,
			// Also unencoded text: the signature must take the resource exactly as given.
			rawQuery,
		].filter((part) => part !== undefined);
		return `/topics/${encodeURIComponent(topic)}/messages${query.length > 0 ? `?${query.join('&')}` : ''}`;
	});
const instant = fc.date({
	min: new Date('1990-01-01T00:00:00Z'),
	max: new Date('2090-01-01T00:00:00Z'),
	noInvalidDate: true,
});

afterEach(() => jest.useRealTimers());

it('string to sign and signature agree with the SDK sign for any headers and resource', () => {
	fc.assert(
		fc.property(
			method,
			secret,
			resource,
			fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
			fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
			fc.dictionary(
				fc.stringMatching(/^x-mq-[a-z0-9-]{1,10}$/),
				fc.string({ unit: 'grapheme', maxLength: 10 }),
				{ maxKeys: 3 },
			),
			(verb, key, path, contentMd5, contentType, extra) => {
				const headers: Record<string, string> = {
					date: 'Wed, 01 Jan 2025 00:00:00 GMT',
					'x-mq-version': '2015-06-06',
					...extra,
				};
				if (contentMd5 !== undefined) headers['content-md5'] = contentMd5;
				if (contentType !== undefined) headers['content-type'] = contentType;
				const ours = mqSignature(
					key,
					mqStringToSign({
						method: verb,
						contentMd5: contentMd5 ?? '',
						contentType: contentType ?? '',
						date: headers.date,
						headers,
						resource: path,
					}),
				);
				const sdk = new MQClient('http://endpoint', 'id', key).sign(verb, headers, path);
				expect(ours).toBe(sdk);
			},
		),
		{ numRuns: RUNS },
	);
});

it('signMqRequest gives the headers of the SDK buildHeaders, STS included', () => {
	fakeOnly('Date');
	fc.assert(
		fc.property(
			method,
			accessKeyId,
			secret,
			fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{1,40}$/), { nil: undefined }),
			resource,
			fc.string({ unit: 'grapheme', maxLength: 200 }),
			instant,
			(verb, id, key, token, path, body, now) => {
				jest.setSystemTime(now);
				const sdkHeaders = new MQClient('http://endpoint', id, key, token).buildHeaders(
					verb,
					Buffer.from(body, 'utf8'),
					path,
				);
				// Not signed, and left to n8n's HTTP client: the user agent and Content-Length.
				delete sdkHeaders['user-agent'];
				delete sdkHeaders['content-length'];
				const ours = signMqRequest(
					{ method: verb, resource: path, body: verb === 'GET' ? undefined : body },
					{ accessKeyId: id, accessKeySecret: key, securityToken: token },
					now,
				);
				expect(ours).toEqual(sdkHeaders);
			},
		),
		{ numRuns: RUNS },
	);
});
