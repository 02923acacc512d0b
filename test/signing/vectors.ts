/**
 * Every signature vector of docs/signing.md#vectors, as one typed table per kind.
 * Strings are exact; `\n` in V3 canonical requests is a real newline.
 */

export interface V2Vector {
	name: string;
	source: string;
	method: string;
	secret: string;
	params: Record<string, string>;
	canonicalQuery: string;
	stringToSign: string;
	signature: string;
	/** The signature as it appears percent-encoded in a URL or form body, where the docs give it. */
	encodedSignature?: string;
}

/** A string to sign printed wrongly in some copies of the docs; it must NOT be what we produce. */
export interface V2NegativeVector {
	name: string;
	/** The vector whose correct output this misprint claims to be. */
	correctVector: string;
	printedStringToSign: string;
	secret: string;
	/** What the misprinted text hashes to (so the misprint itself is pinned down). */
	printedSignature: string;
}

/** Raw HMAC-SHA1 primitive vectors (no `&` appended to the key). */
export interface HmacSha1Vector {
	name: string;
	source: string;
	key: string;
	data: string;
	signature: string;
}

export interface V3Vector {
	name: string;
	source: string;
	method: string;
	canonicalUri: string;
	query: Record<string, string>;
	/**
	 * Used instead of the query when the source SDK wrote the canonical query in a way this
	 * package never does (a valueless key, docs/signing.md#vector-g-and-h); it isolates the
	 * header-merging stage.
	 */
	canonicalQueryOverride?: string;
	headers: Record<string, string>;
	hashedPayload: string;
	accessKeyId: string;
	secret: string;
	canonicalQuery: string;
	canonicalHeaders: string;
	signedHeaders: string;
	canonicalRequest?: string;
	hashedCanonicalRequest?: string;
	stringToSign?: string;
	signature: string;
	authorization?: string;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// V2 vector A -----------------------------------------------------------------------------------

const vectorAParams = {
	AccessKeyId: 'testid',
	Action: 'DescribeDedicatedHosts',
	Format: 'JSON',
	RegionId: 'cn-beijing',
	SignatureMethod: 'HMAC-SHA1',
	SignatureNonce: 'edb2b34af0af9a6d14deaf7c1a5315eb',
	SignatureVersion: '1.0',
	Timestamp: '2023-03-13T08:34:30Z',
	Version: '2014-05-26',
};
const vectorACanonical =
	'AccessKeyId=testid&Action=DescribeDedicatedHosts&Format=JSON&RegionId=cn-beijing&SignatureMethod=HMAC-SHA1&SignatureNonce=edb2b34af0af9a6d14deaf7c1a5315eb&SignatureVersion=1.0&Timestamp=2023-03-13T08%3A34%3A30Z&Version=2014-05-26';
const vectorAStringToSignTail =
	'&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts%26Format%3DJSON%26RegionId%3Dcn-beijing%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb%26SignatureVersion%3D1.0%26Timestamp%3D2023-03-13T08%253A34%253A30Z%26Version%3D2014-05-26';

// V2 vector B -----------------------------------------------------------------------------------

const vectorBParams = {
	TimeStamp: '2016-02-23T12:46:24Z',
	Format: 'XML',
	AccessKeyId: 'testid',
	Action: 'DescribeRegions',
	SignatureMethod: 'HMAC-SHA1',
	SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
	Version: '2014-05-26',
	SignatureVersion: '1.0',
};

// V2 vector D -----------------------------------------------------------------------------------

const vectorDParams = {
	AccessKeyId: 'testid',
	Action: 'SendMessage',
	Format: 'JSON',
	InstanceId: 'post-cn-0pp12gl0001',
	MqttTopic: 'TopicA/dev 1',
	Payload: "héllo wörld ~*'()!+/=?&中文",
	SignatureMethod: 'HMAC-SHA1',
	SignatureNonce: 'c5f4c0d2-0f0e-4b3a-9d7e-1a2b3c4d5e6f',
	SignatureVersion: '1.0',
	Timestamp: '2024-01-01T00:00:00Z',
	Version: '2020-04-20',
};
const vectorDCanonical =
	'AccessKeyId=testid&Action=SendMessage&Format=JSON&InstanceId=post-cn-0pp12gl0001&MqttTopic=TopicA%2Fdev%201&Payload=h%C3%A9llo%20w%C3%B6rld%20~%2A%27%28%29%21%2B%2F%3D%3F%26%E4%B8%AD%E6%96%87&SignatureMethod=HMAC-SHA1&SignatureNonce=c5f4c0d2-0f0e-4b3a-9d7e-1a2b3c4d5e6f&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00Z&Version=2020-04-20';
const vectorDStringToSignTail =
	'&%2F&AccessKeyId%3Dtestid%26Action%3DSendMessage%26Format%3DJSON%26InstanceId%3Dpost-cn-0pp12gl0001%26MqttTopic%3DTopicA%252Fdev%25201%26Payload%3Dh%25C3%25A9llo%2520w%25C3%25B6rld%2520~%252A%2527%2528%2529%2521%252B%252F%253D%253F%2526%25E4%25B8%25AD%25E6%2596%2587%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Dc5f4c0d2-0f0e-4b3a-9d7e-1a2b3c4d5e6f%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2020-04-20';

export const V2_VECTORS: V2Vector[] = [
	{
		name: 'A: official V2 documentation example (GET)',
		source: 'docs/signing.md#vector-a, https://help.aliyun.com/zh/sdk/product-overview/rpc-mechanism',
		method: 'GET',
		secret: 'testsecret',
		params: vectorAParams,
		canonicalQuery: vectorACanonical,
		stringToSign: `GET${vectorAStringToSignTail}`,
		signature: '9NaGiOspFP5UPcwX8Iwt2YJXXuk=',
	},
	{
		name: 'A with POST (derived)',
		source: 'docs/signing.md#vector-a (derived)',
		method: 'POST',
		secret: 'testsecret',
		params: vectorAParams,
		canonicalQuery: vectorACanonical,
		stringToSign: `POST${vectorAStringToSignTail}`,
		signature: 'ZvQ9xGiFnquSJRvj+WE6kdSpTwU=',
	},
	{
		name: 'B: classic ECS DescribeRegions example (old TimeStamp key)',
		source: 'docs/signing.md#vector-b, doc-detail 25492 via https://developer.aliyun.com/ask/210168',
		method: 'GET',
		secret: 'testsecret',
		params: vectorBParams,
		canonicalQuery:
			'AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&TimeStamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26',
		stringToSign:
			'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
		signature: 'CT9X0VtwR86fNWSnsc6v8YGOjuE=',
		encodedSignature: 'CT9X0VtwR86fNWSnsc6v8YGOjuE%3D',
	},
	{
		name: 'C: SDK unit test (empty method)',
		source: 'docs/signing.md#vector-c, github.com/aliyun/darabonba-openapi ts/test/util.spec.ts "getRPCSignature should ok"',
		method: '',
		secret: 'accessKeySecret',
		params: { test: 'ok' },
		canonicalQuery: 'test=ok',
		stringToSign: '&%2F&test%3Dok',
		signature: 'jHx/oHoHNrbVfhncHEvPdHXZwHU=',
	},
	{
		name: 'D: SendMessage with awkward characters (POST)',
		source: 'docs/signing.md#vector-d (derived; @alicloud/openapi-util agrees)',
		method: 'POST',
		secret: 'testsecret',
		params: vectorDParams,
		canonicalQuery: vectorDCanonical,
		stringToSign: `POST${vectorDStringToSignTail}`,
		signature: 'Fwn45aOe+bLENjao6WGZxdRos24=',
	},
	{
		name: 'D with GET (derived)',
		source: 'docs/signing.md#vector-d (derived)',
		method: 'GET',
		secret: 'testsecret',
		params: vectorDParams,
		canonicalQuery: vectorDCanonical,
		stringToSign: `GET${vectorDStringToSignTail}`,
		signature: 'MG6ZIbMGYTWnT4GCFzDb8UTntKM=',
	},
];

export const V2_NEGATIVE_VECTORS: V2NegativeVector[] = [
	{
		name: 'B misprinted with literal & between pairs',
		correctVector: 'B: classic ECS DescribeRegions example (old TimeStamp key)',
		printedStringToSign:
			'GET&%2F&AccessKeyId%3Dtestid&Action%3DDescribeRegions&Format%3DXML&SignatureMethod%3DHMAC-SHA1&SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion%3D1.0&TimeStamp%3D2016-02-23T12%253A46%253A24Z&Version%3D2014-05-26',
		secret: 'testsecret',
		printedSignature: 'LZ5DVzNj95387UDL70u7+18AwWY=',
	},
];

export const HMAC_SHA1_VECTORS: HmacSha1Vector[] = [
	{
		name: 'ROA primitive from the same SDK suite',
		source: 'docs/signing.md#vector-c, github.com/aliyun/darabonba-openapi ts/test/util.spec.ts',
		key: 'secret',
		data: 'stringtosign',
		signature: 'OmuTAr79tpI6CRoAdmzKRq5lHs0=',
	},
];

// V3 vector E -----------------------------------------------------------------------------------

const vectorECanonicalRequest =
	'POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\nhost:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\nx-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\nhost;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// V3 vector F -----------------------------------------------------------------------------------

const vectorFCanonicalQuery =
	'InstanceId=post-cn-0pp12gl0001&MqttTopic=TopicA%2Fdev%201&Payload=h%C3%A9llo%20w%C3%B6rld%20~%2A%27%28%29%21%2B%2F%3D%3F%26%E4%B8%AD%E6%96%87';

// V3 quirk vectors G and H ----------------------------------------------------------------------

const quirkHeaders = { 'x-acs-test': 'http', 'x-acs-TEST': 'https' };
const quirkPayloadHash = '55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23';

export const V3_VECTORS: V3Vector[] = [
	{
		name: 'E: official V3 documentation example',
		source: 'docs/signing.md#vector-e, https://help.aliyun.com/document_detail/2593177.html',
		method: 'POST',
		canonicalUri: '/',
		query: {
			ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd',
			RegionId: 'cn-shanghai',
		},
		headers: {
			host: 'ecs.cn-shanghai.aliyuncs.com',
			'x-acs-action': 'RunInstances',
			'x-acs-version': '2014-05-26',
			'x-acs-date': '2023-10-26T10:22:32Z',
			'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
			'x-acs-content-sha256': EMPTY_SHA256,
		},
		hashedPayload: EMPTY_SHA256,
		accessKeyId: 'YourAccessKeyId',
		secret: 'YourAccessKeySecret',
		canonicalQuery:
			'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
		canonicalHeaders:
			'host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\nx-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n',
		signedHeaders:
			'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
		canonicalRequest: vectorECanonicalRequest,
		hashedCanonicalRequest: '7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259',
		stringToSign:
			'ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259',
		signature: '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
		authorization:
			'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
	},
	{
		name: 'F: SendMessage with awkward characters',
		source: 'docs/signing.md#vector-f (derived; @alicloud/openapi-util agrees)',
		method: 'POST',
		canonicalUri: '/',
		query: {
			InstanceId: 'post-cn-0pp12gl0001',
			MqttTopic: 'TopicA/dev 1',
			Payload: "héllo wörld ~*'()!+/=?&中文",
		},
		headers: {
			host: 'onsmqtt.cn-hangzhou.aliyuncs.com',
			'x-acs-action': 'SendMessage',
			'x-acs-version': '2020-04-20',
			'x-acs-date': '2024-01-01T00:00:00Z',
			'x-acs-signature-nonce': 'c5f4c0d20f0e4b3a9d7e1a2b3c4d5e6f',
			'x-acs-content-sha256': EMPTY_SHA256,
		},
		hashedPayload: EMPTY_SHA256,
		accessKeyId: 'testid',
		secret: 'testsecret',
		canonicalQuery: vectorFCanonicalQuery,
		canonicalHeaders:
			'host:onsmqtt.cn-hangzhou.aliyuncs.com\nx-acs-action:SendMessage\nx-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-acs-date:2024-01-01T00:00:00Z\nx-acs-signature-nonce:c5f4c0d20f0e4b3a9d7e1a2b3c4d5e6f\nx-acs-version:2020-04-20\n',
		signedHeaders:
			'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
		canonicalRequest: `POST\n/\n${vectorFCanonicalQuery}\nhost:onsmqtt.cn-hangzhou.aliyuncs.com\nx-acs-action:SendMessage\nx-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-acs-date:2024-01-01T00:00:00Z\nx-acs-signature-nonce:c5f4c0d20f0e4b3a9d7e1a2b3c4d5e6f\nx-acs-version:2020-04-20\n\nhost;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
		hashedCanonicalRequest: '62d3dd5825b2d9a3cdef59d4ff7b0a894189db3aa6c2417da36712f75a657af8',
		stringToSign:
			'ACS3-HMAC-SHA256\n62d3dd5825b2d9a3cdef59d4ff7b0a894189db3aa6c2417da36712f75a657af8',
		signature: 'df22ab0c64e1fa6371b220a71ec1e3efbb33274bdd5be9eadaba081fdd993987',
		authorization:
			'ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=df22ab0c64e1fa6371b220a71ec1e3efbb33274bdd5be9eadaba081fdd993987',
	},
	{
		name: 'G: darabonba-openapi quirk (method "undefined", empty= query, merged headers)',
		source: 'docs/signing.md#vector-g-and-h, github.com/aliyun/darabonba-openapi ts/test/util.spec.ts',
		method: 'undefined',
		canonicalUri: '',
		query: { test: 'ok', empty: '' },
		headers: quirkHeaders,
		hashedPayload: quirkPayloadHash,
		accessKeyId: 'acesskey',
		secret: 'secret',
		canonicalQuery: 'empty=&test=ok',
		canonicalHeaders: 'x-acs-test:http,https\n',
		signedHeaders: 'x-acs-test',
		signature: '0f2d549523cf082c83bb8135b5863614f7fe16ca7c2c7fc537e74d67374eeeac',
		authorization:
			'ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,Signature=0f2d549523cf082c83bb8135b5863614f7fe16ca7c2c7fc537e74d67374eeeac',
	},
	{
		name: 'H: darabonba-openapi-util quirk (GET, valueless key, merged headers)',
		source: 'docs/signing.md#vector-g-and-h, github.com/aliyun/darabonba-openapi-util ts/test/client.spec.ts',
		method: 'GET',
		canonicalUri: '',
		query: { test: 'ok', empty: '' },
		canonicalQueryOverride: 'empty&test=ok',
		headers: quirkHeaders,
		hashedPayload: quirkPayloadHash,
		accessKeyId: 'acesskey',
		secret: 'secret',
		canonicalQuery: 'empty&test=ok',
		canonicalHeaders: 'x-acs-test:http,https\n',
		signedHeaders: 'x-acs-test',
		signature: 'da772425f29289d3460d5fc961455d40c5e8c6afd0888b78a910c991e6a14846',
	},
];
