import type { IExecuteFunctions } from 'n8n-workflow';

import { SEND_MESSAGE } from '../../nodes/ApsaraMq/transport/apis';
import { AlibabaClient, type RetryPolicy } from '../../nodes/ApsaraMq/transport/client';
import { NODE } from '../nodes/fakeContext';
import { FakeClock } from './fakeClock';
import { worstOverQuotaWindow } from './pacing';

const policy: RetryPolicy = { maxRetries: 0, timeoutMs: 1000, retryAmbiguous: false };

/** One execution's client: every SendMessage succeeds at once; records when each was sent. */
function execution(clock: FakeClock, starts: number[], rate?: number): AlibabaClient {
	const context = {
		getNode: () => NODE,
		getExecutionCancelSignal: () => undefined,
		getCredentials: async () => ({ accessKeyId: 'id' }),
		logger: { debug: () => undefined },
		helpers: {
			async httpRequestWithAuthentication() {
				starts.push(clock.now());
				return { statusCode: 200, body: { RequestId: 'R', MsgId: 'M' } };
			},
		},
	} as unknown as IExecuteFunctions;
	return new AlibabaClient(context, () => rate, clock);
}

/** `executions` clients sending `each` messages at the same time, 24 in flight each. */
async function sendConcurrently(clock: FakeClock, executions: number, each: number, rate?: number) {
	const starts: number[] = [];
	await Promise.all(
		Array.from({ length: executions }, async () => {
			const client = execution(clock, starts, rate);
			let next = 0;
			const lane = async () => {
				while (next++ < each) await client.call(SEND_MESSAGE, { A: '1' }, policy);
			};
			await Promise.all(Array.from({ length: 24 }, lane));
		}),
	);
	return starts.sort((a, b) => a - b);
}

/** The most calls that started within any one second (sorted start times). */
function mostInOneSecond(starts: number[]): number {
	let most = 0;
	for (let i = 0, j = 0; j < starts.length; j++) {
		while (starts[j] - starts[i] >= 1000) i++;
		most = Math.max(most, j - i + 1);
	}
	return most;
}

describe('the automatic pace is one per n8n process (docs/quotas-and-retries.md#queue-mode)', () => {
	it('five executions at once on one worker share 140 SendMessage calls per second', async () => {
		const clock = new FakeClock();
		const starts = await sendConcurrently(clock, 5, 280);
		expect(starts).toHaveLength(1400);
		expect(worstOverQuotaWindow(starts, SEND_MESSAGE.automaticRatePerSecond)).toBeUndefined();
		// and no slower: 1,400 calls in 10 s
		expect(starts[1399] - starts[0]).toBeLessThanOrEqual(10_000);
	});

	it('two such processes (queue-mode workers) stay under the 300/s of one source address', async () => {
		const starts = [
			...(await sendConcurrently(new FakeClock(), 3, 280)),
			...(await sendConcurrently(new FakeClock(), 3, 280)),
		].sort((a, b) => a - b);
		// each process allows rate × 1 s + 1 in a second: 2 × 141 = 282
		expect(mostInOneSecond(starts)).toBeLessThanOrEqual(282);
		expect(mostInOneSecond(starts)).toBeLessThan(SEND_MESSAGE.quotaPerSecond);
	});

	it('a batch with its own Max Requests per Second keeps its own pace, outside the shared one', async () => {
		const clock = new FakeClock();
		const starts = await sendConcurrently(clock, 2, 200, 100);
		// two executions at 100/s each: about 200 in a second together, not the shared 140
		expect(mostInOneSecond(starts)).toBeGreaterThan(SEND_MESSAGE.automaticRatePerSecond);
		expect(mostInOneSecond(starts)).toBeLessThanOrEqual(202);
	});
});
