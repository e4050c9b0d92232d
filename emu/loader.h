/* SPDX-License-Identifier: MIT */
/*
 * Loading the VMPL0 image (loader.c).
 */
#pragma once

#include <stdint.h>

#include "machine.h"

/** Load a test payload (payload.h) and create the VMPL0 context. */
int loader_payload(struct machine *m, const void *image, uint64_t size,
		   uint64_t arg);

/**
 * Load svsm.igvm as QEMU + KVM would, launch it with guest policy @policy
 * (QEMU's sev-snp-guest `policy`) and create the VMPL0 context
 * (igvm_load.c). Prints why and returns -1 if the launch is refused.
 */
int loader_igvm(struct machine *m, const void *image, uint64_t size,
		uint64_t policy);
