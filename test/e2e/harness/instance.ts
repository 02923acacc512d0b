import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { ensureN8n, type N8nInstall } from './install';
import { RssMonitor, type PeakRss } from './rss';

export interface N8nInstanceOptions {
	/**
	 * Built community packages to place in `<userFolder>/.n8n/nodes/node_modules/<name>/`: each folder
	 * must hold a `package.json`; its `files` entries (default `dist`) and `package.json` are copied.
	 * Default: none. Use `repoRoot()` for this project (build it first: `npm run build`).
	 */
	packageDirs?: string[];
	/** Shorthand for `packageDirs: [packageDir]`. */
	packageDir?: string;
	/** `N8N_PORT` (editor, REST API, webhooks). Default: a free port. */
	port?: number;
	/** `N8N_RUNNERS_BROKER_PORT` (the task broker; unique per n8n process). Default: a free port. */
	brokerPort?: number;
	/** Extra environment for every n8n command (overrides the defaults below). */
	env?: Record<string, string | undefined>;
	/** Parent folder of the fresh user folder. Default: `os.tmpdir()`. */
	tmpRoot?: string;
	/** Do not delete the user folder on `dispose()` (for debugging). */
	keep?: boolean;
}

export interface CommandResult {
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
	/** With `measureRss`: memory of the n8n process tree (polled) and the exact peak of the main process. */
	rss?: PeakRss & { mainMaxRssKb?: number };
}

export interface ExecuteResult<T = ExecutionResult> extends CommandResult {
	/** The JSON that `n8n execute --rawOutput` printed (also printed on failure), or undefined. */
	result: T | undefined;
}

/** The parts of n8n's `IRun` that tests read. */
export interface ExecutionResult {
	data: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			lastNodeExecuted?: string;
			error?: Record<string, unknown>;
		};
	};
	status?: string;
	mode?: string;
	[key: string]: unknown;
}

export interface NodeRun {
	startTime: number;
	executionTime: number;
	executionStatus?: string;
	data?: { main: Array<Array<{ json: Record<string, unknown>; pairedItem?: unknown }> | null> };
	error?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface RunningN8n {
	/** `http://127.0.0.1:<port>` */
	url: string;
	pid: number;
	/** Everything the server printed so far (stdout and stderr interleaved). */
	output(): string;
	/** Sends SIGTERM to the process group, waits (SIGKILL after `graceMs`, default 15 s). */
	stop(graceMs?: number): Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>;
	/** With `measureRss`: stops polling and returns the peaks so far. */
	stopRssMonitor?(): PeakRss;
}

export interface RestSession {
	/** The `n8n-auth=...` cookie. */
	cookie: string;
	browserId: string;
	email: string;
	password: string;
	/** A REST call with the session's cookie and browser id; returns the parsed `data` field. */
	rest<T = unknown>(method: string, restPath: string, body?: unknown): Promise<T>;
}

/** Arguments of `POST /rest/dynamic-node-parameters/resource-locator-results` (n8n 2.41.1). */
export interface ResourceLocatorQuery {
	/** e.g. `n8n-nodes-apsaramq.apsaraMq` */
	nodeType: string;
	nodeVersion: number;
	/** `methods.listSearch` function name. */
	methodName: string;
	/** The parameter's path, e.g. `parameters.instanceId`. */
	path: string;
	/** The node's parameters as the editor holds them. */
	currentNodeParameters: Record<string, unknown>;
	/** `{ <credentialType>: { id, name } }` */
	credentials?: Record<string, { id: string; name: string }>;
	filter?: string;
	paginationToken?: string;
}

export interface ResourceLocatorResults {
	results: Array<{ name: string; value: string | number; url?: string }>;
	paginationToken?: string | number;
}

/** A free TCP port on 127.0.0.1 (asks the OS for one, then releases it). */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/** Parses the JSON that `n8n execute --rawOutput` prints after its log lines: from the first line
 * that is exactly `{` to the next line that is exactly `}` (the output is indented by 2). */
export function parseRawOutput<T = ExecutionResult>(stdout: string): T | undefined {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line === '{');
	if (start < 0) return undefined;
	const end = lines.findIndex((line, i) => i > start && line === '}');
	if (end < 0) return undefined;
	return JSON.parse(lines.slice(start, end + 1).join('\n')) as T;
}

/** The output items of a node's first run, per output (`[main0Items, main1Items, ...]`). */
export function nodeOutputs(
	result: ExecutionResult | undefined,
	nodeName: string,
	runIndex = 0,
): Array<Array<Record<string, unknown>>> {
	const run = result?.data.resultData.runData[nodeName]?.[runIndex];
	return (run?.data?.main ?? []).map((items) => (items ?? []).map((item) => item.json));
}

const ENCRYPTION_KEY = 'n8n-nodes-apsaramq-e2e-test-key-0001';

/** Environment variables this harness owns: inherited ones are dropped so a developer's own n8n
 * settings cannot leak into a test. */
const OWNED_PREFIXES = [
	'N8N_',
	'DB_',
	'QUEUE_',
	'EXECUTIONS_',
	'GENERIC_',
	'WEBHOOK_',
	'NODE_FUNCTION_',
];

export class N8nInstance {
	private running = new Set<ChildProcess>();

	constructor(
		readonly install: N8nInstall,
		/** `N8N_USER_FOLDER`; n8n's data is in its `.n8n/` subfolder. */
		readonly userFolder: string,
		readonly port: number,
		readonly brokerPort: number,
		readonly env: NodeJS.ProcessEnv,
		private readonly keep: boolean,
	) {}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/**
	 * Runs `n8n <args>` (Node 24) in this instance and collects its output. Rejects only if it cannot
	 * be started; a non-zero exit is in `exitCode`. Kills the process group after `timeoutMs`
	 * (default 120 s).
	 */
	async run(
		args: string[],
		options: {
			timeoutMs?: number;
			env?: Record<string, string | undefined>;
			measureRss?: boolean;
		} = {},
	): Promise<CommandResult> {
		const env: NodeJS.ProcessEnv = { ...this.env, ...options.env };
		let rssFile: string | undefined;
		if (options.measureRss) {
			rssFile = path.join(this.userFolder, `rss-${randomUUID()}.jsonl`);
			env.APSARAMQ_E2E_RSS_FILE = rssFile;
			env.NODE_OPTIONS = `--require=${this.rssProbe()}`;
		}
		const started = Date.now();
		const child = spawn(this.install.nodeBin, [this.install.n8nBin, ...args], {
			cwd: this.userFolder,
			env,
			detached: true, // own process group, so a timeout kills the task runner too
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.running.add(child);
		const monitor = options.measureRss && child.pid ? new RssMonitor(child.pid) : undefined;
		let stdout = '';
		let stderr = '';
		child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), options.timeoutMs ?? 120_000);
		try {
			const { exitCode, signal } = await new Promise<{
				exitCode: number | null;
				signal: NodeJS.Signals | null;
			}>((resolve, reject) => {
				child.on('error', reject);
				child.on('close', (code, sig) => resolve({ exitCode: code, signal: sig }));
			});
			const result: CommandResult = {
				exitCode,
				signal,
				stdout,
				stderr,
				durationMs: Date.now() - started,
			};
			if (monitor) {
				const peaks = monitor.stop();
				result.rss = { ...peaks, mainMaxRssKb: readMainMaxRss(rssFile, child.pid) };
			}
			return result;
		} finally {
			clearTimeout(timer);
			monitor?.stop();
			this.running.delete(child);
		}
	}

	/** Like `run`, but rejects unless the command exits with 0. */
	async runOk(args: string[], options?: { timeoutMs?: number }): Promise<CommandResult> {
		const result = await this.run(args, options);
		if (result.exitCode !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} exited with ${result.exitCode ?? result.signal}\n--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`,
			);
		}
		return result;
	}

	/** `n8n import:credentials` of an array of `{ id, name, type, data }` (plain `data` is encrypted). */
	async importCredentials(credentials: object[]): Promise<void> {
		const file = this.writeTemp('credentials', credentials);
		await this.runOk(['import:credentials', `--input=${file}`]);
	}

	/** `n8n import:workflow` of one workflow (`{ id, name, nodes, connections, settings }`) or an array. */
	async importWorkflow(workflow: object | object[]): Promise<void> {
		if (Array.isArray(workflow)) {
			// import:workflow takes one workflow per file, or --separate with a folder of files
			const dir = path.join(this.userFolder, `import-${randomUUID()}`);
			mkdirSync(dir);
			workflow.forEach((wf, i) => writeFileSync(path.join(dir, `${i}.json`), JSON.stringify(wf)));
			await this.runOk(['import:workflow', '--separate', `--input=${dir}`]);
			return;
		}
		const file = this.writeTemp('workflow', workflow);
		await this.runOk(['import:workflow', `--input=${file}`]);
	}

	/** `n8n publish:workflow --id=<id>` (2.x's replacement for activate); needed for webhooks. */
	async publishWorkflow(id: string): Promise<void> {
		await this.runOk(['publish:workflow', `--id=${id}`]);
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`. `result` is the printed run data (on success and on a
	 * workflow error alike); `exitCode` is 0 on success, 1 on failure.
	 */
	async execute<T = ExecutionResult>(
		workflowId: string,
		options: {
			timeoutMs?: number;
			env?: Record<string, string | undefined>;
			measureRss?: boolean;
		} = {},
	): Promise<ExecuteResult<T>> {
		const result = await this.run(['execute', `--id=${workflowId}`, '--rawOutput'], options);
		let parsed: T | undefined;
		try {
			parsed = parseRawOutput<T>(result.stdout);
		} catch {
			parsed = undefined;
		}
		return { ...result, result: parsed };
	}

	/**
	 * `n8n start` in the background; resolves once it printed "Editor is now accessible via"
	 * (rejects if it exits first or after `timeoutMs`, default 120 s).
	 */
	async start(
		options: {
			timeoutMs?: number;
			env?: Record<string, string | undefined>;
			measureRss?: boolean;
		} = {},
	): Promise<RunningN8n> {
		const env: NodeJS.ProcessEnv = { ...this.env, ...options.env };
		const child = spawn(this.install.nodeBin, [this.install.n8nBin, 'start'], {
			cwd: this.userFolder,
			env,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.running.add(child);
		let output = '';
		const exited = new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>(
			(resolve) => child.on('close', (exitCode, signal) => resolve({ exitCode, signal })),
		);
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => {
				killGroup(child, 'SIGKILL');
				reject(
					new Error(
						`n8n start: not ready after ${options.timeoutMs ?? 120_000} ms\n${tail(output)}`,
					),
				);
			}, options.timeoutMs ?? 120_000);
			const onData = (chunk: string) => {
				output += chunk;
				if (output.includes('Editor is now accessible via')) {
					clearTimeout(timer);
					resolve();
				}
			};
			child.stdout?.setEncoding('utf8').on('data', onData);
			child.stderr?.setEncoding('utf8').on('data', onData);
			child.on('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
			void exited.then(({ exitCode, signal }) => {
				clearTimeout(timer);
				reject(
					new Error(
						`n8n start exited (${exitCode ?? signal}) before it was ready\n${tail(output)}`,
					),
				);
			});
		});
		const monitor = options.measureRss && child.pid ? new RssMonitor(child.pid) : undefined;
		return {
			url: this.url,
			pid: child.pid ?? -1,
			output: () => output,
			stopRssMonitor: monitor ? () => monitor.stop() : undefined,
			stop: async (graceMs = 15_000) => {
				monitor?.stop();
				if (child.exitCode === null && child.signalCode === null) {
					killGroup(child, 'SIGTERM');
					const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
					const status = await exited;
					clearTimeout(timer);
					this.running.delete(child);
					return status;
				}
				this.running.delete(child);
				return await exited;
			},
		};
	}

	/**
	 * Sets up the instance owner through the REST API of a running server (`POST /rest/owner/setup`,
	 * which also logs in) and returns a session for further REST calls. Credentials and workflows
	 * imported before belong to that owner.
	 */
	async createOwnerAndLogin(
		url = this.url,
		owner = {
			email: 'owner@e2e.test',
			firstName: 'E2e',
			lastName: 'Owner',
			password: 'E2eTest-Passw0rd',
		},
	): Promise<RestSession> {
		const browserId = randomUUID();
		const response = await fetch(`${url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': browserId },
			body: JSON.stringify(owner),
		});
		if (!response.ok) {
			throw new Error(`POST /rest/owner/setup: ${response.status} ${await response.text()}`);
		}
		return makeSession(url, browserId, authCookie(response), owner.email, owner.password);
	}

	/** `POST /rest/login` for an existing user. */
	async login(email: string, password: string, url = this.url): Promise<RestSession> {
		const browserId = randomUUID();
		const response = await fetch(`${url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': browserId },
			body: JSON.stringify({ emailOrLdapLoginId: email, password }),
		});
		if (!response.ok)
			throw new Error(`POST /rest/login: ${response.status} ${await response.text()}`);
		return makeSession(url, browserId, authCookie(response), email, password);
	}

	/** Kills whatever this instance still runs and deletes the user folder (unless `keep`). */
	async dispose(): Promise<void> {
		for (const child of this.running) killGroup(child, 'SIGKILL');
		this.running.clear();
		if (!this.keep) rmSync(this.userFolder, { recursive: true, force: true });
	}

	private writeTemp(kind: string, data: unknown): string {
		const file = path.join(this.userFolder, `${kind}-${randomUUID()}.json`);
		writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	private rssProbe(): string {
		const file = path.join(this.userFolder, 'rss-probe.cjs');
		if (!existsSync(file)) {
			writeFileSync(
				file,
				`process.on('exit', () => {
	try {
		require('fs').appendFileSync(process.env.APSARAMQ_E2E_RSS_FILE, JSON.stringify({
			pid: process.pid, ppid: process.ppid, maxRssKb: process.resourceUsage().maxRSS,
		}) + '\\n');
	} catch {}
});
`,
			);
		}
		return file;
	}
}

/** Lists how the owner's REST calls look for a resource locator's list search (n8n 2.41.1). */
export async function resourceLocatorResults(
	session: RestSession,
	query: ResourceLocatorQuery,
): Promise<ResourceLocatorResults> {
	return await session.rest<ResourceLocatorResults>(
		'POST',
		'/rest/dynamic-node-parameters/resource-locator-results',
		{
			path: query.path,
			nodeTypeAndVersion: { name: query.nodeType, version: query.nodeVersion },
			currentNodeParameters: query.currentNodeParameters,
			methodName: query.methodName,
			credentials: query.credentials,
			filter: query.filter,
			paginationToken: query.paginationToken,
		},
	);
}

/**
 * A fresh n8n instance: a new `N8N_USER_FOLDER` in a temp folder, the packages placed as installed
 * community packages, free ports, and an environment that keeps n8n offline and quiet. Installs n8n
 * first if needed (`ensureN8n`). Call `dispose()` when done.
 */
export async function createN8nInstance(options: N8nInstanceOptions = {}): Promise<N8nInstance> {
	const install = await ensureN8n();
	const userFolder = mkdtempSync(path.join(options.tmpRoot ?? os.tmpdir(), 'n8n-e2e-'));
	const port = options.port ?? (await freePort());
	let brokerPort = options.brokerPort ?? (await freePort());
	while (brokerPort === port) brokerPort = await freePort();

	const packageDirs = [
		...(options.packageDirs ?? []),
		...(options.packageDir ? [options.packageDir] : []),
	];
	for (const dir of packageDirs) placePackage(dir, userFolder);

	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(install.env)) {
		if (OWNED_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
		if (name === 'NODE_OPTIONS' || name === 'NODE_PATH' || name === 'NODE_ENV') continue;
		env[name] = value;
	}
	// n8n's own temp files (e.g. data-table uploads under os.tmpdir()) stay in the user folder
	const tmpDir = path.join(userFolder, 'tmp');
	mkdirSync(tmpDir);
	Object.assign(env, {
		TMPDIR: tmpDir,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_LOG_LEVEL: 'info', // quieter levels also suppress the --rawOutput JSON
		// offline and quiet
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry', // otherwise startup calls api.n8n.io
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true', // today's default, set to silence the deprecation note
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		// 2.41's default publication service registers published workflows' webhooks from a
		// reconciler that first runs 10 s after startup; the legacy path activates them before
		// "Editor is now accessible via", so a webhook answers as soon as start() resolves.
		N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false',
		...options.env,
	});
	for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
	return new N8nInstance(install, userFolder, port, brokerPort, env, options.keep ?? false);
}

/** Copies a built package (`package.json` + its `files`, default `dist`) into the user folder. */
function placePackage(packageDir: string, userFolder: string): void {
	const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
		name: string;
		files?: string[];
	};
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', manifest.name);
	mkdirSync(target, { recursive: true });
	cpSync(path.join(packageDir, 'package.json'), path.join(target, 'package.json'));
	for (const entry of manifest.files ?? ['dist']) {
		const from = path.join(packageDir, entry);
		if (!existsSync(from)) {
			if (entry === 'dist') throw new Error(`${from} does not exist: build the package first`);
			continue;
		}
		cpSync(from, path.join(target, entry), { recursive: true });
	}
}

function makeSession(
	url: string,
	browserId: string,
	cookie: string,
	email: string,
	password: string,
): RestSession {
	return {
		cookie,
		browserId,
		email,
		password,
		rest: async <T>(method: string, restPath: string, body?: unknown): Promise<T> => {
			const response = await fetch(`${url}${restPath}`, {
				method,
				headers: {
					cookie,
					'browser-id': browserId,
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await response.text();
			if (!response.ok) throw new Error(`${method} ${restPath}: ${response.status} ${text}`);
			const parsed = text ? (JSON.parse(text) as { data?: T }) : {};
			return (parsed.data ?? parsed) as T;
		},
	};
}

function authCookie(response: Response): string {
	const cookies = response.headers.getSetCookie();
	const auth = cookies.find((cookie) => cookie.startsWith('n8n-auth='));
	if (!auth) throw new Error(`no n8n-auth cookie in ${JSON.stringify(cookies)}`);
	return auth.split(';')[0];
}

function readMainMaxRss(file: string | undefined, pid: number | undefined): number | undefined {
	if (!file || !existsSync(file)) return undefined;
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		if (!line) continue;
		const entry = JSON.parse(line) as { pid: number; maxRssKb: number };
		if (entry.pid === pid) return entry.maxRssKb;
	}
	return undefined;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (!child.pid) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

function tail(text: string, chars = 4000): string {
	return text.length > chars ? `…${text.slice(-chars)}` : text;
}
