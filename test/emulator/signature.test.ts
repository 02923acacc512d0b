/**
 * The emulator's own canonicalization against the published vectors (docs/signing.md#vectors),
 * asserted at every stage, plus the decoding rules of docs/signing.md#percent-encoding and
 * docs/signing.md#where-parameters-go.
 */
import { formDecode, parseUrlEncoded, percentEncode } from './encoding';
import {
	EMPTY_SHA256,
	parseAcs3Authorization,
	parseAcsTimestamp,
	v2Signature,
	v2StringToSign,
	v3Canonical,
	v3Signature,
} from './signature';

describe('percentEncode', () => {
	it.each([
		["str'str", 'str%27str'],
		['str(str', 'str%28str'],
		['str)str', 'str%29str'],
		['str*str', 'str%2Astr'],
		['a b', 'a%20b'],
		['~', '~'],
		['!', '%21'],
		['/', '%2F'],
		['中', '%E4%B8%AD'],
		['😀', '%F0%9F%98%80'],
		['-_.~AZaz09', '-_.~AZaz09'],
	])('%j → %s', (input, expected) => {
		expect(percentEncode(input)).toBe(expected);
	});
});

describe('form decoding', () => {
	it('treats + as a space and %2B as a plus, decodes UTF-8', () => {
		const b = Buffer.from('a+b%2Bc%E4%B8%AD%20%7e', 'latin1');
		expect(formDecode(b)).toBe('a b+c中 ~');
	});

	it('keeps a lone % literally', () => {
		expect(formDecode(Buffer.from('100%', 'latin1'))).toBe('100%');
		expect(formDecode(Buffer.from('%zz%4', 'latin1'))).toBe('%zz%4');
	});

	it('splits pairs, keeps valueless keys and empty values', () => {
		expect(parseUrlEncoded('a=1&&b=&c&d=x%3Dy=z')).toEqual([
			{ name: 'a', value: '1', hasValue: true },
			{ name: 'b', value: '', hasValue: true },
			{ name: 'c', value: '', hasValue: false },
			{ name: 'd', value: 'x=y=z', hasValue: true },
		]);
	});
});

const vectorA: Array<[string, string]> = [
	['AccessKeyId', 'testid'],
	['Action', 'DescribeDedicatedHosts'],
	['Format', 'JSON'],
	['RegionId', 'cn-beijing'],
	['SignatureMethod', 'HMAC-SHA1'],
	['SignatureNonce', 'edb2b34af0af9a6d14deaf7c1a5315eb'],
	['SignatureVersion', '1.0'],
	['Timestamp', '2023-03-13T08:34:30Z'],
	['Version', '2014-05-26'],
];

const vectorD: Array<[string, string]> = [
	['Version', '2020-04-20'],
	['AccessKeyId', 'testid'],
	['Action', 'SendMessage'],
	['Format', 'JSON'],
	['InstanceId', 'post-cn-0pp12gl0001'],
	['MqttTopic', 'TopicA/dev 1'],
	['Payload', "héllo wörld ~*'()!+/=?&中文"],
	['SignatureMethod', 'HMAC-SHA1'],
	['SignatureNonce', 'c5f4c0d2-0f0e-4b3a-9d7e-1a2b3c4d5e6f'],
	['SignatureVersion', '1.0'],
	['Timestamp', '2024-01-01T00:00:00Z'],
	['Signature', 'ignored'],
];

describe('V2 vectors', () => {
	it('A: official documentation example (GET and POST)', () => {
		const { canonicalizedQueryString, stringToSign } = v2StringToSign('GET', vectorA);
		expect(canonicalizedQueryString).toBe(
			'AccessKeyId=testid&Action=DescribeDedicatedHosts&Format=JSON&RegionId=cn-beijing&SignatureMethod=HMAC-SHA1&SignatureNonce=edb2b34af0af9a6d14deaf7c1a5315eb&SignatureVersion=1.0&Timestamp=2023-03-13T08%3A34%3A30Z&Version=2014-05-26',
		);
		expect(stringToSign).toBe(
			'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts%26Format%3DJSON%26RegionId%3Dcn-beijing%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb%26SignatureVersion%3D1.0%26Timestamp%3D2023-03-13T08%253A34%253A30Z%26Version%3D2014-05-26',
		);
		expect(v2Signature(stringToSign, 'testsecret')).toBe('9NaGiOspFP5UPcwX8Iwt2YJXXuk=');
		expect(v2Signature(v2StringToSign('POST', vectorA).stringToSign, 'testsecret')).toBe(
			'ZvQ9xGiFnquSJRvj+WE6kdSpTwU=',
		);
	});

	it('B: classic DescribeRegions example with the old TimeStamp key', () => {
		const params: Array<[string, string]> = [
			['TimeStamp', '2016-02-23T12:46:24Z'],
			['Format', 'XML'],
			['AccessKeyId', 'testid'],
			['Action', 'DescribeRegions'],
			['SignatureMethod', 'HMAC-SHA1'],
			['SignatureNonce', '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf'],
			['Version', '2014-05-26'],
			['SignatureVersion', '1.0'],
		];
		const { stringToSign } = v2StringToSign('GET', params);
		expect(stringToSign).toBe(
			'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
		);
		expect(v2Signature(stringToSign, 'testsecret')).toBe('CT9X0VtwR86fNWSnsc6v8YGOjuE=');
	});

	it('C: SDK unit test with an empty method', () => {
		const { stringToSign } = v2StringToSign('', [['test', 'ok']]);
		expect(stringToSign).toBe('&%2F&test%3Dok');
		expect(v2Signature(stringToSign, 'accessKeySecret')).toBe('jHx/oHoHNrbVfhncHEvPdHXZwHU=');
	});

	it('D: SendMessage with awkward characters (Signature itself excluded)', () => {
		const { canonicalizedQueryString, stringToSign } = v2StringToSign('POST', vectorD);
		expect(canonicalizedQueryString).toBe(
			'AccessKeyId=testid&Action=SendMessage&Format=JSON&InstanceId=post-cn-0pp12gl0001&MqttTopic=TopicA%2Fdev%201&Payload=h%C3%A9llo%20w%C3%B6rld%20~%2A%27%28%29%21%2B%2F%3D%3F%26%E4%B8%AD%E6%96%87&SignatureMethod=HMAC-SHA1&SignatureNonce=c5f4c0d2-0f0e-4b3a-9d7e-1a2b3c4d5e6f&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00Z&Version=2020-04-20',
		);
		expect(v2Signature(stringToSign, 'testsecret')).toBe('Fwn45aOe+bLENjao6WGZxdRos24=');
		expect(v2Signature(v2StringToSign('GET', vectorD).stringToSign, 'testsecret')).toBe(
			'MG6ZIbMGYTWnT4GCFzDb8UTntKM=',
		);
	});
});

function headersOf(map: Record<string, string[]>) {
	return (name: string) => map[name];
}

describe('V3 vectors', () => {
	it('E: official documentation example', () => {
		const c = v3Canonical({
			method: 'POST',
			path: '/',
			query: [
				['RegionId', 'cn-shanghai'],
				['ImageId', 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd'],
			],
			signedHeaders: [
				'host',
				'x-acs-action',
				'x-acs-content-sha256',
				'x-acs-date',
				'x-acs-signature-nonce',
				'x-acs-version',
			],
			headerValues: headersOf({
				host: ['ecs.cn-shanghai.aliyuncs.com'],
				'x-acs-action': ['RunInstances'],
				'x-acs-content-sha256': [EMPTY_SHA256],
				'x-acs-date': ['2023-10-26T10:22:32Z'],
				'x-acs-signature-nonce': ['3156853299f313e23d1673dc12e1703d'],
				'x-acs-version': ['2014-05-26'],
			}),
			payloadHash: EMPTY_SHA256,
		});
		expect(c.canonicalRequest).toBe(
			[
				'POST',
				'/',
				'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
				'host:ecs.cn-shanghai.aliyuncs.com',
				'x-acs-action:RunInstances',
				`x-acs-content-sha256:${EMPTY_SHA256}`,
				'x-acs-date:2023-10-26T10:22:32Z',
				'x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d',
				'x-acs-version:2014-05-26',
				'',
				'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
				EMPTY_SHA256,
			].join('\n'),
		);
		expect(c.hashedCanonicalRequest).toBe(
			'7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259',
		);
		expect(c.stringToSign).toBe(`ACS3-HMAC-SHA256\n${c.hashedCanonicalRequest}`);
		expect(v3Signature(c.stringToSign, 'YourAccessKeySecret')).toBe(
			'06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
		);
	});

	it('F: SendMessage with awkward characters', () => {
		const c = v3Canonical({
			method: 'POST',
			path: '/',
			query: [
				['Payload', "héllo wörld ~*'()!+/=?&中文"],
				['MqttTopic', 'TopicA/dev 1'],
				['InstanceId', 'post-cn-0pp12gl0001'],
			],
			signedHeaders: [
				'host',
				'x-acs-action',
				'x-acs-content-sha256',
				'x-acs-date',
				'x-acs-signature-nonce',
				'x-acs-version',
			],
			headerValues: headersOf({
				host: ['onsmqtt.cn-hangzhou.aliyuncs.com'],
				'x-acs-action': ['SendMessage'],
				'x-acs-content-sha256': [EMPTY_SHA256],
				'x-acs-date': ['2024-01-01T00:00:00Z'],
				'x-acs-signature-nonce': ['c5f4c0d20f0e4b3a9d7e1a2b3c4d5e6f'],
				'x-acs-version': ['2020-04-20'],
			}),
			payloadHash: EMPTY_SHA256,
		});
		expect(c.canonicalQueryString).toBe(
			'InstanceId=post-cn-0pp12gl0001&MqttTopic=TopicA%2Fdev%201&Payload=h%C3%A9llo%20w%C3%B6rld%20~%2A%27%28%29%21%2B%2F%3D%3F%26%E4%B8%AD%E6%96%87',
		);
		expect(c.hashedCanonicalRequest).toBe(
			'62d3dd5825b2d9a3cdef59d4ff7b0a894189db3aa6c2417da36712f75a657af8',
		);
		expect(v3Signature(c.stringToSign, 'testsecret')).toBe(
			'df22ab0c64e1fa6371b220a71ec1e3efbb33274bdd5be9eadaba081fdd993987',
		);
	});

	it('vector G: repeated headers merge into one sorted line (darabonba-openapi vector)', () => {
		const c = v3Canonical({
			method: 'undefined',
			path: '',
			query: [
				['test', 'ok'],
				['empty', ''],
			],
			signedHeaders: ['x-acs-test'],
			headerValues: headersOf({ 'x-acs-test': ['https', 'http'] }),
			payloadHash: '55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23',
		});
		expect(v3Signature(c.stringToSign, 'secret')).toBe(
			'0f2d549523cf082c83bb8135b5863614f7fe16ca7c2c7fc537e74d67374eeeac',
		);
	});

	it('parses the Authorization header in any part order', () => {
		expect(
			parseAcs3Authorization(
				'ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;X-Acs-Date,Signature=abc',
			),
		).toEqual({ credential: 'testid', signedHeaders: ['host', 'x-acs-date'], signature: 'abc' });
		expect(
			parseAcs3Authorization('ACS3-HMAC-SHA256 Signature=abc, Credential=k, SignedHeaders=host'),
		).toEqual({ credential: 'k', signedHeaders: ['host'], signature: 'abc' });
		expect(parseAcs3Authorization('ACS3-HMAC-SHA256 Credential=k,Signature=abc')).toBeNull();
		expect(parseAcs3Authorization('acs testid:abc')).toBeNull();
	});
});

describe('timestamps', () => {
	it('accepts only yyyy-MM-ddTHH:mm:ssZ', () => {
		expect(parseAcsTimestamp('2024-01-01T00:00:00Z')).toBe(Date.UTC(2024, 0, 1));
		expect(parseAcsTimestamp('2024-01-01T00:00:00.000Z')).toBeNull();
		expect(parseAcsTimestamp('2024-01-01T00:00:00+08:00')).toBeNull();
		expect(parseAcsTimestamp('2024-02-30T00:00:00Z')).toBeNull();
		expect(parseAcsTimestamp('2024-01-01 00:00:00Z')).toBeNull();
	});
});
