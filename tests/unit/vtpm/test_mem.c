/* SPDX-License-Identifier: MIT */
/*
 * vtpm/shim/mem.c on the host: memcpy and memset against byte loops for
 * every length up to past the `rep` threshold and every source and
 * destination misalignment; bytes around the target stay untouched and the
 * return value is the destination. The source is compiled in under other
 * names, so the test's own libc is not replaced.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define memcpy shim_memcpy
#define memset shim_memset
#include "../../../vtpm/shim/mem.c"
#undef memcpy
#undef memset

#include "tap.h"

#define MAX_LEN 600u
#define GUARD 16u

static uint8_t src[MAX_LEN + 2 * GUARD];
static uint8_t dst[MAX_LEN + 2 * GUARD];

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++) {
		p[i] = (uint8_t)(seed + i * 7);
	}
}

TAP_CASE(memcpy_every_length_and_alignment)
{
	bool ok = true;

	fill(src, sizeof(src), 3);
	for (size_t len = 0; len <= MAX_LEN && ok; len++) {
		for (size_t so = 0; so < 8 && ok; so++) {
			for (size_t d_off = 0; d_off < 8 && ok; d_off++) {
				uint8_t *d = dst + GUARD + d_off;
				fill(dst, sizeof(dst), 0xa0);
				ok = shim_memcpy(d, src + so, len) == d;
				for (size_t i = 0; i < sizeof(dst) && ok; i++) {
					size_t at = (size_t)(d - dst);
					uint8_t want =
						i >= at && i < at + len
							? src[so + i - at]
							: (uint8_t)(0xa0 +
								    i * 7);
					ok = dst[i] == want;
				}
			}
		}
	}
	CHECK_TRUE(ok);
}

TAP_CASE(memset_every_length_and_alignment)
{
	bool ok = true;

	for (size_t len = 0; len <= MAX_LEN && ok; len++) {
		for (size_t d_off = 0; d_off < 8 && ok; d_off++) {
			uint8_t *d = dst + GUARD + d_off;
			int c = (int)(0x100 +
				      len); /* only the low byte counts */
			fill(dst, sizeof(dst), 0x50);
			ok = shim_memset(d, c, len) == d;
			for (size_t i = 0; i < sizeof(dst) && ok; i++) {
				size_t at = (size_t)(d - dst);
				uint8_t want =
					i >= at && i < at + len
						? (uint8_t)c
						: (uint8_t)(0x50 + i * 7);
				ok = dst[i] == want;
			}
		}
	}
	CHECK_TRUE(ok);
}

TAP_MAIN(TAP_ENTRY(memcpy_every_length_and_alignment),
	 TAP_ENTRY(memset_every_length_and_alignment))
