// SPDX-License-Identifier: MIT
/*
 * VT-d second-level tables over guest RAM (iommu_pt.h). The tables are
 * built once with every leaf not present; iommu_pt_sync() then writes
 * each leaf from the RMP, so a page is mapped for devices exactly while
 * it is shared: on SNP hardware the IOMMU checks DMA against the RMP and
 * lets a device reach only hypervisor-owned pages (Linux:
 * arch/x86/virt/svm/sev.c, snp_rmptable_init: "the IOMMU ensures that the
 * page(s) used for DMA are hypervisor owned"; drivers/iommu/amd/init.c,
 * amd_iommu_snp_enable refuses SNP with the IOMMU off or in pass-through;
 * docs/snpemu.md §4).
 */
#include "iommu_pt.h"

#include "lib/compiler.h"

#define LEVEL_BITS 9u

static uint64_t *table(uint64_t pa)
{
	return (uint64_t *)(uintptr_t)pa;
}

static uint64_t div_up(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

/* Tables at each level, level 1 (leaves) first; false if the top level
 * would need more than one table. */
static bool level_counts(uint64_t npages, unsigned levels, uint64_t *counts)
{
	uint64_t n = npages;

	if (npages == 0 || (levels != 3 && levels != 4)) {
		return false;
	}
	for (unsigned l = 1; l < levels; l++) {
		n = div_up(n, VTD_PT_ENTRIES);
		counts[l] = n;
	}
	counts[levels] = 1;
	return counts[levels - 1] <= VTD_PT_ENTRIES;
}

uint64_t iommu_pt_pages(uint64_t npages, unsigned levels)
{
	uint64_t counts[5] = {0};
	uint64_t total = 0;

	if (!level_counts(npages, levels, counts)) {
		return 0;
	}
	for (unsigned l = 1; l <= levels; l++) {
		total += counts[l];
	}
	return total;
}

struct vtd_context_entry vtd_context_entry(uint64_t slpt_pa, unsigned levels,
					   uint16_t did)
{
	/* AW: levels - 2 (1 = 39-bit, 3 levels; 2 = 48-bit, 4 levels).
	 * TT 0 and FPD 0: translated through the tables, faults recorded. */
	return (struct vtd_context_entry){
		.lo = (slpt_pa & VTD_ADDR_MASK) | 1u,
		.hi = (uint64_t)((levels - 2) & 7u) | ((uint64_t)did << 8),
	};
}

bool iommu_pt_build(struct iommu_pt *pt, uint64_t mem_pa, unsigned levels,
		    uint64_t npages, uint64_t ram_hpa)
{
	uint64_t counts[5] = {0};
	uint64_t below = mem_pa; /* first table of the level below */

	if (!level_counts(npages, levels, counts) ||
	    (mem_pa & (PAGE_SIZE - 1))) {
		return false;
	}
	/* Non-leaf entries carry R and W: the leaf alone decides. */
	for (unsigned l = 2; l <= levels; l++) {
		uint64_t first = below + counts[l - 1] * PAGE_SIZE;

		for (uint64_t i = 0; i < counts[l - 1]; i++) {
			table(first + (i / VTD_PT_ENTRIES) *
					      PAGE_SIZE)[i % VTD_PT_ENTRIES] =
				(below + i * PAGE_SIZE) | VTD_SL_R | VTD_SL_W;
		}
		below = first;
	}
	pt->root = below;
	pt->levels = levels;
	pt->leaf = table(mem_pa);
	pt->npages = npages;
	pt->ram_hpa = ram_hpa;
	return true;
}

uint64_t iommu_pt_leaf(const struct rmp *r, uint64_t gfn, uint64_t ram_hpa)
{
	if (gfn >= r->npages || (r->e[gfn].flags & RMP_F_ASSIGNED)) {
		return 0;
	}
	return (ram_hpa + (gfn << PAGE_SHIFT)) | VTD_SL_R | VTD_SL_W;
}

void iommu_pt_sync(struct iommu_pt *pt, const struct rmp *r, uint64_t gfn,
		   uint64_t count, struct iommu_pt_sync *out)
{
	*out = (struct iommu_pt_sync){0};
	if (gfn >= pt->npages) {
		return;
	}
	if (count > pt->npages - gfn) {
		count = pt->npages - gfn;
	}
	for (uint64_t g = gfn; g < gfn + count; g++) {
		uint64_t old = pt->leaf[g];
		uint64_t pte = iommu_pt_leaf(r, g, pt->ram_hpa);

		if (old == pte) {
			continue;
		}
		pt->leaf[g] = pte;
		if (pte != 0) {
			out->mapped++;
			continue;
		}
		if (out->unmapped++ == 0) {
			out->first_unmapped = g;
		}
		out->last_unmapped = g;
	}
}

int iommu_pt_walk(const struct iommu_pt *pt, uint64_t iova, bool write,
		  uint64_t *hpa)
{
	uint64_t need = write ? VTD_SL_W : VTD_SL_R;
	uint64_t t = pt->root;

	*hpa = 0;
	if (iova >> (PAGE_SHIFT + LEVEL_BITS * pt->levels)) {
		return VTD_FR_ADDR_BEYOND_MGAW;
	}
	for (unsigned l = pt->levels; l >= 1; l--) {
		unsigned shift = PAGE_SHIFT + LEVEL_BITS * (l - 1);
		uint64_t e = table(t)[(iova >> shift) & (VTD_PT_ENTRIES - 1)];

		if (!(e & need)) {
			return write ? VTD_FR_WRITE : VTD_FR_READ;
		}
		t = e & VTD_ADDR_MASK;
		if (l == 1) {
			*hpa = t | (iova & (PAGE_SIZE - 1));
		}
	}
	return 0;
}
