/* SPDX-License-Identifier: MIT */
/*
 * Heap headroom of a long session: N cycles of the commands a long-lived
 * guest sends (an object created, loaded, used and flushed under a storage
 * key; HMAC and policy sessions opened and closed; an NV index defined,
 * written, read and undefined; PCR extends and reads; GetRandom), through
 * vtpm_cmd. TAP: every command of every cycle succeeds, and the heap in
 * use after the last cycle equals the heap in use after the first (a leak
 * of even one allocation per cycle fails); the break (the arena's peak)
 * must not move after the first cycles either. Prints the figures as
 * "# soak ..." lines (README, vTPM row).
 */
#include <stdbool.h>
#include <stdint.h>
#include <vtpm/vtpm.h>

#include "sys.h"
#include "tpm2.h"

#define SOAK_NV_INDEX 0x01500020u

static struct tpm2_cmd cmd;
static struct tpm2_rsp rsp;
static uint8_t priv[512], pub[512];
static size_t priv_len, pub_len;
static int tests;
static int fails;
static uint32_t failed_cc;

static void check(bool ok, const char *name)
{
	tests++;
	if (!ok) {
		fails++;
		out_str("not ");
	}
	out_str("ok ");
	out_u64((uint64_t)tests);
	out_str(" - ");
	out_str(name);
	out_str("\n");
}

static void stat(const char *what, uint64_t v)
{
	out_str("# soak ");
	out_str(what);
	out_str(" ");
	out_u64(v);
	out_str("\n");
}

/* Runs the command in cmd; remembers the first failing command code. */
static bool run(void)
{
	bool ok = tpm2_exec(&cmd, &rsp) && rsp.rc == 0;

	if (!ok && failed_cc == 0) {
		failed_cc = ((uint32_t)cmd.buf[8] << 8) | cmd.buf[9];
	}
	return ok;
}

static void copy_b2b(uint8_t *dst, size_t cap, size_t *len)
{
	size_t n = 0;
	const uint8_t *p = tr_b2b(&rsp, &n);

	*len = 0;
	if (p != NULL && n <= cap) {
		for (size_t i = 0; i < n; i++) {
			dst[i] = p[i];
		}
		*len = n;
	}
}

/* The storage parent: an ECC P-256 restricted decryption primary. */
static uint32_t create_srk(void)
{
	tc_begin(&cmd, TPM2_ST_SESSIONS, TPM2_CC_CREATE_PRIMARY);
	tc_u32(&cmd, TPM2_RH_OWNER);
	tc_pw_auth(&cmd);
	tc_u16(&cmd, 4); /* inSensitive: empty */
	tc_u16(&cmd, 0);
	tc_u16(&cmd, 0);
	tc_u16(&cmd, 2 + 2 + 4 + 2 + 6 + 2 + 2 + 2 + 2 + 2);
	tc_u16(&cmd, 0x0023); /* ECC */
	tc_u16(&cmd, TPM2_ALG_SHA256);
	tc_u32(&cmd, 0x00030072); /* fixedTPM fixedParent sensitiveDataOrigin
				     userWithAuth restricted decrypt */
	tc_u16(&cmd, 0);          /* authPolicy */
	tc_u16(&cmd, 0x0006);     /* AES-128-CFB */
	tc_u16(&cmd, 128);
	tc_u16(&cmd, 0x0043);
	tc_u16(&cmd, 0x0010); /* scheme NULL */
	tc_u16(&cmd, 0x0003); /* NIST P-256 */
	tc_u16(&cmd, 0x0010); /* kdf NULL */
	tc_u16(&cmd, 0);      /* unique.x */
	tc_u16(&cmd, 0);      /* unique.y */
	tc_u16(&cmd, 0);      /* outsideInfo */
	tc_u32(&cmd, 0);      /* creationPCR */
	return run() ? tr_u32(&rsp) : 0;
}

/* Create + Load + HMAC + FlushContext of an HMAC-SHA256 key. */
static bool object_cycle(uint32_t srk)
{
	static const uint8_t data[16] = "soak hmac input";

	tc_begin(&cmd, TPM2_ST_SESSIONS, 0x153); /* TPM2_Create */
	tc_u32(&cmd, srk);
	tc_pw_auth(&cmd);
	tc_u16(&cmd, 4);
	tc_u16(&cmd, 0);
	tc_u16(&cmd, 0);
	tc_u16(&cmd, 2 + 2 + 4 + 2 + 2 + 2 + 2);
	tc_u16(&cmd, 0x0008); /* KEYEDHASH */
	tc_u16(&cmd, TPM2_ALG_SHA256);
	tc_u32(&cmd, 0x00040072); /* fixedTPM fixedParent sensitiveDataOrigin
				     userWithAuth sign */
	tc_u16(&cmd, 0);
	tc_u16(&cmd, 0x0005); /* HMAC */
	tc_u16(&cmd, TPM2_ALG_SHA256);
	tc_u16(&cmd, 0); /* unique */
	tc_u16(&cmd, 0);
	tc_u32(&cmd, 0);
	if (!run()) {
		return false;
	}
	tr_u32(&rsp); /* parameterSize */
	copy_b2b(priv, sizeof(priv), &priv_len);
	copy_b2b(pub, sizeof(pub), &pub_len);
	tc_begin(&cmd, TPM2_ST_SESSIONS, 0x157); /* TPM2_Load */
	tc_u32(&cmd, srk);
	tc_pw_auth(&cmd);
	tc_b2b(&cmd, priv, priv_len);
	tc_b2b(&cmd, pub, pub_len);
	if (priv_len == 0 || pub_len == 0 || !run()) {
		return false;
	}
	uint32_t key = tr_u32(&rsp);
	tc_begin(&cmd, TPM2_ST_SESSIONS, 0x155); /* TPM2_HMAC */
	tc_u32(&cmd, key);
	tc_pw_auth(&cmd);
	tc_b2b(&cmd, data, sizeof(data));
	tc_u16(&cmd, TPM2_ALG_SHA256);
	bool ok = run();
	cmd_flush(&cmd, key);
	return run() && ok;
}

/* An unbound, unsalted session of @type (0 HMAC, 1 policy), flushed. */
static bool session_cycle(uint8_t type)
{
	static const uint8_t nonce[16] = "soak nonce 16 B";

	tc_begin(&cmd, TPM2_ST_NO_SESSIONS, 0x176); /* StartAuthSession */
	tc_u32(&cmd, 0x40000007u);                  /* tpmKey TPM_RH_NULL */
	tc_u32(&cmd, 0x40000007u);                  /* bind TPM_RH_NULL */
	tc_b2b(&cmd, nonce, sizeof(nonce));
	tc_u16(&cmd, 0); /* encryptedSalt */
	tc_u8(&cmd, type);
	tc_u16(&cmd, 0x0010); /* symmetric NULL */
	tc_u16(&cmd, TPM2_ALG_SHA256);
	if (!run()) {
		return false;
	}
	cmd_flush(&cmd, tr_u32(&rsp));
	return run();
}

static bool nv_cycle(uint32_t i)
{
	uint8_t data[32];

	for (unsigned k = 0; k < sizeof(data); k++) {
		data[k] = (uint8_t)(i + k);
	}
	tc_begin(&cmd, TPM2_ST_SESSIONS, TPM2_CC_NV_DEFINE_SPACE);
	tc_u32(&cmd, TPM2_RH_OWNER);
	tc_pw_auth(&cmd);
	tc_u16(&cmd, 0);
	tc_u16(&cmd, 4 + 2 + 4 + 2 + 2);
	tc_u32(&cmd, SOAK_NV_INDEX);
	tc_u16(&cmd, TPM2_ALG_SHA256);
	tc_u32(&cmd, 0x00060006); /* owner/auth write, owner/auth read */
	tc_u16(&cmd, 0);
	tc_u16(&cmd, sizeof(data));
	if (!run()) {
		return false;
	}
	tc_begin(&cmd, TPM2_ST_SESSIONS, TPM2_CC_NV_WRITE);
	tc_u32(&cmd, SOAK_NV_INDEX);
	tc_u32(&cmd, SOAK_NV_INDEX);
	tc_pw_auth(&cmd);
	tc_b2b(&cmd, data, sizeof(data));
	tc_u16(&cmd, 0);
	bool ok = run();
	tc_begin(&cmd, TPM2_ST_SESSIONS, TPM2_CC_NV_READ);
	tc_u32(&cmd, SOAK_NV_INDEX);
	tc_u32(&cmd, SOAK_NV_INDEX);
	tc_pw_auth(&cmd);
	tc_u16(&cmd, sizeof(data));
	tc_u16(&cmd, 0);
	ok = run() && ok;
	tc_begin(&cmd, TPM2_ST_SESSIONS, 0x122); /* NV_UndefineSpace */
	tc_u32(&cmd, TPM2_RH_OWNER);
	tc_u32(&cmd, SOAK_NV_INDEX);
	tc_pw_auth(&cmd);
	return run() && ok;
}

static bool pcr_cycle(uint32_t i)
{
	uint8_t digest[32] = {(uint8_t)i, (uint8_t)(i >> 8)};
	bool ok = true;

	/* PCR 16 (debug) and 23 (application): any locality may extend. */
	cmd_pcr_extend(&cmd, 16, digest);
	ok = run() && ok;
	cmd_pcr_extend(&cmd, 23, digest);
	ok = run() && ok;
	tc_begin(&cmd, TPM2_ST_NO_SESSIONS, TPM2_CC_PCR_READ);
	tc_pcr_select(&cmd, 16);
	ok = run() && ok;
	cmd_get_random(&cmd, 32);
	return run() && ok;
}

/* One cycle: 16 commands (4 each of object, session, NV, PCR/random). */
#define CMDS_PER_CYCLE 16u

int soak_main(int cycles)
{
	uint32_t srk = 0;
	uint32_t bad_cycles = 0;
	size_t in_use_1 = 0, in_use_max = 0, brk_2 = 0, brk_1 = 0;
	uint64_t t0 = sys_monotonic_ns();

	check(vtpm_init(NULL, 0, false) == VTPM_OK, "soak: vtpm_init");
	stat("heap_in_use_after_init", vtpm_heap_in_use());
	srk = create_srk();
	check(srk != 0, "soak: CreatePrimary(ECC storage key)");
	for (int i = 1; i <= cycles; i++) {
		bool ok = object_cycle(srk) && session_cycle(0) &&
			  session_cycle(1) && nv_cycle((uint32_t)i) &&
			  pcr_cycle((uint32_t)i);
		size_t in_use = vtpm_heap_in_use();

		bad_cycles += ok ? 0 : 1;
		in_use_max = in_use > in_use_max ? in_use : in_use_max;
		if (i == 1) {
			in_use_1 = in_use;
			brk_1 = vtpm_heap_peak();
		} else if (i == 2) {
			brk_2 = vtpm_heap_peak();
		}
	}
	size_t in_use_n = vtpm_heap_in_use();
	uint64_t ns = sys_monotonic_ns() - t0;

	stat("cycles", (uint64_t)cycles);
	stat("commands", (uint64_t)cycles * CMDS_PER_CYCLE + 2);
	stat("ms", ns / 1000000u);
	stat("heap_in_use_after_cycle_1", in_use_1);
	stat("heap_in_use_after_last_cycle", in_use_n);
	stat("heap_in_use_max_between_cycles", in_use_max);
	stat("heap_break_after_cycle_1", brk_1);
	stat("heap_break_after_cycle_2", brk_2);
	stat("heap_break_after_last_cycle", vtpm_heap_peak());
	stat("heap_arena", vtpm_heap_size());
	if (failed_cc != 0) {
		stat("first_failed_command_code", failed_cc);
	}
	check(bad_cycles == 0, "soak: every command of every cycle succeeds");
	check(cycles >= 2 && in_use_n == in_use_1,
	      "soak: heap in use after the last cycle = after the first");
	check(in_use_max == in_use_1,
	      "soak: heap in use never above the first cycle's between "
	      "cycles");
	check(cycles >= 2 && vtpm_heap_peak() == brk_2,
	      "soak: the heap break does not move after the second cycle");
	cmd_flush(&cmd, srk);
	check(run(), "soak: FlushContext(storage key)");
	out_str("1..");
	out_u64((uint64_t)tests);
	out_str("\n");
	return fails == 0 ? 0 : 1;
}
