import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AlibabaApi } from '../transport/apis';
import type { CallResult } from '../transport/client';

/** One call, ready to send: the API parameters, and how to turn the answer into output items. */
export interface PreparedCall {
	params: Record<string, string>;
	toOutput(result: CallResult): IDataObject[];
}

/** An operation of the node: its fields, its API, and how to prepare the call for one item. */
export interface Operation {
	api: AlibabaApi;
	description: INodeProperties[];
	/** Reads and validates the item's parameters; throws a NodeOperationError naming the field. */
	prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedCall>;
}

/** Marks what a retry did to a success, so that nothing about it is silent. */
export function retryFields(result: CallResult): IDataObject {
	const fields: IDataObject = {};
	if (result.attempts > 1) fields.attempts = result.attempts;
	if (result.possibleDuplicate) fields.possibleDuplicate = true;
	return fields;
}

export function text(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}
