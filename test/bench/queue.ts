// `npm run bench:queue`: the package in n8n's queue mode (test/e2e/harness/queue.ts), against the
// emulator without quotas. A 2,000-item batch on one worker (the node's automatic pace, and
// Max Requests per Second 1000 to see what one worker can do); 200 webhook calls, 10 at a time,
// to Send MQTT Message and to Publish RocketMQ Message, over 2 workers, then over 1; the peak RSS (VmHWM) of every process. Writes
// test/bench/results/queue.json and prints it. About 4 minutes; run it alone.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { createEmulator } from '../emulator';
import { QUEUE_BATCH, queueBatchWorkflow, startBatch } from '../e2e/fixtures/queue-batch';
import { QUEUE_PUBLISH, queuePublishWorkflow } from '../e2e/fixtures/queue-publish';
import {
	emulatorCredential,
	EXAMPLE_CREDENTIAL,
	EXAMPLES,
	loadExample,
} from '../e2e/harness/apsaramq';
import { repoRoot } from '../e2e/harness/install';
import { startQueueCluster, type QueueCluster } from '../e2e/harness/queue';
import { processTree, readProcMemory } from '../e2e/harness/rss';
import { waitFor } from '../e2e/harness/wait';

const BATCH = 2000;
const CALLS = 200;
const PARALLEL = 10;

const log = (line: string) => console.log(`[bench:queue] ${line}`);

/** Seconds from the webhook call to the execution's success in Postgres, and the messages per second. */
async function batchFigures(cluster: QueueCluster, run: string, rate: number) {
	const before = new Set(cluster.executions().map((row) => row.id));
	const started = Date.now();
	await startBatch(cluster.url, { run, count: BATCH, rate });
	const execution = await waitFor(
		() =>
			cluster
				.executions()
				.find((row) => !before.has(row.id) && row.status !== 'running' && row.status !== 'new'),
		{ what: `batch ${run}`, timeoutMs: 300_000, intervalMs: 100 },
	);
	const seconds = (Date.now() - started) / 1000;
	return {
		rate: rate || 'automatic',
		status: execution.status,
		worker: cluster.workerOf(execution.id)?.name,
		seconds: Number(seconds.toFixed(2)),
		perSecond: Math.round(BATCH / seconds),
	};
}

/** The webhook of each operation's workflow and the body of call i. */
const WEBHOOKS = {
	sendMqttMessage: {
		path: EXAMPLES.webhook.webhookPath,
		body: (label: string, i: number) => ({ device: `${label}-${i}` }),
	},
	publishRocketMqMessage: {
		path: QUEUE_PUBLISH.webhookPath,
		body: (label: string, i: number) => ({ seq: `w${label}-${i}` }),
	},
};

async function webhookFigures(
	cluster: QueueCluster,
	label: string,
	operation: keyof typeof WEBHOOKS,
) {
	const webhook = WEBHOOKS[operation];
	const before = cluster.workers.map((worker) => worker.startedExecutions().length);
	let next = 0;
	let ok = 0;
	const started = Date.now();
	const caller = async () => {
		while (next < CALLS) {
			const i = next++;
			const response = await fetch(`${cluster.url}/webhook/${webhook.path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(webhook.body(label, i)),
			});
			await response.arrayBuffer();
			if (response.status === 200) ok++;
		}
	};
	await Promise.all(Array.from({ length: PARALLEL }, caller));
	const seconds = (Date.now() - started) / 1000;
	return {
		operation,
		workers: label,
		ok,
		seconds: Number(seconds.toFixed(2)),
		callsPerSecond: Number((CALLS / seconds).toFixed(1)),
		perWorker: Object.fromEntries(
			cluster.workers.map((worker, i) => [
				worker.name,
				worker.startedExecutions().length - before[i],
			]),
		),
	};
}

function peakRssMiB(rootPid: number) {
	return processTree(rootPid)
		.map((pid) => readProcMemory(pid))
		.filter((memory) => memory !== undefined)
		.map((memory) => ({
			pid: memory.pid,
			command: memory.cmdline.slice(0, 80),
			peakMiB: Math.round(memory.hwmKb / 1024),
		}));
}

async function main(): Promise<void> {
	const emulator = await createEmulator({ mqtt: false, knobs: { quotas: { enabled: false } } });
	const cluster = await startQueueCluster({
		log,
		prepare: async (main) => {
			await main.importCredentials([emulatorCredential(emulator.url, EXAMPLE_CREDENTIAL)]);
			await main.importWorkflow([
				loadExample(EXAMPLES.webhook.file),
				queueBatchWorkflow(),
				queuePublishWorkflow(),
			]);
			await main.publishWorkflow(EXAMPLES.webhook.id);
			await main.publishWorkflow(QUEUE_BATCH.id);
			await main.publishWorkflow(QUEUE_PUBLISH.id);
		},
	});
	try {
		const batches = [
			await batchFigures(cluster, 'bench-auto', 0),
			await batchFigures(cluster, 'bench-1000', 1000),
		];
		const webhooks = [
			await webhookFigures(cluster, '2', 'sendMqttMessage'),
			await webhookFigures(cluster, '2', 'publishRocketMqMessage'),
		];
		const memory = {
			main: peakRssMiB(cluster.server.pid),
			...Object.fromEntries(cluster.workers.map((worker) => [worker.name, peakRssMiB(worker.pid)])),
			redis: peakRssMiB(cluster.redis.pid),
			postgres: peakRssMiB(cluster.postgres.pid),
		};
		const second = cluster.workers[1];
		second.signal('SIGTERM');
		await second.exited;
		webhooks.push(await webhookFigures(cluster, '1', 'sendMqttMessage'));
		webhooks.push(await webhookFigures(cluster, '1', 'publishRocketMqMessage'));
		const results = {
			when: new Date().toISOString(),
			setup: `n8n 2.41.1 queue mode, main + 2 workers (--concurrency=5), emulator without quotas, 0 ms latency, ${BATCH}-item batch, ${CALLS} webhook calls ${PARALLEL} at a time`,
			batches,
			webhooks,
			memory,
			emulatorCounters: emulator.counters().total,
		};
		const dir = path.join(repoRoot(), 'test', 'bench', 'results');
		mkdirSync(dir, { recursive: true });
		writeFileSync(path.join(dir, 'queue.json'), `${JSON.stringify(results, null, 2)}\n`);
		console.log(JSON.stringify(results, null, 2));
	} finally {
		await cluster.dispose();
		await emulator.close();
	}
}

void main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
