/* SPDX-License-Identifier: MIT */
/*
 * The seam between the vTPM protocol (protocols/vtpm.c) and the TPM engine:
 * src/vtpm_service.c (libvtpm on its own stack) in the image,
 * tests/unit/svsm/fakes/fake_vtpm.c in the hosted tests. The protocol
 * checks and copies the guest's buffer; the engine only runs TPM packets
 * that are already in SVSM memory.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svsm/err.h"

/** True once the vTPM started (powered on, TPM2_Startup done). */
bool plat_vtpm_ready(void);

/**
 * Runs one TPM 2.0 command (@cmd, @cmd_len bytes, in SVSM memory) and puts
 * the response in @rsp (at most @rsp_cap bytes; *@rsp_len its length).
 * A TPM error is a normal response (SVSM_OK). Errors: SVSM_E_INVAL the
 * packet is shorter than a TPM header; SVSM_E_REQUEST the vTPM is not
 * running; SVSM_E_FORMAT the engine produced no response (or one larger
 * than @rsp_cap): the caller answers with a TPM_RC_FAILURE packet.
 */
__must_check svsm_err_t plat_vtpm_execute(const uint8_t *cmd, size_t cmd_len,
					  uint8_t *rsp, size_t rsp_cap,
					  size_t *rsp_len);
