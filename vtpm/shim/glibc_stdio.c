/* SPDX-License-Identifier: MIT */
/*
 * Imports of libtpms whose names exist in picolibc with another ABI
 * (docs/architecture.md §6 "Same-name ABI traps"). Our copy of the archive
 * calls them vtpm_glibc_NAME (scripts/thirdparty/40-libtpms.sh); here they get
 * glibc's meaning. Files: libtpms opens its state files only when no NV
 * callbacks are registered; vtpm.c always registers them, so reaching the file
 * functions is a bug and stops the vTPM.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <vtpm/vtpm_platform.h>

#include "shim.h"

/* glibc's struct timespec and struct timeval on x86_64. */
struct glibc_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct glibc_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

/* glibc's clock ids (picolibc's CLOCK_MONOTONIC is 4, glibc's is 1). */
enum {
	GLIBC_CLOCK_REALTIME = 0,
	GLIBC_CLOCK_MONOTONIC = 1,
	GLIBC_CLOCK_MONOTONIC_RAW = 4,
	GLIBC_CLOCK_BOOTTIME = 7,
};

#define NSEC_PER_SEC UINT64_C(1000000000)

int vtpm_glibc_clock_gettime(int clk, struct glibc_timespec *ts);
int vtpm_glibc_gettimeofday(struct glibc_timeval *tv, void *tz);
int64_t vtpm_glibc_clock(void);
void *vtpm_glibc_fopen(const char *path, const char *mode);
int vtpm_glibc_fclose(void *f);
size_t vtpm_glibc_fread(void *p, size_t sz, size_t n, void *f);
size_t vtpm_glibc_fwrite(const void *p, size_t sz, size_t n, void *f);
int vtpm_glibc_fseek(void *f, int64_t off, int whence);
int64_t vtpm_glibc_ftell(void *f);
int vtpm_glibc_fflush(void *f);
int vtpm_glibc_remove(const char *path);
char *vtpm_glibc_getenv(const char *name);
int vtpm_glibc_getpid(void);

/* glibc's `FILE *stderr` is a variable; libtpms only hands it back to us. */
static int stderr_token;
void *vtpm_glibc_stderr = &stderr_token;

/*
 * The firmware has one time base: monotonic, from its TSC. The TPM's clock
 * is relative anyway (TPM2 Clock/Time start at zero at manufacture), so
 * REALTIME is the same count; a guest that needs the date has its own.
 */
int vtpm_glibc_clock_gettime(int clk, struct glibc_timespec *ts)
{
	(void)clk;
	uint64_t ns = vtpm_plat_monotonic_ns();
	ts->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (int64_t)(ns % NSEC_PER_SEC);
	return 0;
}

int vtpm_glibc_gettimeofday(struct glibc_timeval *tv, void *tz)
{
	(void)tz;
	uint64_t ns = vtpm_plat_monotonic_ns();
	tv->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
	tv->tv_usec = (int64_t)(ns % NSEC_PER_SEC / 1000);
	return 0;
}

/* glibc's clock(): CLOCKS_PER_SEC is 1000000 there (picolibc's differs). */
int64_t vtpm_glibc_clock(void)
{
	return (int64_t)(vtpm_plat_monotonic_ns() / 1000);
}

void *vtpm_glibc_fopen(const char *path, const char *mode)
{
	(void)path;
	(void)mode;
	vtpm_plat_abort(
		"vtpm: libtpms tried to open a file (no NV callbacks?)");
}

int vtpm_glibc_fclose(void *f)
{
	(void)f;
	vtpm_plat_abort("vtpm: libtpms fclose without fopen");
}

size_t vtpm_glibc_fread(void *p, size_t sz, size_t n, void *f)
{
	(void)p;
	(void)sz;
	(void)n;
	(void)f;
	vtpm_plat_abort("vtpm: libtpms fread without fopen");
}

int vtpm_glibc_fseek(void *f, int64_t off, int whence)
{
	(void)f;
	(void)off;
	(void)whence;
	vtpm_plat_abort("vtpm: libtpms fseek without fopen");
}

int64_t vtpm_glibc_ftell(void *f)
{
	(void)f;
	vtpm_plat_abort("vtpm: libtpms ftell without fopen");
}

int vtpm_glibc_remove(const char *path)
{
	(void)path;
	vtpm_plat_abort("vtpm: libtpms tried to remove a file");
}

/* Diagnostics written to stderr go to the log; other streams cannot exist. */
size_t vtpm_glibc_fwrite(const void *p, size_t sz, size_t n, void *f)
{
	if (f != vtpm_glibc_stderr) {
		vtpm_plat_abort("vtpm: libtpms fwrite to a file");
	}
	if (sz != 0 && n != 0) {
		vtpm_plat_log(p, sz * n);
	}
	return n;
}

int vtpm_glibc_fflush(void *f)
{
	(void)f;
	return 0;
}

/* No environment: libtpms' debug knobs stay at their defaults. */
char *vtpm_glibc_getenv(const char *name)
{
	(void)name;
	return NULL;
}

int vtpm_glibc_getpid(void)
{
	return 1;
}
