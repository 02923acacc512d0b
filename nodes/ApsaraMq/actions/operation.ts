import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AlibabaApi } from '../transport/apis';
import type { AlibabaClient, CallResult, RetryPolicy } from '../transport/client';

/** One call, ready to send: the API parameters, and how to turn the answer into output items. */
export interface PreparedCall {
	params: Record<string, string>;
	/**
	 * Sends the call itself instead of one OpenAPI call with `params`: for operations on another
	 * protocol (the RocketMQ HTTP protocol), still through the client's pacing and retries.
	 */
	send?(client: AlibabaClient, policy: RetryPolicy, itemIndex: number): Promise<CallResult>;
	toOutput(result: CallResult): IDataObject[];
}

/**
 * An operation of the node: its entry in the Operation dropdown, its API, its fields, and how to
 * prepare the call for one item. The node's description is derived from these (registry.ts).
 */
export interface Operation {
	/** The value saved in workflows: a public name that never changes. */
	value: string;
	/** Its name in the Operation dropdown. */
	name: string;
	/** What the nodes panel lists it as, e.g. "Send an MQTT message". */
	action: string;
	/** One sentence under its name in the dropdown. */
	description: string;
	/** The parameter that names what the operation acts on (a topic, a group): the node's subtitle. */
	target: string;
	api: AlibabaApi;
	/**
	 * Its fields, written without the operation rule: the node shows them only while this
	 * operation is chosen. A field's own rule (e.g. `show: { payloadType: ['json'] }`) is kept.
	 */
	properties: INodeProperties[];
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
