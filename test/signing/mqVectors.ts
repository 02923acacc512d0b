/**
 * The MQ HTTP signature vectors of docs/signing.md#mq-http-vectors, computed by running
 * `@aliyunmq/mq-http-sdk` 1.0.4's own `MQClient#sign` / `buildHeaders` with the clock pinned to
 * 2025-01-01T00:00:00Z.
 */
export interface MqVector {
	name: string;
	method: string;
	resource: string;
	/** The exact XML body; absent for GET. */
	body?: string;
	accessKeyId: string;
	secret: string;
	securityToken?: string;
	/** Where the vector sends no Content-Type (the Python SDK's GET). */
	contentType?: string;
	contentMd5: string;
	date: string;
	stringToSign: string;
	signature: string;
}

const NS = 'MQ_INST_1234567890123456_BXtestab';
const DATE = 'Wed, 01 Jan 2025 00:00:00 GMT';
const TYPE = 'text/xml;charset=utf-8';
const PUBLISH_BODY =
	'<?xml version="1.0" encoding="UTF-8"?><Message xmlns="http://mq.aliyuncs.com/doc/v1/"><MessageBody><![CDATA[hello world]]></MessageBody><MessageTag><![CDATA[TagA]]></MessageTag><Properties><![CDATA[KEYS:order-1|a:1]]></Properties></Message>';
const HANDLE_0 = '0-ZVAxaUFjaGVkVz1zZ0FxPTE2Mzg1NjY0NTE3OTA=';
const HANDLE_1 = '1-ZVAxaUFjaGVkVz1zZ0FxPTE2Mzg1NjY0NTE3OTE=';
const handles = (...list: string[]): string =>
	'<?xml version="1.0" encoding="UTF-8"?><ReceiptHandles xmlns="http://mq.aliyuncs.com/doc/v1/">' +
	list.map((handle) => `<ReceiptHandle><![CDATA[${handle}]]></ReceiptHandle>`).join('') +
	'</ReceiptHandles>';

const common = { accessKeyId: 'testAccessKeyId', secret: 'testAccessKeySecret', date: DATE };
const sts = (method: string, md5: string, resource: string): string =>
	`${method}\n${md5}\n${TYPE}\n${DATE}\nx-mq-version:2015-06-06\n${resource}`;

const PUBLISH_RESOURCE = `/topics/T_test/messages?ns=${NS}`;
const PUBLISH_MD5 = 'ZDcyOTQ1ZTRiYzM2NTdlMWJiYzg1NTRhYWVmZTliNzM=';
const CONSUME_RESOURCE = `/topics/T_test/messages?consumer=GID_test&ns=${NS}&tag=TagA%7C%7CTagB&numOfMessages=3&waitseconds=3`;
const ACK_RESOURCE = `/topics/T_test/messages?consumer=GID_test&ns=${NS}`;
const ACK_MD5 = 'YWEyYjNkMjBmZTRjNTdkYjc0OWUzNjExNmJmMDdhNzc=';
const ORDERED_RESOURCE = `/topics/T_test/messages?consumer=GID_test&ns=${NS}&numOfMessages=16&waitseconds=30&trans=order`;
const COMMIT_RESOURCE = `/topics/T_test/messages?consumer=GID_test&ns=${NS}&trans=commit`;
const COMMIT_MD5 = 'NmE0ZTMxMjBjY2E2ZDY0YzZiMjIzNmQyZGY2MGNlMDM=';
const PLAIN_GET_RESOURCE = '/topics/T_test/messages?consumer=GID_test&numOfMessages=1';

/** V1–V6 go through the whole request signer; V0 and V7 only through the pure stages. */
export const MQ_REQUEST_VECTORS: MqVector[] = [
	{
		name: 'V1 POST publish',
		...common,
		method: 'POST',
		resource: PUBLISH_RESOURCE,
		body: PUBLISH_BODY,
		contentMd5: PUBLISH_MD5,
		stringToSign: sts('POST', PUBLISH_MD5, PUBLISH_RESOURCE),
		signature: 't16EmRqz3L806vfE5N7KaCUCDuw=',
	},
	{
		name: 'V2 GET consume',
		...common,
		method: 'GET',
		resource: CONSUME_RESOURCE,
		contentMd5: '',
		stringToSign: sts('GET', '', CONSUME_RESOURCE),
		signature: 'MOBasnd2V/tcZlnICmdwQHViM4w=',
	},
	{
		name: 'V3 DELETE ack',
		...common,
		method: 'DELETE',
		resource: ACK_RESOURCE,
		body: handles(HANDLE_0, HANDLE_1),
		contentMd5: ACK_MD5,
		stringToSign: sts('DELETE', ACK_MD5, ACK_RESOURCE),
		signature: 'kx0naLI2XlI3VFdnmFPSxejdvmM=',
	},
	{
		name: 'V4 STS publish',
		...common,
		accessKeyId: 'STS.testAccessKeyId',
		securityToken: 'testSecurityTokenValue',
		method: 'POST',
		resource: PUBLISH_RESOURCE,
		body: PUBLISH_BODY,
		contentMd5: PUBLISH_MD5,
		stringToSign: sts('POST', PUBLISH_MD5, PUBLISH_RESOURCE),
		signature: 't16EmRqz3L806vfE5N7KaCUCDuw=',
	},
	{
		name: 'V5 GET ordered',
		...common,
		method: 'GET',
		resource: ORDERED_RESOURCE,
		contentMd5: '',
		stringToSign: sts('GET', '', ORDERED_RESOURCE),
		signature: '8Z6y4IM/8bcSQWWtHZTFgTJQlQk=',
	},
	{
		name: 'V6 DELETE commit',
		...common,
		method: 'DELETE',
		resource: COMMIT_RESOURCE,
		body: handles(HANDLE_0),
		contentMd5: COMMIT_MD5,
		stringToSign: sts('DELETE', COMMIT_MD5, COMMIT_RESOURCE),
		signature: 'XUkFepBHxb3Mb87dpzdQlPxInks=',
	},
];

export const MQ_STAGE_ONLY_VECTORS: MqVector[] = [
	{
		name: 'V0 SDK unit test',
		accessKeyId: 'ACCESS_KEY_ID',
		secret: 'ACCESS_KEY_SECRET',
		method: 'PUT',
		resource: '/',
		contentType: 'text/xml',
		contentMd5: '574683b3684e3cff610afa155cc2506d',
		date: 'Tue, 11 Apr 2017 10:09:19 GMT',
		stringToSign:
			'PUT\n574683b3684e3cff610afa155cc2506d\ntext/xml\nTue, 11 Apr 2017 10:09:19 GMT\nx-mq-version:2015-06-06\n/',
		signature: 'G7NRBqmP9XfhTJ/pV3AgYQtXaaU=',
	},
	{
		name: 'V7 GET without Content-Type',
		...common,
		method: 'GET',
		resource: PLAIN_GET_RESOURCE,
		contentType: '',
		contentMd5: '',
		stringToSign: `GET\n\n\n${DATE}\nx-mq-version:2015-06-06\n${PLAIN_GET_RESOURCE}`,
		signature: '2P8dUaUJ7e5RyRDU6yNciyU64nE=',
	},
];

export const MQ_VECTOR_NOW = new Date('2025-01-01T00:00:00Z');
