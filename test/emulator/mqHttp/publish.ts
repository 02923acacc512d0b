/**
 * PublishMessage: the `<Message>` body, its limits (docs/mq-http-server.md#limits) and the rules
 * of each topic message type.
 */
import type { OnsTopic } from '../seed';
import { mqErrors } from './errors';
import { PROPERTY, parseProperties } from './properties';
import { readLeafDocument } from './xml';

/** ONS `MessageType` values (docs/mq-http-server.md#topics-and-groups). */
export const MESSAGE_TYPE = {
	normal: 0,
	partitionOrder: 1,
	globalOrder: 2,
	transactional: 4,
	timed: 5,
} as const;

export const MAX_BODY_BYTES = 4 * 1024 * 1024;
export const MAX_TIMED_BODY_BYTES = 64 * 1024;
export const MAX_PROPERTIES_BYTES = 16 * 1024;
/** Scheduled delivery is accepted up to 40 days ahead (the instance limit). */
export const MAX_DELIVERY_HORIZON_MS = 40 * 86_400_000;

export interface PublishRequest {
	body: string;
	tag?: string;
	propertiesText?: string;
	properties: Record<string, string>;
}

export function readPublishBody(raw: Buffer): PublishRequest {
	const doc = readLeafDocument(raw);
	if (doc.root !== 'Message') throw mqErrors.invalidArgument('The root element must be Message.');
	const fields = new Map<string, string>();
	for (const child of doc.children) {
		if (!['MessageBody', 'MessageTag', 'Properties'].includes(child.name)) {
			throw mqErrors.invalidArgument(`The element ${child.name} is not known in Message.`);
		}
		if (fields.has(child.name))
			throw mqErrors.invalidArgument(`The element ${child.name} is repeated.`);
		fields.set(child.name, child.text);
	}
	const body = fields.get('MessageBody');
	if (body === undefined || body === '') throw mqErrors.invalidArgument('MessageBody is required.');
	const tag = fields.get('MessageTag') || undefined;
	const propertiesText = fields.get('Properties') || undefined;
	return {
		body,
		tag,
		propertiesText,
		properties: propertiesText ? parseProperties(propertiesText) : {},
	};
}

/** The rules of the topic's message type and the size limits; throws InvalidArgument. */
export function checkPublish(topic: OnsTopic, request: PublishRequest, now: number): void {
	const { properties } = request;
	if (request.tag !== undefined && (request.tag.includes('||') || request.tag.length > 128)) {
		throw mqErrors.invalidArgument(
			'MessageTag must not contain "||" and is at most 128 characters.',
		);
	}
	if (
		request.propertiesText &&
		Buffer.byteLength(request.propertiesText, 'utf8') > MAX_PROPERTIES_BYTES
	) {
		throw mqErrors.invalidArgument(`Properties are limited to ${MAX_PROPERTIES_BYTES} bytes.`);
	}
	if (
		topic.messageType === MESSAGE_TYPE.transactional ||
		properties[PROPERTY.transCheck] !== undefined
	) {
		throw mqErrors.invalidArgument('Transactional messages are not emulated.');
	}
	const ordered =
		topic.messageType === MESSAGE_TYPE.partitionOrder ||
		topic.messageType === MESSAGE_TYPE.globalOrder;
	if (ordered && !properties[PROPERTY.shardingKey]) {
		throw mqErrors.invalidArgument(
			`The ordered topic ${topic.topic} needs the ${PROPERTY.shardingKey} property.`,
		);
	}
	const deliverAt = properties[PROPERTY.startDeliverTime];
	if (deliverAt !== undefined) {
		if (ordered) {
			throw mqErrors.invalidArgument(
				`The ordered topic ${topic.topic} does not take timed messages.`,
			);
		}
		if (!/^\d{1,15}$/.test(deliverAt)) {
			throw mqErrors.invalidArgument(
				`${PROPERTY.startDeliverTime} must be a time in milliseconds.`,
			);
		}
		if (Number(deliverAt) > now + MAX_DELIVERY_HORIZON_MS) {
			throw mqErrors.invalidArgument(`${PROPERTY.startDeliverTime} is more than 40 days ahead.`);
		}
	}
	const timed = deliverAt !== undefined || topic.messageType === MESSAGE_TYPE.timed;
	const limit = timed ? MAX_TIMED_BODY_BYTES : MAX_BODY_BYTES;
	const size = Buffer.byteLength(request.body, 'utf8');
	if (size > limit) {
		throw mqErrors.invalidArgument(
			`MessageBody is ${size} bytes; ${timed ? 'timed' : 'normal and ordered'} messages take at most ${limit} bytes.`,
		);
	}
}
