/* SPDX-License-Identifier: MIT */
/* Start-up of the SVSM's vTPM (src/vtpm_service.c). */
#pragma once

/**
 * Powers the vTPM on: a freshly manufactured TPM after TPM2_Startup(CLEAR)
 * (docs/abi.md §5.3). Prints one line with the time, heap and stack it
 * took. On failure protocol 2 stays absent; the SVSM goes on.
 */
void svsm_vtpm_start(void);
