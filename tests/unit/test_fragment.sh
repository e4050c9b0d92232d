#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# guest/linux/check-fragment.sh must name every fragment line Kconfig did
# not keep, and accept a config that keeps them all; and the guest kernel in
# the cache (if scripts/setup built it) must have been built from the
# fragment in the tree.
set -u
root="$(cd "$(dirname "$0")/../.." && pwd)"
check="$root/guest/linux/check-fragment.sh"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

cat >"$tmp/frag" <<'F'
# a comment
CONFIG_A=y
CONFIG_B="text"
# CONFIG_C is not set
F
printf 'CONFIG_A=y\nCONFIG_B="text"\n# CONFIG_C is not set\nCONFIG_D=y\n' >"$tmp/good"
printf 'CONFIG_B="text"\n' >"$tmp/no-a"
printf 'CONFIG_A=y\nCONFIG_B="other"\n' >"$tmp/b-differs"
printf 'CONFIG_A=y\nCONFIG_B="text"\nCONFIG_C=y\n' >"$tmp/c-set"

echo "1..5"
bash "$check" "$tmp/frag" "$tmp/good" >/dev/null
result $? "a config that keeps every line passes"
out="$(bash "$check" "$tmp/frag" "$tmp/no-a")"
[ $? -ne 0 ] && [ "$out" = "lost: CONFIG_A=y" ]
result $? "a dropped =y line is named"
out="$(bash "$check" "$tmp/frag" "$tmp/b-differs")"
[ $? -ne 0 ] && [ "$out" = 'lost: CONFIG_B="text"' ]
result $? "a changed value is named"
out="$(bash "$check" "$tmp/frag" "$tmp/c-set")"
[ $? -ne 0 ] && [ "$out" = "lost: # CONFIG_C is not set" ]
result $? "an option set against 'is not set' is named"
cache="${SVSM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/svsm-deps}"
if [ -f "$cache/guest-linux/config" ]; then
	bash "$check" "$root/guest/linux/svsm.config" "$cache/guest-linux/config"
	result $? "the cached guest kernel keeps guest/linux/svsm.config"
else
	echo "ok 5 - the cached guest kernel keeps guest/linux/svsm.config # SKIP no guest kernel in $cache (scripts/setup builds it)"
fi
exit "$fail"
