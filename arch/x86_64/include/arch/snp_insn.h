/* SPDX-License-Identifier: MIT */
/*
 * Inline wrappers for the SEV-SNP guest instructions and a few others the
 * SVSM needs (docs/abi.md §7; AMD APM vol. 3 "PVALIDATE", "RMPADJUST",
 * "VMGEXIT"). Encoded as bytes: binutils may be too old to know the mnemonics.
 * No policy.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "svsm/abi/snp.h"

/** PVALIDATE result: rc in EAX, and CF (1 = the page state did not change). */
struct snp_pval_result {
	enum snp_rc rc;
	bool unchanged;
};

/**
 * PVALIDATE @va (page aligned, mapped private). @size: SNP_PAGE_SIZE_4K/2M.
 * VMPL0 only (docs/abi.md §7.1).
 */
static inline struct snp_pval_result snp_pvalidate(uint64_t va,
						   enum snp_page_size size,
						   bool validate)
{
	struct snp_pval_result r = {0, false};
	uint64_t rax = va;
	uint8_t cf = 0;

	__asm__ volatile(
		".byte 0xf2, 0x0f, 0x01, 0xff\n\t"
		"setc %1"
		: "+a"(rax), "=qm"(cf)
		: "c"((uint64_t)size), "d"((uint64_t)validate)
		: "memory", "cc");
	r.rc = (uint32_t)rax;
	r.unchanged = cf != 0;
	return r;
}

/**
 * RMPADJUST @va: @attrs = target VMPL | RMPADJ_* permissions | RMPADJ_VMSA
 * (docs/abi.md §7.2). Returns the rc in EAX.
 */
static inline enum snp_rc snp_rmpadjust(uint64_t va, enum snp_page_size size,
					uint64_t attrs)
{
	uint64_t rax = va;

	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xfe"
			 : "+a"(rax)
			 : "c"((uint64_t)size), "d"(attrs)
			 : "memory", "cc");
	return (uint32_t)rax;
}

/**
 * VMGEXIT ("rep; vmmcall"). The hypervisor reads the GHCB MSR and the GHCB
 * page; "memory" keeps the compiler from caching either across the exit.
 */
static inline void snp_vmgexit(void)
{
	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xd9" ::: "memory");
}

/** RDRAND: false if the DRNG had no entropy ready (CF = 0). */
static inline bool x86_rdrand64(uint64_t *out)
{
	uint64_t v = 0;
	uint8_t ok = 0;

	__asm__ volatile("rdrand %0\n\tsetc %1" : "=r"(v), "=qm"(ok)::"cc");
	*out = v;
	return ok != 0;
}

static inline void x86_xsetbv(uint32_t xcr, uint64_t val)
{
	__asm__ volatile("xsetbv"
			 :
			 : "c"(xcr), "a"((uint32_t)val),
			   "d"((uint32_t)(val >> 32))
			 : "memory");
}

/**
 * Flush every TLB entry on every CPU, global ones and the cached RMP
 * permission results included: INVLPGB (0F 01 FE) with RAX = "include
 * global", no VA (all addresses), then TLBSYNC (0F 01 FF) to wait for it
 * (APM vol. 3 INVLPGB/TLBSYNC; docs/snpemu.md, S2).
 */
static inline void x86_flush_tlb_global_sync(void)
{
	__asm__ volatile(".byte 0x0f, 0x01, 0xfe\n\t.byte 0x0f, 0x01, 0xff"
			 :
			 : "a"(UINT64_C(1) << 3), "c"(0), "d"(0)
			 : "memory");
}
