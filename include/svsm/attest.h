/* SPDX-License-Identifier: MIT */
/*
 * The seam between the attestation protocol (protocols/attest.c) and the
 * platform's PSP channel: src/sev/guest_request.c in the image,
 * tests/unit/svsm/fakes/fake_attest.c in the hosted tests. The protocol
 * decides what is asked and what the guest gets; the platform only talks
 * to the PSP.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svsm/err.h"

#include "svsm/abi/attest.h"

/* The certificate table the SVSM can relay: Linux's buffer size (16 KiB). */
#define SVSM_ATTEST_CERTS_MAX (4 * 4096)

struct attest_report {
	uint8_t report[SVSM_ATTEST_REPORT_SIZE];
	/* The host's certificate table, in SVSM memory (len 0: none). */
	const uint8_t *certs;
	size_t certs_len;
};

/**
 * An SNP attestation report of VMPL0 whose REPORT_DATA is SHA-512(@nonce ||
 * @manifest) (docs/attestation.md §4.2), from the PSP through VMPCK0. With
 * @want_certs the extended request also fetches the host's certificate
 * table. Errors: SVSM_E_REQUEST attestation is unavailable (no channel, or
 * VMPCK0 was wiped after a failed exchange) or the PSP refused;
 * SVSM_E_BUSY the host stayed busy; SVSM_E_INVAL the host's table is
 * larger than SVSM_ATTEST_CERTS_MAX (@out->certs_len = its size; the
 * report is valid).
 */
__must_check svsm_err_t plat_attest_report(const uint8_t nonce[64],
					   const void *manifest,
					   size_t manifest_len, bool want_certs,
					   struct attest_report *out);
