/* SPDX-License-Identifier: MIT */
/*
 * The physical page allocator's pure logic: a bitmap over one contiguous
 * range of 4 KiB frames. It never touches the frames themselves (the caller
 * maps and zeroes them), so the same code runs in the hosted unit tests.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/compiler.h"

struct page_pool {
	uint64_t base;    /* physical address of frame 0 */
	uint64_t npages;  /* frames in the pool */
	uint64_t *bitmap; /* 1 = in use; page_pool_bitmap_words(npages) */
	uint64_t free;    /* frames not in use */
	uint64_t hint;    /* first frame worth looking at */
};

/** Number of uint64_t words the bitmap for @npages frames needs. */
static inline uint64_t page_pool_bitmap_words(uint64_t npages)
{
	return (npages + 63) / 64;
}

/** Set up @pool over [base, base + npages * 4K), all frames free. */
void page_pool_init(struct page_pool *pool, uint64_t base, uint64_t npages,
		    uint64_t *bitmap);

/** Mark [pa, pa + n frames) in use. False if out of range or in use. */
bool page_pool_reserve(struct page_pool *pool, uint64_t pa,
		       uint64_t n) __must_check;

/**
 * Allocate @n contiguous frames whose address is aligned to @align_pages
 * frames (a power of two, or 0/1 for none). Returns the address, or 0.
 */
uint64_t page_pool_alloc(struct page_pool *pool, uint64_t n,
			 uint64_t align_pages) __must_check;

/**
 * Free [pa, pa + n frames). False (and nothing changed) if the range is
 * outside the pool or any frame in it was not allocated: a double free is
 * an internal bug the caller turns into a panic.
 */
bool page_pool_free(struct page_pool *pool, uint64_t pa,
		    uint64_t n) __must_check;
