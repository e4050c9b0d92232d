// SPDX-License-Identifier: MIT
/*
 * The PSP's launch checks (launch.h). Rules: SEV-SNP Firmware ABI
 * SNP_LAUNCH_START / SNP_LAUNCH_FINISH as applied by KVM
 * (arch/x86/kvm/svm/sev.c snp_launch_start(), snp_launch_finish()) and
 * coconut-svsm's igvmmeasure id_block.rs for the signed structures; see
 * docs/igvm.md §6. Pure C, no I/O.
 */
#include "launch.h"

/* The same code runs in snpemu and in a hosted unit test: the compiler's
 * builtins resolve to whichever memcpy/memset/memcmp the link provides. */
#define memcpy __builtin_memcpy
#define memset __builtin_memset
#define memcmp __builtin_memcmp

#define SNP_ALGO_ECDSA_P384_SHA384 1u
#define SNP_CURVE_P384 2u
#define SNP_PUBKEY_SIZE 0x404u  /* SNP public-key structure */
#define SNP_ID_BLOCK_SIZE 96u   /* the part the ID key signs */
#define SNP_ID_BLOCK_VERSION 1u /* what QEMU always sends */

const char *launch_strerror(enum launch_status st)
{
	switch (st) {
	case LAUNCH_OK:
		return "accepted";
	case LAUNCH_POLICY_KVM:
		return "policy sets a bit KVM does not accept "
		       "(KVM_SNP_POLICY_MASK_VALID)";
	case LAUNCH_POLICY_MBO:
		return "policy bit 17 (reserved, must be one) is clear";
	case LAUNCH_POLICY_ABI:
		return "policy requires a newer firmware ABI than the "
		       "platform's";
	case LAUNCH_POLICY_SMT_OFF:
		return "policy forbids SMT but SMT is enabled on the platform";
	case LAUNCH_ID_TWICE:
		return "more than one SNP_ID_BLOCK (QEMU refuses)";
	case LAUNCH_ID_ALGO:
		return "ID key algorithm or curve is not ECDSA P-384";
	case LAUNCH_ID_POLICY:
		return "ID block policy differs from the launch policy";
	case LAUNCH_ID_DIGEST:
		return "ID block digest (ld) differs from the launch digest";
	case LAUNCH_ID_SIGNATURE:
		return "ID block signature does not verify with the ID key";
	case LAUNCH_AUTHOR_ALGO:
		return "author key algorithm or curve is not ECDSA P-384";
	case LAUNCH_AUTHOR_SIGNATURE:
		return "author key signature over the ID key does not verify";
	case LAUNCH_NO_CRYPTO:
		return "an ID block cannot be checked without SHA-384/ECDSA "
		       "(snpemu built without mbedTLS)";
	case LAUNCH_STATUS_COUNT:
		break;
	}
	return "unknown launch status";
}

enum launch_status launch_check_policy(uint64_t policy,
				       const struct launch_platform *p)
{
	uint32_t want = (uint32_t)(policy & 0xffff);
	uint32_t have = ((uint32_t)p->abi_major << 8) | p->abi_minor;

	/* KVM refuses unknown bits before the firmware sees them. */
	if (policy & ~LAUNCH_POLICY_KVM_VALID) {
		return LAUNCH_POLICY_KVM;
	}
	if (!(policy & LAUNCH_POLICY_RSVD_MBO)) {
		return LAUNCH_POLICY_MBO;
	}
	/* ABI_MAJOR.ABI_MINOR is the minimum firmware version. */
	if (want > have) {
		return LAUNCH_POLICY_ABI;
	}
	if (!(policy & LAUNCH_POLICY_SMT) && p->smt_enabled) {
		return LAUNCH_POLICY_SMT_OFF;
	}
	/* DEBUG is allowed; SINGLE_SOCKET holds: the platform has one. */
	return LAUNCH_OK;
}

/* The SNP public-key structure: IGVM's without its reserved word. */
static void snp_pubkey(const struct igvm_snp_id_block_public_key *pk,
		       uint8_t out[SNP_PUBKEY_SIZE])
{
	memset(out, 0, SNP_PUBKEY_SIZE);
	memcpy(out, &pk->curve, 4);
	memcpy(out + 4, pk->qx, sizeof(pk->qx));
	memcpy(out + 76, pk->qy, sizeof(pk->qy));
}

static bool key_ok(uint32_t algo, const struct igvm_snp_id_block_public_key *k)
{
	return algo == SNP_ALGO_ECDSA_P384_SHA384 && k->curve == SNP_CURVE_P384;
}

enum launch_status launch_check_id_block(const struct igvm_snp_id_block *blk,
					 uint64_t file_policy, uint64_t policy,
					 const uint8_t ld[48],
					 const struct launch_crypto *c,
					 struct launch_identity *out)
{
	static uint8_t pub[SNP_PUBKEY_SIZE];
	uint8_t msg[SNP_ID_BLOCK_SIZE] = {0};
	const uint32_t version = SNP_ID_BLOCK_VERSION;
	bool author = blk->author_key_enabled != 0;

	memset(out, 0, sizeof(*out));
	if (!c || !c->sha384 || !c->verify) {
		return LAUNCH_NO_CRYPTO;
	}
	if (!key_ok(blk->id_key_algorithm, &blk->id_public_key)) {
		return LAUNCH_ID_ALGO;
	}
	if (author &&
	    !key_ok(blk->author_key_algorithm, &blk->author_public_key)) {
		return LAUNCH_AUTHOR_ALGO;
	}
	/* The block QEMU hands over: {ld, family, image, 1, svn, policy}. */
	memcpy(msg, blk->ld, 48);
	memcpy(msg + 48, blk->family_id, 16);
	memcpy(msg + 64, blk->image_id, 16);
	memcpy(msg + 80, &version, 4);
	memcpy(msg + 84, &blk->guest_svn, 4);
	memcpy(msg + 88, &file_policy, 8);
	if (!c->verify(msg, sizeof(msg), blk->id_public_key.qx,
		       blk->id_public_key.qy, blk->id_key_signature.r_comp,
		       blk->id_key_signature.s_comp)) {
		return LAUNCH_ID_SIGNATURE;
	}
	snp_pubkey(&blk->id_public_key, pub);
	if (author && !c->verify(pub, sizeof(pub), blk->author_public_key.qx,
				 blk->author_public_key.qy,
				 blk->author_key_signature.r_comp,
				 blk->author_key_signature.s_comp)) {
		return LAUNCH_AUTHOR_SIGNATURE;
	}
	if (file_policy != policy) {
		return LAUNCH_ID_POLICY;
	}
	if (memcmp(blk->ld, ld, 48) != 0) {
		return LAUNCH_ID_DIGEST;
	}
	out->id_block = true;
	out->author_key_en = author;
	memcpy(out->family_id, blk->family_id, 16);
	memcpy(out->image_id, blk->image_id, 16);
	out->guest_svn = blk->guest_svn;
	c->sha384(pub, sizeof(pub), out->id_key_digest);
	if (author) {
		snp_pubkey(&blk->author_public_key, pub);
		c->sha384(pub, sizeof(pub), out->author_key_digest);
	}
	return LAUNCH_OK;
}
