/* SPDX-License-Identifier: MIT */
/*
 * The GHCB: page layout, MSR protocol and NAE exit codes (GHCB spec, AMD
 * pub. 56421, version 2; docs/abi.md §7.4). Guest-visible ABI.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* ---- MSR protocol (GHCB MSR 0xC001_0130, bits 11:0 = function) ---- */
#define GHCB_MSR_INFO_MASK UINT64_C(0xfff)
#define GHCB_MSR_DATA_SHIFT 12

#define GHCB_MSR_SEV_INFO_RESP 0x001
#define GHCB_MSR_SEV_INFO_REQ 0x002
#define GHCB_MSR_CPUID_REQ 0x004
#define GHCB_MSR_CPUID_RESP 0x005
#define GHCB_MSR_REG_GPA_REQ 0x012
#define GHCB_MSR_REG_GPA_RESP 0x013
#define GHCB_MSR_PSC_REQ 0x014
#define GHCB_MSR_PSC_RESP 0x015
#define GHCB_MSR_RUN_VMPL_REQ 0x016
#define GHCB_MSR_RUN_VMPL_RESP 0x017
#define GHCB_MSR_HV_FEATURES_REQ 0x080
#define GHCB_MSR_HV_FEATURES_RESP 0x081
#define GHCB_MSR_TERM_REQ 0x100

/* SEV info response: [63:48] max ver, [47:32] min ver, [31:24] C-bit. */
#define GHCB_MSR_SEV_INFO(max, min, cbit)                    \
	(((uint64_t)(max) << 48) | ((uint64_t)(min) << 32) | \
	 ((uint64_t)(cbit) << 24) | GHCB_MSR_SEV_INFO_RESP)
/* CPUID request: [63:32] function, [31:30] register (0 EAX .. 3 EDX). */
#define GHCB_MSR_CPUID(fn, reg) \
	(((uint64_t)(fn) << 32) | ((uint64_t)(reg) << 30) | GHCB_MSR_CPUID_REQ)
/* Page-state change: [55:52] op, [51:12] GFN; response [63:32] error. */
#define GHCB_MSR_PSC_OP_PRIVATE 1
#define GHCB_MSR_PSC_OP_SHARED 2
#define GHCB_MSR_PSC(gfn, op) \
	(((uint64_t)(op) << 52) | ((uint64_t)(gfn) << 12) | GHCB_MSR_PSC_REQ)
/* RUN_VMPL: [39:32] target VMPL; response [63:32] error (0 = ok). */
#define GHCB_MSR_RUN_VMPL(vmpl) \
	(((uint64_t)(vmpl) << 32) | GHCB_MSR_RUN_VMPL_REQ)
/* Termination: [15:12] reason set, [23:16] reason code. */
#define GHCB_MSR_TERM(set, code) \
	(((uint64_t)(code) << 16) | ((uint64_t)(set) << 12) | GHCB_MSR_TERM_REQ)

/* Hypervisor feature bits (HV features response, [63:12]). */
#define GHCB_HV_FT_SNP (UINT64_C(1) << 0)
#define GHCB_HV_FT_SNP_AP_CREATION (UINT64_C(1) << 1)
#define GHCB_HV_FT_SNP_RINJ (UINT64_C(1) << 2) /* restricted injection */
#define GHCB_HV_FT_SNP_MULTI_VMPL (UINT64_C(1) << 5)

#define GHCB_PROTOCOL_MIN 1
#define GHCB_PROTOCOL_MAX 2

/* ---- NAE exit codes (sw_exit_code) ---- */
#define SVM_EXIT_READ_DR7 0x027
#define SVM_EXIT_WRITE_DR7 0x037
#define SVM_EXIT_RDPMC 0x06f
#define SVM_EXIT_CPUID 0x072
#define SVM_EXIT_INVD 0x076
#define SVM_EXIT_WBINVD 0x089
#define SVM_EXIT_MONITOR 0x08a
#define SVM_EXIT_MWAIT 0x08b
#define SVM_EXIT_IOIO 0x07b
#define SVM_EXIT_MSR 0x07c
#define SVM_EXIT_NPF 0x400
#define SVM_VMGEXIT_MMIO_READ UINT64_C(0x80000001)
#define SVM_VMGEXIT_MMIO_WRITE UINT64_C(0x80000002)
#define SVM_VMGEXIT_PSC UINT64_C(0x80000010)
#define SVM_VMGEXIT_GUEST_REQUEST UINT64_C(0x80000011)
#define SVM_VMGEXIT_EXT_GUEST_REQUEST UINT64_C(0x80000012)
#define SVM_VMGEXIT_AP_CREATION UINT64_C(0x80000013)
#define SVM_VMGEXIT_HV_DOORBELL UINT64_C(0x80000014)
#define SVM_VMGEXIT_SNP_RUN_VMPL UINT64_C(0x80000018)
#define SVM_VMGEXIT_HV_FEATURES UINT64_C(0x8000fffd)
#define SVM_VMGEXIT_TERM_REQUEST UINT64_C(0x8000fffe)
#define SVM_VMGEXIT_UNSUPPORTED UINT64_C(0x8000ffff)

/* AP_CREATION exit_info_1[15:0]. */
#define SVM_VMGEXIT_AP_CREATE_ON_INIT 0
#define SVM_VMGEXIT_AP_CREATE 1
#define SVM_VMGEXIT_AP_DESTROY 2

/* IOIO exit_info_1 (APM vol. 2 §15.10.2). */
#define IOIO_TYPE_IN (1u << 0)
#define IOIO_STR (1u << 2)
#define IOIO_REP (1u << 3)
#define IOIO_SZ8 (1u << 4)
#define IOIO_SZ16 (1u << 5)
#define IOIO_SZ32 (1u << 6)
#define IOIO_PORT_SHIFT 16

/* ---- The GHCB page ---- */
struct ghcb {
	uint8_t reserved_0x000[0xcb];
	uint8_t cpl; /* 0x0cb */
	uint8_t reserved_0x0cc[0x74];
	uint64_t xss; /* 0x140 */
	uint8_t reserved_0x148[0x18];
	uint64_t dr7; /* 0x160 */
	uint8_t reserved_0x168[0x90];
	uint64_t rax; /* 0x1f8 */
	uint8_t reserved_0x200[0x108];
	uint64_t rcx; /* 0x308 */
	uint64_t rdx; /* 0x310 */
	uint64_t rbx; /* 0x318 */
	uint8_t reserved_0x320[0x70];
	uint64_t sw_exit_code;   /* 0x390 */
	uint64_t sw_exit_info_1; /* 0x398 */
	uint64_t sw_exit_info_2; /* 0x3a0 */
	uint64_t sw_scratch;     /* 0x3a8 */
	uint8_t reserved_0x3b0[0x38];
	uint64_t xcr0;            /* 0x3e8 */
	uint8_t valid_bitmap[16]; /* 0x3f0: bit n = save-area qword n valid */
	uint64_t x87_state_gpa;   /* 0x400 */
	uint8_t reserved_0x408[0x3f8];
	uint8_t shared_buffer[2032]; /* 0x800 */
	uint8_t reserved_0xff0[10];
	uint16_t protocol_version; /* 0xffa */
	uint32_t ghcb_usage;       /* 0xffc */
};
_Static_assert(sizeof(struct ghcb) == 4096, "GHCB spec: one page");
_Static_assert(offsetof(struct ghcb, cpl) == 0x0cb, "GHCB spec Table 3");
_Static_assert(offsetof(struct ghcb, xss) == 0x140, "GHCB spec Table 3");
_Static_assert(offsetof(struct ghcb, dr7) == 0x160, "GHCB spec Table 3");
_Static_assert(offsetof(struct ghcb, rax) == 0x1f8, "docs/abi.md §7.4");
_Static_assert(offsetof(struct ghcb, rcx) == 0x308, "docs/abi.md §7.4");
_Static_assert(offsetof(struct ghcb, rbx) == 0x318, "docs/abi.md §7.4");
_Static_assert(offsetof(struct ghcb, sw_exit_code) == 0x390,
	       "docs/abi.md §7.4");
_Static_assert(offsetof(struct ghcb, sw_scratch) == 0x3a8, "docs/abi.md §7.4");
_Static_assert(offsetof(struct ghcb, xcr0) == 0x3e8, "docs/abi.md §7.4");
_Static_assert(offsetof(struct ghcb, valid_bitmap) == 0x3f0,
	       "docs/abi.md §7.4");
_Static_assert(offsetof(struct ghcb, shared_buffer) == 0x800,
	       "docs/abi.md §7.4");
_Static_assert(offsetof(struct ghcb, protocol_version) == 0xffa, "§7.4");
_Static_assert(offsetof(struct ghcb, ghcb_usage) == 0xffc, "docs/abi.md §7.4");

#define GHCB_BITMAP_IDX(field) (offsetof(struct ghcb, field) / 8)
