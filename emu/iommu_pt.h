/* SPDX-License-Identifier: MIT */
/*
 * The VT-d structures snpemu writes for QEMU's emulated Intel IOMMU: root
 * and context entries (legacy mode) and the second-level page tables that
 * map, at each GPA, exactly the guest pages the RMP says are shared
 * (docs/snpemu.md §4). Pure logic, shared by snpemu (iommu.c) and the
 * hosted unit tests: table addresses are used as pointers (snpemu's memory
 * is identity mapped; the tests use their own buffers).
 *
 * Formats (Intel VT-d specification rev. 3.x, §9.1 root entry, §9.3
 * context entry, §9.8 second-level paging entries; QEMU 7.2's model of
 * them: hw/i386/intel_iommu_internal.h):
 *   root entry     lo: P (bit 0), context-table pointer (63:12); hi: 0
 *   context entry  lo: P (0), FPD (1), TT (3:2, 0 = untranslated requests
 *                  through second-level tables), SLPTPTR (63:12)
 *                  hi: AW (2:0: 1 = 39-bit / 3 levels, 2 = 48-bit / 4
 *                  levels), DID (23:8)
 *   second level   R (0), W (1), address (HAW-1:12); R/W of every level
 *                  are ANDed, a leaf without the access's bit faults
 *                  (reason 5 for a write, 6 for a read).
 */
#pragma once

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>

#include "rmp.h"

#define VTD_SL_R (UINT64_C(1) << 0)
#define VTD_SL_W (UINT64_C(1) << 1)
#define VTD_ADDR_MASK UINT64_C(0x000ffffffffff000) /* bits 51:12 */
#define VTD_PT_ENTRIES 512u

/* Fault reasons (VT-d spec appendix A, "non-recoverable fault reasons"). */
#define VTD_FR_ROOT_ENTRY_P 1
#define VTD_FR_CONTEXT_ENTRY_P 2
#define VTD_FR_CONTEXT_ENTRY_INV 3
#define VTD_FR_ADDR_BEYOND_MGAW 4
#define VTD_FR_WRITE 5
#define VTD_FR_READ 6
#define VTD_FR_PAGING_ENTRY_INV 7

struct vtd_root_entry {
	uint64_t lo, hi;
};
static_assert(sizeof(struct vtd_root_entry) == 16, "VT-d §9.1");

struct vtd_context_entry {
	uint64_t lo, hi;
};
static_assert(sizeof(struct vtd_context_entry) == 16, "VT-d §9.3");

/* One root table page: an entry per bus. One context table page: an entry
 * per devfn. */
#define VTD_ROOT_ENTRIES 256u
#define VTD_CONTEXT_ENTRIES 256u

static inline struct vtd_root_entry vtd_root_entry(uint64_t ctx_table_pa)
{
	return (struct vtd_root_entry){
		.lo = (ctx_table_pa & VTD_ADDR_MASK) | 1u, .hi = 0};
}

/** A context entry sending @did's untranslated DMA through the
 * @levels-level second-level table at @slpt_pa. */
struct vtd_context_entry vtd_context_entry(uint64_t slpt_pa, unsigned levels,
					   uint16_t did);

/*
 * The second-level tables of one domain over guest RAM. The level-1
 * tables are contiguous, so the leaf PTE of a guest page is leaf[gfn]
 * (the same layout as emu/npt.c's views); the levels above cover them.
 */
struct iommu_pt {
	uint64_t root; /* SLPTPTR: the top-level table */
	unsigned levels;
	uint64_t *leaf;
	uint64_t npages;
	uint64_t ram_hpa; /* where GPA 0 lives */
};

/** Table pages iommu_pt_build needs for @npages guest pages, @levels 3/4. */
uint64_t iommu_pt_pages(uint64_t npages, unsigned levels);

/**
 * Build empty tables (every leaf not present) in the iommu_pt_pages()
 * zeroed pages at @mem_pa. False if @levels is not 3 or 4, or @npages does
 * not fit the address width.
 */
bool iommu_pt_build(struct iommu_pt *pt, uint64_t mem_pa, unsigned levels,
		    uint64_t npages, uint64_t ram_hpa);

/** The leaf the RMP gives @gfn: shared (not assigned) pages read/write at
 * ram_hpa + GPA, every other page not present. */
uint64_t iommu_pt_leaf(const struct rmp *r, uint64_t gfn, uint64_t ram_hpa);

struct iommu_pt_sync {
	uint64_t mapped;   /* leaves made present */
	uint64_t unmapped; /* leaves removed: the IOTLB must be invalidated */
	uint64_t first_unmapped, last_unmapped; /* gfn range, if unmapped */
};

/** Bring the leaves of [gfn, gfn + count) in step with the RMP. */
void iommu_pt_sync(struct iommu_pt *pt, const struct rmp *r, uint64_t gfn,
		   uint64_t count, struct iommu_pt_sync *out);

/**
 * Walk the tables for @iova as the IOMMU does (VT-d §3.7: every level's
 * R/W ANDed; no large pages are ever written): 0 and *@hpa, or a VTD_FR_*
 * reason. For the tests and for snpemu's own checks.
 */
int iommu_pt_walk(const struct iommu_pt *pt, uint64_t iova, bool write,
		  uint64_t *hpa);
