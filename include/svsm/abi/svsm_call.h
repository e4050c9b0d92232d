/* SPDX-License-Identifier: MIT */
/*
 * The SVSM calling convention, result codes, calling area and core-protocol
 * structures (SVSM spec, AMD pub. 58019; docs/abi.md §1, §3). Guest-visible
 * ABI: self-contained, <stdint.h> only, shared by the SVSM, test guests, snpemu
 * and host tools.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "svsm/abi/snp.h"

/* RAX on entry: protocol << 32 | call id (docs/abi.md §1.1). */
#define SVSM_CALL(proto, id) (((uint64_t)(proto) << 32) | (uint32_t)(id))
#define SVSM_CALL_PROTOCOL(rax) ((uint32_t)((rax) >> 32))
#define SVSM_CALL_ID(rax) ((uint32_t)(rax))

enum svsm_protocol {
	SVSM_PROTO_CORE = 0,
	SVSM_PROTO_ATTEST = 1,
	SVSM_PROTO_VTPM = 2,
	SVSM_PROTO_APIC = 3,
	SVSM_PROTO_UEFI_MM = 4,
};

/* Core protocol call ids (SVSM spec §7; docs/abi.md §3). */
enum svsm_core_call {
	SVSM_CORE_REMAP_CA = 0,
	SVSM_CORE_PVALIDATE = 1,
	SVSM_CORE_CREATE_VCPU = 2,
	SVSM_CORE_DELETE_VCPU = 3,
	SVSM_CORE_DEPOSIT_MEM = 4,
	SVSM_CORE_WITHDRAW_MEM = 5,
	SVSM_CORE_QUERY_PROTOCOL = 6,
	SVSM_CORE_CONFIGURE_VTOM = 7,
};

enum svsm_attest_call {
	SVSM_ATTEST_SERVICES = 0,
	SVSM_ATTEST_SINGLE_SERVICE = 1,
};

enum svsm_vtpm_call {
	SVSM_VTPM_QUERY = 0,
	SVSM_VTPM_CMD = 1,
};

/* Result codes in RAX (docs/abi.md §1.2; values agree across Linux sev.h). */
#define SVSM_SUCCESS UINT64_C(0x00000000)
#define SVSM_ERR_INCOMPLETE UINT64_C(0x80000000)
#define SVSM_ERR_UNSUPPORTED_PROTOCOL UINT64_C(0x80000001)
#define SVSM_ERR_UNSUPPORTED_CALL UINT64_C(0x80000002)
#define SVSM_ERR_INVALID_ADDRESS UINT64_C(0x80000003)
#define SVSM_ERR_INVALID_FORMAT UINT64_C(0x80000004)
#define SVSM_ERR_INVALID_PARAMETER UINT64_C(0x80000005)
#define SVSM_ERR_INVALID_REQUEST UINT64_C(0x80000006)
#define SVSM_ERR_BUSY UINT64_C(0x80000007)
/* Protocol-specific: 0x80001000 + n (for PVALIDATE, n = instruction rc). */
#define SVSM_ERR_PROTOCOL_BASE UINT64_C(0x80001000)
#define SVSM_PVALIDATE_FAIL_INPUT UINT64_C(0x80001001)
#define SVSM_PVALIDATE_FAIL_SIZEMISMATCH UINT64_C(0x80001006)
/* rc 0 with CF=1: the page already was in the requested state. */
#define SVSM_PVALIDATE_FAIL_UNCHANGED UINT64_C(0x80001010)

/* The calling area: one 4 KiB guest page per vCPU (docs/abi.md §1.3). */
struct svsm_caa {
	uint8_t call_pending;
	uint8_t mem_available;
	uint8_t reserved[6];
	uint8_t svsm_buffer[4088];
};
_Static_assert(sizeof(struct svsm_caa) == 4096, "SVSM spec: CAA is one page");
_Static_assert(offsetof(struct svsm_caa, svsm_buffer) == 8, "docs/abi.md §1.3");

/* PVALIDATE request (docs/abi.md §3.2): header, then 8-byte entries. */
struct svsm_pvalidate_hdr {
	uint16_t entries;
	uint16_t next;
	uint32_t reserved;
};
_Static_assert(sizeof(struct svsm_pvalidate_hdr) == 8, "SVSM spec Table 8");
_Static_assert(offsetof(struct svsm_pvalidate_hdr, next) == 2,
	       "docs/abi.md §3.2: next at offset 2");

#define SVSM_PVALIDATE_MAX_ENTRIES_CAA 510  /* (4088 - 8) / 8 */
#define SVSM_PV_SIZE(e) ((uint32_t)((e)&3)) /* 0 = 4K, 1 = 2M */
#define SVSM_PV_VALIDATE(e) ((uint32_t)(((e) >> 2) & 1))
#define SVSM_PV_IGNORE_CF(e) ((uint32_t)(((e) >> 3) & 1))
#define SVSM_PV_RESERVED_MASK UINT64_C(0xff0)
#define SVSM_PV_GPA(e) ((e) & ~UINT64_C(0xfff))
/* Entry page sizes: the instruction's operand (enum snp_page_size). */
#define SVSM_PV_SIZE_4K SNP_PAGE_SIZE_4K
#define SVSM_PV_SIZE_2M SNP_PAGE_SIZE_2M

/* QUERY_PROTOCOL: RCX in = protocol << 32 | version; out = max << 32 | min. */
#define SVSM_QUERY_PROTOCOL_ARG(proto, ver) \
	(((uint64_t)(proto) << 32) | (uint32_t)(ver))
