import type { Delivery } from './delivery';

/** The property RocketMQ partitions an ordered topic by (docs/trigger.md#ordered-consumption). */
export const SHARDING_KEY_PROPERTY = '__SHARDINGKEY';

/**
 * Splits one poll's deliveries into chains of executions. Each chain runs its batches one after
 * the other and takes one place of the parallel limit. Unordered: each batch of up to
 * `perExecution` messages is a chain of its own. Ordered: the messages of one sharding key form one
 * chain, in the order received, so no message of a key starts before the one before it ended.
 */
export function chainsOf(
	deliveries: Delivery[],
	perExecution: number,
	orderly: boolean,
): Delivery[][][] {
	const groups: Delivery[][] = [];
	if (orderly) {
		const byKey = new Map<string, Delivery[]>();
		for (const delivery of deliveries) {
			const key = delivery.properties[SHARDING_KEY_PROPERTY] ?? '';
			const group = byKey.get(key) ?? [];
			if (group.length === 0) byKey.set(key, group);
			group.push(delivery);
		}
		groups.push(...byKey.values());
	} else {
		groups.push(deliveries);
	}
	const chains: Delivery[][][] = [];
	for (const group of groups) {
		const batches: Delivery[][] = [];
		for (let at = 0; at < group.length; at += perExecution) {
			batches.push(group.slice(at, at + perExecution));
		}
		if (orderly) chains.push(batches);
		else chains.push(...batches.map((batch) => [batch]));
	}
	return chains;
}
