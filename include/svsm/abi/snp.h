/* SPDX-License-Identifier: MIT */
/*
 * SEV-SNP instructions, their return codes, RMP permission bits, SEV
 * features and the CPUID page (AMD APM vol. 3 PVALIDATE/RMPADJUST/RMPQUERY;
 * docs/abi.md §2.3, §7, §8.3). Guest-visible ABI, <stdint.h> only.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Encodings (docs/abi.md §7). */
#define SNP_INSN_PVALIDATE             \
	{                              \
		0xf2, 0x0f, 0x01, 0xff \
	}
#define SNP_INSN_RMPADJUST             \
	{                              \
		0xf3, 0x0f, 0x01, 0xfe \
	}
#define SNP_INSN_RMPQUERY              \
	{                              \
		0xf3, 0x0f, 0x01, 0xfd \
	}
#define SNP_INSN_VMGEXIT               \
	{                              \
		0xf3, 0x0f, 0x01, 0xd9 \
	}

/*
 * Return codes of PVALIDATE, RMPADJUST and the RMP operations in EAX
 * (docs/abi.md §7.1, §7.2; CF=1 with 0 means "nothing changed"). One type
 * for every wrapper that returns one.
 */
enum snp_rc {
	SNP_RC_SUCCESS = 0,
	SNP_RC_FAIL_INPUT = 1,
	SNP_RC_FAIL_PERMISSION = 2,
	SNP_RC_FAIL_INUSE = 3,
	SNP_RC_FAIL_OVERLAP = 4,
	SNP_RC_FAIL_SIZEMISMATCH = 6,
};

/*
 * The page size operand of PVALIDATE and RMPADJUST (ECX/RCX), also the
 * page-size field of a PVALIDATE list entry (docs/abi.md §3.2). The one
 * page-size type of the SVSM; byte sizes are PAGE_SIZE and PAGE_SIZE_2M.
 */
enum snp_page_size {
	SNP_PAGE_SIZE_4K = 0,
	SNP_PAGE_SIZE_2M = 1,
};

/* RMPADJUST RDX attributes (docs/abi.md §7.2). */
#define RMPADJ_TARGET_VMPL_MASK 0xffu
#define RMPADJ_READ (1u << 8)
#define RMPADJ_WRITE (1u << 9)
#define RMPADJ_XU (1u << 10)
#define RMPADJ_XS (1u << 11)
#define RMPADJ_PERM_MASK 0xf00u
#define RMPADJ_RWX (RMPADJ_READ | RMPADJ_WRITE | RMPADJ_XU | RMPADJ_XS)
#define RMPADJ_VMSA (1u << 16)

#define SNP_VMPL_COUNT 4

/* SEV_FEATURES (VMSA 0x3B0); SEV_STATUS bit n+2 = feature bit n (§8.3). */
#define SEV_FEAT_SNP_ACTIVE (UINT64_C(1) << 0)
#define SEV_FEAT_VTOM (UINT64_C(1) << 1)
#define SEV_FEAT_REFLECT_VC (UINT64_C(1) << 2)
#define SEV_FEAT_RESTRICTED_INJ (UINT64_C(1) << 3)
#define SEV_FEAT_ALTERNATE_INJ (UINT64_C(1) << 4)
#define SEV_FEAT_DEBUG_SWAP (UINT64_C(1) << 5)
#define SEV_FEAT_PREVENT_HOST_IBS (UINT64_C(1) << 6)
#define SEV_FEAT_BTB_ISOLATION (UINT64_C(1) << 7)
#define SEV_FEAT_VMPL_SSS (UINT64_C(1) << 8)
#define SEV_FEAT_SECURE_TSC (UINT64_C(1) << 9)
#define SEV_FEAT_VMGEXIT_PARAM (UINT64_C(1) << 10)
#define SEV_FEAT_IBS_VIRT (UINT64_C(1) << 12)
#define SEV_FEAT_VMSA_REG_PROT (UINT64_C(1) << 14)
#define SEV_FEAT_SMT_PROT (UINT64_C(1) << 15)
#define SEV_FEAT_SECURE_AVIC (UINT64_C(1) << 16)
#define SEV_FEAT_IBPB_ON_ENTRY (UINT64_C(1) << 21)

#define MSR_SEV_STATUS 0xc0010131u
#define MSR_GHCB 0xc0010130u
#define MSR_SVSM_CAA 0xc001f000u /* software-defined, guest #VC handlers */
#define SEV_STATUS_SEV (UINT64_C(1) << 0)
#define SEV_STATUS_SEV_ES (UINT64_C(1) << 1)
#define SEV_STATUS_SNP (UINT64_C(1) << 2)
#define SEV_STATUS_RESTRICTED_INJ (SEV_FEAT_RESTRICTED_INJ << 2)

/* CPUID 0x8000001F EAX bits. */
#define CPUID_8000001F_EAX_SNP (1u << 4)
#define CPUID_8000001F_EAX_VMPL (1u << 5)
#define CPUID_8000001F_EAX_SVSM (1u << 28) /* software: "SVSM present" */

/* SNP CPUID page (docs/abi.md §2.3). */
#define SNP_CPUID_MAX_ENTRIES 64

struct snp_cpuid_entry {
	uint32_t eax_in;
	uint32_t ecx_in;
	uint64_t xcr0_in;
	uint64_t xss_in;
	uint32_t eax;
	uint32_t ebx;
	uint32_t ecx;
	uint32_t edx;
	uint64_t reserved;
};
_Static_assert(sizeof(struct snp_cpuid_entry) == 48, "docs/abi.md §2.3");

struct snp_cpuid_page {
	uint32_t count;
	uint32_t reserved0;
	uint64_t reserved1;
	struct snp_cpuid_entry entries[SNP_CPUID_MAX_ENTRIES];
	uint8_t padding[4096 - 16 - 48 * SNP_CPUID_MAX_ENTRIES];
};
_Static_assert(sizeof(struct snp_cpuid_page) == 4096, "CPUID page");
_Static_assert(offsetof(struct snp_cpuid_page, entries) == 16,
	       "docs/abi.md §2.3");
