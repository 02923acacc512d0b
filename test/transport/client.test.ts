import fc from 'fast-check';
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ONS_TOPIC_LIST, SEND_MESSAGE } from '../../nodes/ApsaraMq/transport/apis';
import type { RetryPolicy } from '../../nodes/ApsaraMq/transport/client';
import { AlibabaClient } from '../../nodes/ApsaraMq/transport/client';
import { NODE } from '../nodes/fakeContext';
import { FakeClock } from './fakeClock';

type Step = { statusCode: number; body: unknown; headers?: Record<string, string> } | Error;

/** A context whose request helper plays the given answers in order. */
function scripted(steps: Step[], signal?: AbortSignal, clock?: FakeClock) {
	const calls: unknown[] = [];
	const times: number[] = [];
	const context = {
		getNode: () => NODE,
		getExecutionCancelSignal: () => signal,
		getCredentials: async () => ({ accessKeyId: 'id' }),
		logger: { debug: () => undefined },
		helpers: {
			async httpRequestWithAuthentication(_type: string, options: unknown) {
				calls.push(options);
				times.push(clock?.now() ?? 0);
				const step = steps[Math.min(calls.length - 1, steps.length - 1)];
				if (step instanceof Error) throw step;
				return step;
			},
		},
	} as unknown as IExecuteFunctions;
	return { context, calls, times };
}

/** The pauses between attempts. */
const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]);

const ok = { statusCode: 200, body: { RequestId: 'R', MsgId: 'M' } };
const throttled = { statusCode: 400, body: { Code: 'Throttling.User', RequestId: 'T' } };
const internal = { statusCode: 500, body: { Code: 'InternalError', RequestId: 'I' } };
const reset = Object.assign(new Error('socket hang up'), {
	cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
});
const refused = Object.assign(new Error('x'), {
	cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
});
const policy: RetryPolicy = { maxRetries: 4, timeoutMs: 1000, retryAmbiguous: false };

async function call(steps: Step[], options: Partial<RetryPolicy> = {}, api = SEND_MESSAGE) {
	const clock = new FakeClock(0.5);
	const { context, calls, times } = scripted(steps, undefined, clock);
	const client = new AlibabaClient(context, () => 1000, clock);
	const result = await client.call(api, { A: '1' }, { ...policy, ...options }, 3).catch((e: Error) => e);
	return { result, calls, times };
}

describe('AlibabaClient retries', () => {
	it('sends each attempt through the credential helper again (so each attempt is signed anew)', async () => {
		const { result, calls } = await call([throttled, refused, ok]);
		expect(result).toMatchObject({ attempts: 3, possibleDuplicate: false });
		expect(calls).toHaveLength(3);
		expect(calls[0]).toEqual(calls[2]);
	});

	it('hands the configured timeout to n8n\'s request helper, which enforces it, on every attempt', async () => {
		const { calls } = await call([throttled, refused, ok], { timeoutMs: 2345 });
		expect(calls).toHaveLength(3);
		expect(calls.map((options) => (options as { timeout?: number }).timeout)).toEqual([2345, 2345, 2345]);
	});

	it('backs off with full jitter: 500 ms base for throttling, 100 ms otherwise', async () => {
		const { times } = await call([throttled, throttled, refused, ok]);
		// random() = 0.5, half of each ceiling: throttled 500 and 1000 ms, then refused (third retry) 400 ms.
		expect(gaps(times)).toEqual([250, 500, 200]);
	});

	it('waits between attempts no longer than the backoff ceiling, whatever the random draw', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
				fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
				async (random, throttledOrRefused) => {
					const clock = new FakeClock(random);
					const steps = [...throttledOrRefused.map((t) => (t ? throttled : refused)), ok];
					const { context, times } = scripted(steps, undefined, clock);
					const client = new AlibabaClient(context, () => 1000, clock);
					await client.call(SEND_MESSAGE, {}, { ...policy, maxRetries: 10 });
					gaps(times).forEach((gap, retry) => {
						const ceiling = Math.min(20_000, (throttledOrRefused[retry] ? 500 : 100) * 2 ** retry);
						// At 1000/s, attempts are at least 1 ms apart even after a zero backoff.
						expect(gap).toBeGreaterThanOrEqual(1);
						expect(gap).toBeLessThanOrEqual(Math.max(1, ceiling));
					});
				},
			),
			{ numRuns: 200 },
		);
	});

	it('waits exactly x-acs-retry-after when Alibaba sends it', async () => {
		const { times } = await call([{ ...throttled, headers: { 'x-acs-retry-after': '1234' } }, ok]);
		expect(gaps(times)).toEqual([1234]);
	});

	it('gives up after Max Retries with the last failure, and counts the attempts', async () => {
		const { result, calls } = await call([throttled], { maxRetries: 2 });
		expect(calls).toHaveLength(3);
		expect(result).toBeInstanceOf(NodeApiError);
		expect((result as NodeApiError).message).toMatch(/Throttling.User.*after 3 attempts/);
		expect((result as NodeApiError).context.itemIndex).toBe(3);
	});

	it('Max Retries 0 means one attempt', async () => {
		const { calls } = await call([throttled], { maxRetries: 0 });
		expect(calls).toHaveLength(1);
	});

	it.each([
		['a reset connection', reset],
		['a 500', internal],
	])('does not retry a send after %s: AmbiguousDelivery', async (_, failure) => {
		const { result, calls } = await call([failure, ok]);
		expect(calls).toHaveLength(1);
		expect((result as NodeApiError).errorResponse).toMatchObject({ Code: 'AmbiguousDelivery' });
	});

	it('keeps AmbiguousDelivery when an opted-in retry after an ambiguous failure fails differently', async () => {
		const { result, calls } = await call([reset, { statusCode: 400, body: { Code: 'Forbidden.RAM' } }], {
			retryAmbiguous: true,
		});
		expect(calls).toHaveLength(2);
		expect((result as NodeApiError).errorResponse).toMatchObject({ Code: 'AmbiguousDelivery' });
		expect((result as NodeApiError).message).toMatch(/may or may not have been delivered.*Forbidden.RAM/);
	});

	it('retries ambiguous failures of reads, which are safe to repeat', async () => {
		const { result, calls } = await call([reset, internal, ok], {}, ONS_TOPIC_LIST);
		expect(calls).toHaveLength(3);
		expect(result).toMatchObject({ attempts: 3, possibleDuplicate: false });
	});

	it('does not retry a request the credential refused to sign', async () => {
		const unsigned = Object.assign(new Error('wrapped'), { cause: new Error('Custom Endpoint must use https') });
		const { result, calls } = await call([unsigned, ok]);
		expect(calls).toHaveLength(1);
		expect((result as NodeApiError).message).toMatch(/Custom Endpoint must use https/);
	});

	it('stops waiting and sending as soon as the execution is cancelled', async () => {
		const controller = new AbortController();
		const clock = new FakeClock(0.5);
		const { context, calls } = scripted([throttled, throttled, ok], controller.signal);
		const client = new AlibabaClient(context, () => 1000, clock);
		const sleep = clock.sleep.bind(clock);
		clock.sleep = async (ms) => {
			controller.abort();
			await sleep(ms);
		};
		const result = await client.call(SEND_MESSAGE, {}, policy).catch((e: Error) => e);
		expect(calls).toHaveLength(1);
		expect((result as Error).message).toBe('The execution was cancelled');
	});
});
