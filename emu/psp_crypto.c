// SPDX-License-Identifier: MIT
/*
 * psp_crypto.h on mbedTLS 3.6 (scripts/thirdparty/30-mbedtls.sh). mbedTLS
 * allocates through calloc/free: a bump arena, reset at the start of every
 * public call, serves it (nothing outlives a call).
 */
#include "psp_crypto.h"

#include <stdint.h>
#include <string.h>

#include "lib/mbedtls_arena.h"

#include "mbedtls/ecdsa.h"
#include "mbedtls/gcm.h"
#include "mbedtls/sha512.h"

#define ARENA_SIZE (2u << 20)

static uint8_t arena[ARENA_SIZE] __attribute__((aligned(16)));

static void arena_reset(void)
{
	mbedtls_arena_begin(arena, sizeof(arena));
}

/* Blinding randomness only (never part of an output): RDRAND, else TSC. */
static int blind_rng(void *ctx, unsigned char *out, size_t len)
{
	(void)ctx;
	for (size_t i = 0; i < len; i++) {
		uint64_t v = 0;
		uint8_t ok = 0;

		__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
		if (!ok) {
			uint32_t lo = 0, hi = 0;

			__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
			v = ((uint64_t)hi << 32 | lo) * 0x9e3779b97f4a7c15u;
		}
		out[i] = (unsigned char)v;
	}
	return 0;
}

void pspc_sha384(const void *data, size_t len, uint8_t out[48])
{
	(void)mbedtls_sha512(data, len, out, 1);
}

bool pspc_gcm(bool encrypt, const uint8_t key[32], const uint8_t iv[12],
	      const uint8_t *aad, size_t aad_len, const uint8_t *in,
	      uint8_t *out, size_t len, uint8_t tag[16])
{
	mbedtls_gcm_context g;
	int rc = 0;

	arena_reset();
	mbedtls_gcm_init(&g);
	rc = mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, key, 256);
	if (rc == 0 && encrypt) {
		rc = mbedtls_gcm_crypt_and_tag(&g, MBEDTLS_GCM_ENCRYPT, len, iv,
					       12, aad, aad_len, in, out, 16,
					       tag);
	} else if (rc == 0) {
		rc = mbedtls_gcm_auth_decrypt(&g, len, iv, 12, aad, aad_len,
					      tag, 16, in, out);
	}
	mbedtls_gcm_free(&g);
	return rc == 0;
}

/* The build's VCEK scalar (psp_certs.c), loaded once from the host. */
static uint8_t vcek_d[48];
static bool vcek_set;

bool pspc_set_vcek(const uint8_t d[48])
{
	memcpy(vcek_d, d, sizeof(vcek_d));
	vcek_set = true;
	return true;
}

/* d = the loaded scalar (refused when outside [1, n-1]); Q = dG. */
static int vcek_load(mbedtls_ecp_group *grp, mbedtls_mpi *d,
		     mbedtls_ecp_point *q)
{
	int rc = 0;

	if (!vcek_set) {
		return MBEDTLS_ERR_ECP_BAD_INPUT_DATA;
	}
	rc = mbedtls_ecp_group_load(grp, MBEDTLS_ECP_DP_SECP384R1);
	if (rc == 0) {
		rc = mbedtls_mpi_read_binary(d, vcek_d, sizeof(vcek_d));
	}
	if (rc == 0) {
		rc = mbedtls_ecp_check_privkey(grp, d);
	}
	if (rc == 0 && q != NULL) {
		rc = mbedtls_ecp_mul(grp, q, d, &grp->G, blind_rng, NULL);
	}
	return rc;
}

bool pspc_sign(const uint8_t *msg, size_t len, uint8_t r_le[72],
	       uint8_t s_le[72])
{
	mbedtls_ecp_group grp;
	mbedtls_mpi d, r, s;
	uint8_t h[48];
	int rc = 0;

	arena_reset();
	mbedtls_ecp_group_init(&grp);
	mbedtls_mpi_init(&d);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	pspc_sha384(msg, len, h);
	rc = vcek_load(&grp, &d, NULL);
	if (rc == 0) {
		rc = mbedtls_ecdsa_sign_det_ext(&grp, &r, &s, &d, h, sizeof(h),
						MBEDTLS_MD_SHA384, blind_rng,
						NULL);
	}
	if (rc == 0) {
		rc = mbedtls_mpi_write_binary_le(&r, r_le, 72);
	}
	if (rc == 0) {
		rc = mbedtls_mpi_write_binary_le(&s, s_le, 72);
	}
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&d);
	mbedtls_ecp_group_free(&grp);
	return rc == 0;
}

/* Verify (r, s) over SHA-384(@msg) with public key Q = (@qx, @qy): Q must be
 * a valid point of the curve before it is used. */
static bool verify_point(mbedtls_ecp_group *grp, const mbedtls_ecp_point *q,
			 const uint8_t *msg, size_t len, const uint8_t r_le[72],
			 const uint8_t s_le[72])
{
	mbedtls_mpi r, s;
	uint8_t h[48];
	int rc = 0;

	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	pspc_sha384(msg, len, h);
	rc = mbedtls_ecp_check_pubkey(grp, q);
	if (rc == 0) {
		rc = mbedtls_mpi_read_binary_le(&r, r_le, 72);
	}
	if (rc == 0) {
		rc = mbedtls_mpi_read_binary_le(&s, s_le, 72);
	}
	if (rc == 0) {
		rc = mbedtls_ecdsa_verify(grp, h, sizeof(h), q, &r, &s);
	}
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&r);
	return rc == 0;
}

bool pspc_verify_key(const uint8_t *msg, size_t len, const uint8_t qx_le[72],
		     const uint8_t qy_le[72], const uint8_t r_le[72],
		     const uint8_t s_le[72])
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	int rc = 0;
	bool ok = false;

	arena_reset();
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	rc = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP384R1);
	if (rc == 0) {
		rc = mbedtls_mpi_read_binary_le(&q.MBEDTLS_PRIVATE(X), qx_le,
						72);
	}
	if (rc == 0) {
		rc = mbedtls_mpi_read_binary_le(&q.MBEDTLS_PRIVATE(Y), qy_le,
						72);
	}
	if (rc == 0) {
		rc = mbedtls_mpi_lset(&q.MBEDTLS_PRIVATE(Z), 1);
	}
	if (rc == 0) {
		ok = verify_point(&grp, &q, msg, len, r_le, s_le);
	}
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return ok;
}

bool pspc_verify(const uint8_t *msg, size_t len, const uint8_t r_le[72],
		 const uint8_t s_le[72])
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi d;
	bool ok = false;

	arena_reset();
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&d);
	if (vcek_load(&grp, &d, &q) == 0) {
		ok = verify_point(&grp, &q, msg, len, r_le, s_le);
	}
	mbedtls_mpi_free(&d);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return ok;
}

bool pspc_vcek_public(uint8_t qx[48], uint8_t qy[48])
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi d;
	int rc = 0;

	arena_reset();
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&d);
	rc = vcek_load(&grp, &d, &q);
	if (rc == 0) {
		rc = mbedtls_mpi_write_binary(&q.MBEDTLS_PRIVATE(X), qx, 48);
	}
	if (rc == 0) {
		rc = mbedtls_mpi_write_binary(&q.MBEDTLS_PRIVATE(Y), qy, 48);
	}
	mbedtls_mpi_free(&d);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return rc == 0;
}
