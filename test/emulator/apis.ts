/**
 * The API catalogue: routing by version, request parameters as zod schemas, per-API quotas and
 * the business handlers. Response shapes follow docs/endpoints.md#apis.
 */
import { z } from 'zod';

import { errors, invalidParameter, missing } from './errors';
import { MQ_HTTP_ONS_APIS, type MqHttpApiContext } from './mqHttp/onsApis';
import type { AccessKey, OnsInstance, StoredMessage, World } from './seed';

export type ProductCode = 'onsmqtt' | 'ons' | 'sts';

export interface Product {
	code: ProductCode;
	/** Product name as used in `Recommend` URLs. */
	name: string;
	version: string;
}

export const PRODUCTS: Readonly<Record<string, Product>> = {
	'2020-04-20': { code: 'onsmqtt', name: 'OnsMqtt', version: '2020-04-20' },
	'2019-02-14': { code: 'ons', name: 'Ons', version: '2019-02-14' },
	'2015-04-01': { code: 'sts', name: 'Sts', version: '2015-04-01' },
};

/** Per-second limits; `account` is shared by every key of the account, `ip` by the source IP. */
export interface Quota {
	account?: number;
	ip?: number;
}

export interface MqttDeliveryInput {
	instanceId: string;
	topic: string;
	payload: Buffer;
	msgId: string;
}

export interface OnsDeliveryInput {
	instanceId: string;
	topic: string;
	groupId: string;
	clientId: string;
	sourceMsgId: string;
	msgId: string;
	body: string;
}

/** What a handler may use; implemented by the emulator. */
export interface ApiContext {
	requestId: string;
	world: World;
	key: AccessKey;
	/** Every decoded request parameter (for `Tag.N.Key` style parameters). */
	raw: ReadonlyMap<string, string>;
	maxPayloadBytes: number;
	newMsgId(): string;
	/** Publishes on the MQTT broker (QoS 1) and records the delivery. */
	publishMqtt(delivery: MqttDeliveryInput): Promise<void>;
	recordOnsPush(delivery: OnsDeliveryInput): void;
	/** The RocketMQ store and endpoints, for the actions of mqHttp/onsApis.ts. */
	mqHttp: MqHttpApiContext;
}

export interface ApiDef {
	product: ProductCode;
	action: string;
	params: z.AnyZodObject;
	quota: Quota;
	/** Sends create a message: `sendMessageFailed` applies and duplicates are counted. */
	send: boolean;
	handle(ctx: ApiContext, params: Record<string, string | undefined>): Promise<object>;
}

function defineApi<S extends z.AnyZodObject>(def: {
	product: ProductCode;
	action: string;
	params: S;
	quota: Quota;
	send?: boolean;
	handle(ctx: ApiContext, params: z.output<S>): Promise<object>;
}): ApiDef {
	return { ...def, send: def.send ?? false } as unknown as ApiDef;
}

const MQTT_IP_QPS = 300;

function tagsOf(raw: ReadonlyMap<string, string>): Array<{ key: string; value?: string }> {
	const tags: Array<{ key: string; value?: string }> = [];
	for (let n = 1; raw.has(`Tag.${n}.Key`); n++) {
		tags.push({ key: raw.get(`Tag.${n}.Key`) ?? '', value: raw.get(`Tag.${n}.Value`) });
	}
	return tags;
}

function matchesTags(
	have: Array<{ key: string; value: string }>,
	want: Array<{ key: string; value?: string }>,
): boolean {
	return want.every((w) =>
		have.some((h) => h.key === w.key && (w.value === undefined || h.value === w.value)),
	);
}

const tagList = (tags: Array<{ key: string; value: string }>) => ({
	Tag: tags.map((t) => ({ Key: t.key, Value: t.value })),
});

function onsInstanceFor(
	ctx: ApiContext,
	instanceId: string | undefined,
	holds: (i: OnsInstance) => boolean,
): OnsInstance {
	if (instanceId) {
		const instance = ctx.world.onsInstances.get(instanceId);
		if (!instance) throw errors.onsInstanceNotFound(instanceId);
		return instance;
	}
	// Without InstanceId (optional in the current SDK model) use the instance that holds the resource.
	for (const instance of ctx.world.onsInstances.values()) if (holds(instance)) return instance;
	throw errors.onsInstanceNotFound('(default)');
}

/** Parent-topic rules of docs/endpoints.md#sendmessage, plus MQTT's ban on wildcards in a publish topic. */
function checkMqttTopic(topic: string, allowed: string[] | undefined): void {
	const parent = topic.split('/')[0];
	if (
		parent.length === 0 ||
		parent.length > 64 ||
		/[:,%]/.test(parent) ||
		/[+#]/.test(topic) ||
		topic.includes(String.fromCharCode(0)) ||
		Buffer.byteLength(topic, 'utf8') > 65535
	) {
		throw invalidParameter('MqttTopic');
	}
	if (allowed && !allowed.includes(parent)) throw errors.topicPermission(parent);
}

const sendMessage = defineApi({
	product: 'onsmqtt',
	action: 'SendMessage',
	params: z.object({ InstanceId: z.string(), MqttTopic: z.string(), Payload: z.string() }),
	quota: { account: 1000, ip: MQTT_IP_QPS },
	send: true,
	async handle(ctx, p) {
		const instance = ctx.world.mqttInstances.get(p.InstanceId);
		if (!instance) throw errors.instancePermission();
		checkMqttTopic(p.MqttTopic, instance.topics);
		const payload = Buffer.from(p.Payload, 'utf8');
		if (ctx.maxPayloadBytes > 0 && payload.length > ctx.maxPayloadBytes) {
			throw invalidParameter(
				'Payload',
				`The payload is ${payload.length} bytes; at most ${ctx.maxPayloadBytes} bytes are accepted.`,
			);
		}
		const msgId = ctx.newMsgId();
		await ctx.publishMqtt({ instanceId: instance.instanceId, topic: p.MqttTopic, payload, msgId });
		return { RequestId: ctx.requestId, MsgId: msgId };
	},
});

const listInstances = defineApi({
	product: 'onsmqtt',
	action: 'ListInstances',
	params: z.object({ Tags: z.string().optional() }),
	quota: { ip: MQTT_IP_QPS },
	async handle(ctx, p) {
		let want: Array<{ key: string; value?: string }> = [];
		if (p.Tags) {
			const parsed = z
				.array(z.object({ key: z.string(), value: z.string().optional() }))
				.safeParse(safeJson(p.Tags));
			if (!parsed.success) throw invalidParameter('Tags');
			want = parsed.data;
		}
		const instances = [...ctx.world.mqttInstances.values()].filter((i) =>
			matchesTags(i.tags, want),
		);
		return {
			RequestId: ctx.requestId,
			Code: '200',
			Message: 'operation success.',
			Success: 'true',
			Instances: instances.map((i) => ({
				InstanceId: i.instanceId,
				InstanceName: i.instanceName,
				InstanceStatus: i.instanceStatus,
				InstanceType: i.instanceType,
				RegionId: i.regionId,
				KernelVersion: i.kernelVersion,
				Specific: i.specific,
				CreateTime: i.createTime,
				ExpireTime: i.expireTime,
				OrderId: i.orderId,
				MqttTags: i.tags.map((t) => ({ TagKey: t.key, TagValue: t.value })),
			})),
		};
	},
});

const listGroupId = defineApi({
	product: 'onsmqtt',
	action: 'ListGroupId',
	params: z.object({ InstanceId: z.string(), Tags: z.string().optional() }),
	quota: { account: 10, ip: MQTT_IP_QPS },
	async handle(ctx, p) {
		const instance = ctx.world.mqttInstances.get(p.InstanceId);
		if (!instance) throw errors.instancePermission();
		return {
			RequestId: ctx.requestId,
			Data: instance.groups.map((g) => ({
				GroupId: g,
				InstanceId: instance.instanceId,
				CreateTime: instance.createTime,
				UpdateTime: instance.createTime,
				IndependentNaming: true,
				Tags: [],
			})),
		};
	},
});

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

const onsMessagePush = defineApi({
	product: 'ons',
	action: 'OnsMessagePush',
	params: z.object({
		InstanceId: z.string().optional(),
		Topic: z.string(),
		GroupId: z.string(),
		ClientId: z.string(),
		MsgId: z.string(),
	}),
	quota: { account: 10 },
	send: true,
	async handle(ctx, p) {
		const instance = onsInstanceFor(ctx, p.InstanceId, (i) => !!ctx.world.onsTopic(i, p.Topic));
		if (!ctx.world.onsTopic(instance, p.Topic)) throw errors.onsTopicNotFound(p.Topic);
		const group = ctx.world.onsGroup(instance, p.GroupId);
		if (!group) throw errors.onsGroupNotFound(p.GroupId);
		const message = ctx.world.messages.get(p.MsgId);
		if (!message || message.instanceId !== instance.instanceId || message.topic !== p.Topic) {
			throw errors.onsNoMessage(p.MsgId);
		}
		if (!group.consumers.some((c) => c.clientId === p.ClientId)) {
			throw errors.onsConsumerNotOnline(p.GroupId);
		}
		const msgId = ctx.newMsgId();
		const copy: StoredMessage = { ...message, msgId };
		ctx.world.messages.set(msgId, copy);
		ctx.recordOnsPush({
			instanceId: instance.instanceId,
			topic: p.Topic,
			groupId: p.GroupId,
			clientId: p.ClientId,
			sourceMsgId: p.MsgId,
			msgId,
			body: message.body,
		});
		return { RequestId: ctx.requestId };
	},
});

const onsConsumerGetConnection = defineApi({
	product: 'ons',
	action: 'OnsConsumerGetConnection',
	params: z.object({ GroupId: z.string(), InstanceId: z.string().optional() }),
	quota: { account: 10 },
	async handle(ctx, p) {
		const instance = onsInstanceFor(ctx, p.InstanceId, (i) => !!ctx.world.onsGroup(i, p.GroupId));
		const group = ctx.world.onsGroup(instance, p.GroupId);
		if (!group) throw errors.onsGroupNotFound(p.GroupId);
		// UNCONFIRMED for this API (docs/endpoints.md#onsconsumergetconnection): an empty group
		// answers BIZ_CONSUMER_NOT_ONLINE.
		if (group.consumers.length === 0) throw errors.onsConsumerNotOnline(p.GroupId);
		return {
			RequestId: ctx.requestId,
			Data: {
				MessageModel: group.messageModel,
				ConnectionList: {
					ConnectionDo: group.consumers.map((c) => ({
						ClientId: c.clientId,
						ClientAddr: c.clientAddr,
						Language: c.language,
						Version: c.version,
					})),
				},
			},
		};
	},
});

const onsInstanceInServiceList = defineApi({
	product: 'ons',
	action: 'OnsInstanceInServiceList',
	params: z.object({ NeedResourceInfo: z.enum(['true', 'false']).optional() }),
	quota: { account: 50 },
	async handle(ctx, p) {
		const want = tagsOf(ctx.raw);
		const withCounts = p.NeedResourceInfo === 'true';
		const list = [...ctx.world.onsInstances.values()].filter((i) => matchesTags(i.tags, want));
		return {
			RequestId: ctx.requestId,
			Data: {
				InstanceVO: list.map((i) => ({
					InstanceId: i.instanceId,
					InstanceName: i.instanceName,
					InstanceStatus: i.instanceStatus,
					InstanceType: i.instanceType,
					IndependentNaming: i.independentNaming,
					CreateTime: i.createTime,
					ReleaseTime: i.releaseTime,
					...(withCounts ? { TopicCount: i.topics.length, GroupCount: i.groups.length } : {}),
					Tags: tagList(i.tags),
				})),
			},
		};
	},
});

const onsTopicList = defineApi({
	product: 'ons',
	action: 'OnsTopicList',
	params: z.object({ InstanceId: z.string(), Topic: z.string().optional() }),
	quota: { account: 10 },
	async handle(ctx, p) {
		const instance = ctx.world.onsInstances.get(p.InstanceId);
		if (!instance) throw errors.onsInstanceNotFound(p.InstanceId);
		const want = tagsOf(ctx.raw);
		const topics = instance.topics.filter(
			(t) => (!p.Topic || t.topic === p.Topic) && matchesTags(t.tags, want),
		);
		return {
			RequestId: ctx.requestId,
			Data: {
				PublishInfoDo: topics.map((t) => ({
					Topic: t.topic,
					InstanceId: instance.instanceId,
					MessageType: t.messageType,
					Relation: t.relation,
					RelationName: t.relationName,
					Remark: t.remark,
					Owner: t.owner,
					CreateTime: t.createTime,
					ServiceStatus: 1,
					IndependentNaming: instance.independentNaming,
					Tags: tagList(t.tags),
				})),
			},
		};
	},
});

const onsGroupList = defineApi({
	product: 'ons',
	action: 'OnsGroupList',
	params: z.object({
		InstanceId: z.string(),
		GroupId: z.string().optional(),
		// docs/endpoints.md#list-apis: `tcp` is the default; `all` (as Terraform sends) returns both types.
		GroupType: z.enum(['tcp', 'http', 'all']).optional(),
	}),
	quota: { account: 10 },
	async handle(ctx, p) {
		const instance = ctx.world.onsInstances.get(p.InstanceId);
		if (!instance) throw errors.onsInstanceNotFound(p.InstanceId);
		const type = p.GroupType ?? 'tcp';
		const want = tagsOf(ctx.raw);
		const groups = instance.groups.filter(
			(g) =>
				(type === 'all' || g.groupType === type) &&
				(!p.GroupId || g.groupId.includes(p.GroupId)) &&
				matchesTags(g.tags, want),
		);
		return {
			RequestId: ctx.requestId,
			Data: {
				SubscribeInfoDo: groups.map((g) => ({
					GroupId: g.groupId,
					InstanceId: instance.instanceId,
					GroupType: g.groupType,
					Remark: g.remark,
					Owner: g.owner,
					CreateTime: g.createTime,
					UpdateTime: g.updateTime,
					IndependentNaming: instance.independentNaming,
					Tags: tagList(g.tags),
				})),
			},
		};
	},
});

const getCallerIdentity = defineApi({
	product: 'sts',
	action: 'GetCallerIdentity',
	params: z.object({}),
	quota: {},
	async handle(ctx) {
		const { accountId, identity } = ctx.key;
		const base = { RequestId: ctx.requestId, AccountId: accountId };
		if (identity.type === 'RAMUser') {
			const userId = identity.userId ?? '200000000000000000';
			return {
				...base,
				UserId: userId,
				Arn: `acs:ram::${accountId}:user/${identity.userName ?? 'user'}`,
				IdentityType: 'RAMUser',
				PrincipalId: userId,
			};
		}
		if (identity.type === 'AssumedRoleUser') {
			const roleId = identity.roleId ?? '300000000000000000';
			const session = identity.sessionName ?? 'session';
			return {
				...base,
				UserId: `${roleId}:${session}`,
				Arn: `acs:ram::${accountId}:assumed-role/${identity.roleName ?? 'role'}/${session}`,
				IdentityType: 'AssumedRoleUser',
				PrincipalId: `${roleId}:${session}`,
				RoleId: roleId,
			};
		}
		return {
			...base,
			UserId: accountId,
			Arn: `acs:ram::${accountId}:root`,
			IdentityType: 'Account',
			PrincipalId: accountId,
		};
	},
});

export const APIS: readonly ApiDef[] = [
	sendMessage,
	listInstances,
	listGroupId,
	onsMessagePush,
	onsConsumerGetConnection,
	onsInstanceInServiceList,
	onsTopicList,
	onsGroupList,
	getCallerIdentity,
	...MQ_HTTP_ONS_APIS,
];

const BY_PRODUCT = new Map<string, ApiDef>(APIS.map((a) => [`${a.product}:${a.action}`, a]));

export function findApi(product: ProductCode, action: string): ApiDef | undefined {
	return BY_PRODUCT.get(`${product}:${action}`);
}

const REQUIRED = new Map<ApiDef, string[]>(
	APIS.map((a) => [
		a,
		Object.entries(a.params.shape as Record<string, z.ZodTypeAny>)
			.filter(([, field]) => !field.isOptional())
			.map(([name]) => name),
	]),
);

/** Required parameters absent or empty → `Missing<Name>`, in schema order. */
export function checkMissing(api: ApiDef, params: ReadonlyMap<string, string>): void {
	for (const name of REQUIRED.get(api) ?? []) if (!params.get(name)) throw missing(name);
}

/** Full schema validation (after authentication and throttling). */
export function parseParams(
	api: ApiDef,
	params: ReadonlyMap<string, string>,
): Record<string, string | undefined> {
	const input: Record<string, string> = {};
	for (const name of Object.keys(api.params.shape as object)) {
		const v = params.get(name);
		if (v !== undefined && v !== '') input[name] = v;
	}
	const result = api.params.safeParse(input);
	if (result.success) return result.data as Record<string, string | undefined>;
	const name = String(result.error.issues[0]?.path[0] ?? 'Parameter');
	if (api.product === 'ons') throw errors.onsFieldInvalid(name);
	throw invalidParameter(name);
}

/** RAM check: `allowedApis` patterns `product:Action` with `*`. STS is always allowed. */
export function isAllowed(key: AccessKey, api: ApiDef): boolean {
	if (!key.allowedApis || api.product === 'sts') return true;
	return key.allowedApis.some((pattern) => {
		const [product, action = '*'] = pattern.split(':');
		return (
			(product === '*' || product === api.product) && (action === '*' || action === api.action)
		);
	});
}
