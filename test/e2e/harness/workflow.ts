import { createHash } from 'node:crypto';

/** One node of a workflow file, as `import:workflow` reads it. */
export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	[key: string]: unknown;
}

export interface WorkflowFile {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
	>;
	settings: Record<string, unknown>;
	active?: boolean;
	[key: string]: unknown;
}

/** A node without the fields `chainWorkflow` fills in (`id`, `position`; defaults for the rest). */
export interface NodeSpec {
	name: string;
	type: string;
	typeVersion?: number;
	parameters?: Record<string, unknown>;
	credentials?: WorkflowNode['credentials'];
	webhookId?: string;
	onError?: WorkflowNode['onError'];
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	[key: string]: unknown;
}

/** A stable v4-shaped UUID derived from a text (node ids, webhook ids). */
export function stableUuid(text: string): string {
	const hex = createHash('sha256').update(text).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A workflow whose nodes run one after the other along their first output. `nodes[0]` is the
 * trigger (e.g. `manualTrigger()` or `webhookTrigger()`). `extraConnections` adds more (e.g. from an
 * error output: `{ from: 'Call', output: 1, to: 'On Error' }`).
 */
export function chainWorkflow(
	id: string,
	nodes: NodeSpec[],
	options: {
		name?: string;
		settings?: Record<string, unknown>;
		extraConnections?: Array<{ from: string; output: number; to: string }>;
		/** Nodes not chained after the previous one (only reached through `extraConnections`). */
		unchained?: string[];
	} = {},
): WorkflowFile {
	const full: WorkflowNode[] = nodes.map((node, i) => ({
		...node,
		id: stableUuid(`${id}/${node.name}`),
		typeVersion: node.typeVersion ?? 1,
		position: [i * 240, 0],
		parameters: node.parameters ?? {},
	}));
	const connections: WorkflowFile['connections'] = {};
	const connect = (from: string, output: number, to: string) => {
		connections[from] ??= { main: [] };
		const main = connections[from].main;
		while (main.length <= output) main.push([]);
		main[output].push({ node: to, type: 'main', index: 0 });
	};
	const chained = full.filter((node) => !options.unchained?.includes(node.name));
	for (let i = 1; i < chained.length; i++) connect(chained[i - 1].name, 0, chained[i].name);
	for (const extra of options.extraConnections ?? []) connect(extra.from, extra.output, extra.to);
	return {
		id,
		name: options.name ?? id,
		nodes: full,
		connections,
		settings: { executionOrder: 'v1', ...options.settings },
	};
}

/** A workflow whose trigger (`nodes[0]`) feeds every other node in parallel (one experiment each). */
export function fanOutWorkflow(
	id: string,
	trigger: NodeSpec,
	nodes: NodeSpec[],
	options: { name?: string; settings?: Record<string, unknown> } = {},
): WorkflowFile {
	return chainWorkflow(id, [trigger, ...nodes], {
		...options,
		unchained: nodes.map((node) => node.name),
		extraConnections: nodes.map((node) => ({ from: trigger.name, output: 0, to: node.name })),
	});
}

export function manualTrigger(name = 'Start'): NodeSpec {
	return { name, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} };
}

/** Webhook trigger, typeVersion 2, answering with the last node's output (`responseMode: lastNode`). */
export function webhookTrigger(
	webhookPath: string,
	name = 'Webhook',
	httpMethod = 'POST',
): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: stableUuid(`webhook/${webhookPath}`),
		parameters: { httpMethod, path: webhookPath, responseMode: 'lastNode', options: {} },
	};
}

/** A Code node (JavaScript, run once for all items; runs in n8n's task runner). */
export function codeNode(name: string, jsCode: string): NodeSpec {
	return { name, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode } };
}

/** A Code node that outputs `count` items `{ i, text }`. */
export function itemsNode(name: string, count: number): NodeSpec {
	return codeNode(
		name,
		`return Array.from({ length: ${count} }, (_, i) => ({ json: { i, text: 'item-' + i } }));`,
	);
}
