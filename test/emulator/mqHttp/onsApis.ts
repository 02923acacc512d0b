/**
 * The OpenAPI (`ons` 2019-02-14) actions around the RocketMQ HTTP protocol
 * (docs/mq-http-server.md#openapi-around-the-protocol): the instance's endpoints and namespace flag, and the look-up
 * of stored messages by key or by ID, which sees a message only `keyIndexDelayMs` after it was
 * stored (the index lag, a knob).
 */
import { z } from 'zod';

import type { ApiContext, ApiDef } from '../apis';
import { errors } from '../errors';
import type { OnsInstance, StoredMessage } from '../seed';
import { hasKey } from './properties';
import { messageKey, type RocketMqStore } from './store';

/** What these actions need beyond the common ApiContext. */
export interface MqHttpApiContext {
	store: RocketMqStore;
	/** The emulator's base URL: every HTTP endpoint of an instance points at it. */
	baseUrl: string;
	keyIndexDelayMs: number;
}

/** Alibaba answers the 64 most recent messages with a key (docs/mq-http-server.md#openapi-around-the-protocol). */
const GET_BY_KEY_LIMIT = 64;

function defineOnsApi<S extends z.AnyZodObject>(def: {
	action: string;
	params: S;
	quota: { account: number };
	handle(ctx: ApiContext, params: z.output<S>): Promise<object>;
}): ApiDef {
	return { ...def, product: 'ons', send: false } as unknown as ApiDef;
}

function instanceOf(ctx: ApiContext, instanceId: string | undefined, topic?: string): OnsInstance {
	if (instanceId) {
		const instance = ctx.world.onsInstances.get(instanceId);
		if (!instance) throw errors.onsInstanceNotFound(instanceId);
		return instance;
	}
	for (const instance of ctx.world.onsInstances.values()) {
		if (topic === undefined || ctx.world.onsTopic(instance, topic)) return instance;
	}
	throw errors.onsInstanceNotFound('(default)');
}

function indexed(ctx: ApiContext, m: StoredMessage): boolean {
	return m.publishTime === undefined || Date.now() - m.publishTime >= ctx.mqHttp.keyIndexDelayMs;
}

/** The `OnsRestMessageDo` shape of a stored message. */
function restMessage(m: StoredMessage): object {
	const stored = m.publishTime ?? 1_700_000_000_000;
	const properties = { ...m.properties };
	if (m.tag) properties.TAGS = m.tag;
	const key = messageKey(m);
	if (key) properties.KEYS = key;
	return {
		MsgId: m.msgId,
		Topic: m.topic,
		InstanceId: m.instanceId,
		BornHost: '127.0.0.1:0',
		BornTimestamp: stored,
		StoreHost: '127.0.0.1:10911',
		StoreTimestamp: stored,
		StoreSize: Buffer.byteLength(m.body, 'utf8'),
		BodyCRC: 0,
		ReconsumeTimes: 0,
		PropertyList: {
			MessageProperty: Object.entries(properties).map(([Name, Value]) => ({ Name, Value })),
		},
	};
}

const onsInstanceBaseInfo = defineOnsApi({
	action: 'OnsInstanceBaseInfo',
	params: z.object({ InstanceId: z.string() }),
	quota: { account: 50 },
	async handle(ctx, p) {
		const i = ctx.world.onsInstances.get(p.InstanceId);
		if (!i) throw errors.onsInstanceNotFound(p.InstanceId);
		const url = ctx.mqHttp.baseUrl;
		const tcpHost = url.replace(/^https?:\/\//, '');
		return {
			RequestId: ctx.requestId,
			InstanceBaseInfo: {
				InstanceId: i.instanceId,
				InstanceName: i.instanceName,
				InstanceStatus: i.instanceStatus,
				InstanceType: i.instanceType,
				IndependentNaming: i.independentNaming,
				MaxTps: i.maxTps,
				TopicCapacity: 1000,
				CreateTime: i.createTime,
				ReleaseTime: i.releaseTime,
				Remark: i.remark,
				SupportClassic: false,
				Endpoints: {
					HttpInternetEndpoint: url,
					HttpInternetSecureEndpoint: url,
					HttpInternalEndpoint: url,
					TcpEndpoint: tcpHost,
					TcpInternetEndpoint: tcpHost,
				},
			},
		};
	},
});

const onsMessageGetByKey = defineOnsApi({
	action: 'OnsMessageGetByKey',
	params: z.object({ Topic: z.string(), Key: z.string(), InstanceId: z.string().optional() }),
	quota: { account: 10 },
	async handle(ctx, p) {
		const instance = instanceOf(ctx, p.InstanceId, p.Topic);
		if (!ctx.world.onsTopic(instance, p.Topic)) throw errors.onsTopicNotFound(p.Topic);
		const found = [...ctx.world.messages.values()]
			.filter(
				(m) =>
					m.instanceId === instance.instanceId &&
					m.topic === p.Topic &&
					hasKey(messageKey(m), p.Key) &&
					indexed(ctx, m),
			)
			.slice(-GET_BY_KEY_LIMIT)
			.reverse();
		// No match answers an empty list (README decisions: Alibaba's answer is UNCONFIRMED).
		return { RequestId: ctx.requestId, Data: { OnsRestMessageDo: found.map(restMessage) } };
	},
});

const onsMessageGetByMsgId = defineOnsApi({
	action: 'OnsMessageGetByMsgId',
	params: z.object({ Topic: z.string(), MsgId: z.string(), InstanceId: z.string().optional() }),
	quota: { account: 10 },
	async handle(ctx, p) {
		const instance = instanceOf(ctx, p.InstanceId, p.Topic);
		if (!ctx.world.onsTopic(instance, p.Topic)) throw errors.onsTopicNotFound(p.Topic);
		const m = ctx.world.messages.get(p.MsgId);
		if (!m || m.instanceId !== instance.instanceId || m.topic !== p.Topic || !indexed(ctx, m)) {
			throw errors.onsNoMessage(p.MsgId);
		}
		return { RequestId: ctx.requestId, Data: restMessage(m) };
	},
});

export const MQ_HTTP_ONS_APIS: readonly ApiDef[] = [
	onsInstanceBaseInfo,
	onsMessageGetByKey,
	onsMessageGetByMsgId,
];
