// SPDX-License-Identifier: MIT
/*
 * One nested page table per VMPL, derived from the RMP (docs/architecture.md
 * §2), and guest-memory access on behalf of a VMPL with exactly the same rules.
 *
 * Each VMPL's table maps guest RAM twice: GPAs with the C-bit (PML4[256])
 * are the private view, GPAs without it (PML4[0]) the shared view. A
 * private page is present for VMPL v only if it is assigned, validated and
 * v holds read permission; a shared page only if it is not assigned, and
 * never executable (SEV: instruction fetches are always private, APM
 * vol. 2 §15.34.5). Every other access takes #NPF, which machine.c turns
 * into #VC (unvalidated page, MMIO) or a stop report.
 *
 * NPT leaves cannot tell supervisor from user execution without GMET
 * (which TCG lacks), so a page is executable in the nested table only if
 * the RMP grants both XU and XS (S3, docs/snpemu.md); a fetch from a page
 * with only one of them stops the VM (npt_fault_fixup): the wrong kind as
 * the RMP violation hardware reports, the right kind as a model limit
 * (stricter than hardware, never more lenient).
 *
 * The VMSA the vCPU is running is not accessible at all (S6: hardware
 * marks it in use). Revoked permissions may stay in the nested table
 * until a flush the hardware honours (S2, tlb.c).
 */
#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/pt.h"
#include "lib/string.h"

#include "iommu.h"
#include "machine.h"

#define PT_ENTRIES 512
#define NPT_TABLE (PTE_P | PTE_W | PTE_U)
#define NPT_LEAF (PTE_P | PTE_U | PTE_A | PTE_D)
#define PT_PAGES_RAM (EMU_GUEST_PAGES / PT_ENTRIES)

static uint64_t *table(uint64_t pa)
{
	return (uint64_t *)(uintptr_t)pa;
}

/* The VMSA a vCPU is running: in use, so no VMPL may touch it (S6). */
static bool vmsa_in_use(const struct machine *m, uint64_t gfn)
{
	return gmem_vmsa_vcpu(m, gfn) >= 0;
}

uint64_t npt_private_pte(const struct machine *m, unsigned vmpl, uint64_t gfn)
{
	uint32_t perm = rmp_perms(&m->rmp, gfn, vmpl);
	uint64_t pte = 0;

	if (!(perm & RMP_PERM_R) || vmsa_in_use(m, gfn)) {
		return 0;
	}
	pte = (EMU_GUEST_RAM_HPA + (gfn << PAGE_SHIFT)) | NPT_LEAF;
	if (perm & RMP_PERM_W) {
		pte |= PTE_W;
	}
	if ((perm & (RMP_PERM_XU | RMP_PERM_XS)) !=
	    (RMP_PERM_XU | RMP_PERM_XS)) {
		pte |= PTE_NX;
	}
	return pte;
}

static uint64_t shared_pte(const struct rmp *r, uint64_t gfn)
{
	if (r->e[gfn].flags & RMP_F_ASSIGNED) {
		return 0;
	}
	return (EMU_GUEST_RAM_HPA + (gfn << PAGE_SHIFT)) | NPT_LEAF | PTE_W |
	       PTE_NX;
}

/* PML4[idx] -> PDPT -> PD -> the 128 PT pages at @pts. */
/* PML4[idx] -> PDPT -> one PD per GiB -> the PT pages at @pts. */
static void link_view(uint64_t *pml4, unsigned idx, uint64_t pts)
{
	uint64_t pdpt = emu_alloc_page();

	pml4[idx] = pdpt | NPT_TABLE;
	for (uint64_t i = 0; i < PT_PAGES_RAM; i++) {
		if (i % PT_ENTRIES == 0) {
			table(pdpt)[i / PT_ENTRIES] =
				emu_alloc_page() | NPT_TABLE;
		}
		table(table(pdpt)[i / PT_ENTRIES] &
		      PTE_ADDR_MASK)[i % PT_ENTRIES] =
			(pts + i * PAGE_SIZE) | NPT_TABLE;
	}
}

/* Contiguous PTs under PML4[idx]: a flat PTE array per view. */
static uint64_t *build_view(uint64_t *pml4, unsigned idx)
{
	uint64_t pts = emu_alloc_pages(PT_PAGES_RAM);

	link_view(pml4, idx, pts);
	return table(pts);
}

void npt_init_vmpl(struct machine *m, unsigned vmpl)
{
	struct npt_view *n = &m->npt[vmpl];

	if (n->root != 0) {
		return;
	}
	n->root = emu_alloc_page();
	n->shared_pte = build_view(table(n->root), 0);
	n->private_pte =
		build_view(table(n->root), (unsigned)(EMU_CBIT >> 39) & 511);
	n->root_unpaged = emu_alloc_page();
	link_view(table(n->root_unpaged), 0,
		  (uint64_t)(uintptr_t)n->private_pte);
	for (uint64_t g = 0; g < EMU_GUEST_PAGES; g++) {
		n->private_pte[g] = npt_private_pte(m, vmpl, g);
		n->shared_pte[g] = shared_pte(&m->rmp, g);
	}
	tlb_init_vmpl(m, vmpl);
}

void npt_update(struct machine *m, uint64_t gfn, uint64_t count)
{
	if (gfn >= EMU_GUEST_PAGES || count > EMU_GUEST_PAGES - gfn) {
		return;
	}
	/* Device DMA first: a page turning private is out of the IOMMU's
	 * tables before the guest can use it as private (iommu.h). */
	iommu_rmp_changed(m, gfn, count);
	for (unsigned v = 0; v < SNP_VMPL_COUNT; v++) {
		struct npt_view *n = &m->npt[v];

		if (n->root == 0) {
			continue;
		}
		for (uint64_t g = gfn; g < gfn + count; g++) {
			n->private_pte[g] = npt_private_pte(m, v, g);
			n->shared_pte[g] = shared_pte(&m->rmp, g);
			tlb_forget(n, g);
		}
	}
	/* Cached translations of every ASID may now be stale. */
	m->tlb_flush = true;
}

/*
 * A walk or fetch through a C-bit-less GPA is private on SNP (APM vol. 2
 * §15.34.5), but TCG's nested walk uses the literal GPA: the private page
 * is mapped at its C-bit-less GPA too, for as long as the faulting
 * instruction's walk needs it. The NPT cannot tell a walk from a data
 * access, so a data access through that GPA would reach the private page
 * while the alias exists (hardware: an RMP violation). The alias lives
 * only until the next exit that is not an #NPF (npt_alias_drop, which
 * flushes the TLB): the next walk faults and aliases again, and a data
 * access after any exit is caught (fidelity row L5, docs/snpemu.md §3).
 */
static void alias_drop_view(struct machine *m, struct npt_view *n)
{
	for (unsigned i = 0; i < n->alias_n; i++) {
		n->shared_pte[n->alias[i]] = shared_pte(&m->rmp, n->alias[i]);
		m->tlb_flush = true;
	}
	n->alias_n = 0;
}

bool npt_alias_private(struct machine *m, uint64_t gfn)
{
	struct npt_view *n = &m->npt[m->cpu->cur];

	if (gfn >= EMU_GUEST_PAGES || n->root == 0) {
		return false;
	}
	for (unsigned i = 0; i < n->alias_n; i++) {
		if (n->alias[i] == gfn) {
			return false; /* aliased and still faulting */
		}
	}
	/* A long run without other exits walks many tables: start over
	 * (one walk needs at most four). */
	if (n->alias_n == NPT_ALIAS_MAX) {
		alias_drop_view(m, n);
	}
	n->shared_pte[gfn] = npt_private_pte(m, m->cpu->cur, gfn);
	n->alias[n->alias_n++] = gfn;
	m->tlb_flush = true;
	return true;
}

void npt_alias_drop(struct machine *m)
{
	for (unsigned v = 0; v < SNP_VMPL_COUNT; v++) {
		alias_drop_view(m, &m->npt[v]);
	}
}

void npt_apply(struct machine *m, const struct rmp_change *chg)
{
	if (chg->count != 0) {
		npt_update(m, chg->gfn, chg->count);
	}
}

/*
 * S7: a private access (C-bit set, or any walk/fetch) to a page the RMP
 * says is shared. KVM exits to QEMU with KVM_EXIT_MEMORY_FAULT and QEMU
 * converts the page to private (KVM: arch/x86/kvm/mmu/mmu.c,
 * kvm_mmu_prepare_memory_fault_exit; QEMU: accel/kvm/kvm-all.c,
 * kvm_convert_memory), so the retried access finds an unvalidated page
 * and takes #VC 0x404 — the VM goes on.
 */
static bool implicit_private(struct machine *m, uint64_t gfn)
{
	struct rmp_change chg = {0};

	if (rmp_psc(&m->rmp, gfn << PAGE_SHIFT, RMP_PSC_OP_PRIVATE, false,
		    &chg) != RMP_PSC_OK) {
		return false;
	}
	npt_apply(m, &chg);
	return true;
}

/* S3: a fetch from a page the RMP grants only XU or only XS. */
static void exec_kind_stop(struct machine *m, uint64_t gpa, uint32_t perm)
{
	bool user = emu_save(m)->cpl == 3;
	bool granted = (perm & (user ? RMP_PERM_XU : RMP_PERM_XS)) != 0;

	if (granted) {
		emu_stop(m,
			 "model limit: VMPL%u RIP 0x%llx: %s execute of GPA "
			 "0x%llx, which the RMP grants %s only: snpemu runs "
			 "only pages with both XU and XS (stricter than "
			 "hardware, docs/snpemu.md)",
			 m->cpu->cur, (unsigned long long)emu_save(m)->rip,
			 user ? "user" : "supervisor", (unsigned long long)gpa,
			 user ? "XU" : "XS");
	}
	emu_stop(m,
		 "RMP violation: VMPL%u RIP 0x%llx: %s execute of GPA 0x%llx "
		 "(private, the RMP grants VMPL%u %s only; RMPADJUST bit %u "
		 "is missing)",
		 m->cpu->cur, (unsigned long long)emu_save(m)->rip,
		 user ? "user" : "supervisor", (unsigned long long)gpa,
		 m->cpu->cur, user ? "XS" : "XU", user ? 10 : 11);
}

bool npt_fault_fixup(struct machine *m, uint64_t gpa, enum gacc acc)
{
	uint64_t gfn = (gpa & ~EMU_CBIT) >> PAGE_SHIFT;
	uint32_t perm = 0, x = RMP_PERM_XU | RMP_PERM_XS;

	if (!(gpa & EMU_CBIT) || (gpa & ~EMU_CBIT) >> EMU_CBIT_POS ||
	    gfn >= EMU_GUEST_PAGES) {
		return false;
	}
	if (!(m->rmp.e[gfn].flags & RMP_F_ASSIGNED)) {
		return implicit_private(m, gfn);
	}
	perm = rmp_perms(&m->rmp, gfn, m->cpu->cur);
	if (acc == GACC_EXEC && (perm & x) != 0 && (perm & x) != x &&
	    !vmsa_in_use(m, gfn)) {
		exec_kind_stop(m, gpa, perm);
	}
	return false;
}

const char *gacc_name(enum gacc a)
{
	switch (a) {
	case GACC_READ:
		return "read";
	case GACC_WRITE:
		return "write";
	case GACC_EXEC:
		return "execute";
	}
	return "?";
}

/* The RMP bit a fetch at the running CPL needs: XU at CPL3, else XS. */
static uint32_t exec_perm(struct machine *m, unsigned vmpl)
{
	if (vmpl == m->cpu->cur && emu_save(m)->cpl == 3) {
		return RMP_PERM_XU;
	}
	return RMP_PERM_XS;
}

enum gmem_rc gmem_gpa(struct machine *m, unsigned vmpl, uint64_t gpa,
		      enum gacc acc, void **hva)
{
	uint64_t addr = gpa & ~EMU_CBIT;
	enum gmem_rc rc = gmem_rule(&m->rmp, vmpl, gpa, acc, exec_perm(m, vmpl),
				    vmsa_in_use(m, addr >> PAGE_SHIFT));

	if (rc == GMEM_OK) {
		*hva = emu_hva(addr);
	}
	return rc;
}

/* #PF error code bits (APM vol. 2 §8.4.2). */
#define PF_P (1u << 0)
#define PF_W (1u << 1)
#define PF_U (1u << 2)
#define PF_ID (1u << 4)
#define CR0_WP (UINT64_C(1) << 16)
#define EFER_NXE (UINT64_C(1) << 11)

enum gmem_rc gmem_gva(struct machine *m, unsigned vmpl, uint64_t gva,
		      enum gacc acc, uint64_t *gpa, uint32_t *pf_err)
{
	const struct snp_vmsa *s = emu_save(m);
	bool user = s->cpl == 3 && !m->cpu->implicit_sv;
	uint64_t tbl = s->cr3 & PTE_ADDR_MASK;
	uint32_t err = (acc == GACC_WRITE ? PF_W : 0) | (user ? PF_U : 0) |
		       (acc == GACC_EXEC ? PF_ID : 0);
	bool writable = true, usr = true, nx = false;

	if (!(s->cr0 & CR0_PG)) {
		/* Without paging every access is private (§15.34.5). */
		*gpa = gva | EMU_CBIT;
		return GMEM_OK;
	}
	if (!(s->efer & EFER_LMA)) {
		return GMEM_UNSUPPORTED;
	}
	*pf_err = err;
	if (!pt_va_canonical(gva)) {
		return GMEM_PAGE_FAULT;
	}
	for (int level = 3; level >= 0; level--) {
		unsigned idx = (unsigned)(gva >> (12 + 9 * level)) & 511;
		void *hva = NULL;
		uint64_t pte = 0;
		enum gmem_rc rc = 0;

		/* The walk reads through this VMPL's view, always as
		 * private (APM vol. 2 §15.34.5: table walks and instruction
		 * fetches are private whatever the C-bit says). */
		rc = gmem_gpa(m, vmpl, (tbl + idx * 8) | EMU_CBIT, GACC_READ,
			      &hva);
		if (rc != GMEM_OK) {
			*gpa = tbl + idx * 8;
			return rc;
		}
		pte = *(volatile uint64_t *)hva;
		if (!(pte & PTE_P)) {
			return GMEM_PAGE_FAULT;
		}
		writable = writable && (pte & PTE_W);
		usr = usr && (pte & PTE_U);
		nx = nx || ((s->efer & EFER_NXE) && (pte & PTE_NX));
		if (level == 0 || (level <= 2 && (pte & PTE_PS))) {
			uint64_t size = UINT64_C(1) << (12 + 9 * level);
			uint64_t base = pte & PTE_ADDR_MASK & ~(size - 1);

			*pf_err |= PF_P;
			if (acc == GACC_WRITE && !writable &&
			    (user || (s->cr0 & CR0_WP))) {
				return GMEM_PAGE_FAULT;
			}
			if (user && !usr) {
				return GMEM_PAGE_FAULT;
			}
			if (acc == GACC_EXEC && nx) {
				return GMEM_PAGE_FAULT;
			}
			*gpa = base | (gva & (size - 1));
			return GMEM_OK;
		}
		tbl = pte & PTE_ADDR_MASK;
	}
	return GMEM_PAGE_FAULT;
}

/*
 * Find a GVA that the running VMPL's page tables map to @gpa (C-bit
 * ignored), visiting at most @budget entries. #NPF gives snpemu the GPA
 * only, but #VC 0x404 must report the GVA in CR2; any alias maps the same
 * page, so PVALIDATE on it validates the right one.
 */
static bool reverse(struct machine *m, uint64_t tbl, int level, uint64_t va,
		    uint64_t gpa, uint64_t *gva, uint32_t *budget)
{
	for (unsigned i = 0; i < 512; i++) {
		uint64_t pte = 0, nva = va | ((uint64_t)i << (12 + 9 * level));
		uint64_t size = UINT64_C(1) << (12 + 9 * level);
		void *hva = NULL;

		if (*budget == 0) {
			return false;
		}
		(*budget)--;
		if (gmem_gpa(m, m->cpu->cur, (tbl + i * 8) | EMU_CBIT,
			     GACC_READ, &hva) != GMEM_OK) {
			return false;
		}
		pte = *(volatile uint64_t *)hva;
		if (!(pte & PTE_P)) {
			continue;
		}
		if (level == 3 && i >= 256) {
			nva |= UINT64_C(0xffff000000000000); /* canonical */
		}
		if (level == 0 || (level <= 2 && (pte & PTE_PS))) {
			/* Same page, same C-bit as the faulting access. */
			uint64_t base = pte & PTE_ADDR_MASK & ~(size - 1);
			uint64_t want = gpa & ~(PAGE_SIZE - 1);

			if (want >= base && want < base + size) {
				*gva = nva + (want - base);
				return true;
			}
			continue;
		}
		if (reverse(m, pte & PTE_ADDR_MASK & ~EMU_CBIT, level - 1, nva,
			    gpa, gva, budget)) {
			return true;
		}
	}
	return false;
}

bool gmem_reverse(struct machine *m, uint64_t gpa, uint64_t *gva)
{
	const struct snp_vmsa *s = emu_save(m);
	uint32_t budget = 1u << 20;

	if (!(s->cr0 & CR0_PG)) {
		*gva = gpa & ~EMU_CBIT;
		return true;
	}
	if (!(s->efer & EFER_LMA)) {
		return false;
	}
	return reverse(m, s->cr3 & PTE_ADDR_MASK & ~EMU_CBIT, 3, 0, gpa, gva,
		       &budget);
}

void gmem_violation(struct machine *m, enum gmem_rc rc, uint64_t gpa,
		    enum gacc acc, const char *what)
{
	const char *why = "";
	uint64_t gfn = (gpa & ~EMU_CBIT) >> PAGE_SHIFT;
	const struct rmp_entry *e = rmp_entry_at(&m->rmp, gpa & ~EMU_CBIT);

	switch (rc) {
	case GMEM_FORBIDDEN:
		why = e == NULL ? "no guest RAM there" : "RMP violation";
		break;
	case GMEM_NOT_VALIDATED:
		why = "page not validated";
		break;
	case GMEM_VMSA_IN_USE:
		why = "VMSA in use";
		break;
	case GMEM_MMIO:
		why = "no RAM or device there";
		break;
	case GMEM_UNSUPPORTED:
		why = "paging mode not supported by snpemu";
		break;
	case GMEM_PAGE_FAULT:
	case GMEM_OK:
		why = "unexpected";
		break;
	}
	emu_stop(m,
		 "%s: VMPL%u RIP 0x%llx: %s of GPA 0x%llx (%s, gfn 0x%llx, "
		 "RMP %s%s%s perms VMPL%u=0x%x) during %s",
		 why, m->cpu->cur, (unsigned long long)emu_save(m)->rip,
		 gacc_name(acc), (unsigned long long)gpa,
		 (gpa & EMU_CBIT) ? "private" : "shared",
		 (unsigned long long)gfn,
		 e == NULL                     ? "none"
		 : (e->flags & RMP_F_ASSIGNED) ? "assigned"
					       : "shared",
		 e != NULL && (e->flags & RMP_F_VALIDATED) ? ",validated" : "",
		 e != NULL && (e->flags & RMP_F_VMSA) ? ",vmsa" : "",
		 m->cpu->cur, rmp_perms(&m->rmp, gfn, m->cpu->cur), what);
}

static bool gmem_copy(struct machine *m, uint64_t gva, uint8_t *buf,
		      uint32_t len, enum gacc acc, bool write)
{
	while (len > 0) {
		uint32_t chunk =
			(uint32_t)MIN((uint64_t)len, PAGE_SIZE - (gva & 0xfff));
		uint64_t gpa = 0;
		uint32_t pf_err = 0;
		void *hva = NULL;
		enum gmem_rc rc =
			gmem_gva(m, m->cpu->cur, gva, acc, &gpa, &pf_err);

		if (rc == GMEM_PAGE_FAULT) {
			emu_save(m)->cr2 = gva;
			vc_deliver(m, 14, true, pf_err);
			return false;
		}
		if (acc == GACC_EXEC) {
			gpa |= EMU_CBIT; /* fetches are private */
		}
		if (rc == GMEM_OK) {
			rc = gmem_gpa(m, m->cpu->cur, gpa, acc, &hva);
		}
		if (rc != GMEM_OK) {
			gmem_violation(m, rc, gpa, acc,
				       "an access snpemu made for the guest");
		}
		if (write) {
			memcpy(hva, buf, chunk);
		} else {
			memcpy(buf, hva, chunk);
		}
		gva += chunk;
		buf += chunk;
		len -= chunk;
	}
	return true;
}

bool gmem_read(struct machine *m, uint64_t gva, void *dst, uint32_t len,
	       enum gacc acc)
{
	return gmem_copy(m, gva, dst, len, acc, false);
}

bool gmem_write(struct machine *m, uint64_t gva, const void *src, uint32_t len)
{
	return gmem_copy(m, gva, (uint8_t *)(uintptr_t)src, len, GACC_WRITE,
			 true);
}
