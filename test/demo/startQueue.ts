// `npm run start:queue`: the `npm start` playground in n8n's queue mode. Postgres and Redis (from
// Debian, installed when missing), n8n main and two workers with this package, the emulator, the
// credential, both example workflows and the queue-mode batch workflow. Prints the same banner as
// `npm start`, then one line per execution saying which worker ran it, until Ctrl-C, which stops
// and deletes it all.
//
// Ports (environment): APSARAMQ_DEMO_N8N_PORT (5678), APSARAMQ_DEMO_EMULATOR_PORT (18080),
// APSARAMQ_DEMO_MQTT_PORT (18830).
import { rmSync } from 'node:fs';

import { createEmulator } from '../emulator';
import { QUEUE_BATCH, queueBatchWorkflow } from '../e2e/fixtures/queue-batch';
import {
	emulatorCredential,
	EXAMPLE_CREDENTIAL,
	EXAMPLES,
	loadExample,
	makeFilesDir,
	placeExampleCsv,
	spreadsheetExample,
	subscribeMqtt,
} from '../e2e/harness/apsaramq';
import { startQueueCluster, type QueueCluster } from '../e2e/harness/queue';
import { assertPortFree, Cleanup, ensureN8nWithMessage, portFromEnv } from './environment';
import { bannerLines, DEMO_OWNER } from './start';

const log = (line = '') => console.log(line);
const time = () => new Date().toISOString().slice(11, 19);

/** Prints one line per execution a worker starts or finishes, with its workflow. */
function watchWorkers(cluster: QueueCluster): () => void {
	const seen = new Map<string, number>();
	const timer = setInterval(() => {
		let workflows: Map<string, string> | undefined;
		for (const worker of cluster.workers) {
			for (const verb of ['started', 'finished'] as const) {
				const ids = verb === 'started' ? worker.startedExecutions() : worker.finishedExecutions();
				const key = `${worker.name}/${verb}`;
				for (const id of ids.slice(seen.get(key) ?? 0)) {
					workflows ??= new Map(cluster.executions().map((row) => [row.id, row.workflowId]));
					log(
						`${time()} [${worker.name}] ${verb} execution ${id} (workflow ${workflows.get(id) ?? '?'})`,
					);
				}
				seen.set(key, ids.length);
			}
		}
	}, 500);
	return () => clearInterval(timer);
}

async function main(): Promise<void> {
	const cleanup = new Cleanup();
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		log(
			'Stopping n8n (main and workers), Postgres, Redis and the emulator, deleting their folders …',
		);
		await cleanup.run();
		log('Stopped.');
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	try {
		const n8nPort = portFromEnv('APSARAMQ_DEMO_N8N_PORT', 5678);
		const emulatorPort = portFromEnv('APSARAMQ_DEMO_EMULATOR_PORT', 18080);
		const mqttPort = portFromEnv('APSARAMQ_DEMO_MQTT_PORT', 18830);
		await assertPortFree(n8nPort, 'n8n', 'APSARAMQ_DEMO_N8N_PORT');
		await assertPortFree(emulatorPort, 'ApsaraMQ emulator', 'APSARAMQ_DEMO_EMULATOR_PORT');
		await assertPortFree(mqttPort, 'MQTT broker', 'APSARAMQ_DEMO_MQTT_PORT');
		const started = Date.now();
		await ensureN8nWithMessage(log);

		const emulator = await createEmulator({ port: emulatorPort, mqttPort });
		cleanup.add(() => emulator.close());
		const filesDir = makeFilesDir('apsaramq-demo-files-');
		cleanup.add(() => rmSync(filesDir, { recursive: true, force: true }));
		const csvPath = placeExampleCsv(filesDir);

		log('Starting Postgres, Redis, n8n main and two workers in queue mode (about a minute) …');
		const cluster = await startQueueCluster({
			port: n8nPort,
			env: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir },
			log: (line) => log(`  ${line}`),
			prepare: async (n8n) => {
				await n8n.importCredentials([emulatorCredential(emulator.url, EXAMPLE_CREDENTIAL)]);
				await n8n.importWorkflow([
					loadExample(EXAMPLES.webhook.file),
					spreadsheetExample(csvPath),
					queueBatchWorkflow(),
				]);
				await n8n.publishWorkflow(EXAMPLES.webhook.id);
				await n8n.publishWorkflow(QUEUE_BATCH.id);
			},
		});
		cleanup.add(() => cluster.dispose());
		await cluster.main.createOwnerAndLogin(cluster.url, DEMO_OWNER);
		cleanup.add(watchWorkers(cluster));
		// what a real subscriber receives, as in `npm start`
		const subscriber = await subscribeMqtt(emulator.mqttUrl, '#');
		cleanup.add(() => subscriber.close());
		subscriber.client.on('message', (topic, payload) => {
			const text = payload.toString('utf8');
			log(
				`${time()} [MQTT subscriber] ${topic}  ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`,
			);
		});

		for (const line of bannerLines({
			n8nUrl: cluster.url,
			seconds: Math.round((Date.now() - started) / 1000),
			emulatorUrl: emulator.url,
			mqttUrl: emulator.mqttUrl,
			mqttPort: emulator.mqttPort,
			csvPath,
			filesDir,
		})) {
			log(line);
		}
		const batchUrl = `${cluster.url}/webhook/${QUEUE_BATCH.webhookPath}`;
		log('Queue mode:');
		log(`  Postgres 127.0.0.1:${cluster.postgres.port}, Redis 127.0.0.1:${cluster.redis.port}`);
		log(
			`  workers   ${cluster.workers.map((worker) => `${worker.name} (pid ${worker.pid})`).join(', ')}`,
		);
		log(
			'  Production webhooks run on the workers; each line below says which worker ran which execution.',
		);
		log(`  A 2,000-message batch on one worker (answers at once, watch the lines below):`);
		log(
			`    curl -X POST ${batchUrl} -H 'content-type: application/json' -d '{"run":"try1","count":2000}'`,
		);
		log('');
	} catch (error) {
		console.error(
			`\nnpm run start:queue failed: ${error instanceof Error ? error.message : String(error)}`,
		);
		await stop(1);
	}
}

void main();
