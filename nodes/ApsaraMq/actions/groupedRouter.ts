import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { AlibabaClient } from '../transport/client';
import type { RetryPolicy } from '../transport/client';
import { operationError } from '../transport/errors';
import { readBatchSettings, readCallSettings } from './callOptions';
import { forEachConcurrently } from './concurrency';
import type { ItemGrouping, Operation, PreparedCall } from './operation';
import { errorItemBuilder } from './router';

interface Member {
	itemIndex: number;
	policy: RetryPolicy;
	call: PreparedCall;
}

/**
 * The item loop of an operation whose API takes a list: every item is checked first, then items
 * of the same key go out `grouping.size` at a time, paced by the list API's own quota. Each input
 * item yields its output items (or, with "continue on fail", an error item) in input order; a
 * failed call fails each item of its group. Only for reads: a group is retried as a whole.
 */
export async function groupedRouter(
	this: IExecuteFunctions,
	operation: Operation,
	grouping: ItemGrouping,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const errorItem = errorItemBuilder(this.getNode().onError === 'continueErrorOutput');
	const cancelSignal = this.getExecutionCancelSignal();
	const batch = readBatchSettings.call(this, grouping.api, continueOnFail);
	const client = new AlibabaClient(this, () => batch.ratePerSecond);
	const results: INodeExecutionData[][] = new Array(items.length);

	const byKey = new Map<string, Member[]>();
	const check = async (itemIndex: number) => {
		const policy = readCallSettings.call(this, itemIndex, grouping.api).policy;
		const call = await operation.prepare.call(this, itemIndex);
		const key = grouping.key(call);
		byKey.set(key, [...(byKey.get(key) ?? []), { itemIndex, policy, call }]);
	};
	for (let itemIndex = 0; itemIndex < items.length && !cancelSignal?.aborted; itemIndex++) {
		if (!continueOnFail) {
			await check(itemIndex);
			continue;
		}
		try {
			await check(itemIndex);
		} catch (error) {
			results[itemIndex] = [errorItem(error, itemIndex)];
		}
	}
	const groups: Member[][] = [];
	for (const members of byKey.values()) {
		for (let at = 0; at < members.length; at += grouping.size) {
			groups.push(members.slice(at, at + grouping.size));
		}
	}

	let firstFailure: { itemIndex: number; error: Error } | undefined;
	const stopped = () => firstFailure !== undefined || cancelSignal?.aborted === true;
	await forEachConcurrently(
		groups.length,
		batch.concurrency,
		async (index) => {
			const group = groups[index];
			const calls = group.map((member) => member.call);
			try {
				const result = await client.call(
					grouping.api,
					grouping.params(calls),
					group[0].policy,
					group[0].itemIndex,
				);
				grouping.split(result, calls).forEach((outputs, i) => {
					const itemIndex = group[i].itemIndex;
					results[itemIndex] = outputs.map((json) => ({ json, pairedItem: { item: itemIndex } }));
				});
			} catch (error) {
				if (continueOnFail && !cancelSignal?.aborted) {
					for (const { itemIndex } of group) results[itemIndex] = [errorItem(error, itemIndex)];
				} else if (!firstFailure || group[0].itemIndex < firstFailure.itemIndex) {
					firstFailure = { itemIndex: group[0].itemIndex, error };
				}
			}
		},
		stopped,
	);

	if (cancelSignal?.aborted) {
		throw operationError(this.getNode(), 'The execution was cancelled');
	}
	if (firstFailure) throw firstFailure.error;
	return [results.flat()];
}
