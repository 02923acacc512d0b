/**
 * Polls `probe` until it returns something other than undefined, and returns that. Rejects after
 * `timeoutMs`, naming what it waited for. For what other processes do (n8n writes an execution's
 * status to Postgres a moment after the webhook answered); the bound is generous, never a measure.
 */
export async function waitFor<T>(
	probe: () => T | undefined | Promise<T | undefined>,
	{
		what,
		timeoutMs = 30_000,
		intervalMs = 200,
	}: { what: string; timeoutMs?: number; intervalMs?: number },
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}
