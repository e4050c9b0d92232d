// SPDX-License-Identifier: MIT
/*
 * The request loop (docs/abi.md §1.4 "The SVSM side of one call"), the first
 * of the five files a call passes through (docs/architecture.md §8):
 *
 *   ask the hypervisor to run the guest VMPL (plat_run_vmpl) -> when it
 *   switches back, make the guest VMSA non-runnable (EFER.SVME cleared) ->
 *   svsm_request_process() (src/dispatch.c) reads the five call registers
 *   straight from that VMSA, serves the call and writes the results back
 *   -> runnable again -> run the guest.
 *
 * The VMSA is not copied: while SVME is clear no CPU can run it, the guest
 * has no write access to a VMSA page, and the dispatcher reads each register
 * it needs exactly once (docs/style.md §3 G6).
 *
 * The VMSA served is the one this CPU registered with the hypervisor, not
 * whatever the vCPU registry calls newest: after CREATE_VCPU for this very
 * vCPU the hypervisor keeps entering the old VMSA until the guest itself
 * sends AP_CREATION (docs/abi.md §3.3, §11.11), and reading the call from
 * the new page would answer the wrong registers and leave call_pending set
 * (§11.1). The registry keeps that VMSA as pending (vcpu->next_vmsa);
 * DELETE_VCPU refuses the one served here (plat_vmsa_in_use), so it cannot
 * vanish under the loop. The loop switches to the pending VMSA once it has
 * proof the hypervisor ran it: CREATE_VCPU zeroed its GUEST_EXIT_CODE and
 * only the CPU writes that field afterwards (svsm_vcpu_follow).
 *
 * Locking: one vCPU per CPU; the vCPU lock while the call is taken from
 * the CAA, the core lock inside the dispatcher and for a switch.
 */
#include "request_loop.h"

#include "svsm/platform.h"
#include "svsm/request.h"

#include "svsm/abi/vmsa.h"

bool request_loop_once(struct svsm_vcpu *vcpu, struct snp_vmsa **vp)
{
	struct snp_vmsa *v = *vp;
	struct snp_vmsa *next = NULL;

	/* Runnable only while the hypervisor may enter it (§1.4 step 6). */
	__atomic_fetch_or(&v->efer, VMSA_EFER_SVME, __ATOMIC_SEQ_CST);
	if (!plat_run_vmpl(vcpu->guest_vmpl)) {
		/* Refused: leave the VMSA stopped, nothing else to do. */
		__atomic_fetch_and(&v->efer, ~VMSA_EFER_SVME, __ATOMIC_SEQ_CST);
		return false;
	}
	/* Not runnable while we look at it (§1.4 step 2). */
	__atomic_fetch_and(&v->efer, ~VMSA_EFER_SVME, __ATOMIC_SEQ_CST);
	/* The guest switched this vCPU to its pending VMSA: serve that one. */
	next = svsm_vcpu_follow(vcpu);
	if (next != NULL) {
		*vp = v = next;
		__atomic_fetch_and(&v->efer, ~VMSA_EFER_SVME, __ATOMIC_SEQ_CST);
	}
	(void)svsm_request_process(vcpu, v);
	return true;
}

#ifndef RT_HOSTED

#include "lib/panic.h"

#include "percpu.h"

__noreturn void request_loop(struct svsm_vcpu *vcpu)
{
	struct percpu *pc = this_cpu();
	struct snp_vmsa *v = pc->guest_vmsa;

	if (v == NULL || pc->guest_vmsa_gpa != (uint64_t)(uintptr_t)v ||
	    !gpa_eq(vcpu->guest_vmsa, gpa(pc->guest_vmsa_gpa))) {
		panic("request loop: no guest VMSA registered for this CPU");
	}
	while (request_loop_once(vcpu, &v)) {
	}
	/* The hypervisor will not run the guest: nothing else to do here. */
	panic("RUN_VMPL(%u) refused by the hypervisor", vcpu->guest_vmpl);
}

#endif
