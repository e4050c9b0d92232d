/* SPDX-License-Identifier: MIT */
/*
 * The PSP's MSG_REPORT_REQ handling without cryptography (docs/igvm.md
 * §6.3): which request headers and report requests the firmware refuses,
 * and the attestation report as the firmware fills it. Pure logic, unit
 * tested on the host; psp.c adds AES-GCM and the VCEK signature.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "svsm/abi/snp_guest_msg.h"

#include "launch.h"

/* The emulated firmware: SEV-SNP ABI 1.51 (report version 2), on a
 * one-socket platform with SMT enabled. */
#define PSP_ABI_MAJOR 1u
#define PSP_ABI_MINOR 51u
#define PSP_FW_BUILD 3u
#define PSP_SMT_ENABLED true
#define PSP_REPORT_VERSION 2u

/* TCB_VERSION (Milan/Genoa layout): boot loader, TEE, 4 reserved bytes,
 * SNP, microcode. The same for current, committed, reported and launch:
 * no firmware update ever happens on the emulated platform. */
#define PSP_TCB                                                \
	(UINT64_C(4) | UINT64_C(1) << 8 | UINT64_C(22) << 48 | \
	 UINT64_C(213) << 56)

/* PLATFORM_INFO bit 0: SMT enabled. */
#define PSP_PLATFORM_INFO_SMT_EN UINT64_C(1)

/* REPORT_REQ flags bits 1:0, KEY_SEL: 0 VLEK if installed else VCEK,
 * 1 VCEK, 2 VLEK, 3 reserved. No VLEK is ever installed here. */
#define PSP_KEY_SEL_MASK 0x3u
#define PSP_KEY_SEL_VLEK 2u

/* What the report says about the guest and the platform. */
struct psp_guest {
	uint64_t policy;
	uint8_t measurement[48];
	uint8_t report_id[32];
	/* The VCEK certificate's hwID and TCB (psp_certs.h): the same TCB
	 * for current, reported, committed and launch, as no firmware
	 * update ever happens on the emulated platform. */
	uint8_t chip_id[64];
	uint64_t tcb;
	struct launch_identity identity;
};

/**
 * Check a request header (copied out of shared memory) against the guest
 * context: algorithm, header version and size, message type and version,
 * size, VMPCK index, zero reserved bytes, and a sequence number exactly
 * one above the last one used with that VMPCK (@last_seqno). Returns
 * SNP_FW_SUCCESS or the firmware status for SW_EXITINFO2; on failure no
 * response is written and no sequence number advances.
 */
uint32_t psp_msg_check(const struct snp_guest_msg_hdr *h, uint64_t last_seqno);

/**
 * Check a decrypted REPORT_REQ sent with VMPCK @vmpck: VMPL in
 * [@vmpck, 3], KEY_SEL not VLEK (none installed: SNP_FW_INVALID_KEY) and
 * not reserved, no other flag bits, reserved bytes zero. Returns the
 * status the encrypted response carries.
 */
uint32_t psp_report_req_check(const struct snp_report_req *q, uint32_t vmpck);

/** Fill the report fields (everything but the signature). */
void psp_report_fill(struct snp_attestation_report *r,
		     const struct snp_report_req *q, const struct psp_guest *g);
