// SPDX-License-Identifier: MIT
/*
 * The request loop (abi.md §1.4, design.md §3): RUN_VMPL(2) -> when the
 * hypervisor switches back, the guest VMSA is made non-runnable (EFER.SVME
 * cleared), copied once into SVSM memory, and handed to the dispatcher
 * (src/dispatch.c svsm_request_process: checks guest_exit_code == VMGEXIT
 * and call_pending, clears call_pending, dispatches). Only RAX, RCX, RDX,
 * R8 and R9 are written back (abi.md §11.2); RIP is never touched.
 *
 * Locking: one vCPU per CPU; the core lock is taken inside the dispatcher.
 */
#include "request_loop.h"

#include "lib/panic.h"
#include "lib/string.h"

#include "svsm/request.h"

#include "svsm/abi/vmsa.h"

#include "percpu.h"
#include "sev/ghcb.h"
#include "sev/vmsa_init.h"

/* The SVSM's copy of the guest VMSA (BSP only for now). */
static struct snp_vmsa loop_vmsa_copy;

__noreturn void request_loop(struct svsm_vcpu *vcpu)
{
	struct percpu *pc = this_cpu();

	for (;;) {
		uint64_t vmsa_gpa = gpa_val(vcpu->guest_vmsa);
		struct snp_vmsa *v = (struct snp_vmsa *)(uintptr_t)vmsa_gpa;

		/* CREATE_VCPU may have given this vCPU a new VMSA. */
		pc->guest_vmsa = v;
		pc->guest_vmsa_gpa = vmsa_gpa;
		__atomic_fetch_or(&v->efer, VMSA_EFER_SVME, __ATOMIC_SEQ_CST);
		if (!ghcb_run_vmpl(SVSM_GUEST_VMPL)) {
			/* The hypervisor will not run the guest: nothing
			 * else for this CPU to do. */
			panic("RUN_VMPL(%u) refused by the hypervisor",
			      SVSM_GUEST_VMPL);
		}
		/* Not runnable while we look at it (abi.md §1.4 step 2). */
		__atomic_fetch_and(&v->efer, ~VMSA_EFER_SVME, __ATOMIC_SEQ_CST);
		memcpy(&loop_vmsa_copy, v, sizeof(loop_vmsa_copy));
		if (svsm_request_process(vcpu, &loop_vmsa_copy)) {
			v->rax = loop_vmsa_copy.rax;
			v->rcx = loop_vmsa_copy.rcx;
			v->rdx = loop_vmsa_copy.rdx;
			v->r8 = loop_vmsa_copy.r8;
			v->r9 = loop_vmsa_copy.r9;
		}
	}
}
