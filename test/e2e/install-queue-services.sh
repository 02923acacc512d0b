#!/usr/bin/env bash
# Makes sure Debian's PostgreSQL and Redis servers are installed, for n8n's queue mode
# (test/e2e/harness/queue.ts starts them as plain processes; nothing here starts a service).
# A no-op when both are there. Prints, as its last line on stdout, the JSON
# { "postgresBin": "<folder of initdb and pg_ctl>", "redisServer": "<path>" }.
set -euo pipefail

log() { printf '[install-queue-services] %s\n' "$*" >&2; }
# die WHAT NEXT: what failed, and what to do about it.
die() {
	printf '[install-queue-services] ERROR: %s\n' "$1" >&2
	printf '[install-queue-services] What to do: %s\n' "$2" >&2
	exit 1
}

# The newest PostgreSQL server Debian installed (initdb and pg_ctl are not on PATH there).
postgres_bin() {
	local dir
	dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
	[[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]] && echo "$dir"
}

if [[ -z "$(postgres_bin)" ]] || ! command -v redis-server >/dev/null 2>&1; then
	command -v apt-get >/dev/null 2>&1 ||
		die "PostgreSQL or Redis is missing and this system has no apt-get" \
			"install a PostgreSQL server (initdb, pg_ctl) and redis-server with your package manager."
	[[ "$(id -u)" == 0 ]] ||
		die "PostgreSQL or Redis is missing, and installing them needs root" \
			"run 'sudo apt-get update && sudo apt-get install -y postgresql redis-server' once."
	log "installing PostgreSQL and Redis: apt-get update && apt-get install -y postgresql redis-server …"
	started=$(date +%s)
	{
		DEBIAN_FRONTEND=noninteractive apt-get update &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql redis-server
	} >&2 ||
		die "apt-get could not install postgresql and redis-server (see its output above)" \
			"check that the Debian package mirror is reachable, then run 'apt-get update && apt-get install -y postgresql redis-server' yourself."
	log "installed in $(($(date +%s) - started)) s"
	# Debian's packages start system services of their own; the harness runs its own processes on
	# other ports and needs none of them.
	if command -v service >/dev/null 2>&1; then
		service redis-server stop >/dev/null 2>&1 || true
		service postgresql stop >/dev/null 2>&1 || true
	fi
fi

bin=$(postgres_bin) || die "apt-get finished, but no PostgreSQL server is under /usr/lib/postgresql" \
	"run 'apt-get install -y postgresql' yourself and check where it put initdb."
redis=$(command -v redis-server) || die "apt-get finished, but redis-server is not on PATH" \
	"run 'apt-get install -y redis-server' yourself."
printf '{"postgresBin":"%s","redisServer":"%s"}\n' "$bin" "$redis"
