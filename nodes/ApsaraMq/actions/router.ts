import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { AlibabaClient } from '../transport/client';
import { failureDetails, operationError } from '../transport/errors';
import { readBatchSettings, readCallSettings } from './callOptions';
import { CheckedCalls, type CheckedItem } from './checkedCalls';
import { forEachConcurrently } from './concurrency';
import { findOperation } from './operations';

interface Failure {
	itemIndex: number;
	error: Error & { description?: string | null };
}

/**
 * The item loop. Items go out concurrently under the API's pace, but the output keeps the input
 * order: each input item yields its output items, or one error item when "continue on fail" is on,
 * all paired with it.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = findOperation(this.getNode(), this.getNodeParameter('operation', 0));
	const { api } = operation;
	const continueOnFail = this.continueOnFail();
	const errorItem = errorItemBuilder(this.getNode().onError === 'continueErrorOutput');
	const cancelSignal = this.getExecutionCancelSignal();

	// Pace and concurrency hold for the whole batch, so they come from the first item.
	const batch = readBatchSettings.call(this, api, continueOnFail);
	// The batch's own API goes at the chosen pace; helper calls (an endpoint or message look-up)
	// at their own automatic pace, under their own quotas.
	const client = new AlibabaClient(this, (called) =>
		called === api ? batch.ratePerSecond : called.automaticRatePerSecond,
	);

	const checkItem = async (itemIndex: number): Promise<CheckedItem> => ({
		policy: readCallSettings.call(this, itemIndex, api).policy,
		call: await operation.prepare.call(this, itemIndex),
	});

	const checked = new CheckedCalls();
	if (!continueOnFail) {
		// Check every item before sending any, so that a bad row in the middle of a batch does not
		// leave the rows before it sent: re-running after the fix would deliver them twice.
		for (let itemIndex = 0; itemIndex < items.length && !cancelSignal?.aborted; itemIndex++) {
			checked.keep(itemIndex, await checkItem(itemIndex));
		}
	}

	const results: INodeExecutionData[][] = new Array(items.length);
	let firstFailure: Failure | undefined;
	let succeeded = 0;
	const stopped = () => firstFailure !== undefined || cancelSignal?.aborted === true;

	await forEachConcurrently(
		items.length,
		batch.concurrency,
		async (itemIndex) => {
			try {
				const { policy, call } = checked.take(itemIndex) ?? (await checkItem(itemIndex));
				const result = call.send
					? await call.send(client, policy, itemIndex)
					: await client.call(api, call.params, policy, itemIndex);
				results[itemIndex] = call.toOutput(result).map((json) => ({
					json,
					pairedItem: { item: itemIndex },
				}));
				succeeded++;
			} catch (error) {
				if (continueOnFail && !cancelSignal?.aborted) {
					results[itemIndex] = [errorItem(error, itemIndex)];
				} else if (!firstFailure || itemIndex < firstFailure.itemIndex) {
					firstFailure = { itemIndex, error };
				}
			}
		},
		stopped,
	);

	if (cancelSignal?.aborted) {
		throw operationError(this.getNode(), 'The execution was cancelled', {
			description: `${succeeded} of ${items.length} items were confirmed sent before the cancellation; calls in flight at that moment may have been delivered too; the others were not sent.`,
		});
	}
	if (firstFailure) {
		const { error } = firstFailure;
		if (succeeded > 0 && api.kind === 'send') {
			const summary = `The node stopped at this failure: ${succeeded} of ${items.length} items had been sent; the others were not sent.`;
			error.description = error.description ? `${error.description}\n${summary}` : summary;
		}
		throw error;
	}
	return [results.flat()];
}

/**
 * The item of a failed input item. On the regular output it is `{ error, code, requestId,
 * httpStatus }` (docs/interface.md#output). n8n 2.41 moves an item to the error output only when its `json`
 * has no keys but `error`, `message` and `details` (and it replaces the `json` of any item whose
 * item-level `error` is set with `{ error }`), so there the same facts travel under `details`.
 */
function errorItemBuilder(toErrorOutput: boolean) {
	return (error: Error, itemIndex: number): INodeExecutionData => {
		const details = failureDetails(error);
		return {
			json: toErrorOutput ? { error: error.message, details } : { error: error.message, ...details },
			pairedItem: { item: itemIndex },
		};
	};
}
