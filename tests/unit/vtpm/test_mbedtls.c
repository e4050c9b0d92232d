/* SPDX-License-Identifier: MIT */
/*
 * The freestanding mbedTLS build (scripts/thirdparty/30-mbedtls.sh, fw
 * flags) linked into a hosted test: known-answer tests for SHA-256/384/512
 * and AES-256-GCM, and ECDSA/ECDH on P-384 with HMAC-DRBG, so the SVSM and
 * snpemu get a library already proven to work with this configuration.
 */
#include <mbedtls/ecdh.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/gcm.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/md.h>
#include <mbedtls/platform.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static int unhex(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned int v = 0;
		for (int k = 0; k < 2; k++) {
			char c = s[2 * i + k];
			v = v * 16 +
			    (unsigned int)(c <= '9' ? c - '0' : c - 'a' + 10);
		}
		out[i] = (uint8_t)v;
	}
	return 0;
}

TAP_CASE(sha_known_answers)
{
	uint8_t got[64];
	uint8_t want[64];

	CHECK_EQ(mbedtls_sha256((const uint8_t *)"abc", 3, got, 0), 0);
	unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a"
	      "d",
	      want, 32);
	CHECK_TRUE(memcmp(got, want, 32) == 0);
	CHECK_EQ(mbedtls_sha512((const uint8_t *)"abc", 3, got, 1), 0);
	unhex("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
	      "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
	      want, 48);
	CHECK_TRUE(memcmp(got, want, 48) == 0);
	CHECK_EQ(mbedtls_sha512((const uint8_t *)"abc", 3, got, 0), 0);
	unhex("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49"
	      "f",
	      want, 64);
	CHECK_TRUE(memcmp(got, want, 64) == 0);
}

/* GCM specification (McGrew & Viega), test case 14: AES-256, zero key,
 * zero IV, one zero block. */
TAP_CASE(aes256_gcm_known_answer)
{
	static const uint8_t key[32];
	static const uint8_t iv[12];
	static const uint8_t pt[16];
	uint8_t ct[16];
	uint8_t tag[16];
	uint8_t back[16];
	uint8_t want_ct[16];
	uint8_t want_tag[16];
	mbedtls_gcm_context gcm;

	unhex("cea7403d4d606b6e074ec5d3baf39d18", want_ct, 16);
	unhex("d0d1c8a799996bf0265b98b5d48ab919", want_tag, 16);
	mbedtls_gcm_init(&gcm);
	CHECK_EQ(mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 256), 0);
	CHECK_EQ(mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, 16, iv,
					   12, NULL, 0, pt, ct, 16, tag),
		 0);
	CHECK_TRUE(memcmp(ct, want_ct, 16) == 0);
	CHECK_TRUE(memcmp(tag, want_tag, 16) == 0);
	CHECK_EQ(mbedtls_gcm_auth_decrypt(&gcm, 16, iv, 12, NULL, 0, tag, 16,
					  ct, back),
		 0);
	tag[0] ^= 1;
	CHECK_TRUE(mbedtls_gcm_auth_decrypt(&gcm, 16, iv, 12, NULL, 0, tag, 16,
					    ct, back) != 0);
	mbedtls_gcm_free(&gcm);
}

static mbedtls_hmac_drbg_context drbg;

static int fixed_entropy(void *ctx, unsigned char *out, size_t len)
{
	(void)ctx;
	for (size_t i = 0; i < len; i++) {
		out[i] = (unsigned char)(i * 7 + 1);
	}
	return 0;
}

TAP_CASE(ecdsa_ecdh_p384)
{
	const mbedtls_md_info_t *md =
		mbedtls_md_info_from_type(MBEDTLS_MD_SHA384);
	mbedtls_ecdsa_context key;
	mbedtls_ecdh_context a;
	mbedtls_ecdh_context b;
	uint8_t hash[48];
	uint8_t sig[MBEDTLS_ECDSA_MAX_LEN];
	size_t sig_len = 0;
	/* TLS ECPoint: a length byte, then the uncompressed point (97). */
	uint8_t qa[98];
	uint8_t qb[98];
	size_t qa_len = 0;
	size_t qb_len = 0;
	uint8_t sa[48];
	uint8_t sb[48];
	size_t sa_len = 0;
	size_t sb_len = 0;

	CHECK_EQ(mbedtls_hmac_drbg_seed(&drbg, md, fixed_entropy, NULL,
					(const uint8_t *)"svsm", 4),
		 0);
	mbedtls_ecdsa_init(&key);
	CHECK_EQ(mbedtls_ecdsa_genkey(&key, MBEDTLS_ECP_DP_SECP384R1,
				      mbedtls_hmac_drbg_random, &drbg),
		 0);
	CHECK_EQ(mbedtls_sha512((const uint8_t *)"report", 6, hash, 1), 0);
	CHECK_EQ(mbedtls_ecdsa_write_signature(&key, MBEDTLS_MD_SHA384, hash,
					       48, sig, sizeof(sig), &sig_len,
					       mbedtls_hmac_drbg_random, &drbg),
		 0);
	CHECK_EQ(mbedtls_ecdsa_read_signature(&key, hash, 48, sig, sig_len), 0);
	hash[0] ^= 1;
	CHECK_TRUE(mbedtls_ecdsa_read_signature(&key, hash, 48, sig, sig_len) !=
		   0);
	mbedtls_ecdsa_free(&key);

	mbedtls_ecdh_init(&a);
	mbedtls_ecdh_init(&b);
	CHECK_EQ(mbedtls_ecdh_setup(&a, MBEDTLS_ECP_DP_SECP384R1), 0);
	CHECK_EQ(mbedtls_ecdh_setup(&b, MBEDTLS_ECP_DP_SECP384R1), 0);
	CHECK_EQ(mbedtls_ecdh_make_public(&a, &qa_len, qa, sizeof(qa),
					  mbedtls_hmac_drbg_random, &drbg),
		 0);
	CHECK_EQ(mbedtls_ecdh_make_public(&b, &qb_len, qb, sizeof(qb),
					  mbedtls_hmac_drbg_random, &drbg),
		 0);
	CHECK_EQ(mbedtls_ecdh_read_public(&a, qb, qb_len), 0);
	CHECK_EQ(mbedtls_ecdh_read_public(&b, qa, qa_len), 0);
	CHECK_EQ(mbedtls_ecdh_calc_secret(&a, &sa_len, sa, sizeof(sa),
					  mbedtls_hmac_drbg_random, &drbg),
		 0);
	CHECK_EQ(mbedtls_ecdh_calc_secret(&b, &sb_len, sb, sizeof(sb),
					  mbedtls_hmac_drbg_random, &drbg),
		 0);
	CHECK_TRUE(sa_len == 48 && sb_len == 48 && memcmp(sa, sb, 48) == 0);
	mbedtls_ecdh_free(&a);
	mbedtls_ecdh_free(&b);
	mbedtls_hmac_drbg_free(&drbg);
}

/* The configuration has no default allocator: the user installs one. */
TAP_CASE(install_allocator)
{
	CHECK_EQ(mbedtls_platform_set_calloc_free(calloc, free), 0);
}

TAP_MAIN(TAP_ENTRY(install_allocator), TAP_ENTRY(sha_known_answers),
	 TAP_ENTRY(aes256_gcm_known_answer), TAP_ENTRY(ecdsa_ecdh_p384))
