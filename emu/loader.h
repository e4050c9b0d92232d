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

/** Load svsm.igvm (igvm_load.c) and create the VMPL0 context. */
int loader_igvm(struct machine *m, const void *image, uint64_t size);
