// SPDX-License-Identifier: MIT
/*
 * #VC handler: the error code is the exit code the instruction would have
 * caused (APM vol. 2 §15.35.5). CPUID is answered from the CPUID page
 * (never from the hypervisor: docs/abi.md §2.3), IN/OUT and RDMSR/WRMSR go
 * through the GHCB, and a fault on an unvalidated page inside a guarded
 * copy makes that copy fail.
 *
 * Without Restricted Injection the host can inject a #VC with any error
 * code at any instruction (the WeSee attack; docs/threat-model.md, "Injected
 * events"), and on a host that offers Restricted Injection it is still our only
 * defence when the image does not ask for it. So every #VC is checked before it
 * changes anything:
 *
 * - the instruction at RIP (SVSM text only, 64-bit CS) must be the one the
 *   exit code names: 0F A2 for CPUID, an IN/OUT form for IOIO, 0F 32/0F 30
 *   for MSR, a guarded-copy instruction for "page not validated";
 * - an MSR that hardware keeps itself (GHCB, SEV_STATUS) or swaps with the
 *   VMSA (EFER, segment bases, SYSCALL MSRs) is never handed to the host:
 *   a #VC for one is injected, or an intercept the host must not have;
 * - a #VC while another is being handled is nested: the per-CPU flag says
 *   so, and IST_VC points at a second stack meanwhile, so the nested frame
 *   lands there and not on the outer one. A nested #VC that arrives before
 *   the flag is set has a RIP inside the entry path, which holds none of
 *   the instructions above, so the instruction check refuses it.
 *
 * A refused #VC ends the VM (termination set 3, code SVSM_TERM_VC_REFUSED)
 * with one console line when the console is usable: registers or memory
 * the interrupted code was using are never touched.
 */
#include "sev/vc.h"

#include "arch/cpu.h"
#include "arch/desc.h"

#include "lib/console.h"
#include "lib/extable.h"
#include "lib/panic.h"

#include "percpu.h"
#include "sev/cpuid_page.h"
#include "sev/ghcb.h"

/* #VC error code for an access to a page that is not validated. */
#define SVM_EXIT_PAGE_NOT_VALIDATED 0x404
#define CPUID_1_ECX_OSXSAVE (1u << 27)

extern const struct extable_entry __start_ex_table[];
extern const struct extable_entry __stop_ex_table[];
extern const uint8_t __text_start[];
extern const uint8_t __text_end[];

static const struct snp_cpuid_page *vc_cpuid_page;

static __noreturn void vc_refuse(const struct cpu_regs *regs, const char *why)
{
	panic_enter();
	/* The console is port I/O through the GHCB: if the #VC interrupted
	 * an exchange, the page is not ours to reuse. */
	if (this_cpu()->ghcb_busy == 0) {
		con_printf_nolock(
			"\nSVSM: refused #VC (exit code 0x%llx) at "
			"RIP %llx: %s; terminating\n",
			(unsigned long long)regs->error_code,
			(unsigned long long)regs->rip, why);
	}
	ghcb_terminate(SVSM_TERM_SET, SVSM_TERM_VC_REFUSED);
}

/*
 * The @n instruction bytes at RIP. They must lie in the SVSM's text and
 * the frame must come from 64-bit SVSM code: nothing else runs at VMPL0.
 */
static void insn_at_rip(const struct cpu_regs *regs, uint8_t *b, uint32_t n)
{
	uint64_t lo = (uint64_t)(uintptr_t)__text_start;
	uint64_t hi = (uint64_t)(uintptr_t)__text_end;

	if (regs->cs != GDT_SEL_CODE64 || regs->rip < lo || regs->rip >= hi ||
	    hi - regs->rip < n) {
		vc_refuse(regs, "RIP is not in the SVSM's 64-bit code");
	}
	for (uint32_t i = 0; i < n; i++) {
		b[i] = ((const volatile uint8_t *)(uintptr_t)regs->rip)[i];
	}
}

static uint64_t read_xcr0(void)
{
	uint32_t lo = 0;
	uint32_t hi = 0;

	if ((read_cr4() & X86_CR4_OSXSAVE) == 0) {
		return 1;
	}
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

static void vc_cpuid(struct cpu_regs *regs)
{
	struct snp_cpuid_result r;
	uint32_t leaf = (uint32_t)regs->rax;
	uint32_t subleaf = (uint32_t)regs->rcx;
	uint8_t b[2];

	insn_at_rip(regs, b, sizeof(b));
	if (b[0] != 0x0f || b[1] != 0xa2) {
		vc_refuse(regs, "exit code CPUID, but no CPUID at RIP");
	}
	(void)snp_cpuid_lookup(vc_cpuid_page, leaf, subleaf, read_xcr0(), 0,
			       &r);
	/* OSXSAVE mirrors CR4, which the table cannot know. */
	if (leaf == 1) {
		r.ecx &= ~CPUID_1_ECX_OSXSAVE;
		if (read_cr4() & X86_CR4_OSXSAVE) {
			r.ecx |= CPUID_1_ECX_OSXSAVE;
		}
	}
	regs->rax = r.eax;
	regs->rbx = r.ebx;
	regs->rcx = r.ecx;
	regs->rdx = r.edx;
	regs->rip += 2;
}

static uint64_t merge(uint64_t old, uint32_t val, uint32_t size)
{
	if (size == 1) {
		return (old & ~UINT64_C(0xff)) | (val & 0xff);
	}
	if (size == 2) {
		return (old & ~UINT64_C(0xffff)) | (val & 0xffff);
	}
	return val; /* 32-bit writes zero-extend */
}

/* Decode the SVSM's own IN/OUT (not string forms: the SVSM never uses
 * them). */
static void vc_ioio(struct cpu_regs *regs)
{
	uint8_t b[3];
	uint32_t len = 1;
	uint32_t size = 4;
	uint16_t port = (uint16_t)regs->rdx;
	uint8_t op = 0;
	bool in = false;

	insn_at_rip(regs, b, 1);
	if (b[0] == 0x66) {
		size = 2;
		len++;
	}
	insn_at_rip(regs, b, len);
	op = b[len - 1];
	switch (op) {
	case 0xe4: /* in al/ax/eax, imm8 */
	case 0xe5:
	case 0xe6: /* out imm8, al/ax/eax */
	case 0xe7:
		insn_at_rip(regs, b, len + 1);
		port = b[len];
		len++;
		break;
	case 0xec: /* in al/ax/eax, dx */
	case 0xed:
	case 0xee: /* out dx, al/ax/eax */
	case 0xef:
		break;
	default:
		vc_refuse(regs, "exit code IOIO, but no IN/OUT at RIP");
	}
	if ((op & 1) == 0) {
		size = 1;
	}
	in = op == 0xe4 || op == 0xe5 || op == 0xec || op == 0xed;
	if (in) {
		regs->rax = merge(regs->rax, ghcb_io_in(port, size), size);
	} else {
		ghcb_io_out(port, size, (uint32_t)regs->rax);
	}
	regs->rip += len;
}

/*
 * MSRs SNP hardware handles without a #VC (the GHCB MSR, SEV_STATUS) or
 * swaps with the VMSA (APM vol. 2 §15.35.6): the host must never choose
 * their values, whatever it intercepts or injects.
 */
static bool msr_is_hardware_state(uint32_t msr)
{
	switch (msr) {
	case MSR_GHCB:
	case MSR_SEV_STATUS:
	case MSR_EFER:
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case 0xc0000102u: /* KERNEL_GS_BASE */
	case 0xc0000081u: /* STAR, LSTAR, CSTAR, SFMASK */
	case 0xc0000082u:
	case 0xc0000083u:
	case 0xc0000084u:
	case 0xc0000103u: /* TSC_AUX */
	case 0x174u:      /* SYSENTER_CS/ESP/EIP */
	case 0x175u:
	case 0x176u:
		return true;
	default:
		return false;
	}
}

static void vc_msr(struct cpu_regs *regs)
{
	uint32_t msr = (uint32_t)regs->rcx;
	uint8_t b[2];

	insn_at_rip(regs, b, sizeof(b));
	if (b[0] != 0x0f || (b[1] != 0x30 && b[1] != 0x32)) {
		vc_refuse(regs, "exit code MSR, but no RDMSR/WRMSR at RIP");
	}
	if (msr_is_hardware_state(msr)) {
		vc_refuse(regs, "#VC for an MSR that hardware keeps itself");
	}
	if (b[1] == 0x32) {
		uint64_t v = ghcb_rdmsr(msr);

		regs->rax = (uint32_t)v;
		regs->rdx = v >> 32;
	} else {
		ghcb_wrmsr(msr, (regs->rax & 0xffffffffu) | (regs->rdx << 32));
	}
	regs->rip += 2;
}

static void vc_dispatch(struct cpu_regs *regs)
{
	uint64_t fixup = 0;

	switch (regs->error_code) {
	case SVM_EXIT_CPUID:
		vc_cpuid(regs);
		return;
	case SVM_EXIT_IOIO:
		vc_ioio(regs);
		return;
	case SVM_EXIT_MSR:
		vc_msr(regs);
		return;
	case SVM_EXIT_PAGE_NOT_VALIDATED:
		/*
		 * A guarded copy touched a guest page the guest (or the
		 * host) left unvalidated: report it as a failed copy, never
		 * a panic (docs/architecture.md §3, docs/style.md §3 G5).
		 * Injected at a guarded copy it only fails that copy, which
		 * every caller already handles.
		 */
		fixup = extable_search(__start_ex_table, __stop_ex_table,
				       regs->rip);
		if (fixup == 0) {
			vc_refuse(regs,
				  "page-not-validated #VC outside a "
				  "guarded copy");
		}
		regs->rip = fixup;
		return;
	default:
		vc_refuse(regs, "an exit code the SVSM never causes");
	}
}

static bool vc_handle(struct cpu_regs *regs)
{
	struct percpu *pc = this_cpu();

	if (READ_ONCE(pc->vc_active) != 0) {
		vc_refuse(regs, "nested #VC while another is handled");
	}
	WRITE_ONCE(pc->vc_active, 1);
	/* From here a nested #VC runs on the second stack (percpu.h). */
	WRITE_ONCE(pc->desc.tss.ist[IST_VC - 1], pc->vc_nested_top);
	barrier();
	vc_dispatch(regs);
	barrier();
	WRITE_ONCE(pc->desc.tss.ist[IST_VC - 1], pc->vc_ist_top);
	WRITE_ONCE(pc->vc_active, 0);
	return true;
}

/*
 * #HV (vector 28): with Restricted Injection the only event the host may
 * inject, to signal pending interrupts through an #HV doorbell page (APM
 * vol. 2 §15.36.16; docs/threat-model.md, "Injected events"). The SVSM takes no
 * interrupts and registers no doorbell page, so nothing is ever expected: the
 * event is counted and ignored, which changes no state the interrupted code
 * uses.
 */
static bool hv_handle(struct cpu_regs *regs)
{
	(void)regs;
	this_cpu()->hv_ignored++;
	return true;
}

void vc_init(const struct snp_cpuid_page *cpuid_page)
{
	vc_cpuid_page = cpuid_page;
	arch_set_exception_hook(X86_VEC_VC, vc_handle);
	arch_set_exception_hook(X86_VEC_HV, hv_handle);
}
