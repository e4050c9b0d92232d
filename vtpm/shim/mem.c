/* SPDX-License-Identifier: MIT */
/*
 * memcpy and memset for the vTPM, in place of picolibc's x86_64 ones,
 * which run every copy shorter than 16 bytes (and every tail) as
 * `rep movsb`/`rep stosb`: tens of cycles of microcode start-up for a few
 * bytes. libtpms converts between its big numbers and OpenSSL's on every
 * operation, so short copies and clears are most of its calls: with
 * picolibc's, memcpy and memset took ~9% of an RSA-2048 CreatePrimary
 * (docs/architecture.md §6). Short lengths here are one or two
 * overlapping word moves; long ones use `rep movsb`/`rep stosb`, fast on
 * CPUs with ERMS. The ld -r of link_vtpm.sh takes these (the glue archive
 * comes first), so libc.a's memcpy and memset objects are not linked.
 */
#include <stddef.h>
#include <stdint.h>

/* GCC would turn the loops below into calls to memcpy/memset. */
#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

#define REP_MIN 256u

static inline uint64_t load64(const unsigned char *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline void store64(unsigned char *p, uint64_t v)
{
	__builtin_memcpy(p, &v, sizeof(v));
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
NO_LIBCALL void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (n >= REP_MIN) {
		__asm__ volatile("rep movsb"
				 : "+D"(d), "+S"(s), "+c"(n)
				 :
				 : "memory");
		return dst;
	}
	if (n >= 8) {
		/* Words from the front, then the last word (overlapping). */
		uint64_t last = load64(s + n - 8);
		for (size_t i = 0; i + 8 <= n; i += 8) {
			store64(d + i, load64(s + i));
		}
		store64(d + n - 8, last);
		return dst;
	}
	if (n >= 4) {
		uint32_t a, b;
		__builtin_memcpy(&a, s, 4);
		__builtin_memcpy(&b, s + n - 4, 4);
		__builtin_memcpy(d, &a, 4);
		__builtin_memcpy(d + n - 4, &b, 4);
		return dst;
	}
	for (size_t i = 0; i < n; i++) {
		d[i] = s[i];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n);
NO_LIBCALL void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t v = (uint8_t)c * UINT64_C(0x0101010101010101);

	if (n >= REP_MIN) {
		__asm__ volatile("rep stosb"
				 : "+D"(d), "+c"(n)
				 : "a"(c)
				 : "memory");
		return dst;
	}
	if (n >= 8) {
		for (size_t i = 0; i + 8 <= n; i += 8) {
			store64(d + i, v);
		}
		store64(d + n - 8, v);
		return dst;
	}
	for (size_t i = 0; i < n; i++) {
		d[i] = (unsigned char)c;
	}
	return dst;
}
