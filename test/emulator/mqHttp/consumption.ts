/**
 * Consumption by HTTP groups (docs/mq-http-server.md#consumption): per (instance, topic, group) a
 * subscription reads the topic's store order; a delivered message is invisible until its
 * NextConsumeTime, then comes again with a new ReceiptHandle and ConsumedTimes + 1, until it is
 * acknowledged or dead-lettered. Ordered consumption keeps one batch in flight per sharding key
 * (the whole topic for global order). Long polls wait for the store or for the next message to
 * become visible, and end at once when the client goes away or the emulator closes.
 */
import { randomBytes } from 'node:crypto';

import type { StoredMessage } from '../seed';
import type { MqHttpKnobs } from './knobs';
import { PROPERTY } from './properties';
import { startDeliverTime, topicKey, type RocketMqStore } from './store';

/** Invisibility after a delivery (Alibaba: retried every 5 minutes, every minute when ordered). */
export const INVISIBILITY_MS = 300_000;
export const ORDERED_INVISIBILITY_MS = 60_000;

export interface ConsumeRequest {
	instanceId: string;
	topic: string;
	groupId: string;
	numOfMessages: number;
	waitMs: number;
	/** Tags accepted (`A||B`), or null for all. */
	tags: string[] | null;
	ordered: boolean;
	globalOrder: boolean;
}

export interface Delivery {
	message: StoredMessage;
	receiptHandle: string;
	firstConsumeTime: number;
	nextConsumeTime: number;
	consumedTimes: number;
}

export interface AckFailure {
	code: 'ReceiptHandleError' | 'MessageNotExist';
	message: string;
	receiptHandle: string;
}

export type DeliveryState = 'waiting' | 'invisible' | 'acked' | 'filtered' | 'deadLettered';

export interface GroupDeliveryState {
	state: DeliveryState;
	consumedTimes: number;
	nextConsumeTime?: number;
}

interface Pending {
	msgId: string;
	visibleAt: number;
	consumedTimes: number;
	firstConsumeTime: number;
	handle?: string;
	shard: string;
}

interface Subscription {
	key: string;
	groupId: string;
	instanceId: string;
	topic: string;
	/** Offset in the topic's store order up to which messages were taken in. */
	offset: number;
	pending: Map<string, Pending>;
	done: Map<string, { state: 'acked' | 'filtered' | 'deadLettered'; consumedTimes: number }>;
}

interface Handle {
	subscription: Subscription;
	msgId: string;
	expiresAt: number;
}

interface Waiter {
	request: ConsumeRequest;
	attempt(): boolean;
	finish(deliveries: Delivery[]): void;
}

export class Consumption {
	private readonly subscriptions = new Map<string, Subscription>();
	private readonly handles = new Map<string, Handle>();
	private readonly waiters = new Map<string, Set<Waiter>>();
	private handleSeq = 0;
	private closed = false;
	private readonly unsubscribe: () => void;

	constructor(
		private readonly store: RocketMqStore,
		private readonly knobs: () => MqHttpKnobs,
	) {
		this.unsubscribe = store.onAdd((m) => this.wake(topicKey(m.instanceId, m.topic)));
	}

	/** Up to `numOfMessages` deliveries; waits up to `waitMs` for the first one. */
	receive(request: ConsumeRequest, signal: AbortSignal): Promise<Delivery[]> {
		const now = Date.now();
		const first = this.take(request, now);
		if (first.length > 0 || request.waitMs === 0 || this.closed || signal.aborted) {
			return Promise.resolve(first);
		}
		const deadline = now + request.waitMs;
		const key = topicKey(request.instanceId, request.topic);
		return new Promise((resolve) => {
			let timer: NodeJS.Timeout | undefined;
			const waiter: Waiter = {
				request,
				attempt: () => {
					const deliveries = this.take(request, Date.now());
					if (deliveries.length === 0) return false;
					waiter.finish(deliveries);
					return true;
				},
				finish: (deliveries) => {
					if (timer) clearTimeout(timer);
					this.waiters.get(key)?.delete(waiter);
					signal.removeEventListener('abort', onAbort);
					resolve(deliveries);
				},
			};
			const onAbort = () => waiter.finish([]);
			// Wakes at the deadline, or earlier when a waiting message becomes visible.
			const arm = () => {
				const t = Date.now();
				if (t >= deadline) return waiter.finish([]);
				const next = this.nextVisibleAt(request, t);
				timer = setTimeout(
					() => {
						if (!waiter.attempt()) arm();
					},
					Math.max(1, Math.min(deadline, next ?? deadline) - t),
				);
			};
			let set = this.waiters.get(key);
			if (!set) {
				set = new Set();
				this.waiters.set(key, set);
			}
			set.add(waiter);
			signal.addEventListener('abort', onAbort, { once: true });
			arm();
		});
	}

	ack(instanceId: string, topic: string, groupId: string, receiptHandles: string[]): AckFailure[] {
		const sub = this.subscriptions.get(subscriptionKey(instanceId, topic, groupId));
		const now = Date.now();
		const failures: AckFailure[] = [];
		for (const receiptHandle of receiptHandles) {
			const handle = this.handles.get(receiptHandle);
			if (!handle || handle.subscription !== sub) {
				failures.push({
					code: 'ReceiptHandleError',
					message: 'The receipt handle is not valid for this topic and group.',
					receiptHandle,
				});
				continue;
			}
			const pending = sub.pending.get(handle.msgId);
			if (!pending || pending.handle !== receiptHandle || handle.expiresAt <= now) {
				failures.push({
					code: 'MessageNotExist',
					message: 'The receipt handle has expired (past NextConsumeTime) or was used.',
					receiptHandle,
				});
				continue;
			}
			sub.pending.delete(handle.msgId);
			sub.done.set(handle.msgId, { state: 'acked', consumedTimes: pending.consumedTimes });
			this.handles.delete(receiptHandle);
			// An ack can free a sharding key of an ordered topic.
			this.wake(topicKey(instanceId, topic));
		}
		return failures;
	}

	/** The delivery state of a message in every group that has polled its topic. */
	states(message: StoredMessage): Record<string, GroupDeliveryState> {
		const out: Record<string, GroupDeliveryState> = {};
		const now = Date.now();
		for (const sub of this.subscriptions.values()) {
			if (sub.instanceId !== message.instanceId || sub.topic !== message.topic) continue;
			this.takeIn(sub);
			const done = sub.done.get(message.msgId);
			const pending = sub.pending.get(message.msgId);
			if (done) out[sub.groupId] = { ...done };
			else if (pending) {
				out[sub.groupId] = {
					state: pending.visibleAt > now ? 'invisible' : 'waiting',
					consumedTimes: pending.consumedTimes,
					...(pending.consumedTimes > 0 ? { nextConsumeTime: pending.visibleAt } : {}),
				};
			}
		}
		return out;
	}

	pendingPolls(): number {
		let n = 0;
		for (const set of this.waiters.values()) n += set.size;
		return n;
	}

	/** Answers every pending long poll (empty) and stops taking new ones. */
	close(): void {
		this.closed = true;
		this.unsubscribe();
		for (const set of this.waiters.values()) for (const w of [...set]) w.finish([]);
		this.waiters.clear();
	}

	private wake(key: string): void {
		const set = this.waiters.get(key);
		if (!set) return;
		for (const waiter of [...set]) waiter.attempt();
	}

	private subscription(request: ConsumeRequest): Subscription {
		const key = subscriptionKey(request.instanceId, request.topic, request.groupId);
		let sub = this.subscriptions.get(key);
		if (!sub) {
			sub = {
				key,
				groupId: request.groupId,
				instanceId: request.instanceId,
				topic: request.topic,
				offset: 0,
				pending: new Map(),
				done: new Map(),
			};
			this.subscriptions.set(key, sub);
		}
		this.takeIn(sub);
		return sub;
	}

	/** Takes the messages stored since the last look into the subscription. */
	private takeIn(sub: Subscription): void {
		const log = this.store.log(sub.instanceId, sub.topic);
		for (; sub.offset < log.length; sub.offset++) {
			const message = this.store.get(log[sub.offset]);
			if (!message) continue;
			sub.pending.set(message.msgId, {
				msgId: message.msgId,
				visibleAt: startDeliverTime(message),
				consumedTimes: 0,
				firstConsumeTime: 0,
				shard: message.properties?.[PROPERTY.shardingKey] ?? '',
			});
		}
	}

	private take(request: ConsumeRequest, now: number): Delivery[] {
		if (this.closed) return [];
		const sub = this.subscription(request);
		const knobs = this.knobs();
		const invisibleMs =
			(request.ordered ? ORDERED_INVISIBILITY_MS : INVISIBILITY_MS) * knobs.invisibilityScale;
		const blockedShards = new Set<string>();
		const out: Delivery[] = [];
		for (const pending of sub.pending.values()) {
			if (out.length >= request.numOfMessages) break;
			const shard = request.globalOrder ? '' : pending.shard;
			if (request.ordered && blockedShards.has(shard)) continue;
			if (pending.visibleAt > now) {
				// A sharding key with a message in flight waits until that message is acked.
				if (request.ordered) blockedShards.add(shard);
				continue;
			}
			const message = this.store.get(pending.msgId);
			if (!message) continue;
			if (request.tags && !request.tags.includes(message.tag ?? '')) {
				sub.pending.delete(pending.msgId);
				sub.done.set(pending.msgId, { state: 'filtered', consumedTimes: pending.consumedTimes });
				continue;
			}
			if (pending.consumedTimes > knobs.maxRetries) {
				sub.pending.delete(pending.msgId);
				sub.done.set(pending.msgId, {
					state: 'deadLettered',
					consumedTimes: pending.consumedTimes,
				});
				continue;
			}
			pending.consumedTimes++;
			if (pending.consumedTimes === 1) pending.firstConsumeTime = now;
			pending.visibleAt = now + invisibleMs;
			pending.handle = this.newHandle(sub, pending);
			out.push({
				message,
				receiptHandle: pending.handle,
				firstConsumeTime: pending.firstConsumeTime,
				nextConsumeTime: pending.visibleAt,
				consumedTimes: pending.consumedTimes,
			});
		}
		return out;
	}

	private newHandle(sub: Subscription, pending: Pending): string {
		const handle = `${(++this.handleSeq).toString(16).toUpperCase()}-${randomBytes(18).toString('base64')}`;
		this.handles.set(handle, {
			subscription: sub,
			msgId: pending.msgId,
			expiresAt: pending.visibleAt,
		});
		return handle;
	}

	/** The earliest time after `now` at which a waiting message of the subscription becomes visible. */
	private nextVisibleAt(request: ConsumeRequest, now: number): number | undefined {
		const sub = this.subscriptions.get(
			subscriptionKey(request.instanceId, request.topic, request.groupId),
		);
		let next: number | undefined;
		for (const pending of sub?.pending.values() ?? []) {
			if (pending.visibleAt > now && (next === undefined || pending.visibleAt < next))
				next = pending.visibleAt;
		}
		return next;
	}
}

function subscriptionKey(instanceId: string, topic: string, groupId: string): string {
	return `${instanceId}\n${topic}\n${groupId}`;
}
