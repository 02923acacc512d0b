import type { XmlElement } from '../../ApsaraMq/transport/mqHttp/xml';
import { childElements, childText, parseXml } from '../../ApsaraMq/transport/mqHttp/xml';
import type { Delivery, RefusedHandle } from '../consume/delivery';
import { parseProperties } from '../consume/properties';

/** The `<Message>` children of a ConsumeMessage answer (docs/trigger.md#deliveries). */
export function deliveriesOf(root: XmlElement | undefined): Delivery[] {
	if (!root || root.name !== 'Messages') return [];
	return childElements(root, 'Message').map((message) => {
		const text = (name: string) => childText(message, name) ?? '';
		const number = (name: string) => Number(text(name)) || 0;
		return {
			messageId: text('MessageId'),
			receiptHandle: text('ReceiptHandle'),
			body: text('MessageBody'),
			bodyMd5: text('MessageBodyMD5'),
			tag: text('MessageTag'),
			properties: parseProperties(text('Properties')),
			publishTime: number('PublishTime'),
			firstConsumeTime: number('FirstConsumeTime'),
			nextConsumeTime: number('NextConsumeTime'),
			consumedTimes: number('ConsumedTimes'),
		};
	});
}

/**
 * The handles an AckMessage answer refused: HTTP 404 with `<Errors>`, one `<Error>` per handle
 * (ErrorCode, ErrorMessage, ReceiptHandle); handles not listed were acknowledged. Undefined when
 * the answer is not that shape.
 */
export function refusedHandlesOf(body: string): RefusedHandle[] | undefined {
	let root: XmlElement;
	try {
		root = parseXml(body);
	} catch {
		return undefined;
	}
	if (root.name !== 'Errors') return undefined;
	return childElements(root, 'Error').map((error) => ({
		receiptHandle: childText(error, 'ReceiptHandle') ?? '',
		code: childText(error, 'ErrorCode') ?? 'ReceiptHandleError',
		message: childText(error, 'ErrorMessage') ?? '',
	}));
}
