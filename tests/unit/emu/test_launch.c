// SPDX-License-Identifier: MIT
/*
 * snpemu's launch checks (emu/launch.c) on the host: the guest policy at
 * LAUNCH_START and an ID block crafted and signed here with OpenSSL
 * (P-384 keys generated per run, never stored) at LAUNCH_FINISH.
 */
/* The EC_KEY API keeps the test short; it is deprecated in OpenSSL 3. */
#define OPENSSL_API_COMPAT 0x10100000L

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "../tap.h"
#include "launch.h"

static const struct launch_platform plat = {1, 55, true};

TAP_CASE(policy_rules_of_launch_start)
{
	CHECK_EQ(launch_check_policy(0x30000, &plat), LAUNCH_OK);
	CHECK_EQ(launch_check_policy(0xB0000, &plat), LAUNCH_OK); /* debug */
	CHECK_EQ(launch_check_policy(0x130000, &plat), LAUNCH_OK);
	CHECK_EQ(launch_check_policy(0x30137, &plat), LAUNCH_OK); /* 1.55 */
	CHECK_EQ(launch_check_policy(0x10000, &plat), LAUNCH_POLICY_MBO);
	CHECK_EQ(launch_check_policy(0x20000, &plat), LAUNCH_POLICY_SMT_OFF);
	CHECK_EQ(launch_check_policy(0x30138, &plat), LAUNCH_POLICY_ABI);
	CHECK_EQ(launch_check_policy(0x30200, &plat), LAUNCH_POLICY_ABI);
	/* MIGRATE_MA, and bits KVM does not pass on. */
	CHECK_EQ(launch_check_policy(0x70000, &plat), LAUNCH_POLICY_KVM);
	CHECK_EQ(launch_check_policy(0x230000, &plat), LAUNCH_POLICY_KVM);
	CHECK_EQ(launch_check_policy(UINT64_C(1) << 63 | 0x30000, &plat),
		 LAUNCH_POLICY_KVM);
	/* Without SMT on the platform, SMT may be disallowed. */
	{
		const struct launch_platform no_smt = {1, 55, false};

		CHECK_EQ(launch_check_policy(0x20000, &no_smt), LAUNCH_OK);
	}
}

static void sha384(const void *d, size_t len, uint8_t out[48])
{
	SHA384(d, len, out);
}

static void reverse72(const uint8_t *le, uint8_t be[72])
{
	for (int i = 0; i < 72; i++) {
		be[i] = le[71 - i];
	}
}

static bool verify(const uint8_t *msg, size_t len, const uint8_t qx[72],
		   const uint8_t qy[72], const uint8_t r[72],
		   const uint8_t s[72])
{
	uint8_t pub[1 + 96], be[72];
	EC_KEY *k = EC_KEY_new_by_curve_name(NID_secp384r1);
	ECDSA_SIG *sig = ECDSA_SIG_new();
	uint8_t h[48];
	bool ok = false;

	pub[0] = 4;
	reverse72(qx, be);
	memcpy(pub + 1, be + 24, 48);
	reverse72(qy, be);
	memcpy(pub + 49, be + 24, 48);
	if (k && sig && EC_KEY_oct2key(k, pub, sizeof(pub), NULL) == 1) {
		BIGNUM *br = BN_lebin2bn(r, 72, NULL);
		BIGNUM *bs = BN_lebin2bn(s, 72, NULL);

		ECDSA_SIG_set0(sig, br, bs);
		SHA384(msg, len, h);
		ok = ECDSA_do_verify(h, sizeof(h), sig, k) == 1;
	}
	ECDSA_SIG_free(sig);
	EC_KEY_free(k);
	return ok;
}

static const struct launch_crypto crypto = {sha384, verify};

static EC_KEY *new_key(struct igvm_snp_id_block_public_key *pk)
{
	EC_KEY *k = EC_KEY_new_by_curve_name(NID_secp384r1);
	BIGNUM *x = BN_new(), *y = BN_new();

	memset(pk, 0, sizeof(*pk));
	pk->curve = 2;
	if (k && EC_KEY_generate_key(k) == 1 &&
	    EC_POINT_get_affine_coordinates(EC_KEY_get0_group(k),
					    EC_KEY_get0_public_key(k), x, y,
					    NULL) == 1) {
		BN_bn2lebinpad(x, pk->qx, 72);
		BN_bn2lebinpad(y, pk->qy, 72);
	}
	BN_free(x);
	BN_free(y);
	return k;
}

static void sign(EC_KEY *k, const void *msg, size_t len,
		 struct igvm_snp_id_block_signature *out)
{
	uint8_t h[48];
	ECDSA_SIG *sig = NULL;

	SHA384(msg, len, h);
	sig = ECDSA_do_sign(h, sizeof(h), k);
	memset(out, 0, sizeof(*out));
	if (sig) {
		BN_bn2lebinpad(ECDSA_SIG_get0_r(sig), out->r_comp, 72);
		BN_bn2lebinpad(ECDSA_SIG_get0_s(sig), out->s_comp, 72);
	}
	ECDSA_SIG_free(sig);
}

static uint8_t ld[48];
static EC_KEY *id_key, *author_key;
static struct igvm_snp_id_block_public_key id_pub;

/* An ID block as the builder makes it, signed for @policy. */
static void make(struct igvm_snp_id_block *b, uint64_t policy, bool author)
{
	uint8_t msg[96] = {0}, pub[0x404] = {0};
	const uint32_t version = 1;

	memset(b, 0, sizeof(*b));
	memcpy(b->ld, ld, 48);
	memset(b->family_id, 0xfa, 16);
	memset(b->image_id, 0x1d, 16);
	b->version = 1;
	b->guest_svn = 7;
	b->id_key_algorithm = 1;
	if (!id_key) {
		id_key = new_key(&id_pub);
	}
	b->id_public_key = id_pub;
	memcpy(msg, ld, 48);
	memcpy(msg + 48, b->family_id, 16);
	memcpy(msg + 64, b->image_id, 16);
	memcpy(msg + 80, &version, 4);
	memcpy(msg + 84, &b->guest_svn, 4);
	memcpy(msg + 88, &policy, 8);
	sign(id_key, msg, sizeof(msg), &b->id_key_signature);
	if (author) {
		b->author_key_enabled = 1;
		b->author_key_algorithm = 1;
		author_key = new_key(&b->author_public_key);
		memcpy(pub, &b->id_public_key.curve, 4);
		memcpy(pub + 4, b->id_public_key.qx, 72);
		memcpy(pub + 76, b->id_public_key.qy, 72);
		sign(author_key, pub, sizeof(pub), &b->author_key_signature);
	}
}

TAP_CASE(a_signed_id_block_is_accepted_and_fills_the_identity)
{
	struct igvm_snp_id_block b;
	struct launch_identity out;
	uint8_t pub[0x404] = {0}, want[48];

	for (int i = 0; i < 48; i++) {
		ld[i] = (uint8_t)(i * 5 + 1);
	}
	make(&b, 0x30000, false);
	CHECK_EQ(launch_check_id_block(&b, 0x30000, 0x30000, ld, &crypto, &out),
		 LAUNCH_OK);
	CHECK_TRUE(out.id_block && !out.author_key_en);
	CHECK_EQ(out.guest_svn, 7);
	CHECK_EQ(out.family_id[3], 0xfa);
	CHECK_EQ(out.image_id[15], 0x1d);
	memcpy(pub, &b.id_public_key.curve, 4);
	memcpy(pub + 4, b.id_public_key.qx, 72);
	memcpy(pub + 76, b.id_public_key.qy, 72);
	SHA384(pub, sizeof(pub), want);
	CHECK_EQ(memcmp(out.id_key_digest, want, 48), 0);
	CHECK_EQ(out.author_key_digest[0] | out.author_key_digest[47], 0);

	make(&b, 0x30000, true);
	CHECK_EQ(launch_check_id_block(&b, 0x30000, 0x30000, ld, &crypto, &out),
		 LAUNCH_OK);
	CHECK_TRUE(out.author_key_en);
	CHECK_TRUE(memcmp(out.author_key_digest, want, 48) != 0);
	EC_KEY_free(author_key);
}

TAP_CASE(each_id_block_fault_is_refused)
{
	struct igvm_snp_id_block b;
	struct launch_identity out;
	uint8_t other[48];

	make(&b, 0x30000, false);
	/* The launch digest differs from ld. */
	memcpy(other, ld, 48);
	other[0] ^= 1;
	CHECK_EQ(launch_check_id_block(&b, 0x30000, 0x30000, other, &crypto,
				       &out),
		 LAUNCH_ID_DIGEST);
	CHECK_TRUE(!out.id_block);
	/* The launch policy differs from the block's (signed) policy. */
	CHECK_EQ(launch_check_id_block(&b, 0x30000, 0xB0000, ld, &crypto, &out),
		 LAUNCH_ID_POLICY);
	/* Signed for another policy than QEMU puts in the block. */
	CHECK_EQ(launch_check_id_block(&b, 0xB0000, 0xB0000, ld, &crypto, &out),
		 LAUNCH_ID_SIGNATURE);
	/* A tampered field. */
	b.guest_svn = 8;
	CHECK_EQ(launch_check_id_block(&b, 0x30000, 0x30000, ld, &crypto, &out),
		 LAUNCH_ID_SIGNATURE);
	make(&b, 0x30000, false);
	b.id_key_algorithm = 2;
	CHECK_EQ(launch_check_id_block(&b, 0x30000, 0x30000, ld, &crypto, &out),
		 LAUNCH_ID_ALGO);
	make(&b, 0x30000, false);
	b.id_public_key.curve = 1;
	CHECK_EQ(launch_check_id_block(&b, 0x30000, 0x30000, ld, &crypto, &out),
		 LAUNCH_ID_ALGO);
	/* Not a point of the curve. */
	make(&b, 0x30000, false);
	b.id_public_key.qy[0] ^= 1;
	CHECK_EQ(launch_check_id_block(&b, 0x30000, 0x30000, ld, &crypto, &out),
		 LAUNCH_ID_SIGNATURE);
	/* Author key: bad signature, bad algorithm. */
	make(&b, 0x30000, true);
	b.author_key_signature.s_comp[3] ^= 1;
	CHECK_EQ(launch_check_id_block(&b, 0x30000, 0x30000, ld, &crypto, &out),
		 LAUNCH_AUTHOR_SIGNATURE);
	EC_KEY_free(author_key);
	make(&b, 0x30000, true);
	b.author_key_algorithm = 0;
	CHECK_EQ(launch_check_id_block(&b, 0x30000, 0x30000, ld, &crypto, &out),
		 LAUNCH_AUTHOR_ALGO);
	EC_KEY_free(author_key);
	/* No cryptography: refused, never waved through. */
	make(&b, 0x30000, false);
	CHECK_EQ(launch_check_id_block(&b, 0x30000, 0x30000, ld, NULL, &out),
		 LAUNCH_NO_CRYPTO);
}

TAP_CASE(every_status_has_a_sentence)
{
	for (int s = 0; s < LAUNCH_STATUS_COUNT; s++) {
		CHECK_TRUE(strcmp(launch_strerror((enum launch_status)s),
				  "unknown launch status") != 0);
	}
	EC_KEY_free(id_key);
}

TAP_MAIN(TAP_ENTRY(policy_rules_of_launch_start),
	 TAP_ENTRY(a_signed_id_block_is_accepted_and_fills_the_identity),
	 TAP_ENTRY(each_id_block_fault_is_refused),
	 TAP_ENTRY(every_status_has_a_sentence))
