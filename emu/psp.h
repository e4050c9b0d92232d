/* SPDX-License-Identifier: MIT */
/*
 * The PSP's part of a launch (SNP Firmware ABI 56860 §8.17 SNP_LAUNCH_UPDATE
 * page types SECRETS and CPUID): the secrets page with fresh VMPCKs and
 * the CPUID page.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "svsm/abi/secrets.h"
#include "svsm/abi/snp.h"

#include "launch.h"
#include "machine.h"

/* The emulated firmware: SEV-SNP ABI 1.55, on a platform with SMT on. */
#define PSP_ABI_MAJOR 1u
#define PSP_ABI_MINOR 55u
#define PSP_SMT_ENABLED true

struct psp_state {
	/* The PSP's copy of the VMPCKs, for guest requests. */
	uint8_t vmpck[4][SNP_VMPCK_SIZE];
	bool have_vmpck; /* a secrets page was built */
	bool rdrand_ok;
	uint64_t seqno[4];       /* last sequence number used, per VMPCK */
	uint64_t policy;         /* launch policy (IGVM GUEST_POLICY) */
	uint8_t measurement[48]; /* launch digest, or zero if not computed */
	struct launch_identity identity; /* from an accepted ID block */
	uint8_t report_id[32];           /* fixed for the guest's lifetime */
};

extern struct psp_state emu_psp;

/** SNP_LAUNCH_START: a new guest context (fresh REPORT_ID, no identity). */
void psp_launch_start(void);
/** Fill @page as the secrets page (fresh random VMPCK0-3). */
void psp_build_secrets(struct snp_secrets_page *page);
/**
 * SNP_GUEST_REQUEST (docs/abi.md §9.3-9.5): decrypt the message in @req (a
 * shared page, copied first), answer MSG_REPORT_REQ, encrypt the answer
 * into @resp. Returns the firmware status for SW_EXITINFO2[31:0].
 */
uint32_t psp_guest_request(const uint8_t *req, uint8_t *resp);
/** Fill @page from the CPUID values snpemu presents to its guests. */
void psp_build_cpuid(struct snp_cpuid_page *page, const struct vmpl_ctx *c);
