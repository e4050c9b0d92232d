// SPDX-License-Identifier: MIT
/*
 * SVSM memory (see mem.h).
 *
 * Pool pages are not part of the launch, so they start unvalidated; the
 * SVSM PVALIDATEs them before first use. PVALIDATE reporting "unchanged"
 * (CF = 1) means the page already was valid: only VMPL0 (us) or the PSP at
 * launch can have validated it, so for the pool that just means the IGVM
 * builder measured those pages; they are zeroed on allocation either way.
 */
#include "mm/mem.h"

#include "arch/snp_insn.h"

#include "lib/console.h"
#include "lib/panic.h"
#include "lib/spinlock.h"
#include "lib/string.h"

#include "svsm/types.h"

#include "svsm/abi/snp.h"

#include "mm/heap.h"
#include "mm/page_pool.h"
#include "mm/paging.h"
#include "sev/ghcb.h"

/* 256 MiB of pool at most: 64 Ki frames, an 8 KiB bitmap. */
#define POOL_MAX_PAGES (UINT64_C(256) << (20 - PAGE_SHIFT))
#define HEAP_PAGES 256 /* 1 MiB */

static uint64_t pool_bitmap[POOL_MAX_PAGES / 64];
static struct page_pool pool;
static struct spinlock pool_lock = SPINLOCK_INIT;
static struct heap heap;
static struct spinlock heap_lock = SPINLOCK_INIT;

bool mem_pvalidate_range(uint64_t base, uint64_t size, bool validate,
			 bool allow_unchanged)
{
	uint64_t end = base + size;
	uint64_t va = base;

	if (!IS_ALIGNED(base, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE) ||
	    end < base) {
		return false;
	}
	while (va < end) {
		struct snp_pval_result r = {SNP_RC_FAIL_INPUT, false};
		uint64_t step = PAGE_SIZE;

		if (IS_ALIGNED(va, UINT64_C(1) << 21) &&
		    end - va >= (UINT64_C(1) << 21)) {
			r = snp_pvalidate(va, SNP_PAGE_SIZE_2M, validate);
			step = UINT64_C(1) << 21;
			/* The RMP holds 4K entries here: go page by page. */
			if (r.rc == SNP_RC_FAIL_SIZEMISMATCH) {
				step = 0;
			}
		}
		if (step != UINT64_C(1) << 21) {
			r = snp_pvalidate(va, SNP_PAGE_SIZE_4K, validate);
			step = PAGE_SIZE;
		}
		if (r.rc != SNP_RC_SUCCESS ||
		    (r.unchanged && !allow_unchanged)) {
			return false;
		}
		va += step;
	}
	return true;
}

bool mem_rmpadjust_range(uint64_t base, uint64_t size, uint64_t attrs)
{
	if (!IS_ALIGNED(base, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE) ||
	    base + size < base) {
		return false;
	}
	for (uint64_t va = base; va < base + size; va += PAGE_SIZE) {
		if (snp_rmpadjust(va, SNP_PAGE_SIZE_4K, attrs) !=
		    SNP_RC_SUCCESS) {
			return false;
		}
	}
	return true;
}

void mem_init(uint64_t pool_base, uint64_t pool_size)
{
	uint64_t npages = pool_size >> PAGE_SHIFT;
	uint64_t heap_pa = 0;

	if (npages > POOL_MAX_PAGES) {
		npages = POOL_MAX_PAGES;
	}
	if (!mem_pvalidate_range(pool_base, npages << PAGE_SHIFT, true, true)) {
		panic("PVALIDATE of the SVSM pool [%llx, +%llx) failed",
		      (unsigned long long)pool_base,
		      (unsigned long long)(npages << PAGE_SHIFT));
	}
	page_pool_init(&pool, pool_base, npages, pool_bitmap);
	heap_pa = mem_alloc_pages(HEAP_PAGES, 1);
	if (heap_pa == 0) {
		panic("no memory for the heap (pool %llu pages)",
		      (unsigned long long)npages);
	}
	heap_init(&heap, (void *)(uintptr_t)heap_pa, HEAP_PAGES * PAGE_SIZE);
}

uint64_t mem_alloc_pages(uint64_t n, uint64_t align_pages)
{
	uint64_t pa = 0;

	spin_lock(&pool_lock);
	pa = page_pool_alloc(&pool, n, align_pages);
	spin_unlock(&pool_lock);
	if (pa != 0) {
		memset((void *)(uintptr_t)pa, 0, n * PAGE_SIZE);
	}
	return pa;
}

uint64_t mem_alloc_page(void)
{
	return mem_alloc_pages(1, 1);
}

void mem_free_pages(uint64_t pa, uint64_t n)
{
	bool ok = false;

	/* Pages are zeroed when handed out again (mem_alloc_pages). */
	spin_lock(&pool_lock);
	ok = page_pool_free(&pool, pa, n);
	spin_unlock(&pool_lock);
	CHECK(ok);
}

void *mem_alloc_shared(uint64_t n)
{
	uint64_t pa = mem_alloc_pages(n, 1);

	if (pa == 0 || !mem_pvalidate_range(pa, n * PAGE_SIZE, false, false)) {
		return NULL;
	}
	for (uint64_t i = 0; i < n; i++) {
		if (!ghcb_msr_psc(pa + i * PAGE_SIZE, true) ||
		    !paging_set_shared(pa + i * PAGE_SIZE, true)) {
			return NULL;
		}
	}
	/* Zeroed again: through the shared (C-bit clear) mapping now. */
	memset((void *)(uintptr_t)pa, 0, n * PAGE_SIZE);
	return (void *)(uintptr_t)pa;
}

void *mem_alloc_buf(uint64_t n)
{
	uint64_t pa = mem_alloc_pages(n, 1);

	return (void *)(uintptr_t)pa;
}

void mem_free_buf(void *p, uint64_t n)
{
	mem_free_pages(mem_pa(p), n);
}

struct snp_vmsa *mem_alloc_vmsa(void)
{
	uint64_t pa = mem_alloc_page();

	if (pa != 0 && IS_ALIGNED(pa, PAGE_SIZE_2M)) {
		uint64_t spare = pa;

		pa = mem_alloc_page();
		mem_free_pages(spare, 1);
	}
	return (struct snp_vmsa *)(uintptr_t)pa;
}

uint32_t mem_make_vmsa(struct snp_vmsa *v)
{
	return snp_rmpadjust(mem_pa(v), SNP_PAGE_SIZE_4K, 1 | RMPADJ_VMSA);
}

uint64_t mem_free_page_count(void)
{
	return pool.free;
}

void *mem_malloc(size_t size)
{
	void *p = NULL;

	spin_lock(&heap_lock);
	p = heap_alloc(&heap, size);
	spin_unlock(&heap_lock);
	return p;
}

void mem_free(void *p)
{
	bool ok = false;

	spin_lock(&heap_lock);
	ok = heap_free(&heap, p);
	spin_unlock(&heap_lock);
	CHECK(ok);
}
