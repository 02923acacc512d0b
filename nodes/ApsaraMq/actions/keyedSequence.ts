/**
 * Runs the work of one key strictly after the work of the same key started before it has
 * settled, while work of other keys (and work without a key) runs in parallel. Publish RocketMQ
 * Message uses the sharding key: RocketMQ keeps the order of an ordered topic per sharding key
 * only in the order the messages reach the broker, so a producer must send one key's messages one
 * after another (docs/mq-http-protocol.md#ordered-delivery). Finished keys are forgotten, so
 * memory follows the keys in flight, not the batch.
 */
export class KeyedSequence {
	private readonly tails = new Map<string, Promise<void>>();

	async run<T>(key: string | undefined, work: () => Promise<T>): Promise<T> {
		if (key === undefined) return await work();
		const previous = this.tails.get(key) ?? Promise.resolve();
		const result = previous.then(work);
		const tail = result.then(
			() => undefined,
			() => undefined,
		);
		this.tails.set(key, tail);
		void tail.then(() => {
			if (this.tails.get(key) === tail) this.tails.delete(key);
		});
		return await result;
	}

	/** Keys with work in flight or waiting (for tests). */
	get pendingKeys(): number {
		return this.tails.size;
	}
}
