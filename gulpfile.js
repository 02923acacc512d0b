const { rmSync } = require('fs');
const { src, dest } = require('gulp');

// Copies the node and credential icons next to the compiled code: `file:../../icons/x.svg` in
// dist/nodes/ApsaraMq/ and `file:../icons/x.svg` in dist/credentials/ both resolve to dist/icons/.
// One stream, returned, so gulp waits for the copy to finish.
function buildIcons() {
	return src('icons/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

// Starts every build from an empty dist/, so no file of a removed source is ever published
// (and tsc's incremental state, kept in dist/, cannot claim that a deleted dist is up to date).
async function clean() {
	rmSync('dist', { recursive: true, force: true });
}

exports.clean = clean;
exports['build:icons'] = buildIcons;
