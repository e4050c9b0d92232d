// SPDX-License-Identifier: MIT
/*
 * The request loop (docs/abi.md §1.4, docs/architecture.md §3): RUN_VMPL(2) ->
 * when the hypervisor switches back, the guest VMSA is made non-runnable
 * (EFER.SVME cleared), copied once into SVSM memory, and handed to the
 * dispatcher (src/dispatch.c svsm_request_process: checks guest_exit_code ==
 * VMGEXIT and call_pending, clears call_pending, dispatches). Only RAX, RCX,
 * RDX, R8 and R9 are written back (docs/abi.md §11.2); RIP is never touched.
 * The VMSA served is the one this CPU registered with the hypervisor (see
 * request_loop() for why not the registry's newest).
 *
 * One iteration (exit handling up to the next RUN_VMPL request) is
 * request_loop_step() in request_step.c, which the benchmark also runs
 * hosted; only the VMGEXIT itself is here. The MSR exchange is the one
 * ghcb_run_vmpl() does, spelt out so that the iteration has no call into
 * the GHCB layer.
 *
 * Locking: one vCPU per CPU; the core lock is taken inside the dispatcher.
 */
#include "request_loop.h"

#include "arch/snp_insn.h"

#include "lib/panic.h"

#include "svsm/abi/vmsa.h"

#include "percpu.h"
#include "sev/vmsa_init.h"

/* The SVSM's copy of the guest VMSA (BSP only for now). */
static struct snp_vmsa loop_vmsa_copy;

__noreturn void request_loop(struct svsm_vcpu *vcpu)
{
	/*
	 * Serve the VMSA this CPU handed to the hypervisor (launch_guest,
	 * AP_CREATION), not whatever the vCPU registry calls newest: after
	 * CREATE_VCPU for this very vCPU the hypervisor keeps entering the old
	 * VMSA until the guest itself sends AP_CREATION (docs/abi.md §3.3,
	 * §11.11), and reading the call from the new page would answer the
	 * wrong registers and leave call_pending set (§11.1). The registry
	 * keeps that VMSA as pending (vcpu->next_vmsa); DELETE_VCPU refuses the
	 * one served here (plat_vmsa_stop), so it cannot vanish under the loop.
	 *
	 * Not done: switching to a pending VMSA of this vCPU. That needs
	 * proof the hypervisor now runs it (the SVSM does not see the guest's
	 * AP_CREATION); until then the old VMSA is served, which is what the
	 * hypervisor runs.
	 */
	struct percpu *pc = this_cpu();
	struct snp_vmsa *v = pc->guest_vmsa;

	if (v == NULL || pc->guest_vmsa_gpa != (uint64_t)(uintptr_t)v ||
	    !gpa_eq(vcpu->guest_vmsa, gpa(pc->guest_vmsa_gpa))) {
		panic("request loop: no guest VMSA registered for this CPU");
	}
	request_loop_arm(v);
	for (;;) {
		snp_vmgexit();
		if (!request_loop_step(vcpu, v, &loop_vmsa_copy)) {
			/* The hypervisor will not run the guest: nothing
			 * else for this CPU to do. */
			panic("RUN_VMPL(%u) refused by the hypervisor",
			      SVSM_GUEST_VMPL);
		}
	}
}
