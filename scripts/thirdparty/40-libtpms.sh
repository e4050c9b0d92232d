#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# libtpms 0.9.2 from Debian's binary package libtpms-dev (its source answers
# 404 in every suite, docs/architecture.md §6). We take the prebuilt static archive as is;
# only a COPY of it in the cache is changed, by objcopy --redefine-syms, so
# that the imports whose glibc ABI differs from picolibc's (same name,
# different meaning: clock ids, struct layouts, FILE) bind to the vTPM
# shim's glibc-ABI wrappers instead of silently to picolibc.
#
# Output in $OUT:
#   include/libtpms/     the package's public headers
#   lib/libtpms.a        the package's archive, untouched (the import
#                        allow-list vtpm/libtpms.imports is checked on it)
#   lib/libtpms-svsm.a   the renamed copy the vTPM links
#   VERSION, copyright   which package version served, and its licence
set -euo pipefail
lock="$SVSM_ROOT/scripts/deps.lock"
dl="$SVSM_CACHE/downloads"
mkdir -p "$dl"

echo "== libtpms: fetch (first pinned version that downloads)"
deb=""
ver=""
while read -r tag kind pkg v file sha; do
	[ "$tag" = "#any" ] && [ "$pkg" = "libtpms-dev" ] || continue
	[ "$kind" = "deb" ] || continue
	if [ -f "$dl/$file" ] && echo "$sha  $dl/$file" | sha256sum -c --status; then
		deb="$dl/$file" ver="$v"
		break
	fi
	tmp="$(mktemp -d "$dl/.fetch.XXXXXX")"
	if (cd "$tmp" && apt-get download -q "$pkg=$v") && [ -f "$tmp/$file" ] &&
		echo "$sha  $tmp/$file" | sha256sum -c --status; then
		mv "$tmp/$file" "$dl/$file"
		rm -rf "$tmp"
		deb="$dl/$file" ver="$v"
		break
	fi
	rm -rf "$tmp"
	echo "   $pkg $v: not available or wrong sha256, trying the next pin"
done <"$lock"
if [ -z "$deb" ]; then
	echo "the Debian archive provided none of the pinned libtpms-dev versions" \
		"(scripts/deps.lock '#any deb libtpms-dev' lines)"
	exit 1
fi
echo "   using libtpms-dev $ver"

echo "== libtpms: extract"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/x"
mkdir -p "$OUT/lib" "$OUT/include"
cp "$work/x/usr/lib/x86_64-linux-gnu/libtpms.a" "$OUT/lib/libtpms.a"
cp -r "$work/x/usr/include/libtpms" "$OUT/include/"
cp "$work/x/usr/share/doc/libtpms-dev/copyright" "$OUT/copyright"
echo "$ver" >"$OUT/VERSION"

echo "== libtpms: rename glibc-ABI imports in a copy"
# Same name in glibc and picolibc, different ABI (docs/architecture.md §6 "Same-name ABI
# traps"): glibc's CLOCK_MONOTONIC is 1, picolibc's 4; FILE and stderr are
# different objects; getenv/getpid/rand have no meaning in the firmware.
# Each becomes vtpm_glibc_NAME, defined by vtpm/shim with glibc semantics.
: >"$work/redefine"
for s in clock clock_gettime gettimeofday stderr fopen fclose fread fwrite \
	fseek ftell fflush remove getenv getpid rand srand; do
	echo "$s vtpm_glibc_$s" >>"$work/redefine"
done
objcopy --redefine-syms="$work/redefine" "$OUT/lib/libtpms.a" "$OUT/lib/libtpms-svsm.a"
echo "== libtpms: done (libtpms-dev $ver)"
