// SPDX-License-Identifier: MIT
/*
 * SVSM_CORE_PVALIDATE (SVSM spec §7.2, Tables 8–9; docs/abi.md §3.2, §11.4–5):
 * validate or rescind a list of guest pages on the guest's behalf.
 */
#include "svsm/guest_mem.h"
#include "svsm/platform.h"
#include "svsm/vcpu.h"

#include "svsm/abi/snp.h"

#include "core_private.h"

/* PVALIDATE rc 0 with CF=1: the page already was in that state. */
#define PV_DETAIL_UNCHANGED 0x10u

/*
 * The legacy VGA/ROM hole may be mapped read-only by the host; writing it
 * can loop on #NPF forever (coconut's "writable_phys_addr" note). Pages
 * there are validated but not zeroed: a known, documented gap.
 */
#define ISA_HOLE_START UINT64_C(0xa0000)
#define ISA_HOLE_LEN (UINT64_C(0x100000) - ISA_HOLE_START)

static svsm_err_t snp_rc(struct svsm_req *req, int rc)
{
	req->proto_detail = (uint32_t)rc;
	return SVSM_E_PROTO;
}

static svsm_err_t pv_validate(struct svsm_req *req, gpa_t g, uint32_t size,
			      uint64_t len, bool ignore_cf)
{
	bool cf = false;
	int rc = plat_pvalidate(g, size, true, &cf);
	svsm_err_t err = SVSM_OK;

	/* FAIL_SIZEMISMATCH (6) must reach Linux unchanged (docs/abi.md §11.4).
	 */
	if (rc != SNP_RC_SUCCESS) {
		return snp_rc(req, rc);
	}
	/*
	 * Already valid: refusing hides nothing from a well-behaved guest
	 * and exposes a host that replays a page (docs/abi.md §11.5).
	 */
	if (cf && !ignore_cf) {
		return snp_rc(req, PV_DETAIL_UNCHANGED);
	}
	/*
	 * Zero before granting access: otherwise a host that remaps an SVSM
	 * page to this GPA would let the guest read SVSM secrets (G11).
	 */
	if (!range_overlaps(gpa_val(g), len, ISA_HOLE_START, ISA_HOLE_LEN)) {
		err = guest_mem_zero(g, len);
		if (err != SVSM_OK) {
			/* Leave it invalid rather than valid and unzeroed. */
			(void)plat_pvalidate(g, size, false, &cf);
			return err;
		}
	}
	rc = core_grant_guest(g, size, req->caller->guest_vmpl);
	if (rc != SNP_RC_SUCCESS) {
		(void)plat_pvalidate(g, size, false, &cf);
		return snp_rc(req, rc);
	}
	return SVSM_OK;
}

static svsm_err_t pv_rescind(struct svsm_req *req, gpa_t g, uint32_t size,
			     bool ignore_cf)
{
	bool cf = false;
	int rc = core_revoke_guest(g, size);

	/*
	 * Revoke first so no guest VMPL keeps a TLB-cached right to a page
	 * that is about to become invalid. A revoke failure other than a
	 * size mismatch is expected for a page that is not validated; the
	 * PVALIDATE below then reports it (CF) the way the guest expects.
	 */
	if (rc == SNP_RC_FAIL_SIZEMISMATCH) {
		return snp_rc(req, rc);
	}
	rc = plat_pvalidate(g, size, false, &cf);
	/* Global: the SVSM cannot know which guest VAs map the page. */
	plat_tlb_flush_all();
	if (rc != SNP_RC_SUCCESS) {
		return snp_rc(req, rc);
	}
	if (cf && !ignore_cf) {
		return snp_rc(req, PV_DETAIL_UNCHANGED);
	}
	return SVSM_OK;
}

/*
 * Per-call memo of core_check_guest_page() at 2 MiB granularity. A list is
 * usually a run of 4K pages in one or two 2M regions (Linux sends up to
 * 510 consecutive ones), so checking the whole region once replaces 512
 * scans of the SVSM range, the pool, the VMSAs and the CAAs by one
 * compare, and keeps the per-entry cost independent of how many vCPUs,
 * VMSAs and pool pages there are.
 *
 * Why it is sound: an entry is 4K or 2M and aligned to its size, so it
 * lies inside its 2M region; a region that passed the check in full has
 * no byte that is SVSM-owned, deposited, a VMSA or a CAA, or not guest
 * RAM, so neither has any entry in it. Only for the duration of one call:
 * the core lock is held, and PVALIDATE itself changes only RMP state,
 * never the boot reservations, the pool, the VMSA registry or any CAA
 * that the check reads. A region that fails in full (e.g. it holds the
 * CAA) is remembered too, and its entries get the exact per-page check.
 */
struct pv_region_memo {
	uint64_t clean; /* 2M base that passed in full, or GPA_INVALID_VALUE */
	uint64_t mixed; /* 2M base that did not, or GPA_INVALID_VALUE */
};

static svsm_err_t pv_check_page(struct pv_region_memo *m, gpa_t g, uint64_t len)
{
	uint64_t region = gpa_val(g) & ~(PAGE_SIZE_2M - 1);

	if (region == m->clean) {
		return SVSM_OK;
	}
	if (region != m->mixed) {
		if (core_check_guest_page(gpa(region), PAGE_SIZE_2M) ==
		    SVSM_OK) {
			m->clean = region;
			return SVSM_OK;
		}
		m->mixed = region;
	}
	return core_check_guest_page(g, len);
}

static svsm_err_t pv_entry(struct svsm_req *req, void *ctx, uint64_t e)
{
	struct pv_region_memo *m = ctx;
	uint32_t size = SVSM_PV_SIZE(e);
	uint64_t len = size == SVSM_PV_SIZE_2M ? PAGE_SIZE_2M : PAGE_SIZE;
	gpa_t g = gpa(SVSM_PV_GPA(e));
	svsm_err_t err = SVSM_OK;

	/* Table 9: sizes 2 and 3 and reserved bits 11:4 are invalid (G8). */
	if (size > SVSM_PV_SIZE_2M || (e & SVSM_PV_RESERVED_MASK) != 0) {
		return SVSM_E_INVAL;
	}
	if (!IS_ALIGNED(gpa_val(g), len)) {
		return SVSM_E_INVAL;
	}
	err = pv_check_page(m, g, len);
	if (err != SVSM_OK) {
		return err;
	}
	if (SVSM_PV_VALIDATE(e)) {
		return pv_validate(req, g, size, len, SVSM_PV_IGNORE_CF(e));
	}
	return pv_rescind(req, g, size, SVSM_PV_IGNORE_CF(e));
}

svsm_err_t core_pvalidate(struct svsm_req *req)
{
	struct pv_region_memo memo = {GPA_INVALID_VALUE, GPA_INVALID_VALUE};

	return core_list_walk(req, pv_entry, &memo);
}
