/* SPDX-License-Identifier: MIT */
/*
 * The guest's copy of the SNP secrets page (docs/abi.md §2.1, §11 item 9).
 * Pure logic (hosted unit tests).
 */
#pragma once

#include <stdint.h>

#include "svsm/abi/secrets.h"

/* The SVSM core protocol version advertised in svsm_max_version ([C]). */
#define SVSM_CORE_MAX_VERSION 1

struct snp_guest_secrets_cfg {
	uint64_t svsm_base;
	uint64_t svsm_size;
	uint64_t caa_gpa;
	uint8_t guest_vmpl;
};

/**
 * Build @dst from the PSP's page @src: VMPCKs of every VMPL below the
 * guest's are zeroed (they belong to the SVSM; VMPCK0 signs the SVSM's
 * attestation reports), the guest's own and higher VMPCKs are kept (Linux at
 * VMPL2 needs VMPCK2 for sev-guest), and the SVSM fields are filled.
 */
void snp_secrets_build_guest(struct snp_secrets_page *dst,
			     const struct snp_secrets_page *src,
			     const struct snp_guest_secrets_cfg *cfg);
