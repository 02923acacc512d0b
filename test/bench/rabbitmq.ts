/**
 * A RabbitMQ server of the bench's own (Debian's `rabbitmq-server`, installed by
 * `install-rabbitmq.sh` here): a plain child process, not a system service, on free loopback
 * ports, with its data, logs, cookie, config and its own epmd in a temporary folder, so that it
 * clashes neither with a system RabbitMQ nor with another run. Publishing goes through `amqplib`,
 * the AMQP client n8n's RabbitMQ nodes use, loaded from the n8n install (no dependency of ours).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort, repoRoot, type N8nInstall } from '../e2e/harness';

/** The part of amqplib 0.10's promise API the bench uses. */
interface AmqpChannel {
	assertQueue(queue: string, options?: { durable?: boolean }): Promise<{ messageCount: number }>;
	purgeQueue(queue: string): Promise<unknown>;
	checkQueue(queue: string): Promise<{ messageCount: number; consumerCount: number }>;
	sendToQueue(queue: string, content: Buffer, options?: { persistent?: boolean }): boolean;
	waitForConfirms(): Promise<void>;
	close(): Promise<void>;
}
interface AmqpConnection {
	createConfirmChannel(): Promise<AmqpChannel>;
	close(): Promise<void>;
}
interface Amqplib {
	connect(url: string): Promise<AmqpConnection>;
}

export interface RabbitMq {
	/** `amqp://guest:guest@127.0.0.1:<port>` (RabbitMQ lets `guest` in from loopback only). */
	url: string;
	port: number;
	/** The server's process (its Erlang VM runs in its process group). */
	pid: number;
	version: string;
	/** The n8n credential fields of type `rabbitmq` for this server. */
	credentialData: Record<string, unknown>;
	/** Declares a durable queue (empty). */
	createQueue(queue: string): Promise<void>;
	/** Publishes `count` persistent JSON messages `{ n }` with publisher confirms. */
	publish(queue: string, count: number): Promise<void>;
	/** Messages ready in a queue, and its consumers. */
	queueState(queue: string): Promise<{ messageCount: number; consumerCount: number }>;
	/** Stops the server and its epmd, and deletes the folder. */
	stop(): Promise<void>;
}

function log(message: string): void {
	console.log(`[rabbitmq] ${message}`);
}

/** Runs install-rabbitmq.sh (apt-get install when missing); the server script's path. */
export function ensureRabbitMq(): { rabbitmqServer: string } {
	const script = path.join(repoRoot(), 'test', 'bench', 'install-rabbitmq.sh');
	const result = spawnSync('bash', [script], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	if (result.status !== 0) throw new Error(`install-rabbitmq.sh exited with ${result.status}`);
	const last = result.stdout.trim().split('\n').pop() ?? '';
	const paths = JSON.parse(last) as { rabbitmqServer: string };
	// Debian's /usr/sbin wrapper switches to the rabbitmq user as root, who cannot write our
	// temporary folder: the script it wraps runs as whoever starts it.
	const direct = '/usr/lib/rabbitmq/bin/rabbitmq-server';
	return {
		rabbitmqServer: spawnSync('test', ['-x', direct]).status === 0 ? direct : paths.rabbitmqServer,
	};
}

function loadAmqplib(install: N8nInstall): Amqplib {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(path.join(install.dir, 'node_modules', 'amqplib')) as Amqplib;
}

function amqplibVersion(install: N8nInstall): string {
	const file = path.join(install.dir, 'node_modules', 'amqplib', 'package.json');
	return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

async function exited(child: ChildProcess, timeoutMs: number): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	await new Promise<void>((resolve) => {
		const timer = setTimeout(() => {
			killGroup(child, 'SIGKILL');
			resolve();
		}, timeoutMs);
		child.once('close', () => {
			clearTimeout(timer);
			resolve();
		});
	});
}

/** Starts a RabbitMQ node and its epmd, and resolves once an AMQP connection opens. */
export async function startRabbitMq(
	install: N8nInstall,
	options: { timeoutMs?: number } = {},
): Promise<RabbitMq> {
	const { rabbitmqServer } = ensureRabbitMq();
	const amqplib = loadAmqplib(install);
	const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-rabbitmq-'));
	const [amqpPort, distPort, epmdPort] = [await freePort(), await freePort(), await freePort()];
	const nodeName = `bench${amqpPort}@localhost`;
	const configFile = path.join(dir, 'rabbitmq.conf');
	writeFileSync(
		configFile,
		[
			`listeners.tcp.default = 127.0.0.1:${amqpPort}`,
			'loopback_users.guest = true',
			// The bench machine may have little free disk; the default 50 MB limit is enough.
			'disk_free_limit.absolute = 50MB',
			'log.console = false',
			'log.file.level = warning',
			'',
		].join('\n'),
	);
	writeFileSync(path.join(dir, 'enabled_plugins'), '[].\n');
	writeFileSync(path.join(dir, 'rabbitmq-env.conf'), '');
	// The Erlang cookie lives in $HOME; a fresh one per run, readable by its owner only.
	writeFileSync(path.join(dir, '.erlang.cookie'), `BENCH${amqpPort}${Date.now()}`, { mode: 0o400 });
	const env: NodeJS.ProcessEnv = {
		...process.env,
		HOME: dir,
		RABBITMQ_NODENAME: nodeName,
		RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
		RABBITMQ_NODE_PORT: String(amqpPort),
		RABBITMQ_DIST_PORT: String(distPort),
		ERL_EPMD_PORT: String(epmdPort),
		ERL_EPMD_ADDRESS: '127.0.0.1',
		RABBITMQ_CONFIG_FILE: configFile,
		RABBITMQ_CONF_ENV_FILE: path.join(dir, 'rabbitmq-env.conf'),
		RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
		RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
		RABBITMQ_LOG_BASE: path.join(dir, 'log'),
		RABBITMQ_PID_FILE: path.join(dir, 'rabbitmq.pid'),
	};
	// Our own epmd on its own port, in the foreground, so that stopping it is ours to do.
	const epmdBin = spawnSync('sh', ['-c', 'ls /usr/lib/erlang/erts-*/bin/epmd | tail -n 1'], {
		encoding: 'utf8',
	}).stdout.trim();
	const epmd = spawn(epmdBin || 'epmd', ['-port', String(epmdPort), '-address', '127.0.0.1'], {
		env,
		cwd: dir,
		detached: true,
		stdio: 'ignore',
	});
	const server = spawn(rabbitmqServer, [], {
		env,
		cwd: dir,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	server.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
	server.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

	const stop = async () => {
		killGroup(server, 'SIGTERM');
		await exited(server, 20_000);
		killGroup(epmd, 'SIGTERM');
		await exited(epmd, 5_000);
		rmSync(dir, { recursive: true, force: true });
	};

	const url = `amqp://guest:guest@127.0.0.1:${amqpPort}`;
	const began = Date.now();
	const deadline = began + (options.timeoutMs ?? 120_000);
	let connection: AmqpConnection | undefined;
	while (!connection) {
		if (server.exitCode !== null || Date.now() > deadline) {
			const why = server.exitCode !== null ? `exited with ${server.exitCode}` : 'not ready in time';
			await stop();
			throw new Error(`rabbitmq-server ${why}\n${output.slice(-3000)}`);
		}
		connection = await amqplib.connect(url).catch(() => undefined);
		if (!connection) await new Promise((resolve) => setTimeout(resolve, 500));
	}
	const channel = await connection.createConfirmChannel();
	const version = /RabbitMQ ([0-9.]+)/.exec(output)?.[1] ?? 'unknown';
	log(
		`RabbitMQ ${version} (${nodeName}, amqplib ${amqplibVersion(install)}) ready on 127.0.0.1:${amqpPort} in ${((Date.now() - began) / 1000).toFixed(1)} s`,
	);

	return {
		url,
		port: amqpPort,
		pid: server.pid ?? -1,
		version,
		credentialData: {
			hostname: '127.0.0.1',
			port: amqpPort,
			username: 'guest',
			password: 'guest',
			vhost: '/',
			ssl: false,
		},
		createQueue: async (queue) => {
			await channel.assertQueue(queue, { durable: true });
			await channel.purgeQueue(queue);
		},
		publish: async (queue, count) => {
			for (let n = 0; n < count; n++) {
				channel.sendToQueue(queue, Buffer.from(JSON.stringify({ n })), { persistent: true });
				// Bounded batches of confirms: the broker stores them before the next batch is sent.
				if (n % 500 === 499) await channel.waitForConfirms();
			}
			await channel.waitForConfirms();
		},
		queueState: async (queue) => await channel.checkQueue(queue),
		stop: async () => {
			await channel.close().catch(() => undefined);
			await connection.close().catch(() => undefined);
			await stop();
		},
	};
}
