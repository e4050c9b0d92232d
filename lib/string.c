// SPDX-License-Identifier: MIT
/*
 * Memory and string functions. The images are built without SSE; `rep
 * movsb`/`rep stosb` are fast on every CPU with ERMS and correct everywhere.
 * Hosted builds use plain loops so the sanitizers see every access.
 */
#include "lib/string.h"

#include <stdint.h>

#include "lib/compiler.h"

void *RT_SYM(memcpy)(void *restrict dst, const void *restrict src, size_t n)
{
#ifdef RT_HOSTED
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--) {
		*d++ = *s++;
	}
#else
	void *d = dst;

	__asm__ volatile("rep movsb"
			 : "+D"(d), "+S"(src), "+c"(n)
			 :
			 : "memory");
#endif
	return dst;
}

void *RT_SYM(memmove)(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0) {
		return dst;
	}
	/* Copy forwards unless the destination overlaps the source's tail. */
	if ((uintptr_t)d - (uintptr_t)s >= n) {
		return RT_SYM(memcpy)(dst, src, n);
	}
	while (n--) {
		d[n] = s[n];
	}
	return dst;
}

void *RT_SYM(memset)(void *dst, int c, size_t n)
{
#ifdef RT_HOSTED
	unsigned char *d = dst;

	while (n--) {
		*d++ = (unsigned char)c;
	}
#else
	void *d = dst;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
#endif
	return dst;
}

int RT_SYM(memcmp)(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a;
	const unsigned char *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i]) {
			return x[i] < y[i] ? -1 : 1;
		}
	}
	return 0;
}

size_t RT_SYM(strlen)(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0') {
		n++;
	}
	return n;
}

size_t RT_SYM(strnlen)(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0') {
		n++;
	}
	return n;
}

int RT_SYM(strcmp)(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x != '\0' && *x == *y) {
		x++;
		y++;
	}
	return (*x > *y) - (*x < *y);
}

int RT_SYM(strncmp)(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i] || x[i] == '\0') {
			return (x[i] > y[i]) - (x[i] < y[i]);
		}
	}
	return 0;
}

char *RT_SYM(strchr)(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c) {
			return (char *)s;
		}
		if (*s == '\0') {
			return NULL;
		}
	}
}

void mem_wipe(void *dst, size_t n)
{
	volatile unsigned char *d = dst;

	while (n--) {
		*d++ = 0;
	}
	barrier();
}
