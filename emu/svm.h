/* SPDX-License-Identifier: MIT */
/*
 * SVM plumbing (AMD APM vol. 2 §15): enabling SVM in snpemu, the shared
 * permission maps, VMRUN.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

/** Enable SVM and XSAVE in snpemu; false (with a message) if missing. */
bool svm_init(struct machine *m);
/** Fill a fresh VMCB control area for VMPL @vmpl. */
void svm_init_vmcb(struct vmcb *v, unsigned vmpl, uint64_t npt_root);
/** The supported XCR0 mask (x87|SSE[|AVX]). */
uint64_t svm_xcr0_mask(void);
/* CPU features behind VMSA fields VMRUN does not load under TCG (vmpl.c):
 * PKRU (CR4.PKE is set in snpemu when present), IA32_XSS, SPEC_CTRL. */
bool svm_has_pku(void);
bool svm_has_xss(void);
bool svm_has_spec_ctrl(void);

static inline uint32_t rdpkru(void)
{
	uint32_t v = 0, d = 0;

	__asm__ volatile("rdpkru" : "=a"(v), "=d"(d) : "c"(0));
	return v;
}

static inline void wrpkru(uint32_t v)
{
	__asm__ volatile("wrpkru" : : "a"(v), "c"(0), "d"(0) : "memory");
}

/* svm_run.S: VMLOAD, VMRUN, VMSAVE on @vmcb_pa, then VMLOAD @host_pa. */
void svm_vmrun(uint64_t vmcb_pa, struct emu_gprs *g, uint64_t host_pa);

static inline uint64_t xgetbv0(void)
{
	uint32_t lo = 0, hi = 0;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

static inline void xsetbv0(uint64_t v)
{
	__asm__ volatile("xsetbv"
			 :
			 : "a"((uint32_t)v), "d"((uint32_t)(v >> 32)), "c"(0)
			 : "memory");
}

static inline void xsave_all(void *area)
{
	__asm__ volatile("xsave64 (%0)"
			 :
			 : "r"(area), "a"(UINT32_MAX), "d"(UINT32_MAX)
			 : "memory");
}

static inline void xrstor_all(const void *area)
{
	__asm__ volatile("xrstor64 (%0)"
			 :
			 : "r"(area), "a"(UINT32_MAX), "d"(UINT32_MAX)
			 : "memory");
}
