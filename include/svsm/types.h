/* SPDX-License-Identifier: MIT */
/*
 * Typed addresses (docs/style.md §3 G1). A guest physical address is a
 * one-member struct so that it cannot be passed where a host pointer or a
 * plain integer is expected, nor be dereferenced by accident.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/compiler.h"

typedef struct {
	uint64_t v;
} gpa_t;

#define PAGE_SIZE_2M (UINT64_C(1) << 21)

/* No guest page is ever at this address (it is not page aligned). */
#define GPA_INVALID_VALUE UINT64_MAX

static inline gpa_t gpa(uint64_t v)
{
	return (gpa_t){v};
}

static inline uint64_t gpa_val(gpa_t g)
{
	return g.v;
}

/* @g + @off; callers have checked the range with range_end(). */
static inline gpa_t gpa_add(gpa_t g, uint64_t off)
{
	return (gpa_t){g.v + off};
}

static inline gpa_t gpa_invalid(void)
{
	return (gpa_t){GPA_INVALID_VALUE};
}

static inline bool gpa_is_invalid(gpa_t g)
{
	return g.v == GPA_INVALID_VALUE;
}

static inline bool gpa_eq(gpa_t a, gpa_t b)
{
	return a.v == b.v;
}

static inline gpa_t gpa_page(gpa_t g)
{
	return (gpa_t){g.v & PAGE_MASK};
}

/**
 * True if [a, a + alen) and [b, b + blen) overlap. Both ranges must already
 * be known not to wrap (callers check with range_end()).
 */
static inline bool range_overlaps(uint64_t a, uint64_t alen, uint64_t b,
				  uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/**
 * End of [start, start + len); false if it wraps past 2^64 (an attacker
 * choosing start near the top must not make the range look small).
 */
static inline __must_check bool range_end(uint64_t start, uint64_t len,
					  uint64_t *end)
{
	return !__builtin_add_overflow(start, len, end);
}
