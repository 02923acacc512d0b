/**
 * Alibaba's `@aliyunmq/mq-http-sdk` 1.0.4 (a devDependency without type declarations) as the
 * emulator tests use it: typed by hand for the members they call.
 */
import { httpRequest, type RawResponse } from '../test-helpers';

export interface SdkResponse<T> {
	code: number;
	requestId: string;
	body: T;
}

export interface SdkMessage {
	MessageId: string;
	ReceiptHandle: string;
	MessageBody: string;
	MessageBodyMD5: string;
	MessageTag?: string;
	MessageKey?: string;
	ShardingKey?: string;
	StartDeliverTime?: number;
	PublishTime: string;
	FirstConsumeTime: string;
	NextConsumeTime: string;
	ConsumedTimes: string;
	Properties: Record<string, string>;
}

export interface SdkMessageProperties {
	messageKey(key: string): void;
	startDeliverTime(ms: number): void;
	shardingKey(key: string): void;
	putProperty(key: string, value: string): void;
}

export interface SdkProducer {
	publishMessage(
		body: string,
		tag?: string,
		props?: SdkMessageProperties,
	): Promise<SdkResponse<{ MessageId: string; MessageBodyMD5: string }>>;
}

export interface SdkConsumer {
	consumeMessage(n: number, waitSeconds?: number): Promise<SdkResponse<SdkMessage[]>>;
	consumeMessageOrderly(n: number, waitSeconds?: number): Promise<SdkResponse<SdkMessage[]>>;
	ackMessage(
		handles: string[],
	): Promise<
		SdkResponse<Array<{ ErrorCode: string; ErrorMessage: string; ReceiptHandle: string }>>
	>;
}

export interface SdkClient {
	getProducer(instanceId: string, topic: string): SdkProducer;
	getConsumer(instanceId: string, topic: string, group: string, tag?: string): SdkConsumer;
	buildHeaders(method: string, body: Buffer | string, resource: string): Record<string, string>;
}

/** The error the SDK throws for an `<Error>` answer. */
export interface SdkError extends Error {
	Code: string;
	RequestId: string;
}

interface SdkModule {
	MQClient: new (endpoint: string, id: string, secret: string, token?: string) => SdkClient;
	MessageProperties: new () => SdkMessageProperties;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = require('@aliyunmq/mq-http-sdk') as SdkModule;

export function sdkClient(
	endpoint: string,
	keyId = 'testid',
	secret = 'testsecret',
	token?: string,
): SdkClient {
	return new sdk.MQClient(endpoint, keyId, secret, token);
}

export function sdkProperties(values: {
	key?: string;
	startDeliverTime?: number;
	shardingKey?: string;
	user?: Record<string, string>;
}): SdkMessageProperties {
	const props = new sdk.MessageProperties();
	if (values.key !== undefined) props.messageKey(values.key);
	if (values.startDeliverTime !== undefined) props.startDeliverTime(values.startDeliverTime);
	if (values.shardingKey !== undefined) props.shardingKey(values.shardingKey);
	for (const [k, v] of Object.entries(values.user ?? {})) props.putProperty(k, v);
	return props;
}

/** The SDK's publish body (`toXMLBuffer`), CDATA unescaped as the SDK writes it. */
export function sdkPublishBody(body: string, tag?: string, properties?: string): Buffer {
	const field = (name: string, v?: string) => (v ? `<${name}><![CDATA[${v}]]></${name}>` : '');
	return Buffer.from(
		'<?xml version="1.0" encoding="UTF-8"?><Message xmlns="http://mq.aliyuncs.com/doc/v1/">' +
			field('MessageBody', body) +
			field('MessageTag', tag) +
			field('Properties', properties) +
			'</Message>',
		'utf8',
	);
}

export interface MqWire {
	method: 'GET' | 'POST' | 'DELETE';
	resource: string;
	body?: Buffer;
	keyId?: string;
	secret?: string;
	token?: string;
	/** Client-side timeout: the request is destroyed with `client timeout`. */
	timeoutMs?: number;
	/** Changes the request after the SDK signed it. */
	tamper?: (wire: { resource: string; headers: Record<string, string>; body: Buffer }) => void;
}

/** One request signed by the SDK's own `buildHeaders`, optionally tampered with, sent raw. */
export async function mqWire(endpoint: string, w: MqWire): Promise<RawResponse> {
	const client = sdkClient(endpoint, w.keyId, w.secret, w.token);
	const body = w.body ?? Buffer.alloc(0);
	const headers = { ...client.buildHeaders(w.method, body, w.resource) };
	delete headers['user-agent'];
	const wire = { resource: w.resource, headers: stringify(headers), body };
	w.tamper?.(wire);
	return httpRequest(`${endpoint}${wire.resource}`, {
		method: w.method,
		headers: wire.headers,
		body: w.method === 'GET' ? undefined : wire.body,
		timeoutMs: w.timeoutMs,
	});
}

function stringify(headers: Record<string, unknown>): Record<string, string> {
	return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));
}

/** `<Code>` of an `<Error>` answer. */
export function errorCode(text: string): string | undefined {
	return /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
}
