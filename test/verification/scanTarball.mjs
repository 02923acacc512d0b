// Lints the package the way n8n's verification scanner (@n8n/scan-community-package 0.32.0) does,
// with the scanner's own code and rules, minus the two steps that need the public npm registry and
// GitHub (the provenance check and the download). Both of its legs run:
//   - the source leg: package.json and nodes/ + credentials/ sources (*.ts, *.js, *.json);
//   - the tarball leg: every .js file in what `npm pack` would publish, and its package.json.
// ESLint runs with allowInlineConfig: false, so `eslint-disable` comments are ignored, as the
// scanner ignores them. Also checks what the tarball holds. Exits 1 on any error.
// Run `npm run build` first (the tarball ships dist/).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'apsaramq-scan-'));
const problems = [];

/**
 * Proves the scan can fail: a compiled file that reads `process.env` behind an `eslint-disable`
 * comment must be reported, since the scanner ignores inline configuration.
 */
async function canary() {
	const dir = join(work, 'canary');
	mkdirSync(join(dir, 'dist'), { recursive: true });
	writeFileSync(
		join(dir, 'dist', 'sneaky.js'),
		'// eslint-disable-next-line\nmodule.exports = () => process.env.SECRET;\n',
	);
	const result = await analyzePackage(dir, ['**/*.js']);
	if (result.passed || !/no-restricted-globals/.test(result.details ?? '')) {
		problems.push('the canary (process.env behind eslint-disable) was not reported: the scan is not active');
	} else {
		console.log('scanner canary: process.env behind eslint-disable is reported, as it must be');
	}
}

try {
	await canary();
	const [pack] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
			cwd: root,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}),
	);
	const unpacked = join(work, 'package');
	execFileSync('tar', ['-xzf', join(work, pack.filename), '-C', work]);
	const files = pack.files.map((f) => f.path).sort();
	console.log(`npm pack: ${pack.filename}, ${files.length} files, ${pack.size} bytes`);

	// What is published: the compiled node and credential, icons, the trivial main, docs.
	const unexpected = files.filter(
		(f) => !/^(dist\/|index\.js$|package\.json$|README\.md$|LICENSE\.md$|CHANGELOG\.md$)/.test(f),
	);
	if (unexpected.length > 0) problems.push(`unexpected files in the tarball: ${unexpected.join(', ')}`);
	for (const required of [
		'dist/nodes/ApsaraMq/ApsaraMq.node.js',
		'dist/nodes/ApsaraMq/ApsaraMq.node.json',
		'dist/credentials/AlibabaCloudAccessKeyApi.credentials.js',
		'dist/icons/apsaramq.svg',
		'dist/icons/apsaramq.dark.svg',
		'dist/icons/alibabaCloud.svg',
		'dist/icons/alibabaCloud.dark.svg',
	]) {
		if (!files.includes(required)) problems.push(`missing from the tarball: ${required}`);
	}
	if (files.some((f) => /(^|\/)test\/|\.test\.|\.map$/.test(f) && !f.endsWith('.js.map'))) {
		problems.push('tests are in the tarball');
	}
	const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
	if (Object.keys(manifest.dependencies ?? {}).length > 0) {
		problems.push(`runtime dependencies: ${Object.keys(manifest.dependencies).join(', ')}`);
	}

	for (const [leg, dir, patterns] of [
		['source', root, SOURCE_FILE_PATTERNS],
		['tarball', unpacked, ['**/*.js', 'package.json']],
	]) {
		const result = await analyzePackage(dir, patterns);
		console.log(`scanner ${leg} leg: ${result.passed ? 'passed' : result.message}`);
		if (!result.passed) problems.push(`${leg} leg: ${result.message}\n${result.details ?? ''}`);
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}

if (problems.length > 0) {
	console.error(`Verification scan failed:\n- ${problems.join('\n- ')}`);
	process.exit(1);
}
console.log('Verification scan: zero errors.');
