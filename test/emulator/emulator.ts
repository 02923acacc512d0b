/**
 * A local stand-in for the Alibaba Cloud OpenAPI (POP) gateway of ApsaraMQ for MQTT (`onsmqtt`
 * 2020-04-20), ApsaraMQ for RocketMQ 4.x (`ons` 2019-02-14) and STS (2015-04-01), with a real
 * MQTT broker (aedes) behind `SendMessage`. README.md next to this file specifies it, from the
 * gateway facts of docs/signing.md, docs/errors.md and docs/endpoints.md#apis, and lists the
 * choices made on UNCONFIRMED points.
 */
import Aedes from 'aedes';
import type { PublishPacket } from 'aedes';
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

import {
	PRODUCTS,
	checkMissing,
	findApi,
	isAllowed,
	parseParams,
	type ApiContext,
	type ApiDef,
	type MqttDeliveryInput,
	type OnsDeliveryInput,
	type Product,
} from './apis';
import { parseUrlEncoded, pairsToMap } from './encoding';
import { ApiError, errors, missing } from './errors';
import {
	FAULT_KINDS,
	PRE_FAULTS,
	createPrng,
	defaultKnobs,
	mergeKnobs,
	type FaultKind,
	type Knobs,
	type KnobsPatch,
} from './knobs';
import { SlidingWindows, effectiveQuota } from './quota';
import {
	Recorder,
	recordParams,
	type ApiCounters,
	type CallFilter,
	type CallRecord,
	type MqttDelivery,
	type OnsDelivery,
} from './records';
import {
	World,
	defaultSeed,
	loadSeedFile,
	parseSeed,
	type AccessKey,
	type Consumer,
	type Seed,
	type SeedInput,
	type StoredMessage,
} from './seed';
import {
	parseAcs3Authorization,
	parseAcsTimestamp,
	safeEqual,
	sha256Hex,
	v2Signature,
	v2StringToSign,
	v3Canonical,
	v3Signature,
	type Acs3Authorization,
} from './signature';
import { toXml } from './xml';
import { MqHttpProtocol, isMqHttpPath } from './mqHttp/protocol';
import { mqHttpInspection, mqHttpMethods, type MqHttpMethods } from './mqHttp/methods';

export interface EmulatorOptions {
	/** Interface to bind, default `127.0.0.1`. */
	host?: string;
	/** HTTP port, default 0 (random). */
	port?: number;
	/** MQTT port, default 0 (random). */
	mqttPort?: number;
	/** Start the MQTT broker (default true). */
	mqtt?: boolean;
	/** A seed object, or the path of a seed JSON file; default `test/emulator/seed.json`. */
	seed?: SeedInput | string;
	/** Initial knobs, merged into the defaults. */
	knobs?: KnobsPatch;
	/** Region used in `HostId` (`onsmqtt.<region>.aliyuncs.com`), default `cn-hangzhou`. */
	regionId?: string;
	/** Node's `maxHeaderSize`; the official SDK puts `Payload` in the URL. Default 1 MiB. */
	maxHeaderSize?: number;
	/** Larger bodies are refused with `InvalidParameter` (400). Default 8 MiB. */
	maxBodyBytes?: number;
	/** Use the first `X-Forwarded-For` address as the source IP (per-IP quota tests). */
	trustForwardedFor?: boolean;
}

export interface ResetOptions {
	/** Replace the seed (and keep it for later resets). */
	seed?: SeedInput;
	/** Keep the current knobs instead of restoring the creation-time knobs. */
	keepKnobs?: boolean;
}

export interface Emulator extends MqHttpMethods {
	/** Base URL for every product, e.g. `http://127.0.0.1:18080`. */
	readonly url: string;
	/** `mqtt://127.0.0.1:<port>`, or '' when the broker is disabled. */
	readonly mqttUrl: string;
	readonly host: string;
	readonly port: number;
	readonly mqttPort: number;
	/** Live resources (keys, instances, groups, consumers, stored messages). */
	readonly state: World;
	readonly broker: Aedes | null;
	/** Emits `call` (CallRecord), `mqtt` (MqttDelivery) and `ons` (OnsDelivery). */
	readonly events: EventEmitter;
	knobs(): Knobs;
	setKnobs(patch: KnobsPatch): Knobs;
	calls(filter?: CallFilter): CallRecord[];
	mqttDeliveries(filter?: { topic?: string; since?: number }): MqttDelivery[];
	onsDeliveries(filter?: { since?: number }): OnsDelivery[];
	counters(): Record<string, ApiCounters>;
	reset(options?: ResetOptions): void;
	setConsumers(instanceId: string, groupId: string, consumers: Consumer[]): void;
	close(): Promise<void>;
}

type SigVersion = 'v2' | 'v3';
type Format = 'JSON' | 'XML';

interface Call {
	req: IncomingMessage;
	res: ServerResponse;
	body: Buffer;
	sourceIp: string;
	requestId: string;
	record: CallRecord;
	format: Format;
	product?: Product;
	api?: ApiDef;
}

interface Answer {
	status: number;
	body: object;
	error?: ApiError;
}

const ACS3_PREFIX = 'ACS3-HMAC-SHA256 ';
const V2_COMMON = [
	'AccessKeyId',
	'Signature',
	'SignatureMethod',
	'SignatureVersion',
	'SignatureNonce',
	'Timestamp',
];
const V3_REQUIRED_HEADERS = ['x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'];

function header(req: IncomingMessage, name: string): string | undefined {
	const v = req.headers[name];
	return Array.isArray(v) ? v.join(',') : v;
}

function normalizeIp(ip: string | undefined): string {
	if (!ip) return 'unknown';
	return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function newMsgId(): string {
	return randomBytes(16).toString('hex').toUpperCase();
}

function resolveSeed(seed: SeedInput | string | undefined): Seed {
	if (seed === undefined) return defaultSeed();
	if (typeof seed === 'string') return loadSeedFile(seed);
	return parseSeed(seed);
}

export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const host = options.host ?? '127.0.0.1';
	const regionId = options.regionId ?? 'cn-hangzhou';
	const maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
	let seed = resolveSeed(options.seed);
	const initialKnobs = mergeKnobs(defaultKnobs(), options.knobs ?? {});
	let knobs = initialKnobs;
	let world = new World(seed);
	const recorder = new Recorder();
	const windows = new SlidingWindows(1000);
	const events = new EventEmitter();
	events.setMaxListeners(0);
	let nonces = new Map<string, number>();
	let faultRandom = createPrng(knobs.randomSeed);
	let jitterRandom = createPrng(knobs.randomSeed ^ 0x5bd1e995);
	let closed = false;
	const sleepers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

	const now = () => Date.now() + knobs.clockSkewMs;

	function sleep(ms: number): Promise<void> {
		if (ms <= 0 || closed) return Promise.resolve();
		return new Promise((resolve) => {
			const entry = {
				timer: setTimeout(() => {
					sleepers.delete(entry);
					resolve();
				}, ms),
				resolve,
			};
			sleepers.add(entry);
		});
	}

	function applyKnobs(next: Knobs): Knobs {
		const reseed = next.randomSeed !== knobs.randomSeed;
		knobs = next;
		if (reseed) {
			faultRandom = createPrng(knobs.randomSeed);
			jitterRandom = createPrng(knobs.randomSeed ^ 0x5bd1e995);
		}
		return knobs;
	}

	// ---------- MQTT broker ----------
	const broker = options.mqtt === false ? null : new Aedes({ maxClientsIdLength: 256 });
	const mqttSockets = new Set<Socket>();
	broker?.on('publish', (packet, client) => {
		// Broker clients only: SendMessage is forwarded where it is published, with its instance.
		if (client) {
			mqHttp.forwardMqtt({
				topic: packet.topic,
				payload: Buffer.from(packet.payload),
				qos: packet.qos,
				clientId: client.id,
				cleanSession: client.clean,
			});
		}
	});
	const mqttServer = broker
		? net.createServer((socket) => {
				mqttSockets.add(socket);
				socket.on('close', () => mqttSockets.delete(socket));
				broker.handle(socket);
			})
		: null;

	function publish(d: MqttDeliveryInput, requestId: string): Promise<void> {
		const duplicate = recorder.duplicate('SendMessage', [
			d.instanceId,
			d.topic,
			d.payload.toString('base64'),
		]);
		const delivery: MqttDelivery = {
			seq: recorder.nextSeq(),
			time: new Date().toISOString(),
			requestId,
			instanceId: d.instanceId,
			topic: d.topic,
			payloadBase64: d.payload.toString('base64'),
			bytes: d.payload.length,
			msgId: d.msgId,
			duplicate,
		};
		recorder.addMqtt(delivery, knobs.maxRecords);
		events.emit('mqtt', delivery);
		mqHttp.forwardMqtt({
			topic: d.topic,
			payload: d.payload,
			qos: 1,
			mqttInstanceId: d.instanceId,
		});
		if (!broker) return Promise.resolve();
		const packet: PublishPacket = {
			cmd: 'publish',
			topic: d.topic,
			payload: d.payload,
			qos: 1,
			retain: false,
			dup: false,
		};
		return new Promise((resolve, reject) =>
			broker.publish(packet, (err) => (err ? reject(err) : resolve())),
		);
	}

	function recordOnsPush(d: OnsDeliveryInput, requestId: string): void {
		const duplicate = recorder.duplicate('OnsMessagePush', [
			d.instanceId,
			d.topic,
			d.groupId,
			d.clientId,
			d.sourceMsgId,
		]);
		const delivery: OnsDelivery = {
			seq: recorder.nextSeq(),
			time: new Date().toISOString(),
			requestId,
			instanceId: d.instanceId,
			topic: d.topic,
			groupId: d.groupId,
			clientId: d.clientId,
			sourceMsgId: d.sourceMsgId,
			msgId: d.msgId,
			bodyBase64: Buffer.from(d.body, 'utf8').toString('base64'),
			duplicate,
		};
		recorder.addOns(delivery, knobs.maxRecords);
		events.emit('ons', delivery);
	}

	// ---------- scripted outcomes and random faults ----------
	function takeScript(action: string, phase: 'throttle' | 'fault'): FaultKind | 'throttle' | null {
		const index = knobs.script.findIndex((e) => !e.action || e.action === action);
		if (index === -1) return null;
		const entry = knobs.script[index];
		if ((phase === 'throttle') !== (entry.fault === 'throttle')) return null;
		knobs = { ...knobs, script: knobs.script.filter((_, i) => i !== index) };
		return entry.fault;
	}

	function pickFault(api: Pick<ApiDef, 'action' | 'send'>): FaultKind | null {
		const scripted = takeScript(api.action, 'fault');
		if (scripted && scripted !== 'throttle') return scripted;
		if (knobs.faultActions.length > 0 && !knobs.faultActions.includes(api.action)) return null;
		const r = faultRandom();
		let acc = 0;
		for (const kind of FAULT_KINDS) {
			if (kind === 'sendMessageFailed' && !api.send) continue;
			acc += knobs.faults[kind];
			if (r < acc) return kind;
		}
		return null;
	}

	const mqHttp = new MqHttpProtocol({
		world: () => world,
		knobs: () => knobs,
		now,
		recorder,
		windows,
		events,
		pickFault: (action, send) => pickFault({ action, send }),
		scriptedThrottle: (action) => takeScript(action, 'throttle') === 'throttle',
		latency,
		sleep,
		isClosed: () => closed,
	});

	// ---------- the gateway pipeline ----------
	function hostId(call: Call): string {
		return call.product
			? `${call.product.code}.${regionId}.aliyuncs.com`
			: (header(call.req, 'host') ?? host);
	}

	function errorBody(call: Call, e: ApiError): object {
		const recommend = call.product
			? `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(e.code)}&product=${call.product.name}&requestId=${call.requestId}`
			: `https://error-center.aliyun.com/status/search?Keyword=${encodeURIComponent(e.code)}&source=PopGw`;
		return {
			RequestId: call.requestId,
			HostId: hostId(call),
			Code: e.code,
			Message: e.message,
			Recommend: recommend,
			...e.extra,
		};
	}

	/** Routing, parameter presence and authentication, in the order README.md here lists. */
	function authenticate(call: Call, params: Map<string, string>, query: Map<string, string>) {
		const { req, record } = call;
		const method = req.method ?? 'GET';
		if (method !== 'GET' && method !== 'POST') throw errors.unsupportedMethod();
		const url = req.url ?? '/';
		const q = url.indexOf('?');
		const path = q === -1 ? url : url.slice(0, q);
		if (path !== '/') throw errors.apiNotFound();

		const authorization = header(req, 'authorization');
		let sig: SigVersion;
		if (authorization?.startsWith(ACS3_PREFIX)) sig = 'v3';
		else if (params.has('Signature') || params.has('AccessKeyId') || params.has('Action')) {
			sig = 'v2';
		} else if (authorization !== undefined || header(req, 'x-acs-action') !== undefined) sig = 'v3';
		else sig = 'v2';
		record.signatureVersion = sig;

		if (sig === 'v2') {
			const format = params.get('Format');
			if (format === undefined || format.toUpperCase() === 'XML') call.format = 'XML';
			else if (format.toUpperCase() === 'JSON') call.format = 'JSON';
			else throw errors.invalidFormat();
		} else {
			const accept = (header(req, 'accept') ?? '').toLowerCase();
			call.format = accept.includes('xml') && !accept.includes('json') ? 'XML' : 'JSON';
		}

		// product and API resolution
		const version = sig === 'v2' ? params.get('Version') : header(req, 'x-acs-version');
		const action = sig === 'v2' ? params.get('Action') : header(req, 'x-acs-action');
		record.version = version ?? null;
		record.action = action ?? null;
		if (!version) throw missing('Version');
		const product = PRODUCTS[version];
		if (!product) throw errors.invalidVersion();
		call.product = product;
		record.api = product.code;
		const api = action ? findApi(product.code, action) : undefined;
		if (!api) throw errors.apiNotFound();
		call.api = api;

		// missing parameters (common, then the API's own)
		let auth: Acs3Authorization | null = null;
		if (sig === 'v2') {
			for (const name of V2_COMMON) if (!params.get(name)) throw missing(name);
			if (params.get('SignatureMethod') !== 'HMAC-SHA1') throw errors.invalidSignatureMethod();
			if (params.get('SignatureVersion') !== '1.0') throw errors.invalidSignatureVersion();
		} else {
			if (!authorization) throw errors.incompleteSignature('The Authorization header is missing.');
			if (!authorization.startsWith(ACS3_PREFIX)) throw errors.invalidSignatureMethod();
			auth = parseAcs3Authorization(authorization);
			if (!auth) throw errors.incompleteSignature('The Authorization header is malformed.');
			for (const name of V3_REQUIRED_HEADERS) {
				if (!header(req, name)) throw errors.incompleteSignature(`The header ${name} is missing.`);
			}
			const mustSign = Object.keys(req.headers).filter(
				(h) =>
					h === 'host' || h.startsWith('x-acs-') || (h === 'content-type' && call.body.length > 0),
			);
			const unsigned = mustSign.filter((h) => !auth?.signedHeaders.includes(h));
			if (unsigned.length > 0) {
				throw errors.incompleteSignature(
					`SignedHeaders must include host, content-type (with a body) and every x-acs-* header; missing: ${unsigned.sort().join(';')}.`,
				);
			}
		}
		checkMissing(api, params);

		// AccessKey
		const keyId = sig === 'v2' ? (params.get('AccessKeyId') ?? '') : (auth?.credential ?? '');
		record.accessKeyId = keyId;
		const key = world.keys.get(keyId);
		if (!key) throw errors.keyNotFound();
		if (key.disabled) throw errors.keyInactive();

		// timestamp format and skew
		const timestamp = (sig === 'v2' ? params.get('Timestamp') : header(req, 'x-acs-date')) ?? '';
		const t = parseAcsTimestamp(timestamp);
		if (t === null) throw errors.timestampFormat();
		const serverNow = now();
		if (Math.abs(serverNow - t) > knobs.timestampWindowMs) throw errors.timestampExpired();

		// nonce
		const nonce =
			(sig === 'v2' ? params.get('SignatureNonce') : header(req, 'x-acs-signature-nonce')) ?? '';
		record.nonce = nonce;
		const nonceKey = `${keyId}\n${nonce}`;
		pruneNonces(serverNow);
		if (nonces.has(nonceKey)) throw errors.nonceUsed();

		// signature
		if (sig === 'v2') {
			const { stringToSign } = v2StringToSign(method, params.entries());
			const expected = v2Signature(stringToSign, key.accessKeySecret);
			if (!safeEqual(expected, params.get('Signature') ?? '')) {
				throw errors.signatureV2(stringToSign);
			}
		} else if (auth) {
			const payloadHash = sha256Hex(call.body);
			const canonical = v3Canonical({
				method,
				path,
				query: query.entries(),
				signedHeaders: auth.signedHeaders,
				headerValues: (name) => req.headersDistinct[name],
				payloadHash,
			});
			const expected = v3Signature(canonical.stringToSign, key.accessKeySecret);
			if (
				header(req, 'x-acs-content-sha256') !== payloadHash ||
				!safeEqual(expected, auth.signature)
			) {
				throw errors.signatureV3(canonical.stringToSign);
			}
		}
		nonces.set(nonceKey, serverNow);

		// STS token
		const token = sig === 'v2' ? params.get('SecurityToken') : header(req, 'x-acs-security-token');
		if (key.securityToken !== undefined) {
			if (token !== key.securityToken) throw errors.tokenMismatch();
			const expires = key.securityTokenExpiresAt ? Date.parse(key.securityTokenExpiresAt) : NaN;
			if (!Number.isNaN(expires) && expires <= serverNow) throw errors.tokenExpired();
		} else if (token) {
			throw errors.tokenMalformed();
		}

		// RAM permission
		if (!isAllowed(key, api)) {
			throw errors.forbiddenRam(
				`${api.product === 'sts' ? 'sts' : 'mq'}:${api.action}`,
				key.identity.userName ?? keyId,
			);
		}
		return { api, key };
	}

	function pruneNonces(serverNow: number): void {
		if (knobs.nonceTtlMs === 0) return;
		for (const [k, at] of nonces) {
			if (serverNow - at < knobs.nonceTtlMs) break;
			nonces.delete(k);
		}
	}

	function throttle(call: Call, api: ApiDef, key: AccessKey): void {
		const quota = effectiveQuota(api, knobs);
		const t = Date.now();
		const accountKey = `${key.accountId}|${api.product}:${api.action}`;
		const ipKey = `ip:${call.sourceIp}|${api.product}:${api.action}`;
		const over =
			takeScript(api.action, 'throttle') === 'throttle' ||
			(quota.account !== undefined && windows.count(accountKey, t) >= quota.account) ||
			(quota.ip !== undefined && windows.count(ipKey, t) >= quota.ip);
		if (over) {
			call.record.throttled = true;
			const e =
				api.product === 'onsmqtt' && knobs.mqttThrottleCode === 'SystemOverFlow'
					? errors.systemOverFlow()
					: errors.throttlingUser();
			if (knobs.retryAfterMs === null) throw e;
			throw new ApiError(e.code, e.status, e.message, e.extra, {
				'x-acs-retry-after': String(knobs.retryAfterMs),
			});
		}
		if (quota.account !== undefined) windows.add(accountKey, t);
		if (quota.ip !== undefined) windows.add(ipKey, t);
	}

	function apiContext(call: Call, key: AccessKey, params: Map<string, string>): ApiContext {
		return {
			requestId: call.requestId,
			world,
			key,
			raw: params,
			maxPayloadBytes: knobs.maxPayloadBytes,
			newMsgId: () => {
				const id = newMsgId();
				call.record.msgId = id;
				return id;
			},
			publishMqtt: (d) => publish(d, call.requestId),
			recordOnsPush: (d) => recordOnsPush(d, call.requestId),
			mqHttp: {
				store: mqHttp.store,
				baseUrl: `http://${header(call.req, 'host') ?? `${host}:${port}`}`,
				keyIndexDelayMs: knobs.mqHttp.keyIndexDelayMs,
			},
		};
	}

	function write(call: Call, answer: Answer): void {
		const { res } = call;
		if (res.destroyed || res.writableEnded || call.req.socket.destroyed) return;
		const root = answer.error ? 'Error' : `${call.api?.action ?? 'Api'}Response`;
		const text = call.format === 'XML' ? toXml(root, answer.body) : JSON.stringify(answer.body);
		const buffer = Buffer.from(text, 'utf8');
		res.writeHead(answer.status, {
			'content-type':
				call.format === 'XML' ? 'text/xml;charset=utf-8' : 'application/json; charset=UTF-8',
			'content-length': buffer.length,
			'x-acs-request-id': call.requestId,
			...(answer.error?.headers ?? {}),
		});
		res.end(buffer);
	}

	function resetSocket(call: Call): void {
		const socket = call.req.socket;
		if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
		else socket.destroy();
	}

	function finish(call: Call, answer: Answer | null, processed: boolean): void {
		const { record } = call;
		const counter = recorder.counter(record.action);
		record.processed = processed;
		if (processed) counter.accepted++;
		if (record.throttled) counter.throttled++;
		if (record.fault) counter.faults[record.fault] = (counter.faults[record.fault] ?? 0) + 1;
		if (answer) {
			record.status = answer.status;
			record.code = answer.error ? answer.error.code : 'OK';
			if (answer.error) {
				counter.rejected[answer.error.code] = (counter.rejected[answer.error.code] ?? 0) + 1;
			}
		} else {
			record.status = 0;
			record.code = null;
		}
		recorder.addCall(record, knobs.maxRecords);
		events.emit('call', record);
	}

	async function latency(): Promise<void> {
		const jitter = knobs.jitterMs > 0 ? (jitterRandom() * 2 - 1) * knobs.jitterMs : 0;
		await sleep(Math.round(Math.max(0, knobs.latencyMs + jitter)));
	}

	async function handleApi(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
		const forwarded = options.trustForwardedFor
			? header(req, 'x-forwarded-for')?.split(',')[0]?.trim()
			: undefined;
		const sourceIp = forwarded || normalizeIp(req.socket.remoteAddress);
		const requestId = randomUUID().toUpperCase();
		const record: CallRecord = {
			seq: recorder.nextSeq(),
			time: new Date().toISOString(),
			requestId,
			method: req.method ?? '',
			api: null,
			action: null,
			version: null,
			signatureVersion: null,
			source: `${sourceIp}:${req.socket.remotePort ?? 0}`,
			accessKeyId: null,
			nonce: null,
			code: null,
			status: 0,
			processed: false,
			throttled: false,
			fault: null,
		};
		if (knobs.recordRaw) {
			record.raw = { url: req.url ?? '', headers: { ...req.headers }, body: body.toString('utf8') };
		}
		const call: Call = { req, res, body, sourceIp, requestId, record, format: 'JSON' };

		let answer: Answer;
		let processed = false;
		let after: FaultKind | null = null;
		try {
			if (body.length > maxBodyBytes) {
				throw new ApiError('InvalidParameter', 400, 'The request body is too large.');
			}
			const url = req.url ?? '/';
			const q = url.indexOf('?');
			const queryPairs = parseUrlEncoded(q === -1 ? '' : url.slice(q + 1));
			const contentType = (header(req, 'content-type') ?? '').toLowerCase();
			const formPairs =
				body.length > 0 && contentType.startsWith('application/x-www-form-urlencoded')
					? parseUrlEncoded(body)
					: [];
			const query = pairsToMap(queryPairs);
			const params = pairsToMap([...queryPairs, ...formPairs]);
			if (knobs.recordParams) record.params = recordParams(params);

			const { api, key } = authenticate(call, params, query);
			throttle(call, api, key);

			const fault = pickFault(api);
			if (fault && PRE_FAULTS.has(fault)) record.fault = fault;
			if (fault === 'internalError') throw errors.internalError();
			if (fault === 'serviceUnavailable') throw errors.serviceUnavailable();
			if (fault === 'resetBeforeProcessing') {
				finish(call, null, false);
				await latency();
				resetSocket(call);
				return;
			}
			const responseBody = await api.handle(
				apiContext(call, key, params),
				parseParams(api, params),
			);
			processed = true;
			if (fault && !PRE_FAULTS.has(fault) && (fault !== 'sendMessageFailed' || api.send)) {
				after = fault;
				record.fault = fault;
			}
			answer = { status: 200, body: responseBody };
		} catch (e) {
			if (!(e instanceof ApiError)) console.error('[apsaramq-emulator] handler failure', e);
			const error = e instanceof ApiError ? e : errors.internalError();
			answer = { status: error.status, body: errorBody(call, error), error };
		}

		if (after === 'sendMessageFailed') {
			const error = errors.sendMessageFailed();
			answer = { status: error.status, body: errorBody(call, error), error };
		}
		if (after === 'resetAfterProcessing') {
			finish(call, null, processed);
			await latency();
			resetSocket(call);
			return;
		}
		if (after === 'stall') {
			finish(call, null, processed);
			await latency();
			await sleep(knobs.stallMs);
			if (closed) return;
			record.status = answer.status;
			record.code = answer.error ? answer.error.code : 'OK';
			write(call, answer);
			return;
		}
		finish(call, answer, processed);
		await latency();
		write(call, answer);
	}

	// ---------- inspection API ----------
	function sendJson(res: ServerResponse, status: number, value: unknown): void {
		const buffer = Buffer.from(JSON.stringify(value), 'utf8');
		res.writeHead(status, {
			'content-type': 'application/json; charset=UTF-8',
			'content-length': buffer.length,
		});
		res.end(buffer);
	}

	function callFilter(search: URLSearchParams): CallFilter {
		const f: CallFilter = {};
		const num = (name: string) => (search.has(name) ? Number(search.get(name)) : undefined);
		for (const name of ['action', 'api', 'code', 'accessKeyId', 'fault'] as const) {
			const v = search.get(name);
			if (v !== null) f[name] = v;
		}
		f.status = num('status');
		f.since = num('since');
		f.limit = num('limit');
		for (const [k, v] of search) {
			if (k.startsWith('param.')) f.params = { ...f.params, [k.slice(6)]: v };
		}
		return f;
	}

	function handleInspection(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
		const url = new URL(req.url ?? '/', 'http://emulator');
		const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
		const json = (): unknown => (body.length ? JSON.parse(body.toString('utf8')) : {});
		const since = url.searchParams.has('since') ? Number(url.searchParams.get('since')) : 0;
		try {
			switch (route) {
				case 'GET /__emulator/calls':
					return sendJson(res, 200, emulator.calls(callFilter(url.searchParams)));
				case 'GET /__emulator/mqtt':
					return sendJson(
						res,
						200,
						emulator.mqttDeliveries({ topic: url.searchParams.get('topic') ?? undefined, since }),
					);
				case 'GET /__emulator/ons':
					return sendJson(res, 200, emulator.onsDeliveries({ since }));
				case 'GET /__emulator/counters':
					return sendJson(res, 200, emulator.counters());
				case 'GET /__emulator/knobs':
					return sendJson(res, 200, knobs);
				case 'POST /__emulator/knobs':
					return sendJson(res, 200, emulator.setKnobs(json() as KnobsPatch));
				case 'GET /__emulator/state':
					return sendJson(res, 200, world.snapshot());
				case 'POST /__emulator/reset':
					emulator.reset(json() as ResetOptions);
					return sendJson(res, 200, { ok: true });
				case 'POST /__emulator/consumers': {
					const b = json() as { instanceId: string; groupId: string; consumers: Consumer[] };
					emulator.setConsumers(b.instanceId, b.groupId, b.consumers);
					return sendJson(res, 200, { ok: true });
				}
				case 'POST /__emulator/messages':
					emulator.addMessage(json() as StoredMessage);
					return sendJson(res, 200, { ok: true });
				case 'POST /__emulator/sink':
					// Unsigned no-op (benchmark baseline): counted as `sink`, answered after the latency.
					recorder.counter('sink').accepted++;
					void latency()
						.then(() => sendJson(res, 200, { ok: true }))
						.catch(() => res.destroy());
					return;
				default: {
					const answer = mqHttpInspection(emulator, route, url.searchParams, json);
					if (answer !== undefined) return sendJson(res, 200, answer);
					return sendJson(res, 404, { error: `No inspection route ${route}` });
				}
			}
		} catch (e) {
			return sendJson(res, 400, { error: (e as Error).message });
		}
	}

	// ---------- HTTP server ----------
	const server = http.createServer(
		{ maxHeaderSize: options.maxHeaderSize ?? 1024 * 1024, keepAlive: true },
		(req, res) => {
			const chunks: Buffer[] = [];
			let size = 0;
			req.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size <= maxBodyBytes + 1) chunks.push(chunk);
			});
			req.on('end', () => {
				const body = Buffer.concat(chunks);
				if ((req.url ?? '').startsWith('/__emulator')) {
					handleInspection(req, res, body);
					return;
				}
				if (isMqHttpPath(req.url)) {
					mqHttp.handle(req, res, body).catch(() => res.destroy());
					return;
				}
				handleApi(req, res, body).catch((e: unknown) => {
					console.error('[apsaramq-emulator] unexpected failure', e);
					if (!res.headersSent) res.destroy();
				});
			});
			req.on('error', () => res.destroy());
		},
	);
	server.keepAliveTimeout = 30_000;
	server.headersTimeout = 35_000;

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	if (mqttServer) {
		await new Promise<void>((resolve, reject) => {
			mqttServer.once('error', (e) => {
				server.close();
				server.closeAllConnections();
				broker?.close();
				reject(e);
			});
			mqttServer.listen(options.mqttPort ?? 0, host, () => {
				mqttServer.removeAllListeners('error');
				resolve();
			});
		});
	}
	const port = (server.address() as AddressInfo).port;
	const mqttPort = mqttServer ? (mqttServer.address() as AddressInfo).port : 0;

	const emulator: Emulator = {
		url: `http://${host}:${port}`,
		mqttUrl: mqttServer ? `mqtt://${host}:${mqttPort}` : '',
		host,
		port,
		mqttPort,
		get state() {
			return world;
		},
		broker,
		events,
		knobs: () => knobs,
		setKnobs: (patch) => applyKnobs(mergeKnobs(knobs, patch)),
		calls: (filter) => recorder.filterCalls(filter),
		mqttDeliveries: (filter = {}) =>
			recorder.mqtt.filter(
				(d) =>
					(filter.topic === undefined || d.topic === filter.topic) &&
					(filter.since === undefined || d.seq > filter.since),
			),
		onsDeliveries: (filter = {}) =>
			recorder.ons.filter((d) => filter.since === undefined || d.seq > filter.since),
		counters: () => recorder.snapshotCounters(),
		reset(opts = {}) {
			if (opts.seed) seed = parseSeed(opts.seed);
			world = new World(seed);
			mqHttp.reset();
			recorder.clear();
			windows.clear();
			nonces = new Map();
			const next = opts.keepKnobs ? knobs : initialKnobs;
			knobs = next;
			faultRandom = createPrng(next.randomSeed);
			jitterRandom = createPrng(next.randomSeed ^ 0x5bd1e995);
		},
		setConsumers: (instanceId, groupId, consumers) =>
			world.setConsumers(instanceId, groupId, consumers),
		...mqHttpMethods(() => mqHttp),
		async close() {
			if (closed) return;
			closed = true;
			mqHttp.close();
			for (const s of sleepers) {
				clearTimeout(s.timer);
				s.resolve();
			}
			sleepers.clear();
			const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			await httpClosed;
			if (mqttServer && broker) {
				const mqttClosed = new Promise<void>((resolve) => mqttServer.close(() => resolve()));
				for (const s of mqttSockets) s.destroy();
				await new Promise<void>((resolve) => broker.close(() => resolve()));
				await mqttClosed;
			}
			events.removeAllListeners();
		},
	};
	return emulator;
}
