/* SPDX-License-Identifier: MIT */
/*
 * glibc-only names that Debian's libtpms.a was compiled to call
 * (docs/architecture.md §6 "glibc-only names"), with glibc's semantics: the
 * _FORTIFY_SOURCE checkers, the stack protector and assert hooks, errno and
 * ctype accessors. Everything checkable is checked: a failed check stops the
 * vTPM, exactly as glibc would abort the process.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vtpm/vtpm_platform.h>

#include "shim.h"

/* Prototypes (glibc declares these in its own headers; picolibc does not). */
void *__memcpy_chk(void *dst, const void *src, size_t len, size_t dstlen);
void *__memset_chk(void *dst, int c, size_t len, size_t dstlen);
int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen,
		   const char *fmt, ...);
int __vsnprintf_chk(char *s, size_t maxlen, int flag, size_t slen,
		    const char *fmt, va_list ap);
int __asprintf_chk(char **strp, int flag, const char *fmt, ...);
int __dprintf_chk(int fd, int flag, const char *fmt, ...);
int __vdprintf_chk(int fd, int flag, const char *fmt, va_list ap);
_Noreturn void __stack_chk_fail(void);
_Noreturn void __assert_fail(const char *expr, const char *file,
			     unsigned int line, const char *func);
int *__errno_location(void);
const uint16_t **__ctype_b_loc(void);

void *__memcpy_chk(void *dst, const void *src, size_t len, size_t dstlen)
{
	if (len > dstlen) {
		vtpm_plat_abort("vtpm: __memcpy_chk buffer overflow");
	}
	return memcpy(dst, src, len);
}

void *__memset_chk(void *dst, int c, size_t len, size_t dstlen)
{
	if (len > dstlen) {
		vtpm_plat_abort("vtpm: __memset_chk buffer overflow");
	}
	return memset(dst, c, len);
}

int __vsnprintf_chk(char *s, size_t maxlen, int flag, size_t slen,
		    const char *fmt, va_list ap)
{
	(void)flag;
	if (maxlen > slen) {
		vtpm_plat_abort("vtpm: __vsnprintf_chk buffer overflow");
	}
	return vsnprintf(s, maxlen, fmt, ap);
}

int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen,
		   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = __vsnprintf_chk(s, maxlen, flag, slen, fmt, ap);
	va_end(ap);
	return n;
}

int __asprintf_chk(char **strp, int flag, const char *fmt, ...)
{
	(void)flag;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(strp, fmt, ap);
	va_end(ap);
	return n;
}

/* libtpms' logging writes to a file descriptor (its debug fd); every fd
 * goes to the embedder's log. Lines longer than the buffer are cut. */
int __vdprintf_chk(int fd, int flag, const char *fmt, va_list ap)
{
	char buf[256];

	(void)fd;
	(void)flag;
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n > 0) {
		size_t len =
			(size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
		vtpm_plat_log(buf, len);
	}
	return n;
}

int __dprintf_chk(int fd, int flag, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = __vdprintf_chk(fd, flag, fmt, ap);
	va_end(ap);
	return n;
}

void shim_log_fmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	__vdprintf_chk(2, 0, fmt, ap);
	va_end(ap);
}

/* The objects compare %fs:0x28 against the canary saved on entry; the
 * embedder set it (vtpm.h). A mismatch means the stack was overwritten. */
_Noreturn void __stack_chk_fail(void)
{
	vtpm_plat_abort("vtpm: stack smashing detected");
}

_Noreturn void __assert_fail(const char *expr, const char *file,
			     unsigned int line, const char *func)
{
	shim_log_fmt("vtpm: assertion '%s' failed in %s (%s:%u)\n", expr, func,
		     file, line);
	vtpm_plat_abort("vtpm: assertion failed");
}

int *__errno_location(void)
{
	return &errno;
}

/*
 * glibc's ctype table: 384 entries indexed from -128 (EOF and signed chars)
 * to 255, in the C locale. glibc stores the class bits byte-swapped on
 * little-endian machines (<ctype.h> _ISbit): bits 0..7 of the class index
 * live in the high byte, 8..11 in the low byte. The values below are those
 * of glibc's compiled macros, which is what libtpms' code tests.
 */
enum {
	GLIBC_ISUPPER = 0x0100,
	GLIBC_ISLOWER = 0x0200,
	GLIBC_ISALPHA = 0x0400,
	GLIBC_ISDIGIT = 0x0800,
	GLIBC_ISXDIGIT = 0x1000,
	GLIBC_ISSPACE = 0x2000,
	GLIBC_ISPRINT = 0x4000,
	GLIBC_ISGRAPH = 0x8000,
	GLIBC_ISBLANK = 0x0001,
	GLIBC_ISCNTRL = 0x0002,
	GLIBC_ISPUNCT = 0x0004,
	GLIBC_ISALNUM = 0x0008,
};

static uint16_t ctype_table[384];
static const uint16_t *ctype_ptr;

static uint16_t ctype_class(int c)
{
	uint16_t v = 0;

	if (c < 0 || c > 127) {
		return 0; /* C locale: only ASCII has classes */
	}
	if (c >= 'A' && c <= 'Z') {
		v |= GLIBC_ISUPPER | GLIBC_ISALPHA | GLIBC_ISALNUM;
	}
	if (c >= 'a' && c <= 'z') {
		v |= GLIBC_ISLOWER | GLIBC_ISALPHA | GLIBC_ISALNUM;
	}
	if (c >= '0' && c <= '9') {
		v |= GLIBC_ISDIGIT | GLIBC_ISXDIGIT | GLIBC_ISALNUM;
	}
	if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
		v |= GLIBC_ISXDIGIT;
	}
	if (c == ' ' || (c >= '\t' && c <= '\r')) {
		v |= GLIBC_ISSPACE;
	}
	if (c == ' ' || c == '\t') {
		v |= GLIBC_ISBLANK;
	}
	if (c < 0x20 || c == 0x7f) {
		v |= GLIBC_ISCNTRL;
	}
	if (c >= 0x20 && c < 0x7f) {
		v |= GLIBC_ISPRINT;
	}
	if (c > 0x20 && c < 0x7f) {
		v |= GLIBC_ISGRAPH;
		if (!(v & GLIBC_ISALNUM)) {
			v |= GLIBC_ISPUNCT;
		}
	}
	return v;
}

const uint16_t **__ctype_b_loc(void)
{
	if (ctype_ptr == NULL) {
		for (int c = -128; c < 256; c++) {
			ctype_table[c + 128] = ctype_class(c);
		}
		ctype_ptr = &ctype_table[128];
	}
	return &ctype_ptr;
}
