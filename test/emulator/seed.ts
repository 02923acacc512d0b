/**
 * Seed file format (validated with zod) and the live world built from it: AccessKeys, MQTT
 * instances, ONS instances with topics, groups and online consumers, and stored ONS messages.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

import { forwardingRuleSchema, type ForwardingRule } from './mqHttp/forwarding';
import defaultSeedJson from './seed.json';

export const DEFAULT_ACCOUNT_ID = '1234567890123456';
const T0 = 1_700_000_000_000;

const tag = z.object({ key: z.string(), value: z.string() }).strict();

const identity = z
	.object({
		type: z.enum(['Account', 'RAMUser', 'AssumedRoleUser']).default('Account'),
		userName: z.string().optional(),
		userId: z.string().optional(),
		roleName: z.string().optional(),
		roleId: z.string().optional(),
		sessionName: z.string().optional(),
	})
	.strict();

export const accessKeySchema = z
	.object({
		accessKeyId: z.string().min(1),
		accessKeySecret: z.string().min(1),
		accountId: z.string().default(DEFAULT_ACCOUNT_ID),
		/** A disabled key answers `InvalidAccessKeyId.Inactive`. */
		disabled: z.boolean().default(false),
		/** Set for STS keys: requests must carry exactly this token. */
		securityToken: z.string().optional(),
		/** ISO time; after it the token answers `InvalidSecurityToken.Expired`. */
		securityTokenExpiresAt: z.string().optional(),
		/**
		 * RAM permissions as `product:Action` patterns (`*` wildcard), e.g. `onsmqtt:*`.
		 * Absent = everything allowed. Other APIs answer `Forbidden.RAM`. STS is always allowed.
		 */
		allowedApis: z.array(z.string()).optional(),
		identity: identity.default({ type: 'Account' }),
		description: z.string().optional(),
	})
	.strict();

export const mqttInstanceSchema = z
	.object({
		instanceId: z.string().min(1),
		instanceName: z.string().default('emulated-mqtt'),
		instanceType: z.string().default('professional'),
		instanceStatus: z.string().default('RUNNING'),
		regionId: z.string().default('cn-hangzhou'),
		kernelVersion: z.string().default('V3.3.0'),
		specific: z.string().default('standard'),
		orderId: z.string().default(''),
		createTime: z.number().default(T0),
		expireTime: z.number().default(T0 + 365 * 86_400_000),
		/** Parent topics; when absent any parent topic is accepted. */
		topics: z.array(z.string()).optional(),
		groups: z.array(z.string()).default([]),
		tags: z.array(tag).default([]),
	})
	.strict();

export const consumerSchema = z
	.object({
		clientId: z.string().min(1),
		clientAddr: z.string().default('127.0.0.1'),
		language: z.string().default('JAVA'),
		version: z.string().default('V4_3_6'),
	})
	.strict();

export const onsTopicSchema = z
	.object({
		topic: z.string().min(1),
		messageType: z.number().int().default(0),
		relation: z.number().int().default(6),
		relationName: z.string().default('Publish and subscribe'),
		remark: z.string().default(''),
		owner: z.string().default(DEFAULT_ACCOUNT_ID),
		createTime: z.number().default(T0),
		tags: z.array(tag).default([]),
	})
	.strict();

export const onsGroupSchema = z
	.object({
		groupId: z.string().min(1),
		groupType: z.enum(['tcp', 'http']).default('tcp'),
		remark: z.string().default(''),
		owner: z.string().default(DEFAULT_ACCOUNT_ID),
		messageModel: z.string().default('CLUSTERING'),
		createTime: z.number().default(T0),
		updateTime: z.number().default(T0),
		consumers: z.array(consumerSchema).default([]),
		tags: z.array(tag).default([]),
	})
	.strict();

export const onsInstanceSchema = z
	.object({
		instanceId: z.string().min(1),
		instanceName: z.string().default('emulated-ons'),
		instanceType: z.number().int().default(2),
		instanceStatus: z.number().int().default(5),
		independentNaming: z.boolean().default(true),
		/** Messaging TPS of the instance (docs/mq-http-server.md#limits), the HTTP protocol's quota. */
		maxTps: z.number().int().min(1).default(5000),
		createTime: z.number().default(T0),
		releaseTime: z.number().default(T0 + 365 * 86_400_000),
		remark: z.string().default(''),
		tags: z.array(tag).default([]),
		topics: z.array(onsTopicSchema).default([]),
		groups: z.array(onsGroupSchema).default([]),
	})
	.strict();

export const storedMessageSchema = z
	.object({
		msgId: z.string().min(1),
		instanceId: z.string(),
		topic: z.string(),
		body: z.string(),
		tag: z.string().optional(),
		key: z.string().optional(),
		/** RocketMQ properties (`KEYS`, `__STARTDELIVERTIME`, user properties …), see mqHttp/. */
		properties: z.record(z.string()).optional(),
		/** Store time, ms epoch; absent for seed messages (stored before the emulator started). */
		publishTime: z.number().optional(),
	})
	.strict();

export const seedSchema = z
	.object({
		$comment: z.string().optional(),
		accessKeys: z.array(accessKeySchema).default([]),
		mqttInstances: z.array(mqttInstanceSchema).default([]),
		onsInstances: z.array(onsInstanceSchema).default([]),
		messages: z.array(storedMessageSchema).default([]),
		/** MQTT → RocketMQ forwarding rules (mqHttp/forwarding.ts). */
		forwarding: z.array(forwardingRuleSchema).default([]),
	})
	.strict();

export type SeedInput = z.input<typeof seedSchema>;
export type Seed = z.output<typeof seedSchema>;
export type AccessKey = z.output<typeof accessKeySchema>;
export type MqttInstance = z.output<typeof mqttInstanceSchema>;
export type OnsInstance = z.output<typeof onsInstanceSchema>;
export type OnsTopic = z.output<typeof onsTopicSchema>;
export type OnsGroup = z.output<typeof onsGroupSchema>;
export type Consumer = z.output<typeof consumerSchema>;
export type StoredMessage = z.output<typeof storedMessageSchema>;

/** Validates a seed object; throws a readable error listing the offending paths. */
export function parseSeed(input: unknown): Seed {
	const result = seedSchema.safeParse(input);
	if (!result.success) {
		const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
		throw new Error(`Invalid emulator seed: ${issues.join('; ')}`);
	}
	return result.data;
}

export function loadSeedFile(path: string): Seed {
	return parseSeed(JSON.parse(readFileSync(path, 'utf8')));
}

/** The default seed (`test/emulator/seed.json`), freshly parsed so callers may mutate it. */
export function defaultSeed(): Seed {
	return parseSeed(JSON.parse(JSON.stringify(defaultSeedJson)));
}

/** Mutable live view of the seeded resources. */
export class World {
	readonly keys = new Map<string, AccessKey>();
	readonly mqttInstances = new Map<string, MqttInstance>();
	readonly onsInstances = new Map<string, OnsInstance>();
	readonly messages = new Map<string, StoredMessage>();
	forwarding: ForwardingRule[];

	constructor(seed: Seed) {
		const copy = parseSeed(JSON.parse(JSON.stringify(seed)));
		this.forwarding = copy.forwarding;
		for (const k of copy.accessKeys) this.keys.set(k.accessKeyId, k);
		for (const i of copy.mqttInstances) this.mqttInstances.set(i.instanceId, i);
		for (const i of copy.onsInstances) this.onsInstances.set(i.instanceId, i);
		for (const m of copy.messages) this.messages.set(m.msgId, m);
	}

	onsTopic(instance: OnsInstance, topic: string): OnsTopic | undefined {
		return instance.topics.find((t) => t.topic === topic);
	}

	onsGroup(instance: OnsInstance, groupId: string): OnsGroup | undefined {
		return instance.groups.find((g) => g.groupId === groupId);
	}

	/** Replaces the online consumers of a group (creating the group if needed). */
	setConsumers(instanceId: string, groupId: string, consumers: Consumer[]): void {
		const instance = this.onsInstances.get(instanceId);
		if (!instance) throw new Error(`Unknown ONS instance ${instanceId}`);
		let group = this.onsGroup(instance, groupId);
		if (!group) {
			group = onsGroupSchema.parse({ groupId });
			instance.groups.push(group);
		}
		group.consumers = consumers.map((c) => consumerSchema.parse(c));
	}

	addMessage(message: StoredMessage): void {
		const m = storedMessageSchema.parse(message);
		this.messages.set(m.msgId, m);
	}

	snapshot(): Seed {
		return {
			accessKeys: [...this.keys.values()],
			mqttInstances: [...this.mqttInstances.values()],
			onsInstances: [...this.onsInstances.values()],
			messages: [...this.messages.values()],
			forwarding: this.forwarding,
		};
	}
}
