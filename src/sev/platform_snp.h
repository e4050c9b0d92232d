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
