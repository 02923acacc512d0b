#!/usr/bin/env bash
# Makes sure Debian's rabbitmq-server is installed, for the bench's trigger scenario
# (test/bench/rabbitmq.ts starts it as a plain process; nothing here starts a service).
# A no-op when it is there. Prints, as its last line on stdout, the JSON
# { "rabbitmqServer": "<path>", "rabbitmqctl": "<path>" }.
set -euo pipefail

log() { printf '[install-rabbitmq] %s\n' "$*" >&2; }
# die WHAT NEXT: what failed, and what to do about it.
die() {
	printf '[install-rabbitmq] ERROR: %s\n' "$1" >&2
	printf '[install-rabbitmq] What to do: %s\n' "$2" >&2
	exit 1
}

# Debian puts the server's scripts in /usr/lib/rabbitmq/bin and links some into /usr/sbin.
find_tool() {
	local name=$1 candidate
	for candidate in "$(command -v "$name" 2>/dev/null || true)" "/usr/sbin/$name" "/usr/lib/rabbitmq/bin/$name"; do
		[[ -n "$candidate" && -x "$candidate" ]] && { echo "$candidate"; return 0; }
	done
	return 1
}

if ! find_tool rabbitmq-server >/dev/null || ! find_tool rabbitmqctl >/dev/null; then
	command -v apt-get >/dev/null 2>&1 ||
		die "rabbitmq-server is missing and this system has no apt-get" \
			"install RabbitMQ (rabbitmq-server, rabbitmqctl) with your package manager."
	[[ "$(id -u)" == 0 ]] ||
		die "rabbitmq-server is missing, and installing it needs root" \
			"run 'sudo apt-get update && sudo apt-get install -y rabbitmq-server' once."
	log "installing RabbitMQ: apt-get update && apt-get install -y rabbitmq-server …"
	started=$(date +%s)
	{
		DEBIAN_FRONTEND=noninteractive apt-get update &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends rabbitmq-server
	} >&2 ||
		die "apt-get could not install rabbitmq-server (see its output above)" \
			"check that the Debian package mirror is reachable, then run 'apt-get update && apt-get install -y rabbitmq-server' yourself."
	log "installed in $(($(date +%s) - started)) s"
	# Debian's package may start a system service and its epmd; the bench runs its own node on
	# other ports and needs neither.
	if command -v service >/dev/null 2>&1; then
		service rabbitmq-server stop >/dev/null 2>&1 || true
	fi
fi

server=$(find_tool rabbitmq-server) || die "apt-get finished, but rabbitmq-server was not found" \
	"run 'apt-get install -y rabbitmq-server' yourself and check where it put rabbitmq-server."
ctl=$(find_tool rabbitmqctl) || die "apt-get finished, but rabbitmqctl was not found" \
	"run 'apt-get install -y rabbitmq-server' yourself."
printf '{"rabbitmqServer":"%s","rabbitmqctl":"%s"}\n' "$server" "$ctl"
