// SPDX-License-Identifier: MIT
/*
 * SVSM_CORE_DEPOSIT_MEM and SVSM_CORE_WITHDRAW_MEM (SVSM spec §7.5, §7.6).
 *
 * The spec's parameter tables were not available to us (docs/abi.md §3.5:
 * "layout unconfirmed"; neither Linux, OVMF nor the reference SVSMs use these
 * calls). This is OUR conservative layout, to be checked against
 * AMD pub. 58019:
 *
 *   RCX = GPA of a page list in the PVALIDATE format (docs/abi.md §3.2):
 *   8-byte aligned, header { u16 entries; u16 next; u32 reserved } and
 *   8-byte entries in one 4K page. Entry: bits 1:0 page size (only 0 = 4K
 *   is accepted), bits 11:2 reserved (zero), bits 63:12 GFN.
 *
 *   DEPOSIT_MEM: entries [next, entries) are pages the guest lends the
 *   SVSM. Each must be guest RAM that is not a VMSA/CAA. It is validated
 *   (already valid is fine), all guest access is revoked, and it is zeroed
 *   and added to the pool. `next` advances as for PVALIDATE, with
 *   INCOMPLETE after a bounded batch and the failing index on error.
 *
 *   WITHDRAW_MEM: `entries` (in) is the capacity of the list; `next` must
 *   be 0. The SVSM returns up to that many free pool pages: each is zeroed
 *   (no SVSM data leaves, G10) and the guest VMPL gets RWX on it (it stays
 *   validated). The SVSM writes the 4K entries, then `next` = the number
 *   returned; RCX out = that number too. 0 pages is a success.
 */
#include "lib/panic.h"

#include "svsm/deposit_pool.h"
#include "svsm/guest_mem.h"
#include "svsm/platform.h"
#include "svsm/vcpu.h"

#include "svsm/abi/snp.h"

#include "core_private.h"

#define MEM_ENTRY_RESERVED_MASK UINT64_C(0xffc)

/*
 * Undo a failed deposit. A page that was already valid was the guest's:
 * give it back. One the SVSM validated itself is rescinded instead: it was
 * never zeroed for the guest, so granting access would show the guest
 * whatever the host left in that frame (G11), and "not validated" is the
 * state the guest left it in.
 */
static void deposit_undo(struct svsm_req *req, gpa_t g, bool was_valid)
{
	bool cf = false;

	if (was_valid) {
		(void)guest_mem_grant(g, SNP_PAGE_SIZE_4K,
				      req->caller->guest_vmpl);
	} else {
		(void)plat_pvalidate(g, SNP_PAGE_SIZE_4K, false, &cf);
		plat_tlb_flush_all();
	}
}

static svsm_err_t deposit_one(struct svsm_req *req, uint64_t e)
{
	gpa_t g = gpa(SVSM_PV_GPA(e));
	bool cf = false;
	svsm_err_t err = SVSM_OK;
	enum snp_rc rc = SNP_RC_SUCCESS;

	if (SVSM_PV_SIZE(e) != SVSM_PV_SIZE_4K ||
	    (e & MEM_ENTRY_RESERVED_MASK) != 0) {
		return SVSM_E_INVAL;
	}
	err = guest_mem_check_page(g, PAGE_SIZE);
	if (err != SVSM_OK) {
		return err;
	}
	/* Refuse early rather than take a page the pool cannot hold. */
	if (deposit_pool_count() == DEPOSIT_POOL_MAX_PAGES) {
		return SVSM_E_REQUEST;
	}
	/*
	 * The SVSM only uses validated private pages. CF (already valid) is
	 * the normal case; a page the guest had not validated is validated
	 * here. Either way the RMP state is now known, not assumed.
	 */
	rc = plat_pvalidate(g, SNP_PAGE_SIZE_4K, true, &cf);
	if (rc != SNP_RC_SUCCESS) {
		req->proto_detail = (uint32_t)rc;
		return SVSM_E_PROTO;
	}
	rc = guest_mem_revoke(g, SNP_PAGE_SIZE_4K);
	plat_tlb_flush_all();
	if (rc != SNP_RC_SUCCESS) {
		deposit_undo(req, g, cf);
		req->proto_detail = (uint32_t)rc;
		return SVSM_E_PROTO;
	}
	/* Nothing the guest planted in it survives into SVSM use. */
	err = guest_mem_zero(g, PAGE_SIZE);
	if (err == SVSM_OK) {
		err = deposit_pool_add(g);
	}
	if (err != SVSM_OK) {
		deposit_undo(req, g, cf);
		return err;
	}
	return SVSM_OK;
}

svsm_err_t core_deposit_mem(struct svsm_req *req)
{
	struct core_list l;
	uint64_t e = 0;
	svsm_err_t err = core_list_open(&l, req->rcx);

	if (err != SVSM_OK) {
		return err;
	}
	while (err == SVSM_OK && core_list_next(&l, &e, &err)) {
		err = deposit_one(req, e);
		if (err == SVSM_OK) {
			core_list_done(&l, e);
		}
	}
	return core_list_close(&l, err);
}

/* Hand one pool page back: out of the pool, zeroed, guest access. */
static svsm_err_t withdraw_one(struct svsm_req *req, gpa_t g)
{
	svsm_err_t err = SVSM_OK;
	enum snp_rc rc = SNP_RC_SUCCESS;

	deposit_pool_remove(g);
	err = guest_mem_zero(g, PAGE_SIZE);
	if (err == SVSM_E_FAULT) {
		/*
		 * The page was made shared or unvalidated behind the SVSM's
		 * back (issue 14 finding 5; docs/threat-model.md, "SVSM pages
		 * made shared"): nothing of the SVSM's is in it and nothing is
		 * read from it. It is not
		 * handed out (it is not zeroed) and it leaves the pool, so
		 * later calls do not stay stuck on it; the guest may validate
		 * it again.
		 */
		return err;
	}
	if (err == SVSM_OK) {
		rc = guest_mem_grant(g, SNP_PAGE_SIZE_4K,
				     req->caller->guest_vmpl);
		if (rc != SNP_RC_SUCCESS) {
			req->proto_detail = (uint32_t)rc;
			err = SVSM_E_PROTO;
		}
	}
	if (err != SVSM_OK) {
		/* Keep it: a page the guest cannot use is still the SVSM's. */
		(void)guest_mem_revoke(g, SNP_PAGE_SIZE_4K);
		/* Cannot fail: the slot was freed just above, under the lock.
		 */
		CHECK(deposit_pool_add(g) == SVSM_OK);
	}
	return err;
}

svsm_err_t core_withdraw_mem(struct svsm_req *req)
{
	struct svsm_pvalidate_hdr hdr;
	uint64_t list[CORE_LIST_CHUNK];
	uint16_t count = 0;
	uint16_t want = 0;
	svsm_err_t err = core_list_header(req->rcx, &hdr);
	svsm_err_t werr = SVSM_OK;

	if (err != SVSM_OK) {
		return err;
	}
	if (hdr.next != 0) {
		return SVSM_E_INVAL;
	}
	/* Size the output before changing anything (G9). */
	want = (uint16_t)MIN((uint32_t)hdr.entries, CORE_LIST_CHUNK);
	want = (uint16_t)MIN((uint32_t)want, deposit_pool_free_count());
	if (want != 0) {
		err = guest_mem_check(gpa(req->rcx + 8u), 8u * want);
		if (err != SVSM_OK) {
			return err;
		}
	}
	while (count < want) {
		gpa_t g = deposit_pool_peek_free(0);

		err = withdraw_one(req, g);
		if (err != SVSM_OK) {
			break;
		}
		list[count++] = gpa_val(g) | SVSM_PV_SIZE_4K;
	}
	/*
	 * Pages already returned are reported even if a later one failed, so
	 * the guest never loses track of memory it has access to again.
	 */
	if (count != 0) {
		werr = guest_mem_write(gpa(req->rcx + 8u), list, 8u * count);
		if (werr != SVSM_OK) {
			return werr;
		}
	}
	svsm_req_set_out(req, SVSM_OUT_RCX, count);
	werr = guest_mem_write(gpa(req->rcx + 2), &count, sizeof(count));
	return err != SVSM_OK ? err : werr;
}
