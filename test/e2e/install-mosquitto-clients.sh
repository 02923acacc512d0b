#!/usr/bin/env bash
# Installs Debian's mosquitto-clients (mosquitto_sub, mosquitto_pub) when mosquitto_sub is missing:
# the end-to-end tests log in to the emulator's broker with it, as a device would, with the connect
# values the node produced. Idempotent; needs root (or sudo) for apt-get.
set -euo pipefail

if command -v mosquitto_sub >/dev/null 2>&1; then
	echo "mosquitto_sub: $(command -v mosquitto_sub)"
	exit 0
fi

as_root=()
if [ "$(id -u)" != 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "ERROR: mosquitto_sub is missing and this user cannot run apt-get." >&2
		echo "What to do: install the Debian package mosquitto-clients as root, then run the tests again." >&2
		exit 1
	fi
	as_root=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends mosquitto-clients >/dev/null
echo "mosquitto_sub: $(command -v mosquitto_sub)"
