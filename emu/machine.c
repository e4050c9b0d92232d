// SPDX-License-Identifier: MIT
/*
 * The vCPU loop: VMRUN the current VMPL, then handle its #VMEXIT the way
 * SEV-SNP hardware plus a hypervisor would (docs/architecture.md §2):
 * intercepts an SNP guest would see as #VC become #VC (error code = SVM exit
 * code, GHCB spec §2.1), #UD hides the SNP instructions, VMMCALL with an F3
 * prefix is VMGEXIT, and #NPF is decided against the RMP.
 */
#include "machine.h"

#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/fmt.h"
#include "lib/string.h"

#include "svsm/abi/ghcb.h"

#include "clock.h"
#include "emu.h"
#include "hostile.h"
#include "inject.h"
#include "iommu.h"
#include "irq.h"
#include "svm.h"

#define SVM_EXIT_NOT_VALIDATED 0x404 /* #VC: page not validated */
#define X86_VEC_UD 6
#define X86_VEC_GP 13

struct machine emu_machine;
uint64_t emu_ram_size = EMU_GUEST_RAM_DEFAULT;
static uint64_t pool_next = EMU_POOL_HPA;

uint64_t emu_alloc_page(void)
{
	uint64_t pa = pool_next;

	if (pa >= EMU_POOL_HPA + EMU_POOL_SIZE) {
		emu_stop(&emu_machine, "snpemu page pool exhausted");
	}
	pool_next += PAGE_SIZE;
	memset((void *)(uintptr_t)pa, 0, PAGE_SIZE);
	return pa;
}

uint64_t emu_alloc_pages(uint64_t n)
{
	uint64_t first = emu_alloc_page();

	/* The pool is a bump allocator: the next pages are adjacent. */
	for (uint64_t i = 1; i < n; i++) {
		(void)emu_alloc_page();
	}
	return first;
}

void emu_poweroff(struct machine *m)
{
	con_printf(
		"snpemu: VMPL%u powered off through ACPI (S5: PM1a_CNT "
		"SLP_TYP 0 + SLP_EN)\n",
		m->cpu->cur);
	inject_report();
	hostile_report();
	iommu_report();
	con_printf("snpemu: after %llu exits, %llu VMPL switches\n",
		   (unsigned long long)m->exits,
		   (unsigned long long)m->vmpl_switches);
	stats_milestone(m, "powered off");
	emu_exit(EMU_EXIT_OK);
}

void emu_stop(struct machine *m, const char *fmt, ...)
{
	char buf[320];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	con_printf("snpemu: VM stopped: %s\n", buf);
	inject_report();
	hostile_report();
	iommu_report();
	con_printf("snpemu: after %llu exits, %llu VMPL switches\n",
		   (unsigned long long)m->exits,
		   (unsigned long long)m->vmpl_switches);
	if (m->nr_vcpus > 1) {
		con_printf(
			"snpemu: on vCPU %u of %u, after %llu vCPU "
			"switches\n",
			m->cpu->id, m->nr_vcpus,
			(unsigned long long)m->vcpu_switches);
	}
	/* Last: tests read the lines above as one block. */
	stats_milestone(m, "VM stopped");
	stats_ring_print(m);
	emu_exit(EMU_EXIT_FAIL);
}

static void handle_msr(struct machine *m)
{
	struct vmpl_ctx *c = emu_cur(m);
	struct snp_vmsa *s = emu_save(m);
	uint32_t msr = (uint32_t)c->gprs.rcx;
	bool write = c->vmcb->c.exit_info_1 == 1;
	uint64_t v = 0;

	if (msr == MSR_GHCB) {
		/* Hardware keeps the GHCB MSR per VMSA, without a #VC. */
		if (write) {
			c->ghcb_msr = (uint32_t)s->rax | (c->gprs.rdx << 32);
		} else {
			v = c->ghcb_msr;
		}
	} else if (msr == MSR_SEV_STATUS) {
		if (write) {
			vc_deliver(m, X86_VEC_GP, true, 0);
			return;
		}
		v = emu_sev_status(c);
	} else {
		vc_raise(m, SVM_EXIT_MSR);
		return;
	}
	if (!write) {
		s->rax = (uint32_t)v;
		c->gprs.rdx = v >> 32;
	}
	s->rip += 2; /* RDMSR/WRMSR: 0F 32 / 0F 30 */
}

static void handle_vmmcall(struct machine *m)
{
	static const uint8_t vmgexit[4] = SNP_INSN_VMGEXIT;
	uint8_t b[4];

	/* VMGEXIT is "rep vmmcall": the exit RIP points at the F3 prefix
	 * (docs/architecture.md §4). A plain VMMCALL is an SEV-ES #VC (0x81).
	 */
	if (!insn_fetch(m, b, 1)) {
		return;
	}
	if (b[0] == 0xf3 && insn_fetch(m, b, 4) && memcmp(b, vmgexit, 4) == 0) {
		ghcb_vmgexit(m);
	} else if (b[0] == 0x0f) {
		vc_raise(m, SVM_EXIT_VMMCALL);
	} else {
		vc_deliver(m, X86_VEC_UD, false, 0);
	}
}

static uint64_t *gpr(struct machine *m, unsigned reg)
{
	struct vmpl_ctx *c = emu_cur(m);
	struct snp_vmsa *s = emu_save(m);
	uint64_t *map[16] = {
		&s->rax,      &c->gprs.rcx, &c->gprs.rdx, &c->gprs.rbx,
		&s->rsp,      &c->gprs.rbp, &c->gprs.rsi, &c->gprs.rdi,
		&c->gprs.r8,  &c->gprs.r9,  &c->gprs.r10, &c->gprs.r11,
		&c->gprs.r12, &c->gprs.r13, &c->gprs.r14, &c->gprs.r15,
	};

	return map[reg & 15];
}

/*
 * MOV to CR0 while paging is off (the only time it is intercepted). No
 * decode assists under TCG: decode [REX] 0F 22 /r (mod = 11, reg = 0)
 * here. Setting PG with EFER.LME activates long mode (APM vol. 2 §14.6.1);
 * VMRUN does not derive LMA itself, so snpemu does.
 */
static void handle_cr0_write(struct machine *m)
{
	struct snp_vmsa *s = emu_save(m);
	uint8_t b[4];
	unsigned i = 0, rex = 0;
	uint64_t v = 0;

	if (!insn_fetch(m, b, sizeof(b))) {
		return;
	}
	if ((b[0] & 0xf0) == 0x40) {
		rex = b[0];
		i = 1;
	}
	if (b[i] != 0x0f || b[i + 1] != 0x22 || (b[i + 2] & 0xc0) != 0xc0 ||
	    (b[i + 2] & 0x38) != 0 || (rex & 4)) {
		emu_stop(m,
			 "VMPL%u RIP 0x%llx: CR0 write by an instruction "
			 "snpemu does not decode (%02x %02x %02x %02x)",
			 m->cpu->cur, (unsigned long long)s->rip, b[0], b[1],
			 b[2], b[3]);
	}
	v = *gpr(m, (b[i + 2] & 7u) | ((rex & 1u) << 3));
	if (!(s->efer & EFER_LMA)) {
		v = (uint32_t)v;
	}
	s->cr0 = v;
	if ((v & CR0_PG) && (s->efer & EFER_LME)) {
		s->efer |= EFER_LMA;
	} else if (!(v & CR0_PG)) {
		s->efer &= ~EFER_LMA;
	}
	s->rip += i + 3;
	vmpl_sync_paging(m, emu_cur(m));
}

static void handle_npf(struct machine *m, unsigned *stale)
{
	struct vmcb *v = emu_cur(m)->vmcb;
	uint64_t err = v->c.exit_info_1, gpa = v->c.exit_info_2;
	enum gacc acc = (err & NPF_ID)  ? GACC_EXEC
			: (err & NPF_W) ? GACC_WRITE
					: GACC_READ;
	void *hva = NULL;
	enum gmem_rc rc = 0;

	if (inject_npf(m, gpa)) {
		return;
	}
	if (!emu_paging(m)) {
		gpa |= EMU_CBIT; /* paging off: private */
	} else if (!(gpa & EMU_CBIT) &&
		   ((err & NPF_WALK) || acc == GACC_EXEC)) {
		/*
		 * A walk or a fetch through a C-bit-less GPA: private on SNP.
		 * If the private page allows it, alias it until the next exit
		 * that is not an #NPF (npt.c, npt_alias_private).
		 */
		if (gmem_gpa(m, m->cpu->cur, gpa | EMU_CBIT, acc, &hva) ==
			    GMEM_OK &&
		    npt_alias_private(m, gpa >> PAGE_SHIFT)) {
			return;
		}
		gpa |= EMU_CBIT;
	}
	if (npt_fault_fixup(m, gpa, acc)) {
		return;
	}
	rc = gmem_gpa(m, m->cpu->cur, gpa, acc, &hva);
	switch (rc) {
	case GMEM_OK:
		/* Allowed now: a stale translation. Refresh, flush, retry. */
		if (++*stale > 4) {
			emu_stop(m,
				 "VMPL%u: repeated #NPF at GPA 0x%llx (error "
				 "code 0x%llx, RIP 0x%llx, exit GPA 0x%llx)",
				 m->cpu->cur, (unsigned long long)gpa,
				 (unsigned long long)err,
				 (unsigned long long)emu_save(m)->rip,
				 (unsigned long long)v->c.exit_info_2);
		}
		npt_update(m, (gpa & ~EMU_CBIT) >> PAGE_SHIFT, 1);
		return;
	case GMEM_NOT_VALIDATED: {
		/* #VC 0x404 with the GVA in CR2 (APM vol. 2 §15.36.9). The
		 * exact GVA is not known after #NPF: a GVA that maps the same
		 * page is reported (see gmem_reverse). */
		uint64_t gva = 0;

		if (gmem_reverse(m, gpa, &gva)) {
			emu_save(m)->cr2 = gva + (gpa & (PAGE_SIZE - 1));
		}
		vc_raise(m, SVM_EXIT_NOT_VALIDATED);
		return;
	}
	case GMEM_MMIO:
		if (acc != GACC_EXEC && !(err & NPF_WALK)) {
			/* Emulated MMIO: #VC with the NPF exit code. */
			vc_raise(m, SVM_EXIT_NPF);
			return;
		}
		break;
	case GMEM_FORBIDDEN:
	case GMEM_VMSA_IN_USE:
	case GMEM_PAGE_FAULT:
	case GMEM_UNSUPPORTED:
		break;
	}
	gmem_violation(m, rc, gpa, acc,
		       (err & NPF_WALK) ? "a guest page-table walk"
					: "a guest access");
}

static void handle_exit(struct machine *m, unsigned *stale)
{
	struct vmcb *v = emu_cur(m)->vmcb;
	uint64_t code = v->c.exit_code;

	if (code != VMEXIT_NPF) {
		*stale = 0;
		npt_alias_drop(m);
	}
	switch (code) {
	case VMEXIT_UD:
		insn_ud(m);
		break;
	case VMEXIT_CR0_WRITE:
		handle_cr0_write(m);
		break;
	case VMEXIT_CPUID:
		vc_raise(m, SVM_EXIT_CPUID);
		break;
	case VMEXIT_IOIO:
		vc_raise(m, SVM_EXIT_IOIO);
		break;
	case VMEXIT_MSR:
		handle_msr(m);
		break;
	case VMEXIT_VMMCALL:
		handle_vmmcall(m);
		break;
	case VMEXIT_NPF:
		handle_npf(m, stale);
		break;
	case VMEXIT_WBINVD: {
		/* QEMU 7.2's TCG reports INVD (0F 08) with the WBINVD exit
		 * code too (measured: fidelity/s8_vc_sources): tell them
		 * apart by the opcode. */
		uint8_t b[2];

		if (!insn_fetch(m, b, sizeof(b))) {
			break;
		}
		vc_raise(m, b[0] == 0x0f && b[1] == 0x08 ? VMEXIT_INVD : code);
		break;
	}
	case VMEXIT_DR7_READ:
	case VMEXIT_DR7_WRITE:
	case VMEXIT_RDPMC:
	case VMEXIT_INVD:
	case VMEXIT_MONITOR:
	case VMEXIT_MWAIT:
		/* S8: #VC with the exit code, as on SNP hardware. */
		vc_raise(m, code);
		break;
	case VMEXIT_INTR:
		/* snpemu's own timer: a deadline is due (irq.c). */
		irq_host_interrupt();
		m->host_deadline = 0;
		break;
	case VMEXIT_VINTR:
		/* The guest opened its interrupt window: injected at entry. */
		break;
	case VMEXIT_HLT:
		irq_hlt(m);
		break;
	case VMEXIT_PAUSE: {
		/*
		 * Only intercepted with several vCPUs: a spin-wait loop (a
		 * lock, an SVSM AP waiting for work) yields the rest of its
		 * slice, as KVM's pause-loop exiting yields to another vCPU
		 * (kvm_vcpu_on_spin). TCG has no pause filter count and the
		 * exit comes before the instruction: it is skipped here, which
		 * the guest cannot tell from a PAUSE that ran.
		 */
		uint8_t b[2];

		if (!insn_fetch(m, b, sizeof(b))) {
			break;
		}
		if (b[0] != 0xf3 || b[1] != 0x90) {
			emu_stop(m, "VMPL%u: PAUSE exit at %02x %02x",
				 m->cpu->cur, b[0], b[1]);
		}
		emu_save(m)->rip += 2;
		m->slice_end = 0;
		break;
	}
	case VMEXIT_SHUTDOWN:
		emu_stop(m, "VMPL%u RIP 0x%llx: shutdown (triple fault)",
			 m->cpu->cur, (unsigned long long)emu_save(m)->rip);
	case VMEXIT_INVALID:
		emu_stop(m,
			 "VMPL%u: VMRUN refused the state from its VMSA "
			 "(VMEXIT_INVALID)",
			 m->cpu->cur);
	default:
		if (code >= VMEXIT_VMRUN && code <= VMEXIT_SKINIT) {
			/* SVM instructions do not exist for an SNP guest. */
			vc_deliver(m, X86_VEC_UD, false, 0);
			break;
		}
		emu_stop(m,
			 "VMPL%u RIP 0x%llx: unexpected #VMEXIT 0x%llx "
			 "(info1 0x%llx, info2 0x%llx)",
			 m->cpu->cur, (unsigned long long)emu_save(m)->rip,
			 (unsigned long long)code,
			 (unsigned long long)v->c.exit_info_1,
			 (unsigned long long)v->c.exit_info_2);
	}
}

/*
 * The scheduler. Guest vCPUs take turns on snpemu's one L1 CPU: a vCPU
 * runs until it halts, loses its context (AP destruction) or its time
 * slice ends (snpemu's own timer interrupts it, at any VMPL: a hypervisor
 * may preempt a vCPU anywhere, also inside the SVSM). Round robin; with
 * nothing to run, snpemu idles until a timer or device line wakes a
 * halted vCPU. With one vCPU this is the old loop: no time slices.
 */
#define SLICE_NS UINT64_C(2000000)

static bool runnable(const struct vcpu *cpu)
{
	return cpu->ctx[cpu->cur].present && !cpu->halted && !cpu->parked;
}

static struct vcpu *pick(struct machine *m)
{
	for (unsigned k = 1; k <= m->nr_vcpus; k++) {
		struct vcpu *cpu = &m->vcpu[(m->cpu->id + k) % m->nr_vcpus];

		if (cpu->halted && irq_vcpu_wakes(m, cpu)) {
			cpu->halted = false;
		}
		if (runnable(cpu)) {
			return cpu;
		}
	}
	return NULL;
}

static void schedule(struct machine *m)
{
	uint64_t now = rdtsc();
	struct vcpu *next = NULL;

	if (runnable(m->cpu) && (m->nr_vcpus == 1 || now < m->slice_end)) {
		return;
	}
	for (;;) {
		irq_poll(m);
		next = pick(m);
		if (next != NULL) {
			break;
		}
		irq_idle(m);
	}
	vmpl_switch_vcpu(m, next);
	m->slice_end = m->nr_vcpus == 1 ? UINT64_MAX
					: rdtsc() + clock_ns_to_tsc(SLICE_NS);
}

static void record_exit(struct vcpu *v, const struct vmpl_ctx *c, uint64_t tsc,
			uint32_t inj)
{
	const struct vmcb *k = c->vmcb;
	struct stats_exit e = {
		.tsc = tsc,
		.code = k->c.exit_code,
		.info1 = k->c.exit_info_1,
		.info2 = k->c.exit_info_2,
		.rip = vmcb_save((struct vmcb *)(uintptr_t)k)->rip,
		.intinfo = k->c.exit_int_info |
			   ((uint64_t)k->c.exit_int_info_err << 32),
		.inj = inj,
		.vmpl = (uint8_t)c->vmpl,
	};

	stats_ring_add(&v->ring, &e);
}

void emu_run(struct machine *m)
{
	unsigned stale = 0;

	vmpl_enter_first(m);
	m->tsc_start = rdtsc();
	m->slice_end = m->nr_vcpus == 1
			       ? UINT64_MAX
			       : m->tsc_start + clock_ns_to_tsc(SLICE_NS);
	for (;;) {
		struct vmpl_ctx *c = NULL;
		uint64_t t0 = 0, code = 0;
		uint32_t inj = 0;
		unsigned vmpl = 0;

		schedule(m);
		c = emu_cur(m);
		irq_before_vmrun(m);
		c = emu_cur(m); /* a delivery may have stopped or switched */
		if (m->tlb_flush) {
			c->vmcb->c.tlb_ctl = VMCB_TLB_FLUSH_ALL;
			m->tlb_flush = false;
		}
		if (svm_has_pku()) {
			wrpkru(c->pkru);
		}
		inj = c->vmcb->c.event_inj;
		svm_vmrun((uint64_t)(uintptr_t)c->vmcb, &c->gprs,
			  m->host_save_pa);
		t0 = rdtsc();
		if (svm_has_pku()) {
			/* VMRUN leaves PKRU alone: keep the guest's, and
			 * give snpemu's own accesses key 0 rights back. */
			c->pkru = rdpkru();
			wrpkru(0);
		}
		record_exit(m->cpu, c, t0, inj);
		c->vmcb->c.tlb_ctl = 0;
		irq_after_vmrun(m);
		m->exits++;
		m->cpu->exits++;
		code = c->vmcb->c.exit_code;
		vmpl = m->cpu->cur;
		handle_exit(m, &stale);
		t0 = rdtsc() - t0;
		m->tsc_l1 += t0;
		stats_count(&m->stats.exits, code, vmpl, t0);
		if (m->stats.vmgexit) {
			stats_count(&m->stats.nae, m->stats.vmgexit_code, vmpl,
				    t0);
			m->stats.vmgexit = false;
		}
	}
}
