import type { Clock } from '../../ApsaraMq/transport/clock';
import { CancellableWaits } from '../../ApsaraMq/transport/clock';
import type { ConsumeFailure } from './consumeFailure';
import { classifyConsumeFailure, reconnectDelay } from './consumeFailure';
import type { Acknowledge, Delivery, Poll } from './delivery';

/** Network failures a test event waits out before it tells the user. */
export const TEST_EVENT_ATTEMPTS = 3;

export class TestEventFailure extends Error {
	constructor(readonly failure: ConsumeFailure) {
		super(failure.failure.message);
	}
}

export interface TestEventParts {
	poll: Poll;
	acknowledge: Acknowledge;
	/** Shows the batch in the editor (n8n's manual `emit`). */
	show: (batch: Delivery[]) => void;
	clock: Clock;
}

/**
 * "Execute workflow" / "Fetch test event" (docs/trigger.md#testing): long polls until one batch
 * arrives, shows it, and acknowledges it only when asked to. By default it stays with RocketMQ,
 * which delivers it again after its invisibility time, to the activated workflow.
 * Ends without showing anything when the test is closed; throws what cannot heal.
 */
export async function receiveTestEvent(
	parts: TestEventParts,
	settings: { messagesPerExecution: number; acknowledge: boolean },
	signal: AbortSignal,
): Promise<'shown' | 'closed'> {
	const waits = new CancellableWaits(parts.clock, signal);
	let attempt = 0;
	while (!signal.aborted) {
		const result = await parts.poll(settings.messagesPerExecution, signal);
		if (signal.aborted || result.kind === 'cancelled') break;
		if (result.kind === 'failed') {
			const failure = classifyConsumeFailure(result);
			if (failure.kind === 'permanent' || ++attempt >= TEST_EVENT_ATTEMPTS)
				throw new TestEventFailure(failure);
			await waits.wait(reconnectDelay(attempt));
			continue;
		}
		if (result.deliveries.length === 0) continue;
		parts.show(result.deliveries);
		if (settings.acknowledge)
			await parts.acknowledge(result.deliveries.map((delivery) => delivery.receiptHandle));
		return 'shown';
	}
	return 'closed';
}
