// SPDX-License-Identifier: MIT
/*
 * FPU/SSE enable (APM vol. 2 §11.3 "SSE initialization", §11.5.2 XSAVE).
 * The SVSM's own code is built with -mgeneral-regs-only; this is for the
 * vTPM's third-party code, which uses SSE. Feature bits come from CPUID,
 * which under SNP is the #VC handler answering from the CPUID page.
 */
#include "arch/fpu.h"

#include "arch/cpu.h"
#include "arch/snp_insn.h"

#define CPUID_1_ECX_XSAVE (1u << 26)
#define CPUID_1_ECX_AVX (1u << 28)
#define XCR0_X87 (UINT64_C(1) << 0)
#define XCR0_SSE (UINT64_C(1) << 1)
#define XCR0_AVX (UINT64_C(1) << 2)

uint64_t arch_fpu_enable(void)
{
	struct cpuid_regs r = cpuid(1);
	uint64_t cr0 = read_cr0();
	uint64_t cr4 = read_cr4();
	uint64_t xcr0 = 0;

	cr0 &= ~(X86_CR0_EM | X86_CR0_TS);
	cr0 |= X86_CR0_MP | X86_CR0_NE;
	write_cr0(cr0);
	cr4 |= X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	if (r.ecx & CPUID_1_ECX_XSAVE) {
		cr4 |= X86_CR4_OSXSAVE;
	}
	write_cr4(cr4);
	if (r.ecx & CPUID_1_ECX_XSAVE) {
		xcr0 = XCR0_X87 | XCR0_SSE;
		if (r.ecx & CPUID_1_ECX_AVX) {
			xcr0 |= XCR0_AVX;
		}
		x86_xsetbv(0, xcr0);
	}
	__asm__ volatile("fninit" ::: "memory");
	return xcr0;
}
