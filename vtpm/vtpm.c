/* SPDX-License-Identifier: MIT */
/*
 * The vTPM engine: libtpms set up for TPM 2.0 with its NV callbacks on our
 * in-memory store, a command entry point, and the start-up RNG self-test.
 */
#include <libtpms/tpm_error.h>
#include <openssl/rand.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <vtpm/vtpm.h>

#include "marshal.h"
#include "shim/shim.h"
#include "vtpm_private.h"

static struct libtpms_callbacks callbacks = {
	.sizeOfStruct = sizeof(struct libtpms_callbacks),
	.tpm_nvram_init = NULL,
	.tpm_nvram_loaddata = nvstore_load,
	.tpm_nvram_storedata = nvstore_store,
	.tpm_nvram_deletename = nvstore_delete,
	.tpm_io_init = NULL,
	.tpm_io_getlocality = NULL,
	.tpm_io_getphysicalpresence = NULL,
};

/* The no-asm OpenSSL's capability vector (crypto/cpuid.c): zero unless
 * we fill it. Only the Montgomery assembly reads it (20-openssl.sh). */
extern unsigned int OPENSSL_ia32cap_P[10];

/*
 * Tells OpenSSL's Montgomery multiplication whether it may use MULX, ADCX
 * and ADOX (general-register instructions: no extended state): word 2 is
 * CPUID.(7,0).EBX, of which it tests BMI1 (3), BMI2 (8) and ADX (19). No
 * other bit is set, so nothing in the vTPM dispatches to AVX.
 */
static void crypto_cpu_setup(void)
{
	uint32_t eax = 0;
	uint32_t ebx = 0;
	uint32_t ecx = 0;
	uint32_t edx = 0;

	__asm__ volatile("cpuid"
			 : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx)
			 : "a"(0), "c"(0));
	if (eax < 7) {
		return;
	}
	__asm__ volatile("cpuid"
			 : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx)
			 : "a"(7), "c"(0));
	OPENSSL_ia32cap_P[2] = ebx & ((1u << 3) | (1u << 8) | (1u << 19));
}

static bool ready;
static uint32_t last_rc;
/* libtpms returns responses in a buffer it allocates and may grow; we keep
 * it across commands. Commands are copied in first, so libtpms never reads
 * memory the caller (a guest) can change while it parses. */
static unsigned char *resp_buf;
static uint32_t resp_buf_size;
static uint8_t cmd_copy[VTPM_BUFFER_MAX];

static int32_t process(const uint8_t *in, size_t in_len, uint8_t *out,
		       size_t out_cap)
{
	uint32_t resp_len = 0;

	if (in == NULL || out == NULL || in_len < TPM2_HEADER_SIZE ||
	    in_len > sizeof(cmd_copy)) {
		return VTPM_E_PARAM;
	}
	memcpy(cmd_copy, in, in_len);
	if (TPMLIB_Process(&resp_buf, &resp_len, &resp_buf_size, cmd_copy,
			   (uint32_t)in_len) != TPM_SUCCESS ||
	    resp_len < TPM2_HEADER_SIZE) {
		return VTPM_E_TPM;
	}
	if (resp_len > out_cap) {
		return VTPM_E_NOSPACE;
	}
	memcpy(out, resp_buf, resp_len);
	return (int32_t)resp_len;
}

int32_t vtpm_cmd(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap)
{
	if (!ready) {
		return VTPM_E_NOTREADY;
	}
	return process(in, in_len, out, out_cap);
}

int32_t vtpm_run_internal(const uint8_t *cmd, size_t len, uint8_t *resp,
			  size_t cap)
{
	int32_t n = process(cmd, len, resp, cap);

	if (n < 0) {
		return n;
	}
	last_rc = get_be32(resp + 6);
	return last_rc == 0 ? n : VTPM_E_TPM;
}

static int send_startup(uint16_t type)
{
	uint8_t cmd[12];
	uint8_t resp[TPM2_HEADER_SIZE];

	put_be16(cmd, TPM2_ST_NO_SESSIONS);
	put_be32(cmd + 2, sizeof(cmd));
	put_be32(cmd + 6, TPM2_CC_STARTUP);
	put_be16(cmd + 10, type);
	return vtpm_run_internal(cmd, sizeof(cmd), resp, sizeof(resp)) < 0
		       ? VTPM_E_INIT
		       : VTPM_OK;
}

/*
 * Disables the platform hierarchy (phEnable = NO) until the next
 * TPM2_Startup, which only the SVSM sends: TPM2_HierarchyControl(
 * TPM_RH_PLATFORM, enable TPM_RH_PLATFORM, NO) with the empty platformAuth
 * of a fresh TPM. The platform role belongs to the SVSM, which needs
 * nothing from that hierarchy. Left enabled with an empty auth, the guest
 * would act as the platform: create platform NV indices (a fake EK
 * certificate), take over hierarchy control and, with a TPM library that
 * has TPM2_ChangeEPS (libtpms 0.9 has none), replace the endorsement seed
 * behind the attested EK (docs/abi.md §5.3). Firmware does the same, or
 * sets a random platformAuth (edk2: SecurityPkg
 * PeiDxeTpmPlatformHierarchyLib, ConfigureTpmPlatformHierarchy).
 */
static int lock_platform_hierarchy(void)
{
	uint8_t cmd[32];
	uint8_t resp[32];

	put_be16(cmd, TPM2_ST_SESSIONS);
	put_be32(cmd + 2, sizeof(cmd));
	put_be32(cmd + 6, TPM2_CC_HIERARCHY_CONTROL);
	put_be32(cmd + 10, TPM2_RH_PLATFORM); /* authHandle */
	put_be32(cmd + 14, 9);                /* authorization area size */
	put_be32(cmd + 18, TPM2_RS_PW);       /* empty password session */
	put_be16(cmd + 22, 0);                /* nonce */
	cmd[24] = 0;                          /* session attributes */
	put_be16(cmd + 25, 0);                /* hmac: the empty auth */
	put_be32(cmd + 27, TPM2_RH_PLATFORM); /* enable: phEnable */
	cmd[31] = 0;                          /* state: NO */
	return vtpm_run_internal(cmd, sizeof(cmd), resp, sizeof(resp)) < 0
		       ? VTPM_E_INIT
		       : VTPM_OK;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++) {
		acc |= p[i];
	}
	return acc == 0;
}

/*
 * Proves, before the first guest command, that both random sources the
 * TPM uses work: OpenSSL's DRBG (seeded by getentropy: RDSEED) and the
 * TPM's own (TPM2_GetRandom). Two draws must succeed, be non-zero and
 * differ. A broken source would otherwise show only as weak keys.
 */
static int rng_self_test(void)
{
	uint8_t a[32];
	uint8_t b[32];
	uint8_t cmd[12];
	uint8_t resp[TPM2_HEADER_SIZE + 2 + 32];

	if (RAND_bytes(a, sizeof(a)) != 1 || RAND_bytes(b, sizeof(b)) != 1 ||
	    all_zero(a, sizeof(a)) || memcmp(a, b, sizeof(a)) == 0) {
		return VTPM_E_SELFTEST;
	}
	put_be16(cmd, TPM2_ST_NO_SESSIONS);
	put_be32(cmd + 2, sizeof(cmd));
	put_be32(cmd + 6, TPM2_CC_GET_RANDOM);
	put_be16(cmd + 10, 32);
	for (int i = 0; i < 2; i++) {
		int32_t n =
			vtpm_run_internal(cmd, sizeof(cmd), resp, sizeof(resp));
		if (n != (int32_t)sizeof(resp) ||
		    get_be16(resp + TPM2_HEADER_SIZE) != 32) {
			return VTPM_E_SELFTEST;
		}
		memcpy(i == 0 ? a : b, resp + TPM2_HEADER_SIZE + 2, 32);
	}
	if (all_zero(a, sizeof(a)) || memcmp(a, b, sizeof(a)) == 0) {
		return VTPM_E_SELFTEST;
	}
	return VTPM_OK;
}

int vtpm_init(const uint8_t *state, size_t state_len, bool resume)
{
	if (ready) {
		vtpm_terminate();
	}
	crypto_cpu_setup();
	if (state != NULL) {
		if (!nvstore_import(state, state_len)) {
			return VTPM_E_STATE;
		}
	} else {
		nvstore_clear();
		resume = false;
	}
	if (TPMLIB_RegisterCallbacks(&callbacks) != TPM_SUCCESS ||
	    TPMLIB_ChooseTPMVersion(TPMLIB_TPM_VERSION_2) != TPM_SUCCESS ||
	    TPMLIB_MainInit() != TPM_SUCCESS) {
		return VTPM_E_INIT;
	}
	ready = true;
	int rc = send_startup(resume ? TPM2_SU_STATE : TPM2_SU_CLEAR);
	if (rc == VTPM_OK) {
		rc = lock_platform_hierarchy();
	}
	if (rc == VTPM_OK) {
		rc = rng_self_test();
	}
	if (rc != VTPM_OK) {
		vtpm_terminate();
	}
	return rc;
}

void vtpm_terminate(void)
{
	if (ready) {
		TPMLIB_Terminate();
		ready = false;
	}
}

size_t vtpm_state_size(void)
{
	return nvstore_export_size();
}

int32_t vtpm_state_export(uint8_t *out, size_t out_cap)
{
	size_t n = nvstore_export(out, out_cap);

	return n == 0 ? VTPM_E_NOSPACE : (int32_t)n;
}

uint32_t vtpm_last_rc(void)
{
	return last_rc;
}

size_t vtpm_heap_peak(void)
{
	return shim_heap_peak();
}

size_t vtpm_heap_in_use(void)
{
	return shim_heap_in_use();
}

size_t vtpm_heap_size(void)
{
	return shim_heap_size();
}
