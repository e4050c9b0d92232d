// SPDX-License-Identifier: MIT
/*
 * PVALIDATE, RMPADJUST and RMPQUERY, emulated on the #UD that TCG raises
 * for them (docs/architecture.md §2; encodings docs/abi.md §7; rules in rmp.c).
 *
 * Faults where hardware faults (AMD APM vol. 3): #GP(0) at CPL > 0 and
 * PVALIDATE above VMPL0; #PF when the guest's own page tables do not map
 * the address in RAX. A shared (C-bit clear) translation is FAIL_INPUT
 * (model: the instructions act on private pages only).
 *
 * RMPQUERY's register interface is modelled on RMPADJUST's (model, not
 * verified against the APM): in RAX = GVA, RDX[7:0] = target VMPL; out
 * EAX = return code, RDX[15:8] = that VMPL's permissions, RDX[16] = VMSA,
 * RCX = page size.
 */
#include "lib/string.h"

#include "svsm/abi/snp.h"
#include "svsm/abi/vmsa.h"

#include "machine.h"

#define RFLAGS_CF UINT64_C(1)
#define X86_VEC_UD 6
#define X86_VEC_GP 13
#define X86_VEC_PF 14

/*
 * The instruction at CS:RIP. Outside 64-bit mode that is CS.base + EIP:
 * Linux starts an AP in real mode with CS.base at its trampoline page and
 * RIP the offset in it (arch/x86/coco/sev/core.c, wakeup_cpu_via_vmgexit),
 * and its first MOV to CR0 is decoded here.
 */
bool insn_fetch(struct machine *m, uint8_t *buf, uint32_t len)
{
	const struct snp_vmsa *s = emu_save(m);
	uint64_t at = s->rip;

	if (!(s->efer & EFER_LMA) || !(s->cs.attrib & VMSA_SEG_L)) {
		at = (uint32_t)(s->cs.base + s->rip);
	}
	return gmem_read(m, at, buf, len, GACC_EXEC);
}

/* RAX's GVA -> private GPA without the C-bit; false after a fault. */
static bool insn_gpa(struct machine *m, uint64_t gva, uint64_t *gpa,
		     bool *shared)
{
	uint32_t pf_err = 0;
	enum gmem_rc rc =
		gmem_gva(m, m->cpu->cur, gva, GACC_READ, gpa, &pf_err);

	if (rc == GMEM_PAGE_FAULT) {
		emu_save(m)->cr2 = gva;
		vc_deliver(m, X86_VEC_PF, true, pf_err);
		return false;
	}
	if (rc != GMEM_OK) {
		gmem_violation(m, rc, *gpa, GACC_READ, "a page-table walk");
	}
	*shared = !(*gpa & EMU_CBIT);
	*gpa &= ~EMU_CBIT;
	return true;
}

static void finish(struct machine *m, int rc, bool cf)
{
	struct snp_vmsa *s = emu_save(m);

	s->rax = (uint32_t)rc;
	s->rflags = (s->rflags & ~RFLAGS_CF) | (cf ? RFLAGS_CF : 0);
	s->rip += 4;
}

/*
 * L4: a 4 KiB PVALIDATE or RMPADJUST that meets a 2 MiB RMP entry takes an
 * RMP #NPF with SIZEM on hardware; KVM then PSMASHes the entry and the
 * retried instruction succeeds (KVM: arch/x86/kvm/svm/sev.c,
 * sev_handle_rmp_fault). Returns true if the entry was split.
 */
static bool implicit_psmash(struct machine *m, int rc, uint64_t size,
			    uint64_t gpa)
{
	struct rmp_change chg = {0};

	if (rc != SNP_RC_FAIL_SIZEMISMATCH || size != SNP_PAGE_SIZE_4K ||
	    rmp_psmash(&m->rmp, gpa, &chg) != RMP_PSC_OK) {
		return false;
	}
	npt_apply(m, &chg);
	return true;
}

static void do_pvalidate(struct machine *m)
{
	struct snp_vmsa *s = emu_save(m);
	struct vmpl_ctx *c = emu_cur(m);
	struct rmp_change chg = {0};
	uint64_t gpa = 0;
	bool shared = false, cf = false;
	int rc = 0;

	if (s->cpl != 0 || m->cpu->cur != 0) {
		vc_deliver(m, X86_VEC_GP, true, 0);
		return;
	}
	if (!insn_gpa(m, s->rax, &gpa, &shared)) {
		return;
	}
	if (shared) {
		finish(m, SNP_RC_FAIL_INPUT, false);
		return;
	}
	rc = rmp_pvalidate(&m->rmp, m->cpu->cur, gpa, (uint32_t)c->gprs.rcx,
			   (uint32_t)c->gprs.rdx, &cf, &chg);
	if (implicit_psmash(m, rc, (uint32_t)c->gprs.rcx, gpa)) {
		rc = rmp_pvalidate(&m->rmp, m->cpu->cur, gpa, SNP_PAGE_SIZE_4K,
				   (uint32_t)c->gprs.rdx, &cf, &chg);
	}
	if (rc == RMP_FAULT_GP) {
		vc_deliver(m, X86_VEC_GP, true, 0);
		return;
	}
	npt_apply(m, &chg);
	finish(m, rc, cf);
}

static void do_rmpadjust(struct machine *m)
{
	struct snp_vmsa *s = emu_save(m);
	struct vmpl_ctx *c = emu_cur(m);
	struct rmp_change chg = {0};
	uint64_t gpa = 0;
	bool shared = false;
	int rc = 0;

	if (s->cpl != 0) {
		vc_deliver(m, X86_VEC_GP, true, 0);
		return;
	}
	if (!insn_gpa(m, s->rax, &gpa, &shared)) {
		return;
	}
	if (shared) {
		finish(m, SNP_RC_FAIL_INPUT, false);
		return;
	}
	rc = rmp_adjust(&m->rmp, m->cpu->cur, gpa, c->gprs.rcx, c->gprs.rdx,
			&chg);
	if (implicit_psmash(m, rc, c->gprs.rcx, gpa)) {
		rc = rmp_adjust(&m->rmp, m->cpu->cur, gpa, SNP_PAGE_SIZE_4K,
				c->gprs.rdx, &chg);
	}
	/* Revoked permissions stay cached until a flush (S2, tlb.c). */
	tlb_rmp_adjust(m, &chg);
	finish(m, rc, false);
}

static void do_rmpquery(struct machine *m)
{
	struct snp_vmsa *s = emu_save(m);
	struct vmpl_ctx *c = emu_cur(m);
	struct rmp_query_out q;
	uint64_t gpa = 0;
	bool shared = false;
	int rc = 0;

	if (s->cpl != 0) {
		vc_deliver(m, X86_VEC_GP, true, 0);
		return;
	}
	if (!insn_gpa(m, s->rax, &gpa, &shared)) {
		return;
	}
	if (shared) {
		finish(m, SNP_RC_FAIL_INPUT, false);
		return;
	}
	rc = rmp_query(&m->rmp, m->cpu->cur, gpa, c->gprs.rdx & 0xff, &q);
	if (rc == SNP_RC_SUCCESS) {
		c->gprs.rdx = (c->gprs.rdx & 0xff) | ((uint64_t)q.perm << 8) |
			      (q.vmsa ? RMPADJ_VMSA : 0);
		c->gprs.rcx = q.page_size;
	}
	finish(m, rc, false);
}

void insn_ud(struct machine *m)
{
	static const uint8_t pvalidate[4] = SNP_INSN_PVALIDATE;
	static const uint8_t rmpadjust[4] = SNP_INSN_RMPADJUST;
	static const uint8_t rmpquery[4] = SNP_INSN_RMPQUERY;
	uint8_t b[4];

	if (!insn_fetch(m, b, sizeof(b))) {
		return;
	}
	if (tlb_insn(m, b)) {
		return;
	}
	if (memcmp(b, pvalidate, 4) == 0) {
		do_pvalidate(m);
	} else if (memcmp(b, rmpadjust, 4) == 0) {
		do_rmpadjust(m);
	} else if (memcmp(b, rmpquery, 4) == 0) {
		do_rmpquery(m);
	} else {
		vc_deliver(m, X86_VEC_UD, false, 0);
	}
}
