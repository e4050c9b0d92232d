/* SPDX-License-Identifier: MIT */
/*
 * Memory and string functions of the freestanding runtime.
 *
 * In the images these are the real memcpy/memset/... that gcc may also emit
 * calls to. In hosted unit tests (RT_HOSTED) they are compiled under an rt_
 * prefix so that they can be tested next to the host C library.
 */
#pragma once

#include <stddef.h>

#ifdef RT_HOSTED
#define RT_SYM(name) rt_##name
#else
#define RT_SYM(name) name
#endif

void *RT_SYM(memcpy)(void *restrict dst, const void *restrict src, size_t n);
void *RT_SYM(memmove)(void *dst, const void *src, size_t n);
void *RT_SYM(memset)(void *dst, int c, size_t n);
int RT_SYM(memcmp)(const void *a, const void *b, size_t n);
size_t RT_SYM(strlen)(const char *s);
size_t RT_SYM(strnlen)(const char *s, size_t max);
int RT_SYM(strcmp)(const char *a, const char *b);
int RT_SYM(strncmp)(const char *a, const char *b, size_t n);
char *RT_SYM(strchr)(const char *s, int c);

/**
 * Zero memory in a way the compiler may not elide (for secrets).
 */
void mem_wipe(void *dst, size_t n);
