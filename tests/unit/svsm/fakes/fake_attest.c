// SPDX-License-Identifier: MIT
/*
 * plat_attest_report() for the hosted tests and fuzzers: no PSP, no
 * cryptography. The "report" is zeros with VMPL 0 and the nonce in
 * REPORT_DATA (NOT its SHA-512 with the manifest: that binding is proven
 * end to end on snpemu with svsm-verify), and a fixed 72-byte certificate
 * table when one is asked for. fake_attest_fail makes the next call fail.
 */
#include <string.h>

#include "svsm/attest.h"

#include "svsm/abi/snp_guest_msg.h"

svsm_err_t fake_attest_fail = SVSM_OK;
unsigned fake_attest_calls;

static const uint8_t fake_table[72] = {
	0xa4, 0x06, 0xb4, 0xc0, [16] = 48, [20] = 24, [48] = 0x30, [49] = 0x16};

svsm_err_t plat_attest_report(const uint8_t nonce[64], const void *manifest,
			      size_t manifest_len, bool want_certs,
			      struct attest_report *out)
{
	struct snp_attestation_report *r = (void *)out->report;
	svsm_err_t err = fake_attest_fail;

	(void)manifest;
	(void)manifest_len;
	fake_attest_calls++;
	fake_attest_fail = SVSM_OK;
	memset(out, 0, sizeof(*out));
	if (err != SVSM_OK) {
		return err;
	}
	_Static_assert(sizeof(*r) == sizeof(out->report), "report size");
	r->version = 2;
	memcpy(r->report_data, nonce, 64);
	if (want_certs) {
		out->certs = fake_table;
		out->certs_len = sizeof(fake_table);
	}
	return SVSM_OK;
}
