/* SPDX-License-Identifier: MIT */
/*
 * The per-CPU request loop (docs/abi.md §1.4 "SVSM side of one call").
 */
#pragma once

#include <stdbool.h>

#include "lib/compiler.h"

#include "svsm/vcpu.h"

#include "svsm/abi/vmsa.h"

/** Run @vcpu's guest VMPL and serve its calls, forever. */
__noreturn void request_loop(struct svsm_vcpu *vcpu);

/**
 * Make @v (the guest VMSA this CPU serves) runnable again and put the
 * RUN_VMPL(guest VMPL) request into the GHCB MSR; the caller issues the
 * VMGEXIT.
 */
void request_loop_arm(struct snp_vmsa *v);

/**
 * One iteration, from the instruction after the RUN_VMPL VMGEXIT up to
 * (not including) the next one: read and check the hypervisor's response,
 * put the GHCB GPA back, make @v non-runnable, copy it to @copy, serve a
 * call if there is one (writing back RAX, RCX, RDX, R8, R9 only), then
 * request_loop_arm(). False, with @v left non-runnable, if the hypervisor
 * refused the RUN_VMPL.
 */
bool request_loop_step(struct svsm_vcpu *vcpu, struct snp_vmsa *v,
		       struct snp_vmsa *copy);
