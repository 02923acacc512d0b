// PostgreSQL and Redis for n8n's queue mode, as plain processes on free loopback ports with their
// data in a temporary folder: no system service, nothing left behind. Debian's packages are
// installed by test/e2e/install-queue-services.sh when missing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import { repoRoot } from './install';
import { freePort } from './instance';

export interface QueueServiceBinaries {
	/** The folder of `initdb`, `pg_ctl` and `postgres` (Debian keeps them off PATH). */
	postgresBin: string;
	redisServer: string;
}

export interface RunningService {
	port: number;
	/** The process ids to measure (Postgres: the postmaster; its backends are its children). */
	pid: number;
	stop(): Promise<void>;
}

export const POSTGRES_DATABASE = { database: 'n8n', user: 'n8n', password: 'n8n-queue-e2e' };

/** Installs PostgreSQL and Redis with apt-get when missing (as root), and tells where they are. */
export function ensureQueueServices(): QueueServiceBinaries {
	const script = path.join(repoRoot(), 'test', 'e2e', 'install-queue-services.sh');
	const result = spawnSync('bash', [script], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	if (result.status !== 0) {
		throw new Error(`${script} failed (exit ${result.status}):\n${result.stderr.slice(-4000)}`);
	}
	const lastLine = result.stdout.trim().split('\n').pop() ?? '';
	return JSON.parse(lastLine) as QueueServiceBinaries;
}

/** Postgres refuses to run as root: as root, run its tools as the `postgres` user Debian created. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
	return process.getuid?.() === 0
		? ['runuser', ['-u', 'postgres', '--', command, ...args]]
		: [command, args];
}

function runOrThrow(command: string, args: string[], what: string): void {
	const [cmd, argv] = asPostgresUser(command, args);
	const result = spawnSync(cmd, argv, { encoding: 'utf8' });
	if (result.status !== 0) {
		throw new Error(`${what} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
	}
}

function postgresOwnedFolder(folder: string): string {
	mkdirSync(folder, { recursive: true });
	if (process.getuid?.() === 0) {
		const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
		const uid = Number(ids.stdout.trim());
		const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
		// the temporary root is mkdtemp's 0700 folder: let the postgres user through it
		spawnSync('chmod', ['755', path.dirname(folder)]);
		chownSync(folder, uid, gid);
	}
	return folder;
}

/**
 * A fresh Postgres cluster in `<root>/postgres` on a free port of 127.0.0.1 (socket in the same
 * folder), with the database and user n8n connects as. About 1–2 s.
 */
export async function startPostgres(
	binaries: QueueServiceBinaries,
	root: string,
): Promise<RunningService> {
	const folder = postgresOwnedFolder(path.join(root, 'postgres'));
	const dataDir = path.join(folder, 'data');
	const port = await freePort();
	const bin = (name: string) => path.join(binaries.postgresBin, name);
	runOrThrow(bin('initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres'], 'initdb');
	runOrThrow(
		bin('pg_ctl'),
		[
			'-D',
			dataDir,
			'-l',
			path.join(folder, 'postgres.log'),
			'-o',
			`-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off`,
			'-w',
			'start',
		],
		'pg_ctl start',
	);
	const { database, user, password } = POSTGRES_DATABASE;
	const stop = async () => {
		const [cmd, argv] = asPostgresUser(bin('pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
		spawnSync(cmd, argv, { encoding: 'utf8' });
	};
	let created = false;
	try {
		// two -c: CREATE DATABASE may not share a transaction with another statement
		runOrThrow(
			bin('psql'),
			[
				...['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1'],
				...['-c', `CREATE USER ${user} PASSWORD '${password}'`],
				...['-c', `CREATE DATABASE ${database} OWNER ${user}`],
			],
			'creating the n8n database',
		);
		created = true;
	} finally {
		if (!created) await stop();
	}
	const pidLine = spawnSync('head', ['-n', '1', path.join(dataDir, 'postmaster.pid')], {
		encoding: 'utf8',
	}).stdout;
	return {
		port,
		pid: Number(pidLine.trim()),
		stop,
	};
}

/** Redis on a free port of 127.0.0.1, in memory only (no snapshot, no append-only file). */
export async function startRedis(
	binaries: QueueServiceBinaries,
	root: string,
): Promise<RunningService> {
	const folder = path.join(root, 'redis');
	mkdirSync(folder, { recursive: true });
	const port = await freePort();
	const child: ChildProcess = spawn(
		binaries.redisServer,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			folder,
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let output = '';
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`redis-server not ready in 20 s:\n${output}`)),
			20_000,
		);
		child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
			output += chunk;
			if (output.includes('Ready to accept connections')) {
				clearTimeout(timer);
				resolve();
			}
		});
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
		});
	});
	const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
	return {
		port,
		pid: child.pid ?? -1,
		stop: async () => {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				await exited;
			}
		},
	};
}

/** Runs one SQL statement against n8n's database and returns the rows, cells split by `|`. */
export function queryN8nDatabase(
	binaries: QueueServiceBinaries,
	postgresPort: number,
	sql: string,
): string[][] {
	const { database, user, password } = POSTGRES_DATABASE;
	const result = spawnSync(
		path.join(binaries.postgresBin, 'psql'),
		[
			'-h',
			'127.0.0.1',
			'-p',
			String(postgresPort),
			'-U',
			user,
			'-d',
			database,
			'-At',
			'-F',
			'|',
			'-c',
			sql,
		],
		{ encoding: 'utf8', env: { ...process.env, PGPASSWORD: password } },
	);
	if (result.status !== 0) throw new Error(`psql: ${result.stderr}`);
	return result.stdout
		.split('\n')
		.filter((line) => line !== '')
		.map((line) => line.split('|'));
}
