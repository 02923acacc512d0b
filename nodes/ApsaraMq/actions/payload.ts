import type { IExecuteFunctions } from 'n8n-workflow';

import { compactJsonText, valueToJson } from '../validation/jsonText';
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

/** JSON text as written (compacted), or an expression's value serialized (validation/jsonText.ts). */
function compactJson(context: IExecuteFunctions, itemIndex: number, label: string): string {
	const value = context.getNodeParameter('jsonPayload', itemIndex);
	if (typeof value !== 'string') {
		if (value === undefined) invalidParameter(context, itemIndex, `"${label}" is empty`);
		try {
			return valueToJson(value);
		} catch (error) {
			const reason = error instanceof RangeError ? 'is nested too deeply to serialize' : cannotSerialize(error);
			return invalidParameter(context, itemIndex, `"${label}" ${reason}`);
		}
	}
	try {
		return compactJsonText(value);
	} catch (error) {
		const reason = (error as Error).message;
		return invalidParameter(context, itemIndex, `"${label}" is not valid JSON: ${reason}`);
	}
}

/** Our own reasons start with a verb; JSON.stringify's (a circular value) are quoted as they are. */
function cannotSerialize(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	if (/^(holds|is) /.test(message)) return message;
	return `cannot be turned into JSON (${/circular/i.test(message) ? 'it refers to itself' : message.split('\n')[0]})`;
}

async function base64File(context: IExecuteFunctions, itemIndex: number, label: string): Promise<string> {
	const field = context.getNodeParameter('binaryPropertyName', itemIndex);
	const name = typeof field === 'string' ? field.trim() : '';
	const binary = context.getInputData()[itemIndex]?.binary ?? {};
	// Own properties only: `toString`, `constructor` or `__proto__` are not files of the item.
	if (!Object.prototype.hasOwnProperty.call(binary, name) || !binary[name]) {
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
