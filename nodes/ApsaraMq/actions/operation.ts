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
	/**
	 * Calls with the same order key are sent one after another, in input order (the sharding key
	 * of an ordered RocketMQ topic); calls without one run in parallel (keyedSequence.ts).
	 */
	orderKey?: string;
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
	/** Set when an API takes several items in one call; used when the input has more than one item. */
	grouping?: ItemGrouping;
}

/**
 * How several prepared items go out as one call of a list API (groupedRouter.ts), e.g. up to 10
 * client IDs per BatchQuerySessionByClientIds. Each item still gets its own output, paired with it.
 */
export interface ItemGrouping {
	api: AlibabaApi;
	/** At most this many items per call. */
	size: number;
	/** Only items with the same key share a call (the same instance). */
	key(call: PreparedCall): string;
	/** The parameters of one call for the items of a group, in input order. */
	params(calls: PreparedCall[]): Record<string, string>;
	/** The output items of each item of the group, in the order of `calls`. */
	split(result: CallResult, calls: PreparedCall[]): IDataObject[][];
}

/** Marks what a retry did to a success, so that nothing about it is silent. */
export function retryFields(result: CallResult): IDataObject {
	const fields: IDataObject = {};
	if (result.attempts > 1) fields.attempts = result.attempts;
	if (result.possibleDuplicate) fields.possibleDuplicate = true;
	return fields;
}
