#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/setup must refuse, with a message naming the package and version,
# a file the archive does not have, a file whose hash differs from the pin,
# and an unpinned file. Uses a throw-away cache; needs the Debian archive.
set -u
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0

expect_refusal() {
	local name="$1" lock="$2" want="$3" out rc
	n=$((n + 1))
	printf '%s\n' "$lock" >"$tmp/lock"
	out="$(SVSM_CACHE="$tmp/cache" SVSM_DEPS_LOCK="$tmp/lock" \
		"$root/scripts/setup" --fetch-only 2>&1)"
	rc=$?
	if [ "$rc" -ne 0 ] && printf '%s' "$out" | grep -qF -- "$want"; then
		echo "ok $n - $name"
	else
		echo "$out" | tail -5 | sed 's/^/# /'
		echo "not ok $n - $name (status $rc, wanted '$want')"
		fail=1
	fi
}

echo "1..4"
expect_refusal "a version the archive lacks is named" \
	"source picolibc 0.0.1-1 picolibc_0.0.1.orig.tar.gz 0000000000000000000000000000000000000000000000000000000000000000" \
	"source package picolibc version 0.0.1-1"
expect_refusal "a hash mismatch is refused" \
	"source picolibc 1.8.10-2 picolibc_1.8.10.orig.tar.gz 1111111111111111111111111111111111111111111111111111111111111111" \
	"picolibc 1.8.10-2: sha256 of picolibc_1.8.10.orig.tar.gz is d1fc2a20"
expect_refusal "an unpinned file is refused" \
	"source picolibc 1.8.10-2 picolibc_1.8.10.orig.tar.gz -" \
	"has no pinned sha256"
expect_refusal "a guest pin the archive lacks is named" \
	"#guest linux deb linux-source-7.2 0.0.1-1 linux-source-7.2_0.0.1-1_all.deb 0000000000000000000000000000000000000000000000000000000000000000" \
	"deb package linux-source-7.2 version 0.0.1-1"
exit "$fail"
