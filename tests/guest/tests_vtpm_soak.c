// SPDX-License-Identifier: MIT
/*
 * A long vTPM session through VTPM_CMD (hidden: run alone by the emu test
 * svsm-vtpm-soak). After a storage key and 15 GetRandom (16 commands),
 * 191 cycles of 16 commands: an HMAC key created, loaded, used and
 * flushed; an HMAC and a policy session started and flushed; an NV index
 * defined, written, read and undefined; two PCR extends, a PCR read and a
 * GetRandom. 3072 commands in all (more if the TPM asks for a resend:
 * GetRandom then pads the cycle to 16 again): the SVSM prints its heap in
 * use after every 1024th (src/vtpm_service.c), at the end of a cycle
 * unless a resend fell into it, and the emu test requires the figures to
 * be equal. Here every command must succeed.
 */
#include "lib/console.h"
#include "lib/string.h"

#include "guest.h"

#define CYCLES 191u
#define NV_INDEX 0x01500021u

static uint8_t cmd[512];
static uint8_t priv[256], pub[256];
static uint32_t priv_len, pub_len;
static uint32_t failed_cc;
static uint32_t sent; /* commands sent, retries included */

struct builder {
	uint8_t *p;
};

static void put(struct builder *b, uint32_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		b->p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	}
	b->p += n;
}

static void put_bytes(struct builder *b, const uint8_t *d, uint32_t n)
{
	put(b, n, 2);
	memcpy(b->p, d, n);
	b->p += n;
}

/* Header (size filled in by run()), then the handles. */
static struct builder begin(uint32_t cc, bool sessions)
{
	struct builder b = {cmd};

	put(&b, sessions ? 0x8002u : 0x8001u, 2);
	put(&b, 0, 4);
	put(&b, cc, 4);
	return b;
}

static void pw_auth(struct builder *b)
{
	put(b, 9, 4);
	put(b, 0x40000009u, 4); /* TPM_RS_PW, empty nonce, attrs, hmac */
	put(b, 0, 2);
	put(b, 0, 1);
	put(b, 0, 2);
}

static uint32_t be(const uint8_t *p, unsigned n)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < n; i++) {
		v = v << 8 | p[i];
	}
	return v;
}

/* Sends the command, again on TPM_RC_RETRY (the command did not run; a
 * TSS resends it); the response in *r. False (and the first failing
 * command code kept) unless the TPM answered rc 0. */
static bool run(struct builder *b, const uint8_t **r)
{
	uint32_t n = (uint32_t)(b->p - cmd), rc = 0x922;
	const uint8_t *resp = NULL;
	bool called = true;

	cmd[2] = (uint8_t)(n >> 24);
	cmd[3] = (uint8_t)(n >> 16);
	cmd[4] = (uint8_t)(n >> 8);
	cmd[5] = (uint8_t)n;
	for (int i = 0; i < 8 && called && rc == 0x922; i++) {
		called = guest_vtpm_send(cmd, n, &rc, &resp);
		sent++;
	}
	if (!called || rc != 0) {
		if (failed_cc == 0) {
			failed_cc = be(cmd + 6, 4) | (rc << 16);
		}
		return false;
	}
	if (r != NULL) {
		*r = resp;
	}
	return true;
}

static bool flush(uint32_t handle)
{
	struct builder b = begin(0x165, false);

	put(&b, handle, 4);
	return run(&b, NULL);
}

static uint32_t create_srk(void)
{
	struct builder b = begin(0x131, true); /* CreatePrimary */
	const uint8_t *r = NULL;

	put(&b, 0x40000001u, 4); /* TPM_RH_OWNER */
	pw_auth(&b);
	put(&b, 4, 2); /* inSensitive: empty */
	put(&b, 0, 4);
	put(&b, 2 + 2 + 4 + 2 + 6 + 2 + 2 + 2 + 2 + 2, 2);
	put(&b, 0x0023, 2);     /* ECC */
	put(&b, 0x000b, 2);     /* SHA-256 */
	put(&b, 0x00030072, 4); /* restricted decrypt storage key */
	put(&b, 0, 2);
	put(&b, 0x0006, 2); /* AES-128-CFB */
	put(&b, 128, 2);
	put(&b, 0x0043, 2);
	put(&b, 0x0010, 2); /* scheme NULL */
	put(&b, 0x0003, 2); /* NIST P-256 */
	put(&b, 0x0010, 2); /* kdf NULL */
	put(&b, 0, 4);      /* unique x, y */
	put(&b, 0, 2);      /* outsideInfo */
	put(&b, 0, 4);      /* creationPCR */
	return run(&b, &r) ? be(r + 10, 4) : 0;
}

/* Copies a TPM2B at *off of response r into dst; false if it does not fit. */
static bool take_b2b(const uint8_t *r, uint32_t *off, uint8_t *dst,
		     uint32_t cap, uint32_t *len)
{
	uint32_t n = be(r + *off, 2), size = be(r + 2, 4);

	if (*off + 2 + n > size || n > cap) {
		return false;
	}
	memcpy(dst, r + *off + 2, n);
	*len = n;
	*off += 2 + n;
	return true;
}

static bool object_cycle(uint32_t srk)
{
	static const uint8_t data[16] = "soak hmac input";
	struct builder b = begin(0x153, true); /* Create */
	const uint8_t *r = NULL;
	uint32_t off = 14; /* header, parameterSize */

	put(&b, srk, 4);
	pw_auth(&b);
	put(&b, 4, 2);
	put(&b, 0, 4);
	put(&b, 2 + 2 + 4 + 2 + 2 + 2 + 2, 2);
	put(&b, 0x0008, 2);     /* KEYEDHASH */
	put(&b, 0x000b, 2);     /* SHA-256 */
	put(&b, 0x00040072, 4); /* sign, userWithAuth, fixed */
	put(&b, 0, 2);
	put(&b, 0x0005, 2); /* HMAC-SHA256 */
	put(&b, 0x000b, 2);
	put(&b, 0, 2); /* unique */
	put(&b, 0, 2); /* outsideInfo */
	put(&b, 0, 4); /* creationPCR */
	if (!run(&b, &r) || !take_b2b(r, &off, priv, sizeof(priv), &priv_len) ||
	    !take_b2b(r, &off, pub, sizeof(pub), &pub_len)) {
		return false;
	}
	b = begin(0x157, true); /* Load */
	put(&b, srk, 4);
	pw_auth(&b);
	put_bytes(&b, priv, priv_len);
	put_bytes(&b, pub, pub_len);
	if (!run(&b, &r)) {
		return false;
	}
	uint32_t key = be(r + 10, 4);
	b = begin(0x155, true); /* HMAC */
	put(&b, key, 4);
	pw_auth(&b);
	put_bytes(&b, data, sizeof(data));
	put(&b, 0x000b, 2);
	bool ok = run(&b, NULL);
	return flush(key) && ok;
}

static bool session_cycle(uint8_t type)
{
	static const uint8_t nonce[16] = "soak nonce 16 B";
	struct builder b = begin(0x176, false); /* StartAuthSession */
	const uint8_t *r = NULL;

	put(&b, 0x40000007u, 4); /* tpmKey, bind: TPM_RH_NULL */
	put(&b, 0x40000007u, 4);
	put_bytes(&b, nonce, sizeof(nonce));
	put(&b, 0, 2); /* encryptedSalt */
	put(&b, type, 1);
	put(&b, 0x0010, 2); /* symmetric NULL */
	put(&b, 0x000b, 2);
	return run(&b, &r) && flush(be(r + 10, 4));
}

static bool nv_cycle(uint32_t i)
{
	uint8_t data[32];
	struct builder b = begin(0x12a, true); /* NV_DefineSpace */

	memset(data, (int)i, sizeof(data));
	put(&b, 0x40000001u, 4);
	pw_auth(&b);
	put(&b, 0, 2); /* auth */
	put(&b, 4 + 2 + 4 + 2 + 2, 2);
	put(&b, NV_INDEX, 4);
	put(&b, 0x000b, 2);
	put(&b, 0x00060006, 4); /* owner/auth write and read */
	put(&b, 0, 2);
	put(&b, sizeof(data), 2);
	if (!run(&b, NULL)) {
		return false;
	}
	b = begin(0x137, true); /* NV_Write */
	put(&b, NV_INDEX, 4);
	put(&b, NV_INDEX, 4);
	pw_auth(&b);
	put_bytes(&b, data, sizeof(data));
	put(&b, 0, 2);
	bool ok = run(&b, NULL);
	b = begin(0x14e, true); /* NV_Read */
	put(&b, NV_INDEX, 4);
	put(&b, NV_INDEX, 4);
	pw_auth(&b);
	put(&b, sizeof(data), 2);
	put(&b, 0, 2);
	ok = run(&b, NULL) && ok;
	b = begin(0x122, true); /* NV_UndefineSpace */
	put(&b, 0x40000001u, 4);
	put(&b, NV_INDEX, 4);
	pw_auth(&b);
	return run(&b, NULL) && ok;
}

static bool get_random(void)
{
	struct builder b = begin(0x17b, false);

	put(&b, 32, 2);
	return run(&b, NULL);
}

static bool pcr_cycle(uint32_t i)
{
	bool ok = true;

	for (uint32_t pcr = 16; pcr <= 23; pcr += 7) { /* 16 and 23 */
		struct builder b = begin(0x182, true); /* PCR_Extend */
		put(&b, pcr, 4);
		pw_auth(&b);
		put(&b, 1, 4);
		put(&b, 0x000b, 2);
		memset(b.p, (int)i, 32);
		b.p += 32;
		ok = run(&b, NULL) && ok;
	}
	struct builder b = begin(0x17e, false); /* PCR_Read of PCR 16 */
	put(&b, 1, 4);
	put(&b, 0x000b, 2);
	put(&b, 3, 1);
	put(&b, 0x000001, 3);
	ok = run(&b, NULL) && ok;
	return get_random() && ok;
}

TEST_HIDDEN(vtpm_soak, heap)
{
	uint32_t srk = create_srk(), bad = 0;
	bool pad = true;

	EXPECT_MSG(srk != 0, "vtpm soak: CreatePrimary(storage key)");
	for (unsigned i = 0; i < 15; i++) {
		pad = get_random() && pad;
	}
	EXPECT_MSG(pad, "vtpm soak: 15 GetRandom (the first 16 commands)");
	for (uint32_t i = 1; i <= CYCLES; i++) {
		bool ok = object_cycle(srk) && session_cycle(0) &&
			  session_cycle(1) && nv_cycle(i) && pcr_cycle(i);
		/* After a resend, realign to 16 so that the SVSM's reports
		 * (every 1024 commands) fall between cycles again. */
		while (ok && sent % 16 != 0) {
			ok = get_random();
		}
		bad += ok ? 0 : 1;
	}
	if (failed_cc != 0) {
		con_printf("# first failure: command %x, rc %x\n",
			   failed_cc & 0xffffu, failed_cc >> 16);
	}
	EXPECT_MSG(bad == 0,
		   "vtpm soak: 191 cycles of 16 commands, every "
		   "command rc 0");
	EXPECT_MSG(flush(srk), "vtpm soak: FlushContext(storage key)");
}
