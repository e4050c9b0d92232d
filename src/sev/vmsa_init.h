/* SPDX-License-Identifier: MIT */
/*
 * The first VMPL2 VMSA (docs/abi.md §8.2) and the SEV features a VMPL2 guest
 * may be given (docs/abi.md §8.3). Pure logic (hosted unit tests).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "svsm/abi/boot_params.h"
#include "svsm/abi/vmsa.h"

#define SVSM_GUEST_VMPL 2

struct guest_vmsa_cfg {
	uint32_t mode;         /* enum svsm_payload_mode */
	uint64_t entry;        /* RIP (PROT32) or reset IP (RESET) */
	uint64_t sev_features; /* from snp_guest_sev_features() */
	uint64_t rsi;          /* PROT32: boot argument (secrets page GPA) */
	uint64_t rdi;          /* PROT32: boot argument (CPUID page GPA) */
};

/**
 * SEV features for the guest VMSA, derived from this VM's SEV_STATUS MSR
 * (feature n = status bit n + 2) and restricted to those Linux accepts at
 * VMPL2 (no vTOM, ReflectVC, restricted/alternate injection, VmplSSS,
 * VmgexitParameter, VmsaRegProt, reserved bits; DebugSwap dropped as [C]
 * does). Always includes SNPActive.
 */
uint64_t snp_guest_sev_features(uint64_t sev_status);

/**
 * Fill @v for the first VMPL2 vCPU: vmsa_reset_state() (arch/vmsa_reset.h)
 * at VMPL2, then the payload's start mode. False (and @v zeroed) on a bad
 * mode or an entry above 4 GiB.
 */
bool snp_vmsa_init_guest(struct snp_vmsa *v, const struct guest_vmsa_cfg *cfg);
