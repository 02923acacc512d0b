/**
 * The RocketMQ HTTP protocol on the emulator's base URL: `/topics/{topic}/messages` with POST
 * (PublishMessage), GET (ConsumeMessage) and DELETE (AckMessage), answered in Alibaba's XML
 * (docs/mq-http-server.md). The pipeline mirrors the OpenAPI side: routing, authentication,
 * resources, instance TPS, faults before processing, processing, faults after processing.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { pairsToMap, parseUrlEncoded } from '../encoding';
import { PRE_FAULTS, type FaultKind, type Knobs } from '../knobs';
import type { Recorder, CallRecord } from '../records';
import type { SlidingWindows } from '../quota';
import type { OnsGroup, OnsInstance, OnsTopic, World } from '../seed';
import { Consumption, type ConsumeRequest } from './consumption';
import { MqHttpError, mqErrors, outOfRange } from './errors';
import { forwardedMessages, type MqttPublish } from './forwarding';
import { formatProperties } from './properties';
import { MESSAGE_TYPE, checkPublish, readPublishBody } from './publish';
import { RocketMqStore } from './store';
import { verifyMqRequest } from './verify';
import { readLeafDocument, writeDocument, type XmlValue } from './xml';

export const MQ_VERSION = '2015-06-06';
export type MqAction = 'PublishMessage' | 'ConsumeMessage' | 'AckMessage';

/** What the protocol needs from the emulator that hosts it. */
export interface ProtocolHost {
	world(): World;
	knobs(): Knobs;
	/** The emulator's clock, with its skew knob. */
	now(): number;
	recorder: Recorder;
	windows: SlidingWindows;
	events: EventEmitter;
	/** A scripted or random fault for this action (the OpenAPI side's draw). */
	pickFault(action: MqAction, send: boolean): FaultKind | null;
	/** Whether a scripted `throttle` entry is due for this action. */
	scriptedThrottle(action: MqAction): boolean;
	latency(): Promise<void>;
	sleep(ms: number): Promise<void>;
	isClosed(): boolean;
}

interface Answer {
	status: number;
	xml?: string;
	error?: MqHttpError;
}

const PATH = /^\/topics\/([^/?]+)\/messages$/;
const QUERY_ITEMS = new Set(['ns', 'consumer', 'numOfMessages', 'waitseconds', 'tag', 'trans']);
const ACTIONS: Record<string, MqAction> = {
	POST: 'PublishMessage',
	GET: 'ConsumeMessage',
	DELETE: 'AckMessage',
};

export function isMqHttpPath(url: string | undefined): boolean {
	return (url ?? '').startsWith('/topics/');
}

function header(req: IncomingMessage, name: string): string | undefined {
	const v = req.headers[name];
	return Array.isArray(v) ? v.join(',') : v;
}

export function md5Upper(text: string): string {
	return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
}

export class MqHttpProtocol {
	store: RocketMqStore;
	consumption: Consumption;

	constructor(private readonly host: ProtocolHost) {
		this.store = new RocketMqStore(host.world(), () => Date.now());
		this.consumption = new Consumption(this.store, () => host.knobs().mqHttp);
	}

	/** A new world (emulator reset): a new store; pending long polls are answered at once. */
	reset(): void {
		this.consumption.close();
		this.store = new RocketMqStore(this.host.world(), () => Date.now());
		this.consumption = new Consumption(this.store, () => this.host.knobs().mqHttp);
	}

	close(): void {
		this.consumption.close();
	}

	/** Stores what the forwarding rules make of one MQTT publish. */
	forwardMqtt(publish: MqttPublish): void {
		for (const message of forwardedMessages(this.host.world().forwarding, publish)) {
			if (this.host.world().onsInstances.get(message.instanceId)) this.store.add(message);
		}
	}

	async handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
		const { host } = this;
		const knobs = host.knobs();
		const requestId = randomBytes(12).toString('hex').toUpperCase();
		const method = req.method ?? '';
		const action = ACTIONS[method] ?? null;
		const record: CallRecord = {
			seq: host.recorder.nextSeq(),
			time: new Date().toISOString(),
			requestId,
			method,
			api: 'mq',
			action,
			version: MQ_VERSION,
			signatureVersion: 'mq',
			source: `${req.socket.remoteAddress ?? 'unknown'}:${req.socket.remotePort ?? 0}`.replace(
				/^::ffff:/,
				'',
			),
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

		let answer: Answer;
		let processed = false;
		let after: FaultKind | null = null;
		try {
			const url = req.url ?? '/';
			const q = url.indexOf('?');
			const path = q === -1 ? url : url.slice(0, q);
			const match = PATH.exec(path);
			if (!match)
				throw mqErrors.invalidRequestUrl(`No resource ${path}: use /topics/{topic}/messages.`);
			if (!action) throw mqErrors.invalidRequestUrl(`The method ${method} is not supported.`);
			const query = pairsToMap(parseUrlEncoded(q === -1 ? '' : url.slice(q + 1)));
			if (knobs.recordParams) record.params = Object.fromEntries(query);
			for (const name of query.keys())
				if (!QUERY_ITEMS.has(name)) throw mqErrors.invalidQueryString(name);
			const topicName = decodeURIComponent(match[1]);

			verifyMqRequest({
				req,
				body,
				world: host.world(),
				now: host.now(),
				windowMs: knobs.timestampWindowMs,
				ramAction: action === 'PublishMessage' ? 'mq:PUB' : 'mq:SUB',
				onKey: (id) => (record.accessKeyId = id),
			});

			const { instance, topic } = this.resolveTopic(query.get('ns'), topicName);
			const trans = query.get('trans');
			if (trans !== undefined && !(action === 'ConsumeMessage' && trans === 'order')) {
				throw mqErrors.invalidArgument(
					`trans=${trans} is not supported: transactional messages are not emulated.`,
				);
			}
			const group =
				action === 'PublishMessage' ? null : this.resolveGroup(instance, query.get('consumer'));
			this.throttle(record, action, instance);

			const fault = host.pickFault(action, action === 'PublishMessage');
			if (fault && PRE_FAULTS.has(fault)) record.fault = fault;
			if (fault === 'internalError') throw mqErrors.internalError();
			if (fault === 'serviceUnavailable') throw mqErrors.serviceUnavailable();
			if (fault === 'resetBeforeProcessing') {
				this.finish(record, null, false);
				await host.latency();
				resetSocket(req);
				return;
			}

			if (action === 'PublishMessage') {
				answer = this.publish(record, instance, topic, body);
			} else if (action === 'ConsumeMessage' && group) {
				answer = await this.consume(req, res, instance, topic, group, query);
			} else if (group) {
				answer = this.ack(instance, topic, group, body);
			} else {
				throw mqErrors.internalError();
			}
			processed = answer.status < 300 || answer.xml?.includes('<Errors') === true;
			if (
				fault &&
				!PRE_FAULTS.has(fault) &&
				(fault !== 'sendMessageFailed' || action === 'PublishMessage')
			) {
				after = fault;
				record.fault = fault;
			}
		} catch (e) {
			if (!(e instanceof MqHttpError)) console.error('[apsaramq-emulator] mq http failure', e);
			const error = e instanceof MqHttpError ? e : mqErrors.internalError();
			answer = this.errorAnswer(req, requestId, error);
		}

		if (after === 'sendMessageFailed')
			answer = this.errorAnswer(req, requestId, mqErrors.internalError());
		if (after === 'resetAfterProcessing') {
			this.finish(record, null, processed);
			await host.latency();
			resetSocket(req);
			return;
		}
		if (after === 'stall') {
			this.finish(record, null, processed);
			await host.latency();
			await host.sleep(knobs.stallMs);
			if (host.isClosed()) return;
			record.status = answer.status;
			record.code = answer.error ? answer.error.code : 'OK';
			write(res, requestId, answer);
			return;
		}
		this.finish(record, answer, processed);
		await host.latency();
		write(res, requestId, answer);
	}

	/**
	 * `ns` names the instance; required when the instance has its own namespace (README
	 * decisions: TopicNotExist when it is missing). Without `ns`, the instance without a
	 * namespace that holds the topic.
	 */
	private resolveTopic(
		ns: string | undefined,
		topicName: string,
	): { instance: OnsInstance; topic: OnsTopic } {
		const world = this.host.world();
		if (ns) {
			const instance = world.onsInstances.get(ns);
			if (!instance) throw mqErrors.topicNotExist(`The instance ${ns} (ns) does not exist.`);
			const topic = world.onsTopic(instance, topicName);
			if (!topic) throw mqErrors.topicNotExist(`The topic ${topicName} does not exist in ${ns}.`);
			return { instance, topic };
		}
		for (const instance of world.onsInstances.values()) {
			const topic = world.onsTopic(instance, topicName);
			if (!topic) continue;
			if (!instance.independentNaming) return { instance, topic };
			throw mqErrors.topicNotExist(
				`The topic ${topicName} is in instance ${instance.instanceId}, which has its own namespace: pass ns=${instance.instanceId}.`,
			);
		}
		throw mqErrors.topicNotExist(`The topic ${topicName} does not exist.`);
	}

	private resolveGroup(instance: OnsInstance, consumer: string | undefined): OnsGroup {
		if (!consumer)
			throw mqErrors.invalidArgument('The query item consumer (the group ID) is required.');
		const group = this.host.world().onsGroup(instance, consumer);
		if (!group) {
			throw mqErrors.subscriptionNotExist(
				`The group ${consumer} does not exist in ${instance.instanceId}.`,
			);
		}
		if (group.groupType !== 'http') {
			throw mqErrors.subscriptionNotExist(
				`The group ${consumer} is a TCP group; HTTP consumers need a group created with GroupType http.`,
			);
		}
		return group;
	}

	/** Every publish, consume and ack counts against the instance TPS (docs/mq-http-server.md#limits). */
	private throttle(record: CallRecord, action: MqAction, instance: OnsInstance): void {
		const knobs = this.host.knobs();
		if (!knobs.quotas.enabled) return;
		const override = knobs.quotas.overrides[action]?.account;
		const limit =
			override === null
				? undefined
				: (override ?? Math.max(1, Math.floor(instance.maxTps * knobs.quotas.scale)));
		const t = Date.now();
		const key = `mq-tps|${instance.instanceId}`;
		const over =
			this.host.scriptedThrottle(action) ||
			(limit !== undefined && this.host.windows.count(key, t) >= limit);
		if (over) {
			record.throttled = true;
			throw mqErrors.qpsLimitExceeded(instance.instanceId);
		}
		this.host.windows.add(key, t);
	}

	private publish(
		record: CallRecord,
		instance: OnsInstance,
		topic: OnsTopic,
		body: Buffer,
	): Answer {
		const request = readPublishBody(body);
		if (record.params) {
			if (request.tag) record.params.MessageTag = request.tag;
			if (request.propertiesText) record.params.Properties = request.propertiesText.slice(0, 4096);
		}
		checkPublish(topic, request, Date.now());
		const message = this.store.add({
			instanceId: instance.instanceId,
			topic: topic.topic,
			body: request.body,
			tag: request.tag,
			properties: request.properties,
		});
		record.msgId = message.msgId;
		return {
			status: 201,
			xml: writeDocument('Message', {
				MessageId: message.msgId,
				MessageBodyMD5: md5Upper(message.body),
			}),
		};
	}

	private async consume(
		req: IncomingMessage,
		res: ServerResponse,
		instance: OnsInstance,
		topic: OnsTopic,
		group: OnsGroup,
		query: ReadonlyMap<string, string>,
	): Promise<Answer> {
		const request = consumeRequest(instance, topic, group, query);
		// The response closes before it is written only when the client went away: a waiting poll
		// then ends, so no message is handed to a connection nobody reads.
		const aborted = new AbortController();
		res.once('close', () => {
			if (!res.writableEnded) aborted.abort();
		});
		if (req.socket.destroyed) aborted.abort();
		const deliveries = await this.consumption.receive(request, aborted.signal);
		if (deliveries.length === 0) throw mqErrors.messageNotExist();
		const messages: XmlValue[] = deliveries.map((d) => {
			const m = d.message;
			const entry: Record<string, XmlValue> = {
				MessageId: m.msgId,
				ReceiptHandle: d.receiptHandle,
				MessageBodyMD5: md5Upper(m.body),
				MessageBody: m.body,
				PublishTime: m.publishTime ?? 0,
				FirstConsumeTime: d.firstConsumeTime,
				NextConsumeTime: d.nextConsumeTime,
				ConsumedTimes: d.consumedTimes,
			};
			if (m.tag) entry.MessageTag = m.tag;
			entry.Properties = formatProperties(m.properties ?? {});
			return entry;
		});
		return { status: 200, xml: writeDocument('Messages', { Message: messages }) };
	}

	private ack(instance: OnsInstance, topic: OnsTopic, group: OnsGroup, body: Buffer): Answer {
		const handles = readReceiptHandles(body);
		const failures = this.consumption.ack(instance.instanceId, topic.topic, group.groupId, handles);
		if (failures.length === 0) return { status: 204 };
		return {
			status: 404,
			xml: writeDocument('Errors', {
				Error: failures.map((f) => ({
					ErrorCode: f.code,
					ErrorMessage: f.message,
					ReceiptHandle: f.receiptHandle,
				})),
			}),
		};
	}

	private errorAnswer(req: IncomingMessage, requestId: string, error: MqHttpError): Answer {
		return {
			status: error.status,
			error,
			xml: writeDocument('Error', {
				Code: error.code,
				Message: error.message,
				RequestId: requestId,
				HostId: `http://${header(req, 'host') ?? 'localhost'}`,
			}),
		};
	}

	private finish(record: CallRecord, answer: Answer | null, processed: boolean): void {
		const { recorder, events } = this.host;
		const counter = recorder.counter(record.action);
		record.processed = processed;
		if (processed) counter.accepted++;
		if (record.throttled) counter.throttled++;
		if (record.fault) counter.faults[record.fault] = (counter.faults[record.fault] ?? 0) + 1;
		record.status = answer?.status ?? 0;
		record.code = answer ? (answer.error?.code ?? 'OK') : null;
		if (answer?.error)
			counter.rejected[answer.error.code] = (counter.rejected[answer.error.code] ?? 0) + 1;
		recorder.addCall(record, this.host.knobs().maxRecords);
		events.emit('call', record);
	}
}

function consumeRequest(
	instance: OnsInstance,
	topic: OnsTopic,
	group: OnsGroup,
	query: ReadonlyMap<string, string>,
): ConsumeRequest {
	const count = query.get('numOfMessages');
	if (count === undefined)
		throw mqErrors.invalidArgument('The query item numOfMessages is required.');
	const numOfMessages = Number(count);
	if (!/^\d+$/.test(count) || numOfMessages < 1 || numOfMessages > 16)
		throw outOfRange('numOfMessages', 1, 16);
	const wait = query.get('waitseconds') ?? '0';
	const waitSeconds = Number(wait);
	if (!/^\d+$/.test(wait) || waitSeconds > 30) throw outOfRange('waitseconds', 0, 30);
	const ordered = query.get('trans') === 'order';
	if (
		ordered &&
		topic.messageType !== MESSAGE_TYPE.partitionOrder &&
		topic.messageType !== MESSAGE_TYPE.globalOrder
	) {
		throw mqErrors.invalidArgument(
			`trans=order needs an ordered topic; ${topic.topic} is not one.`,
		);
	}
	const tag = query.get('tag');
	return {
		instanceId: instance.instanceId,
		topic: topic.topic,
		groupId: group.groupId,
		numOfMessages,
		waitMs: waitSeconds * 1000,
		tags: tag && tag !== '*' ? tag.split('||') : null,
		ordered,
		globalOrder: topic.messageType === MESSAGE_TYPE.globalOrder,
	};
}

function readReceiptHandles(body: Buffer): string[] {
	if (body.length === 0) throw mqErrors.missingReceiptHandle();
	const doc = readLeafDocument(body);
	if (doc.root !== 'ReceiptHandles')
		throw mqErrors.invalidArgument('The root element must be ReceiptHandles.');
	const handles: string[] = [];
	for (const child of doc.children) {
		if (child.name !== 'ReceiptHandle') {
			throw mqErrors.invalidArgument(`The element ${child.name} is not known in ReceiptHandles.`);
		}
		handles.push(child.text);
	}
	if (handles.length === 0) throw mqErrors.missingReceiptHandle();
	if (handles.length > 16) throw outOfRange('the number of ReceiptHandle', 1, 16);
	return handles;
}

function write(res: ServerResponse, requestId: string, answer: Answer): void {
	if (res.destroyed || res.writableEnded) return;
	const buffer = Buffer.from(answer.xml ?? '', 'utf8');
	res.writeHead(answer.status, {
		'content-type': 'text/xml;charset=utf-8',
		'content-length': buffer.length,
		'x-mq-request-id': requestId,
		'x-mq-version': MQ_VERSION,
		date: new Date().toUTCString(),
	});
	res.end(buffer);
}

function resetSocket(req: IncomingMessage): void {
	const socket = req.socket;
	if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
	else socket.destroy();
}
