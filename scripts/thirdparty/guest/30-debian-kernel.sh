#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# An unmodified Debian kernel as a second client (guest/README.md): the
# binary kernel of Debian's cloud flavour (linux-binary-*-cloud-amd64,
# made for VMs: 23 MB of modules instead of 110 MB) and, from its modules
# package, configfs, tsm_report and sev-guest with what they depend on,
# both pinned in scripts/deps.lock ("#guest debian-kernel" lines). The
# modules go into a small cpio appended to the guest initramfs (the kernel
# unpacks concatenated archives in order); /init loads them in the order
# of /lib/modules/order.
#
# Output in $OUT:
#   vmlinuz            Debian's kernel, as packaged
#   initrd.cpio.gz     the guest initramfs followed by a cpio of
#                      /lib/modules/NAME.ko (decompressed: busybox insmod
#                      takes plain ELF; the appended signature is kept)
#                      and /lib/modules/order
#   VERSION, COPYING  (the packages' own copyright file is in
#                      linux-base-*, which we do not fetch: the licence is
#                      GPL-2.0, copied from the host)
set -euo pipefail

if [ "${1:-}" = "--key" ]; then
	objcopy --version | sed -n 1p
	cpio --version | sed -n 1p
	# The initramfs it extends (20-initramfs.sh runs first).
	sha256sum <"$SVSM_CACHE/guest-initramfs/initramfs.cpio.gz"
	exit 0
fi

progress() { echo "[setup] debian-kernel: $*" >&3; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
x="$work/x"
root="$work/root"
mkdir -p "$x" "$root/lib/modules"
while read -r tag r kind pkg ver file sha; do
	[ "$tag" = "#guest" ] && [ "$r" = debian-kernel ] || continue
	dpkg-deb -x "$SVSM_CACHE/downloads/$file" "$x"
	echo "$pkg $ver" >>"$OUT/VERSION"
done <"$DEPS_LOCK"
cp /usr/share/common-licenses/GPL-2 "$OUT/COPYING"
kdir="$(echo "$x"/usr/lib/modules/*)"
cp "$kdir/vmlinuz" "$OUT/vmlinuz"

# The module named $1 with its dependencies first: the "depends=" string of
# its .modinfo section (read with objcopy: kmod is not installed).
depends() {
	objcopy -O binary --only-section=.modinfo "$1" "$work/modinfo"
	tr '\0' '\n' <"$work/modinfo" | sed -n 's/^depends=//p' | tr , ' '
}
: >"$root/lib/modules/order"
want() {
	local name="$1" ko dep deps
	grep -qx "$name" "$root/lib/modules/order" && return 0
	ko="$(find "$kdir/kernel" -name "$name.ko.xz" -o -name "${name//_/-}.ko.xz" | sed -n 1p)"
	[ -n "$ko" ] || { echo "no module $name in the package"; exit 1; }
	xz -dc "$ko" >"$root/lib/modules/$name.ko"
	deps="$(depends "$root/lib/modules/$name.ko")"
	for dep in $deps; do
		want "$dep"
	done
	echo "$name" >>"$root/lib/modules/order"
}
for m in configfs tsm_report sev_guest; do
	want "$m"
done
echo "== modules, in load order:"
cat "$root/lib/modules/order"

find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --reproducible --quiet) |
	gzip -9 -n >"$work/modules.cpio.gz"
cat "$SVSM_CACHE/guest-initramfs/initramfs.cpio.gz" "$work/modules.cpio.gz" \
	>"$OUT/initrd.cpio.gz"
progress "$(basename "$kdir"): vmlinuz $(stat -c %s "$OUT/vmlinuz") bytes," \
	"modules: $(tr '\n' ' ' <"$root/lib/modules/order")"
# Only the outputs are needed again; the .debs are fetched again on a miss.
while read -r tag r kind pkg ver file sha; do
	[ "$tag" = "#guest" ] && [ "$r" = debian-kernel ] || continue
	rm -f "$SVSM_CACHE/downloads/$file"
done <"$DEPS_LOCK"
