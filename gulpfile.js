const { src, dest } = require('gulp');

// Copies the node and credential icons next to the compiled code: `file:../../icons/x.svg` in
// dist/nodes/ApsaraMq/ and `file:../icons/x.svg` in dist/credentials/ both resolve to dist/icons/.
// One stream, returned, so gulp waits for the copy to finish.
function buildIcons() {
	return src('icons/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

exports['build:icons'] = buildIcons;
