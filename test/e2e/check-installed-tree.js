#!/usr/bin/env node
// Usage: node check-installed-tree.js <committed package-lock.json> <install folder>
//
// Compares what is on disk under <install folder>/node_modules with the committed lockfile: every
// locked package must be there with its locked version, read from its own package.json (not from
// the lockfile npm wrote, which would only repeat what npm believed). The only packages allowed to
// be absent are optional ones built for another platform (os/cpu/libc), which npm skips.
// Prints a one-line summary; exits 1 with the first mismatches listed when anything differs.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [lockfile, installDir] = process.argv.slice(2);
if (!lockfile || !installDir) {
	console.error('usage: check-installed-tree.js <package-lock.json> <install folder>');
	process.exit(2);
}

const { packages } = JSON.parse(fs.readFileSync(lockfile, 'utf8'));

/** Whether npm would install this entry on this machine (its os/cpu/libc lists allow it). */
function meantForThisPlatform(meta) {
	const allows = (list, value) =>
		!list ||
		list.some((entry) => entry === value) ||
		(list.every((entry) => entry.startsWith('!')) && !list.includes(`!${value}`));
	const libc = process.report?.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl';
	return (
		allows(meta.os, process.platform) && allows(meta.cpu, process.arch) && allows(meta.libc, libc)
	);
}

const problems = [];
let checked = 0;
let skipped = 0;
for (const [location, meta] of Object.entries(packages)) {
	if (location === '' || meta.link) continue;
	const manifest = path.join(installDir, location, 'package.json');
	if (!fs.existsSync(manifest)) {
		if (meta.optional && !meantForThisPlatform(meta)) {
			skipped++;
			continue;
		}
		problems.push(`${location}: locked ${meta.version}, not installed`);
		continue;
	}
	const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
	if (version !== meta.version)
		problems.push(`${location}: locked ${meta.version}, installed ${version}`);
	checked++;
}

if (problems.length) {
	console.error(`${problems.length} installed packages differ from ${lockfile}:`);
	for (const line of problems.slice(0, 20)) console.error(`  ${line}`);
	process.exit(1);
}
console.log(
	`installed tree matches the lockfile: ${checked} packages at their locked versions, ${skipped} optional packages for other platforms skipped`,
);
