// SPDX-License-Identifier: MIT
/*
 * psp_crypto.h without mbedTLS (scripts/setup not run): every operation
 * fails, so guest requests are refused and no digest is printed. Honest
 * failure rather than fake cryptography.
 */
#include "psp_crypto.h"

bool pspc_gcm(bool encrypt, const uint8_t key[32], const uint8_t iv[12],
	      const uint8_t *aad, size_t aad_len, const uint8_t *in,
	      uint8_t *out, size_t len, uint8_t tag[16])
{
	(void)encrypt, (void)key, (void)iv, (void)aad, (void)aad_len;
	(void)in, (void)out, (void)len, (void)tag;
	return false;
}

bool pspc_sign(const uint8_t *msg, size_t len, uint8_t r[72], uint8_t s[72])
{
	(void)msg, (void)len, (void)r, (void)s;
	return false;
}

bool pspc_verify(const uint8_t *msg, size_t len, const uint8_t r[72],
		 const uint8_t s[72])
{
	(void)msg, (void)len, (void)r, (void)s;
	return false;
}

bool pspc_verify_key(const uint8_t *msg, size_t len, const uint8_t qx[72],
		     const uint8_t qy[72], const uint8_t r[72],
		     const uint8_t s[72])
{
	(void)msg, (void)len, (void)qx, (void)qy, (void)r, (void)s;
	return false;
}

void pspc_sha384(const void *data, size_t len, uint8_t out[48])
{
	(void)data, (void)len;
	for (int i = 0; i < 48; i++) {
		out[i] = 0;
	}
}

bool pspc_vcek_public(uint8_t qx[48], uint8_t qy[48])
{
	(void)qx, (void)qy;
	return false;
}

bool pspc_set_vcek(const uint8_t d[48])
{
	(void)d;
	return false;
}
