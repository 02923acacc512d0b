import type { IExecuteFunctions } from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';

import { invalidParameter } from '../validation/parse';

/**
 * The message body of a send from the fields `payloadType`, `payload`, `jsonPayload` and
 * `binaryPropertyName` (docs/interface.md): text as it is, JSON compact, a file as Base64. The
 * labels name the fields in errors as the operation's editor shows them.
 */

/** Field name → label, as fieldLabels() gives it; it must name the three payload fields. */
export type PayloadLabels = Record<string, string>;

export async function readPayload(
	context: IExecuteFunctions,
	itemIndex: number,
	labels: PayloadLabels,
): Promise<{ value: unknown; label: string }> {
	const payloadType = context.getNodeParameter('payloadType', itemIndex) as string;
	if (payloadType === 'json') {
		return { value: compactJson(context, itemIndex, labels.jsonPayload), label: labels.jsonPayload };
	}
	if (payloadType === 'binary') {
		return {
			value: await base64File(context, itemIndex, labels.binaryPropertyName),
			label: `${labels.binaryPropertyName} (Base64)`,
		};
	}
	return { value: context.getNodeParameter('payload', itemIndex), label: labels.payload };
}

function compactJson(context: IExecuteFunctions, itemIndex: number, label: string): string {
	const value = context.getNodeParameter('jsonPayload', itemIndex);
	if (typeof value !== 'string') {
		if (value === undefined) invalidParameter(context, itemIndex, `"${label}" is empty`);
		return JSON.stringify(value);
	}
	try {
		return JSON.stringify(jsonParse(value));
	} catch (error) {
		const reason = (error as Error).message;
		return invalidParameter(context, itemIndex, `"${label}" is not valid JSON: ${reason}`);
	}
}

async function base64File(context: IExecuteFunctions, itemIndex: number, label: string): Promise<string> {
	const field = context.getNodeParameter('binaryPropertyName', itemIndex);
	const name = typeof field === 'string' ? field.trim() : '';
	const binary = context.getInputData()[itemIndex]?.binary ?? {};
	if (!binary[name]) {
		const available = Object.keys(binary);
		invalidParameter(
			context,
			itemIndex,
			`"${label}": the item has no binary property "${name}"`,
			available.length > 0
				? `Binary properties of this item: ${available.join(', ')}`
				: 'This item carries no binary data. Add a node before this one that reads or downloads the file.',
		);
	}
	const buffer = await context.helpers.getBinaryDataBuffer(itemIndex, name);
	return buffer.toString('base64');
}
