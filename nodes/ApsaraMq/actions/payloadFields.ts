import type { INodeProperties } from 'n8n-workflow';

/** What differs between the sends' payload fields: the limits and examples of each protocol. */
export interface PayloadTexts {
	binaryOption: string;
	payloadPlaceholder: string;
	payload: string;
	jsonPayload: string;
}

/**
 * The message body fields shared by the sends (Payload Type, Payload, JSON Payload, Input Binary
 * Field): the same names and behaviour everywhere, read by `readPayload` (payload.ts).
 */
export function payloadFields(texts: PayloadTexts): INodeProperties[] {
	return [
		{
			displayName: 'Payload Type',
			name: 'payloadType',
			type: 'options',
			default: 'text',
			description: 'How to build the message body from the item',
			options: [
				{ name: 'Binary File', value: 'binary', description: texts.binaryOption },
				{
					name: 'JSON',
					value: 'json',
					description: 'Send a JSON value as compact JSON text, by default the whole item',
				},
				{ name: 'Text', value: 'text', description: 'Send the text as it is' },
			],
		},
		{
			displayName: 'Payload',
			name: 'payload',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			placeholder: texts.payloadPlaceholder,
			description: texts.payload,
			displayOptions: { show: { payloadType: ['text'] } },
		},
		{
			displayName: 'JSON Payload',
			name: 'jsonPayload',
			type: 'json',
			default: '={{ $json }}',
			required: true,
			description: texts.jsonPayload,
			displayOptions: { show: { payloadType: ['json'] } },
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			placeholder: 'e.g. data',
			hint: 'The name of the binary property of the input item that holds the file',
			description:
				'The binary property of the input item whose bytes are sent, Base64-encoded. Example: data.',
			displayOptions: { show: { payloadType: ['binary'] } },
		},
	];
}
