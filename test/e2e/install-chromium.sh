#!/usr/bin/env bash
# Makes sure Debian's `chromium` is installed, for the browser test (test/e2e/editor.e2e.test.ts),
# which drives it with puppeteer-core. Never a browser downloaded by puppeteer: only the
# distribution's package. A no-op when `chromium` is on PATH (set APSARAMQ_CHROMIUM to use another
# binary). Prints the binary's path as the last line on stdout.
set -euo pipefail

log() { printf '[install-chromium] %s\n' "$*" >&2; }
# die WHAT NEXT: what failed, and what to do about it.
die() {
	printf '[install-chromium] ERROR: %s\n' "$1" >&2
	printf '[install-chromium] What to do: %s\n' "$2" >&2
	exit 1
}

if [[ -n "${APSARAMQ_CHROMIUM:-}" ]]; then
	[[ -x "$APSARAMQ_CHROMIUM" ]] ||
		die "APSARAMQ_CHROMIUM=$APSARAMQ_CHROMIUM is not an executable file" \
			"point APSARAMQ_CHROMIUM at a Chromium binary, or unset it to use Debian's chromium."
	echo "$APSARAMQ_CHROMIUM"
	exit 0
fi

if ! command -v chromium >/dev/null 2>&1; then
	command -v apt-get >/dev/null 2>&1 ||
		die "chromium is not on PATH and this system has no apt-get" \
			"install Chromium with your system's package manager and put \`chromium\` on PATH, or set APSARAMQ_CHROMIUM=/path/to/chromium."
	[[ "$(id -u)" == 0 ]] ||
		die "chromium is not on PATH, and installing it needs root" \
			"run 'sudo apt-get update && sudo apt-get install -y chromium' once, or set APSARAMQ_CHROMIUM=/path/to/chromium."
	log "chromium is not installed: apt-get update && apt-get install -y chromium (about a minute) …"
	started=$(date +%s)
	{
		DEBIAN_FRONTEND=noninteractive apt-get update &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation
	} >&2 ||
		die "apt-get could not install chromium (see its output above)" \
			"check that the Debian package mirror is reachable, then run 'apt-get update && apt-get install -y chromium' yourself and run the test again."
	command -v chromium >/dev/null 2>&1 ||
		die "apt-get finished, but chromium is still not on PATH" \
			"run 'apt-get install -y chromium' yourself and check where it put the binary; set APSARAMQ_CHROMIUM to it."
	log "installed $(chromium --version 2>/dev/null || echo chromium) in $(($(date +%s) - started)) s"
fi

command -v chromium
