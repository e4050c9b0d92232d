// SPDX-License-Identifier: MIT
/*
 * SVSM_CORE_PVALIDATE (SVSM spec §7.2, Tables 8–9; docs/abi.md §3.2,
 * §11.4–5): validate or rescind a list of guest pages on the guest's behalf.
 * Also the page-list walk that DEPOSIT_MEM and WITHDRAW_MEM share
 * (core_list_*), since the list format is PVALIDATE's.
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
 * there are validated but not zeroed: a known, documented gap
 * (docs/abi.md §3.2). Only the hole itself: a 2 MiB page at GPA 0 is
 * zeroed everywhere else (issue 14 finding 2).
 */
#define ISA_HOLE_START UINT64_C(0xa0000)
#define ISA_HOLE_END UINT64_C(0x100000)

/* ---- the page list (PVALIDATE format) ---- */

svsm_err_t core_list_header(uint64_t rcx, struct svsm_pvalidate_hdr *hdr)
{
	uint64_t off = rcx & (PAGE_SIZE - 1);
	uint64_t max = 0;
	svsm_err_t err = SVSM_OK;

	/* SVSM spec Table 8 / docs/abi.md §3.2: 8-aligned, within one page. */
	if (!IS_ALIGNED(rcx, 8)) {
		return SVSM_E_INVAL;
	}
	if (off + sizeof(*hdr) > PAGE_SIZE) {
		return SVSM_E_INVAL;
	}
	/*
	 * The SVSM writes `next` (and WITHDRAW's entries) back into this
	 * page: refuse a VMSA before doing any work, not only at that final
	 * write (guest_mem refuses it too), so the call has no effect at all.
	 */
	if (vcpu_range_is_vmsa(gpa(rcx - off), PAGE_SIZE)) {
		return SVSM_E_ADDR;
	}
	err = guest_mem_read_obj(hdr, gpa(rcx));
	if (err != SVSM_OK) {
		return err;
	}
	/*
	 * hdr.reserved is deliberately not checked: Linux never clears it
	 * and an attestation request left in the CAA overlaps it. entries is
	 * bounded by the page (G7); it was read once and the caller goes on
	 * with this copy (G6).
	 */
	max = (PAGE_SIZE - off - sizeof(*hdr)) / sizeof(uint64_t);
	if (hdr->entries == 0 || hdr->entries > max) {
		return SVSM_E_INVAL;
	}
	return SVSM_OK;
}

svsm_err_t core_list_open(struct core_list *l, uint64_t rcx)
{
	svsm_err_t err = core_list_header(rcx, &l->hdr);

	if (err != SVSM_OK) {
		return err;
	}
	/* next is bounded by entries (G7), and so by the page. */
	if (l->hdr.next >= l->hdr.entries) {
		return SVSM_E_INVAL;
	}
	l->rcx = rcx;
	l->next = l->hdr.next;
	l->have = 0;
	l->at = 0;
	l->pages = 0;
	return SVSM_OK;
}

bool core_list_next(struct core_list *l, uint64_t *e, svsm_err_t *err)
{
	uint64_t list_page = l->rcx & PAGE_MASK;
	uint64_t len = 0;

	if (l->next >= l->hdr.entries) {
		return false;
	}
	/*
	 * Bound the latency of one call; the guest re-issues INCOMPLETE at
	 * once, so only stop after progress (docs/abi.md §11.3).
	 */
	if (l->pages >= CORE_BATCH_PAGES) {
		*err = SVSM_E_INCOMPLETE;
		return false;
	}
	if (l->at == l->have) {
		/* Entries [next, next + have) into SVSM memory, read once. */
		uint64_t g = l->rcx + sizeof(l->hdr) + 8u * l->next;

		l->have = (uint16_t)MIN((uint32_t)(l->hdr.entries - l->next),
					CORE_LIST_CHUNK);
		l->at = 0;
		*err = guest_mem_read(l->chunk, gpa(g), 8u * l->have);
		if (*err != SVSM_OK) {
			return false;
		}
	}
	*e = l->chunk[l->at];
	/*
	 * Never act on the page that holds the list: DEPOSIT would take it
	 * from the guest and zero it, a rescind would invalidate it, and
	 * either way `next` could no longer be written back (found by
	 * fuzz_dispatch, I6). Invalid sizes are left to the handler.
	 */
	len = SVSM_PV_SIZE(*e) == SVSM_PV_SIZE_2M ? PAGE_SIZE_2M : PAGE_SIZE;
	if (SVSM_PV_SIZE(*e) <= SVSM_PV_SIZE_2M &&
	    list_page - SVSM_PV_GPA(*e) < len) {
		*err = SVSM_E_ADDR;
		return false;
	}
	return true;
}

void core_list_done(struct core_list *l, uint64_t e)
{
	/* The handler accepted it, so the size is 4K or 2M. */
	l->pages += SVSM_PV_SIZE(e) == SVSM_PV_SIZE_2M ? 512u : 1u;
	l->next++;
	l->at++;
}

svsm_err_t core_list_close(struct core_list *l, svsm_err_t err)
{
	/* Only the `next` field is written; the rest is the guest's. */
	svsm_err_t werr = guest_mem_write(
		gpa(l->rcx + offsetof(struct svsm_pvalidate_hdr, next)),
		&l->next, sizeof(l->next));

	return err != SVSM_OK ? err : werr;
}

/* ---- PVALIDATE ---- */

static svsm_err_t snp_rc(struct svsm_req *req, enum snp_rc rc)
{
	req->proto_detail = (uint32_t)rc;
	return SVSM_E_PROTO;
}

/* Zero [g, g + len) except the part inside the ISA hole. */
static svsm_err_t zero_outside_isa_hole(uint64_t g, uint64_t len)
{
	uint64_t end = g + len; /* no wrap: the page is guest RAM */
	svsm_err_t err = SVSM_OK;

	if (g < ISA_HOLE_START) {
		err = guest_mem_zero(gpa(g), MIN(end, ISA_HOLE_START) - g);
	}
	if (err == SVSM_OK && end > ISA_HOLE_END) {
		uint64_t from = MAX(g, ISA_HOLE_END);

		err = guest_mem_zero(gpa(from), end - from);
	}
	return err;
}

static svsm_err_t pv_validate(struct svsm_req *req, gpa_t g,
			      enum snp_page_size size, uint64_t len,
			      bool ignore_cf)
{
	bool cf = false;
	enum snp_rc rc = plat_pvalidate(g, size, true, &cf);
	svsm_err_t err = SVSM_OK;

	/* FAIL_SIZEMISMATCH (6) must reach Linux unchanged (§11.4). */
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
	err = zero_outside_isa_hole(gpa_val(g), len);
	if (err != SVSM_OK) {
		/* Leave it invalid rather than valid and unzeroed. */
		(void)plat_pvalidate(g, size, false, &cf);
		return err;
	}
	rc = guest_mem_grant(g, size, req->caller->guest_vmpl);
	if (rc != SNP_RC_SUCCESS) {
		(void)plat_pvalidate(g, size, false, &cf);
		return snp_rc(req, rc);
	}
	return SVSM_OK;
}

static svsm_err_t pv_rescind(struct svsm_req *req, gpa_t g,
			     enum snp_page_size size, bool ignore_cf)
{
	bool cf = false;
	enum snp_rc rc = guest_mem_revoke(g, size);

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

static svsm_err_t pv_entry(struct svsm_req *req, uint64_t e)
{
	enum snp_page_size size = (enum snp_page_size)SVSM_PV_SIZE(e);
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
	err = guest_mem_check_page(g, len);
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
	struct core_list l;
	uint64_t e = 0;
	svsm_err_t err = core_list_open(&l, req->rcx);

	if (err != SVSM_OK) {
		return err;
	}
	while (err == SVSM_OK && core_list_next(&l, &e, &err)) {
		err = pv_entry(req, e);
		if (err == SVSM_OK) {
			core_list_done(&l, e);
		}
	}
	return core_list_close(&l, err);
}
