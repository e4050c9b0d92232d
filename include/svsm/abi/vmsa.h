/* SPDX-License-Identifier: MIT */
/*
 * The SEV-ES/SNP VMSA (AMD APM vol. 2 Table B-4; docs/abi.md §8.1; Linux
 * struct sev_es_save_area). Guest-visible ABI: every offset pinned.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Segment register, VMCB packed attribute format (docs/abi.md §8.1). */
struct vmsa_seg {
	uint16_t selector;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
};
_Static_assert(sizeof(struct vmsa_seg) == 16, "APM Table B-4");

struct snp_vmsa {
	struct vmsa_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr,
		tr;                                  /* 0x000 */
	uint64_t pl0_ssp, pl1_ssp, pl2_ssp, pl3_ssp; /* 0x0a0 */
	uint64_t u_cet;                              /* 0x0c0 */
	uint8_t reserved_0x0c8[2];
	uint8_t vmpl; /* 0x0ca */
	uint8_t cpl;  /* 0x0cb */
	uint8_t reserved_0x0cc[4];
	uint64_t efer; /* 0x0d0 */
	uint8_t reserved_0x0d8[104];
	uint64_t xss, cr4, cr3, cr0, dr7, dr6, rflags, rip; /* 0x140 */
	uint64_t dr0, dr1, dr2, dr3;                        /* 0x180 */
	uint64_t dr0_addr_mask, dr1_addr_mask, dr2_addr_mask, dr3_addr_mask;
	uint8_t reserved_0x1c0[24];
	uint64_t rsp;                                        /* 0x1d8 */
	uint64_t s_cet, ssp, isst_addr;                      /* 0x1e0 */
	uint64_t rax;                                        /* 0x1f8 */
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base; /* 0x200 */
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
	uint64_t cr2; /* 0x240 */
	uint8_t reserved_0x248[32];
	uint64_t g_pat; /* 0x268 */
	uint64_t dbgctl, br_from, br_to, last_excp_from, last_excp_to;
	uint8_t reserved_0x298[80];
	uint32_t pkru;                  /* 0x2e8 */
	uint32_t tsc_aux;               /* 0x2ec */
	uint64_t tsc_scale, tsc_offset; /* 0x2f0 */
	uint8_t reserved_0x300[8];
	uint64_t rcx, rdx, rbx; /* 0x308 */
	uint8_t reserved_0x320[8];
	uint64_t rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14,
		r15; /* 0x328 */
	uint8_t reserved_0x380[16];
	uint64_t guest_exit_info_1;   /* 0x390 */
	uint64_t guest_exit_info_2;   /* 0x398 */
	uint64_t guest_exit_int_info; /* 0x3a0 */
	uint64_t guest_nrip;          /* 0x3a8 */
	uint64_t sev_features;        /* 0x3b0 */
	uint64_t vintr_ctrl;          /* 0x3b8 */
	uint64_t guest_exit_code;     /* 0x3c0 */
	uint64_t virtual_tom;         /* 0x3c8 */
	uint64_t tlb_id, pcpu_id;     /* 0x3d0 */
	uint64_t event_inj;           /* 0x3e0 */
	uint64_t xcr0;                /* 0x3e8 */
	uint8_t reserved_0x3f0[16];
	uint64_t x87_dp;  /* 0x400 */
	uint32_t mxcsr;   /* 0x408 */
	uint16_t x87_ftw; /* 0x40c */
	uint16_t x87_fsw;
	uint16_t x87_fcw; /* 0x410 */
	uint16_t x87_fop;
	uint16_t x87_ds;
	uint16_t x87_cs;
	uint64_t x87_rip;       /* 0x418 */
	uint8_t fpreg_x87[80];  /* 0x420 */
	uint8_t fpreg_xmm[256]; /* 0x470 */
	uint8_t fpreg_ymm[256]; /* 0x570 */
	uint8_t reserved_0x670[4096 - 0x670];
};
_Static_assert(sizeof(struct snp_vmsa) == 4096, "the VMSA is one page");
_Static_assert(offsetof(struct snp_vmsa, tr) == 0x090, "APM Table B-4");
_Static_assert(offsetof(struct snp_vmsa, vmpl) == 0x0ca, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, cpl) == 0x0cb, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, efer) == 0x0d0, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, xss) == 0x140, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, cr0) == 0x158, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, rip) == 0x178, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, rsp) == 0x1d8, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, rax) == 0x1f8, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, cr2) == 0x240, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, g_pat) == 0x268, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, pkru) == 0x2e8, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, rcx) == 0x308, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, rdx) == 0x310, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, rbp) == 0x328, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, r8) == 0x340, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, r9) == 0x348, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, r15) == 0x378, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, guest_exit_info_1) == 0x390, "§8.1");
_Static_assert(offsetof(struct snp_vmsa, sev_features) == 0x3b0, "§8.1");
_Static_assert(offsetof(struct snp_vmsa, guest_exit_code) == 0x3c0, "§8.1");
_Static_assert(offsetof(struct snp_vmsa, event_inj) == 0x3e0,
	       "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, xcr0) == 0x3e8, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, mxcsr) == 0x408, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, x87_fcw) == 0x410, "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, fpreg_x87) == 0x420,
	       "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, fpreg_xmm) == 0x470,
	       "docs/abi.md §8.1");
_Static_assert(offsetof(struct snp_vmsa, fpreg_ymm) == 0x570,
	       "docs/abi.md §8.1");

/*
 * Segment attributes in the VMSA's packed form: descriptor bits 40-47 in
 * attrib bits 0-7 (type, S, DPL, P) and bits 52-55 in attrib bits 8-11
 * (AVL, L, D/B, G) (APM vol. 2 §15.5.1, docs/abi.md §8.1).
 */
#define VMSA_SEG_TYPE_DATA_RWA 0x3u /* read/write, accessed */
#define VMSA_SEG_TYPE_CODE_XRA 0xbu /* execute/read, accessed */
#define VMSA_SEG_TYPE_LDT 0x2u
#define VMSA_SEG_TYPE_TSS_BUSY 0xbu /* 64-bit (or 32-bit) busy TSS */
#define VMSA_SEG_S (1u << 4)        /* code or data, not system */
#define VMSA_SEG_P (1u << 7)
#define VMSA_SEG_L (1u << 9)   /* 64-bit code */
#define VMSA_SEG_DB (1u << 10) /* 32-bit default size */
#define VMSA_SEG_G (1u << 11)  /* limit in 4 KiB units */

/* The descriptors the images and tools load (flat; 16, 32, 64 bit). */
#define VMSA_SEG_CODE16 (VMSA_SEG_P | VMSA_SEG_S | VMSA_SEG_TYPE_CODE_XRA)
#define VMSA_SEG_DATA16 (VMSA_SEG_P | VMSA_SEG_S | VMSA_SEG_TYPE_DATA_RWA)
#define VMSA_SEG_CODE32 (VMSA_SEG_CODE16 | VMSA_SEG_DB | VMSA_SEG_G)
#define VMSA_SEG_DATA32 (VMSA_SEG_DATA16 | VMSA_SEG_DB | VMSA_SEG_G)
#define VMSA_SEG_CODE64 (VMSA_SEG_CODE16 | VMSA_SEG_L | VMSA_SEG_G)
#define VMSA_SEG_LDT (VMSA_SEG_P | VMSA_SEG_TYPE_LDT)
#define VMSA_SEG_TSS (VMSA_SEG_P | VMSA_SEG_TYPE_TSS_BUSY)
_Static_assert(VMSA_SEG_CODE16 == 0x09b && VMSA_SEG_DATA16 == 0x093,
	       "docs/abi.md §8.2: reset CS and data attributes");
_Static_assert(VMSA_SEG_CODE32 == 0xc9b && VMSA_SEG_DATA32 == 0xc93,
	       "flat 32-bit code and data");
_Static_assert(VMSA_SEG_CODE64 == 0xa9b, "64-bit code: L, not D/B");
_Static_assert(VMSA_SEG_LDT == 0x082 && VMSA_SEG_TSS == 0x08b,
	       "docs/abi.md §8.2: LDTR and TR attributes");

/* Control registers and EFER (APM vol. 2 §3.1). */
#define X86_CR0_PE (UINT64_C(1) << 0)
#define X86_CR0_MP (UINT64_C(1) << 1)
#define X86_CR0_ET (UINT64_C(1) << 4)
#define X86_CR0_NE (UINT64_C(1) << 5)
#define X86_CR0_WP (UINT64_C(1) << 16)
#define X86_CR0_AM (UINT64_C(1) << 18)
#define X86_CR0_NW (UINT64_C(1) << 29)
#define X86_CR0_CD (UINT64_C(1) << 30)
#define X86_CR0_PG (UINT64_C(1) << 31)
#define X86_CR4_PAE (UINT64_C(1) << 5)
#define X86_CR4_MCE (UINT64_C(1) << 6)
#define X86_CR4_OSFXSR (UINT64_C(1) << 9)
#define X86_CR4_OSXMMEXCPT (UINT64_C(1) << 10)
#define X86_CR4_OSXSAVE (UINT64_C(1) << 18)
#define X86_EFER_LME (UINT64_C(1) << 8)
#define X86_EFER_LMA (UINT64_C(1) << 10)
#define X86_EFER_NXE (UINT64_C(1) << 11)
#define VMSA_EFER_SVME (UINT64_C(1) << 12) /* required in an SNP VMSA */

/*
 * The register state after INIT as Linux gives its APs (Linux:
 * arch/x86/include/asm/sev.h AP_INIT_*, used by arch/x86/coco/sev/core.c
 * wakeup_cpu_via_vmgexit) and docs/abi.md §8.2 gives VMPL2 guests.
 */
#define VMSA_RESET_CR0 (X86_CR0_CD | X86_CR0_NW | X86_CR0_ET)
#define VMSA_RESET_RFLAGS UINT64_C(0x2) /* bit 1 is always set */
#define VMSA_RESET_CS_SELECTOR 0xf000u
#define VMSA_RESET_CS_BASE UINT64_C(0xffff0000)
#define VMSA_RESET_RIP UINT64_C(0xfff0)
#define VMSA_RESET_LIMIT 0xffffu /* segments, GDTR, IDTR, LDTR, TR */
#define VMSA_RESET_DR6 UINT64_C(0xffff0ff0)
#define VMSA_RESET_DR7 UINT64_C(0x400)
#define VMSA_RESET_G_PAT UINT64_C(0x0007040600070406) /* WB WT UC- UC */
#define VMSA_RESET_XCR0 UINT64_C(0x1)                 /* x87 only */
#define VMSA_RESET_MXCSR 0x1f80u   /* every SSE exception masked */
#define VMSA_LINUX_X87_FTW 0x5555u /* AP_INIT_X87_FTW_DEFAULT */
#define VMSA_LINUX_X87_FCW 0x40u   /* AP_INIT_X87_FCW_DEFAULT */
#define VMSA_FNINIT_X87_FCW 0x37fu /* FNINIT (and KVM's reset) */
_Static_assert(VMSA_RESET_CR0 == 0x60000010, "docs/abi.md §8.2: CR0");
#define SVM_EXIT_VMGEXIT 0x403
#define SVM_EXIT_VMMCALL 0x081
