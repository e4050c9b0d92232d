// SPDX-License-Identifier: MIT
/*
 * One request-loop iteration (docs/abi.md §1.4 "SVSM side of one call"), split
 * from request_loop.c so that the benchmark can run exactly the code the
 * image runs between two VMGEXITs. Only the machine operations differ
 * (request_loop_hw.h).
 */
#include "svsm/request.h"

#include "svsm/abi/ghcb.h"
#include "svsm/abi/vmsa.h"

#include "request_loop.h"
#include "request_loop_hw.h"
#include "sev/vmsa_init.h"

void request_loop_arm(struct snp_vmsa *v)
{
	/* Runnable again only once we are done with it (§1.4 step 6). */
	__atomic_fetch_or(&v->efer, VMSA_EFER_SVME, __ATOMIC_SEQ_CST);
	loop_ghcb_msr_write(GHCB_MSR_RUN_VMPL(SVSM_GUEST_VMPL));
}

bool request_loop_step(struct svsm_vcpu *vcpu, struct snp_vmsa *v,
		       struct snp_vmsa *copy)
{
	uint64_t resp = loop_ghcb_msr_read();
	uint64_t ghcb_gpa = loop_ghcb_gpa();

	/* NAE events (console, AP creation) expect the GHCB GPA in the MSR,
	 * as ghcb_msr_exchange() leaves it. */
	if (ghcb_gpa != 0) {
		loop_ghcb_msr_write(ghcb_gpa);
	}
	if ((resp & GHCB_MSR_INFO_MASK) != GHCB_MSR_RUN_VMPL_RESP ||
	    (resp >> 32) != 0) {
		return false;
	}
	/* Not runnable while we look at it (docs/abi.md §1.4 step 2). */
	__atomic_fetch_and(&v->efer, ~VMSA_EFER_SVME, __ATOMIC_SEQ_CST);
	loop_vmsa_copy(copy, v);
	if (svsm_request_process(vcpu, copy)) {
		v->rax = copy->rax;
		v->rcx = copy->rcx;
		v->rdx = copy->rdx;
		v->r8 = copy->r8;
		v->r9 = copy->r9;
	}
	request_loop_arm(v);
	return true;
}
