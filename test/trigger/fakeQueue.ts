import type { AckResult, Delivery, PollResult } from '../../nodes/ApsaraMqTrigger/consume/delivery';

interface Stored {
	messageId: string;
	body: string;
	properties: Record<string, string>;
	consumedTimes: number;
	/** The handle of the delivery now out, if any. */
	handle?: string;
	acked: boolean;
	visible: boolean;
}

/**
 * A RocketMQ HTTP queue in memory for the consumer's unit tests: deliveries with fresh receipt
 * handles, invisibility until the test says the invisibility time is over (`expireInvisibility`),
 * acknowledgements that refuse stale handles with MessageNotExist, and a long poll that waits
 * until a message is visible or the poll is aborted. Records every poll and acknowledgement.
 */
export class FakeQueue {
	readonly messages: Stored[] = [];
	readonly polls: number[] = [];
	readonly acks: string[][] = [];
	private handles = 0;
	private wakeUp: Array<() => void> = [];
	/** Results returned by the next polls instead of messages, first one first. */
	readonly scriptedPolls: PollResult[] = [];
	readonly scriptedAcks: AckResult[] = [];

	/**
	 * Ordered consumption as RocketMQ does it: no message of a sharding key is delivered while an
	 * earlier delivery of that key is out and unacknowledged.
	 */
	constructor(private readonly orderly = false) {}

	publish(
		messageId: string,
		body = `body of ${messageId}`,
		properties: Record<string, string> = {},
	): void {
		this.messages.push({
			messageId,
			body,
			properties,
			consumedTimes: 0,
			acked: false,
			visible: true,
		});
		this.wake();
	}

	/** The invisibility time of every unacknowledged delivery is over: they may be delivered again. */
	expireInvisibility(): void {
		for (const message of this.messages) {
			if (!message.acked && !message.visible) {
				message.visible = true;
				message.handle = undefined;
			}
		}
		this.wake();
	}

	unacknowledged(): string[] {
		return this.messages.filter((message) => !message.acked).map((message) => message.messageId);
	}

	poll = async (count: number, signal: AbortSignal): Promise<PollResult> => {
		this.polls.push(count);
		const scripted = this.scriptedPolls.shift();
		if (scripted) return scripted;
		while (!signal.aborted && this.deliverable().length === 0) {
			await new Promise<void>((resolve) => {
				const wake = () => {
					signal.removeEventListener('abort', wake);
					resolve();
				};
				this.wakeUp.push(wake);
				signal.addEventListener('abort', wake, { once: true });
			});
		}
		if (signal.aborted) return { kind: 'cancelled' };
		const deliveries = this.deliverable()
			.slice(0, count)
			.map((message) => this.deliver(message));
		return { kind: 'messages', deliveries };
	};

	acknowledge = async (handles: string[]): Promise<AckResult> => {
		this.acks.push([...handles]);
		const scripted = this.scriptedAcks.shift();
		if (scripted) return scripted;
		const refused = [];
		for (const handle of handles) {
			const message = this.messages.find(
				(candidate) => candidate.handle === handle && !candidate.acked,
			);
			if (message) message.acked = true;
			else
				refused.push({
					receiptHandle: handle,
					code: 'MessageNotExist',
					message: 'Message not exist.',
				});
		}
		// An acknowledgement may free the next messages of a sharding key.
		this.wake();
		return { kind: 'acknowledged', refused };
	};

	private deliverable(): Stored[] {
		const waiting = this.messages.filter((message) => message.visible && !message.acked);
		if (!this.orderly) return waiting;
		const shard = (message: Stored) => message.properties.__SHARDINGKEY ?? '';
		const busy = new Set(
			this.messages.filter((message) => !message.visible && !message.acked).map(shard),
		);
		return waiting.filter((message) => !busy.has(shard(message)));
	}

	private deliver(message: Stored): Delivery {
		message.visible = false;
		message.consumedTimes++;
		message.handle = `handle-${++this.handles}`;
		return {
			messageId: message.messageId,
			receiptHandle: message.handle,
			body: message.body,
			bodyMd5: '',
			tag: '',
			properties: message.properties,
			publishTime: 1_700_000_000_000,
			firstConsumeTime: 1_700_000_000_000,
			nextConsumeTime: 1_700_000_300_000,
			consumedTimes: message.consumedTimes,
		};
	}

	private wake(): void {
		const waiting = this.wakeUp;
		this.wakeUp = [];
		for (const wake of waiting) wake();
	}
}
