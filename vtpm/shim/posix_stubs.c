/* SPDX-License-Identifier: MIT */
/*
 * The POSIX calls that picolibc and OpenSSL's libcrypto make into "the
 * OS", which the firmware is not. Each gets the answer that keeps the
 * caller on its safe path: no files (OpenSSL's config and store loaders
 * find nothing), one process, one user (so OpenSSL's secure getenv treats
 * us as not setuid), time from the embedder's monotonic clock.
 * These use picolibc's (POSIX) structure layouts, not glibc's: only
 * picolibc and OpenSSL, compiled against picolibc's headers, call them.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <vtpm/vtpm_platform.h>

#include "shim.h"

void *opendir(const char *path);
void *readdir(void *dir);
int closedir(void *dir);
char *_user_strerror(int errnum, int internal, int *errptr);

/* abort() and exit() in picolibc end here. */
_Noreturn void _exit(int status)
{
	(void)status;
	vtpm_plat_abort("vtpm: abort() or exit() in the C library");
}

/* picolibc's hook for errno values it does not know: none here. */
char *_user_strerror(int errnum, int internal, int *errptr)
{
	(void)errnum;
	(void)internal;
	(void)errptr;
	return NULL;
}

uid_t getuid(void)
{
	return 0;
}

uid_t geteuid(void)
{
	return 0;
}

gid_t getgid(void)
{
	return 0;
}

gid_t getegid(void)
{
	return 0;
}

/* OpenSSL reseeds its DRBG when the pid changes (fork detection). */
pid_t getpid(void)
{
	return 1;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	(void)tz;
	uint64_t ns = vtpm_plat_monotonic_ns();
	tv->tv_sec = (time_t)(ns / 1000000000u);
	tv->tv_usec = (suseconds_t)(ns % 1000000000u / 1000u);
	return 0;
}

/* OpenSSL's ossl_sleep(): a busy wait on the embedder's clock. */
int nanosleep(const struct timespec *req, struct timespec *rem)
{
	uint64_t ns =
		(uint64_t)req->tv_sec * 1000000000u + (uint64_t)req->tv_nsec;
	uint64_t end = vtpm_plat_monotonic_ns() + ns;

	while (vtpm_plat_monotonic_ns() < end) {
		__asm__ volatile("pause");
	}
	if (rem != NULL) {
		rem->tv_sec = 0;
		rem->tv_nsec = 0;
	}
	return 0;
}

int stat(const char *restrict path, struct stat *restrict st)
{
	(void)path;
	(void)st;
	errno = ENOENT;
	return -1;
}

void *opendir(const char *path)
{
	(void)path;
	errno = ENOENT;
	return NULL;
}

void *readdir(void *dir)
{
	(void)dir;
	return NULL;
}

int closedir(void *dir)
{
	(void)dir;
	errno = EBADF;
	return -1;
}
