import type { ApiFailure } from '../../ApsaraMq/transport/errors';

/**
 * One delivery of a RocketMQ message to this consumer group, as ConsumeMessage answers it
 * (docs/trigger.md#deliveries). The ReceiptHandle belongs to this delivery only: a redelivery of
 * the same message carries a new one, and the old one stops working at `nextConsumeTime`.
 */
export interface Delivery {
	messageId: string;
	receiptHandle: string;
	body: string;
	bodyMd5: string;
	tag: string;
	/** The `k:v|k:v` properties, parsed; reserved keys such as `KEYS` included. */
	properties: Record<string, string>;
	/** Milliseconds since the epoch. */
	publishTime: number;
	firstConsumeTime: number;
	/** When an unacknowledged delivery becomes visible again, with a new handle. */
	nextConsumeTime: number;
	/** 1 on the first delivery, one more on each redelivery. */
	consumedTimes: number;
}

/**
 * What one long poll came to. `failed` carries the kind of the failure in the transport's terms
 * (transport/outcome.ts): whether it is worth retrying is decided by `classifyConsumeFailure`.
 */
export type PollResult =
	| { kind: 'messages'; deliveries: Delivery[] }
	| {
			kind: 'failed';
			outcome: 'throttled' | 'notSent' | 'ambiguous' | 'rejected' | 'unsent';
			failure: ApiFailure;
	  }
	| { kind: 'cancelled' };

/** One ConsumeMessage long poll for up to `count` messages; aborting `signal` ends it at once. */
export type Poll = (count: number, signal: AbortSignal) => Promise<PollResult>;

/** A handle the service refused in an AckMessage answer (`MessageNotExist` once it expired). */
export interface RefusedHandle {
	receiptHandle: string;
	code: string;
	message: string;
}

export type AckResult =
	| { kind: 'acknowledged'; refused: RefusedHandle[] }
	| {
			kind: 'failed';
			outcome: 'throttled' | 'notSent' | 'ambiguous' | 'rejected' | 'unsent';
			failure: ApiFailure;
	  };

/** One AckMessage call for 1–16 handles. */
export type Acknowledge = (receiptHandles: string[]) => Promise<AckResult>;
