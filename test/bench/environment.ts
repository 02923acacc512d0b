/** What the benchmark ran on. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { repoRoot, type N8nInstall } from '../e2e/harness';

export interface Environment {
	date: string;
	cpuModel: string;
	cpuCount: number;
	memoryGiB: number;
	os: string;
	benchNodeVersion: string;
	n8nNodeVersion: string;
	n8nVersion: string;
	packageVersion: string;
	gitCommit: string;
	/** Uncommitted changes under nodes/ or credentials/ (the code under test) at the start. */
	sourceDirty: boolean;
	dependencies: Record<string, string>;
	loadAverageAtStart: number[];
}

function version(name: string): string {
	try {
		const file = path.join(repoRoot(), 'node_modules', name, 'package.json');
		return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
	} catch {
		return 'unknown';
	}
}

function git(args: string[]): string {
	try {
		return execFileSync('git', args, { cwd: repoRoot(), encoding: 'utf8' }).trim();
	} catch {
		return 'unknown';
	}
}

export function describeEnvironment(install: N8nInstall): Environment {
	const cpus = os.cpus();
	const manifest = JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as {
		version: string;
	};
	return {
		date: new Date().toISOString(),
		cpuModel: cpus[0]?.model.trim() ?? 'unknown',
		cpuCount: cpus.length,
		memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
		benchNodeVersion: process.version,
		n8nNodeVersion: install.nodeVersion,
		n8nVersion: install.n8nVersion,
		packageVersion: manifest.version,
		gitCommit: git(['rev-parse', '--short', 'HEAD']),
		sourceDirty: git(['status', '--porcelain', '--', 'nodes', 'credentials']) !== '',
		dependencies: Object.fromEntries(
			[
				'@alicloud/openapi-client',
				'@alicloud/openapi-util',
				'@alicloud/tea-util',
				'@alicloud/pop-core',
			].map((name) => [name, version(name)]),
		),
		loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
	};
}
