/**
 * The one RocketMQ message store: `World.messages` (which the ONS OpenAPI side reads: Push ONS
 * Message, OnsMessageGetByKey) plus, per topic, the order in which messages were stored, which
 * consumers read. Seed messages are history stored before any HTTP group subscribed: they can
 * be pushed and found by key, but no consumer receives them.
 */
import { randomBytes } from 'node:crypto';

import { storedMessageSchema, type StoredMessage, type World } from '../seed';
import { PROPERTY } from './properties';

export interface NewRocketMqMessage {
	instanceId: string;
	topic: string;
	body: string;
	tag?: string;
	/** Message key (`KEYS`); `properties.KEYS` is used when absent. */
	key?: string;
	properties?: Record<string, string>;
	/** Default: a new 32-character upper-case hex ID. */
	msgId?: string;
}

export type StoreListener = (message: StoredMessage) => void;

export function newMessageId(): string {
	return randomBytes(16).toString('hex').toUpperCase();
}

export function topicKey(instanceId: string, topic: string): string {
	return `${instanceId}\n${topic}`;
}

/** The message key: the `key` field, else the `KEYS` property. */
export function messageKey(m: StoredMessage): string | undefined {
	return m.key ?? m.properties?.[PROPERTY.keys];
}

/** When a timed message becomes visible (ms epoch); 0 when it is not timed. */
export function startDeliverTime(m: StoredMessage): number {
	const value = Number(m.properties?.[PROPERTY.startDeliverTime]);
	return Number.isFinite(value) ? value : 0;
}

export class RocketMqStore {
	private readonly logs = new Map<string, string[]>();
	private readonly listeners = new Set<StoreListener>();

	constructor(
		readonly world: World,
		private readonly clock: () => number,
	) {}

	/** Stores a message as published now; consumers of its topic are told at once. */
	add(input: NewRocketMqMessage): StoredMessage {
		const properties = { ...input.properties };
		if (input.key !== undefined) properties[PROPERTY.keys] = input.key;
		const message = storedMessageSchema.parse({
			msgId: input.msgId ?? newMessageId(),
			instanceId: input.instanceId,
			topic: input.topic,
			body: input.body,
			tag: input.tag,
			key: input.key ?? properties[PROPERTY.keys],
			properties,
			publishTime: this.clock(),
		});
		this.world.messages.set(message.msgId, message);
		const key = topicKey(message.instanceId, message.topic);
		let log = this.logs.get(key);
		if (!log) {
			log = [];
			this.logs.set(key, log);
		}
		log.push(message.msgId);
		for (const listener of this.listeners) listener(message);
		return message;
	}

	/** Message IDs of a topic in store order (an append-only list: callers keep an offset). */
	log(instanceId: string, topic: string): readonly string[] {
		return this.logs.get(topicKey(instanceId, topic)) ?? [];
	}

	get(msgId: string): StoredMessage | undefined {
		return this.world.messages.get(msgId);
	}

	onAdd(listener: StoreListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
}
