/* SPDX-License-Identifier: MIT */
/*
 * A full TPM 2.0 session through vtpm_cmd, in a static program with no
 * libc. Prints TAP for what it can judge itself, and "# artifact NAME HEX"
 * lines for what the host harness (check_session.py) verifies with
 * independent code: PCR values against hashlib's SHA-256, the quote's
 * ECDSA signature with OpenSSL.
 */
#include <stdbool.h>
#include <stdint.h>
#include <vtpm/vtpm.h>

#include "sys.h"
#include "tpm2.h"

#define NV_INDEX 0x01500016u
#define PCR_INDEX 16u

static int test_count;
static int fail_count;
static struct tpm2_cmd cmd;
static struct tpm2_rsp rsp;

static bool check(bool ok, const char *name)
{
	test_count++;
	if (!ok) {
		fail_count++;
		out_str("not ");
	}
	out_str("ok ");
	out_u64((uint64_t)test_count);
	out_str(" - ");
	out_str(name);
	out_str("\n");
	return ok;
}

static void artifact(const char *name, const uint8_t *p, size_t n)
{
	out_str("# artifact ");
	out_str(name);
	out_str(" ");
	out_hex(p, n);
	out_str("\n");
}

static bool exec_ok(void)
{
	return tpm2_exec(&cmd, &rsp) && rsp.rc == 0;
}

static bool same(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i]) {
			return false;
		}
	}
	return true;
}

static void copy(uint8_t *d, const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		d[i] = s[i];
	}
}

/* Reads one PCR of the SHA-256 bank into out; true on success. */
static bool pcr_read(unsigned int pcr, uint8_t out[32])
{
	size_t n = 0;

	tc_begin(&cmd, TPM2_ST_NO_SESSIONS, TPM2_CC_PCR_READ);
	tc_pcr_select(&cmd, pcr);
	if (!exec_ok()) {
		return false;
	}
	tr_u32(&rsp);            /* pcrUpdateCounter */
	tr_bytes(&rsp, 4 + 6);   /* pcrSelectionOut: one bank */
	if (tr_u32(&rsp) != 1) { /* TPML_DIGEST count */
		return false;
	}
	const uint8_t *d = tr_b2b(&rsp, &n);
	if (d == NULL || n != 32) {
		return false;
	}
	copy(out, d, 32);
	return true;
}

static uint8_t ek_rsa[512];
static uint8_t ek_ecc[256];
static int32_t ek_rsa_len;
static int32_t ek_ecc_len;

static void test_startup_and_random(void)
{
	uint8_t a[32];
	size_t n = 0;

	check(vtpm_init(NULL, 0, false) == VTPM_OK,
	      "vtpm_init manufactures, starts and passes the RNG self-test");
	tc_begin(&cmd, TPM2_ST_NO_SESSIONS, TPM2_CC_STARTUP);
	tc_u16(&cmd, 0);
	check(tpm2_exec(&cmd, &rsp) && rsp.rc == TPM2_RC_INITIALIZE,
	      "a second TPM2_Startup answers TPM_RC_INITIALIZE");
	tc_begin(&cmd, TPM2_ST_NO_SESSIONS, TPM2_CC_SELF_TEST);
	tc_u8(&cmd, 1);
	check(exec_ok(), "TPM2_SelfTest(fullTest=YES)");
	cmd_get_random(&cmd, 32);
	const uint8_t *p = exec_ok() ? tr_b2b(&rsp, &n) : NULL;
	check(p != NULL && n == 32, "TPM2_GetRandom(32) returns 32 bytes");
	if (p != NULL && n == 32) {
		copy(a, p, 32);
	}
	cmd_get_random(&cmd, 32);
	p = exec_ok() ? tr_b2b(&rsp, &n) : NULL;
	check(p != NULL && n == 32 && !same(a, p, 32),
	      "a second TPM2_GetRandom(32) differs");
}

static void test_pcr(void)
{
	/* SHA-256("svsm vtpm") would do as well: any 32 bytes are a digest. */
	static const uint8_t digest[32] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
		0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	};
	uint8_t v[32];

	check(pcr_read(PCR_INDEX, v),
	      "TPM2_PCR_Read(sha256:16) before extending");
	artifact("pcr16_before", v, 32);
	cmd_pcr_extend(&cmd, PCR_INDEX, digest);
	check(exec_ok(), "TPM2_PCR_Extend(16, sha256)");
	artifact("pcr16_extend_digest", digest, 32);
	check(pcr_read(PCR_INDEX, v),
	      "TPM2_PCR_Read(sha256:16) after extending");
	artifact("pcr16_after", v, 32);
}

static void test_ek(void)
{
	ek_rsa_len = vtpm_ek_public(VTPM_EK_RSA2048, ek_rsa, sizeof(ek_rsa));
	/* TPMT_PUBLIC of an RSA-2048 EK: 56 bytes of header + 2 + 256. */
	check(ek_rsa_len == 314,
	      "vtpm_ek_public(RSA-2048) gives a TPMT_PUBLIC");
	artifact("ek_rsa", ek_rsa, ek_rsa_len > 0 ? (size_t)ek_rsa_len : 0);
	ek_ecc_len = vtpm_ek_public(VTPM_EK_ECC_P256, ek_ecc, sizeof(ek_ecc));
	check(ek_ecc_len == 122,
	      "vtpm_ek_public(ECC P-256) gives a TPMT_PUBLIC");
	artifact("ek_ecc", ek_ecc, ek_ecc_len > 0 ? (size_t)ek_ecc_len : 0);

	/* The same template through the command interface, built by the
	 * test's own marshalling: the same key. */
	cmd_create_primary_ek(&cmd, false);
	bool ok = exec_ok();
	uint32_t handle = tr_u32(&rsp);
	tr_u32(&rsp); /* parameterSize */
	size_t n = 0;
	const uint8_t *pub = tr_b2b(&rsp, &n);
	check(ok && pub != NULL && ek_ecc_len > 0 && n == (size_t)ek_ecc_len &&
		      same(pub, ek_ecc, n),
	      "TPM2_CreatePrimary(EK ECC template) equals vtpm_ek_public");
	cmd_flush(&cmd, handle);
	check(exec_ok(), "TPM2_FlushContext(EK)");
}

/* An ECDSA P-256 restricted signing key under the owner hierarchy. */
static uint32_t create_ak(void)
{
	tc_begin(&cmd, TPM2_ST_SESSIONS, TPM2_CC_CREATE_PRIMARY);
	tc_u32(&cmd, TPM2_RH_OWNER);
	tc_pw_auth(&cmd);
	tc_u16(&cmd, 4);
	tc_u16(&cmd, 0);
	tc_u16(&cmd, 0);
	tc_u16(&cmd, 2 + 2 + 4 + 2 + 2 + 4 + 2 + 2 + 2 + 2);
	tc_u16(&cmd, 0x0023); /* ECC */
	tc_u16(&cmd, TPM2_ALG_SHA256);
	tc_u32(&cmd, 0x00050072); /* fixedTPM fixedParent sensitiveDataOrigin
				     userWithAuth restricted sign */
	tc_u16(&cmd, 0);          /* no authPolicy */
	tc_u16(&cmd, 0x0010);     /* symmetric NULL */
	tc_u16(&cmd, 0x0018);     /* ECDSA */
	tc_u16(&cmd, TPM2_ALG_SHA256);
	tc_u16(&cmd, 0x0003); /* NIST P-256 */
	tc_u16(&cmd, 0x0010); /* kdf NULL */
	tc_u16(&cmd, 0);      /* unique.x */
	tc_u16(&cmd, 0);      /* unique.y */
	tc_u16(&cmd, 0);
	tc_u32(&cmd, 0);
	if (!exec_ok()) {
		return 0;
	}
	uint32_t handle = tr_u32(&rsp);
	tr_u32(&rsp);
	size_t n = 0;
	const uint8_t *pub = tr_b2b(&rsp, &n);
	/* TPMT_PUBLIC: ... | x (TPM2B) | y (TPM2B) at the end. */
	if (pub != NULL && n == 88) {
		artifact("ak_x", pub + n - 68 + 2, 32);
		artifact("ak_y", pub + n - 34 + 2, 32);
	}
	return handle;
}

static void test_quote(void)
{
	static const uint8_t nonce[16] = "svsm-quote-nonce";
	size_t n = 0;

	uint32_t ak = create_ak();
	check(ak != 0, "TPM2_CreatePrimary(ECDSA P-256 signing key)");
	tc_begin(&cmd, TPM2_ST_SESSIONS, TPM2_CC_QUOTE);
	tc_u32(&cmd, ak);
	tc_pw_auth(&cmd);
	tc_b2b(&cmd, nonce, sizeof(nonce));
	tc_u16(&cmd, 0x0010); /* inScheme NULL: the key's ECDSA-SHA256 */
	tc_pcr_select(&cmd, PCR_INDEX);
	bool ok = exec_ok();
	tr_u32(&rsp); /* parameterSize */
	const uint8_t *attest = tr_b2b(&rsp, &n);
	if (ok && attest != NULL) {
		artifact("quote_attest", attest, n);
	}
	uint16_t sig_alg = tr_u16(&rsp);
	uint16_t hash_alg = tr_u16(&rsp);
	const uint8_t *r = tr_b2b(&rsp, &n);
	if (r != NULL) {
		artifact("quote_sig_r", r, n);
	}
	const uint8_t *s = tr_b2b(&rsp, &n);
	if (s != NULL) {
		artifact("quote_sig_s", s, n);
	}
	artifact("quote_nonce", nonce, sizeof(nonce));
	check(ok && !rsp.bad && sig_alg == 0x0018 &&
		      hash_alg == TPM2_ALG_SHA256,
	      "TPM2_Quote(sha256:16) signs with ECDSA-SHA256");
	cmd_flush(&cmd, ak);
	check(exec_ok(), "TPM2_FlushContext(signing key)");
}

static void nv_read(uint8_t out[32], bool *ok)
{
	size_t n = 0;

	tc_begin(&cmd, TPM2_ST_SESSIONS, TPM2_CC_NV_READ);
	tc_u32(&cmd, NV_INDEX);
	tc_u32(&cmd, NV_INDEX);
	tc_pw_auth(&cmd);
	tc_u16(&cmd, 32); /* size */
	tc_u16(&cmd, 0);  /* offset */
	*ok = exec_ok();
	tr_u32(&rsp);
	const uint8_t *d = tr_b2b(&rsp, &n);
	*ok = *ok && d != NULL && n == 32;
	if (*ok) {
		copy(out, d, 32);
	}
}

static const uint8_t nv_data[32] = "vtpm nv index data, 32 bytes!!!";

static void test_nv(void)
{
	uint8_t back[32];
	bool ok = false;

	tc_begin(&cmd, TPM2_ST_SESSIONS, TPM2_CC_NV_DEFINE_SPACE);
	tc_u32(&cmd, TPM2_RH_OWNER);
	tc_pw_auth(&cmd);
	tc_u16(&cmd, 0); /* auth: empty */
	tc_u16(&cmd, 4 + 2 + 4 + 2 + 2);
	tc_u32(&cmd, NV_INDEX);
	tc_u16(&cmd, TPM2_ALG_SHA256);
	tc_u32(&cmd, 0x00060006); /* owner/auth write, owner/auth read */
	tc_u16(&cmd, 0);          /* authPolicy */
	tc_u16(&cmd, 32);         /* dataSize */
	check(exec_ok(), "TPM2_NV_DefineSpace(0x01500016, 32 bytes)");
	tc_begin(&cmd, TPM2_ST_SESSIONS, TPM2_CC_NV_WRITE);
	tc_u32(&cmd, NV_INDEX);
	tc_u32(&cmd, NV_INDEX);
	tc_pw_auth(&cmd);
	tc_b2b(&cmd, nv_data, sizeof(nv_data));
	tc_u16(&cmd, 0);
	check(exec_ok(), "TPM2_NV_Write");
	nv_read(back, &ok);
	check(ok && same(back, nv_data, 32), "TPM2_NV_Read returns the data");
}

static uint8_t state[256 * 1024];

static void test_shutdown_restart(void)
{
	uint8_t pcr_before[32];
	uint8_t pcr_after[32];
	uint8_t ek2[512];
	uint8_t back[32];
	bool ok = false;

	/* PCR 10 is state-saved (PC Client: PCRs 0-15); PCR 16, the debug
	 * PCR, is not, so Startup(STATE) resets it. */
	static const uint8_t digest[32] = {10};
	cmd_pcr_extend(&cmd, 10, digest);
	check(exec_ok() && pcr_read(10, pcr_before),
	      "PCR 10 extended and read before Shutdown(STATE)");
	tc_begin(&cmd, TPM2_ST_NO_SESSIONS, TPM2_CC_SHUTDOWN);
	tc_u16(&cmd, 1);
	check(exec_ok(), "TPM2_Shutdown(STATE)");
	int32_t len = vtpm_state_export(state, sizeof(state));
	check(len > 0 && (size_t)len == vtpm_state_size(),
	      "vtpm_state_export writes the state blob");
	out_str("# state blob ");
	out_u64(len > 0 ? (uint64_t)len : 0);
	out_str(" bytes\n");
	vtpm_terminate();

	check(vtpm_init(state, len > 1 ? (size_t)len - 1 : 0, true) ==
		      VTPM_E_STATE,
	      "vtpm_init refuses a truncated state blob");
	state[0] ^= 1;
	check(vtpm_init(state, len > 0 ? (size_t)len : 0, true) == VTPM_E_STATE,
	      "vtpm_init refuses a blob with a bad magic");
	state[0] ^= 1;
	check(vtpm_init(state, len > 0 ? (size_t)len : 0, true) == VTPM_OK,
	      "vtpm_init restores the blob and sends Startup(STATE)");
	int32_t n = vtpm_ek_public(VTPM_EK_RSA2048, ek2, sizeof(ek2));
	check(n == ek_rsa_len && n > 0 && same(ek2, ek_rsa, (size_t)n),
	      "the restarted TPM has the same RSA-2048 EK");
	n = vtpm_ek_public(VTPM_EK_ECC_P256, ek2, sizeof(ek2));
	check(n == ek_ecc_len && n > 0 && same(ek2, ek_ecc, (size_t)n),
	      "the restarted TPM has the same ECC P-256 EK");
	check(pcr_read(10, pcr_after) && same(pcr_before, pcr_after, 32),
	      "PCR 10 survives Shutdown(STATE) + Startup(STATE)");
	static const uint8_t zero[32];
	check(pcr_read(PCR_INDEX, pcr_after) && same(pcr_after, zero, 32),
	      "PCR 16 (not state-saved) is reset by Startup(STATE)");
	nv_read(back, &ok);
	check(ok && same(back, nv_data, 32),
	      "the NV index survives the restart");
	out_str("# heap peak ");
	out_u64(vtpm_heap_peak());
	out_str(" bytes\n");
}

/* An ECC EK through TPM2_CreatePrimary, flushed; true if it equals ek_ecc
 * (the key vtpm_ek_public gave at the start of the session). */
static bool ek_ecc_unchanged(void)
{
	size_t n = 0;

	cmd_create_primary_ek(&cmd, false);
	bool ok = exec_ok();
	uint32_t handle = tr_u32(&rsp);
	tr_u32(&rsp); /* parameterSize */
	const uint8_t *pub = tr_b2b(&rsp, &n);
	ok = ok && pub != NULL && ek_ecc_len > 0 && n == (size_t)ek_ecc_len &&
	     same(pub, ek_ecc, n);
	cmd_flush(&cmd, handle);
	return exec_ok() && ok;
}

/* A command whose only handle is @auth, with an empty password session,
 * then @param_len bytes of @params. */
static void auth_cmd(uint32_t cc, uint32_t auth, const uint8_t *params,
		     size_t param_len)
{
	tc_begin(&cmd, TPM2_ST_SESSIONS, cc);
	tc_u32(&cmd, auth);
	tc_pw_auth(&cmd);
	tc_bytes(&cmd, params, param_len);
}

/*
 * The platform hierarchy is disabled by vtpm_init (after the restore of
 * test_shutdown_restart too): every command that needs platform
 * authorization fails with TPM_RC_HIERARCHY, so the guest cannot change
 * the endorsement seed; TPM2_Clear with lockout authorization works and
 * leaves the EK as it was.
 */
static void test_platform_locked(void)
{
	static const uint8_t enable_ph[5] = {0x40, 0, 0, 0x0c, 1};
	static const uint8_t empty_auth[2] = {0, 0};
	static const uint8_t four_zero[4] = {0, 0, 0, 0};

	tc_begin(&cmd, TPM2_ST_NO_SESSIONS, TPM2_CC_GET_CAPABILITY);
	tc_u32(&cmd, 6);     /* TPM_CAP_TPM_PROPERTIES */
	tc_u32(&cmd, 0x201); /* TPM_PT_STARTUP_CLEAR */
	tc_u32(&cmd, 1);
	bool ok = exec_ok();
	tr_u8(&rsp); /* moreData */
	ok = ok && tr_u32(&rsp) == 6 && tr_u32(&rsp) == 1 &&
	     tr_u32(&rsp) == 0x201;
	uint32_t flags = tr_u32(&rsp);
	check(ok && !rsp.bad && (flags & 7u) == 6u,
	      "TPMA_STARTUP_CLEAR: phEnable clear, shEnable and ehEnable set");
	auth_cmd(TPM2_CC_CHANGE_EPS, TPM2_RH_PLATFORM, NULL, 0);
	check(tpm2_exec(&cmd, &rsp) && rsp.rc == TPM2_RC_COMMAND_CODE,
	      "TPM2_ChangeEPS: TPM_RC_COMMAND_CODE (libtpms 0.9 has none)");
	auth_cmd(TPM2_CC_HIERARCHY_CONTROL, TPM2_RH_PLATFORM, enable_ph,
		 sizeof(enable_ph));
	check(tpm2_exec(&cmd, &rsp) && rsp.rc == TPM2_RC_HIERARCHY_H1,
	      "TPM2_HierarchyControl(platform, YES): TPM_RC_HIERARCHY");
	auth_cmd(TPM2_CC_HIERARCHY_CHANGE_AUTH, TPM2_RH_PLATFORM, empty_auth,
		 sizeof(empty_auth));
	check(tpm2_exec(&cmd, &rsp) && rsp.rc == TPM2_RC_HIERARCHY_H1,
	      "TPM2_HierarchyChangeAuth(platform): TPM_RC_HIERARCHY");
	auth_cmd(TPM2_CC_CLEAR, TPM2_RH_PLATFORM, NULL, 0);
	check(tpm2_exec(&cmd, &rsp) && rsp.rc == TPM2_RC_HIERARCHY_H1,
	      "TPM2_Clear(platform): TPM_RC_HIERARCHY");
	/* NV_DefineSpace(platform): auth, an empty auth value, a public
	 * area (the remaining bytes do not matter: the handle check comes
	 * first). */
	auth_cmd(TPM2_CC_NV_DEFINE_SPACE, TPM2_RH_PLATFORM, four_zero,
		 sizeof(four_zero));
	check(tpm2_exec(&cmd, &rsp) && rsp.rc == TPM2_RC_HIERARCHY_H1,
	      "TPM2_NV_DefineSpace(platform): TPM_RC_HIERARCHY");
	auth_cmd(TPM2_CC_CLEAR, TPM2_RH_LOCKOUT, NULL, 0);
	check(exec_ok(), "TPM2_Clear(lockout) succeeds");
	check(ek_ecc_unchanged(),
	      "the EK after the platform commands and TPM2_Clear is the "
	      "same key");
}

/*
 * Malformed and random commands (real command codes, random bodies, sizes
 * that match and sizes that lie) must each get a well-formed error
 * response, and the TPM must keep working. Runs last: a random command
 * may legitimately change state (an empty platform auth is the default).
 */
static void test_garbage(void)
{
	static const uint32_t codes[] = {
		0x131, 0x144, 0x145, 0x143, 0x17b, 0x17e, 0x182, 0x158,
		0x12a, 0x137, 0x14e, 0x165, 0x153, 0x157, 0x176, 0x17a,
	};
	static uint8_t in[512];
	static uint8_t out[VTPM_BUFFER_MAX];
	int bad = 0;

	for (int i = 0; i < 500; i++) {
		uint16_t r[4];
		sys_getrandom(r, sizeof(r));
		size_t len = 10 + r[0] % (sizeof(in) - 10);
		sys_getrandom(in, len);
		in[0] = 0x80;
		in[1] = (r[1] & 1) ? 0x02 : 0x01;
		uint32_t size = (r[1] & 6) ? (uint32_t)len : r[2];
		in[2] = (uint8_t)(size >> 24);
		in[3] = (uint8_t)(size >> 16);
		in[4] = (uint8_t)(size >> 8);
		in[5] = (uint8_t)size;
		uint32_t cc = codes[r[3] % (sizeof(codes) / sizeof(codes[0]))];
		in[6] = 0;
		in[7] = 0;
		in[8] = (uint8_t)(cc >> 8);
		in[9] = (uint8_t)cc;
		int32_t n = vtpm_cmd(in, len, out, sizeof(out));
		uint32_t rsize = n >= 10 ? ((uint32_t)out[2] << 24) |
						   ((uint32_t)out[3] << 16) |
						   ((uint32_t)out[4] << 8) |
						   out[5]
					 : 0;
		if (n < 10 || rsize != (uint32_t)n) {
			bad++;
		}
	}
	check(bad == 0, "500 random commands each get a well-formed response");
	cmd_get_random(&cmd, 16);
	check(exec_ok(), "the TPM still answers TPM2_GetRandom afterwards");
}

int session_test_main(void)
{
	test_startup_and_random();
	test_pcr();
	test_ek();
	test_quote();
	test_nv();
	test_shutdown_restart();
	test_platform_locked();
	test_garbage();
	out_str("1..");
	out_u64((uint64_t)test_count);
	out_str("\n");
	return fail_count == 0 ? 0 : 1;
}
