/** Methods of `Emulator` for the RocketMQ side: store, publish and inspect messages. */
import type { StoredMessage } from '../seed';
import { parseForwardingRules, type ForwardingRule } from './forwarding';
import type { GroupDeliveryState } from './consumption';
import type { MqHttpProtocol } from './protocol';
import { startDeliverTime, type NewRocketMqMessage } from './store';
import { PROPERTY } from './properties';

export interface RocketMqMessageView extends StoredMessage {
	/** ms epoch when a timed message becomes visible, 0 when not timed. */
	startDeliverTime: number;
	shardingKey?: string;
	/** Per HTTP group that has polled the topic. */
	deliveries: Record<string, GroupDeliveryState>;
}

export interface MqHttpMethods {
	/** Stores a message (as published now): it can be pushed, found by key and consumed. */
	addMessage(message: StoredMessage): void;
	/** Stores one message as if published over HTTP; returns it with its new MessageId. */
	publishRocketMq(message: NewRocketMqMessage): StoredMessage;
	/** Stored messages with their properties and delivery state, in store order. */
	rocketMqMessages(filter?: { topic?: string; instanceId?: string }): RocketMqMessageView[];
	/** Long polls (ConsumeMessage) waiting for a message right now. */
	rocketMqPendingPolls(): number;
	/** Replaces the MQTT → RocketMQ forwarding rules (reset() restores the seed's rules). */
	setForwarding(rules: ForwardingRule[]): void;
	forwarding(): ForwardingRule[];
}

export function mqHttpMethods(protocol: () => MqHttpProtocol): MqHttpMethods {
	return {
		addMessage: (m) => {
			protocol().store.add({
				msgId: m.msgId,
				instanceId: m.instanceId,
				topic: m.topic,
				body: m.body,
				tag: m.tag,
				key: m.key,
				properties: m.properties,
			});
		},
		publishRocketMq: (m) => protocol().store.add(m),
		rocketMqPendingPolls: () => protocol().consumption.pendingPolls(),
		setForwarding: (rules) => {
			protocol().store.world.forwarding = parseForwardingRules(rules);
		},
		forwarding: () => protocol().store.world.forwarding,
		rocketMqMessages: (filter = {}) => {
			const { store, consumption } = protocol();
			return [...store.world.messages.values()]
				.filter(
					(m) =>
						(filter.topic === undefined || m.topic === filter.topic) &&
						(filter.instanceId === undefined || m.instanceId === filter.instanceId),
				)
				.map((m) => ({
					...m,
					startDeliverTime: startDeliverTime(m),
					...(m.properties?.[PROPERTY.shardingKey]
						? { shardingKey: m.properties[PROPERTY.shardingKey] }
						: {}),
					deliveries: consumption.states(m),
				}));
		},
	};
}

/** Inspection routes of the RocketMQ side; undefined when the route is not one of them. */
export function mqHttpInspection(
	methods: MqHttpMethods,
	route: string,
	search: URLSearchParams,
	json: () => unknown,
): unknown {
	switch (route) {
		case 'GET /__emulator/rocketmq':
			return methods.rocketMqMessages({
				topic: search.get('topic') ?? undefined,
				instanceId: search.get('instanceId') ?? undefined,
			});
		case 'POST /__emulator/rocketmq':
			return methods.publishRocketMq(json() as NewRocketMqMessage);
		case 'GET /__emulator/forwarding':
			return methods.forwarding();
		case 'POST /__emulator/forwarding':
			methods.setForwarding(json() as ForwardingRule[]);
			return { ok: true };
		default:
			return undefined;
	}
}
