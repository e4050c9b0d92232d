// SPDX-License-Identifier: MIT
/*
 * SVSM_CORE_PVALIDATE (SVSM spec §7.2, Tables 8–9; abi.md §3.2, §11.4–5):
 * validate or rescind a list of guest pages on the guest's behalf.
 */
#include "svsm/guest_mem.h"
#include "svsm/platform.h"
#include "svsm/vcpu.h"

#include "svsm/abi/snp.h"

#include "core_private.h"

/* Entries copied into SVSM memory per guest read (bounded stack use). */
#define PV_CHUNK 64u

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

	/* FAIL_SIZEMISMATCH (6) must reach Linux unchanged (abi.md §11.4). */
	if (rc != SNP_RC_SUCCESS) {
		return snp_rc(req, rc);
	}
	/*
	 * Already valid: refusing hides nothing from a well-behaved guest
	 * and exposes a host that replays a page (abi.md §11.5).
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

static svsm_err_t pv_entry(struct svsm_req *req, struct pv_region_memo *m,
			   uint64_t e)
{
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
	struct svsm_pvalidate_hdr hdr;
	struct pv_region_memo memo = {GPA_INVALID_VALUE, GPA_INVALID_VALUE};
	uint64_t entries_gpa = req->rcx + sizeof(hdr);
	uint64_t chunk[PV_CHUNK];
	uint32_t pages = 0;
	uint16_t max = 0;
	uint16_t i = 0;
	svsm_err_t err = core_list_header(req->rcx, &hdr, &max);
	svsm_err_t werr = SVSM_OK;

	if (err != SVSM_OK) {
		return err;
	}
	/*
	 * hdr.reserved is deliberately not checked: Linux never clears it
	 * and an attestation request left in the CAA overlaps it.
	 * entries/next are bounded by the page and each other (G7); they were
	 * read once and are passed by value from here on (G6).
	 */
	if (hdr.entries == 0 || hdr.entries > max || hdr.next >= hdr.entries) {
		return SVSM_E_INVAL;
	}
	i = hdr.next;
	while (i < hdr.entries && err == SVSM_OK) {
		uint16_t n =
			(uint16_t)MIN((uint32_t)(hdr.entries - i), PV_CHUNK);

		err = guest_mem_read(chunk, gpa(entries_gpa + 8u * i), 8u * n);
		for (uint16_t k = 0; k < n && err == SVSM_OK; k++) {
			/*
			 * Bound the latency of one call; the guest re-issues
			 * INCOMPLETE at once, so only stop after progress.
			 */
			if (pages >= CORE_BATCH_PAGES) {
				err = SVSM_E_INCOMPLETE;
				break;
			}
			err = pv_entry(req, &memo, chunk[k]);
			if (err == SVSM_OK) {
				pages += SVSM_PV_SIZE(chunk[k]) ? 512u : 1u;
				i++;
			}
		}
	}
	/*
	 * Progress is reported even on failure: `next` names the failing
	 * entry, which Linux's 2M→4K fallback relies on (abi.md §11.4).
	 * Only the `next` field is written; the rest is the guest's.
	 */
	werr = guest_mem_write(gpa(req->rcx + 2), &i, sizeof(i));
	return err != SVSM_OK ? err : werr;
}
