// SPDX-License-Identifier: MIT
/*
 * The RMP model (rmp.h). Every operation validates its whole range before
 * changing anything, so a failing instruction never leaves a half-updated
 * 2 MiB range behind (APM vol. 3: the instructions are atomic per entry).
 */
#include "rmp.h"

#include "svsm/abi/snp.h"

#define GFN(gpa) ((gpa) >> PAGE_SHIFT)

void rmp_init(struct rmp *r, struct rmp_entry *e, uint64_t npages)
{
	r->e = e;
	r->npages = npages;
	for (uint64_t i = 0; i < npages; i++) {
		e[i] = (struct rmp_entry){0};
	}
}

struct rmp_entry *rmp_entry_at(struct rmp *r, uint64_t gpa)
{
	if (GFN(gpa) >= r->npages) {
		return NULL;
	}
	return &r->e[GFN(gpa)];
}

uint32_t rmp_perms(const struct rmp *r, uint64_t gfn, unsigned vmpl)
{
	const struct rmp_entry *e = NULL;
	uint32_t need = RMP_F_ASSIGNED | RMP_F_VALIDATED;

	if (gfn >= r->npages || vmpl >= SNP_VMPL_COUNT) {
		return 0;
	}
	e = &r->e[gfn];
	if ((e->flags & need) != need) {
		return 0;
	}
	return vmpl == 0 ? RMP_PERM_ALL : e->perm[vmpl - 1];
}

/*
 * Common input checks of the three guest instructions: page size 0/1,
 * alignment to that size (model: a misaligned address is FAIL_INPUT, as
 * Linux treats it), inside guest RAM. Returns 0 or an SNP_RC_*.
 */
static int check_range(const struct rmp *r, uint64_t gpa, uint64_t size,
		       uint64_t *first, uint64_t *count)
{
	uint64_t bytes = 0;

	if (size != SNP_PAGE_SIZE_4K && size != SNP_PAGE_SIZE_2M) {
		return SNP_RC_FAIL_INPUT;
	}
	bytes = size == SNP_PAGE_SIZE_2M ? RMP_PAGES_2M * PAGE_SIZE : PAGE_SIZE;
	if (gpa & (bytes - 1)) {
		return SNP_RC_FAIL_INPUT;
	}
	if (GFN(gpa) >= r->npages || r->npages - GFN(gpa) < bytes / PAGE_SIZE) {
		return SNP_RC_FAIL_INPUT;
	}
	*first = GFN(gpa);
	*count = bytes / PAGE_SIZE;
	return 0;
}

/*
 * Every entry in the range must be assigned (and validated if asked) and
 * its RMP page size must match the request: a 2 MiB request needs 512
 * entries of one 2 MiB RMP page, a 4 KiB request a 4 KiB entry
 * (FAIL_SIZEMISMATCH otherwise: APM vol. 3 PVALIDATE/RMPADJUST, docs/abi.md
 * §7.1).
 */
static int check_entries(const struct rmp *r, uint64_t first, uint64_t count,
			 bool need_validated)
{
	bool want_2m = count == RMP_PAGES_2M;

	for (uint64_t i = first; i < first + count; i++) {
		uint8_t f = r->e[i].flags;

		if (!(f & RMP_F_ASSIGNED)) {
			return SNP_RC_FAIL_INPUT;
		}
		if (need_validated && !(f & RMP_F_VALIDATED)) {
			return SNP_RC_FAIL_INPUT;
		}
		if (!!(f & RMP_F_SIZE_2M) != want_2m) {
			return SNP_RC_FAIL_SIZEMISMATCH;
		}
	}
	return 0;
}

int rmp_pvalidate(struct rmp *r, unsigned vmpl, uint64_t gpa, uint64_t size,
		  uint64_t validate, bool *cf, struct rmp_change *chg)
{
	uint64_t first = 0, count = 0;
	bool all_same = true;
	int rc = 0;

	*cf = false;
	chg->count = 0;
	/* PVALIDATE exists for VMPL0 only (docs/abi.md §7.1): #GP elsewhere. */
	if (vmpl != 0) {
		return RMP_FAULT_GP;
	}
	if (validate > 1) {
		return SNP_RC_FAIL_INPUT;
	}
	rc = check_range(r, gpa, size, &first, &count);
	if (rc == 0) {
		rc = check_entries(r, first, count, false);
	}
	if (rc != 0) {
		return rc;
	}
	for (uint64_t i = first; i < first + count; i++) {
		if (!!(r->e[i].flags & RMP_F_VALIDATED) != !!validate) {
			all_same = false;
		}
	}
	/* Already in the requested state: success with CF=1 (§7.1). */
	if (all_same) {
		*cf = true;
		return SNP_RC_SUCCESS;
	}
	for (uint64_t i = first; i < first + count; i++) {
		if (validate) {
			r->e[i].flags |= RMP_F_VALIDATED;
		} else {
			r->e[i].flags &= (uint8_t)~RMP_F_VALIDATED;
		}
	}
	chg->gfn = first;
	chg->count = count;
	return SNP_RC_SUCCESS;
}

int rmp_adjust(struct rmp *r, unsigned vmpl, uint64_t gpa, uint64_t size,
	       uint64_t attrs, struct rmp_change *chg)
{
	uint64_t target = attrs & RMPADJ_TARGET_VMPL_MASK;
	uint32_t perm = (uint32_t)(attrs & RMPADJ_PERM_MASK) >> 8;
	bool vmsa = (attrs & RMPADJ_VMSA) != 0;
	uint64_t first = 0, count = 0;
	int rc = 0;

	chg->count = 0;
	/* Reserved attribute bits: RDX[15:12] and RDX[63:17]. */
	if (attrs & ~(uint64_t)(RMPADJ_TARGET_VMPL_MASK | RMPADJ_PERM_MASK |
				RMPADJ_VMSA)) {
		return SNP_RC_FAIL_INPUT;
	}
	if (target >= SNP_VMPL_COUNT) {
		return SNP_RC_FAIL_INPUT;
	}
	/* Only toward less-privileged VMPLs (docs/abi.md §7.2: how Linux finds
	 * out it is not at VMPL0). */
	if (target <= vmpl) {
		return SNP_RC_FAIL_PERMISSION;
	}
	rc = check_range(r, gpa, size, &first, &count);
	if (rc == 0) {
		rc = check_entries(r, first, count, true);
	}
	if (rc != 0) {
		return rc;
	}
	for (uint64_t i = first; i < first + count; i++) {
		/* Never grant more than the caller holds (APM RMPADJUST). */
		if (perm & ~rmp_perms(r, i, vmpl)) {
			return SNP_RC_FAIL_PERMISSION;
		}
		/* model: a VMSA page belongs to VMPL0; lower VMPLs may not
		 * retune it (the VMSA attribute is VMPL0's alone). */
		if (vmpl != 0 && (r->e[i].flags & RMP_F_VMSA)) {
			return SNP_RC_FAIL_PERMISSION;
		}
	}
	for (uint64_t i = first; i < first + count; i++) {
		r->e[i].perm[target - 1] = (uint8_t)perm;
		/* The VMSA attribute is a page property set only from VMPL0
		 * (docs/abi.md §7.2); elsewhere the bit is ignored. */
		if (vmpl == 0) {
			if (vmsa) {
				r->e[i].flags |= RMP_F_VMSA;
			} else {
				r->e[i].flags &= (uint8_t)~RMP_F_VMSA;
			}
		}
	}
	chg->gfn = first;
	chg->count = count;
	return SNP_RC_SUCCESS;
}

int rmp_query(const struct rmp *r, unsigned vmpl, uint64_t gpa,
	      uint64_t target_vmpl, struct rmp_query_out *out)
{
	const struct rmp_entry *e = NULL;

	*out = (struct rmp_query_out){0};
	if (target_vmpl >= SNP_VMPL_COUNT) {
		return SNP_RC_FAIL_INPUT;
	}
	/* model: a VMPL may not inspect more-privileged VMPLs' rights. */
	if (target_vmpl < vmpl) {
		return SNP_RC_FAIL_PERMISSION;
	}
	if (GFN(gpa) >= r->npages) {
		return SNP_RC_FAIL_INPUT;
	}
	e = &r->e[GFN(gpa)];
	if (!(e->flags & RMP_F_ASSIGNED)) {
		return SNP_RC_FAIL_INPUT;
	}
	out->perm = rmp_perms(r, GFN(gpa), (unsigned)target_vmpl);
	out->vmsa = (e->flags & RMP_F_VMSA) != 0;
	out->page_size = (e->flags & RMP_F_SIZE_2M) ? SNP_PAGE_SIZE_2M
						    : SNP_PAGE_SIZE_4K;
	return SNP_RC_SUCCESS;
}

bool rmp_psc_range(const struct rmp *r, uint64_t gpa, bool size_2m,
		   uint64_t *first, uint64_t *count)
{
	return check_range(r, gpa,
			   size_2m ? SNP_PAGE_SIZE_2M : SNP_PAGE_SIZE_4K, first,
			   count) == 0;
}

bool rmp_is_vmsa(const struct rmp *r, uint64_t gfn)
{
	return gfn < r->npages && (r->e[gfn].flags & RMP_F_VMSA);
}

int rmp_psmash(struct rmp *r, uint64_t gpa, struct rmp_change *chg)
{
	uint64_t base = GFN(gpa) & ~(uint64_t)(RMP_PAGES_2M - 1);

	chg->count = 0;
	if (GFN(gpa) >= r->npages || r->npages - base < RMP_PAGES_2M ||
	    !(r->e[base].flags & RMP_F_SIZE_2M)) {
		return RMP_PSC_E_INPUT;
	}
	for (uint64_t i = base; i < base + RMP_PAGES_2M; i++) {
		r->e[i].flags &= (uint8_t)~RMP_F_SIZE_2M;
	}
	chg->gfn = base;
	chg->count = RMP_PAGES_2M;
	return RMP_PSC_OK;
}

int rmp_psc(struct rmp *r, uint64_t gpa, unsigned op, bool size_2m,
	    struct rmp_change *chg)
{
	uint64_t first = 0, count = 0;
	bool to_2m = size_2m;

	chg->count = 0;
	if (op != RMP_PSC_OP_PRIVATE && op != RMP_PSC_OP_SHARED) {
		return RMP_PSC_E_INPUT;
	}
	if (check_range(r, gpa, size_2m ? SNP_PAGE_SIZE_2M : SNP_PAGE_SIZE_4K,
			&first, &count) != 0) {
		return RMP_PSC_E_INPUT;
	}
	for (uint64_t i = first; i < first + count; i++) {
		bool noop = op == RMP_PSC_OP_PRIVATE &&
			    (r->e[i].flags & RMP_F_ASSIGNED);

		/*
		 * F6: a VMSA page is converted like any other; only one a
		 * vCPU is running is refused, which the caller checks
		 * (ghcb.c, psc_change: the RMP does not know who runs what).
		 */
		if (!noop && (r->e[i].flags & RMP_F_IMMUTABLE)) {
			return RMP_PSC_E_INUSE;
		}
		/* Partly private already: the rest becomes 4 KiB pages. */
		if (noop) {
			to_2m = false;
		}
	}
	/*
	 * A 4 KiB change inside a 2 MiB RMP page: a hypervisor would PSMASH
	 * it into 512 4 KiB entries first, keeping their state.
	 */
	if (!size_2m && (r->e[first].flags & RMP_F_SIZE_2M)) {
		struct rmp_change split = {0};

		(void)rmp_psmash(r, gpa, &split);
	}
	for (uint64_t i = first; i < first + count; i++) {
		/*
		 * S12: private to private leaves the entry alone, validated
		 * or not, as KVM does: the page is already private in guest
		 * memory attributes, so no RMPUPDATE is issued (KVM:
		 * arch/x86/kvm/svm/sev.c, snp_begin_psc; virt/kvm/guest_memfd.c
		 * prepares a folio only once).
		 */
		if (op == RMP_PSC_OP_PRIVATE &&
		    (r->e[i].flags & RMP_F_ASSIGNED)) {
			continue;
		}
		r->e[i] = (struct rmp_entry){0};
		if (op == RMP_PSC_OP_PRIVATE) {
			r->e[i].flags =
				RMP_F_ASSIGNED | (to_2m ? RMP_F_SIZE_2M : 0);
		}
	}
	chg->gfn = first;
	chg->count = count;
	return RMP_PSC_OK;
}

int rmp_launch_page(struct rmp *r, uint64_t gpa)
{
	struct rmp_entry *e = rmp_entry_at(r, gpa);

	if (e == NULL || (gpa & (PAGE_SIZE - 1))) {
		return RMP_PSC_E_INPUT;
	}
	*e = (struct rmp_entry){0};
	e->flags = RMP_F_ASSIGNED | RMP_F_VALIDATED;
	return RMP_PSC_OK;
}
