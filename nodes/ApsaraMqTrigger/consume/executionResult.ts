import type { IRun } from 'n8n-workflow';

import type { ExecutionResult } from './acknowledgeMode';

/**
 * Reads what n8n's done promise resolved to (docs/n8n-behaviour.md#triggers): `undefined` when
 * n8n started nothing because the deduplication key exists; otherwise the run, failed when it has
 * an error or ended as `error`, `crashed` or `canceled`.
 */
export function executionResult(run: IRun | undefined): ExecutionResult {
	if (run === undefined) return 'duplicate';
	if (run.data?.resultData?.error) return 'failed';
	if (run.status === 'error' || run.status === 'crashed' || run.status === 'canceled')
		return 'failed';
	return 'succeeded';
}
