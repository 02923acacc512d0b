import type { INode, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { operationError } from '../transport/errors';
import type { Operation } from './operation';
import * as registry from './registry';

/** The operations of registry.ts, in the order of its lines. */
export const OPERATIONS: readonly Operation[] = Object.values(registry);

/** The operation of a node just added to a workflow. */
const DEFAULT_OPERATION = registry.sendMqttMessage.value;

/** The operation a saved value names; a value this version does not know is a clear error. */
export function findOperation(node: INode, value: unknown): Operation {
	const found = OPERATIONS.find((operation) => operation.value === value);
	if (found) return found;
	throw operationError(node, `Unknown operation "${String(value)}"`, {
		description: `This version of the node has the operations ${OPERATIONS.map((o) => o.value).join(', ')}. The workflow may come from a newer version of n8n-nodes-apsaramq.`,
	});
}

function byName(a: INodePropertyOptions, b: INodePropertyOptions): number {
	return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The Operation dropdown, sorted by name as n8n's lint wants options to be. */
const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: DEFAULT_OPERATION,
	description: 'What to do with Alibaba Cloud ApsaraMQ; each operation has its own fields',
	options: OPERATIONS.map(({ name, value, description, action }) => ({
		name,
		value,
		description,
		action,
	})).sort(byName),
};

/** A field of an operation, shown only while that operation is chosen (and its own rule holds). */
function shownFor(operation: Operation, field: INodeProperties): INodeProperties {
	const own = field.displayOptions;
	return {
		...field,
		displayOptions: { ...own, show: { operation: [operation.value], ...own?.show } },
	};
}

/** The node's properties: the Operation dropdown, then the fields of every operation. */
export const operationProperties: INodeProperties[] = [
	operationProperty,
	...OPERATIONS.flatMap((operation) =>
		operation.properties.map((field) => shownFor(operation, field)),
	),
];

/**
 * The node's subtitle in the editor: what the chosen operation acts on (the MQTT topic, the ONS
 * topic or group). n8n's `$parameter` already gives a resource locator's `value` (n8n-workflow's
 * WorkflowDataProxy reads `{ __rl, mode, value }` for the expression), so the locators need no
 * `.value` here; writing it would show nothing. Only the chosen operation's target is read.
 */
export const operationSubtitle = `={{ $parameter[${JSON.stringify(
	Object.fromEntries(OPERATIONS.map((operation) => [operation.value, operation.target])),
)}[$parameter["operation"]]] }}`;
