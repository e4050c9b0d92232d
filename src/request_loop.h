/* SPDX-License-Identifier: MIT */
/*
 * The per-CPU request loop (abi.md §1.4 "SVSM side of one call").
 */
#pragma once

#include "lib/compiler.h"

#include "svsm/vcpu.h"

/** Run @vcpu's guest VMPL and serve its calls, forever. */
__noreturn void request_loop(struct svsm_vcpu *vcpu);
