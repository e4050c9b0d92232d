#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The guest initramfs (guest/README.md): busybox-static and tpm2-tools
# from the .debs pinned in scripts/deps.lock ("#guest initramfs" lines,
# including the TSS libraries tpm2 links and the tcti-device library it
# dlopen()s), the rest of their library closure (libc, libcurl, gnutls,
# ...) from the host's bookworm packages, whose versions go into the cache
# key (`--key`) and the MANIFEST; guest/initramfs/init and checks*.sh.
# Reproducible: fixed mtimes and owners, sorted names, gzip -n.
#
# Output in $OUT:
#   initramfs.cpio.gz   what QEMU's -initrd / the image builder takes
#   initramfs.cpio      the same, uncompressed: 2.4x the bytes to load and
#                       measure, but the kernel unpacks it in about a third
#                       of the time (no gunzip under emulation; guest/README.md)
#   MANIFEST            package versions and file list
#   licenses/           the packages' copyright files
set -euo pipefail

triplet=x86_64-linux-gnu

# The library paths in `ldd` output (stdin), the loader included.
ldd_paths() {
	awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $1 !~ /:$/ {print $1}'
}

# The host libraries the closure takes: those `ldd` finds for the host's
# tpm2 (same version as the pin: tpm2-tools is in scripts/packages.txt).
host_closure_files() {
	ldd /usr/bin/tpm2 "/usr/lib/$triplet/libtss2-tcti-device.so.0" |
		ldd_paths |
		LC_ALL=C sort -u
}
host_closure_packages() {
	host_closure_files | while read -r f; do
		dpkg -S "$(readlink -f "$f")" 2>/dev/null ||
			dpkg -S "$f" 2>/dev/null || true
	done | cut -d: -f1 | LC_ALL=C sort -u |
		xargs dpkg-query -W -f='${Package} ${Version}\n'
}

if [ "${1:-}" = "--key" ]; then
	# The files themselves, not their package versions: dpkg -S is slow,
	# and this runs on every scripts/setup.
	host_closure_files | xargs readlink -f | xargs sha256sum
	cpio --version | sed -n 1p
	gzip --version | sed -n 1p
	exit 0
fi

progress() { echo "[setup] initramfs: $*" >&3; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
debs="$work/debs"
root="$work/root"
mkdir -p "$debs" "$root" "$OUT/licenses"

echo "== extract the pinned packages"
: >"$OUT/MANIFEST"
while read -r tag r kind pkg ver file sha; do
	[ "$tag" = "#guest" ] && [ "$r" = initramfs ] || continue
	dpkg-deb -x "$SVSM_CACHE/downloads/$file" "$debs"
	echo "pinned $pkg $ver" >>"$OUT/MANIFEST"
	cp "$debs/usr/share/doc/$pkg/copyright" "$OUT/licenses/$pkg" 2>/dev/null || true
done <"$DEPS_LOCK"
host_closure_packages | sed 's/^/host /' >>"$OUT/MANIFEST"

for d in bin sbin usr/bin usr/sbin "lib/$triplet" "usr/lib/$triplet" lib64 \
	lib/svsm etc proc sys dev tmp run root; do
	mkdir -p "$root/$d"
done

echo "== busybox and its applets"
cp "$debs/bin/busybox" "$root/bin/busybox"
# Links made here, not by `busybox --install` at boot: guest time is the
# expensive kind.
"$debs/bin/busybox" --list-full | while read -r a; do
	[ -e "$root/$a" ] || ln -s /bin/busybox "$root/$a"
done

echo "== tpm2-tools"
cp "$debs/usr/bin/tpm2" "$root/usr/bin/tpm2"
for t in getrandom startup getcap pcrread pcrextend selftest quote createprimary; do
	ln -s tpm2 "$root/usr/bin/tpm2_$t"
done

# copy_closure FILE...: each ELF's ldd closure, resolved against the
# pinned packages first, then the host; every library keeps its path.
copy_closure() {
	local f lib
	for f in "$@"; do
		if LD_LIBRARY_PATH="$debs/usr/lib/$triplet" ldd "$f" | grep 'not found' >/dev/null; then
			LD_LIBRARY_PATH="$debs/usr/lib/$triplet" ldd "$f"
			echo "unresolved libraries for $f"
			exit 1
		fi
		LD_LIBRARY_PATH="$debs/usr/lib/$triplet" ldd "$f" |
			ldd_paths |
			while read -r lib; do
				local dst="${lib#"$debs"}"
				[ -e "$root$dst" ] && continue
				mkdir -p "$root$(dirname "$dst")"
				cp -L "$lib" "$root$dst"
			done
	done
}
# The tcti-device library is dlopen()ed by libtss2-tctildr at run time, so
# ldd of tpm2 does not show it.
cp -L "$debs/usr/lib/$triplet/libtss2-tcti-device.so.0" "$root/usr/lib/$triplet/"
copy_closure "$root/usr/bin/tpm2" "$root/usr/lib/$triplet/libtss2-tcti-device.so.0"
# Debian's ld.so finds libraries through ld.so.cache.
printf '/lib/%s\n/usr/lib/%s\n' "$triplet" "$triplet" >"$root/etc/ld.so.conf"
ldconfig -r "$root"

echo "== init"
install -m 0755 "$SVSM_ROOT/guest/initramfs/init" "$root/init"
for f in "$SVSM_ROOT"/guest/initramfs/checks*.sh; do
	install -m 0644 "$f" "$root/lib/svsm/$(basename "$f")"
done

echo "== pack"
find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --reproducible --quiet) >"$OUT/initramfs.cpio"
gzip -9 -n <"$OUT/initramfs.cpio" >"$OUT/initramfs.cpio.gz"
(cd "$root" && find . -mindepth 1 -type f | LC_ALL=C sort) |
	sed 's/^/file /' >>"$OUT/MANIFEST"
progress "$(stat -c %s "$OUT/initramfs.cpio.gz") bytes gzip," \
	"$(du -sb "$root" | cut -f1) bytes unpacked," \
	"$(find "$root" -type f | wc -l) files"
