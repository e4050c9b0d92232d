/* SPDX-License-Identifier: MIT */
/*
 * Entropy for the vTPM, from the CPU only (RDSEED, else RDRAND).
 *
 * Everything random in the vTPM comes through here: OpenSSL seeds its DRBG
 * with getentropy() (--with-rand-seed=getrandom), and libtpms calls
 * srand()/rand() at every init and falls back to rand() when OpenSSL's RNG
 * fails (docs/architecture.md §6 "Entropy"). So rand() must be as strong as
 * getentropy(): it is RDRAND, and srand() has no effect. When the CPU gives no
 * entropy we stop the vTPM (vtpm_plat_abort): a TPM with guessable keys is
 * worse than no TPM, so there is no weaker fallback anywhere.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <vtpm/vtpm_platform.h>

#include "shim.h"

/* Intel's guidance: RDRAND may fail transiently; retry ten times. RDSEED
 * fails more often under load, so it gets more tries (with PAUSE) before
 * we fall back to RDRAND, which is itself a DRBG reseeded by the same
 * hardware source. */
#define RDSEED_TRIES 1024
#define RDRAND_TRIES 10

static int cpu_has_rdseed = -1;
static int cpu_has_rdrand = -1;

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static void probe_cpu(void)
{
	uint32_t r[4] = {0, 0, 0, 0};

	cpuid(0, 0, r);
	uint32_t max_leaf = r[0];
	cpuid(1, 0, r);
	cpu_has_rdrand = (r[2] >> 30) & 1;
	cpu_has_rdseed = 0;
	if (max_leaf >= 7) {
		cpuid(7, 0, r);
		cpu_has_rdseed = (r[1] >> 18) & 1;
	}
}

static bool rdseed64(uint64_t *v)
{
	for (int i = 0; i < RDSEED_TRIES; i++) {
		uint8_t ok = 0;
		__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok) {
			return true;
		}
		__asm__ volatile("pause");
	}
	return false;
}

static bool rdrand64(uint64_t *v)
{
	for (int i = 0; i < RDRAND_TRIES; i++) {
		uint8_t ok = 0;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok) {
			return true;
		}
	}
	return false;
}

static uint64_t entropy64(void)
{
	uint64_t v = 0;

	if (cpu_has_rdseed < 0) {
		probe_cpu();
	}
	if (cpu_has_rdseed && rdseed64(&v)) {
		return v;
	}
	if (cpu_has_rdrand && rdrand64(&v)) {
		return v;
	}
	vtpm_plat_abort("vtpm: no entropy from RDSEED/RDRAND");
}

void shim_entropy_fill(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		uint64_t v = entropy64();
		size_t n = len < sizeof(v) ? len : sizeof(v);
		for (size_t i = 0; i < n; i++) {
			p[i] = (uint8_t)(v >> (8 * i));
		}
		p += n;
		len -= n;
		v = 0;
	}
}

/** glibc/POSIX getentropy: at most 256 bytes per call. OpenSSL's seed
 * source calls it (weak reference in rand_unix.c). */
int getentropy(void *buf, size_t len);
int getentropy(void *buf, size_t len)
{
	if (len > 256) {
		errno = EIO;
		return -1;
	}
	shim_entropy_fill(buf, len);
	return 0;
}

/* libtpms' rand()/srand() (renamed from glibc's names in our copy of the
 * archive). Never predictable, whatever seed libtpms passes. */
int vtpm_glibc_rand(void);
void vtpm_glibc_srand(unsigned int seed);

int vtpm_glibc_rand(void)
{
	return (int)(entropy64() & 0x7fffffffu);
}

void vtpm_glibc_srand(unsigned int seed)
{
	(void)seed;
}
