/* SPDX-License-Identifier: MIT */
/*
 * The per-CPU request loop (docs/abi.md §1.4 "The SVSM side of one call").
 */
#pragma once

#include <stdbool.h>

#include "lib/compiler.h"

#include "svsm/vcpu.h"

#include "svsm/abi/vmsa.h"

/** Run @vcpu's guest VMPL and serve its calls, forever. */
__noreturn void request_loop(struct svsm_vcpu *vcpu);

/**
 * One turn of the loop: make *@vp (the guest VMSA this CPU serves)
 * runnable, ask the hypervisor to run the guest VMPL, and when it switches
 * back make it non-runnable and serve the call it holds, if any. If the
 * guest switched the vCPU to the VMSA CREATE_VCPU left pending, *@vp
 * becomes that one first (svsm_vcpu_follow). False, with *@vp left
 * non-runnable, if the hypervisor refused.
 */
bool request_loop_once(struct svsm_vcpu *vcpu, struct snp_vmsa **vp);
