/**
 * Forwarding MQTT messages into RocketMQ (docs/mq-http-server.md#forwarding): a data outbound
 * rule maps an MQTT parent topic to a RocketMQ topic; each message published on it (by
 * SendMessage or by any client of the broker) is stored in the RocketMQ topic, payload as body,
 * with Alibaba's documented properties.
 */
import { z } from 'zod';

import type { NewRocketMqMessage } from './store';

export const forwardingRuleSchema = z
	.object({
		/** MQTT parent (first-level) topic. */
		mqttTopic: z.string().min(1),
		/** Only SendMessage calls of this MQTT instance (broker clients carry no instance). */
		mqttInstanceId: z.string().optional(),
		/** RocketMQ instance and topic the messages go to. */
		instanceId: z.string().min(1),
		topic: z.string().min(1),
	})
	.strict();

export type ForwardingRule = z.output<typeof forwardingRuleSchema>;

export interface MqttPublish {
	topic: string;
	payload: Buffer;
	qos: number;
	/** SendMessage only. */
	mqttInstanceId?: string;
	/** Broker clients only. */
	clientId?: string;
	cleanSession?: boolean;
}

export function parseForwardingRules(rules: unknown): ForwardingRule[] {
	const result = z.array(forwardingRuleSchema).safeParse(rules);
	if (!result.success) {
		const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
		throw new Error(`Invalid forwarding rules: ${issues.join('; ')}`);
	}
	return result.data;
}

/** The RocketMQ messages one MQTT publish becomes (one per matching rule). */
export function forwardedMessages(
	rules: readonly ForwardingRule[],
	p: MqttPublish,
): NewRocketMqMessage[] {
	const [parent, ...levels] = p.topic.split('/');
	if (parent.startsWith('$')) return [];
	return rules
		.filter(
			(r) =>
				r.mqttTopic === parent &&
				(r.mqttInstanceId === undefined ||
					p.mqttInstanceId === undefined ||
					r.mqttInstanceId === p.mqttInstanceId),
		)
		.map((r) => {
			const properties: Record<string, string> = { qoslevel: String(p.qos), topic: p.topic };
			if (levels.length > 0) properties.mqttSecondTopic = `/${levels.join('/')}`;
			if (p.clientId) properties.clientId = p.clientId;
			if (p.cleanSession !== undefined) properties.cleansessionflag = String(p.cleanSession);
			return {
				instanceId: r.instanceId,
				topic: r.topic,
				body: p.payload.toString('utf8'),
				properties,
			};
		});
}
