import type { Clock } from '../../ApsaraMq/transport/clock';
import { CancellableWaits } from '../../ApsaraMq/transport/clock';
import type { AcknowledgeMode, ExecutionResult } from './acknowledgeMode';
import { acknowledgeAfter } from './acknowledgeMode';
import { chainsOf } from './batches';
import type { ConsumeFailure } from './consumeFailure';
import { classifyConsumeFailure, reconnectDelay } from './consumeFailure';
import type { Acknowledge, Delivery, Poll } from './delivery';
import type { KeyedMessage } from './deduplicationKey';
import type { FailureMemory } from './failureMemory';
import type { ParallelGate } from './parallelGate';
import { cleanServerText } from '../../ApsaraMq/transport/serverText';

/** The most messages one ConsumeMessage call may ask for (docs/trigger.md#deliveries). */
export const MAX_MESSAGES_PER_POLL = 16;
/** Attempts of one acknowledgement that fails on the network before its messages are left to come again. */
export const ACK_ATTEMPTS = 3;

export interface ConsumerLog {
	debug(message: string, meta?: Record<string, unknown>): void;
	info(message: string, meta?: Record<string, unknown>): void;
	warn(message: string, meta?: Record<string, unknown>): void;
	error(message: string, meta?: Record<string, unknown>): void;
}

export interface ConsumerCounters {
	polls: number;
	received: number;
	executions: number;
	succeeded: number;
	failed: number;
	duplicates: number;
	notStarted: number;
	acknowledged: number;
	/** Handles refused because they expired: those messages come again. */
	expiredAcks: number;
	/** Acknowledgements that failed on every attempt: those messages come again. */
	failedAcks: number;
	/** Deliveries of a message whose execution was still running here: left to come again. */
	skippedInFlight: number;
	reconnectAttempts: number;
}

export interface ConsumerSettings {
	mode: AcknowledgeMode;
	messagesPerExecution: number;
	orderly: boolean;
}

export interface ConsumerParts {
	poll: Poll;
	acknowledge: Acknowledge;
	/** Emits one execution for the batch with the key and resolves when n8n says how it ended. */
	execute: (batch: Delivery[], deduplicationKey: string) => Promise<ExecutionResult>;
	keyOf: (messages: KeyedMessage[]) => string;
	gate: ParallelGate;
	failures: FailureMemory;
	clock: Clock;
	log: ConsumerLog;
	/** Told once when the loop stopped on a failure that waiting cannot heal. */
	onPermanentFailure: (failure: Extract<ConsumeFailure, { kind: 'permanent' }>) => void;
}

export function newCounters(): ConsumerCounters {
	return {
		polls: 0,
		received: 0,
		executions: 0,
		succeeded: 0,
		failed: 0,
		duplicates: 0,
		notStarted: 0,
		acknowledged: 0,
		expiredAcks: 0,
		failedAcks: 0,
		skippedInFlight: 0,
		reconnectAttempts: 0,
	};
}

/**
 * The consume loop of an activated trigger (docs/trigger.md#how-it-consumes): long polls while
 * there is room under the parallel limit, one execution per batch, acknowledgement per mode.
 * No timer: waits are the clock's `sleep` (n8n's `sleep` in production), cut short on close.
 */
export class Consumer {
	readonly counters = newCounters();
	private readonly running = new Set<Promise<void>>();
	private readonly messagesInFlight = new Set<string>();

	constructor(
		private readonly settings: ConsumerSettings,
		private readonly parts: ConsumerParts,
	) {}

	/** Polls until `signal` is aborted or a permanent failure; executions may still be running then. */
	async run(signal: AbortSignal): Promise<void> {
		const { gate, poll, clock, log } = this.parts;
		const waits = new CancellableWaits(clock, signal);
		let attempt = 0;
		while (!signal.aborted) {
			await gate.waitForRoom(signal);
			if (signal.aborted) break;
			const count = Math.min(MAX_MESSAGES_PER_POLL, gate.free * this.settings.messagesPerExecution);
			this.counters.polls++;
			const result = await poll(count, signal);
			// Messages that arrived with the close are left unacknowledged: RocketMQ delivers them again.
			if (signal.aborted || result.kind === 'cancelled') break;
			if (result.kind === 'failed') {
				const failure = classifyConsumeFailure(result);
				if (failure.kind === 'permanent') {
					this.parts.onPermanentFailure(failure);
					break;
				}
				attempt++;
				this.counters.reconnectAttempts++;
				const delay = reconnectDelay(attempt);
				log.warn(
					`ApsaraMQ Trigger could not poll (attempt ${attempt}, retrying in ${delay} ms): ${failure.failure.code ?? 'error'}: ${cleanServerText(failure.failure.message)}`,
					{
						attempt,
						delayMs: delay,
						code: failure.failure.code,
						requestId: failure.failure.requestId,
					},
				);
				await waits.wait(delay);
				continue;
			}
			if (attempt > 0) log.info(`ApsaraMQ Trigger polls again after ${attempt} failed attempts`);
			attempt = 0;
			this.counters.received += result.deliveries.length;
			this.startChains(result.deliveries);
		}
	}

	/** Resolves when every execution started so far has ended and been acknowledged as its mode says. */
	async drain(): Promise<void> {
		while (this.running.size > 0) await Promise.all([...this.running]);
	}

	private startChains(deliveries: Delivery[]): void {
		const fresh = deliveries.filter((delivery) => {
			if (!this.messagesInFlight.has(delivery.messageId)) return true;
			// Its execution outlived the invisibility time: the running one decides, this handle is left.
			this.counters.skippedInFlight++;
			this.parts.log.debug(
				`Message ${delivery.messageId} came again while its execution is running; left for later`,
			);
			return false;
		});
		for (const chain of chainsOf(
			fresh,
			this.settings.messagesPerExecution,
			this.settings.orderly,
		)) {
			for (const batch of chain)
				for (const delivery of batch) this.messagesInFlight.add(delivery.messageId);
			this.parts.gate.take();
			const work = this.runChain(chain).finally(() => {
				this.parts.gate.release();
				this.running.delete(work);
			});
			this.running.add(work);
		}
	}

	private async runChain(chain: Delivery[][]): Promise<void> {
		let next = 0;
		try {
			while (next < chain.length) {
				const settled = await this.runBatch(chain[next++]);
				// In order, a message left unacknowledged comes again first: the ones after it must wait for it.
				if (!settled) break;
			}
		} finally {
			for (const batch of chain)
				for (const delivery of batch) this.messagesInFlight.delete(delivery.messageId);
		}
	}

	/** Runs one batch; true when it is done with (acknowledged, or in `immediately` mode, executed). */
	private async runBatch(batch: Delivery[]): Promise<boolean> {
		const { mode } = this.settings;
		const { failures } = this.parts;
		if (mode === 'immediately') await this.acknowledge(batch);
		const key = this.parts.keyOf(
			batch.map((delivery) => ({
				messageId: delivery.messageId,
				failures: failures.failures(delivery.messageId),
			})),
		);
		this.counters.executions++;
		let result: ExecutionResult;
		try {
			result = await this.parts.execute(batch, key);
		} catch {
			result = 'notStarted';
		}
		this.count(result);
		if (result === 'failed' && mode === 'executionSucceeds') {
			for (const delivery of batch) failures.recordFailure(delivery.messageId);
		}
		if (mode === 'immediately') return true;
		if (!acknowledgeAfter(mode, result)) return false;
		await this.acknowledge(batch);
		for (const delivery of batch) failures.forget(delivery.messageId);
		return true;
	}

	private count(result: ExecutionResult): void {
		if (result === 'succeeded') this.counters.succeeded++;
		else if (result === 'failed') this.counters.failed++;
		else if (result === 'duplicate') this.counters.duplicates++;
		else this.counters.notStarted++;
	}

	/** Acknowledges a batch; network failures are retried a few times, refusals are explained. */
	private async acknowledge(batch: Delivery[]): Promise<void> {
		const { acknowledge, clock, log } = this.parts;
		const handles = batch.map((delivery) => delivery.receiptHandle);
		for (let attempt = 1; attempt <= ACK_ATTEMPTS; attempt++) {
			const result = await acknowledge(handles);
			if (result.kind === 'acknowledged') {
				this.counters.acknowledged += handles.length - result.refused.length;
				for (const refused of result.refused) {
					this.counters.expiredAcks++;
					const message = batch.find(
						(delivery) => delivery.receiptHandle === refused.receiptHandle,
					);
					log.warn(
						`ApsaraMQ Trigger could not acknowledge message ${message?.messageId ?? '?'} (${refused.code}): its receipt handle expired because the execution took longer than the invisibility time, so RocketMQ delivers the message again; n8n's deduplication key skips the second execution`,
						{ messageId: message?.messageId, code: refused.code },
					);
				}
				return;
			}
			const transient =
				result.outcome === 'throttled' ||
				result.outcome === 'notSent' ||
				result.outcome === 'ambiguous';
			if (!transient || attempt === ACK_ATTEMPTS) {
				this.counters.failedAcks += handles.length;
				log.error(
					`ApsaraMQ Trigger could not acknowledge ${handles.length} message(s) (${result.failure.code ?? 'error'}: ${cleanServerText(result.failure.message)}); RocketMQ delivers them again after their invisibility time`,
					{ code: result.failure.code, requestId: result.failure.requestId, attempts: attempt },
				);
				return;
			}
			await clock.sleep(reconnectDelay(attempt));
		}
	}
}
