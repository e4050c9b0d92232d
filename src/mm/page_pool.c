// SPDX-License-Identifier: MIT
/*
 * Bitmap page allocator (see page_pool.h). First fit from a hint; the pool
 * is small (the SVSM's own memory), so a linear scan is fine.
 */
#include "mm/page_pool.h"

static bool bit_get(const struct page_pool *p, uint64_t i)
{
	return (p->bitmap[i / 64] >> (i % 64)) & 1;
}

static void bit_set(struct page_pool *p, uint64_t i, bool v)
{
	uint64_t m = UINT64_C(1) << (i % 64);

	if (v) {
		p->bitmap[i / 64] |= m;
	} else {
		p->bitmap[i / 64] &= ~m;
	}
}

void page_pool_init(struct page_pool *pool, uint64_t base, uint64_t npages,
		    uint64_t *bitmap)
{
	pool->base = base;
	pool->npages = npages;
	pool->bitmap = bitmap;
	pool->free = npages;
	pool->hint = 0;
	for (uint64_t i = 0; i < page_pool_bitmap_words(npages); i++) {
		bitmap[i] = 0;
	}
}

/* Frame index range of [pa, pa + n frames), or false if outside the pool. */
static bool pool_range(const struct page_pool *pool, uint64_t pa, uint64_t n,
		       uint64_t *first)
{
	uint64_t idx = 0;

	if (n == 0 || pa < pool->base || !IS_ALIGNED(pa, PAGE_SIZE)) {
		return false;
	}
	idx = (pa - pool->base) >> PAGE_SHIFT;
	if (idx >= pool->npages || n > pool->npages - idx) {
		return false;
	}
	*first = idx;
	return true;
}

bool page_pool_reserve(struct page_pool *pool, uint64_t pa, uint64_t n)
{
	uint64_t first = 0;

	if (!pool_range(pool, pa, n, &first)) {
		return false;
	}
	for (uint64_t i = first; i < first + n; i++) {
		if (bit_get(pool, i)) {
			return false;
		}
	}
	for (uint64_t i = first; i < first + n; i++) {
		bit_set(pool, i, true);
	}
	pool->free -= n;
	return true;
}

uint64_t page_pool_alloc(struct page_pool *pool, uint64_t n,
			 uint64_t align_pages)
{
	uint64_t align = align_pages > 1 ? align_pages : 1;
	uint64_t base_frame = pool->base >> PAGE_SHIFT;
	uint64_t i = 0;

	if (n == 0 || n > pool->free || (align & (align - 1)) != 0) {
		return 0;
	}
	/* Alignment is of the physical address, not of the pool index. */
	i = align == 1 ? pool->hint : 0;
	while (i < pool->npages && n <= pool->npages - i) {
		uint64_t run = 0;
		uint64_t mis = (base_frame + i) & (align - 1);

		if (mis != 0) {
			i += align - mis;
			continue;
		}
		while (run < n && !bit_get(pool, i + run)) {
			run++;
		}
		if (run == n) {
			for (uint64_t k = i; k < i + n; k++) {
				bit_set(pool, k, true);
			}
			pool->free -= n;
			if (align == 1 && i == pool->hint) {
				pool->hint = i + n;
			}
			return pool->base + (i << PAGE_SHIFT);
		}
		/* Skip past the used frame that ended the run. */
		i += run + 1;
	}
	return 0;
}

bool page_pool_free(struct page_pool *pool, uint64_t pa, uint64_t n)
{
	uint64_t first = 0;

	if (!pool_range(pool, pa, n, &first)) {
		return false;
	}
	for (uint64_t i = first; i < first + n; i++) {
		if (!bit_get(pool, i)) {
			return false;
		}
	}
	for (uint64_t i = first; i < first + n; i++) {
		bit_set(pool, i, false);
	}
	pool->free += n;
	if (first < pool->hint) {
		pool->hint = first;
	}
	return true;
}
