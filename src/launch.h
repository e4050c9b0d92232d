/* SPDX-License-Identifier: MIT */
/*
 * Starting the VMPL2 guest on the BSP (docs/abi.md §2.1, §2.4, §8.2).
 */
#pragma once

#include "svsm/vcpu.h"

#include "svsm/abi/boot_params.h"
#include "svsm/abi/secrets.h"
#include "svsm/abi/snp.h"

#include "boot/params.h"

/**
 * Prepare the guest's secrets, CPUID and calling-area pages, grant VMPL2
 * access to the payload, build and register the first VMPL2 VMSA and the
 * BSP's vCPU entry; a Linux payload also gets all of @ram validated
 * (linux_boot.h). Panics on failure (nothing here is guest input).
 */
struct svsm_vcpu *launch_guest(const struct svsm_boot_params *bp,
			       const struct snp_cpuid_page *cpuid,
			       const struct snp_secrets_page *secrets,
			       const struct mem_range *ram, size_t ram_count);
