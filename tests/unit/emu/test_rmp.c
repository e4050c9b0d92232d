// SPDX-License-Identifier: MIT
/*
 * Host tests of the RMP model's rules (emu/rmp.h; APM vol. 3 PVALIDATE,
 * RMPADJUST, RMPQUERY; docs/abi.md §7.1-7.3).
 */
#include "svsm/abi/snp.h"

#include "rmp.h"
#include "tap.h"

#define NPAGES 2048 /* 8 MiB: four 2 MiB ranges */
#define MB2 (UINT64_C(2) << 20)

static struct rmp_entry entries[NPAGES];
static struct rmp r;
static struct rmp_change chg;
static bool cf;

static void fresh(void)
{
	rmp_init(&r, entries, NPAGES);
}

static void make_private(uint64_t gpa)
{
	CHECK_EQ(rmp_psc(&r, gpa, RMP_PSC_OP_PRIVATE, false, &chg), 0);
}

static void make_valid(uint64_t gpa)
{
	make_private(gpa);
	CHECK_EQ(rmp_pvalidate(&r, 0, gpa, 0, 1, &cf, &chg), 0);
	CHECK_TRUE(!cf);
}

TAP_CASE(pvalidate_validates_and_reports_no_update)
{
	fresh();
	make_private(0x3000);
	CHECK_EQ(rmp_pvalidate(&r, 0, 0x3000, 0, 1, &cf, &chg), 0);
	CHECK_TRUE(!cf);
	CHECK_EQ(chg.gfn, 3);
	CHECK_EQ(chg.count, 1);
	CHECK_TRUE(entries[3].flags & RMP_F_VALIDATED);
	/* Again: nothing changes, CF=1 (docs/abi.md §7.1 "FAIL_NOUPDATE"). */
	CHECK_EQ(rmp_pvalidate(&r, 0, 0x3000, 0, 1, &cf, &chg), 0);
	CHECK_TRUE(cf);
	CHECK_EQ(chg.count, 0);
	/* Rescind, then rescind again. */
	CHECK_EQ(rmp_pvalidate(&r, 0, 0x3000, 0, 0, &cf, &chg), 0);
	CHECK_TRUE(!cf);
	CHECK_TRUE(!(entries[3].flags & RMP_F_VALIDATED));
	CHECK_EQ(rmp_pvalidate(&r, 0, 0x3000, 0, 0, &cf, &chg), 0);
	CHECK_TRUE(cf);
}

TAP_CASE(pvalidate_input_errors)
{
	fresh();
	make_private(0x3000);
	/* Shared (unassigned) page. */
	CHECK_EQ(rmp_pvalidate(&r, 0, 0x4000, 0, 1, &cf, &chg),
		 SNP_RC_FAIL_INPUT);
	/* Misaligned, bad size, bad validate flag, outside RAM. */
	CHECK_EQ(rmp_pvalidate(&r, 0, 0x3008, 0, 1, &cf, &chg),
		 SNP_RC_FAIL_INPUT);
	CHECK_EQ(rmp_pvalidate(&r, 0, 0x3000, 2, 1, &cf, &chg),
		 SNP_RC_FAIL_INPUT);
	CHECK_EQ(rmp_pvalidate(&r, 0, 0x3000, 0, 2, &cf, &chg),
		 SNP_RC_FAIL_INPUT);
	CHECK_EQ(rmp_pvalidate(&r, 0, (uint64_t)NPAGES << 12, 0, 1, &cf, &chg),
		 SNP_RC_FAIL_INPUT);
	CHECK_TRUE(!(entries[3].flags & RMP_F_VALIDATED));
}

TAP_CASE(pvalidate_only_at_vmpl0)
{
	fresh();
	make_private(0x3000);
	for (unsigned v = 1; v < 4; v++) {
		CHECK_EQ(rmp_pvalidate(&r, v, 0x3000, 0, 1, &cf, &chg),
			 RMP_FAULT_GP);
	}
	CHECK_TRUE(!(entries[3].flags & RMP_F_VALIDATED));
}

TAP_CASE(pvalidate_2m_needs_uniform_2m_entry)
{
	fresh();
	/* 512 separately assigned 4K pages are not a 2M RMP page. */
	for (uint64_t p = 0; p < 512; p++) {
		make_private(MB2 + p * 4096);
	}
	CHECK_EQ(rmp_pvalidate(&r, 0, MB2, 1, 1, &cf, &chg),
		 SNP_RC_FAIL_SIZEMISMATCH);
	/* A 2M private range: 2M works, 4K inside it mismatches. */
	CHECK_EQ(rmp_psc(&r, 2 * MB2, RMP_PSC_OP_PRIVATE, true, &chg), 0);
	CHECK_EQ(rmp_pvalidate(&r, 0, 2 * MB2 + 0x5000, 0, 1, &cf, &chg),
		 SNP_RC_FAIL_SIZEMISMATCH);
	CHECK_EQ(rmp_pvalidate(&r, 0, 2 * MB2 + 0x1000, 1, 1, &cf, &chg),
		 SNP_RC_FAIL_INPUT); /* misaligned for 2M */
	CHECK_EQ(rmp_pvalidate(&r, 0, 2 * MB2, 1, 1, &cf, &chg), 0);
	CHECK_TRUE(!cf);
	CHECK_EQ(chg.count, 512);
	CHECK_TRUE(entries[1024].flags & RMP_F_VALIDATED);
	CHECK_TRUE(entries[1535].flags & RMP_F_VALIDATED);
	CHECK_EQ(rmp_pvalidate(&r, 0, 2 * MB2, 1, 1, &cf, &chg), 0);
	CHECK_TRUE(cf);
	/* A 2M range reaching past the end of RAM. */
	CHECK_EQ(rmp_pvalidate(&r, 0, 4 * MB2, 1, 1, &cf, &chg),
		 SNP_RC_FAIL_INPUT);
}

TAP_CASE(rmpadjust_grants_downward_only)
{
	fresh();
	make_valid(0x5000);
	CHECK_EQ(rmp_adjust(&r, 0, 0x5000, 0, 2 | RMPADJ_READ, &chg), 0);
	CHECK_EQ(rmp_perms(&r, 5, 2), RMP_PERM_R);
	CHECK_EQ(rmp_perms(&r, 5, 1), 0);
	CHECK_EQ(rmp_perms(&r, 5, 0), RMP_PERM_ALL);
	/* Target not less privileged than the caller. */
	CHECK_EQ(rmp_adjust(&r, 0, 0x5000, 0, 0 | RMPADJ_RWX, &chg),
		 SNP_RC_FAIL_PERMISSION);
	CHECK_EQ(rmp_adjust(&r, 2, 0x5000, 0, 2 | RMPADJ_READ, &chg),
		 SNP_RC_FAIL_PERMISSION);
	CHECK_EQ(rmp_adjust(&r, 2, 0x5000, 0, 1 | RMPADJ_READ, &chg),
		 SNP_RC_FAIL_PERMISSION);
	/* Target VMPL out of range, reserved bits. */
	CHECK_EQ(rmp_adjust(&r, 0, 0x5000, 0, 4, &chg), SNP_RC_FAIL_INPUT);
	CHECK_EQ(rmp_adjust(&r, 0, 0x5000, 0, 2 | (1u << 12), &chg),
		 SNP_RC_FAIL_INPUT);
	CHECK_EQ(rmp_adjust(&r, 0, 0x5000, 0, 2 | (UINT64_C(1) << 17), &chg),
		 SNP_RC_FAIL_INPUT);
	CHECK_EQ(rmp_perms(&r, 5, 2), RMP_PERM_R);
}

TAP_CASE(rmpadjust_never_grants_more_than_held)
{
	fresh();
	make_valid(0x5000);
	CHECK_EQ(
		rmp_adjust(&r, 0, 0x5000, 0, 1 | RMPADJ_READ | RMPADJ_XS, &chg),
		0);
	/* VMPL1 holds R+XS: it may pass R to VMPL2, not W. */
	CHECK_EQ(rmp_adjust(&r, 1, 0x5000, 0, 2 | RMPADJ_READ, &chg), 0);
	CHECK_EQ(rmp_perms(&r, 5, 2), RMP_PERM_R);
	CHECK_EQ(rmp_adjust(&r, 1, 0x5000, 0, 3 | RMPADJ_READ | RMPADJ_WRITE,
			    &chg),
		 SNP_RC_FAIL_PERMISSION);
	CHECK_EQ(rmp_perms(&r, 5, 3), 0);
}

TAP_CASE(rmpadjust_needs_validated_assigned_page)
{
	fresh();
	CHECK_EQ(rmp_adjust(&r, 0, 0x6000, 0, 2 | RMPADJ_READ, &chg),
		 SNP_RC_FAIL_INPUT);
	make_private(0x6000);
	CHECK_EQ(rmp_adjust(&r, 0, 0x6000, 0, 2 | RMPADJ_READ, &chg),
		 SNP_RC_FAIL_INPUT);
	/* Unvalidated pages grant nothing, whatever the entry says. */
	CHECK_EQ(rmp_perms(&r, 6, 0), 0);
}

TAP_CASE(rmpadjust_vmsa_only_from_vmpl0)
{
	fresh();
	make_valid(0x7000);
	CHECK_EQ(rmp_adjust(&r, 0, 0x7000, 0, 1 | RMPADJ_VMSA, &chg), 0);
	CHECK_TRUE(entries[7].flags & RMP_F_VMSA);
	/* A lower VMPL may not touch a VMSA page's rights. */
	CHECK_EQ(rmp_adjust(&r, 1, 0x7000, 0, 2 | RMPADJ_VMSA, &chg),
		 SNP_RC_FAIL_PERMISSION);
	/* VMPL0 clears it again. */
	CHECK_EQ(rmp_adjust(&r, 0, 0x7000, 0, 1, &chg), 0);
	CHECK_TRUE(!(entries[7].flags & RMP_F_VMSA));
	/* From VMPL1 on a normal page the VMSA bit is ignored. */
	make_valid(0x8000);
	CHECK_EQ(rmp_adjust(&r, 0, 0x8000, 0, 1 | RMPADJ_RWX, &chg), 0);
	CHECK_EQ(rmp_adjust(&r, 1, 0x8000, 0, 2 | RMPADJ_READ | RMPADJ_VMSA,
			    &chg),
		 0);
	CHECK_TRUE(!(entries[8].flags & RMP_F_VMSA));
}

/*
 * F6: RMPUPDATE converts a VMSA page no vCPU runs like any page, and the
 * VMSA bit goes with the rest of the entry (whether a vCPU runs it is
 * gmem_psc's check, tested by fidelity/f6_psc_vmsa_shared).
 */
TAP_CASE(psc_shared_of_vmsa_page_clears_it)
{
	uint64_t first = 0, count = 0;

	fresh();
	make_valid(0x7000);
	CHECK_EQ(rmp_adjust(&r, 0, 0x7000, 0, 1 | RMPADJ_VMSA, &chg), 0);
	CHECK_TRUE(rmp_is_vmsa(&r, 7));
	CHECK_TRUE(rmp_psc_range(&r, 0x7000, false, &first, &count));
	CHECK_EQ(first, 7);
	CHECK_EQ(count, 1);
	CHECK_TRUE(!rmp_psc_range(&r, 0x7000, true, &first, &count));
	CHECK_EQ(rmp_psc(&r, 0x7000, RMP_PSC_OP_SHARED, false, &chg), 0);
	CHECK_EQ(entries[7].flags, 0);
	CHECK_TRUE(!rmp_is_vmsa(&r, 7));
	CHECK_EQ(rmp_perms(&r, 7, 1), 0);
}

TAP_CASE(rmpquery_reports_state)
{
	struct rmp_query_out q;

	fresh();
	make_valid(0x9000);
	CHECK_EQ(rmp_adjust(&r, 0, 0x9000, 0,
			    2 | RMPADJ_READ | RMPADJ_WRITE | RMPADJ_VMSA, &chg),
		 0);
	CHECK_EQ(rmp_query(&r, 0, 0x9123, 2, &q), 0);
	CHECK_EQ(q.perm, RMP_PERM_R | RMP_PERM_W);
	CHECK_TRUE(q.vmsa);
	CHECK_EQ(q.page_size, SNP_PAGE_SIZE_4K);
	CHECK_EQ(rmp_query(&r, 2, 0x9000, 0, &q), SNP_RC_FAIL_PERMISSION);
	CHECK_EQ(rmp_query(&r, 0, 0x9000, 4, &q), SNP_RC_FAIL_INPUT);
	CHECK_EQ(rmp_query(&r, 0, 0xa000, 2, &q), SNP_RC_FAIL_INPUT);
}

TAP_CASE(psc_resets_validation_and_permissions)
{
	fresh();
	make_valid(0xb000);
	CHECK_EQ(rmp_adjust(&r, 0, 0xb000, 0, 2 | RMPADJ_RWX, &chg), 0);
	/* S12: private to private leaves the entry alone, like KVM. */
	make_private(0xb000);
	CHECK_EQ(entries[0xb].flags, RMP_F_ASSIGNED | RMP_F_VALIDATED);
	CHECK_EQ(rmp_perms(&r, 0xb, 2), RMP_PERM_ALL);
	CHECK_EQ(rmp_psc(&r, 0xb000, RMP_PSC_OP_SHARED, false, &chg), 0);
	CHECK_EQ(entries[0xb].flags, 0);
	CHECK_EQ(rmp_perms(&r, 0xb, 2), 0);
	make_private(0xb000);
	CHECK_EQ(entries[0xb].flags, RMP_F_ASSIGNED);
	CHECK_EQ(rmp_psc(&r, 0xb000, 3, false, &chg), RMP_PSC_E_INPUT);
	entries[0xc].flags = RMP_F_ASSIGNED | RMP_F_IMMUTABLE;
	CHECK_EQ(rmp_psc(&r, 0xc000, RMP_PSC_OP_SHARED, false, &chg),
		 RMP_PSC_E_INUSE);
}

TAP_CASE(psc_4k_inside_2m_smashes)
{
	fresh();
	CHECK_EQ(rmp_psc(&r, MB2, RMP_PSC_OP_PRIVATE, true, &chg), 0);
	CHECK_EQ(rmp_pvalidate(&r, 0, MB2, 1, 1, &cf, &chg), 0);
	CHECK_EQ(rmp_psc(&r, MB2 + 0x1000, RMP_PSC_OP_SHARED, false, &chg), 0);
	CHECK_EQ(entries[513].flags, 0);
	/* The neighbours keep their state as 4K entries. */
	CHECK_EQ(entries[512].flags, RMP_F_ASSIGNED | RMP_F_VALIDATED);
	CHECK_EQ(entries[1023].flags, RMP_F_ASSIGNED | RMP_F_VALIDATED);
	CHECK_EQ(rmp_pvalidate(&r, 0, MB2 + 0x2000, 0, 0, &cf, &chg), 0);
	CHECK_TRUE(!cf);
}

TAP_CASE(psmash_keeps_state)
{
	fresh();
	CHECK_EQ(rmp_psmash(&r, MB2, &chg), RMP_PSC_E_INPUT);
	CHECK_EQ(rmp_psc(&r, MB2, RMP_PSC_OP_PRIVATE, true, &chg), 0);
	CHECK_EQ(rmp_pvalidate(&r, 0, MB2, 1, 1, &cf, &chg), 0);
	CHECK_EQ(rmp_psmash(&r, MB2 + 0x5000, &chg), 0);
	CHECK_EQ(chg.gfn, 512);
	CHECK_EQ(chg.count, 512);
	CHECK_EQ(entries[512].flags, RMP_F_ASSIGNED | RMP_F_VALIDATED);
	CHECK_EQ(entries[1023].flags, RMP_F_ASSIGNED | RMP_F_VALIDATED);
	CHECK_EQ(rmp_pvalidate(&r, 0, MB2 + 0x5000, 0, 0, &cf, &chg), 0);
	CHECK_EQ(rmp_pvalidate(&r, 0, MB2, 1, 0, &cf, &chg),
		 SNP_RC_FAIL_SIZEMISMATCH);
}

TAP_CASE(launch_pages_are_validated)
{
	fresh();
	CHECK_EQ(rmp_launch_page(&r, 0x1000), 0);
	CHECK_EQ(rmp_perms(&r, 1, 0), RMP_PERM_ALL);
	CHECK_EQ(rmp_perms(&r, 1, 2), 0);
	CHECK_EQ(rmp_launch_page(&r, 0x1001), RMP_PSC_E_INPUT);
	CHECK_EQ(rmp_launch_page(&r, (uint64_t)NPAGES << 12), RMP_PSC_E_INPUT);
	CHECK_TRUE(rmp_entry_at(&r, (uint64_t)NPAGES << 12) == NULL);
}

TAP_MAIN(TAP_ENTRY(pvalidate_validates_and_reports_no_update),
	 TAP_ENTRY(pvalidate_input_errors), TAP_ENTRY(pvalidate_only_at_vmpl0),
	 TAP_ENTRY(pvalidate_2m_needs_uniform_2m_entry),
	 TAP_ENTRY(rmpadjust_grants_downward_only),
	 TAP_ENTRY(rmpadjust_never_grants_more_than_held),
	 TAP_ENTRY(rmpadjust_needs_validated_assigned_page),
	 TAP_ENTRY(rmpadjust_vmsa_only_from_vmpl0),
	 TAP_ENTRY(psc_shared_of_vmsa_page_clears_it),
	 TAP_ENTRY(rmpquery_reports_state),
	 TAP_ENTRY(psc_resets_validation_and_permissions),
	 TAP_ENTRY(psc_4k_inside_2m_smashes), TAP_ENTRY(psmash_keeps_state),
	 TAP_ENTRY(launch_pages_are_validated))
