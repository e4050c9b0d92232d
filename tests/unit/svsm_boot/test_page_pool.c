// SPDX-License-Identifier: MIT
/* Page allocator logic (src/mm/page_pool.c). */
#include "mm/page_pool.h"
#include "tap.h"

#define BASE UINT64_C(0x8100000)

static uint64_t bm[4];
static struct page_pool pool;

static void setup(uint64_t npages)
{
	memset(bm, 0xa5, sizeof(bm)); /* init must clear it */
	page_pool_init(&pool, BASE, npages, bm);
}

TAP_CASE(alloc_all_then_fail)
{
	setup(100);
	for (int i = 0; i < 100; i++) {
		CHECK_EQ(page_pool_alloc(&pool, 1, 1), BASE + i * PAGE_SIZE);
	}
	CHECK_EQ(pool.free, 0);
	CHECK_EQ(page_pool_alloc(&pool, 1, 1), 0);
}

TAP_CASE(free_and_reuse_lowest)
{
	setup(16);
	for (int i = 0; i < 16; i++) {
		CHECK_TRUE(page_pool_alloc(&pool, 1, 1) != 0);
	}
	CHECK_TRUE(page_pool_free(&pool, BASE + 5 * PAGE_SIZE, 1));
	CHECK_TRUE(page_pool_free(&pool, BASE + 3 * PAGE_SIZE, 1));
	CHECK_EQ(page_pool_alloc(&pool, 1, 1), BASE + 3 * PAGE_SIZE);
	CHECK_EQ(page_pool_alloc(&pool, 1, 1), BASE + 5 * PAGE_SIZE);
}

TAP_CASE(double_free_and_foreign_refused)
{
	uint64_t pa = 0;

	setup(8);
	pa = page_pool_alloc(&pool, 2, 1);
	CHECK_TRUE(page_pool_free(&pool, pa, 2));
	CHECK_TRUE(!page_pool_free(&pool, pa, 2));
	CHECK_TRUE(!page_pool_free(&pool, BASE - PAGE_SIZE, 1));
	CHECK_TRUE(!page_pool_free(&pool, BASE + 8 * PAGE_SIZE, 1));
	CHECK_TRUE(!page_pool_free(&pool, BASE + 7 * PAGE_SIZE, 2));
	CHECK_TRUE(!page_pool_free(&pool, BASE + 1, 1));
	CHECK_TRUE(!page_pool_free(&pool, BASE, 0));
	CHECK_EQ(pool.free, 8);
}

TAP_CASE(contiguous_and_aligned)
{
	uint64_t pa = 0;

	setup(256); /* BASE is 1 MiB aligned, not 2 MiB aligned */
	CHECK_TRUE(page_pool_alloc(&pool, 1, 1) == BASE);
	pa = page_pool_alloc(&pool, 4, 16);
	CHECK_EQ(pa, BASE + 16 * PAGE_SIZE);
	pa = page_pool_alloc(&pool, 3, 1);
	CHECK_EQ(pa, BASE + PAGE_SIZE);
	/* 2 MiB-aligned address would be frame 256: outside the pool. */
	CHECK_EQ(page_pool_alloc(&pool, 1, 512), 0);
	CHECK_EQ(page_pool_alloc(&pool, 1, 3), 0); /* not a power of two */
	CHECK_EQ(page_pool_alloc(&pool, 0, 1), 0);
	CHECK_EQ(page_pool_alloc(&pool, 1000, 1), 0);
}

TAP_CASE(fragmented_run_skips_holes)
{
	setup(10);
	for (int i = 0; i < 10; i++) {
		CHECK_TRUE(page_pool_alloc(&pool, 1, 1) != 0);
	}
	CHECK_TRUE(page_pool_free(&pool, BASE + 1 * PAGE_SIZE, 1));
	CHECK_TRUE(page_pool_free(&pool, BASE + 4 * PAGE_SIZE, 3));
	CHECK_EQ(page_pool_alloc(&pool, 2, 1), BASE + 4 * PAGE_SIZE);
	CHECK_EQ(page_pool_alloc(&pool, 2, 1), 0);
	CHECK_EQ(page_pool_alloc(&pool, 1, 1), BASE + 1 * PAGE_SIZE);
}

TAP_CASE(reserve)
{
	setup(8);
	CHECK_TRUE(page_pool_reserve(&pool, BASE, 2));
	CHECK_TRUE(!page_pool_reserve(&pool, BASE + PAGE_SIZE, 1));
	CHECK_TRUE(!page_pool_reserve(&pool, BASE + 7 * PAGE_SIZE, 2));
	CHECK_EQ(page_pool_alloc(&pool, 1, 1), BASE + 2 * PAGE_SIZE);
	CHECK_EQ(pool.free, 5);
}

TAP_MAIN(TAP_ENTRY(alloc_all_then_fail), TAP_ENTRY(free_and_reuse_lowest),
	 TAP_ENTRY(double_free_and_foreign_refused),
	 TAP_ENTRY(contiguous_and_aligned),
	 TAP_ENTRY(fragmented_run_skips_holes), TAP_ENTRY(reserve))
