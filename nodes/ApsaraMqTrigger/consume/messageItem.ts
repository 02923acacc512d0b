import type { IDataObject } from 'n8n-workflow';

import type { Delivery } from './delivery';

/** The message key property (`KEYS`), searchable with OnsMessageGetByKey. */
const KEY_PROPERTY = 'KEYS';

export interface ItemContext {
	topic: string;
	instanceId: string;
	groupId: string;
	parseJson: boolean;
}

function parsedBody(body: string, parseJson: boolean): unknown {
	if (!parseJson) return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		// Not JSON: the text as it came, so that no message is dropped for its body.
		return body;
	}
}

function isoTime(milliseconds: number): string | null {
	return Number.isFinite(milliseconds) && milliseconds > 0
		? new Date(milliseconds).toISOString()
		: null;
}

/** The `json` of the item emitted for one delivery (names fixed by docs/interface.md). */
export function messageItem(delivery: Delivery, context: ItemContext): IDataObject {
	return {
		messageId: delivery.messageId,
		body: parsedBody(delivery.body, context.parseJson) as IDataObject[keyof IDataObject],
		tag: delivery.tag,
		messageKey: delivery.properties[KEY_PROPERTY] ?? '',
		properties: { ...delivery.properties },
		publishTime: isoTime(delivery.publishTime),
		firstConsumeTime: isoTime(delivery.firstConsumeTime),
		consumedTimes: delivery.consumedTimes,
		topic: context.topic,
		instanceId: context.instanceId,
		groupId: context.groupId,
	};
}
