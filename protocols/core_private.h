/* SPDX-License-Identifier: MIT */
/*
 * Shared between the core-protocol files (protocols/core*.c); not an
 * interface for the rest of the SVSM.
 */
#pragma once

#include <stdint.h>

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
 * aligned, header and entries in one 4K page (abi.md §3.2). Reads the
 * header once into @hdr and returns in @max how many entries fit.
 */
__must_check svsm_err_t core_list_header(uint64_t rcx,
					 struct svsm_pvalidate_hdr *hdr,
					 uint16_t *max);
