// SPDX-License-Identifier: MIT
/*
 * VMPL contexts of the vCPU. The truth about a VMPL that is not running is
 * its VMSA page in guest memory (docs/abi.md §1.4, §8): switching away copies
 * VMCB + GPRs into the VMSA, switching in copies the VMSA (possibly edited
 * by VMPL0 meanwhile, e.g. an SVSM call's result in RAX) into the VMCB.
 *
 * The same holds for the x87/SSE/AVX state: on a switch it is XSAVEd and
 * written to the VMSA's x87/XMM/YMM fields (the layout KVM's
 * sev_es_sync_vmsa() uses: abridged tag word, 10-byte ST registers), and
 * the incoming VMPL's fields are turned back into an XSAVE image for
 * XRSTOR. snpemu itself never touches the FPU (-mgeneral-regs-only).
 */
#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/string.h"

#include "machine.h"
#include "svm.h"

/* Features snpemu implements; anything else in a VMSA is refused. */
#define EMU_SEV_FEATURES_OK                                                    \
	(SEV_FEAT_SNP_ACTIVE | SEV_FEAT_DEBUG_SWAP | SEV_FEAT_RESTRICTED_INJ | \
	 SEV_FEAT_PREVENT_HOST_IBS | SEV_FEAT_BTB_ISOLATION |                  \
	 SEV_FEAT_IBS_VIRT | SEV_FEAT_SMT_PROT | SEV_FEAT_IBPB_ON_ENTRY)

struct snp_vmsa *vmpl_vmsa(struct machine *m, unsigned vmpl)
{
	return emu_hva(m->cpu->ctx[vmpl].vmsa_gpa);
}

/* Standard-format XSAVE area (APM vol. 2 §11.5.2, FXSAVE layout in the
 * first 512 bytes); the AVX component is at 576 (CPUID 0xD.2 EBX). */
#define XS_FCW 0
#define XS_FSW 2
#define XS_FTW 4 /* abridged: one bit per register */
#define XS_FOP 6
#define XS_RIP 8
#define XS_RDP 16
#define XS_MXCSR 24
#define XS_ST 32
#define XS_XMM 160
#define XS_XSTATE_BV 512
#define XS_YMM 576
#define XS_USED 832
#define MXCSR_VALID 0xffffu

/*
 * 8-byte copies: under TCG "rep movsb" costs an iteration per byte, and
 * these run twice per VMPL switch (the world-switch benchmark sees it).
 */
static void copy_q(void *dst, const void *src, size_t n)
{
	uint64_t *d = dst;
	const uint64_t *s = src;

	for (size_t i = 0; i < n / 8; i++) {
		d[i] = s[i];
	}
}

static void zero_q(void *dst, size_t n)
{
	uint64_t *d = dst;

	for (size_t i = 0; i < n / 8; i++) {
		d[i] = 0;
	}
}

static void fpu_to_vmsa(const uint8_t *xs, struct snp_vmsa *v)
{
	uint64_t bv = 0;

	memcpy(&bv, xs + XS_XSTATE_BV, 8);
	memcpy(&v->x87_fcw, xs + XS_FCW, 2);
	memcpy(&v->x87_fsw, xs + XS_FSW, 2);
	v->x87_ftw = xs[XS_FTW];
	memcpy(&v->x87_fop, xs + XS_FOP, 2);
	memcpy(&v->x87_rip, xs + XS_RIP, 8);
	memcpy(&v->x87_dp, xs + XS_RDP, 8);
	memcpy(&v->mxcsr, xs + XS_MXCSR, 4);
	v->x87_cs = 0;
	v->x87_ds = 0;
	for (unsigned i = 0; i < 8; i++) {
		memcpy(v->fpreg_x87 + i * 10, xs + XS_ST + i * 16, 10);
	}
	/* A component in its init state reads as zeros (XSTATE_BV clear). */
	if (bv & 2) {
		copy_q(v->fpreg_xmm, xs + XS_XMM, sizeof(v->fpreg_xmm));
	} else {
		zero_q(v->fpreg_xmm, sizeof(v->fpreg_xmm));
	}
	if (bv & 4) {
		copy_q(v->fpreg_ymm, xs + XS_YMM, sizeof(v->fpreg_ymm));
	} else {
		zero_q(v->fpreg_ymm, sizeof(v->fpreg_ymm));
	}
}

/* The VMSA is guest memory: nothing in it may make XRSTOR fault snpemu. */
static void vmsa_to_fpu(const struct snp_vmsa *v, uint8_t *xs)
{
	uint64_t bv = svm_xcr0_mask() & 7;
	uint32_t mxcsr = v->mxcsr & MXCSR_VALID;

	zero_q(xs, XS_USED);
	memcpy(xs + XS_FCW, &v->x87_fcw, 2);
	memcpy(xs + XS_FSW, &v->x87_fsw, 2);
	xs[XS_FTW] = (uint8_t)v->x87_ftw;
	memcpy(xs + XS_FOP, &v->x87_fop, 2);
	memcpy(xs + XS_RIP, &v->x87_rip, 8);
	memcpy(xs + XS_RDP, &v->x87_dp, 8);
	memcpy(xs + XS_MXCSR, &mxcsr, 4);
	for (unsigned i = 0; i < 8; i++) {
		memcpy(xs + XS_ST + i * 16, v->fpreg_x87 + i * 10, 10);
	}
	copy_q(xs + XS_XMM, v->fpreg_xmm, sizeof(v->fpreg_xmm));
	if (bv & 4) {
		copy_q(xs + XS_YMM, v->fpreg_ymm, sizeof(v->fpreg_ymm));
	}
	memcpy(xs + XS_XSTATE_BV, &bv, 8);
}

/*
 * What VMRUN checks in a VMSA before it runs it (S4, docs/snpemu.md): the
 * page must still be an assigned, validated VMSA page in the RMP, its VMPL
 * byte must name the VMPL it runs at, EFER.SVME must be set and
 * SEV_FEATURES must have SNPActive and nothing snpemu does not implement.
 * The hypervisor cannot read the VMSA, so none of this is checked at AP
 * creation; on hardware a failing check makes VMRUN exit with
 * VMEXIT_INVALID and KVM stops the VM (KVM_EXIT_FAIL_ENTRY).
 * Returns NULL if runnable, else the reason.
 */
static const char *vmsa_unrunnable(struct machine *m, unsigned vmpl)
{
	const struct vmpl_ctx *c = &m->cpu->ctx[vmpl];
	const struct rmp_entry *e = rmp_entry_at(&m->rmp, c->vmsa_gpa);
	uint8_t need = RMP_F_ASSIGNED | RMP_F_VALIDATED | RMP_F_VMSA;
	const struct snp_vmsa *v = NULL;

	if (e == NULL || (e->flags & need) != need) {
		return "the page is not an assigned, validated VMSA page in "
		       "the RMP";
	}
	v = vmpl_vmsa(m, vmpl);
	if (v->vmpl != vmpl) {
		return "its VMPL byte does not match the VMPL it runs at";
	}
	if (!(v->efer & VMSA_EFER_SVME)) {
		return "EFER.SVME is clear";
	}
	if (!(v->sev_features & SEV_FEAT_SNP_ACTIVE) ||
	    (v->sev_features & ~EMU_SEV_FEATURES_OK)) {
		return "SEV_FEATURES lacks SNPActive or asks for an "
		       "unsupported feature";
	}
	return NULL;
}

/*
 * AP creation of VMPL @vmpl's context from the page at @vmsa_gpa, with
 * the SEV features the caller passed in RAX. Like KVM (arch/x86/kvm/svm/
 * sev.c, sev_snp_ap_creation) nothing inside the page is read here: its
 * contents are checked at VMRUN (vmsa_unrunnable). A 2 MiB-aligned page is
 * refused as KVM does (S5: the SNP erratum that a VMSA at a 2 MiB boundary
 * can collide with a 2 MiB RMP check).
 */
int vmpl_create(struct machine *m, struct vcpu *v, unsigned vmpl,
		uint64_t vmsa_gpa)
{
	struct vmpl_ctx *c = NULL;
	uint64_t old = UINT64_MAX;

	if (vmpl >= SNP_VMPL_COUNT || (vmsa_gpa & (PAGE_SIZE - 1)) ||
	    (vmsa_gpa & (EMU_2M - 1)) == 0 ||
	    rmp_entry_at(&m->rmp, vmsa_gpa) == NULL) {
		return -1;
	}
	c = &v->ctx[vmpl];
	if (c->vmcb == NULL) {
		c->vmcb = (struct vmcb *)(uintptr_t)emu_alloc_page();
		c->xsave = (uint8_t *)(uintptr_t)emu_alloc_page();
	}
	if (c->present) {
		old = c->vmsa_gpa;
	}
	npt_init_vmpl(m, vmpl);
	svm_init_vmcb(c->vmcb, vmpl, m->npt[vmpl].root);
	if (m->nr_vcpus > 1) {
		/* A spinning vCPU gives up its slice (machine.c). */
		c->vmcb->c.intercept1 |= VMCB_I1_PAUSE;
	}
	c->xcr0 = 1;
	c->present = true;
	c->vmpl = vmpl;
	c->vmsa_gpa = vmsa_gpa;
	c->ghcb_msr = 0;
	c->ghcb_gfn = UINT64_MAX;
	c->pending_event = 0;
	c->window = false;
	if (v != m->cpu && !v->ctx[v->cur].present) {
		/* A vCPU with nothing to run starts at the VMPL created. */
		v->cur = vmpl;
		v->halted = false;
	}
	if (v->cur == vmpl && old != UINT64_MAX) {
		/* The VMSA in use changes (S6). */
		npt_update(m, old >> PAGE_SHIFT, 1);
	}
	npt_update(m, vmsa_gpa >> PAGE_SHIFT, 1);
	return 0;
}

/*
 * AP_DESTROY: the context is gone. Another vCPU that was running it has
 * nothing left to run at that VMPL and is not scheduled again until a new
 * AP creation (KVM: the vCPU stays in its wait state without a VMSA).
 */
void vmpl_destroy(struct machine *m, struct vcpu *v, unsigned vmpl)
{
	struct vmpl_ctx *c = &v->ctx[vmpl];

	if (vmpl >= SNP_VMPL_COUNT || !c->present ||
	    (v == m->cpu && vmpl == v->cur)) {
		return;
	}
	c->present = false;
	npt_update(m, c->vmsa_gpa >> PAGE_SHIFT, 1);
}

#define COPY_FIELDS(dst, src)                                  \
	do {                                                   \
		(dst)->es = (src)->es;                         \
		(dst)->cs = (src)->cs;                         \
		(dst)->ss = (src)->ss;                         \
		(dst)->ds = (src)->ds;                         \
		(dst)->fs = (src)->fs;                         \
		(dst)->gs = (src)->gs;                         \
		(dst)->gdtr = (src)->gdtr;                     \
		(dst)->ldtr = (src)->ldtr;                     \
		(dst)->idtr = (src)->idtr;                     \
		(dst)->tr = (src)->tr;                         \
		(dst)->cpl = (src)->cpl;                       \
		(dst)->efer = (src)->efer;                     \
		(dst)->cr4 = (src)->cr4;                       \
		(dst)->cr3 = (src)->cr3;                       \
		(dst)->cr0 = (src)->cr0;                       \
		(dst)->dr7 = (src)->dr7;                       \
		(dst)->dr6 = (src)->dr6;                       \
		(dst)->rflags = (src)->rflags;                 \
		(dst)->rip = (src)->rip;                       \
		(dst)->rsp = (src)->rsp;                       \
		(dst)->rax = (src)->rax;                       \
		(dst)->star = (src)->star;                     \
		(dst)->lstar = (src)->lstar;                   \
		(dst)->cstar = (src)->cstar;                   \
		(dst)->sfmask = (src)->sfmask;                 \
		(dst)->kernel_gs_base = (src)->kernel_gs_base; \
		(dst)->sysenter_cs = (src)->sysenter_cs;       \
		(dst)->sysenter_esp = (src)->sysenter_esp;     \
		(dst)->sysenter_eip = (src)->sysenter_eip;     \
		(dst)->cr2 = (src)->cr2;                       \
		(dst)->g_pat = (src)->g_pat;                   \
	} while (0)

/*
 * VMSA fields the CPU loads on every VMRUN of an SEV-SNP guest and writes
 * back on every exit (fidelity row S11), beyond the VMCB save area:
 * VINTR_CTRL (the layout of openvmm x86defs snp.rs
 * SevVirtualInterruptControl: V_TPR 7:0, V_IRQ 8, interrupt shadow 10,
 * V_INTR_PRIO 19:16, V_IGN_TPR 20, V_INTR_VECTOR 39:32), EVENTINJ (the
 * VMCB format), DR0-3 (VMRUN does not switch them: snpemu does), PKRU,
 * IA32_XSS and SPEC_CTRL (the VMSA holds SPEC_CTRL at 0x2E0, Linux
 * arch/x86/include/asm/svm.h struct sev_es_save_area). A value the CPU
 * under snpemu cannot hold stops the VM rather than being dropped.
 */
#define VMSA_SPEC_CTRL 0x2e0
#define MSR_XSS 0xda0u
#define MSR_SPEC_CTRL 0x48u
#define VINTR_TPR 0xffu
#define VINTR_IRQ (UINT64_C(1) << 8)
#define VINTR_SHADOW (UINT64_C(1) << 10)
#define VINTR_PRIO (UINT64_C(0xf) << 16)
#define VINTR_IGN_TPR (UINT64_C(1) << 20)
#define VINTR_VECTOR_SHIFT 32
#define INT_CTL_FROM_VINTR (VINTR_TPR | VINTR_IRQ | VINTR_PRIO | VINTR_IGN_TPR)

static void dr_save(uint64_t dr[4])
{
	__asm__ volatile("mov %%dr0, %0" : "=r"(dr[0]));
	__asm__ volatile("mov %%dr1, %0" : "=r"(dr[1]));
	__asm__ volatile("mov %%dr2, %0" : "=r"(dr[2]));
	__asm__ volatile("mov %%dr3, %0" : "=r"(dr[3]));
}

static void dr_load(const uint64_t dr[4])
{
	__asm__ volatile("mov %0, %%dr0" : : "r"(dr[0]));
	__asm__ volatile("mov %0, %%dr1" : : "r"(dr[1]));
	__asm__ volatile("mov %0, %%dr2" : : "r"(dr[2]));
	__asm__ volatile("mov %0, %%dr3" : : "r"(dr[3]));
}

static void intr_to_vmsa(struct vmpl_ctx *c, struct snp_vmsa *v)
{
	uint32_t ctl = c->vmcb->c.int_ctl;

	if (c->window) {
		/* snpemu's own interrupt window is not guest state. */
		ctl &= ~((uint32_t)VINTR_IRQ | (uint32_t)VINTR_IGN_TPR);
	}
	v->vintr_ctrl = (ctl & INT_CTL_FROM_VINTR) |
			((uint64_t)(c->vmcb->c.int_vector & 0xff)
			 << VINTR_VECTOR_SHIFT) |
			((c->vmcb->c.int_state & 1) ? VINTR_SHADOW : 0);
	v->event_inj = c->pending_event;
	c->pending_event = 0;
	v->pkru = c->pkru;
	v->xss = svm_has_xss() ? rdmsr(MSR_XSS) : 0;
	if (svm_has_spec_ctrl()) {
		uint64_t sc = rdmsr(MSR_SPEC_CTRL);

		memcpy((uint8_t *)v + VMSA_SPEC_CTRL, &sc, 8);
	}
	dr_save(c->dr);
	v->dr0 = c->dr[0];
	v->dr1 = c->dr[1];
	v->dr2 = c->dr[2];
	v->dr3 = c->dr[3];
}

static void msrs_from_vmsa(struct machine *m, struct vmpl_ctx *c,
			   const struct snp_vmsa *v)
{
	struct cpuid_regs d1 = cpuid_count(0xd, 1);
	uint64_t sc = 0, xss_ok = 0;

	memcpy(&sc, (const uint8_t *)v + VMSA_SPEC_CTRL, 8);
	xss_ok = svm_has_xss() ? d1.ecx | ((uint64_t)d1.edx << 32) : 0;
	/* SPEC_CTRL: IBRS, STIBP, SSBD at most. A value the CPU under
	 * snpemu cannot hold (WRMSR would #GP snpemu) stops the VM. */
	if ((v->pkru != 0 && !svm_has_pku()) || (v->xss & ~xss_ok) ||
	    (sc != 0 && !svm_has_spec_ctrl()) || (sc & ~UINT64_C(7))) {
		emu_stop(
			m,
			"VMPL%u VMSA: PKRU 0x%x, XSS 0x%llx, SPEC_CTRL 0x%llx: "
			"the CPU under snpemu cannot hold them",
			c->vmpl, v->pkru, (unsigned long long)v->xss,
			(unsigned long long)sc);
	}
	c->pkru = v->pkru;
	if (svm_has_xss()) {
		wrmsr(MSR_XSS, v->xss);
	}
	if (svm_has_spec_ctrl()) {
		wrmsr(MSR_SPEC_CTRL, sc);
	}
}

static void intr_from_vmsa(struct machine *m, struct vmpl_ctx *c,
			   const struct snp_vmsa *v)
{
	struct vmcb_control *k = &c->vmcb->c;

	k->int_ctl = (k->int_ctl & ~(uint32_t)INT_CTL_FROM_VINTR) |
		     (uint32_t)(v->vintr_ctrl & INT_CTL_FROM_VINTR);
	k->int_vector = (uint32_t)(v->vintr_ctrl >> VINTR_VECTOR_SHIFT) & 0xff;
	k->int_state = (v->vintr_ctrl & VINTR_SHADOW) ? 1 : 0;
	k->intercept1 &= ~VMCB_I1_VINTR;
	c->window = false;
	/* V_TPR is CR8: the APIC's TPR follows (irq.c keeps them equal). */
	apic_set_cr8(&m->cpu->apic[c->vmpl], (uint8_t)(v->vintr_ctrl & 0xf));
	c->cr8 = (uint8_t)(v->vintr_ctrl & 0xf);
	c->pending_event =
		(v->event_inj & (UINT64_C(1) << 31)) ? v->event_inj : 0;
	c->dr[0] = v->dr0;
	c->dr[1] = v->dr1;
	c->dr[2] = v->dr2;
	c->dr[3] = v->dr3;
	dr_load(c->dr);
	msrs_from_vmsa(m, c, v);
}

static void save_to_vmsa(struct machine *m, unsigned vmpl)
{
	struct vmpl_ctx *c = &m->cpu->ctx[vmpl];
	struct snp_vmsa *v = vmpl_vmsa(m, vmpl);
	const struct snp_vmsa *s = vmcb_save(c->vmcb);

	COPY_FIELDS(v, s);
	v->rbx = c->gprs.rbx;
	v->rcx = c->gprs.rcx;
	v->rdx = c->gprs.rdx;
	v->rsi = c->gprs.rsi;
	v->rdi = c->gprs.rdi;
	v->rbp = c->gprs.rbp;
	v->r8 = c->gprs.r8;
	v->r9 = c->gprs.r9;
	v->r10 = c->gprs.r10;
	v->r11 = c->gprs.r11;
	v->r12 = c->gprs.r12;
	v->r13 = c->gprs.r13;
	v->r14 = c->gprs.r14;
	v->r15 = c->gprs.r15;
	/* A VMPL only leaves the CPU through VMGEXIT(RUN_VMPL): that is what
	 * the SVSM checks before treating it as a call (docs/abi.md §1.4 step
	 * 3). */
	v->guest_exit_code = SVM_EXIT_VMGEXIT;
	v->guest_exit_info_1 = 0;
	v->guest_exit_info_2 = 0;
	/* XSAVE saves only what XCR0 enables, and SSE state is live even
	 * with the guest's XCR0 = x87: save everything snpemu supports. */
	c->xcr0 = xgetbv0();
	xsetbv0(svm_xcr0_mask());
	xsave_all(c->xsave);
	fpu_to_vmsa(c->xsave, v);
	v->xcr0 = c->xcr0;
	intr_to_vmsa(c, v);
}

static void load_from_vmsa(struct machine *m, unsigned vmpl)
{
	struct vmpl_ctx *c = &m->cpu->ctx[vmpl];
	const struct snp_vmsa *v = vmpl_vmsa(m, vmpl);
	struct snp_vmsa *s = vmcb_save(c->vmcb);
	uint64_t xcr0 = v->xcr0;

	COPY_FIELDS(s, v);
	/* VMRUN reads SEV_FEATURES from the VMSA each time. Without
	 * DebugSwap, DR7 accesses are intercepted and become #VC (S8; KVM:
	 * sev_es_init_vmcb / sev_es_vcpu_after_set_cpuid). */
	c->sev_features = v->sev_features;
	c->vmcb->c.intercept_dr = (v->sev_features & SEV_FEAT_DEBUG_SWAP)
					  ? 0
					  : VMCB_DR7_READ | VMCB_DR7_WRITE;
	c->gprs.rbx = v->rbx;
	c->gprs.rcx = v->rcx;
	c->gprs.rdx = v->rdx;
	c->gprs.rsi = v->rsi;
	c->gprs.rdi = v->rdi;
	c->gprs.rbp = v->rbp;
	c->gprs.r8 = v->r8;
	c->gprs.r9 = v->r9;
	c->gprs.r10 = v->r10;
	c->gprs.r11 = v->r11;
	c->gprs.r12 = v->r12;
	c->gprs.r13 = v->r13;
	c->gprs.r14 = v->r14;
	c->gprs.r15 = v->r15;
	/* XSETBV would #GP snpemu on a bad value from a guest-written VMSA:
	 * keep x87 always, AVX only with SSE (Intel SDM/APM XCR0 rules). */
	xcr0 &= svm_xcr0_mask();
	xcr0 |= 1;
	if ((xcr0 & 4) && !(xcr0 & 2)) {
		xcr0 &= ~UINT64_C(4);
	}
	c->xcr0 = xcr0;
	xsetbv0(svm_xcr0_mask());
	vmsa_to_fpu(v, c->xsave);
	xrstor_all(c->xsave);
	xsetbv0(c->xcr0);
	intr_from_vmsa(m, c, v);
	vmpl_sync_paging(m, c);
}

void vmpl_sync_paging(const struct machine *m, struct vmpl_ctx *c)
{
	bool pg = (vmcb_save(c->vmcb)->cr0 & CR0_PG) != 0;
	const struct npt_view *n = &m->npt[c->vmpl];

	c->vmcb->c.nested_cr3 = pg ? n->root : n->root_unpaged;
	/* Watch CR0 writes only while paging is off: the switch to paging
	 * changes which root applies (machine.c). */
	c->vmcb->c.intercept_cr = pg ? 0 : (1u << 16);
	c->vmcb->c.tlb_ctl = VMCB_TLB_FLUSH_ALL;
}

/* Stop the VM as a failed VMRUN would (S4). */
static void vmsa_check(struct machine *m, unsigned vmpl)
{
	const char *why = vmsa_unrunnable(m, vmpl);

	if (why != NULL) {
		emu_stop(m,
			 "VMRUN of VMPL%u's VMSA at GPA 0x%llx fails: %s "
			 "(hardware: VMEXIT_INVALID, the VM stops)",
			 vmpl, (unsigned long long)m->cpu->ctx[vmpl].vmsa_gpa,
			 why);
	}
}

bool vmpl_switch(struct machine *m, unsigned target)
{
	unsigned old = m->cpu->cur;

	if (target >= SNP_VMPL_COUNT || !m->cpu->ctx[target].present) {
		return false;
	}
	if (target == m->cpu->cur) {
		return true;
	}
	vmsa_check(m, target);
	save_to_vmsa(m, m->cpu->cur);
	load_from_vmsa(m, target);
	m->cpu->cur = target;
	m->vmpl_switches++;
	if (target != 0 && !m->stats.guest_started) {
		m->stats.guest_started = true;
		stats_milestone(m,
				"first entry into a lower VMPL (the SVSM "
				"has booted and started its guest)");
	}
	/* The VMSA in use changes (S6: npt.c). */
	npt_update(m, m->cpu->ctx[old].vmsa_gpa >> PAGE_SHIFT, 1);
	npt_update(m, m->cpu->ctx[target].vmsa_gpa >> PAGE_SHIFT, 1);
	return true;
}

void vmpl_enter_first(struct machine *m)
{
	if (!m->cpu->ctx[m->cpu->cur].present) {
		emu_stop(m, "VMPL%u has no VMSA", m->cpu->cur);
	}
	vmsa_check(m, m->cpu->cur);
	load_from_vmsa(m, m->cpu->cur);
	npt_update(m, m->cpu->ctx[m->cpu->cur].vmsa_gpa >> PAGE_SHIFT, 1);
}

/*
 * Give snpemu's L1 CPU to vCPU @next: the running vCPU's state goes to its
 * VMSA, as a #VMEXIT of an SNP guest writes it, and @next's is loaded from
 * its own VMSA (which AP creation may have replaced meanwhile). Both VMSAs
 * stay in use (npt.c), so no nested entry changes.
 */
void vmpl_switch_vcpu(struct machine *m, struct vcpu *next)
{
	if (next == m->cpu) {
		return;
	}
	save_to_vmsa(m, m->cpu->cur);
	m->cpu = next;
	vmsa_check(m, next->cur);
	load_from_vmsa(m, next->cur);
	m->vcpu_switches++;
	m->tlb_flush = true; /* the VMCBs of both share their ASIDs */
}

void vmpl_init(struct machine *m)
{
	for (unsigned i = 0; i < EMU_MAX_VCPUS; i++) {
		struct vcpu *cpu = &m->vcpu[i];

		cpu->id = i;
		for (unsigned v = 0; v < SNP_VMPL_COUNT; v++) {
			cpu->ctx[v].vmpl = v;
			cpu->ctx[v].ghcb_gfn = UINT64_MAX;
		}
	}
	m->cpu = &m->vcpu[0];
	if (m->nr_vcpus == 0) {
		m->nr_vcpus = 1;
	}
}
