/**
 * Inspection API, runtime state changes, the CLI entry and a load smoke test.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createEmulator, type Emulator } from './emulator';
import { parseCliArgs, runCli } from './main';
import { defaultSeed } from './seed';
import {
	buildSigned,
	closeAgent,
	fakeOnly,
	httpRequest,
	sendWire,
	signedCall,
	until,
	VERSIONS,
	type SignedCall,
} from './test-helpers';

const ONS_INSTANCE = 'MQ_INST_111111111111_DOxxxxxx';
const send = (payload: string): SignedCall => ({
	version: VERSIONS.onsmqtt,
	action: 'SendMessage',
	params: { InstanceId: 'post-cn-0pp12gl0001', MqttTopic: 'TopicB/inspect', Payload: payload },
});
const push = (
	clientId: string,
	msgId = '0BC1669963051B4B8F7A2A5A2C2E0001',
	groupId = 'GID_test_group_id',
): SignedCall => ({
	version: VERSIONS.ons,
	action: 'OnsMessagePush',
	params: {
		InstanceId: ONS_INSTANCE,
		Topic: 'test_topic',
		GroupId: groupId,
		ClientId: clientId,
		MsgId: msgId,
	},
});
const CLIENT = '10.0.0.12@3142#1266402811#-946306207#24781634862811';

async function getJson<T>(emu: Emulator, path: string): Promise<T> {
	const res = await httpRequest(`${emu.url}/__emulator/${path}`);
	expect(res.status).toBe(200);
	return JSON.parse(res.text) as T;
}

async function postJson(emu: Emulator, path: string, body: unknown) {
	return httpRequest(`${emu.url}/__emulator/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
}

describe('inspection API', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await createEmulator({ knobs: { quotas: { enabled: false } } });
	});
	afterEach(() => emu.reset());
	afterAll(async () => {
		await emu.close();
		closeAgent();
	});

	it('POST /knobs merges and validates; GET /knobs shows them', async () => {
		const res = await postJson(emu, 'knobs', { latencyMs: 1, faults: { stall: 0.25 } });
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ latencyMs: 1, faults: { stall: 0.25, internalError: 0 } });
		expect((await getJson<{ latencyMs: number }>(emu, 'knobs')).latencyMs).toBe(1);
		expect((await postJson(emu, 'knobs', { latencyMs: -1 })).status).toBe(400);
		expect((await postJson(emu, 'knobs', { nope: true })).status).toBe(400);
		expect((await postJson(emu, 'knobs', { faults: { internalError: 2 } })).status).toBe(400);
		expect(emu.knobs().faults.stall).toBe(0.25);
	});

	it('GET /calls, /mqtt and /counters, with filters and duplicate detection', async () => {
		await signedCall(emu.url, send('dup'));
		await signedCall(emu.url, send('dup'));
		await signedCall(emu.url, send('other'));
		await signedCall(emu.url, { ...send('bad'), secret: 'wrong' });

		const all = await getJson<Array<{ seq: number; code: string }>>(emu, 'calls');
		expect(all.map((c) => c.code)).toEqual(['OK', 'OK', 'OK', 'SignatureDoesNotMatch']);
		expect(
			await getJson<unknown[]>(emu, 'calls?action=SendMessage&param.Payload=dup'),
		).toHaveLength(2);
		expect(await getJson<unknown[]>(emu, 'calls?code=OK&limit=1')).toHaveLength(1);
		expect(await getJson<unknown[]>(emu, `calls?since=${all[2].seq}`)).toHaveLength(1);
		expect(await getJson<unknown[]>(emu, 'calls?status=400')).toHaveLength(1);

		const mqtt = await getJson<Array<{ payloadBase64: string; duplicate: boolean; msgId: string }>>(
			emu,
			'mqtt?topic=TopicB/inspect',
		);
		expect(mqtt.map((d) => Buffer.from(d.payloadBase64, 'base64').toString())).toEqual([
			'dup',
			'dup',
			'other',
		]);
		expect(mqtt.map((d) => d.duplicate)).toEqual([false, true, false]);
		expect(new Set(mqtt.map((d) => d.msgId)).size).toBe(3);

		const counters = await getJson<
			Record<string, { accepted: number; duplicates: number; rejected: object }>
		>(emu, 'counters');
		expect(counters.SendMessage).toEqual({
			accepted: 3,
			rejected: { SignatureDoesNotMatch: 1 },
			throttled: 0,
			faults: {},
			duplicates: 1,
		});
		expect(counters.total.accepted).toBe(3);
	});

	it('GET /ons records pushes (new MsgId each time, repeated pushes flagged)', async () => {
		const first = await signedCall(emu.url, push(CLIENT));
		const second = await signedCall(emu.url, push(CLIENT));
		expect([first.status, second.status]).toEqual([200, 200]);
		const ons = await getJson<Array<{ msgId: string; duplicate: boolean; requestId: string }>>(
			emu,
			'ons',
		);
		expect(ons).toHaveLength(2);
		expect(ons[0].msgId).not.toBe(ons[1].msgId);
		expect(ons.map((d) => d.duplicate)).toEqual([false, true]);
		expect(ons[0].requestId).toBe(first.json.RequestId);
		expect(emu.counters().OnsMessagePush.duplicates).toBe(1);
		// the pushed copy is itself a stored message that can be pushed again
		expect((await signedCall(emu.url, push(CLIENT, ons[0].msgId))).status).toBe(200);
	});

	it('POST /consumers and /messages change the world at run time; POST /reset restores the seed', async () => {
		const getConn = (): SignedCall => ({
			version: VERSIONS.ons,
			action: 'OnsConsumerGetConnection',
			params: { InstanceId: ONS_INSTANCE, GroupId: 'GID_offline_group' },
		});
		expect((await signedCall(emu.url, getConn())).json.Code).toBe('BIZ_CONSUMER_NOT_ONLINE');
		const set = await postJson(emu, 'consumers', {
			instanceId: ONS_INSTANCE,
			groupId: 'GID_offline_group',
			consumers: [{ clientId: 'late@1#2#3', clientAddr: '10.1.1.1' }],
		});
		expect(set.status).toBe(200);
		const conn = await signedCall(emu.url, getConn());
		expect(conn.json).toMatchObject({
			Data: {
				MessageModel: 'CLUSTERING',
				ConnectionList: {
					ConnectionDo: [
						{ ClientId: 'late@1#2#3', ClientAddr: '10.1.1.1', Language: 'JAVA', Version: 'V4_3_6' },
					],
				},
			},
		});
		const added = await postJson(emu, 'messages', {
			msgId: 'AAAABBBBCCCCDDDDEEEEFFFF00001111',
			instanceId: ONS_INSTANCE,
			topic: 'test_topic',
			body: 'added at run time',
		});
		expect(added.status).toBe(200);
		const pushed = await signedCall(
			emu.url,
			push('late@1#2#3', 'AAAABBBBCCCCDDDDEEEEFFFF00001111', 'GID_offline_group'),
		);
		expect(pushed.status).toBe(200);

		const nonce = 'reused-after-reset';
		expect((await signedCall(emu.url, { ...send('n'), nonce })).status).toBe(200);
		expect((await postJson(emu, 'reset', {})).status).toBe(200);
		expect(await getJson<unknown[]>(emu, 'calls')).toEqual([]);
		expect(await getJson<unknown[]>(emu, 'ons')).toEqual([]);
		expect((await signedCall(emu.url, getConn())).json.Code).toBe('BIZ_CONSUMER_NOT_ONLINE');
		expect((await signedCall(emu.url, { ...send('n'), nonce })).status).toBe(200);
		const state = await getJson<{ messages: unknown[] }>(emu, 'state');
		expect(state.messages).toHaveLength(3);
	});

	it('reset restores creation-time knobs unless keepKnobs; a new seed can be installed', async () => {
		emu.setKnobs({ latencyMs: 3 });
		emu.reset({ keepKnobs: true });
		expect(emu.knobs().latencyMs).toBe(3);
		emu.reset();
		expect(emu.knobs().latencyMs).toBe(0);
		const seed = defaultSeed();
		seed.accessKeys = [
			{ ...seed.accessKeys[0], accessKeyId: 'otherid', accessKeySecret: 'othersecret' },
		];
		expect((await postJson(emu, 'reset', { seed })).status).toBe(200);
		expect((await signedCall(emu.url, send('x'))).json.Code).toBe('InvalidAccessKeyId.NotFound');
		expect(
			(await signedCall(emu.url, { ...send('x'), keyId: 'otherid', secret: 'othersecret' })).status,
		).toBe(200);
		emu.reset({ seed: defaultSeed() });
	});

	it('recordParams: false and recordRaw: true', async () => {
		emu.setKnobs({ recordParams: false, recordRaw: true });
		await signedCall(emu.url, send('raw'));
		const [call] = emu.calls();
		expect(call.params).toBeUndefined();
		expect(call.raw?.url).toContain('Payload=raw');
		expect(call.raw?.headers['x-acs-action']).toBe('SendMessage');
	});

	it('POST /sink answers {"ok":true} unsigned, after the latency, and counts it', async () => {
		emu.reset();
		emu.setKnobs({ latencyMs: 50 });
		fakeOnly('setTimeout', 'clearTimeout');
		try {
			const answer = postJson(emu, 'sink', { any: 'thing' });
			await until(() => jest.getTimerCount() === 1);
			expect(emu.counters().sink.accepted).toBe(1);
			jest.advanceTimersByTime(49);
			expect(jest.getTimerCount()).toBe(1);
			jest.advanceTimersByTime(1);
			const res = await answer;
			expect(res.status).toBe(200);
			expect(res.json).toEqual({ ok: true });
		} finally {
			jest.useRealTimers();
		}
		expect(emu.calls()).toHaveLength(0);
		emu.reset();
	});

	it('unknown inspection routes → 404', async () => {
		expect((await httpRequest(`${emu.url}/__emulator/nope`)).status).toBe(404);
	});
});

describe('CLI', () => {
	it('parses flags into options and knobs', () => {
		const dir = mkdtempSync(join(tmpdir(), 'apsaramq-emu-'));
		const seedFile = join(dir, 'seed.json');
		writeFileSync(seedFile, JSON.stringify(defaultSeed()));
		const options = parseCliArgs([
			'--port',
			'18080',
			'--mqtt-port',
			'18830',
			'--seed',
			seedFile,
			'--latency',
			'30',
			'--jitter',
			'10',
			'--fault',
			'internalError=0.1',
			'--fault',
			'stall=0.05',
			'--no-quotas',
			'--retry-after',
			'500',
		]);
		expect(options).toMatchObject({
			port: 18080,
			mqttPort: 18830,
			seed: seedFile,
			mqtt: true,
			knobs: {
				latencyMs: 30,
				jitterMs: 10,
				faults: { internalError: 0.1, stall: 0.05 },
				quotas: { enabled: false },
				retryAfterMs: 500,
			},
		});
		expect(parseCliArgs(['--help'])).toBe('help');
		expect(() => parseCliArgs(['--fault', 'boom=1'])).toThrow(/unknown kind/);
		expect(() => parseCliArgs(['--latency', 'soon'])).toThrow(/expects a number/);
		expect(() => parseCliArgs(['--what'])).toThrow();
	});

	it('starts, prints its URLs and serves requests', async () => {
		const lines: string[] = [];
		const emu = await runCli(['--port', '0', '--mqtt-port', '0', '--latency', '1'], (l) =>
			lines.push(l),
		);
		expect(emu).not.toBeNull();
		if (!emu) return;
		try {
			expect(lines[0]).toBe(`APSARAMQ_EMULATOR_URL=${emu.url}`);
			expect(lines[1]).toBe(`APSARAMQ_EMULATOR_MQTT_URL=${emu.mqttUrl}`);
			expect((await signedCall(emu.url, send('cli'))).status).toBe(200);
		} finally {
			await emu.close();
			closeAgent();
		}
	});
});

describe('load', () => {
	// The rate is printed for information only: a unit test that asserts speed fails on a busy
	// machine. The benchmark measures speed.
	it('serves 500 signed SendMessage requests, 32 at a time, and accepts every one', async () => {
		const emu = await createEmulator({
			knobs: { quotas: { enabled: false }, recordParams: false },
		});
		try {
			const total = 500;
			const concurrency = 32;
			// Signed in advance so that the measure is the emulator's, not the test client's.
			const requests = Array.from({ length: total }, (_, i) =>
				buildSigned(emu.url, { ...send(`m${i}`), sig: i % 2 ? 'v2' : 'v3' }),
			);
			let next = 0;
			const started = process.hrtime.bigint();
			await Promise.all(
				Array.from({ length: concurrency }, async () => {
					while (next < total) {
						const i = next++;
						const res = await sendWire(requests[i]);
						if (res.status !== 200) throw new Error(`request ${i}: ${res.text}`);
					}
				}),
			);
			const seconds = Number(process.hrtime.bigint() - started) / 1e9;
			const rate = total / seconds;
			console.log(`emulator throughput: ${Math.round(rate)} req/s (one process, client included)`);
			expect(emu.counters().SendMessage.accepted).toBe(total);
			expect(new Set(emu.mqttDeliveries().map((d) => d.msgId)).size).toBe(total);
		} finally {
			await emu.close();
			closeAgent();
		}
	}, 30_000);
});
