#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mbedTLS 3.6.6 (Debian trixie source, pinned in scripts/deps.lock) built
# with the firmware's own flags for the SVSM (AES-256-GCM, SHA-384/512,
# HMAC-DRBG) and snpemu's PSP (ECDSA/ECDH P-384). The vTPM does not use it.
#
# Output in $OUT:
#   include/mbedtls/...  the public headers, with mbedtls_config.h replaced
#                        by the small configuration below (so every user
#                        sees the same configuration without -D flags)
#   lib/libmbedcrypto.a  the crypto library (no TLS, no X.509)
# Imports: memcpy, memset, memcmp, memmove, strlen, strcmp: the firmware's
# runtime has them. Memory comes from a calloc/free pair the user installs
# with mbedtls_platform_set_calloc_free(); there is no default allocator.
# Compiled with the firmware's flags: no SSE (-mgeneral-regs-only, so no
# AES-NI: AES uses the table code), no red zone, non-PIC small code model.
# Only picolibc's headers are used (for <string.h> and <stdlib.h>
# declarations); nothing from picolibc is linked.
set -euo pipefail
echo "== mbedtls: unpack"
pico="$SVSM_CACHE/10-picolibc"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xjf "$SVSM_CACHE/downloads/mbedtls_3.6.6.orig.tar.bz2"
src="$work/mbedtls-3.6.6"
gcc_inc="$(gcc -print-file-name=include)"

mkdir -p "$OUT/include" "$OUT/lib" "$work/obj"
cp -r "$src/include/mbedtls" "$src/include/psa" "$OUT/include/"
cat >"$OUT/include/mbedtls/mbedtls_config.h" <<'EOC'
/* SVSM configuration of mbedTLS 3.6 (scripts/thirdparty/30-mbedtls.sh). */
#pragma once
/* Platform: no libc behind it; the user installs calloc/free. */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_NO_STD_FUNCTIONS
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_HAVE_ASM
/* No 128-bit division: it would need libgcc's __udivti3. */
#define MBEDTLS_NO_UDBL_DIVISION
/* AES-256-GCM (SVSM secrets, the guest-request channel). */
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_CIPHER_C
#define MBEDTLS_GCM_C
/* Hashes, HMAC and the deterministic RBG. */
#define MBEDTLS_MD_C
#define MBEDTLS_SHA224_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA384_C
#define MBEDTLS_SHA512_C
#define MBEDTLS_HMAC_DRBG_C
/* ECDSA and ECDH on P-384 (SNP attestation reports, the PSP emulation). */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDSA_DETERMINISTIC
#define MBEDTLS_ECDH_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
EOC

cflags=(-O2 -std=gnu11 -ffreestanding -fno-builtin -nostdinc -isystem "$pico/include"
	-idirafter "$gcc_inc" -mno-red-zone -mgeneral-regs-only -mcmodel=small
	-fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables
	-fcf-protection=none -ffunction-sections -fdata-sections
	-I"$OUT/include" -I"$src/library")

echo "== mbedtls: compile"
n=0
for c in "$src"/library/*.c; do
	gcc "${cflags[@]}" -c "$c" -o "$work/obj/$(basename "$c" .c).o" &
	n=$((n + 1))
	if [ $((n % 8)) -eq 0 ]; then wait; fi
done
wait
echo "== mbedtls: archive"
ar rcs "$OUT/lib/libmbedcrypto.a" "$work"/obj/*.o
# Fail here, not in the firmware link, if the configuration pulls in libc.
undef="$(nm -u --format=posix "$OUT/lib/libmbedcrypto.a" | awk '{print $1}' | sort -u)"
defd="$(nm --defined-only --format=posix "$OUT/lib/libmbedcrypto.a" | awk '{print $1}' | sort -u)"
imports="$(comm -23 <(echo "$undef") <(echo "$defd") | grep -v ':$' | tr '\n' ' ')"
echo "== mbedtls: imports: $imports"
for s in $imports; do
	case "$s" in
	memcpy | memset | memcmp | memmove | strlen | strcmp) ;;
	*) echo "unexpected import $s"; exit 1 ;;
	esac
done
echo "== mbedtls: done ($(size -t "$OUT/lib/libmbedcrypto.a" | tail -1 | awk '{print $1}') bytes text)"
