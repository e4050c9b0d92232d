// SPDX-License-Identifier: MIT
/* Heap logic (src/mm/heap.c). */
#include "mm/heap.h"
#include "tap.h"

static uint8_t arena[64 * 1024] __attribute__((aligned(16)));
static uint8_t other[64] __attribute__((aligned(16)));
static struct heap h;

TAP_CASE(alloc_is_aligned_and_disjoint)
{
	uint8_t *a = NULL;
	uint8_t *b = NULL;

	heap_init(&h, arena, sizeof(arena));
	a = heap_alloc(&h, 1);
	b = heap_alloc(&h, 100);
	CHECK_TRUE(a != NULL && b != NULL);
	CHECK_EQ((uintptr_t)a % HEAP_ALIGN, 0);
	CHECK_EQ((uintptr_t)b % HEAP_ALIGN, 0);
	CHECK_TRUE(b >= a + 16 || a >= b + 112);
	memset(a, 0x11, 1);
	memset(b, 0x22, 100);
	CHECK_EQ(heap_alloc_size(&h, b), 112);
	CHECK_TRUE(heap_free(&h, a));
	CHECK_TRUE(heap_free(&h, b));
	CHECK_EQ(h.free_bytes, h.size);
}

TAP_CASE(exhaustion_and_coalescing)
{
	void *p[64];
	int n = 0;
	void *big = NULL;

	heap_init(&h, arena, sizeof(arena));
	while (n < 64 && (p[n] = heap_alloc(&h, 1000)) != NULL) {
		n++;
	}
	CHECK_TRUE(n > 50);
	CHECK_TRUE(heap_alloc(&h, sizeof(arena)) == NULL);
	/* Free in an interleaved order; everything must merge back. */
	for (int i = 0; i < n; i += 2) {
		CHECK_TRUE(heap_free(&h, p[i]));
	}
	for (int i = 1; i < n; i += 2) {
		CHECK_TRUE(heap_free(&h, p[i]));
	}
	CHECK_EQ(h.free_bytes, h.size);
	big = heap_alloc(&h, sizeof(arena) - 64);
	CHECK_TRUE(big != NULL);
	CHECK_TRUE(heap_free(&h, big));
}

TAP_CASE(bad_frees_refused)
{
	uint8_t *a = NULL;
	size_t before = 0;

	heap_init(&h, arena, sizeof(arena));
	a = heap_alloc(&h, 64);
	CHECK_TRUE(heap_free(&h, NULL));
	CHECK_TRUE(!heap_free(&h, a + 16));     /* interior pointer */
	CHECK_TRUE(!heap_free(&h, a + 1));      /* misaligned */
	CHECK_TRUE(!heap_free(&h, other + 16)); /* not from this heap */
	CHECK_TRUE(heap_free(&h, a));
	before = h.free_bytes;
	CHECK_TRUE(!heap_free(&h, a)); /* double free */
	CHECK_EQ(h.free_bytes, before);
	CHECK_EQ(heap_alloc_size(&h, a), 0);
}

TAP_CASE(zero_and_huge_sizes)
{
	heap_init(&h, arena, sizeof(arena));
	CHECK_TRUE(heap_alloc(&h, 0) == NULL);
	CHECK_TRUE(heap_alloc(&h, SIZE_MAX) == NULL);
	CHECK_TRUE(heap_alloc(&h, SIZE_MAX - 8) == NULL);
	heap_init(&h, arena, 8); /* too small to hold a block */
	CHECK_TRUE(heap_alloc(&h, 1) == NULL);
}

TAP_MAIN(TAP_ENTRY(alloc_is_aligned_and_disjoint),
	 TAP_ENTRY(exhaustion_and_coalescing), TAP_ENTRY(bad_frees_refused),
	 TAP_ENTRY(zero_and_huge_sizes))
