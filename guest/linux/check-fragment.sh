#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# check-fragment.sh FRAGMENT CONFIG: Kconfig drops a fragment line whose
# dependencies are not met without a word, so every line of FRAGMENT must
# be in CONFIG as written: "CONFIG_X=v" literally, and "# CONFIG_X is not
# set" as no "CONFIG_X=" line. Prints each lost line; exit 1 if any.
# Used by scripts/thirdparty/guest/10-linux.sh after allnoconfig, and by
# the unit suite (tests/unit/test_fragment.sh).
set -u
fragment="$1"
config="$2"
lost=0
while read -r line; do
	case "$line" in
	CONFIG_*=*)
		if ! grep -qxF "$line" "$config"; then
			echo "lost: $line"
			lost=1
		fi
		;;
	"# CONFIG_"*" is not set")
		opt="${line#\# }"
		opt="${opt%% *}"
		if grep -q "^$opt=" "$config"; then
			echo "lost: $line"
			lost=1
		fi
		;;
	esac
done <"$fragment"
exit "$lost"
