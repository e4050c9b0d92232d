// SPDX-License-Identifier: MIT
/*
 * The vTPM engine for the hosted tests and fuzzers: no libtpms. Every
 * command of a TPM header's size or more gets a 10-byte success response
 * (tag TPM_ST_NO_SESSIONS); shorter ones are refused as the engine does.
 * fake_vtpm_result makes the next calls fail with that error; the real
 * engine is tested on the host by tests/unit/vtpm and end to end on
 * snpemu by the test guest (tests/guest/tests_vtpm.c).
 */
#include <string.h>

#include "svsm/vtpm.h"

bool fake_vtpm_running = true;
svsm_err_t fake_vtpm_result = SVSM_OK;
unsigned fake_vtpm_calls;

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
