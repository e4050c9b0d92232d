/* SPDX-License-Identifier: MIT */
/*
 * SNP guest messages and the attestation report (SEV-SNP Firmware ABI,
 * AMD pub. 56860, SNP_GUEST_REQUEST / MSG_REPORT_REQ; docs/abi.md §9.1-9.4).
 * Guest-visible ABI, <stdint.h> only.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SNP_MSG_ALGO_AES256_GCM 1
#define SNP_MSG_HDR_VERSION 1
#define SNP_MSG_REPORT_REQ 5
#define SNP_MSG_REPORT_RSP 6
#define SNP_MSG_PAYLOAD_MAX (4096 - 0x60)

/* REPORT_RSP status / firmware status (docs/abi.md §9.2). */
#define SNP_FW_SUCCESS 0x00
#define SNP_FW_INVALID_PARAM 0x16
#define SNP_FW_INVALID_KEY 0x27

struct snp_guest_msg_hdr {
	uint8_t authtag[32];
	uint64_t msg_seqno;
	uint8_t reserved_0x28[8];
	uint8_t algo;
	uint8_t hdr_version;
	uint16_t hdr_sz;
	uint8_t msg_type;
	uint8_t msg_version;
	uint16_t msg_sz;
	uint32_t reserved_0x38;
	uint8_t msg_vmpck;
	uint8_t reserved_0x3d[35];
};
_Static_assert(sizeof(struct snp_guest_msg_hdr) == 0x60, "docs/abi.md §9.3");
_Static_assert(offsetof(struct snp_guest_msg_hdr, msg_seqno) == 0x20, "§9.3");
_Static_assert(offsetof(struct snp_guest_msg_hdr, algo) == 0x30, "§9.3");
_Static_assert(offsetof(struct snp_guest_msg_hdr, msg_sz) == 0x36, "§9.3");
_Static_assert(offsetof(struct snp_guest_msg_hdr, msg_vmpck) == 0x3c, "§9.3");

/* AEAD additional data: header bytes 0x30..0x5f (docs/abi.md §9.4). */
#define SNP_MSG_AAD_OFFSET 0x30
#define SNP_MSG_AAD_LEN 0x30

struct snp_report_req {
	uint8_t report_data[64];
	uint32_t vmpl;
	uint32_t flags;
	uint8_t reserved[24];
};
_Static_assert(sizeof(struct snp_report_req) == 96, "docs/abi.md §9.2");

struct snp_attestation_report {
	uint32_t version;
	uint32_t guest_svn;
	uint64_t policy;
	uint8_t family_id[16];
	uint8_t image_id[16];
	uint32_t vmpl;
	uint32_t signature_algo;
	uint64_t current_tcb;
	uint64_t platform_info;
	uint32_t flags; /* AUTHOR_KEY_EN, MASK_CHIP_KEY, SIGNING_KEY */
	uint32_t reserved_0x4c;
	uint8_t report_data[64];
	uint8_t measurement[48];
	uint8_t host_data[32];
	uint8_t id_key_digest[48];
	uint8_t author_key_digest[48];
	uint8_t report_id[32];
	uint8_t report_id_ma[32];
	uint64_t reported_tcb;
	uint8_t reserved_0x188[24];
	uint8_t chip_id[64];
	uint64_t committed_tcb;
	uint8_t current_version[4];
	uint8_t committed_version[4];
	uint64_t launch_tcb;
	uint8_t reserved_0x1f8[168];
	uint8_t sig_r[72];
	uint8_t sig_s[72];
	uint8_t sig_reserved[368];
};
_Static_assert(sizeof(struct snp_attestation_report) == 0x4a0, "§9.1");
_Static_assert(offsetof(struct snp_attestation_report, report_data) == 0x50,
	       "docs/abi.md §9.1");
_Static_assert(offsetof(struct snp_attestation_report, measurement) == 0x90,
	       "docs/abi.md §9.1");
_Static_assert(offsetof(struct snp_attestation_report, chip_id) == 0x1a0,
	       "docs/abi.md §9.1");
_Static_assert(offsetof(struct snp_attestation_report, sig_r) == 0x2a0,
	       "docs/abi.md §9.1");
_Static_assert(offsetof(struct snp_attestation_report, sig_s) == 0x2e8,
	       "docs/abi.md §9.1");
#define SNP_REPORT_SIGNED_LEN 0x2a0

struct snp_report_rsp {
	uint32_t status;
	uint32_t report_size;
	uint8_t reserved[24];
	struct snp_attestation_report report;
};
_Static_assert(offsetof(struct snp_report_rsp, report) == 0x20, "§9.2");
