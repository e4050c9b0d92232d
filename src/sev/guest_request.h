/* SPDX-License-Identifier: MIT */
/*
 * The SVSM's own guest-request channel to the PSP (docs/abi.md §9.2-§9.5):
 * VMPCK0, its sequence numbers, and the shared pages. Implements
 * plat_attest_report() (include/svsm/attest.h).
 */
#pragma once

#include <stdbool.h>

#include "svsm/abi/secrets.h"

/**
 * Take VMPCK0 from the PSP's secrets page and set up the shared request,
 * response and certificate pages. False (attestation then answers
 * INVALID_REQUEST) if the pages cannot be made shared or VMPCK0 is zero.
 */
bool greq_init(struct snp_secrets_page *secrets);

/** Is VMPCK0 still usable (not wiped after a failure)? */
bool greq_enabled(void);
