/* SPDX-License-Identifier: MIT */
/*
 * Launching a Linux payload at VMPL2 through the 64-bit boot protocol
 * (docs/linux-boot.md): all guest RAM validated for VMPL2, the zero page
 * completed, the boot area built, the startup_64 register state.
 */
#pragma once

#include <stddef.h>

#include "svsm/abi/boot_params.h"
#include "svsm/abi/vmsa.h"

#include "boot/params.h"
#include "sev/vmsa_init.h"

/**
 * For a LINUX64 payload, after the guest's secrets, CPUID and calling-area
 * pages are prepared (they are left alone here): validate, zero and grant
 * VMPL2 RWX on every RAM page outside the SVSM and the launched ranges
 * (2 MiB pages where possible), grant the launched ranges as measured,
 * build the boot area and complete the zero page. Panics on failure:
 * nothing here is guest input, and a half-prepared guest must not run.
 */
void linux_boot_prepare(const struct svsm_boot_params *bp,
			const struct mem_range *ram, size_t ram_count);

/** The first VMPL2 VMSA: startup_64 on the boot area's tables. */
bool linux_boot_vmsa(struct snp_vmsa *v, const struct svsm_boot_params *bp,
		     const struct guest_vmsa_cfg *cfg);
