/* SPDX-License-Identifier: MIT */
/*
 * The standard endorsement keys (TCG EK Credential Profile for TPM 2.0,
 * templates L-1 and L-2): TPM2_CreatePrimary under TPM_RH_ENDORSEMENT with
 * the fixed template, so the key depends only on the TPM's endorsement
 * seed. A guest's tpm2_createek computes the same key.
 */
#include <stdint.h>
#include <string.h>
#include <vtpm/vtpm.h>

#include "svsm/abi/tpm_ek.h"

#include "marshal.h"
#include "vtpm_private.h"

static const uint8_t ek_policy[32] = TPM_EK_POLICY_A;

/* Writes the TPMT_PUBLIC template; returns its length. */
static size_t ek_template(enum vtpm_ek_kind kind, uint8_t *p)
{
	uint8_t *start = p;
	bool rsa = kind == VTPM_EK_RSA2048;

	put_be16(p, rsa ? TPM_EK_ALG_RSA : TPM_EK_ALG_ECC);
	put_be16(p + 2, TPM_EK_ALG_SHA256);
	put_be32(p + 4, TPM_EK_ATTRIBUTES);
	put_be16(p + 8, sizeof(ek_policy));
	memcpy(p + 10, ek_policy, sizeof(ek_policy));
	p += 10 + sizeof(ek_policy);
	/* symmetric: AES-128-CFB; scheme: NULL */
	put_be16(p, TPM_EK_ALG_AES);
	put_be16(p + 2, 128);
	put_be16(p + 4, TPM_EK_ALG_CFB);
	put_be16(p + 6, TPM_EK_ALG_NULL);
	p += 8;
	if (rsa) {
		put_be16(p, 2048);    /* keyBits */
		put_be32(p + 2, 0);   /* exponent: default 65537 */
		put_be16(p + 6, 256); /* unique: 256 zero bytes */
		memset(p + 8, 0, 256);
		p += 8 + 256;
	} else {
		put_be16(p, TPM_EK_ECC_NIST_P256);
		put_be16(p + 2, TPM_EK_ALG_NULL); /* kdf */
		put_be16(p + 4, 32);              /* unique.x: 32 zero bytes */
		memset(p + 6, 0, 32);
		put_be16(p + 38, 32); /* unique.y */
		memset(p + 40, 0, 32);
		p += 72;
	}
	return (size_t)(p - start);
}

static int32_t flush(uint32_t handle)
{
	uint8_t cmd[14];
	uint8_t resp[TPM2_HEADER_SIZE];

	put_be16(cmd, TPM2_ST_NO_SESSIONS);
	put_be32(cmd + 2, sizeof(cmd));
	put_be32(cmd + 6, TPM2_CC_FLUSH_CONTEXT);
	put_be32(cmd + 10, handle);
	return vtpm_run_internal(cmd, sizeof(cmd), resp, sizeof(resp));
}

int32_t vtpm_ek_public(enum vtpm_ek_kind kind, uint8_t *out, size_t out_cap)
{
	static uint8_t cmd[512];
	static uint8_t resp[VTPM_BUFFER_MAX];
	uint8_t *p = cmd + TPM2_HEADER_SIZE;

	if (out == NULL ||
	    (kind != VTPM_EK_RSA2048 && kind != VTPM_EK_ECC_P256)) {
		return VTPM_E_PARAM;
	}
	put_be32(p, TPM2_RH_ENDORSEMENT);
	put_be32(p + 4, 9); /* authorization area: one empty password */
	put_be32(p + 8, TPM2_RS_PW);
	put_be16(p + 12, 0); /* nonce */
	p[14] = 0;           /* session attributes */
	put_be16(p + 15, 0); /* hmac (the empty endorsement auth) */
	p += 17;
	put_be16(p, 4); /* inSensitive: empty userAuth and data */
	put_be16(p + 2, 0);
	put_be16(p + 4, 0);
	p += 6;
	size_t tlen = ek_template(kind, p + 2);
	put_be16(p, (uint16_t)tlen);
	p += 2 + tlen;
	put_be16(p, 0);     /* outsideInfo */
	put_be32(p + 2, 0); /* creationPCR: none */
	p += 6;
	size_t len = (size_t)(p - cmd);
	put_be16(cmd, TPM2_ST_SESSIONS);
	put_be32(cmd + 2, (uint32_t)len);
	put_be32(cmd + 6, TPM2_CC_CREATE_PRIMARY);

	int32_t n = vtpm_cmd(cmd, len, resp, sizeof(resp));
	if (n < 0) {
		return n;
	}
	if (get_be32(resp + 6) != 0) {
		return VTPM_E_TPM;
	}
	/* handle | parameterSize | outPublic (TPM2B_PUBLIC) | ... */
	if (n < (int32_t)(TPM2_HEADER_SIZE + 10)) {
		return VTPM_E_TPM;
	}
	uint32_t handle = get_be32(resp + TPM2_HEADER_SIZE);
	size_t pub_len = get_be16(resp + TPM2_HEADER_SIZE + 8);
	int32_t rc = (int32_t)pub_len;
	if (TPM2_HEADER_SIZE + 10 + pub_len > (size_t)n) {
		rc = VTPM_E_TPM;
	} else if (pub_len > out_cap) {
		rc = VTPM_E_NOSPACE;
	} else {
		memcpy(out, resp + TPM2_HEADER_SIZE + 10, pub_len);
	}
	if (flush(handle) < 0 && rc >= 0) {
		rc = VTPM_E_TPM;
	}
	return rc;
}
