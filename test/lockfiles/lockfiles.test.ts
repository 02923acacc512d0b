import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..');

/**
 * A lockfile that npm would re-resolve installs something else on the next machine, or makes
 * `npm ci` refuse it. Each committed lockfile must be complete: npm resolves it with no registry at
 * all (`--offline`, an empty cache) and writes back the same bytes. An edge npm considers unmet
 * would make it fetch a packument and fail here, long before a registry release changes the tree.
 */
describe.each([
	['the package', '.'],
	['the n8n runtime of the e2e tests', 'test/e2e/n8n-install'],
])('the lockfile of %s (%s)', (_name, folder) => {
	it('resolves offline, from an empty cache, to exactly the committed bytes', async () => {
		const work = mkdtempSync(path.join(tmpdir(), 'apsaramq-lock-'));
		try {
			for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
				const from = path.join(root, folder, file);
				if (existsSync(from)) copyFileSync(from, path.join(work, file));
			}
			await run(
				'npm',
				[
					'install',
					'--package-lock-only',
					'--offline',
					'--ignore-scripts',
					'--no-audit',
					'--no-fund',
					`--cache=${path.join(work, 'empty-npm-cache')}`,
				],
				// No user configuration: what the project's .npmrc says is all a fresh machine has.
				{
					cwd: work,
					env: { ...process.env, npm_config_userconfig: path.join(work, 'no-user-npmrc') },
				},
			);
			const committed = readFileSync(path.join(root, folder, 'package-lock.json'), 'utf8');
			const resolved = readFileSync(path.join(work, 'package-lock.json'), 'utf8');
			expect(changedEntries(committed, resolved)).toEqual([]);
			expect(resolved === committed).toBe(true);
		} finally {
			rmSync(work, { recursive: true, force: true });
		}
	}, 120_000);
});

/** `path: committed version → resolved version` for every entry whose version differs. */
function changedEntries(committed: string, resolved: string): string[] {
	type Lock = { packages: Record<string, { version?: string }> };
	const before = (JSON.parse(committed) as Lock).packages;
	const after = (JSON.parse(resolved) as Lock).packages;
	return [...new Set([...Object.keys(before), ...Object.keys(after)])]
		.filter((entry) => before[entry]?.version !== after[entry]?.version)
		.map(
			(entry) =>
				`${entry}: ${before[entry]?.version ?? 'absent'} → ${after[entry]?.version ?? 'absent'}`,
		);
}
