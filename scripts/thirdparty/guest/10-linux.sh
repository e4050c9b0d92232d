#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The guest kernel (guest/README.md): Debian's linux-source-7.2, pinned
# in scripts/deps.lock ("#guest linux" line), configured with allnoconfig
# plus guest/linux/svsm.config and built with bookworm's gcc-12: bzImage
# only, everything built in, no modules. Run by scripts/setup
# (build_guest), which fetches the pinned .deb first and keeps the result
# in the cache keyed by this script, the fragment, the pin and `--key`.
#
# Output in $OUT:
#   bzImage      the kernel (x86 boot protocol), what the image builder packs
#   config       the full .config Kconfig made of the fragment
#   System.map   symbols, for reading panics and SVSM-side traces. vmlinux
#                is not kept: without DEBUG_INFO it holds nothing
#                System.map lacks, and it is 24 MB.
#   VERSION      kernel release and source package version
#   COPYING, GPL-2.0  the kernel's licence, shipped with the bzImage
#
# Progress lines go to fd 3 (the console); everything else to the log.
set -euo pipefail

# What besides the inputs decides the output: the toolchain.
if [ "${1:-}" = "--key" ]; then
	gcc-12 --version | sed -n 1p
	ld --version | sed -n 1p
	make --version | sed -n 1p
	exit 0
fi

progress() { echo "[setup] linux: $*" >&3; }

read -r _ _ _ pkg ver file _ < <(awk '$1 == "#guest" && $2 == "linux"' "$DEPS_LOCK")
deb="$SVSM_CACHE/downloads/$file"
[ -f "$deb" ] || { echo "missing $deb (scripts/setup fetches it)"; exit 1; }

work="$(mktemp -d "$SVSM_CACHE/.guest-linux.XXXXXX")"
trap 'rm -rf "$work"' EXIT
src="$work/src"
obj="$work/obj"
mkdir -p "$src" "$obj"

t0=$SECONDS
progress "extracting $pkg $ver (1.8 GB; deleted after the build)"
# Streamed: the inner 140 MB tarball is never written to disk.
dpkg-deb --fsys-tarfile "$deb" |
	tar -xO ./usr/src/linux-source-7.2.tar.xz | xz -dc |
	tar -x -C "$src" --strip-components=1

# Reproducible: no build host, user or time in the image; the timestamp is
# the source tree's own (its Makefile's mtime, from the tarball).
export KBUILD_BUILD_USER=svsm KBUILD_BUILD_HOST=svsm KBUILD_BUILD_VERSION=1
KBUILD_BUILD_TIMESTAMP="$(date -u -r "$src/Makefile" '+%Y-%m-%d %H:%M:%S UTC')"
export KBUILD_BUILD_TIMESTAMP
kmake() {
	make -C "$src" O="$obj" ARCH=x86_64 CC=gcc-12 HOSTCC=gcc-12 "$@"
}

fragment="$SVSM_ROOT/guest/linux/svsm.config"
echo "== allnoconfig + $fragment"
kmake KCONFIG_ALLCONFIG="$fragment" allnoconfig
if ! bash "$SVSM_ROOT/guest/linux/check-fragment.sh" "$fragment" "$obj/.config"; then
	progress "guest/linux/svsm.config: Kconfig dropped lines (see the log)"
	exit 1
fi

jobs="$(nproc)"
progress "building bzImage with gcc-12, -j$jobs (about 5.5-7 min on 2 cores)"
kmake -j"$jobs" bzImage &
pid=$!
# A line every 30 s so that a slow build does not look like a hang.
while kill -0 "$pid" 2>/dev/null; do
	for _ in $(seq 30); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 1
	done
	if kill -0 "$pid" 2>/dev/null; then
		n="$(find "$obj" -name '*.o' | wc -l)"
		progress "$n of about 1260 objects built ($((SECONDS - t0)) s)"
	fi
done
wait "$pid"

cp "$obj/arch/x86/boot/bzImage" "$OUT/bzImage"
cp "$obj/.config" "$OUT/config"
cp "$obj/System.map" "$OUT/System.map"
cp "$src/COPYING" "$OUT/COPYING"
cp "$src/LICENSES/preferred/GPL-2.0" "$OUT/GPL-2.0"
release="$(kmake -s kernelrelease)"
printf '%s\n%s %s\n' "$release" "$pkg" "$ver" >"$OUT/VERSION"
progress "$release: bzImage $(stat -c %s "$OUT/bzImage") bytes," \
	"$(find "$obj" -name '*.o' | wc -l) objects, $((SECONDS - t0)) s"
# Only the bzImage is needed again; the 164 MB .deb is fetched again on the
# next miss.
rm -f "$deb"
