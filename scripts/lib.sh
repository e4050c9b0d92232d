# SPDX-License-Identifier: MIT
# Helpers shared by scripts/setup, scripts/test and scripts/run.

SVSM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SVSM_CACHE="${SVSM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/svsm-deps}"
SVSM_BUILD="${SVSM_BUILD:-$SVSM_ROOT/build}"

say() { printf '[%s] %s\n' "$(basename "$0")" "$*"; }
die() { printf '[%s] error: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "need root for: $*"
	fi
}

# Debian's python, not a user-level one: the harness uses only the stdlib.
svsm_python() {
	if [ -x /usr/bin/python3 ]; then echo /usr/bin/python3; else command -v python3; fi
}
