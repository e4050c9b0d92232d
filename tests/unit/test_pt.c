// SPDX-License-Identifier: MIT
/*
 * Page-table construction (lib/pt.c) against a fake physical memory:
 * "physical" addresses are offsets into an arena, deliberately not equal to
 * host pointers, so code that confuses the two fails here.
 */
#include "lib/pt.h"

#include "tap.h"

#define ARENA_PAGES 64
#define ARENA_BASE UINT64_C(0x40000000) /* fake PA of arena page 0 */

struct arena {
	uint8_t (*pages)[4096];
	unsigned used;
	unsigned limit;
};

static uint64_t arena_alloc(void *ctx)
{
	struct arena *a = ctx;

	if (a->used == a->limit) {
		return 0;
	}
	memset(a->pages[a->used], 0, 4096);
	return ARENA_BASE + (uint64_t)a->used++ * 4096;
}

static void *arena_p2v(void *ctx, uint64_t pa)
{
	struct arena *a = ctx;
	uint64_t idx = (pa - ARENA_BASE) / 4096;

	if (pa < ARENA_BASE || idx >= a->used) {
		printf("# bad table address %" PRIx64 "\n", pa);
		abort();
	}
	return a->pages[idx];
}

static struct arena arena;
static struct pt_ops ops = {arena_alloc, arena_p2v, &arena};
static uint64_t root;

static void reset(unsigned limit)
{
	static uint8_t pages[ARENA_PAGES][4096] __attribute__((aligned(4096)));

	arena.pages = pages;
	arena.used = 0;
	arena.limit = limit;
	root = arena_alloc(&arena);
}

TAP_CASE(map_lookup_4k)
{
	struct pt_walk w;

	reset(ARENA_PAGES);
	CHECK_EQ(pt_map(&ops, root, 0x200000, 0x7000, 0x3000, PTE_W, false),
		 PT_OK);
	CHECK_EQ(arena.used, 4); /* root + PDPT + PD + PT */
	CHECK_EQ(pt_lookup(&ops, root, 0x201234, &w), PT_OK);
	CHECK_EQ(w.pa, 0x8234);
	CHECK_EQ(w.size, PT_SIZE_4K);
	CHECK_TRUE(w.pte & PTE_W);
	CHECK_TRUE(w.pte & PTE_P);
	CHECK_EQ(pt_lookup(&ops, root, 0x203000, &w), PT_E_NOENT);
	CHECK_EQ(pt_lookup(&ops, root, 0x1ff000, &w), PT_E_NOENT);
}

TAP_CASE(large_pages_when_aligned)
{
	struct pt_walk w;

	reset(ARENA_PAGES);
	/* 1 MiB of 4K, then 2 MiB as one large page, then 4K again. */
	CHECK_EQ(pt_map(&ops, root, 0x100000, 0x100000,
			0x400000 - 0x100000 + 0x1000, PTE_W, true),
		 PT_OK);
	CHECK_EQ(pt_lookup(&ops, root, 0x100000, &w), PT_OK);
	CHECK_EQ(w.size, PT_SIZE_4K);
	CHECK_EQ(pt_lookup(&ops, root, 0x2abcde, &w), PT_OK);
	CHECK_EQ(w.size, PT_SIZE_2M);
	CHECK_EQ(w.pa, 0x2abcde);
	CHECK_TRUE(w.pte & PTE_PS);
	CHECK_EQ(pt_lookup(&ops, root, 0x400000, &w), PT_OK);
	CHECK_EQ(w.size, PT_SIZE_4K);
}

TAP_CASE(c_bit_and_high_addresses_kept)
{
	const uint64_t cbit = UINT64_C(1) << 47;
	struct pt_walk w;

	reset(ARENA_PAGES);
	CHECK_EQ(pt_map(&ops, root, UINT64_C(0xffff800000000000), cbit | 0x5000,
			0x1000, PTE_NX, false),
		 PT_OK);
	CHECK_EQ(pt_lookup(&ops, root, UINT64_C(0xffff800000000010), &w),
		 PT_OK);
	CHECK_EQ(w.pa, cbit | 0x5010);
	CHECK_TRUE(w.pte & PTE_NX);
}

TAP_CASE(rejects_bad_input)
{
	reset(ARENA_PAGES);
	CHECK_EQ(pt_map(&ops, root, 0x1001, 0, 0x1000, 0, false), PT_E_INVAL);
	CHECK_EQ(pt_map(&ops, root, 0x1000, 0x10, 0x1000, 0, false),
		 PT_E_INVAL);
	CHECK_EQ(pt_map(&ops, root, 0x1000, 0, 0, 0, false), PT_E_INVAL);
	CHECK_EQ(pt_map(&ops, root, 0x1000, 0, 0x1001, 0, false), PT_E_INVAL);
	/* non-canonical, and a range crossing the canonical hole */
	CHECK_EQ(pt_map(&ops, root, UINT64_C(0x0000800000000000), 0, 0x1000, 0,
			false),
		 PT_E_INVAL);
	CHECK_EQ(pt_map(&ops, root, UINT64_C(0x00007ffffffff000), 0, 0x2000, 0,
			false),
		 PT_E_INVAL);
	/* wrap-around */
	CHECK_EQ(pt_map(&ops, root, UINT64_C(0xfffffffffffff000), 0, 0x2000, 0,
			false),
		 PT_E_INVAL);
	/* PS in the caller's flags would forge a large page */
	CHECK_EQ(pt_map(&ops, root, 0x1000, 0, 0x1000, PTE_PS, false),
		 PT_E_INVAL);
	CHECK_EQ(arena.used, 1); /* nothing was allocated */
}

TAP_CASE(refuses_overwrite_and_split)
{
	reset(ARENA_PAGES);
	CHECK_EQ(pt_map(&ops, root, 0x200000, 0x200000, PT_SIZE_2M, 0, true),
		 PT_OK);
	CHECK_EQ(pt_map(&ops, root, 0x201000, 0x9000, 0x1000, 0, false),
		 PT_E_EXISTS);
	CHECK_EQ(pt_unmap(&ops, root, 0x201000, 0x1000), PT_E_SPLIT);
	CHECK_EQ(pt_unmap(&ops, root, 0x200000, PT_SIZE_2M), PT_OK);
	CHECK_EQ(pt_map(&ops, root, 0x201000, 0x9000, 0x1000, 0, false), PT_OK);
	CHECK_EQ(pt_map(&ops, root, 0x201000, 0xa000, 0x1000, 0, false),
		 PT_E_EXISTS);
	/* a 2M map over an existing PT */
	CHECK_EQ(pt_map(&ops, root, 0x200000, 0x200000, PT_SIZE_2M, 0, true),
		 PT_E_EXISTS);
}

TAP_CASE(unmap_then_lookup_fails)
{
	struct pt_walk w;

	reset(ARENA_PAGES);
	CHECK_EQ(pt_map(&ops, root, 0x10000, 0x10000, 0x4000, 0, false), PT_OK);
	CHECK_EQ(pt_unmap(&ops, root, 0x11000, 0x2000), PT_OK);
	CHECK_EQ(pt_lookup(&ops, root, 0x10000, &w), PT_OK);
	CHECK_EQ(pt_lookup(&ops, root, 0x11000, &w), PT_E_NOENT);
	CHECK_EQ(pt_lookup(&ops, root, 0x12000, &w), PT_E_NOENT);
	CHECK_EQ(pt_lookup(&ops, root, 0x13000, &w), PT_OK);
	CHECK_EQ(pt_unmap(&ops, root, 0x11000, 0x1000), PT_E_NOENT);
}

TAP_CASE(allocator_exhaustion_is_reported)
{
	reset(2); /* root + one more: not enough for PDPT+PD+PT */
	CHECK_EQ(pt_map(&ops, root, 0x1000, 0x1000, 0x1000, 0, false),
		 PT_E_NOMEM);
}

TAP_CASE(wx_walk_finds_writable_executable)
{
	struct pt_wx_report r;

	reset(ARENA_PAGES);
	/* Text RX, data RW+NX, a 2M page RW+NX: no W^X violation. */
	CHECK_EQ(pt_map(&ops, root, 0x100000, 0x100000, 0x2000, 0, false),
		 PT_OK);
	CHECK_EQ(pt_map(&ops, root, 0x102000, 0x102000, 0x1000, PTE_W | PTE_NX,
			false),
		 PT_OK);
	CHECK_EQ(pt_map(&ops, root, 0x40000000, 0x40000000, PT_SIZE_2M,
			PTE_W | PTE_NX, true),
		 PT_OK);
	pt_find_wx(&ops, root, &r);
	CHECK_EQ(r.leaves, 4);
	CHECK_EQ(r.wx, 0);
	/* One writable page without NX is found, at its address. */
	CHECK_EQ(pt_map(&ops, root, 0x103000, 0x103000, 0x1000, PTE_W, false),
		 PT_OK);
	pt_find_wx(&ops, root, &r);
	CHECK_EQ(r.leaves, 5);
	CHECK_EQ(r.wx, 1);
	CHECK_EQ(r.first_wx_va, 0x103000);
	/* A high (sign-extended) address is reported canonical. */
	CHECK_EQ(pt_map(&ops, root, UINT64_C(0xffffff8000000000), 0x200000,
			0x1000, PTE_W, false),
		 PT_OK);
	pt_find_wx(&ops, root, &r);
	CHECK_EQ(r.wx, 2);
}

TAP_MAIN(TAP_ENTRY(map_lookup_4k), TAP_ENTRY(wx_walk_finds_writable_executable),
	 TAP_ENTRY(large_pages_when_aligned),
	 TAP_ENTRY(c_bit_and_high_addresses_kept), TAP_ENTRY(rejects_bad_input),
	 TAP_ENTRY(refuses_overwrite_and_split),
	 TAP_ENTRY(unmap_then_lookup_fails),
	 TAP_ENTRY(allocator_exhaustion_is_reported))
