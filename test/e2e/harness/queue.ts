// n8n 2.41.1 in queue mode: Postgres and Redis (services.ts), one main instance and N workers,
// each an n8n process with its own user folder holding this package, all sharing one database, one
// Redis and one encryption key. `startQueueCluster()` starts everything; `dispose()` stops it all
// and deletes the folders. Recipe and timings: README.md#queue-mode.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { repoRoot } from './install';
import { createN8nInstance, type N8nInstance, type RunningN8n } from './instance';
import {
	ensureQueueServices,
	POSTGRES_DATABASE,
	queryN8nDatabase,
	startPostgres,
	startRedis,
	type RunningService,
} from './services';

export interface QueueClusterOptions {
	/** How many workers (default 2). */
	workers?: number;
	/** Executions each worker runs at once (`n8n worker --concurrency`, default 5). */
	concurrency?: number;
	/** Extra environment for every n8n process (main and workers). */
	env?: Record<string, string | undefined>;
	/** Extra environment for the workers only. */
	workerEnv?: Record<string, string | undefined>;
	/** The main instance's port (default: a free one). */
	port?: number;
	log?: (line: string) => void;
}

export interface QueueWorker {
	/** `worker-1`, `worker-2`, … */
	name: string;
	pid: number;
	instance: N8nInstance;
	output(): string;
	/** The execution ids this worker started, in order ("Worker started execution <id>"). */
	startedExecutions(): string[];
	/** The execution ids this worker finished ("Worker finished execution <id>"). */
	finishedExecutions(): string[];
	/** Resolves when the process has exited. */
	exited: Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>;
	/** Sends `signal` to the worker's process group (the worker and its task runner). */
	signal(signal: NodeJS.Signals): void;
}

export interface QueueCluster {
	main: N8nInstance;
	server: RunningN8n;
	workers: QueueWorker[];
	postgres: RunningService;
	redis: RunningService;
	/** `http://127.0.0.1:<port>` of main. */
	url: string;
	/** `[id, status]` of every execution in n8n's database, oldest first. */
	executions(): Array<{ id: string; status: string; workflowId: string }>;
	/** Runs SQL against n8n's database (rows of cells). */
	query(sql: string): string[][];
	/** The worker that started `executionId`, if any. */
	workerOf(executionId: string): QueueWorker | undefined;
	/** Starts one more worker (for example after one was killed). */
	addWorker(): Promise<QueueWorker>;
	dispose(): Promise<void>;
}

/** The environment every process of one cluster shares (docs: n8n's queue-mode configuration). */
function queueEnvironment(postgresPort: number, redisPort: number): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgresPort),
		DB_POSTGRESDB_DATABASE: POSTGRES_DATABASE.database,
		DB_POSTGRESDB_USER: POSTGRES_DATABASE.user,
		DB_POSTGRESDB_PASSWORD: POSTGRES_DATABASE.password,
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		// a worker's SIGTERM waits this long for its running executions (n8n's default is 30 s)
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '120',
	};
}

/** Parses "Worker started execution 12 (job 7)" lines. */
export function executionIdsLogged(output: string, verb: 'started' | 'finished'): string[] {
	const pattern = new RegExp(`Worker ${verb} execution (\\S+) \\(job`, 'g');
	return [...output.matchAll(pattern)].map((match) => match[1]);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (!child.pid) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

async function startWorker(
	instance: N8nInstance,
	name: string,
	concurrency: number,
	extraEnv: Record<string, string | undefined>,
	timeoutMs = 180_000,
): Promise<QueueWorker & { child: ChildProcess }> {
	const env: NodeJS.ProcessEnv = { ...instance.env, ...extraEnv };
	const child = spawn(
		instance.install.nodeBin,
		[instance.install.n8nBin, 'worker', `--concurrency=${concurrency}`],
		{ cwd: instance.userFolder, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let output = '';
	const exited = new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>(
		(resolve) => child.on('close', (exitCode, signal) => resolve({ exitCode, signal })),
	);
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => {
			killGroup(child, 'SIGKILL');
			reject(new Error(`${name}: not ready after ${timeoutMs} ms\n${output.slice(-4000)}`));
		}, timeoutMs);
		const onData = (chunk: string) => {
			output += chunk;
			if (output.includes('n8n worker is now ready')) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout?.setEncoding('utf8').on('data', onData);
		child.stderr?.setEncoding('utf8').on('data', onData);
		void exited.then(({ exitCode, signal }) => {
			clearTimeout(timer);
			reject(
				new Error(
					`${name} exited (${exitCode ?? signal}) before it was ready\n${output.slice(-4000)}`,
				),
			);
		});
	});
	return {
		name,
		pid: child.pid ?? -1,
		child,
		instance,
		output: () => output,
		startedExecutions: () => executionIdsLogged(output, 'started'),
		finishedExecutions: () => executionIdsLogged(output, 'finished'),
		exited,
		signal: (signal) => killGroup(child, signal),
	};
}

/**
 * Postgres, Redis, main and the workers, each n8n process with this package (build it first).
 * Import credentials and workflows through `prepare` (it runs before main starts, so main
 * registers every published workflow's webhook at start).
 */
export async function startQueueCluster(
	options: QueueClusterOptions & { prepare?: (main: N8nInstance) => Promise<void> } = {},
): Promise<QueueCluster> {
	const log = options.log ?? (() => undefined);
	const binaries = ensureQueueServices();
	const root = mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-'));
	const undo: Array<() => Promise<void> | void> = [
		() => rmSync(root, { recursive: true, force: true }),
	];
	const dispose = async () => {
		for (const step of undo.splice(0).reverse()) {
			try {
				await step();
			} catch {
				// best effort: keep cleaning up
			}
		}
	};
	let started = false;
	try {
		const postgres = await startPostgres(binaries, root);
		undo.push(() => postgres.stop());
		const redis = await startRedis(binaries, root);
		undo.push(() => redis.stop());
		log(`Postgres on 127.0.0.1:${postgres.port}, Redis on 127.0.0.1:${redis.port}`);

		const env = { ...queueEnvironment(postgres.port, redis.port), ...options.env };
		const newInstance = async (port?: number) => {
			const instance = await createN8nInstance({
				packageDir: repoRoot(),
				port,
				env,
				tmpRoot: root,
			});
			undo.push(() => instance.dispose());
			return instance;
		};
		const main = await newInstance(options.port);
		// the first command against the empty database runs n8n's migrations
		await options.prepare?.(main);

		const server = await main.start({ timeoutMs: 240_000 });
		undo.push(async () => {
			await server.stop();
		});
		log(`n8n main on ${server.url}`);

		const workers: Array<QueueWorker & { child: ChildProcess }> = [];
		const addWorker = async () => {
			const name = `worker-${workers.length + 1}`;
			const instance = await newInstance();
			const worker = await startWorker(
				instance,
				name,
				options.concurrency ?? 5,
				options.workerEnv ?? {},
			);
			workers.push(worker);
			undo.push(async () => {
				if (worker.child.exitCode === null && worker.child.signalCode === null) {
					killGroup(worker.child, 'SIGTERM');
					const timer = setTimeout(() => killGroup(worker.child, 'SIGKILL'), 15_000);
					await worker.exited;
					clearTimeout(timer);
				}
			});
			log(`n8n ${name} ready (pid ${worker.pid})`);
			return worker;
		};
		// one at a time: two n8n processes starting together take both cores
		for (let i = 0; i < (options.workers ?? 2); i++) await addWorker();

		started = true;
		return {
			main,
			server,
			workers,
			postgres,
			redis,
			url: server.url,
			executions: () =>
				queryN8nDatabase(
					binaries,
					postgres.port,
					'SELECT id, status, "workflowId" FROM execution_entity ORDER BY id',
				).map(([id, status, workflowId]) => ({ id, status, workflowId })),
			query: (sql) => queryN8nDatabase(binaries, postgres.port, sql),
			workerOf: (executionId) =>
				workers.find((worker) => worker.startedExecutions().includes(executionId)),
			addWorker,
			dispose,
		};
	} finally {
		if (!started) await dispose();
	}
}
