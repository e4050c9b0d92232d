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

#define VMSA_EFER_SVME (UINT64_C(1) << 12)
#define SVM_EXIT_VMGEXIT 0x403
#define SVM_EXIT_VMMCALL 0x081
