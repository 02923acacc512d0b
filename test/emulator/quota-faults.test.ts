/**
 * Quotas (sliding one-second windows) and fault knobs: what is rejected before processing,
 * what is stored and then fails, and that a stall is released by close(). Time is faked where it
 * matters, so nothing here depends on how fast the machine is: the quota tests freeze Date (every
 * request of a test arrives at the same instant), and the latency and stall tests hold the
 * emulator's timers until the test moves them.
 */
import { createEmulator, type Emulator } from './emulator';
import {
	closeAgent,
	fakeOnly,
	signedCall,
	subscribe,
	until,
	VERSIONS,
	type SignedCall,
} from './test-helpers';

const INSTANCE = 'post-cn-0pp12gl0001';
const ONS_INSTANCE = 'MQ_INST_111111111111_DOxxxxxx';

const send = (payload: string, extra: Partial<SignedCall> = {}): SignedCall => ({
	version: VERSIONS.onsmqtt,
	action: 'SendMessage',
	params: { InstanceId: INSTANCE, MqttTopic: 'TopicA/faults', Payload: payload },
	...extra,
});
const list: SignedCall = { version: VERSIONS.onsmqtt, action: 'ListInstances' };

async function errorOf(p: Promise<unknown>): Promise<string> {
	try {
		await p;
		return 'no error';
	} catch (e) {
		return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
	}
}

describe('emulator quotas', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await createEmulator({ trustForwardedFor: true });
	});
	beforeEach(() => fakeOnly('Date'));
	afterEach(() => {
		jest.useRealTimers();
		emu.reset();
	});
	afterAll(async () => {
		await emu.close();
		closeAgent();
	});

	it('SendMessage: over the account quota → Throttling.User before processing, fine once a second has passed', async () => {
		emu.setKnobs({ quotas: { overrides: { SendMessage: { account: 5 } } } });
		const results = await Promise.all(
			Array.from({ length: 7 }, (_, i) => signedCall(emu.url, send(`m${i}`))),
		);
		const codes = results.map((r) => (r.status === 200 ? 'OK' : String(r.json.Code)));
		expect(codes.filter((c) => c === 'OK')).toHaveLength(5);
		expect(codes.filter((c) => c === 'Throttling.User')).toHaveLength(2);
		const throttled = results.find((r) => r.status !== 200);
		expect(throttled?.status).toBe(400);
		expect(throttled?.json.Message).toBe('Request was denied due to user flow control.');
		expect(emu.mqttDeliveries()).toHaveLength(5);
		expect(emu.counters().SendMessage).toMatchObject({
			accepted: 5,
			throttled: 2,
			rejected: { 'Throttling.User': 2 },
		});
		const start = Date.now();
		jest.setSystemTime(start + 999);
		expect((await signedCall(emu.url, send('not yet'))).json.Code).toBe('Throttling.User');
		jest.setSystemTime(start + 1000);
		expect((await signedCall(emu.url, send('after'))).status).toBe(200);
	});

	it('per source IP: 300/s by default, here scaled down; other IPs are unaffected', async () => {
		emu.setKnobs({ quotas: { overrides: { SendMessage: { ip: 2, account: null } } } });
		const ip = (addr: string) => ({ headers: { 'x-forwarded-for': addr } });
		const a = await Promise.all(
			[1, 2, 3].map((i) => signedCall(emu.url, send(`a${i}`, ip('10.0.0.1')))),
		);
		const b = await Promise.all(
			[1, 2].map((i) => signedCall(emu.url, send(`b${i}`, ip('10.0.0.2')))),
		);
		expect(a.map((r) => r.status).sort()).toEqual([200, 200, 400]);
		expect(b.map((r) => r.status)).toEqual([200, 200]);
	});

	it('ONS list APIs default to 10/s per account (OnsInstanceInServiceList 50/s)', async () => {
		const topicList: SignedCall = {
			version: VERSIONS.ons,
			action: 'OnsTopicList',
			params: { InstanceId: ONS_INSTANCE },
		};
		const results = await Promise.all(
			Array.from({ length: 12 }, () => signedCall(emu.url, topicList)),
		);
		expect(results.filter((r) => r.status === 200)).toHaveLength(10);
		expect(results.filter((r) => r.json.Code === 'Throttling.User')).toHaveLength(2);
		const inService = await Promise.all(
			Array.from({ length: 12 }, () =>
				signedCall(emu.url, { version: VERSIONS.ons, action: 'OnsInstanceInServiceList' }),
			),
		);
		expect(inService.every((r) => r.status === 200)).toBe(true);
	});

	it('SystemOverFlow knob for onsmqtt, with x-acs-retry-after', async () => {
		emu.setKnobs({
			mqttThrottleCode: 'SystemOverFlow',
			retryAfterMs: 250,
			quotas: { overrides: { SendMessage: { account: 1 } } },
		});
		const [first, second] = await Promise.all([
			signedCall(emu.url, send('x')),
			signedCall(emu.url, send('y')),
		]);
		const throttled = first.status === 200 ? second : first;
		expect(throttled.status).toBe(500);
		expect(throttled.json.Code).toBe('SystemOverFlow');
		expect(throttled.headers['x-acs-retry-after']).toBe('250');
	});

	it('quotas can be disabled or scaled', async () => {
		const groupList: SignedCall = {
			version: VERSIONS.ons,
			action: 'OnsGroupList',
			params: { InstanceId: ONS_INSTANCE },
		};
		emu.setKnobs({ quotas: { scale: 0.001 } });
		const scaled = await Promise.all([1, 2].map(() => signedCall(emu.url, groupList)));
		expect(scaled.map((r) => r.status).sort()).toEqual([200, 400]);
		emu.setKnobs({ quotas: { enabled: false } });
		const results = await Promise.all(
			Array.from({ length: 40 }, () => signedCall(emu.url, groupList)),
		);
		expect(results.every((r) => r.status === 200)).toBe(true);
	});
});

describe('emulator faults', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await createEmulator({ knobs: { quotas: { enabled: false } } });
	});
	afterEach(() => emu.reset());
	afterAll(async () => {
		await emu.close();
		closeAgent();
	});

	it('internalError / serviceUnavailable: rejected before processing, nothing published', async () => {
		emu.setKnobs({ faults: { internalError: 1 } });
		const a = await signedCall(emu.url, send('x'));
		expect(a.status).toBe(500);
		expect(a.json.Code).toBe('InternalError');
		emu.setKnobs({ faults: { internalError: 0, serviceUnavailable: 1 } });
		const b = await signedCall(emu.url, send('y'));
		expect(b.status).toBe(503);
		expect(b.json.Code).toBe('ServiceUnavailable');
		expect(emu.mqttDeliveries()).toHaveLength(0);
		expect(emu.counters().SendMessage).toMatchObject({
			accepted: 0,
			faults: { internalError: 1, serviceUnavailable: 1 },
		});
	});

	it('faults hit only authenticated, non-throttled requests of the selected actions', async () => {
		emu.setKnobs({ faults: { internalError: 1 }, faultActions: ['SendMessage'] });
		expect((await signedCall(emu.url, send('x', { secret: 'bad' }))).json.Code).toBe(
			'SignatureDoesNotMatch',
		);
		expect((await signedCall(emu.url, list)).status).toBe(200);
		emu.setKnobs({ quotas: { enabled: true, overrides: { SendMessage: { account: 1 } } } });
		const codes = (
			await Promise.all([signedCall(emu.url, send('a')), signedCall(emu.url, send('b'))])
		).map((r) => r.json.Code);
		expect(codes.sort()).toEqual(['InternalError', 'Throttling.User']);
	});

	it('sendMessageFailed: 500 SendMessageFailed AFTER the message was published', async () => {
		const sub = await subscribe(emu.mqttUrl, 'TopicA/faults');
		try {
			emu.setKnobs({ faults: { sendMessageFailed: 1 } });
			const res = await signedCall(emu.url, send('ambiguous'));
			expect(res.status).toBe(500);
			expect(res.json.Code).toBe('SendMessageFailed');
			const [msg] = await sub.waitFor(1);
			expect(msg.payload.toString('utf8')).toBe('ambiguous');
			expect(emu.calls().at(-1)).toMatchObject({
				fault: 'sendMessageFailed',
				processed: true,
				code: 'SendMessageFailed',
			});
			// not applicable to list APIs
			expect((await signedCall(emu.url, list)).status).toBe(200);
		} finally {
			await sub.close();
		}
	});

	it('resetBeforeProcessing: the connection drops and nothing is stored', async () => {
		emu.setKnobs({ faults: { resetBeforeProcessing: 1 } });
		expect(await errorOf(signedCall(emu.url, send('lost')))).toBe('ECONNRESET');
		expect(emu.mqttDeliveries()).toHaveLength(0);
		expect(emu.calls().at(-1)).toMatchObject({
			fault: 'resetBeforeProcessing',
			status: 0,
			code: null,
			processed: false,
		});
	});

	it('resetAfterProcessing: published, then the connection drops without an answer', async () => {
		emu.setKnobs({ faults: { resetAfterProcessing: 1 } });
		expect(await errorOf(signedCall(emu.url, send('kept')))).toBe('ECONNRESET');
		expect(emu.mqttDeliveries().map((d) => d.topic)).toEqual(['TopicA/faults']);
		expect(emu.calls().at(-1)).toMatchObject({ fault: 'resetAfterProcessing', processed: true });
	});

	it('stall: stored, then no answer until stallMs (late answer), duplicates counted', async () => {
		emu.setKnobs({ faults: { stall: 1 }, stallMs: 60_000 });
		expect(await errorOf(signedCall(emu.url, send('slow', { timeoutMs: 200 })))).toBe(
			'client timeout',
		);
		expect(emu.mqttDeliveries()).toHaveLength(1);
		emu.setKnobs({ stallMs: 150 });
		fakeOnly('setTimeout', 'clearTimeout');
		try {
			const late = signedCall(emu.url, send('slow'));
			await until(() => jest.getTimerCount() === 1);
			expect(emu.mqttDeliveries()).toHaveLength(2);
			jest.advanceTimersByTime(149);
			expect(jest.getTimerCount()).toBe(1);
			jest.advanceTimersByTime(1);
			expect(jest.getTimerCount()).toBe(0);
			expect((await late).status).toBe(200);
		} finally {
			jest.useRealTimers();
		}
		expect(emu.mqttDeliveries().map((d) => d.duplicate)).toEqual([false, true]);
		expect(emu.counters().SendMessage.duplicates).toBe(1);
	});

	it('scripted outcomes are consumed in order by matching requests', async () => {
		emu.setKnobs({
			script: [
				{ fault: 'throttle', action: 'SendMessage' },
				{ fault: 'serviceUnavailable' },
				{ fault: 'internalError', action: 'SendMessage' },
			],
		});
		expect((await signedCall(emu.url, list)).json.Code).toBe('ServiceUnavailable');
		expect((await signedCall(emu.url, send('1'))).json.Code).toBe('Throttling.User');
		expect((await signedCall(emu.url, send('2'))).json.Code).toBe('InternalError');
		expect((await signedCall(emu.url, send('3'))).status).toBe(200);
		expect(emu.knobs().script).toEqual([]);
	});

	it('the seeded PRNG makes random faults reproducible', async () => {
		emu.setKnobs({ faults: { internalError: 0.5 }, randomSeed: 7 });
		const run = async () => {
			const out: number[] = [];
			for (let i = 0; i < 16; i++) out.push((await signedCall(emu.url, list)).status);
			return out;
		};
		const first = await run();
		emu.reset({ keepKnobs: true });
		expect(await run()).toEqual(first);
		expect(first).toContain(500);
		expect(first).toContain(200);
	});

	it('latency and jitter hold the answer for 100 to 140 ms', async () => {
		emu.setKnobs({ latencyMs: 120, jitterMs: 20 });
		fakeOnly('setTimeout', 'clearTimeout');
		try {
			// Ten draws of the jitter, one request at a time.
			for (let i = 0; i < 10; i++) {
				const answer = signedCall(emu.url, list);
				await until(() => jest.getTimerCount() === 1);
				jest.advanceTimersByTime(99);
				expect(jest.getTimerCount()).toBe(1);
				jest.advanceTimersByTime(41);
				expect(jest.getTimerCount()).toBe(0);
				expect((await answer).status).toBe(200);
			}
		} finally {
			jest.useRealTimers();
		}
	});
});

describe('close() releases stalled requests', () => {
	it('closes without waiting for a request stalled for 60 s', async () => {
		// The stall's timer is fake and never moves: close() can only finish by releasing it.
		fakeOnly('setTimeout', 'clearTimeout');
		try {
			const emu = await createEmulator({ knobs: { faults: { stall: 1 } } });
			const pending = errorOf(signedCall(emu.url, send('held')));
			await until(() => jest.getTimerCount() === 1);
			expect(emu.calls()).toHaveLength(1);
			await emu.close();
			expect(jest.getTimerCount()).toBe(0);
			expect(await pending).toMatch(/ECONNRESET|socket hang up/);
		} finally {
			jest.useRealTimers();
			closeAgent();
		}
	});
});
