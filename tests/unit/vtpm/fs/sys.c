/* SPDX-License-Identifier: MIT */
/*
 * Linux system calls, the vTPM platform hooks and the few C runtime
 * functions gcc may emit calls to, for the freestanding test program.
 */
#include "sys.h"

#include <stdint.h>
#include <vtpm/vtpm_platform.h>

#define SYS_READ 0
#define SYS_WRITE 1
#define SYS_ARCH_PRCTL 158
#define SYS_CLOCK_GETTIME 228
#define SYS_EXIT_GROUP 231
#define SYS_GETRANDOM 318
#define ARCH_SET_FS 0x1002
#define LINUX_CLOCK_MONOTONIC 1
#define LINUX_CLOCK_THREAD_CPUTIME_ID 3

static int64_t syscall3(int64_t nr, int64_t a, int64_t b, int64_t c)
{
	int64_t ret = 0;

	/* SAFETY: plain Linux syscall; rcx and r11 are clobbered by it. */
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

int64_t sys_write(int fd, const void *buf, size_t len)
{
	return syscall3(SYS_WRITE, fd, (int64_t)(uintptr_t)buf, (int64_t)len);
}

int64_t sys_read(int fd, void *buf, size_t len)
{
	return syscall3(SYS_READ, fd, (int64_t)(uintptr_t)buf, (int64_t)len);
}

_Noreturn void sys_exit(int code)
{
	out_flush();
	for (;;) {
		syscall3(SYS_EXIT_GROUP, code, 0, 0);
	}
}

uint64_t sys_monotonic_ns(void)
{
	int64_t ts[2] = {0, 0};

	syscall3(SYS_CLOCK_GETTIME, LINUX_CLOCK_MONOTONIC,
		 (int64_t)(uintptr_t)ts, 0);
	return (uint64_t)ts[0] * 1000000000u + (uint64_t)ts[1];
}

uint64_t sys_cpu_ns(void)
{
	int64_t ts[2] = {0, 0};

	syscall3(SYS_CLOCK_GETTIME, LINUX_CLOCK_THREAD_CPUTIME_ID,
		 (int64_t)(uintptr_t)ts, 0);
	return (uint64_t)ts[0] * 1000000000u + (uint64_t)ts[1];
}

void sys_getrandom(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		int64_t n = syscall3(SYS_GETRANDOM, (int64_t)(uintptr_t)p,
				     (int64_t)len, 0);
		if (n <= 0) {
			sys_write(2, "getrandom failed\n", 17);
			sys_exit(99);
		}
		p += n;
		len -= (size_t)n;
	}
}

/* The per-CPU block the firmware would give: libtpms' stack protector
 * reads the canary at %fs:0x28. */
static uint64_t fs_block[16] __attribute__((aligned(64)));

void sys_setup_fs_canary(void)
{
	uint64_t canary = 0;

	sys_getrandom(&canary, sizeof(canary));
	canary &= ~UINT64_C(0xff); /* glibc's habit: a NUL stops str* leaks */
	fs_block[0x28 / 8] = canary;
	fs_block[0] = (uint64_t)(uintptr_t)fs_block; /* TCB self-pointer */
	if (syscall3(SYS_ARCH_PRCTL, ARCH_SET_FS, (int64_t)(uintptr_t)fs_block,
		     0) != 0) {
		sys_write(2, "arch_prctl failed\n", 18);
		sys_exit(99);
	}
}

static char out_buf[4096];
static size_t out_len;

void out_flush(void)
{
	size_t off = 0;

	while (off < out_len) {
		int64_t n = sys_write(1, out_buf + off, out_len - off);
		if (n <= 0) {
			break;
		}
		off += (size_t)n;
	}
	out_len = 0;
}

static void out_char(char c)
{
	if (out_len == sizeof(out_buf)) {
		out_flush();
	}
	out_buf[out_len++] = c;
	if (c == '\n') {
		out_flush();
	}
}

void out_str(const char *s)
{
	while (*s != '\0') {
		out_char(*s++);
	}
}

void out_u64(uint64_t v)
{
	char tmp[21];
	int i = 0;

	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (i > 0) {
		out_char(tmp[--i]);
	}
}

void out_hex(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out_char(digits[p[i] >> 4]);
		out_char(digits[p[i] & 15]);
	}
}

bool in_read_all(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		int64_t n = sys_read(0, p, len);
		if (n <= 0) {
			return false;
		}
		p += n;
		len -= (size_t)n;
	}
	return true;
}

bool out_write_all(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len > 0) {
		int64_t n = sys_write(1, p, len);
		if (n <= 0) {
			return false;
		}
		p += n;
		len -= (size_t)n;
	}
	return true;
}

int fs_strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

/* gcc may emit calls to these for struct copies and initialisers. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	for (size_t i = 0; i < n; i++) {
		d[i] = s[i];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	for (size_t i = 0; i < n; i++) {
		d[i] = (uint8_t)c;
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a;
	const uint8_t *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i]) {
			return x[i] - y[i];
		}
	}
	return 0;
}

/* The vTPM platform hooks (vtpm_platform.h): log to stderr, Linux's
 * monotonic clock, abort = exit code 3 with the reason. */
void vtpm_plat_log(const char *msg, size_t len)
{
	sys_write(2, msg, len);
}

uint64_t vtpm_plat_monotonic_ns(void)
{
	return sys_monotonic_ns();
}

_Noreturn void vtpm_plat_abort(const char *why)
{
	size_t n = 0;

	while (why[n] != '\0') {
		n++;
	}
	out_flush();
	sys_write(2, "vtpm abort: ", 12);
	sys_write(2, why, n);
	sys_write(2, "\n", 1);
	sys_exit(3);
}
