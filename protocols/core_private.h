/* SPDX-License-Identifier: MIT */
/*
 * Shared between the core-protocol files (protocols/core*.c); not an
 * interface for the rest of the SVSM.
 */
#pragma once

#include <stdint.h>

#include "svsm/guest_mem.h"
#include "svsm/request.h"
#include "svsm/types.h"

#include "svsm/abi/svsm_call.h"

/*
 * Work done by one PVALIDATE/DEPOSIT call before it answers INCOMPLETE,
 * in 4K pages (each validated page is zeroed: 4096 pages = 16 MiB). A
 * full CAA of 510 4K entries completes in one call, as Linux's 2M→4K
 * fallback expects; 510 2M entries take 64 calls.
 */
#define CORE_BATCH_PAGES 4096u

svsm_err_t core_remap_ca(struct svsm_req *req);
svsm_err_t core_pvalidate(struct svsm_req *req);
svsm_err_t core_create_vcpu(struct svsm_req *req);
svsm_err_t core_delete_vcpu(struct svsm_req *req);
svsm_err_t core_deposit_mem(struct svsm_req *req);
svsm_err_t core_withdraw_mem(struct svsm_req *req);

/*
 * The core lock: serialises every core call that changes or depends on
 * RMP state, the vCPU/VMSA registry or the page pool (so PVALIDATE cannot
 * race CREATE_VCPU into handing the guest a VMSA page, cf. coconut's
 * PVALIDATE_LOCK). QUERY_PROTOCOL and CONFIGURE_VTOM do not take it.
 */
void core_lock(void);
void core_unlock(void);

/*
 * A page (4K or 2M) the guest may name in a core call: guest RAM, not
 * SVSM-owned, not deposited, not a VMSA or a CAA. SVSM_E_ADDR otherwise.
 */
__must_check svsm_err_t core_check_guest_page(gpa_t g, uint64_t len);

/* RMPADJUST helpers; they return the instruction's rc (SNP_RC_*). */
int core_revoke_guest(gpa_t g, uint32_t size);
int core_grant_guest(gpa_t g, uint32_t size, uint8_t guest_vmpl);

/*
 * A page list at @rcx (PVALIDATE, DEPOSIT_MEM, WITHDRAW_MEM): 8-byte
 * aligned, header and entries in one 4K page (docs/abi.md §3.2). Reads the
 * header once into @hdr and checks that it has 1 to as many entries as
 * fit in the page; `next` is the caller's to check.
 */
__must_check svsm_err_t core_list_header(uint64_t rcx,
					 struct svsm_pvalidate_hdr *hdr);

/* Entries copied into SVSM memory per guest read (bounded stack use). */
#define CORE_LIST_CHUNK 64u

/*
 * One entry of a page list, already copied into SVSM memory (so it is read
 * once, G6). SVSM_OK means it took effect and the walk moves past it.
 */
typedef svsm_err_t (*core_list_entry_fn)(struct svsm_req *req, void *ctx,
					 uint64_t e);

/*
 * The input side of PVALIDATE and DEPOSIT_MEM: entries [next, entries) of
 * the list at req->rcx go to @fn in order, at most CORE_BATCH_PAGES 4K
 * pages' worth per call (then SVSM_E_INCOMPLETE), stopping at the first
 * failure. `next` is written back with the index reached, on failure too.
 *
 * Forced inline so that, in each caller, @fn is a known function that gets
 * inlined into the loop: called out of line (even directly), PVALIDATE's
 * per-entry cost rose from 91 to 124 instructions (svsm-core-insns).
 */
static inline __attribute__((always_inline)) svsm_err_t core_list_walk(
	struct svsm_req *req, core_list_entry_fn fn, void *ctx)
{
	struct svsm_pvalidate_hdr hdr;
	uint64_t entries_gpa = req->rcx + sizeof(hdr);
	uint64_t list_page = req->rcx & ~(PAGE_SIZE - 1);
	uint64_t chunk[CORE_LIST_CHUNK];
	uint32_t pages = 0;
	uint16_t i = 0;
	svsm_err_t err = core_list_header(req->rcx, &hdr);
	svsm_err_t werr = SVSM_OK;

	if (err != SVSM_OK) {
		return err;
	}
	/* next is bounded by entries (G7), and so by the page. */
	if (hdr.next >= hdr.entries) {
		return SVSM_E_INVAL;
	}
	i = hdr.next;
	while (i < hdr.entries && err == SVSM_OK) {
		uint16_t n = (uint16_t)MIN((uint32_t)(hdr.entries - i),
					   CORE_LIST_CHUNK);

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
			/*
			 * Never act on the page that holds the list: DEPOSIT
			 * would take it from the guest and zero it, a rescind
			 * would invalidate it, and either way `next` could no
			 * longer be written back (found by fuzz_dispatch, I6).
			 * Invalid sizes are left to @fn to report.
			 */
			if (SVSM_PV_SIZE(chunk[k]) <= SVSM_PV_SIZE_2M &&
			    list_page - SVSM_PV_GPA(chunk[k]) <
				    (SVSM_PV_SIZE(chunk[k])
					     ? (UINT64_C(1) << 21)
					     : PAGE_SIZE)) {
				err = SVSM_E_ADDR;
				break;
			}
			err = fn(req, ctx, chunk[k]);
			if (err == SVSM_OK) {
				/* @fn accepted it, so the size is 4K or 2M. */
				pages += SVSM_PV_SIZE(chunk[k]) ? 512u : 1u;
				i++;
			}
		}
	}
	/*
	 * Progress is reported even on failure: `next` names the failing
	 * entry, which Linux's 2M→4K fallback relies on (docs/abi.md §11.4).
	 * Only the `next` field is written; the rest is the guest's.
	 */
	werr = guest_mem_write(gpa(req->rcx + 2), &i, sizeof(i));
	return err != SVSM_OK ? err : werr;
}
