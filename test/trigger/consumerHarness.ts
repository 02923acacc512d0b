import type {
	AcknowledgeMode,
	ExecutionResult,
} from '../../nodes/ApsaraMqTrigger/consume/acknowledgeMode';
import type { ConsumeFailure } from '../../nodes/ApsaraMqTrigger/consume/consumeFailure';
import { Consumer } from '../../nodes/ApsaraMqTrigger/consume/consumer';
import type { Delivery } from '../../nodes/ApsaraMqTrigger/consume/delivery';
import { deduplicationKey } from '../../nodes/ApsaraMqTrigger/consume/deduplicationKey';
import { FailureMemory } from '../../nodes/ApsaraMqTrigger/consume/failureMemory';
import { ParallelGate } from '../../nodes/ApsaraMqTrigger/consume/parallelGate';
import { FakeClock } from '../transport/fakeClock';
import { FakeQueue } from './fakeQueue';

export interface Execution {
	messageIds: string[];
	key: string;
	result: ExecutionResult;
}

/**
 * n8n as the consumer sees it: executions keyed by deduplication key, with the unique index of
 * n8n's execution table (an existing key starts nothing and answers `duplicate`). Shared between
 * consumers to model a restart of n8n: the execution table outlives it.
 */
export class FakeN8n {
	readonly keys = new Set<string>();
	readonly executions: Execution[] = [];
	decide: (batch: Delivery[]) => ExecutionResult | Promise<ExecutionResult> = () => 'succeeded';

	execute = async (batch: Delivery[], key: string): Promise<ExecutionResult> => {
		const messageIds = batch.map((delivery) => delivery.messageId);
		if (this.keys.has(key)) {
			this.executions.push({ messageIds, key, result: 'duplicate' });
			return 'duplicate';
		}
		this.keys.add(key);
		const result = await this.decide(batch);
		this.executions.push({ messageIds, key, result });
		return result;
	};

	/** How many executions really ran (not skipped as duplicates) for each message. */
	runsPerMessage(): Map<string, number> {
		const runs = new Map<string, number>();
		for (const execution of this.executions) {
			if (execution.result === 'duplicate') continue;
			for (const id of execution.messageIds) runs.set(id, (runs.get(id) ?? 0) + 1);
		}
		return runs;
	}
}

export interface Started {
	consumer: Consumer;
	controller: AbortController;
	loop: Promise<void>;
	logs: Array<{ level: string; message: string; meta?: Record<string, unknown> }>;
	permanent: Array<Extract<ConsumeFailure, { kind: 'permanent' }>>;
	clock: FakeClock;
	/** The failure counts of this activation (failureMemory.ts). */
	failureCounts: Record<string, number>;
	/** Closes the trigger and waits for the loop and every execution started. */
	stop(): Promise<void>;
}

let activations = 0;

export function startConsumer(
	queue: FakeQueue,
	n8n: FakeN8n,
	settings: {
		mode: AcknowledgeMode;
		messagesPerExecution?: number;
		orderly?: boolean;
		limit?: number;
	},
): Started {
	const mode = settings.mode;
	const logs: Started['logs'] = [];
	const permanent: Started['permanent'] = [];
	const clock = new FakeClock();
	const failureCounts: Record<string, number> = {};
	// Each consumer is one activation of the trigger; a second one on the same FakeN8n is a restart.
	const activationId = `activation${++activations}`;
	const logger = (level: string) => (message: string, meta?: Record<string, unknown>) => {
		logs.push({ level, message, meta });
	};
	const consumer = new Consumer(
		{
			mode,
			messagesPerExecution: settings.messagesPerExecution ?? 1,
			orderly: settings.orderly ?? false,
		},
		{
			poll: queue.poll,
			acknowledge: queue.acknowledge,
			execute: n8n.execute,
			keyOf: (messages) => deduplicationKey('wf1', 'node1', messages, mode, activationId),
			gate: new ParallelGate(settings.limit ?? 4),
			failures: new FailureMemory(failureCounts),
			clock,
			log: {
				debug: logger('debug'),
				info: logger('info'),
				warn: logger('warn'),
				error: logger('error'),
			},
			onPermanentFailure: (failure) => permanent.push(failure),
		},
	);
	const controller = new AbortController();
	const loop = consumer.run(controller.signal);
	return {
		consumer,
		controller,
		loop,
		logs,
		permanent,
		clock,
		failureCounts,
		stop: async () => {
			controller.abort();
			await loop;
			await consumer.drain();
		},
	};
}

/** Lets promise jobs and I/O callbacks run until `condition` holds (fails after many turns). */
export async function until(condition: () => boolean, turns = 2_000): Promise<void> {
	for (let turn = 0; turn < turns; turn++) {
		if (condition()) return;
		await new Promise((resolve) => setImmediate(resolve));
	}
	throw new Error('The condition never held');
}
