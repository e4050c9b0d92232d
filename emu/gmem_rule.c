// SPDX-License-Identifier: MIT
/*
 * machine.h (gmem_rule). Which view of guest RAM an access may use, as the
 * RMP decides it (APM vol. 2 §15.36.10, "RMP and VMPL access checks"): the
 * shared view (no C-bit) only for pages the RMP does not assign, and never
 * for a fetch; the private view only for assigned, validated pages the
 * VMPL's permissions allow, and never for a running VMSA (S6). Kept apart
 * from the host-pointer lookup (npt.c, gmem_gpa) so that the fuzzers' fake
 * machine (tests/fuzz/emu) applies the very same rule. Also the one rule
 * for a page-state change of a VMSA page (gmem_psc, row F6), which needs
 * to know which VMSAs the vCPUs run.
 */
#include "machine.h"

enum gmem_rc gmem_rule(const struct rmp *r, unsigned vmpl, uint64_t gpa,
		       enum gacc acc, uint32_t exec_perm, bool vmsa_in_use)
{
	bool priv = (gpa & EMU_CBIT) != 0;
	uint64_t addr = gpa & ~EMU_CBIT;
	uint64_t gfn = addr >> PAGE_SHIFT;
	uint32_t perm = 0;

	/* Bits above the C-bit are beyond phys-bits: never RAM. */
	if (addr >> EMU_CBIT_POS) {
		return GMEM_FORBIDDEN;
	}
	if (gfn >= r->npages) {
		return priv ? GMEM_FORBIDDEN : GMEM_MMIO;
	}
	if (!priv) {
		return (r->e[gfn].flags & RMP_F_ASSIGNED) || acc == GACC_EXEC
			       ? GMEM_FORBIDDEN
			       : GMEM_OK;
	}
	if (!(r->e[gfn].flags & RMP_F_ASSIGNED)) {
		return GMEM_FORBIDDEN;
	}
	if (!(r->e[gfn].flags & RMP_F_VALIDATED)) {
		return GMEM_NOT_VALIDATED;
	}
	if (vmsa_in_use) {
		return GMEM_VMSA_IN_USE;
	}
	perm = rmp_perms(r, gfn, vmpl);
	if (!(perm & RMP_PERM_R) ||
	    (acc == GACC_WRITE && !(perm & RMP_PERM_W)) ||
	    (acc == GACC_EXEC && !(perm & exec_perm))) {
		return GMEM_FORBIDDEN;
	}
	return GMEM_OK;
}

/*
 * Every vCPU's current VMSA counts as running (S6), also while that vCPU
 * waits for its turn on snpemu's one L1 CPU: on hardware the vCPUs run at
 * the same time, so any of them may be inside VMRUN at this moment.
 */
int gmem_vmsa_vcpu(const struct machine *m, uint64_t gfn)
{
	for (unsigned i = 0; i < m->nr_vcpus; i++) {
		const struct vcpu *v = &m->vcpu[i];
		const struct vmpl_ctx *c = &v->ctx[v->cur];

		if (c->present && (c->vmsa_gpa >> PAGE_SHIFT) == gfn) {
			return (int)i;
		}
	}
	return -1;
}

/*
 * F6. A page-state change to shared ends in RMPUPDATE (KVM:
 * arch/x86/kvm/svm/sev.c, sev_gmem_invalidate -> rmp_make_shared, which
 * does not look at the VMSA bit). The CPU refuses it (FAIL_INUSE) only for
 * a VMSA page that is inside VMRUN at that moment: VMRUN marks the VMSA
 * in use and #VMEXIT clears the mark (AMD, B. Singh on LKML, 5 Apr 2022,
 * "[PATCH v12 22/46] x86/sev: Use SEV-SNP AP creation to start secondary
 * CPUs", citing APM vol. 2 §15.36.12). A VMSA page no vCPU runs converts
 * like any page: KVM itself turns its own VMSA pages shared that way once
 * the vCPU is gone (sev_free_vcpu -> kvm_rmp_make_shared). So:
 * - a VMSA no vCPU runs: converted (it loses the VMSA bit; a later VMRUN
 *   of it fails, S4);
 * - another vCPU's current VMSA: refused, RMP_PSC_E_INUSE (that vCPU may
 *   be inside VMRUN: FAIL_INUSE; a host that lost the race would convert
 *   it, and that vCPU's next VMRUN fails: the VM stops there instead);
 * - the asking vCPU's own current VMSA: it is outside VMRUN while the host
 *   handles its exit, so RMPUPDATE succeeds and the VMRUN that resumes it
 *   fails (VMEXIT_INVALID): the VM stops now with that reason.
 */
int gmem_psc(struct machine *m, uint64_t gpa, unsigned op, bool size_2m,
	     struct rmp_change *chg)
{
	uint64_t first = 0, count = 0;
	int who = -1;

	chg->count = 0;
	if (op == RMP_PSC_OP_SHARED &&
	    rmp_psc_range(&m->rmp, gpa, size_2m, &first, &count)) {
		for (uint64_t gfn = first; gfn < first + count; gfn++) {
			who = rmp_is_vmsa(&m->rmp, gfn) ? gmem_vmsa_vcpu(m, gfn)
							: -1;
			if (who >= 0 && &m->vcpu[who] == m->cpu) {
				emu_stop(m,
					 "VMPL%u made its own VMSA at GPA "
					 "0x%llx shared: the VMRUN that "
					 "resumes it fails (VMEXIT_INVALID)",
					 m->cpu->cur,
					 (unsigned long long)(gfn
							      << PAGE_SHIFT));
			}
			if (who >= 0) {
				return RMP_PSC_E_INUSE;
			}
		}
	}
	return rmp_psc(&m->rmp, gpa, op, size_2m, chg);
}
