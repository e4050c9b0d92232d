/* SPDX-License-Identifier: MIT */
/*
 * The PSP's launch checks (docs/igvm.md §6): the guest policy at
 * SNP_LAUNCH_START and the ID block at SNP_LAUNCH_FINISH. Pure logic: the
 * cryptography comes in through struct launch_crypto, so the checks run on
 * the host in the unit suite and inside snpemu with mbedTLS.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igvm/defs.h"

/* Guest policy bits (SEV-SNP Firmware ABI "Guest Policy"; KVM
 * arch/x86/include/asm/sev.h SNP_POLICY_MASK_*). */
#define LAUNCH_POLICY_ABI_MINOR UINT64_C(0xff)
#define LAUNCH_POLICY_ABI_MAJOR UINT64_C(0xff00)
#define LAUNCH_POLICY_SMT (UINT64_C(1) << 16)
#define LAUNCH_POLICY_RSVD_MBO (UINT64_C(1) << 17)
#define LAUNCH_POLICY_MIGRATE_MA (UINT64_C(1) << 18)
#define LAUNCH_POLICY_DEBUG (UINT64_C(1) << 19)
#define LAUNCH_POLICY_SINGLE_SOCKET (UINT64_C(1) << 20)

/*
 * What upstream KVM passes to SNP_LAUNCH_START (KVM_SNP_POLICY_MASK_VALID in
 * arch/x86/kvm/svm/sev.c before the 2026 additions of CXL_ALLOW and later
 * bits, which depend on the host): anything else is -EINVAL.
 */
#define LAUNCH_POLICY_KVM_VALID                                             \
	(LAUNCH_POLICY_ABI_MINOR | LAUNCH_POLICY_ABI_MAJOR |                \
	 LAUNCH_POLICY_SMT | LAUNCH_POLICY_RSVD_MBO | LAUNCH_POLICY_DEBUG | \
	 LAUNCH_POLICY_SINGLE_SOCKET)

/* QEMU's sev-snp-guest default policy (target/i386/sev.c). */
#define LAUNCH_POLICY_QEMU_DEFAULT UINT64_C(0x30000)

enum launch_status {
	LAUNCH_OK = 0,
	LAUNCH_POLICY_KVM,       /* a bit KVM does not pass on (-EINVAL) */
	LAUNCH_POLICY_MBO,       /* bit 17 clear */
	LAUNCH_POLICY_ABI,       /* needs a newer firmware ABI */
	LAUNCH_POLICY_SMT_OFF,   /* SMT disallowed but the platform has it */
	LAUNCH_ID_TWICE,         /* a second ID block (QEMU refuses) */
	LAUNCH_ID_ALGO,          /* ID key algorithm or curve unsupported */
	LAUNCH_ID_POLICY,        /* ID block policy != launch policy */
	LAUNCH_ID_DIGEST,        /* ID block ld != launch digest */
	LAUNCH_ID_SIGNATURE,     /* ID key signature does not verify */
	LAUNCH_AUTHOR_ALGO,      /* author key algorithm or curve */
	LAUNCH_AUTHOR_SIGNATURE, /* author signature over the ID key */
	LAUNCH_NO_CRYPTO,        /* an ID block but no SHA-384/ECDSA */
	LAUNCH_STATUS_COUNT
};

/** A sentence for a stop report (never NULL). */
const char *launch_strerror(enum launch_status st);

/* The emulated platform, as SNP_PLATFORM_STATUS would report it. */
struct launch_platform {
	uint8_t abi_major, abi_minor;
	bool smt_enabled;
};

/** SNP_LAUNCH_START: may a guest with @policy start on @p? */
enum launch_status launch_check_policy(uint64_t policy,
				       const struct launch_platform *p);

/* Hashing and signature checks, from psp_crypto.h or the unit test. */
struct launch_crypto {
	void (*sha384)(const void *data, size_t len, uint8_t out[48]);
	/* ECDSA P-384/SHA-384; every value little-endian in 72 bytes. */
	bool (*verify)(const uint8_t *msg, size_t len, const uint8_t qx[72],
		       const uint8_t qy[72], const uint8_t r[72],
		       const uint8_t s[72]);
};

/* What an accepted ID block puts into attestation reports. */
struct launch_identity {
	bool id_block; /* an ID block was checked and accepted */
	bool author_key_en;
	uint8_t family_id[16], image_id[16];
	uint32_t guest_svn;
	uint8_t id_key_digest[48];     /* SHA-384 of the ID public key */
	uint8_t author_key_digest[48]; /* zero without an author key */
};

/**
 * SNP_LAUNCH_FINISH with the ID block QEMU builds from the IGVM one
 * (backends/igvm.c qigvm_directive_snp_id_block(): version 1, the file's
 * policy): every field checked against @policy (the launch policy) and
 * @ld (the launch digest), the ID key's signature over the 96-byte ID
 * block and, if enabled, the author key's signature over the ID key.
 * @file_policy is the policy QEMU writes into the ID block. On LAUNCH_OK
 * @out is filled.
 */
enum launch_status launch_check_id_block(const struct igvm_snp_id_block *blk,
					 uint64_t file_policy, uint64_t policy,
					 const uint8_t ld[48],
					 const struct launch_crypto *c,
					 struct launch_identity *out);
