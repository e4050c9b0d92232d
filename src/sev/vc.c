// SPDX-License-Identifier: MIT
/*
 * #VC handler: the error code is the exit code the instruction would have
 * caused (APM vol. 2 §15.35.5). CPUID is answered from the CPUID page
 * (never from the hypervisor: docs/abi.md §2.3), IN/OUT and RDMSR/WRMSR go
 * through the GHCB. Anything else is a bug in the SVSM and ends in a panic
 * (the exception dispatcher's fallback).
 */
#include "sev/vc.h"

#include "arch/cpu.h"
#include "arch/desc.h"

#include "lib/extable.h"

#include "sev/cpuid_page.h"
#include "sev/ghcb.h"

/* #VC error code for an access to a page that is not validated. */
#define SVM_EXIT_PAGE_NOT_VALIDATED 0x404
#define CPUID_1_ECX_OSXSAVE (1u << 27)

extern const struct extable_entry __start_ex_table[];
extern const struct extable_entry __stop_ex_table[];

static const struct snp_cpuid_page *vc_cpuid_page;

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

static bool vc_cpuid(struct cpu_regs *regs)
{
	struct snp_cpuid_result r;
	uint32_t leaf = (uint32_t)regs->rax;
	uint32_t subleaf = (uint32_t)regs->rcx;

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
	return true;
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
 * them). The instruction bytes are SVSM code, so reading them is safe. */
static bool vc_ioio(struct cpu_regs *regs)
{
	const uint8_t *ip = (const uint8_t *)(uintptr_t)regs->rip;
	uint32_t len = 1;
	uint32_t size = 4;
	uint16_t port = (uint16_t)regs->rdx;
	bool in = false;

	if (ip[0] == 0x66) {
		size = 2;
		ip++;
		len++;
	}
	switch (ip[0]) {
	case 0xe4: /* in al/ax/eax, imm8 */
	case 0xe5:
	case 0xe6: /* out imm8, al/ax/eax */
	case 0xe7:
		port = ip[1];
		len++;
		break;
	case 0xec: /* in al/ax/eax, dx */
	case 0xed:
	case 0xee: /* out dx, al/ax/eax */
	case 0xef:
		break;
	default:
		return false;
	}
	if ((ip[0] & 1) == 0) {
		size = 1;
	}
	in = ip[0] == 0xe4 || ip[0] == 0xe5 || ip[0] == 0xec || ip[0] == 0xed;
	if (in) {
		regs->rax = merge(regs->rax, ghcb_io_in(port, size), size);
	} else {
		ghcb_io_out(port, size, (uint32_t)regs->rax);
	}
	regs->rip += len;
	return true;
}

static bool vc_msr(struct cpu_regs *regs)
{
	const uint8_t *ip = (const uint8_t *)(uintptr_t)regs->rip;
	uint32_t msr = (uint32_t)regs->rcx;

	if (ip[0] != 0x0f || (ip[1] != 0x30 && ip[1] != 0x32)) {
		return false;
	}
	if (ip[1] == 0x32) {
		uint64_t v = ghcb_rdmsr(msr);

		regs->rax = (uint32_t)v;
		regs->rdx = v >> 32;
	} else {
		ghcb_wrmsr(msr, (regs->rax & 0xffffffffu) | (regs->rdx << 32));
	}
	regs->rip += 2;
	return true;
}

static bool vc_handle(struct cpu_regs *regs)
{
	uint64_t fixup = 0;

	switch (regs->error_code) {
	case SVM_EXIT_CPUID:
		return vc_cpuid(regs);
	case SVM_EXIT_IOIO:
		return vc_ioio(regs);
	case SVM_EXIT_MSR:
		return vc_msr(regs);
	case SVM_EXIT_PAGE_NOT_VALIDATED:
		/*
		 * A guarded copy touched a guest page the guest (or the
		 * host) left unvalidated: report it as a failed copy, never
		 * a panic (docs/architecture.md §3, docs/style.md §3 G5).
		 */
		fixup = extable_search(__start_ex_table, __stop_ex_table,
				       regs->rip);
		if (fixup != 0) {
			regs->rip = fixup;
			return true;
		}
		return false;
	default:
		return false;
	}
}

void vc_init(const struct snp_cpuid_page *cpuid_page)
{
	vc_cpuid_page = cpuid_page;
	arch_set_exception_hook(X86_VEC_VC, vc_handle);
}
