// SPDX-License-Identifier: MIT
/*
 * greq_crypto.h on mbedTLS 3.6. mbedTLS allocates its cipher context from
 * a small arena (lib/mbedtls_arena.h), reset and wiped around every call;
 * callers hold the guest-request lock.
 */
#include "greq_crypto.h"

#include <string.h>

#include "lib/mbedtls_arena.h"

#include "mbedtls/gcm.h"
#include "mbedtls/sha512.h"

#define ARENA_SIZE (16u << 10)

static uint8_t arena[ARENA_SIZE] __attribute__((aligned(16)));

static void arena_reset(void)
{
	mbedtls_arena_begin(arena, sizeof(arena));
}

static bool gcm(bool seal, const uint8_t key[32], const uint8_t iv[12],
		const uint8_t *aad, size_t aad_len, const uint8_t *in,
		uint8_t *out, size_t len, uint8_t tag[16])
{
	mbedtls_gcm_context g;
	int rc = 0;

	arena_reset();
	mbedtls_gcm_init(&g);
	rc = mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, key, 256);
	if (rc == 0 && seal) {
		rc = mbedtls_gcm_crypt_and_tag(&g, MBEDTLS_GCM_ENCRYPT, len, iv,
					       12, aad, aad_len, in, out, 16,
					       tag);
	} else if (rc == 0) {
		rc = mbedtls_gcm_auth_decrypt(&g, len, iv, 12, aad, aad_len,
					      tag, 16, in, out);
	}
	mbedtls_gcm_free(&g);
	arena_reset();
	if (rc != 0) {
		memset(out, 0, len);
	}
	return rc == 0;
}

bool greq_gcm_seal(const uint8_t key[32], const uint8_t iv[12],
		   const uint8_t *aad, size_t aad_len, const uint8_t *in,
		   uint8_t *out, size_t len, uint8_t tag[16])
{
	return gcm(true, key, iv, aad, aad_len, in, out, len, tag);
}

bool greq_gcm_open(const uint8_t key[32], const uint8_t iv[12],
		   const uint8_t *aad, size_t aad_len, const uint8_t *in,
		   uint8_t *out, size_t len, const uint8_t tag[16])
{
	uint8_t t[16];

	memcpy(t, tag, sizeof(t));
	return gcm(false, key, iv, aad, aad_len, in, out, len, t);
}

void greq_sha512_2(const void *a, size_t a_len, const void *b, size_t b_len,
		   uint8_t out[64])
{
	mbedtls_sha512_context c;

	mbedtls_sha512_init(&c);
	(void)mbedtls_sha512_starts(&c, 0);
	(void)mbedtls_sha512_update(&c, a, a_len);
	(void)mbedtls_sha512_update(&c, b, b_len);
	(void)mbedtls_sha512_finish(&c, out);
	mbedtls_sha512_free(&c);
}
