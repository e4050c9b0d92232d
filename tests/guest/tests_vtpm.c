// SPDX-License-Identifier: MIT
/*
 * The vTPM protocol (docs/abi.md §5) end to end: VTPM_QUERY, then real TPM
 * 2.0 commands through VTPM_CMD into libtpms inside the SVSM (GetRandom, a
 * PCR read of the fresh TPM), and every refusal: a command larger than
 * the buffer or shorter than a TPM header, garbage TPM packets (a TPM
 * error inside a successful call), the buffer in SVSM memory, outside RAM
 * or not page aligned (it would cross a page), locality != 0, unknown
 * platform commands and calls. The good path is run again after the
 * hostile ones. The EK templates L-1 and L-2 through TPM2_CreatePrimary:
 * guest_vtpm_create_ek, which tests_attest.c compares with the EKs of the
 * attestation manifest.
 */
#include "lib/console.h"
#include "lib/string.h"

#include "svsm/abi/tpm_ek.h"
#include "svsm/abi/vtpm.h"

#include "guest.h"

#define VTPM(id) SVSM_CALL(SVSM_PROTO_VTPM, (id))
#define FILL 0x5a

static uint8_t tpm_page[4096] __attribute__((aligned(4096)));

static uint64_t gpa_of(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint32_t rsp_size(void)
{
	uint32_t m = 0;

	memcpy(&m, tpm_page, sizeof(m));
	return m;
}

static const uint8_t *rsp(void)
{
	return tpm_page + sizeof(struct svsm_vtpm_cmd_rsp);
}

/* Put a TPM_SEND_COMMAND request with @tpm (@n bytes) in the page. */
static void request(uint32_t plat, uint8_t loc, uint32_t n, const void *tpm,
		    size_t tpm_len)
{
	struct svsm_vtpm_cmd_req h = {plat, loc, n};

	memset(tpm_page, FILL, sizeof(tpm_page));
	memcpy(tpm_page, &h, sizeof(h));
	memcpy(tpm_page + sizeof(h), tpm, tpm_len);
}

static uint64_t send(enum gtransport t)
{
	struct gcall c;

	memset(&c, 0, sizeof(c));
	c.rax = VTPM(SVSM_VTPM_CMD);
	c.rcx = gpa_of(tpm_page);
	return gcall(t, &c) ? c.rax : UINT64_MAX;
}

bool guest_vtpm_send(const uint8_t *cmd, uint32_t n, uint32_t *rc,
		     const uint8_t **resp)
{
	*rc = UINT32_MAX;
	request(SVSM_VTPM_PLAT_SEND_COMMAND, 0, n, cmd, n);
	if (send(GT_GHCB) != SVSM_SUCCESS || rsp_size() < 10 ||
	    rsp_size() > SVSM_VTPM_RSP_MAX || be32(rsp() + 2) != rsp_size()) {
		return false;
	}
	*rc = be32(rsp() + 6);
	if (resp != NULL) {
		*resp = rsp();
	}
	return true;
}

static bool untouched_from(size_t off)
{
	for (size_t i = off; i < sizeof(tpm_page); i++) {
		if (tpm_page[i] != FILL) {
			return false;
		}
	}
	return true;
}

/* TPM2_GetRandom(16): rc 0, a TPM2B of 16 bytes, nothing past it. */
static void get_random(struct test_ctx *_t, enum gtransport t, const char *name)
{
	static const uint8_t cmd[] = {0x80, 0x01, 0, 0,    0, 12,
				      0,    0,    1, 0x7b, 0, 16};
	uint64_t rax = 0;
	bool ok = false;

	request(SVSM_VTPM_PLAT_SEND_COMMAND, 0, sizeof(cmd), cmd, sizeof(cmd));
	rax = send(t);
	ok = rax == SVSM_SUCCESS && rsp_size() == 28 && be32(rsp() + 2) == 28 &&
	     be32(rsp() + 6) == 0 && rsp()[10] == 0 && rsp()[11] == 16 &&
	     untouched_from(4 + 28);
	if (!ok) {
		con_printf("# rax %llx size %u rc %x\n",
			   (unsigned long long)rax, rsp_size(),
			   be32(rsp() + 6));
	}
	EXPECT_MSG(ok, name);
}

TEST(vtpm, query)
{
	struct gcall c;

	memset(&c, 0, sizeof(c));
	c.rax = VTPM(SVSM_VTPM_QUERY);
	c.rcx = 0x1234;
	c.rdx = 0x5678;
	EXPECT_MSG(gcall(GT_MSR, &c) && c.rax == SVSM_SUCCESS &&
			   c.rcx == (UINT64_C(1) << 8) && c.rdx == 0 &&
			   gcall_preserved(&c),
		   "vtpm: QUERY: TPM_SEND_COMMAND only, features 0");
	memset(&c, 0, sizeof(c));
	c.rax = SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL);
	c.rcx = SVSM_QUERY_PROTOCOL_ARG(SVSM_PROTO_VTPM, 1);
	EXPECT_MSG(gcall(GT_MSR, &c) && c.rax == SVSM_SUCCESS &&
			   c.rcx == ((UINT64_C(1) << 32) | 1),
		   "vtpm: QUERY_PROTOCOL(2): versions 1..1");
}

TEST(vtpm, get_random)
{
	get_random(_t, GT_MSR, "vtpm: GetRandom(16) (MSR transport)");
	get_random(_t, GT_GHCB, "vtpm: GetRandom(16) (GHCB page)");
}

/* TPM2_PCR_Read of SHA-256 PCR 0 on a fresh TPM: one 32-byte zero digest. */
TEST(vtpm, pcr_read)
{
	static const uint8_t cmd[] = {0x80, 0x01, 0,    0, 0, 20, 0,
				      0,    1,    0x7e, 0, 0, 0,  1, /* count */
				      0,    0x0b, /* SHA-256 */
				      3,    1,    0,    0};
	const uint8_t *d = NULL;
	bool zero = true;

	request(SVSM_VTPM_PLAT_SEND_COMMAND, 0, sizeof(cmd), cmd, sizeof(cmd));
	EXPECT_RAX(send(GT_GHCB), SVSM_SUCCESS, "vtpm: PCR_Read call");
	/* header 10, update counter 4, selection 10, digest count 4, 2 + 32 */
	d = rsp() + 10 + 4 + 10;
	for (unsigned i = 0; i < 32; i++) {
		zero = zero && d[6 + i] == 0;
	}
	EXPECT_MSG(rsp_size() == 62 && be32(rsp() + 6) == 0 && be32(d) == 1 &&
			   d[4] == 0 && d[5] == 32 && zero,
		   "vtpm: PCR_Read SHA-256 PCR 0 = zeros");
}

static void refused(struct test_ctx *_t, uint64_t want, uint32_t plat,
		    uint8_t loc, uint32_t n, const char *name)
{
	static const uint8_t cmd[] = {0x80, 0x01, 0, 0,    0, 12,
				      0,    0,    1, 0x7b, 0, 16};

	request(plat, loc, n, cmd, sizeof(cmd));
	EXPECT_MSG(send(GT_MSR) == want && untouched_from(sizeof(cmd) + 9) &&
			   tpm_page[0] == (uint8_t)plat,
		   name);
}

TEST(vtpm, hostile_requests)
{
	refused(_t, SVSM_ERR_INVALID_PARAMETER, 8, 0, SVSM_VTPM_CMD_MAX + 1,
		"vtpm: command larger than the buffer");
	refused(_t, SVSM_ERR_INVALID_PARAMETER, 8, 0, UINT32_MAX,
		"vtpm: command size 0xffffffff");
	refused(_t, SVSM_ERR_INVALID_PARAMETER, 8, 0, 9,
		"vtpm: command shorter than a TPM header");
	refused(_t, SVSM_ERR_INVALID_PARAMETER, 8, 1, 12, "vtpm: locality 1");
	refused(_t, SVSM_ERR_INVALID_PARAMETER, 8, 4, 12, "vtpm: locality 4");
	refused(_t, SVSM_ERR_UNSUPPORTED_CALL, 1, 0, 12,
		"vtpm: platform POWER_ON: not served");
	refused(_t, SVSM_ERR_UNSUPPORTED_CALL, 17, 0, 12,
		"vtpm: platform RESET: not served");
	refused(_t, SVSM_ERR_INVALID_PARAMETER, 0, 0, 12,
		"vtpm: platform command 0");
	refused(_t, SVSM_ERR_INVALID_PARAMETER, 0x99, 0, 12,
		"vtpm: unknown platform command");
}

/* Garbage TPM packets are the TPM's business: RAX success, a TPM error. */
TEST(vtpm, garbage_tpm_packets)
{
	static const uint8_t bad_tag[] = {0x12, 0x34, 0, 0, 0,
					  10,   0,    0, 1, 0x7b};
	static const uint8_t bad_size[] = {0x80, 0x01, 0xff, 0xff, 0xff, 0xff,
					   0,    0,    1,    0x7b, 0,    16};
	static const uint8_t bad_cc[] = {0x80, 0x01, 0,    0,    0,
					 10,   0xde, 0xad, 0xbe, 0xef};
	uint8_t noise[200];

	request(8, 0, sizeof(bad_tag), bad_tag, sizeof(bad_tag));
	EXPECT_MSG(send(GT_MSR) == SVSM_SUCCESS && rsp_size() >= 10 &&
			   be32(rsp() + 6) != 0,
		   "vtpm: bad TPM tag: TPM error inside a successful call");
	request(8, 0, sizeof(bad_size), bad_size, sizeof(bad_size));
	EXPECT_MSG(send(GT_MSR) == SVSM_SUCCESS && rsp_size() >= 10 &&
			   be32(rsp() + 6) != 0,
		   "vtpm: TPM size field past the packet: TPM error");
	request(8, 0, sizeof(bad_cc), bad_cc, sizeof(bad_cc));
	EXPECT_MSG(send(GT_MSR) == SVSM_SUCCESS && rsp_size() >= 10 &&
			   be32(rsp() + 6) != 0,
		   "vtpm: unknown TPM command code: TPM error");
	for (unsigned i = 0; i < sizeof(noise); i++) {
		noise[i] = (uint8_t)(i * 37 + 11);
	}
	request(8, 0, sizeof(noise), noise, sizeof(noise));
	EXPECT_MSG(send(GT_MSR) == SVSM_SUCCESS && rsp_size() >= 10 &&
			   rsp_size() <= SVSM_VTPM_RSP_MAX &&
			   be32(rsp() + 6) != 0,
		   "vtpm: noise: TPM error");
}

TEST(vtpm, hostile_buffers)
{
	EXPECT_RAX(gcall3(VTPM(SVSM_VTPM_CMD), 0, 0, 0),
		   SVSM_ERR_INVALID_PARAMETER, "vtpm: buffer at GPA 0");
	EXPECT_RAX(gcall3(VTPM(SVSM_VTPM_CMD), gpa_of(tpm_page) + 8, 0, 0),
		   SVSM_ERR_INVALID_PARAMETER,
		   "vtpm: unaligned buffer (would cross a page)");
	EXPECT_RAX(gcall3(VTPM(SVSM_VTPM_CMD), g.svsm_base, 0, 0),
		   SVSM_ERR_INVALID_ADDRESS, "vtpm: buffer in SVSM memory");
	EXPECT_RAX(gcall3(VTPM(SVSM_VTPM_CMD), UINT64_C(1) << 45, 0, 0),
		   SVSM_ERR_INVALID_ADDRESS, "vtpm: buffer outside guest RAM");
	EXPECT_RAX(gcall3(VTPM(2), gpa_of(tpm_page), 0, 0),
		   SVSM_ERR_UNSUPPORTED_CALL, "vtpm: unknown call 2");
	EXPECT_RAX(gcall3(VTPM(0xffffffffu), gpa_of(tpm_page), 0, 0),
		   SVSM_ERR_UNSUPPORTED_CALL, "vtpm: unknown call 0xffffffff");
}

/* Runs after the hostile cases (definition order): the TPM still works. */
TEST(vtpm, get_random_after_hostile)
{
	get_random(_t, GT_GHCB, "vtpm: GetRandom after the hostile calls");
}

/* Appends @v as @n big-endian bytes (the TPM's byte order). */
static void put(uint8_t **p, uint32_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		(*p)[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	}
	*p += n;
}

/*
 * TPM2_CreatePrimary(TPM_RH_ENDORSEMENT) with the TCG EK Credential
 * Profile's template L-1 (@ecc false: RSA-2048) or L-2 (ECC NIST P-256),
 * an empty password session, written here field by field rather than with
 * the SVSM's own builder (vtpm/ek.c). Returns the command's length.
 */
static uint32_t create_ek_cmd(uint8_t *cmd, bool ecc)
{
	static const uint8_t policy_a[32] = TPM_EK_POLICY_A;
	uint8_t *p = cmd + 10, *tmpl = NULL;

	put(&p, 0x4000000bu, 4); /* TPM_RH_ENDORSEMENT */
	put(&p, 9, 4);           /* authorization area size */
	put(&p, 0x40000009u, 4); /* TPM_RS_PW */
	put(&p, 0, 2);           /* nonce */
	put(&p, 0, 1);           /* session attributes */
	put(&p, 0, 2);           /* hmac */
	put(&p, 4, 2);           /* inSensitive: */
	put(&p, 0, 4);           /* no userAuth, no data */
	tmpl = p;                /* inPublic.size, filled in below */
	put(&p, 0, 2);
	put(&p, ecc ? TPM_EK_ALG_ECC : TPM_EK_ALG_RSA, 2);
	put(&p, TPM_EK_ALG_SHA256, 2);
	put(&p, TPM_EK_ATTRIBUTES, 4);
	put(&p, sizeof(policy_a), 2);
	memcpy(p, policy_a, sizeof(policy_a));
	p += sizeof(policy_a);
	put(&p, TPM_EK_ALG_AES, 2); /* symmetric: AES-128-CFB */
	put(&p, 128, 2);
	put(&p, TPM_EK_ALG_CFB, 2);
	put(&p, TPM_EK_ALG_NULL, 2); /* scheme */
	if (ecc) {
		put(&p, TPM_EK_ECC_NIST_P256, 2);
		put(&p, TPM_EK_ALG_NULL, 2); /* kdf */
		put(&p, 32, 2);              /* unique: x, y of 32 zeros */
		memset(p, 0, 32);
		p += 32;
		put(&p, 32, 2);
		memset(p, 0, 32);
		p += 32;
	} else {
		put(&p, 2048, 2); /* keyBits */
		put(&p, 0, 4);    /* exponent: the default, 65537 */
		put(&p, 256, 2);  /* unique: 256 zero bytes */
		memset(p, 0, 256);
		p += 256;
	}
	put(&tmpl, (uint32_t)(p - tmpl - 2), 2);
	put(&p, 0, 2); /* outsideInfo: none */
	put(&p, 0, 4); /* creationPCR: none */
	tmpl = cmd;
	put(&tmpl, 0x8002, 2); /* TPM_ST_SESSIONS */
	put(&tmpl, (uint32_t)(p - cmd), 4);
	put(&tmpl, 0x131, 4); /* TPM_CC_CreatePrimary */
	return (uint32_t)(p - cmd);
}

bool guest_vtpm_create_ek(bool ecc, uint8_t *pub, uint32_t cap, uint32_t *len)
{
	static uint8_t cmd[512];
	uint8_t flush[14], *p = flush;
	uint32_t n = create_ek_cmd(cmd, ecc), handle = 0;
	bool ok = false;

	*len = 0;
	request(SVSM_VTPM_PLAT_SEND_COMMAND, 0, n, cmd, n);
	/* header 10 | handle 4 | parameterSize 4 | outPublic: size 2, ... */
	if (send(GT_GHCB) != SVSM_SUCCESS || rsp_size() < 20 ||
	    be32(rsp() + 6) != 0) {
		con_printf("# CreatePrimary: size %u rc %x\n", rsp_size(),
			   be32(rsp() + 6));
		return false;
	}
	handle = be32(rsp() + 10);
	n = (uint32_t)rsp()[18] << 8 | rsp()[19];
	if (20 + n <= rsp_size() && n <= cap) {
		memcpy(pub, rsp() + 20, n);
		*len = n;
		ok = true;
	}
	put(&p, 0x8001, 2); /* FlushContext(handle) */
	put(&p, sizeof(flush), 4);
	put(&p, 0x165, 4);
	put(&p, handle, 4);
	request(SVSM_VTPM_PLAT_SEND_COMMAND, 0, sizeof(flush), flush,
		sizeof(flush));
	return send(GT_MSR) == SVSM_SUCCESS && be32(rsp() + 6) == 0 && ok;
}

/* Both templates work and give public areas of the expected sizes (the
 * comparison with the attestation manifest is attest/ek_*). */
TEST(vtpm, create_primary_ek_templates)
{
	static uint8_t pub[512];
	uint32_t len = 0;

	EXPECT_MSG(guest_vtpm_create_ek(false, pub, sizeof(pub), &len) &&
			   len == TPM_EK_RSA2048_PUBLIC_SIZE,
		   "vtpm: CreatePrimary(L-1) and FlushContext: an RSA-2048 "
		   "EK");
	EXPECT_MSG(guest_vtpm_create_ek(true, pub, sizeof(pub), &len) &&
			   len == TPM_EK_ECC_P256_PUBLIC_SIZE,
		   "vtpm: CreatePrimary(L-2) and FlushContext: an ECC P-256 "
		   "EK");
}
