// SPDX-License-Identifier: MIT
/*
 * Host tests of the VT-d tables snpemu gives QEMU's IOMMU (emu/iommu_pt.h):
 * every GPA walks, as the IOMMU walks it, to ram_hpa + GPA exactly while
 * the RMP says the page is shared, and faults otherwise; every RMP change
 * (rmp_psc both ways, 2 MiB, PSMASH, PVALIDATE, RMPADJUST) is followed by
 * iommu_pt_sync, which reports what it unmapped (what must be invalidated).
 */
#include <stdlib.h>
#include <string.h>

#include "svsm/abi/snp.h"

#include "iommu_pt.h"
#include "rmp.h"
#include "tap.h"

/* Not a multiple of 512: the last leaf table is partly beyond guest RAM. */
#define NPAGES 1800u
#define RAM_HPA UINT64_C(0x10000000)
#define MB2 (UINT64_C(2) << 20)

static struct rmp_entry entries[NPAGES];
static struct rmp r;
static struct iommu_pt pt;
static struct iommu_pt_sync res;
static void *mem;

static void fresh(unsigned levels)
{
	uint64_t n = iommu_pt_pages(NPAGES, levels);

	free(mem);
	mem = aligned_alloc(PAGE_SIZE, n * PAGE_SIZE);
	memset(mem, 0, n * PAGE_SIZE);
	rmp_init(&r, entries, NPAGES);
	CHECK_TRUE(iommu_pt_build(&pt, (uint64_t)(uintptr_t)mem, levels, NPAGES,
				  RAM_HPA));
}

/* The whole RAM in step: every page synced from the RMP. */
static void sync_all(void)
{
	iommu_pt_sync(&pt, &r, 0, NPAGES, &res);
}

static void psc(uint64_t gpa, unsigned op, bool size_2m)
{
	struct rmp_change chg = {0};

	CHECK_EQ(rmp_psc(&r, gpa, op, size_2m, &chg), RMP_PSC_OK);
	iommu_pt_sync(&pt, &r, chg.gfn, chg.count, &res);
}

/* Walks every guest page (read and write) plus a page beyond RAM and one
 * beyond the address width; compares with the RMP. Returns mismatches. */
static unsigned check_every_page(void)
{
	unsigned bad = 0;

	for (uint64_t g = 0; g < NPAGES + 300; g++) {
		bool shared =
			g < NPAGES && !(entries[g].flags & RMP_F_ASSIGNED);
		uint64_t iova = (g << PAGE_SHIFT) | 0x123;

		for (int w = 0; w < 2; w++) {
			uint64_t hpa = 1;
			int fr = iommu_pt_walk(&pt, iova, w, &hpa);

			if (shared && (fr != 0 || hpa != RAM_HPA + iova)) {
				bad++;
			}
			if (!shared &&
			    (fr != (w ? VTD_FR_WRITE : VTD_FR_READ) || hpa)) {
				bad++;
			}
		}
	}
	return bad;
}

TAP_CASE(table_sizes)
{
	/* 1800 pages: 4 leaf tables + 1 directory + the top (3 levels). */
	CHECK_EQ(iommu_pt_pages(NPAGES, 3), 6);
	CHECK_EQ(iommu_pt_pages(NPAGES, 4), 7);
	/* 2 GiB (snpemu's largest guest): 1024 + 2 + 1. */
	CHECK_EQ(iommu_pt_pages(UINT64_C(1) << 19, 3), 1027);
	CHECK_EQ(iommu_pt_pages(0, 3), 0);
	CHECK_EQ(iommu_pt_pages(NPAGES, 5), 0);
	/* More than 512 GiB does not fit 3 levels (39 bits). */
	CHECK_EQ(iommu_pt_pages((UINT64_C(1) << 27) + 1, 3), 0);
	CHECK_TRUE(iommu_pt_pages((UINT64_C(1) << 27) + 1, 4) != 0);
}

TAP_CASE(built_empty_nothing_reachable)
{
	uint64_t hpa = 0;

	fresh(3);
	/* Built: no leaf yet, though the RMP says all is shared. */
	CHECK_EQ(iommu_pt_walk(&pt, 0x5000, false, &hpa), VTD_FR_READ);
	CHECK_EQ(iommu_pt_walk(&pt, 0x5000, true, &hpa), VTD_FR_WRITE);
	sync_all();
	CHECK_EQ(res.mapped, NPAGES);
	CHECK_EQ(res.unmapped, 0);
	CHECK_EQ(check_every_page(), 0);
	/* Beyond the 39-bit address width of a 3-level table. */
	CHECK_EQ(iommu_pt_walk(&pt, UINT64_C(1) << 39, false, &hpa),
		 VTD_FR_ADDR_BEYOND_MGAW);
	CHECK_EQ(iommu_pt_walk(&pt, (UINT64_C(1) << 39) - 1, true, &hpa),
		 VTD_FR_WRITE);
}

TAP_CASE(entries_encode_the_spec_fields)
{
	struct vtd_root_entry re = vtd_root_entry(0x7654000);
	struct vtd_context_entry ce = vtd_context_entry(0x1234000, 3, 7);
	struct vtd_context_entry ce4 = vtd_context_entry(0x1234000, 4, 1);

	CHECK_EQ(re.lo, 0x7654001);
	CHECK_EQ(re.hi, 0);
	/* P, FPD 0, TT 0 (second-level translation), SLPTPTR. */
	CHECK_EQ(ce.lo, 0x1234001);
	/* AW 1 (39-bit, 3 levels), DID 7 at bits 23:8. */
	CHECK_EQ(ce.hi, 0x701);
	CHECK_EQ(ce4.hi, 0x102);
}

TAP_CASE(private_pages_are_unmapped_shared_mapped)
{
	for (unsigned levels = 3; levels <= 4; levels++) {
		fresh(levels);
		sync_all();
		/* 4 KiB to private: unmapped, reported for invalidation. */
		psc(0x3000, RMP_PSC_OP_PRIVATE, false);
		CHECK_EQ(res.unmapped, 1);
		CHECK_EQ(res.first_unmapped, 3);
		CHECK_EQ(res.last_unmapped, 3);
		CHECK_EQ(res.mapped, 0);
		/* Private again: a no-op, nothing to invalidate. */
		psc(0x3000, RMP_PSC_OP_PRIVATE, false);
		CHECK_EQ(res.unmapped, 0);
		/* A 2 MiB range private: 511 more unmapped. */
		psc(0, RMP_PSC_OP_PRIVATE, true);
		CHECK_EQ(res.unmapped, 511);
		CHECK_EQ(res.first_unmapped, 0);
		CHECK_EQ(res.last_unmapped, 511);
		CHECK_EQ(check_every_page(), 0);
		/* One page of it shared again (KVM would PSMASH first). */
		psc(0x5000, RMP_PSC_OP_SHARED, false);
		CHECK_EQ(res.mapped, 1);
		CHECK_EQ(res.unmapped, 0);
		CHECK_EQ(check_every_page(), 0);
		/* The last page of RAM, in the partly used leaf table. */
		psc((NPAGES - 1) * PAGE_SIZE, RMP_PSC_OP_PRIVATE, false);
		CHECK_EQ(res.unmapped, 1);
		CHECK_EQ(check_every_page(), 0);
	}
}

TAP_CASE(validation_and_permissions_change_nothing)
{
	struct rmp_change chg = {0};
	bool cf = false;

	fresh(3);
	sync_all();
	psc(MB2, RMP_PSC_OP_PRIVATE, true);
	/* PVALIDATE, RMPADJUST and PSMASH keep the page private: the
	 * IOMMU leaves stay as they are. */
	CHECK_EQ(rmp_pvalidate(&r, 0, MB2, SNP_PAGE_SIZE_2M, 1, &cf, &chg),
		 SNP_RC_SUCCESS);
	iommu_pt_sync(&pt, &r, chg.gfn, chg.count, &res);
	CHECK_EQ(res.mapped + res.unmapped, 0);
	CHECK_EQ(rmp_psmash(&r, MB2, &chg), RMP_PSC_OK);
	iommu_pt_sync(&pt, &r, chg.gfn, chg.count, &res);
	CHECK_EQ(res.mapped + res.unmapped, 0);
	CHECK_EQ(rmp_adjust(&r, 0, MB2, SNP_PAGE_SIZE_4K,
			    1 | ((uint64_t)RMP_PERM_ALL << 8), &chg),
		 SNP_RC_SUCCESS);
	iommu_pt_sync(&pt, &r, chg.gfn, chg.count, &res);
	CHECK_EQ(res.mapped + res.unmapped, 0);
	CHECK_EQ(check_every_page(), 0);
	/* Made shared (RMPUPDATE drops the validation): mapped again. */
	psc(MB2, RMP_PSC_OP_SHARED, false);
	CHECK_EQ(res.mapped, 1);
	CHECK_EQ(check_every_page(), 0);
}

TAP_CASE(launch_pages_after_a_full_sync)
{
	fresh(3);
	sync_all();
	/* SNP_LAUNCH_UPDATE writes the RMP directly (no rmp_change): the
	 * driver resyncs all of RAM before the guest runs. */
	CHECK_EQ(rmp_launch_page(&r, 0x9000), RMP_PSC_OK);
	CHECK_TRUE(check_every_page() != 0);
	sync_all();
	CHECK_EQ(res.unmapped, 1);
	CHECK_EQ(check_every_page(), 0);
}

TAP_CASE(sync_clamps_to_guest_ram)
{
	fresh(3);
	iommu_pt_sync(&pt, &r, NPAGES - 2, 100, &res);
	CHECK_EQ(res.mapped, 2);
	iommu_pt_sync(&pt, &r, NPAGES, 1, &res);
	CHECK_EQ(res.mapped, 0);
	iommu_pt_sync(&pt, &r, UINT64_MAX, UINT64_MAX, &res);
	CHECK_EQ(res.mapped + res.unmapped, 0);
}

TAP_MAIN(TAP_ENTRY(table_sizes), TAP_ENTRY(built_empty_nothing_reachable),
	 TAP_ENTRY(entries_encode_the_spec_fields),
	 TAP_ENTRY(private_pages_are_unmapped_shared_mapped),
	 TAP_ENTRY(validation_and_permissions_change_nothing),
	 TAP_ENTRY(launch_pages_after_a_full_sync),
	 TAP_ENTRY(sync_clamps_to_guest_ram))
