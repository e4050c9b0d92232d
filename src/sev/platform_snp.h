/* SPDX-License-Identifier: MIT */
/*
 * Boot-time configuration of the real SNP backend of include/svsm/platform.h.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "boot/params.h"

#define PLAT_MAX_RAM_RANGES 32

/** Record the SVSM region and the guest RAM ranges (copied). */
void plat_snp_init(const struct mem_range *svsm, const struct mem_range *ram,
		   size_t count);

struct percpu;
struct snp_vmsa;

/** Build @pc's guest window and VMSA window (before that CPU uses them). */
void plat_snp_init_cpu(struct percpu *pc);

/** Map the guest VMSA page @vmsa_gpa at @pc's VMSA window (on that CPU). */
struct snp_vmsa *plat_map_vmsa(struct percpu *pc, uint64_t vmsa_gpa);
