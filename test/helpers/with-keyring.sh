#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked GNOME Keyring and a throwaway HOME,
# so tests use the real OS keychain (Secret Service) without touching the user's own.
set -euo pipefail

if [ -z "${CC_KEYRING_READY:-}" ]; then
  export CC_KEYRING_READY=1
  exec dbus-run-session -- bash "$0" "$@"
fi

keyring_home="$(mktemp -d -t cc-keyring-XXXXXX)"
trap 'rm -rf "$keyring_home"' EXIT
export HOME="$keyring_home"
export XDG_DATA_HOME="$keyring_home/.local/share"
export XDG_RUNTIME_DIR="$keyring_home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# The keyring password only protects this throwaway keyring; it is never a real secret.
eval "$(printf 'cc-test-keyring\n' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true

"$@"
