#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# picolibc 1.8.10 for the freestanding x86_64 target: the C library that the
# third-party code (OpenSSL's libcrypto, and through the vTPM shim libtpms)
# is compiled and linked against. Never used by our own code.
#
# Input: the orig tarball pinned in scripts/deps.lock (its .dsc answers 404,
# so we untar it ourselves instead of dpkg-source). Output in $OUT:
#   include/   picolibc headers (plus picolibc.h)
#   lib/libc.a the C library (libm is not needed)
#
# Choices, and why:
#  - thread-local-storage=false, single-thread: errno and friends are plain
#    globals; the vTPM runs under one lock and the firmware sets FS_BASE
#    only for the stack-protector canary, not for a TLS block.
#  - tinystdio, no semihost, no picocrt: the vTPM never does file or
#    console I/O through stdio (the shim answers the few calls libtpms
#    makes); there is no start-up code to provide here.
#  - -mno-red-zone -fno-pic -mcmodel=small: the same code model as the
#    firmware, so the library links into the images as is.
#  - SSE allowed (-msse2): OpenSSL and libtpms contain SSE; the firmware
#    saves and enables it around the vTPM (docs/architecture.md §6 "SSE").
set -euo pipefail
echo "== picolibc: unpack"
tarball="$SVSM_CACHE/downloads/picolibc_1.8.10.orig.tar.gz"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$tarball"
src="$work/picolibc-1.8.10"

echo "== picolibc: configure"
cat >"$work/cross.txt" <<EOC
[binaries]
c = ['gcc', '-m64', '-ffreestanding', '-fno-pic', '-fno-pie', '-mcmodel=small', '-mno-red-zone', '-msse2', '-nostdlib', '-static']
ar = 'ar'
as = 'as'
nm = 'nm'
strip = 'strip'
objcopy = 'objcopy'

[host_machine]
system = 'none'
cpu_family = 'x86_64'
cpu = 'x86_64'
endian = 'little'

[properties]
skip_sanity_check = true
EOC
meson setup "$work/build" "$src" --cross-file "$work/cross.txt" \
	--prefix="$OUT" --buildtype=release -Doptimization=2 \
	-Dmultilib=false -Dpicocrt=false -Dpicocrt-lib=false -Dsemihost=false \
	-Dtests=false -Dtinystdio=true -Dthread-local-storage=false \
	-Dsingle-thread=true -Dnewlib-global-errno=true -Dposix-console=false \
	-Dio-long-long=true -Dspecsdir=none -Dincludedir=include -Dlibdir=lib

echo "== picolibc: build"
ninja -C "$work/build" -j"$(nproc)"
echo "== picolibc: install"
ninja -C "$work/build" install >/dev/null
test -f "$OUT/lib/libc.a"
test -f "$OUT/include/stdio.h"
echo "== picolibc: done ($(du -sh "$OUT/lib/libc.a" | cut -f1) libc.a)"
