// SPDX-License-Identifier: MIT
/*
 * machine.h (gmem_rule). Which view of guest RAM an access may use, as the
 * RMP decides it (APM vol. 2 §15.36.10, "RMP and VMPL access checks"): the
 * shared view (no C-bit) only for pages the RMP does not assign, and never
 * for a fetch; the private view only for assigned, validated pages the
 * VMPL's permissions allow, and never for a running VMSA (S6). Kept apart
 * from the host-pointer lookup (npt.c, gmem_gpa) so that the fuzzers' fake
 * machine (tests/fuzz/emu) applies the very same rule.
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
