/* SPDX-License-Identifier: MIT */

#include "tpm2.h"

#include <vtpm/vtpm.h>

void tc_begin(struct tpm2_cmd *c, uint16_t tag, uint32_t cc)
{
	c->len = 0;
	tc_u16(c, tag);
	tc_u32(c, 0); /* patched by tpm2_exec */
	tc_u32(c, cc);
}

void tc_u8(struct tpm2_cmd *c, uint8_t v)
{
	if (c->len < sizeof(c->buf)) {
		c->buf[c->len++] = v;
	}
}

void tc_u16(struct tpm2_cmd *c, uint16_t v)
{
	tc_u8(c, (uint8_t)(v >> 8));
	tc_u8(c, (uint8_t)v);
}

void tc_u32(struct tpm2_cmd *c, uint32_t v)
{
	tc_u16(c, (uint16_t)(v >> 16));
	tc_u16(c, (uint16_t)v);
}

void tc_bytes(struct tpm2_cmd *c, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		tc_u8(c, p[i]);
	}
}

void tc_b2b(struct tpm2_cmd *c, const uint8_t *p, size_t n)
{
	tc_u16(c, (uint16_t)n);
	tc_bytes(c, p, n);
}

void tc_pw_auth(struct tpm2_cmd *c)
{
	tc_u32(c, 9);
	tc_u32(c, TPM2_RS_PW);
	tc_u16(c, 0); /* nonceCaller */
	tc_u8(c, 0);  /* sessionAttributes */
	tc_u16(c, 0); /* hmac: the empty password */
}

void tc_pcr_select(struct tpm2_cmd *c, unsigned int pcr)
{
	uint8_t sel[3] = {0, 0, 0};

	sel[pcr / 8] = (uint8_t)(1u << (pcr % 8));
	tc_u32(c, 1);
	tc_u16(c, TPM2_ALG_SHA256);
	tc_u8(c, sizeof(sel));
	tc_bytes(c, sel, sizeof(sel));
}

bool tpm2_exec(struct tpm2_cmd *c, struct tpm2_rsp *r)
{
	c->buf[2] = (uint8_t)(c->len >> 24);
	c->buf[3] = (uint8_t)(c->len >> 16);
	c->buf[4] = (uint8_t)(c->len >> 8);
	c->buf[5] = (uint8_t)c->len;
	/* TPM_RC_RETRY: the command did not run; a TSS resends it (libtpms
	 * answers it, e.g., when an ECDSA signature draws an unusable k). */
	for (int attempt = 0; attempt < 8; attempt++) {
		int32_t n = vtpm_cmd(c->buf, c->len, r->buf, sizeof(r->buf));
		r->bad = n < 10;
		r->len = n < 0 ? 0 : (size_t)n;
		r->off = 6;
		r->rc = r->bad ? 0xffffffffu : tr_u32(r);
		if (r->rc != TPM2_RC_RETRY) {
			break;
		}
	}
	return !r->bad;
}

const uint8_t *tr_bytes(struct tpm2_rsp *r, size_t n)
{
	if (r->bad || r->len - r->off < n) {
		r->bad = true;
		return NULL;
	}
	r->off += n;
	return r->buf + r->off - n;
}

uint8_t tr_u8(struct tpm2_rsp *r)
{
	const uint8_t *p = tr_bytes(r, 1);
	return p ? p[0] : 0;
}

uint16_t tr_u16(struct tpm2_rsp *r)
{
	const uint8_t *p = tr_bytes(r, 2);
	return p ? (uint16_t)((p[0] << 8) | p[1]) : 0;
}

uint32_t tr_u32(struct tpm2_rsp *r)
{
	const uint8_t *p = tr_bytes(r, 4);
	return p ? ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
			       ((uint32_t)p[2] << 8) | p[3]
		 : 0;
}

const uint8_t *tr_b2b(struct tpm2_rsp *r, size_t *n)
{
	*n = tr_u16(r);
	return tr_bytes(r, *n);
}

void cmd_get_random(struct tpm2_cmd *c, uint16_t n)
{
	tc_begin(c, TPM2_ST_NO_SESSIONS, TPM2_CC_GET_RANDOM);
	tc_u16(c, n);
}

void cmd_pcr_extend(struct tpm2_cmd *c, unsigned int pcr,
		    const uint8_t digest[32])
{
	tc_begin(c, TPM2_ST_SESSIONS, TPM2_CC_PCR_EXTEND);
	tc_u32(c, pcr);
	tc_pw_auth(c);
	tc_u32(c, 1); /* TPML_DIGEST_VALUES: one SHA-256 digest */
	tc_u16(c, TPM2_ALG_SHA256);
	tc_bytes(c, digest, 32);
}

/* The TCG EK Credential Profile templates L-1 (RSA-2048) and L-2 (P-256),
 * spelled out as bytes from the profile, not from vtpm/ek.c. */
static const uint8_t ek_policy[32] = {
	0x83, 0x71, 0x97, 0x67, 0x44, 0x84, 0xb3, 0xf8, 0x1a, 0x90, 0xcc,
	0x8d, 0x46, 0xa5, 0xd7, 0x24, 0xfd, 0x52, 0xd7, 0x6e, 0x06, 0x52,
	0x0b, 0x64, 0xf2, 0xa1, 0xda, 0x1b, 0x33, 0x14, 0x69, 0xaa,
};

void cmd_create_primary_ek(struct tpm2_cmd *c, bool rsa)
{
	static const uint8_t zeros[256];

	tc_begin(c, TPM2_ST_SESSIONS, TPM2_CC_CREATE_PRIMARY);
	tc_u32(c, TPM2_RH_ENDORSEMENT);
	tc_pw_auth(c);
	tc_u16(c, 4); /* inSensitive */
	tc_u16(c, 0);
	tc_u16(c, 0);
	tc_u16(c, rsa ? 314 : 122); /* TPM2B_PUBLIC size */
	tc_u16(c, rsa ? 0x0001 : 0x0023);
	tc_u16(c, TPM2_ALG_SHA256);
	tc_u32(c, 0x000300b2);
	tc_b2b(c, ek_policy, sizeof(ek_policy));
	tc_u16(c, 0x0006); /* AES */
	tc_u16(c, 128);
	tc_u16(c, 0x0043); /* CFB */
	tc_u16(c, 0x0010); /* scheme NULL */
	if (rsa) {
		tc_u16(c, 2048);
		tc_u32(c, 0);
		tc_b2b(c, zeros, 256);
	} else {
		tc_u16(c, 0x0003); /* NIST P-256 */
		tc_u16(c, 0x0010); /* kdf NULL */
		tc_b2b(c, zeros, 32);
		tc_b2b(c, zeros, 32);
	}
	tc_u16(c, 0); /* outsideInfo */
	tc_u32(c, 0); /* creationPCR */
}

void cmd_flush(struct tpm2_cmd *c, uint32_t handle)
{
	tc_begin(c, TPM2_ST_NO_SESSIONS, TPM2_CC_FLUSH_CONTEXT);
	tc_u32(c, handle);
}
