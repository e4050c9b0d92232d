/* SPDX-License-Identifier: MIT */
/*
 * The SNP secrets page (SNP firmware ABI 56860; docs/abi.md §2.1), including
 * the SVSM fields the guest uses to find the SVSM. Guest-visible ABI.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SNP_VMPCK_SIZE 32

struct snp_secrets_page {
	uint32_t version;
	uint32_t imien; /* bit 0 IMIEN, rest reserved */
	uint32_t fms;
	uint32_t reserved_0x00c;
	uint8_t gosvw[16];
	uint8_t vmpck[4][SNP_VMPCK_SIZE];
	/* OS area: Linux keeps its per-VMPCK message sequence numbers here. */
	uint32_t os_msg_seqno[4];
	uint64_t os_ap_jump_table_pa;
	uint8_t os_reserved[40];
	uint8_t os_guest_usage[32];
	uint8_t vmsa_tweak_bitmap[64];
	/* SVSM fields: svsm_size != 0 means "an SVSM is present". */
	uint64_t svsm_base;
	uint64_t svsm_size;
	uint64_t svsm_caa;
	uint32_t svsm_max_version;
	uint8_t svsm_guest_vmpl;
	uint8_t reserved_0x15d[3];
	uint32_t tsc_factor;
	uint8_t reserved_0x164[3740];
};
_Static_assert(sizeof(struct snp_secrets_page) == 4096, "docs/abi.md §2.1");
_Static_assert(offsetof(struct snp_secrets_page, vmpck) == 0x20, "§2.1");
_Static_assert(offsetof(struct snp_secrets_page, os_msg_seqno) == 0xa0, "§2.1");
_Static_assert(offsetof(struct snp_secrets_page, vmsa_tweak_bitmap) == 0x100,
	       "docs/abi.md §2.1");
_Static_assert(offsetof(struct snp_secrets_page, svsm_base) == 0x140, "§2.1");
_Static_assert(offsetof(struct snp_secrets_page, svsm_caa) == 0x150, "§2.1");
_Static_assert(offsetof(struct snp_secrets_page, svsm_guest_vmpl) == 0x15c,
	       "docs/abi.md §2.1");
_Static_assert(offsetof(struct snp_secrets_page, tsc_factor) == 0x160, "§2.1");
