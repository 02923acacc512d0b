/**
 * Runs `work(0 … count-1)` with at most `concurrency` calls in flight. Workers take the next index
 * only when they are free, so memory grows with the number in flight, not with the batch size,
 * and no new work starts once `stopped()` is true.
 */
export async function forEachConcurrently(
	count: number,
	concurrency: number,
	work: (index: number) => Promise<void>,
	stopped: () => boolean,
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < count && !stopped()) {
			await work(next++);
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker);
	await Promise.all(workers);
}
