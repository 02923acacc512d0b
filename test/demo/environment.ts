// What `npm start` and `npm run demo` share: the local ApsaraMQ emulator (with its MQTT broker), a
// real n8n 2.41.1 with this package installed, the example credential pointing at the emulator, and
// the two example workflows from examples/ imported (the webhook one published). Everything lives in
// temporary folders that the `Cleanup` passed in deletes.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { createEmulator, type Emulator } from '../emulator';
import {
	TOKEN_SERVER,
	deviceOnboardingExample,
	placeDevicesCsv,
	tokenServerExample,
} from '../e2e/harness/mqttAccessExamples';
import {
	emulatorCredential,
	EXAMPLE_CREDENTIAL,
	EXAMPLES,
	loadExample,
	makeFilesDir,
	placeExampleCsv,
	spreadsheetExample,
} from '../e2e/harness/apsaramq';
import { ensureN8n, repoRoot } from '../e2e/harness/install';
import { createN8nInstance, type N8nInstance } from '../e2e/harness/instance';

export type Log = (line: string) => void;

export interface EnvironmentOptions {
	/** n8n's port (editor, REST, webhooks). Default: a free port. */
	n8nPort?: number;
	/** The emulator's HTTP port (0 = random). */
	emulatorPort?: number;
	/** The emulator's MQTT broker port (0 = random). */
	mqttPort?: number;
	log?: Log;
}

/** Cleanup steps, run last-in first-out, each at most once (also from a signal handler). */
export class Cleanup {
	private steps: Array<() => Promise<void> | void> = [];

	add(step: () => Promise<void> | void): void {
		this.steps.push(step);
	}

	async run(): Promise<void> {
		for (const step of this.steps.splice(0).reverse()) {
			try {
				await step();
			} catch {
				// best effort: keep cleaning up
			}
		}
	}
}

export interface DemoEnvironment {
	emulator: Emulator;
	n8n: N8nInstance;
	/** The folder n8n may read files from (N8N_RESTRICT_FILE_ACCESS_TO). */
	filesDir: string;
	/** The copy of examples/ons-pushes.csv the spreadsheet workflow reads. */
	csvPath: string;
}

/**
 * Where install-n8n.sh keeps (or will put) n8n, computed the way the script does it, so that a
 * first run can say up front that it is about to install.
 */
export function n8nInstallState(): { installed: boolean; dir: string } {
	const root = repoRoot();
	const script = readFileSync(path.join(root, 'test', 'e2e', 'install-n8n.sh'), 'utf8');
	const recipe = /^RECIPE=(\S+)/m.exec(script)?.[1] ?? '';
	const hash = createHash('sha256');
	for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
		hash.update(readFileSync(path.join(root, 'test', 'e2e', 'n8n-install', file)));
	}
	hash.update(`recipe=${recipe}\n`);
	const cacheRoot =
		process.env.APSARAMQ_E2E_CACHE ||
		path.join(
			process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
			'n8n-nodes-apsaramq',
		);
	const dir = path.join(cacheRoot, `n8n-${hash.digest('hex').slice(0, 16)}`);
	const installed =
		!process.env.APSARAMQ_E2E_FORCE && existsSync(path.join(dir, '.install-complete.json'));
	return { installed, dir };
}

/** Installs n8n 2.41.1 + Node.js 24 on first use (saying so), or finds the cached install. */
export async function ensureN8nWithMessage(log: Log): Promise<void> {
	const state = n8nInstallState();
	if (!state.installed) {
		log('');
		log('First run: installing n8n 2.41.1 and Node.js 24 for the demo into');
		log(`  ${state.dir}`);
		log(
			'This happens once and takes about 3-4 minutes (about 2.8 GB); later runs start in seconds.',
		);
		log('');
	}
	const started = Date.now();
	await ensureN8n({ quiet: state.installed });
	if (!state.installed) log(`n8n installed in ${Math.round((Date.now() - started) / 1000)} s.`);
}

/** Resolves if `port` can be bound on 127.0.0.1, rejects with a clear message otherwise. */
export async function assertPortFree(port: number, what: string, variable: string): Promise<void> {
	if (port === 0) return;
	await new Promise<void>((resolve, reject) => {
		const server = createServer();
		server.once('error', (error: NodeJS.ErrnoException) =>
			reject(
				new Error(
					error.code === 'EADDRINUSE'
						? `Port ${port} (${what}) is already in use. Stop whatever uses it, or choose another port: ${variable}=<port>.`
						: `Cannot listen on 127.0.0.1:${port} (${what}): ${error.message}`,
				),
			),
		);
		server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
	});
}

/** A port number from the environment, or the default. */
export function portFromEnv(variable: string, fallback: number): number {
	const raw = process.env[variable];
	if (raw === undefined || raw === '') return fallback;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new Error(`${variable} must be a port number (0-65535), got "${raw}"`);
	}
	return port;
}

/**
 * Starts the emulator, prepares n8n (package, credential, both example workflows, the CSV in an
 * allowed folder) and publishes the webhook workflow. Does not start the n8n server. Everything it
 * creates is undone by `cleanup.run()`.
 */
export async function prepareEnvironment(
	cleanup: Cleanup,
	options: EnvironmentOptions = {},
): Promise<DemoEnvironment> {
	const log = options.log ?? (() => undefined);
	await ensureN8nWithMessage(log);

	if (!existsSync(path.join(repoRoot(), 'dist', 'nodes', 'ApsaraMq', 'ApsaraMq.node.js'))) {
		throw new Error('dist/ is missing: run `npm run build` first (npm start and npm run demo do).');
	}

	const emulator = await createEmulator({
		port: options.emulatorPort ?? 0,
		mqttPort: options.mqttPort ?? 0,
	});
	cleanup.add(() => emulator.close());
	log(`Emulator started: ${emulator.url} (MQTT broker ${emulator.mqttUrl})`);

	const filesDir = makeFilesDir('apsaramq-demo-files-');
	cleanup.add(() => rmSync(filesDir, { recursive: true, force: true }));
	const csvPath = placeExampleCsv(filesDir);

	const n8n = await createN8nInstance({
		packageDir: repoRoot(),
		port: options.n8nPort,
		env: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir },
	});
	cleanup.add(() => n8n.dispose());

	log('Preparing n8n 2.41.1: the package, the credential and the example workflows …');
	await n8n.importCredentials([emulatorCredential(emulator.url, EXAMPLE_CREDENTIAL)]);
	await n8n.importWorkflow([loadExample(EXAMPLES.webhook.file), spreadsheetExample(csvPath)]);
	await n8n.publishWorkflow(EXAMPLES.webhook.id);
	// The MQTT token server and device onboarding examples, their connect outputs on this broker.
	const devicesCsv = placeDevicesCsv(filesDir);
	await n8n.importWorkflow([
		tokenServerExample(emulator.mqttPort),
		deviceOnboardingExample(emulator.mqttPort, devicesCsv),
	]);
	await n8n.publishWorkflow(TOKEN_SERVER.id);

	return { emulator, n8n, filesDir, csvPath };
}

/** Shortens a long identifier for a table: `0BC16699…2E0001`. */
export function short(value: string, keep = 8): string {
	return value.length > keep * 2 + 1 ? `${value.slice(0, keep)}…${value.slice(-keep)}` : value;
}
