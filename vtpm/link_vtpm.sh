#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Combines the vTPM into one relocatable object, libvtpm.a(vtpm.o):
# our glue and shim, libtpms (the renamed copy), libcrypto, picolibc and
# libgcc's helpers, resolved against each other by `ld -r`. Then every
# symbol but the vtpm_* API is made local, so picolibc's memcpy or
# OpenSSL's names can never clash with (or silently bind to) the
# firmware's own. TPM 1.2 is left out by resolving libtpms' TPM12Interface
# to its DisabledInterface (docs/architecture.md §6: -320 KB text, -150 KB rodata).
#
# usage: link_vtpm.sh OUT.a GLUE.a LIBTPMS.a LIBCRYPTO.a LIBC.a LIBGCC.a
#                     EXPORTS HOOKS
set -eu
out=$1 glue=$2 tpms=$3 crypto=$4 libc=$5 libgcc=$6 exports=$7 hooks=$8
obj="${out%.a}.o"
rm -f "$out" "$obj"
# --gc-sections with the API as roots: dropping unused sections here,
# before ld -r merges same-named ones (string literals, constants), keeps
# the final firmware link as small as linking the archives directly.
roots=$(sed -e 's/#.*//' -e '/^$/d' -e 's/^/-u /' "$exports")
# shellcheck disable=SC2086 # one word per -u option
ld -r --gc-sections $roots -o "$obj.tmp" \
	--whole-archive "$glue" --no-whole-archive \
	--defsym=TPM12Interface=DisabledInterface \
	--start-group "$tpms" "$crypto" "$libc" "$libgcc" --end-group
# No unwinding in the firmware (backtraces walk frame pointers): drop the
# unwind tables libtpms' objects carry (~50 KB).
objcopy --remove-section=.eh_frame --keep-global-symbols="$exports" \
	"$obj.tmp" "$obj"
rm -f "$obj.tmp"
# The object may import the platform hooks and nothing else.
got=$(nm -u --format=posix "$obj" | awk '{print $1}' | sort)
want=$(sed -e 's/#.*//' -e '/^$/d' "$hooks" | sort)
if [ "$got" != "$want" ]; then
	echo "vtpm.o imports differ from $hooks:" >&2
	echo "$got" | sed 's/^/  /' >&2
	exit 1
fi
for s in .tbss .tdata .init_array .ctors; do
	if objdump -h "$obj" | grep -q " $s"; then
		echo "vtpm.o has a $s section: the firmware has no start-up code for it" >&2
		exit 1
	fi
done
ar rcs "$out" "$obj"
