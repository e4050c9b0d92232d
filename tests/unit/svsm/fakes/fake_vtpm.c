// SPDX-License-Identifier: MIT
/*
 * The vTPM engine for the hosted tests and fuzzers: no libtpms. Every
 * command of a TPM header's size or more gets a 10-byte success response
 * (tag TPM_ST_NO_SESSIONS); shorter ones are refused as the engine does.
 * fake_vtpm_result makes the next calls fail with that error; the real
 * engine is tested on the host by tests/unit/vtpm and end to end on
 * snpemu by the test guest (tests/guest/tests_vtpm.c). The "EKs" are
 * fixed byte strings of different lengths (fake_vtpm_ek), not keys: the
 * real ones are checked on snpemu (tests/guest/tests_attest.c).
 */
#include <string.h>

#include "svsm/vtpm.h"

bool fake_vtpm_running = true;
svsm_err_t fake_vtpm_result = SVSM_OK;
unsigned fake_vtpm_calls;

/* Version 0 (RSA in the image) 300 bytes of 0xe0, version 1 100 of 0xe1. */
const size_t fake_vtpm_ek_len[2] = {300, 100};
static uint8_t fake_ek[2][300];

bool plat_vtpm_ready(void)
{
	return fake_vtpm_running;
}

svsm_err_t plat_vtpm_execute(const uint8_t *cmd, size_t cmd_len, uint8_t *rsp,
			     size_t rsp_cap, size_t *rsp_len)
{
	static const uint8_t ok[10] = {0x80, 0x01, 0, 0, 0, 10, 0, 0, 0, 0};

	(void)cmd;
	fake_vtpm_calls++;
	*rsp_len = 0;
	if (fake_vtpm_result != SVSM_OK) {
		return fake_vtpm_result;
	}
	if (cmd_len < sizeof(ok)) {
		return SVSM_E_INVAL;
	}
	if (rsp_cap < sizeof(ok)) {
		return SVSM_E_FORMAT;
	}
	memcpy(rsp, ok, sizeof(ok));
	*rsp_len = sizeof(ok);
	return SVSM_OK;
}

svsm_err_t plat_vtpm_ek_public(uint32_t version, const uint8_t **pub,
			       size_t *len)
{
	*pub = NULL;
	*len = 0;
	if (version > 1) {
		return SVSM_E_INVAL;
	}
	if (!fake_vtpm_running) {
		return SVSM_E_REQUEST;
	}
	memset(fake_ek[version], 0xe0 + (int)version, sizeof(fake_ek[0]));
	*pub = fake_ek[version];
	*len = fake_vtpm_ek_len[version];
	return SVSM_OK;
}
