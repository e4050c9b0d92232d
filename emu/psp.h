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

#include "machine.h"

struct psp_state {
	uint8_t vmpck[4]
		     [SNP_VMPCK_SIZE]; /* the PSP's copy, for guest requests */
	bool rdrand_ok;
};

extern struct psp_state emu_psp;

/** Fill @page as the secrets page (fresh random VMPCK0-3). */
void psp_build_secrets(struct snp_secrets_page *page);
/** Fill @page from the CPUID values snpemu presents to its guests. */
void psp_build_cpuid(struct snp_cpuid_page *page, const struct vmpl_ctx *c);
