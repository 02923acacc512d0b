/**
 * What the ApsaraMQ Trigger's end-to-end tests ask a running n8n 2.41.1 through its REST API:
 * activate a workflow, list its executions (page by page), and find which message IDs one
 * execution's stored run data holds.
 */
import type { RestSession } from './instance';

export interface ExecutionSummary {
	id: string;
	status: string;
	workflowId: string;
	startedAt?: string | null;
	stoppedAt?: string | null;
}

/** `POST /rest/workflows/{id}/activate` with the workflow's current version. */
export async function activateWorkflow(session: RestSession, workflowId: string): Promise<void> {
	const { versionId } = await session.rest<{ versionId: string }>(
		'GET',
		`/rest/workflows/${workflowId}`,
	);
	await session.rest('POST', `/rest/workflows/${workflowId}/activate`, { versionId });
}

export async function deactivateWorkflow(session: RestSession, workflowId: string): Promise<void> {
	await session.rest('POST', `/rest/workflows/${workflowId}/deactivate`, {});
}

/** Every execution of a workflow, through GET /rest/executions, page by page (n8n 2.41's cursor). */
export async function executionsOf(
	session: RestSession,
	workflowId: string,
): Promise<ExecutionSummary[]> {
	const all: ExecutionSummary[] = [];
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	let cursor: string | undefined;
	for (;;) {
		const page = await session.rest<{ results: ExecutionSummary[]; nextCursor?: string | null }>(
			'GET',
			`/rest/executions?filter=${filter}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
		);
		all.push(...page.results);
		if (!page.nextCursor || page.results.length === 0) return all;
		cursor = page.nextCursor;
	}
}

/** One execution's stored run data, as the flatted text n8n 2.41 keeps. */
export async function executionData(session: RestSession, executionId: string): Promise<string> {
	const execution = await session.rest<{ data: string }>('GET', `/rest/executions/${executionId}`);
	return execution.data;
}

/** The known message IDs (32 upper-case hex digits) that appear in one execution's run data. */
export async function messageIdsIn(
	session: RestSession,
	executionId: string,
	known: Set<string>,
): Promise<string[]> {
	const data = await executionData(session, executionId);
	const found = new Set(data.match(/[0-9A-F]{32}/g) ?? []);
	return [...found].filter((id) => known.has(id));
}

export const isFinished = (execution: ExecutionSummary) =>
	execution.status !== 'running' && execution.status !== 'new';
