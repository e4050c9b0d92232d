/* SPDX-License-Identifier: MIT */
/*
 * The vTPM shim's glibc-ABI pieces checked against glibc itself, on the
 * host: the ctype table (libtpms' compiled isxxx() macros index it with
 * glibc's bit layout), the fortify checkers (a violated check must stop
 * the vTPM), the clock wrappers, and _setjmp/__longjmp_chk within glibc's
 * 200-byte jmp_buf. The shim's sources are compiled in under other names.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>

#include "tap.h"

/* The shim under test-only names (glibc exports the real ones). */
#define __memcpy_chk shim_memcpy_chk
#define __memset_chk shim_memset_chk
#define __snprintf_chk shim_snprintf_chk
#define __vsnprintf_chk shim_vsnprintf_chk
#define __asprintf_chk shim_asprintf_chk
#define __dprintf_chk shim_dprintf_chk
#define __vdprintf_chk shim_vdprintf_chk
#define __stack_chk_fail shim_stack_chk_fail
#define __assert_fail shim_assert_fail
#define __errno_location shim_errno_location
#define __ctype_b_loc shim_ctype_b_loc
/* glibc's errno calls __errno_location: give the shim its own variable. */
#undef errno
static int test_errno;
#define errno test_errno
#include "../../../vtpm/shim/glibc_abi.c"
#undef __ctype_b_loc
#include "../../../vtpm/shim/glibc_stdio.c"

/* The embedder's hooks, instrumented. */
static jmp_buf abort_jmp;
static const char *abort_why;
static char log_buf[512];
static uint64_t fake_ns;

void vtpm_plat_log(const char *msg, size_t len)
{
	size_t n = len < sizeof(log_buf) - 1 ? len : sizeof(log_buf) - 1;
	memcpy(log_buf, msg, n);
	log_buf[n] = '\0';
}

uint64_t vtpm_plat_monotonic_ns(void)
{
	return fake_ns;
}

_Noreturn void vtpm_plat_abort(const char *why)
{
	abort_why = why;
	longjmp(abort_jmp, 1);
}

/* Runs fn; true if it called vtpm_plat_abort. */
static bool aborts(void (*fn)(void))
{
	abort_why = NULL;
	if (setjmp(abort_jmp) == 0) {
		fn();
		return false;
	}
	return abort_why != NULL;
}

TAP_CASE(ctype_table_matches_glibc)
{
	const uint16_t *ours = *shim_ctype_b_loc();
	const unsigned short *glibc = *__ctype_b_loc();
	int diff = 0;

	for (int c = -128; c < 256; c++) {
		if (ours[c] != glibc[c]) {
			printf("# ctype[%d]: shim 0x%04x glibc 0x%04x\n", c,
			       ours[c], glibc[c]);
			diff++;
		}
	}
	CHECK_EQ(diff, 0);
	CHECK_TRUE(shim_ctype_b_loc() == shim_ctype_b_loc());
}

static uint8_t small[8];
static void overflow_memcpy(void)
{
	static const uint8_t src[9];
	shim_memcpy_chk(small, src, 9, sizeof(small));
}
static void overflow_memset(void)
{
	shim_memset_chk(small, 0, 9, sizeof(small));
}
static void overflow_snprintf(void)
{
	char buf[4];
	shim_snprintf_chk(buf, 8, 1, sizeof(buf), "%d", 1);
}

TAP_CASE(fortify_checks_stop_the_vtpm)
{
	char buf[16];

	CHECK_TRUE(shim_memcpy_chk(small, "abcdefgh", 8, sizeof(small)) ==
		   small);
	CHECK_TRUE(memcmp(small, "abcdefgh", 8) == 0);
	CHECK_TRUE(aborts(overflow_memcpy));
	CHECK_TRUE(aborts(overflow_memset));
	CHECK_TRUE(aborts(overflow_snprintf));
	CHECK_EQ(shim_snprintf_chk(buf, sizeof(buf), 1, sizeof(buf), "%s-%u",
				   "tpm", 2u),
		 5);
	CHECK_STR(buf, "tpm-2");
	shim_dprintf_chk(2, 1, "libtpms: %d\n", 42);
	CHECK_STR(log_buf, "libtpms: 42\n");
	char *s = NULL;
	CHECK_EQ(shim_asprintf_chk(&s, 1, "%x", 255u), 2);
	CHECK_STR(s ? s : "", "ff");
	free(s);
	CHECK_TRUE(shim_errno_location() == &test_errno);
}

TAP_CASE(glibc_clock_abi)
{
	struct glibc_timespec ts = {0, 0};
	struct glibc_timeval tv = {0, 0};

	static_assert(sizeof(struct glibc_timespec) == sizeof(struct timespec),
		      "glibc timespec layout");
	fake_ns = UINT64_C(12) * 1000000000u + 345678901u;
	CHECK_EQ(vtpm_glibc_clock_gettime(1 /* glibc CLOCK_MONOTONIC */, &ts),
		 0);
	CHECK_EQ(ts.tv_sec, 12);
	CHECK_EQ(ts.tv_nsec, 345678901);
	CHECK_EQ(vtpm_glibc_gettimeofday(&tv, NULL), 0);
	CHECK_EQ(tv.tv_sec, 12);
	CHECK_EQ(tv.tv_usec, 345678);
	CHECK_EQ(vtpm_glibc_clock(), 12345678);
	CHECK_TRUE(vtpm_glibc_getenv("TPM_PATH") == NULL);
}

/* _setjmp / __longjmp_chk from setjmp.S, built as test_setjmp / ... */
int test_setjmp(void *buf);
_Noreturn void test_longjmp_chk(void *buf, int val);

static uint8_t jbuf[200] __attribute__((aligned(16)));

static __attribute__((noinline)) void jump_back(int val)
{
	test_longjmp_chk(jbuf, val);
}

TAP_CASE(setjmp_longjmp_in_a_glibc_jmp_buf)
{
	volatile int round = 0;
	volatile uint64_t keep = 0x1122334455667788u;

	static_assert(sizeof(jmp_buf) == 200, "glibc's jmp_buf");
	memset(jbuf, 0xa5, sizeof(jbuf));
	int r = test_setjmp(jbuf);
	if (round == 0) {
		CHECK_EQ(r, 0);
		round = 1;
		jump_back(7);
	} else if (round == 1) {
		CHECK_EQ(r, 7);
		round = 2;
		jump_back(0);
	} else {
		CHECK_EQ(r, 1); /* longjmp(buf, 0) returns 1 */
	}
	CHECK_EQ(round, 2);
	CHECK_EQ(keep, 0x1122334455667788u);
	/* Only the first 64 bytes of glibc's 200-byte jmp_buf are used. */
	int touched = 0;
	for (size_t i = 64; i < sizeof(jbuf); i++) {
		touched += jbuf[i] != 0xa5;
	}
	CHECK_EQ(touched, 0);
}

TAP_MAIN(TAP_ENTRY(ctype_table_matches_glibc),
	 TAP_ENTRY(fortify_checks_stop_the_vtpm), TAP_ENTRY(glibc_clock_abi),
	 TAP_ENTRY(setjmp_longjmp_in_a_glibc_jmp_buf))
