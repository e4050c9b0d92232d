// SPDX-License-Identifier: MIT
/*
 * SVSM page tables (see paging.h), built with lib/pt.h. Physical addresses
 * in PTEs carry the C-bit (APM vol. 2 §15.34.4); pt.h treats it as an
 * address bit, so phys_to_virt strips it again.
 */
#include "mm/paging.h"

#include "arch/cpu.h"

#include "lib/panic.h"
#include "lib/pt.h"

#include "mm/mem.h"

extern uint32_t boot_cbit_pos; /* src/entry.S */
/* The image's load segments (linker/svsm.ld), each page aligned. */
extern const char __text_start[], __text_end[];
extern const char __rodata_start[], __rodata_end[];
extern const char __data_start[], __data_end[];

static uint64_t root_pa;
uint64_t paging_wx_leaves;

/*
 * What paging_init() mapped of guest RAM and host parameter areas, so that
 * paging_drop_guest_ram() can take exactly that away again.
 */
#define PAGING_MAX_RANGES 64
static struct mem_range boot_ram[PAGING_MAX_RANGES];
static size_t boot_ram_count;
static struct mem_range boot_extra[PAGING_MAX_RANGES];
static size_t boot_extra_count;
static struct mem_range boot_svsm;

uint64_t paging_cbit_mask(void)
{
	return UINT64_C(1) << boot_cbit_pos;
}

/*
 * Table pointers carry the C-bit like the leaves. SNP walks the guest's
 * tables as private memory either way, but on snpemu a walk through a
 * C-bit-less GPA traps (#NPF) after every exit (its alias is dropped,
 * docs/snpemu.md §3): ~60,000 exits per Linux boot (docs/linux-boot.md §9).
 */
static uint64_t pt_alloc(void *ctx)
{
	uint64_t pa = mem_alloc_page();

	(void)ctx;
	return pa != 0 ? pa | paging_cbit_mask() : 0;
}

static void *pt_p2v(void *ctx, uint64_t pa)
{
	(void)ctx;
	return (void *)(uintptr_t)(pa & ~paging_cbit_mask());
}

static const struct pt_ops svsm_pt_ops = {
	.alloc_page = pt_alloc,
	.phys_to_virt = pt_p2v,
	.ctx = NULL,
};

static void map_or_panic(uint64_t base, uint64_t size, uint64_t flags,
			 bool large)
{
	enum pt_status st = PT_OK;

	if (size == 0) {
		return;
	}
	st = pt_map(&svsm_pt_ops, root_pa, base, base | paging_cbit_mask(),
		    size, flags, large);
	if (st != PT_OK && st != PT_E_EXISTS) {
		panic("pt_map [%llx, +%llx) failed: %d",
		      (unsigned long long)base, (unsigned long long)size,
		      (int)st);
	}
}

/* Map [base, base+size) minus the SVSM region @svsm. */
static void map_outside(const struct mem_range *svsm, uint64_t base,
			uint64_t size, uint64_t flags, bool large)
{
	uint64_t end = base + size;
	uint64_t s_end = svsm->base + svsm->size;

	if (end <= svsm->base || base >= s_end) {
		map_or_panic(base, size, flags, large);
		return;
	}
	if (base < svsm->base) {
		map_or_panic(base, svsm->base - base, flags, large);
	}
	if (end > s_end) {
		map_or_panic(s_end, end - s_end, flags, large);
	}
}

static uint64_t sym(const char *s)
{
	return (uint64_t)(uintptr_t)s;
}

/*
 * W^X for the SVSM region: text read+execute, rodata read-only, and
 * everything else (data, bss, and the rest of the region: page pool, heap,
 * stacks, page tables) read-write and never executable.
 */
static void map_svsm(const struct mem_range *svsm)
{
	const uint64_t end = svsm->base + svsm->size;

	if (sym(__text_start) < svsm->base || sym(__data_end) > end) {
		panic("image [%llx, %llx) outside the SVSM region",
		      (unsigned long long)sym(__text_start),
		      (unsigned long long)sym(__data_end));
	}
	map_or_panic(svsm->base, sym(__text_start) - svsm->base, PTE_W | PTE_NX,
		     false);
	map_or_panic(sym(__text_start), sym(__text_end) - sym(__text_start), 0,
		     false);
	map_or_panic(sym(__rodata_start),
		     sym(__rodata_end) - sym(__rodata_start), PTE_NX, false);
	map_or_panic(sym(__data_start), end - sym(__data_start), PTE_W | PTE_NX,
		     false);
}

/* The final tables must hold no page that is writable and executable. */
static void check_wx(void)
{
	struct pt_wx_report r;

	pt_find_wx(&svsm_pt_ops, root_pa, &r);
	if (r.wx != 0) {
		panic("W^X: %llu of %llu mappings writable and executable, "
		      "first at %llx",
		      (unsigned long long)r.wx, (unsigned long long)r.leaves,
		      (unsigned long long)r.first_wx_va);
	}
	paging_wx_leaves = r.leaves;
}

void paging_init(const struct mem_range *svsm, const struct mem_range *ram,
		 size_t ram_count, const struct mem_range *extra,
		 size_t extra_count)
{
	root_pa = mem_alloc_page();
	if (root_pa == 0) {
		panic("no page for the page-table root");
	}
	map_svsm(svsm);
	boot_svsm = *svsm;
	for (size_t i = 0; i < ram_count && i < PAGING_MAX_RANGES; i++) {
		struct mem_range r = ram[i];

		/* Page 0 is never mapped: a NULL dereference faults. */
		if (r.base == 0 && r.size != 0) {
			r.base = PAGE_SIZE;
			r.size -= PAGE_SIZE;
		}
		map_outside(svsm, r.base, r.size, PTE_W | PTE_NX, true);
		boot_ram[boot_ram_count++] = r;
	}
	for (size_t i = 0; i < extra_count; i++) {
		uint64_t b = ALIGN_DOWN(extra[i].base, PAGE_SIZE);
		uint64_t e = ALIGN_UP(extra[i].base + extra[i].size, PAGE_SIZE);

		if (boot_extra_count < PAGING_MAX_RANGES) {
			boot_extra[boot_extra_count++] =
				(struct mem_range){b, e - b};
		}
		/* Already covered pages are left as they are (EXISTS). */
		for (uint64_t p = b; p < e; p += PAGE_SIZE) {
			map_outside(svsm, p, PAGE_SIZE, PTE_W | PTE_NX, false);
		}
	}
	check_wx();
	write_cr3(root_pa | paging_cbit_mask());
}

bool paging_set_shared(uint64_t va, bool shared)
{
	uint64_t pa = va | (shared ? 0 : paging_cbit_mask());

	if (pt_unmap(&svsm_pt_ops, root_pa, va, PAGE_SIZE) != PT_OK) {
		return false;
	}
	if (pt_map(&svsm_pt_ops, root_pa, va, pa, PAGE_SIZE, PTE_W | PTE_NX,
		   false) != PT_OK) {
		return false;
	}
	invlpg(va);
	return true;
}

/* Unmap [base, base + size) minus the SVSM region, page by page. */
static void unmap_outside(uint64_t base, uint64_t size)
{
	for (uint64_t va = base; va < base + size;) {
		struct pt_walk w;

		if (range_overlap(va, 1, boot_svsm.base, boot_svsm.size)) {
			va = boot_svsm.base + boot_svsm.size;
			continue;
		}
		if (pt_lookup(&svsm_pt_ops, root_pa, va, &w) != PT_OK) {
			va += PAGE_SIZE;
			continue;
		}
		if (pt_unmap(&svsm_pt_ops, root_pa, va, w.size) != PT_OK) {
			panic("cannot unmap guest memory at %llx",
			      (unsigned long long)va);
		}
		va += w.size;
	}
}

void paging_drop_guest_ram(void)
{
	for (size_t i = 0; i < boot_ram_count; i++) {
		unmap_outside(boot_ram[i].base, boot_ram[i].size);
	}
	for (size_t i = 0; i < boot_extra_count; i++) {
		unmap_outside(boot_extra[i].base, boot_extra[i].size);
	}
	/* Every CPU's TLB (one CPU for now): reload CR3. */
	write_cr3(root_pa | paging_cbit_mask());
}

bool paging_guest_ram_mapped(uint64_t gpa)
{
	struct pt_walk w;

	return pt_lookup(&svsm_pt_ops, root_pa, gpa, &w) == PT_OK;
}

/* The table (PDPT, PD or PT) that the present entry @e points to. */
static uint64_t *table_of(uint64_t e)
{
	return pt_p2v(NULL, e & PTE_ADDR_MASK);
}

void paging_window_init(uint64_t va, uint64_t **pde_2m, uint64_t **pt_4k)
{
	const uint64_t va_4k = va + PT_SIZE_2M;
	uint64_t *t = NULL;

	/* Let pt_map build the path to a 4K page at va_4k, then remove it. */
	map_or_panic(va_4k, PAGE_SIZE, PTE_W | PTE_NX, false);
	if (pt_unmap(&svsm_pt_ops, root_pa, va_4k, PAGE_SIZE) != PT_OK) {
		panic("guest window at %llx", (unsigned long long)va);
	}
	t = table_of(root_pa);
	t = table_of(t[(va >> 39) & 511]);
	t = table_of(t[(va >> 30) & 511]);
	*pde_2m = &t[(va >> 21) & 511];
	*pt_4k = table_of(t[(va_4k >> 21) & 511]);
}
