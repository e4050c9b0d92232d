#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# A minimal OpenSSL 3.5.7 libcrypto for the freestanding x86_64 target, only
# for libtpms (docs/architecture.md §6: every OpenSSL symbol libtpms 0.9.2 imports exists
# in 3.5.7). Compiled against picolibc (10-picolibc.sh), never against the
# host's glibc headers. Output in $OUT: include/ (OpenSSL's public headers
# plus the generated ones) and lib/libcrypto.a.
#
# Configure options, and why:
#   linux-x86_64          LP64 little-endian, the right bn word size; we
#                         only build libcrypto.a so no link flags matter
#   no-asm                C only: the full perlasm set is ~1.3 MB more
#                         text (697 KB of it AES-GCM for AVX-512) and
#                         dispatches to AVX/AVX-512, which the firmware does
#                         not save. One exception, below: Montgomery
#                         multiplication (RSA key generation is 3-4x
#                         faster with it).
#   no-shared no-module no-dso no-pinshared
#                         one static archive; no dlopen, no providers
#                         loaded at run time
#   no-threads no-thread-pool no-default-thread-pool
#                         the vTPM runs under one lock; no pthread
#   no-sock no-dgram no-http no-quic no-ktls no-afalgeng no-engine
#   no-async no-ui-console no-stdio no-autoload-config no-secure-memory
#                         no OS services: sockets, files, mmap, termios,
#                         config files, ucontext
#   no-apps no-tests no-docs
#                         only the library
#   --with-rand-seed=getrandom
#                         the seed source calls getentropy(), which the
#                         vTPM shim backs with RDSEED (fails hard, never a
#                         weaker source)
#   no-idea no-rc2 no-rc4 no-rc5 no-md4 no-mdc2 no-whirlpool no-seed no-bf
#   no-cast no-blake2 no-siphash no-siv no-sm2 no-sm3 no-sm4 no-ec2m no-dh
#   no-dsa no-gost no-ecx no-scrypt no-argon2 no-ml-kem no-ml-dsa
#   no-slh-dsa no-ocsp no-ts no-cms no-ct no-srp no-comp no-cmp
#   no-rfc3779 no-legacy no-padlockeng no-srtp no-ssl-trace no-uplink
#   no-filenames
#                         algorithms and formats libtpms never calls
# Bignum assembly, no AVX (docs/architecture.md §6 has the figures):
# - Montgomery multiplication (x86_64-mont.pl, x86_64-mont5.pl): general
#   registers (MULX/ADCX/ADOX when OPENSSL_ia32cap_P says BMI1+BMI2+ADX)
#   and SSE2 for the constant-time table gathers. Built with
#   -DOPENSSL_BN_ASM_MONT5 (only bn_exp.c reads it: the constant-time
#   modexp, which libtpms' Miller-Rabin tests take, uses bn_mul_mont,
#   bn_power5, bn_*gather5); OPENSSL_BN_ASM_MONT stays off, so RSAZ is never
#   compiled in: OpenSSL 3.5 takes rsaz_1024_mod_exp_avx2 for 1024-bit
#   operands only with AVX2, RSAZ_512 only for 512-bit ones (RSA-1024), and
#   the AVX-512 IFMA code only for RSA private-key CRT.
# - The word routines (bn_mul_add_words, bn_div_words, comba) from
#   x86_64-gcc.c, GCC inline assembly in C that OpenSSL's own x86_64
#   builds use instead of bn_asm.c, whose no-asm fallbacks split every
#   64x64-bit product into four 32x32-bit ones. Compiled with the command
#   make uses for bn_asm.c, it replaces that object (and with it bn_asm.c's
#   bn_mul_mont stub, so the assembly bn_mul_mont is the only definition).
# OPENSSL_ia32cap_P is left zero by the no-asm build; the vTPM sets its
# BMI/ADX bits (vtpm/vtpm.c).
# Kept on purpose: deprecated low-level APIs (libtpms calls AES_*, SHA*_Init,
# RSA_*, EC_KEY_*, DES_*), DES (TDES), Camellia, RSA, EC on prime curves,
# HMAC, CMAC, BIO (libtpms base64-decodes through a memory BIO).
set -euo pipefail
echo "== openssl: unpack"
pico="$SVSM_CACHE/10-picolibc"
test -f "$pico/lib/libc.a" || { echo "picolibc is not built"; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$SVSM_CACHE/downloads/openssl_3.5.7.orig.tar.gz"
src="$work/openssl-3.5.7"
gcc_inc="$(gcc -print-file-name=include)"

# picolibc has no <sys/dirent.h> (it #errors); OpenSSL's o_dir.c wants
# DIR and struct dirent to compile. Declare them opaque here: nothing that
# libtpms pulls in lists directories, so opendir() stays unresolved and
# unlinked (the vTPM import check would catch it otherwise).
mkdir -p "$work/compat/sys"
cat >"$work/compat/sys/dirent.h" <<'EOH'
#pragma once
typedef struct svsm_no_dir DIR;
struct dirent {
	char d_name[256];
};
EOH

# Freestanding: picolibc's headers first, then gcc's own. -U__linux__ so
# that OpenSSL takes no Linux-only path (syscall(), <linux/...> headers):
# the target is "a Unix with picolibc", not Linux.
cflags="-O2 -ffreestanding -nostdinc -isystem $work/compat -isystem $pico/include -idirafter $gcc_inc"
cflags+=" -U__linux__ -U__linux -Ulinux -U__gnu_linux__"
cflags+=" -fno-pic -fno-pie -mcmodel=small -mno-red-zone -msse2"
cflags+=" -fno-stack-protector -fno-asynchronous-unwind-tables -fcf-protection=none"
cflags+=" -ffunction-sections -fdata-sections -DOPENSSL_NO_SECURE_MEMORY -DNO_SYSLOG"
cflags+=" -DOPENSSL_BN_ASM_MONT5"

echo "== openssl: configure"
cd "$src"
./Configure linux-x86_64 --prefix="$OUT" --openssldir="$OUT/ssl" \
	--with-rand-seed=getrandom \
	no-asm no-shared no-module no-dso no-pinshared \
	no-threads no-thread-pool no-default-thread-pool \
	no-sock no-dgram no-http no-quic no-ktls no-afalgeng no-engine \
	no-async no-ui-console no-stdio no-autoload-config no-secure-memory \
	no-apps no-tests no-docs \
	no-idea no-rc2 no-rc4 no-rc5 no-md4 no-mdc2 no-whirlpool no-seed no-bf \
	no-cast no-blake2 no-siphash no-siv no-sm2 no-sm3 no-sm4 no-ec2m no-dh \
	no-dsa no-gost no-ecx no-scrypt no-argon2 no-ml-kem no-ml-dsa \
	no-slh-dsa no-ocsp no-ts no-cms no-ct no-srp no-comp no-cmp \
	no-rfc3779 no-legacy no-padlockeng no-srtp no-ssl-trace no-uplink \
	no-filenames \
	CC=gcc CFLAGS="$cflags" CPPFLAGS= LDFLAGS= LDLIBS=

echo "== openssl: build libcrypto.a (C only, about 80 s on 2 cores)"
make -j"$(nproc)" build_generated >/dev/null
make -j"$(nproc)" libcrypto.a

echo "== openssl: bignum assembly (Montgomery, word routines)"
for m in x86_64-mont x86_64-mont5; do
	# CC tells perlasm which assembler syntax the toolchain accepts.
	CC=gcc perl "crypto/bn/asm/$m.pl" elf "$work/$m.s"
	gcc -c -Wa,--noexecstack "$work/$m.s" -o "$work/libcrypto-lib-$m.o"
done
# x86_64-gcc.c in place of bn_asm.c (see the top of this file).
cc_line="$(make -n -W crypto/bn/bn_asm.c crypto/bn/libcrypto-lib-bn_asm.o |
	grep -E -- '-c -o crypto/bn/libcrypto-lib-bn_asm.o crypto/bn/bn_asm.c$')"
test -n "$cc_line" || { echo "no compile line for bn_asm.c"; exit 1; }
eval "${cc_line% -c -o *} -c -o $work/libcrypto-lib-bn_asm.o crypto/bn/asm/x86_64-gcc.c"
ar d libcrypto.a libcrypto-lib-bn_asm.o
ar rs libcrypto.a "$work/libcrypto-lib-bn_asm.o" \
	"$work/libcrypto-lib-x86_64-mont.o" "$work/libcrypto-lib-x86_64-mont5.o"
defs="$(nm -A --defined-only libcrypto.a 2>/dev/null | grep -c ' T bn_mul_mont$')"
if [ "$defs" != 1 ]; then
	echo "bn_mul_mont is defined $defs times in libcrypto.a (want 1)"
	exit 1
fi

echo "== openssl: install"
mkdir -p "$OUT/lib" "$OUT/include"
cp libcrypto.a "$OUT/lib/"
cp -r include/openssl "$OUT/include/"
echo "== openssl: done ($(du -sh "$OUT/lib/libcrypto.a" | cut -f1) libcrypto.a)"
