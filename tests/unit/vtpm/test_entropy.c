/* SPDX-License-Identifier: MIT */
/*
 * vtpm/shim/entropy.c on the host: getentropy() and rand() come from the
 * CPU (RDSEED, else RDRAND), srand() cannot make rand() predictable, and
 * when the CPU offers neither instruction the vTPM stops instead of
 * falling back to anything weaker. The source is compiled in, so the test
 * can take the CPU's instructions away.
 */
#include <setjmp.h>

#include "tap.h"

#define getentropy shim_getentropy
#include "../../../vtpm/shim/entropy.c"

static jmp_buf abort_jmp;
static const char *abort_why;

_Noreturn void vtpm_plat_abort(const char *why)
{
	abort_why = why;
	longjmp(abort_jmp, 1);
}

TAP_CASE(getentropy_fills_and_bounds)
{
	uint8_t a[256];
	uint8_t b[256];

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	CHECK_EQ(shim_getentropy(a, sizeof(a)), 0);
	CHECK_EQ(shim_getentropy(b, sizeof(b)), 0);
	CHECK_TRUE(memcmp(a, b, sizeof(a)) != 0);
	int zero = 0;
	for (size_t i = 0; i < sizeof(a); i++) {
		zero += a[i] == 0;
	}
	CHECK_TRUE(zero < 16); /* ~1 expected from random bytes */
	CHECK_EQ(shim_getentropy(a, 257), -1);
	CHECK_EQ(errno, EIO);
	CHECK_EQ(shim_getentropy(a, 0), 0);
}

TAP_CASE(srand_does_not_make_rand_repeat)
{
	int first[8];
	int same = 0;

	vtpm_glibc_srand(1);
	for (int i = 0; i < 8; i++) {
		first[i] = vtpm_glibc_rand();
		CHECK_TRUE(first[i] >= 0);
	}
	vtpm_glibc_srand(1);
	for (int i = 0; i < 8; i++) {
		same += vtpm_glibc_rand() == first[i];
	}
	CHECK_TRUE(same < 8);
}

TAP_CASE(no_cpu_entropy_stops_the_vtpm)
{
	uint8_t buf[16];
	volatile int reached = 0;

	probe_cpu();
	cpu_has_rdseed = 0; /* RDRAND alone still works */
	CHECK_EQ(shim_getentropy(buf, sizeof(buf)), 0);
	cpu_has_rdrand = 0; /* neither: must stop, not fall back */
	abort_why = NULL;
	if (setjmp(abort_jmp) == 0) {
		shim_getentropy(buf, sizeof(buf));
		reached = 1;
	}
	CHECK_EQ(reached, 0);
	CHECK_TRUE(abort_why != NULL);
	abort_why = NULL;
	if (setjmp(abort_jmp) == 0) {
		vtpm_glibc_rand();
		reached = 1;
	}
	CHECK_EQ(reached, 0);
	CHECK_TRUE(abort_why != NULL);
	probe_cpu();
}

TAP_MAIN(TAP_ENTRY(getentropy_fills_and_bounds),
	 TAP_ENTRY(srand_does_not_make_rand_repeat),
	 TAP_ENTRY(no_cpu_entropy_stops_the_vtpm))
