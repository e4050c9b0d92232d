/* SPDX-License-Identifier: MIT */
/*
 * The standard endorsement keys whose public areas are the vTPM's data in
 * the attestation manifest (docs/attestation.md §4.3): the TCG EK
 * Credential Profile's default templates L-1 (RSA-2048, manifest version
 * 0) and L-2 (ECC NIST P-256, version 1; this project's extension). The
 * TPM 2.0 ids and values they use, and the sizes of the marshalled
 * TPMT_PUBLIC the TPM returns for them. Guest-visible ABI; macros only, so
 * the freestanding vTPM library can include it too.
 */
#pragma once

/* TPM_ALG_ID values (TPM 2.0 Part 2, table "Definition of TPM_ALG_ID"). */
#define TPM_EK_ALG_RSA 0x0001u
#define TPM_EK_ALG_AES 0x0006u
#define TPM_EK_ALG_SHA256 0x000bu
#define TPM_EK_ALG_NULL 0x0010u
#define TPM_EK_ALG_ECC 0x0023u
#define TPM_EK_ALG_CFB 0x0043u
#define TPM_EK_ECC_NIST_P256 0x0003u

/* fixedTPM | fixedParent | sensitiveDataOrigin | adminWithPolicy |
 * restricted | decrypt */
#define TPM_EK_ATTRIBUTES 0x000300b2u

/* authPolicy "PolicyA": PolicySecret(TPM_RH_ENDORSEMENT), SHA-256. */
#define TPM_EK_POLICY_A                                                       \
	{                                                                     \
		0x83, 0x71, 0x97, 0x67, 0x44, 0x84, 0xb3, 0xf8, 0x1a, 0x90,   \
			0xcc, 0x8d, 0x46, 0xa5, 0xd7, 0x24, 0xfd, 0x52, 0xd7, \
			0x6e, 0x06, 0x52, 0x0b, 0x64, 0xf2, 0xa1, 0xda, 0x1b, \
			0x33, 0x14, 0x69, 0xaa                                \
	}

/* Marshalled TPMT_PUBLIC: type, nameAlg, attributes (8), authPolicy
 * (2 + 32), AES-128-CFB (6), scheme NULL (2), then RSA: keyBits,
 * exponent, modulus (2 + 4 + 2 + 256); ECC: curve, kdf, x, y
 * (2 + 2 + 2 + 32 + 2 + 32). */
#define TPM_EK_RSA2048_PUBLIC_SIZE 314u
#define TPM_EK_ECC_P256_PUBLIC_SIZE 122u
