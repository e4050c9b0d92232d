/* SPDX-License-Identifier: MIT */
/*
 * The certificate table an extended guest request returns (GHCB spec,
 * SNP_GUEST_REQUEST_EXT; docs/attestation.md §3): 24-byte entries {GUID,
 * offset, length}, an all-zero terminator, then the DER certificates;
 * offsets count from the start of the table. GUIDs in their little-endian
 * ("mixed-endian") byte order. Guest-visible ABI, <stdint.h> only.
 */
#pragma once

#include <stdint.h>

struct snp_cert_entry {
	uint8_t guid[16];
	uint32_t offset;
	uint32_t length;
};
_Static_assert(sizeof(struct snp_cert_entry) == 24, "GHCB cert table entry");

/* c0b406a4-a803-4952-9743-3fb6014cd0ae */
#define SNP_CERT_GUID_ARK                                                   \
	{                                                                   \
		0xa4, 0x06, 0xb4, 0xc0, 0x03, 0xa8, 0x52, 0x49, 0x97, 0x43, \
			0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae                  \
	}
/* 4ab7b379-bbac-4fe4-a02f-05aef327c782 */
#define SNP_CERT_GUID_ASK                                                   \
	{                                                                   \
		0x79, 0xb3, 0xb7, 0x4a, 0xac, 0xbb, 0xe4, 0x4f, 0xa0, 0x2f, \
			0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82                  \
	}
/* 63da758d-e664-4564-adc5-f4b93be8accd */
#define SNP_CERT_GUID_VCEK                                                  \
	{                                                                   \
		0x8d, 0x75, 0xda, 0x63, 0x64, 0xe6, 0x64, 0x45, 0xad, 0xc5, \
			0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd                  \
	}

/* GHCB SW_EXITINFO2[63:32] for guest requests (docs/attestation.md §3). */
#define SNP_GUEST_VMM_ERR_INVALID_LEN 1
#define SNP_GUEST_VMM_ERR_BUSY 2
