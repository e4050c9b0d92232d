// SPDX-License-Identifier: MIT
/*
 * Cached RMP permission results (S2, docs/snpemu.md).
 *
 * SNP hardware caches the outcome of the RMP and VMPL permission check in
 * the TLB with the translation; RMPADJUST does not flush it. Software that
 * revokes access must flush every CPU's TLB, global translations included:
 * INVLPGB with "include global" followed by TLBSYNC (coconut-svsm does
 * exactly this after RMPADJUST, kernel/src/cpu/tlb.rs
 * flush_tlb_global_sync). snpemu models the cache where the permission
 * lives, in the nested table: when an RMPADJUST takes a permission away,
 * each VMPL's nested PTE keeps the old, wider permission and is marked
 * stale; only a completed INVLPGB(global) + TLBSYNC brings it in line with
 * the RMP. Everything weaker is ignored on purpose, so a missing or too
 * weak flush shows: a local CR3 reload or INVLPG (one CPU, and global
 * entries survive), an INVLPGB without the global bit, an INVLPGB never
 * completed by TLBSYNC, a VMPL switch (snpemu does not assume the
 * hypervisor flushes there; stricter than some hosts).
 *
 * Grants take effect at once (a TLB caches no failures), and so do
 * changes by the hypervisor (page-state changes: it flushes after
 * RMPUPDATE) and PVALIDATE (its validated bit is rechecked; model). QEMU's
 * TCG lacks INVLPGB and TLBSYNC: they arrive here as #UD.
 */
#include "lib/pt.h"
#include "lib/string.h"

#include "machine.h"

#define X86_VEC_GP 13
#define INVLPGB_VA (UINT64_C(1) << 0)
#define INVLPGB_GLOBAL (UINT64_C(1) << 3)
#define INVLPGB_2M_STRIDE (UINT32_C(1) << 31)
#define STALE_WORDS ((EMU_GUEST_PAGES + 63) / 64)
#define STALE_PAGES ((STALE_WORDS * 8 + PAGE_SIZE - 1) / PAGE_SIZE)

void tlb_init_vmpl(struct machine *m, unsigned vmpl)
{
	struct npt_view *n = &m->npt[vmpl];

	if (n->stale != NULL) {
		return;
	}
	n->stale = (uint64_t *)(uintptr_t)emu_alloc_pages(STALE_PAGES);
}

void tlb_forget(struct npt_view *n, uint64_t gfn)
{
	if (n->stale != NULL) {
		n->stale[gfn / 64] &= ~(UINT64_C(1) << (gfn % 64));
	}
}

/* Does @new take away anything @old allows? */
static bool revokes(uint64_t old, uint64_t new)
{
	if (!(old & PTE_P)) {
		return false;
	}
	return !(new &PTE_P) || ((old & PTE_W) && !(new &PTE_W)) ||
	       (!(old & PTE_NX) && (new &PTE_NX)) ||
	       (old & PTE_ADDR_MASK) != (new &PTE_ADDR_MASK);
}

void tlb_rmp_adjust(struct machine *m, const struct rmp_change *chg)
{
	if (chg->count == 0 || chg->gfn >= EMU_GUEST_PAGES ||
	    chg->count > EMU_GUEST_PAGES - chg->gfn) {
		return;
	}
	for (unsigned v = 0; v < SNP_VMPL_COUNT; v++) {
		struct npt_view *n = &m->npt[v];

		if (n->root == 0) {
			continue;
		}
		for (uint64_t g = chg->gfn; g < chg->gfn + chg->count; g++) {
			uint64_t pte = npt_private_pte(m, v, g);

			if (revokes(n->private_pte[g], pte)) {
				n->stale[g / 64] |= UINT64_C(1) << (g % 64);
			} else {
				n->private_pte[g] = pte;
				tlb_forget(n, g);
			}
		}
	}
	m->tlb_flush = true;
}

/* Bring the stale PTEs of [gfn, gfn + count) in line with the RMP. */
static void flush_range(struct machine *m, uint64_t gfn, uint64_t count)
{
	if (gfn >= EMU_GUEST_PAGES) {
		return;
	}
	count = MIN(count, EMU_GUEST_PAGES - gfn);
	for (unsigned v = 0; v < SNP_VMPL_COUNT; v++) {
		struct npt_view *n = &m->npt[v];

		if (n->stale == NULL) {
			continue;
		}
		for (uint64_t g = gfn; g < gfn + count; g++) {
			/* A whole flush (INVLPGB without a VA, issued after
			 * every revocation) walks 64 pages per word: most
			 * words have nothing stale. */
			if (g % 64 == 0 && n->stale[g / 64] == 0) {
				g += 63;
				continue;
			}
			if (n->stale[g / 64] & (UINT64_C(1) << (g % 64))) {
				n->private_pte[g] = npt_private_pte(m, v, g);
				tlb_forget(n, g);
			}
		}
	}
	m->tlb_flush = true;
}

/* Queue [gfn, gfn + count) for the next TLBSYNC; too many: everything. */
static void queue(struct machine *m, uint64_t gfn, uint64_t count)
{
	if (m->cpu->inv_n == ARRAY_SIZE(m->cpu->inv_gfn)) {
		m->cpu->inv_all = true;
		return;
	}
	m->cpu->inv_gfn[m->cpu->inv_n] = gfn;
	m->cpu->inv_count[m->cpu->inv_n] = count;
	m->cpu->inv_n++;
}

/*
 * INVLPGB: RAX[0] VA valid, RAX[3] include global, RAX[63:12] VA; ECX[15:0]
 * extra pages, ECX[31] 2 MiB stride (APM vol. 3 INVLPGB). A VA range is
 * turned into guest-physical pages through the issuing VMPL's page tables
 * (model: another VMPL may map them elsewhere; the GPA is what snpemu
 * caches by).
 */
static void invlpgb(struct machine *m)
{
	struct vmpl_ctx *c = emu_cur(m);
	uint64_t rax = emu_save(m)->rax;
	uint32_t ecx = (uint32_t)c->gprs.rcx;
	uint64_t step = (ecx & INVLPGB_2M_STRIDE) ? EMU_2M : PAGE_SIZE;

	if (!(rax & INVLPGB_GLOBAL)) {
		return; /* global translations survive it */
	}
	if (!(rax & INVLPGB_VA)) {
		m->cpu->inv_all = true;
		return;
	}
	for (uint32_t i = 0; i <= (ecx & 0xffff) && !m->cpu->inv_all; i++) {
		uint64_t gva = (rax & PAGE_MASK) + i * step, gpa = 0;
		uint32_t pf = 0;

		if (gmem_gva(m, m->cpu->cur, gva, GACC_READ, &gpa, &pf) ==
		    GMEM_OK) {
			queue(m, (gpa & ~EMU_CBIT) >> PAGE_SHIFT,
			      step >> PAGE_SHIFT);
		}
	}
}

static void tlbsync(struct machine *m)
{
	if (m->cpu->inv_all) {
		flush_range(m, 0, EMU_GUEST_PAGES);
	}
	for (unsigned i = 0; i < m->cpu->inv_n && !m->cpu->inv_all; i++) {
		flush_range(m, m->cpu->inv_gfn[i], m->cpu->inv_count[i]);
	}
	m->cpu->inv_all = false;
	m->cpu->inv_n = 0;
}

bool tlb_insn(struct machine *m, const uint8_t b[4])
{
	struct snp_vmsa *s = emu_save(m);

	if (b[0] != 0x0f || b[1] != 0x01 || (b[2] != 0xfe && b[2] != 0xff)) {
		return false;
	}
	if (s->cpl != 0) {
		vc_deliver(m, X86_VEC_GP, true, 0);
		return true;
	}
	if (b[2] == 0xfe) {
		invlpgb(m);
	} else {
		tlbsync(m);
	}
	s->rip += 3;
	return true;
}
