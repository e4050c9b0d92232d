/* SPDX-License-Identifier: MIT */
/*
 * The VMCB (AMD APM vol. 2 Appendix B): the control area snpemu programs,
 * and the state-save area, whose layout is the first part of the SEV-ES
 * VMSA (APM Table B-4; docs/abi.md §8.1), so snpemu uses struct snp_vmsa for
 * it and touches only fields below 0x300 that both share.
 */
#pragma once

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "svsm/abi/vmsa.h"

struct vmcb_control {
	uint32_t intercept_cr;  /* 0x000: read [15:0], write [31:16] */
	uint32_t intercept_dr;  /* 0x004 */
	uint32_t intercept_exc; /* 0x008: bit n = exception vector n */
	uint32_t intercept1;    /* 0x00c: exit codes 0x60..0x7f */
	uint32_t intercept2;    /* 0x010: exit codes 0x80..0x9f */
	uint8_t reserved_0x014[0x2c];
	uint64_t iopm_base_pa;  /* 0x040 */
	uint64_t msrpm_base_pa; /* 0x048 */
	uint64_t tsc_offset;    /* 0x050 */
	uint32_t asid;          /* 0x058 */
	uint8_t tlb_ctl;        /* 0x05c */
	uint8_t reserved_0x05d[3];
	uint32_t int_ctl; /* 0x060 */
	uint32_t int_vector;
	uint64_t int_state;         /* 0x068 */
	uint64_t exit_code;         /* 0x070 */
	uint64_t exit_info_1;       /* 0x078 */
	uint64_t exit_info_2;       /* 0x080 */
	uint32_t exit_int_info;     /* 0x088 */
	uint32_t exit_int_info_err; /* 0x08c */
	uint64_t nested_ctl;        /* 0x090 */
	uint64_t avic_bar;          /* 0x098 */
	uint64_t ghcb_gpa;          /* 0x0a0 */
	uint32_t event_inj;         /* 0x0a8 */
	uint32_t event_inj_err;     /* 0x0ac */
	uint64_t nested_cr3;        /* 0x0b0 */
	uint64_t virt_ext;          /* 0x0b8 */
	uint32_t clean;             /* 0x0c0 */
	uint32_t reserved_0x0c4;
	uint64_t next_rip; /* 0x0c8 */
	uint8_t reserved_0x0d0[0x400 - 0xd0];
};
static_assert(sizeof(struct vmcb_control) == 0x400, "APM Table B-1");
static_assert(offsetof(struct vmcb_control, iopm_base_pa) == 0x40, "B-1");
static_assert(offsetof(struct vmcb_control, asid) == 0x58, "APM Table B-1");
static_assert(offsetof(struct vmcb_control, int_ctl) == 0x60, "B-1");
static_assert(offsetof(struct vmcb_control, exit_code) == 0x70, "B-1");
static_assert(offsetof(struct vmcb_control, nested_ctl) == 0x90, "B-1");
static_assert(offsetof(struct vmcb_control, event_inj) == 0xa8, "B-1");
static_assert(offsetof(struct vmcb_control, nested_cr3) == 0xb0, "B-1");

/* A VMCB is one page: control area, then the save area at 0x400. */
struct vmcb {
	struct vmcb_control c;
	uint8_t save[0xc00];
};
static_assert(sizeof(struct vmcb) == 4096, "one page");

static inline struct snp_vmsa *vmcb_save(struct vmcb *v)
{
	return (struct snp_vmsa *)(void *)v->save;
}

/* Intercept bits (APM Table B-1). */
#define VMCB_I1_INTR (1u << (0x60 - 0x60))
#define VMCB_I1_VINTR (1u << (0x64 - 0x60))
#define VMCB_I1_CPUID (1u << (0x72 - 0x60))
#define VMCB_I1_PAUSE (1u << (0x77 - 0x60))
#define VMCB_I1_HLT (1u << (0x78 - 0x60))
#define VMCB_I1_IOIO (1u << (0x7b - 0x60))
#define VMCB_I1_MSR (1u << (0x7c - 0x60))
#define VMCB_I1_SHUTDOWN (1u << (0x7f - 0x60))
#define VMCB_I1_RDPMC (1u << (0x6f - 0x60))
#define VMCB_I1_INVD (1u << (0x76 - 0x60))
#define VMCB_I2_VMRUN (1u << 0)
#define VMCB_I2_VMMCALL (1u << 1)
#define VMCB_I2_VMLOAD (1u << 2)
#define VMCB_I2_VMSAVE (1u << 3)
#define VMCB_I2_STGI (1u << 4)
#define VMCB_I2_CLGI (1u << 5)
#define VMCB_I2_SKINIT (1u << 6)
#define VMCB_I2_WBINVD (1u << 9)
#define VMCB_I2_MONITOR (1u << 10)
#define VMCB_I2_MWAIT (1u << 11)

/* intercept_dr: reads in bits 15:0, writes in 31:16. */
#define VMCB_DR7_READ (1u << 7)
#define VMCB_DR7_WRITE (1u << (16 + 7))

#define VMCB_INT_CTL_V_INTR_MASKING (1u << 24)
#define VMCB_NP_ENABLE 1u
#define VMCB_TLB_FLUSH_ALL 1u

/* Exit codes (APM Table C-1) snpemu handles. */
#define VMEXIT_CR0_WRITE 0x10
#define VMEXIT_EXCP_BASE 0x40
#define VMEXIT_UD (VMEXIT_EXCP_BASE + 6)
#define VMEXIT_DR7_READ 0x27
#define VMEXIT_DR7_WRITE 0x37
#define VMEXIT_RDPMC 0x6f
#define VMEXIT_INTR 0x60
#define VMEXIT_VINTR 0x64
#define VMEXIT_CPUID 0x72
#define VMEXIT_INVD 0x76
#define VMEXIT_PAUSE 0x77
#define VMEXIT_HLT 0x78
#define VMEXIT_IOIO 0x7b
#define VMEXIT_MSR 0x7c
#define VMEXIT_SHUTDOWN 0x7f
#define VMEXIT_VMRUN 0x80
#define VMEXIT_VMMCALL 0x81
#define VMEXIT_SKINIT 0x86
#define VMEXIT_WBINVD 0x89
#define VMEXIT_MONITOR 0x8a
#define VMEXIT_MWAIT 0x8b
#define VMEXIT_NPF 0x400
#define VMEXIT_INVALID UINT64_MAX

/* #NPF EXITINFO1 (APM §15.25.6). */
#define NPF_P (1u << 0)
#define NPF_W (1u << 1)
#define NPF_U (1u << 2)
#define NPF_RSVD (1u << 3)
#define NPF_ID (1u << 4)
#define NPF_FINAL (UINT64_C(1) << 32)
#define NPF_WALK (UINT64_C(1) << 33)

/* VMCB packed segment attributes (docs/abi.md §8.1). */
#define SEG_ATTR_CODE64 0x029b /* P, S, code R/A, L */
#define SEG_ATTR_DATA 0x0c93   /* P, S, data W/A, D/B, G */
#define SEG_ATTR_TSS 0x008b    /* P, 64-bit busy TSS */
#define SEG_ATTR_LDT 0x0082
