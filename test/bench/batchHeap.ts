/**
 * Heap of one batch, in process (no n8n): does the memory of an execution grow with the number of
 * items beyond the output items themselves? (issue 10, point 4; docs/quotas-and-retries.md#waits)
 *
 *   node .tooling/test/bench/batchHeap.js [counts=10000,100000,300000] [resultsFile]
 *
 * The node runs Send MQTT Message over `count` items with its default mode (the checking pass,
 * 24 in flight) at 1,000 calls per second on virtual time (every call waits for its pace slot),
 * against a request helper that answers at once. Heap used after a full GC is read:
 * - `during`: at the last request, minus before the run: what the execution holds at its end;
 * - `outputs`: after the run while only its output is kept, minus before the run;
 * - `extra` = during − outputs: what the execution holds besides its output (the checking pass's
 *   bounded cache, the pending waits, …). It must not grow with the count.
 */
import { writeFileSync } from 'fs';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';

import { answer, id, run } from '../nodes/fakeContext';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
	gc();
	gc();
	return process.memoryUsage().heapUsed;
}

interface Figure {
	items: number;
	duringMb: number;
	outputsMb: number;
	extraMb: number;
	extraBytesPerItem: number;
}

async function measure(count: number): Promise<Figure> {
	const items = Array.from({ length: count }, () => ({ json: {} }));
	let requests = 0;
	let during = 0;
	const before = heapAfterGc();
	const { output } = await run({
		items,
		parameters: {
			operation: 'sendMqttMessage',
			instanceId: id('post-cn-0pp12gl0001'),
			mqttTopic: 'TopicA/devices/42',
			payloadType: 'text',
			payload: 'hello',
			options: { maxRequestsPerSecond: 1000 },
		},
		transport: async () => {
			if (++requests === count) during = heapAfterGc() - before;
			return answer(200, { RequestId: 'R', MsgId: 'M' });
		},
	});
	const outputs = heapAfterGc() - before;
	if (output.length !== count) throw new Error(`${output.length} output items for ${count} inputs`);
	const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
	return {
		items: count,
		duringMb: mb(during),
		outputsMb: mb(outputs),
		extraMb: mb(during - outputs),
		extraBytesPerItem: Math.round((during - outputs) / count),
	};
}

async function main(): Promise<void> {
	const counts = (process.argv[2] ?? '10000,100000,300000').split(',').map(Number);
	const figures: Figure[] = [];
	for (const count of counts) {
		const figure = await measure(count);
		figures.push(figure);
		console.log(JSON.stringify(figure));
	}
	if (process.argv[3]) writeFileSync(process.argv[3], `${JSON.stringify(figures, null, 2)}\n`);
}

void main();
