/* SPDX-License-Identifier: MIT */
/*
 * Serves the vTPM on stdin/stdout for the host bridge (mssim_bridge.py):
 * each request is a big-endian u32 length and a TPM command; each answer
 * the same framing around the response. Length 0 ends the session. The
 * TPM is manufactured and started (Startup(CLEAR)) before the first
 * command, as the SVSM would do at boot.
 */
#include <stdbool.h>
#include <stdint.h>
#include <vtpm/vtpm.h>

#include "sys.h"

static uint8_t req[VTPM_BUFFER_MAX];
static uint8_t resp[VTPM_BUFFER_MAX];

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

int serve_main(void)
{
	uint8_t hdr[4];

	if (vtpm_init(NULL, 0, false) != VTPM_OK) {
		return 1;
	}
	for (;;) {
		if (!in_read_all(hdr, sizeof(hdr))) {
			return 0;
		}
		uint32_t len = be32(hdr);
		if (len == 0) {
			return 0;
		}
		if (len > sizeof(req) || !in_read_all(req, len)) {
			return 1;
		}
		int32_t n = vtpm_cmd(req, len, resp, sizeof(resp));
		if (n < 0) {
			return 1;
		}
		hdr[0] = (uint8_t)((uint32_t)n >> 24);
		hdr[1] = (uint8_t)((uint32_t)n >> 16);
		hdr[2] = (uint8_t)((uint32_t)n >> 8);
		hdr[3] = (uint8_t)n;
		if (!out_write_all(hdr, sizeof(hdr)) ||
		    !out_write_all(resp, (size_t)n)) {
			return 1;
		}
	}
}
