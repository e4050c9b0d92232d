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

/* The vTPM service's manifest versions in the attestation protocol
 * (docs/attestation.md §4.3): version 0 is the standard's, version 1 this
 * project's extension. */
#define SVSM_VTPM_MANIFEST_EK_RSA2048 0u
#define SVSM_VTPM_MANIFEST_EK_ECC_P256 1u

/**
 * The vTPM's endorsement key for manifest @version: its public area as a
 * marshalled TPMT_PUBLIC (TPM byte order, no TPM2B size) of the primary
 * key from template L-1 (version 0, RSA-2048) or L-2 (version 1, ECC
 * P-256). Both are created on the vTPM's first use, before any guest
 * command runs; *@pub then points into SVSM memory that never changes.
 * Errors: SVSM_E_INVAL unknown version; SVSM_E_REQUEST the vTPM is not
 * running or could not create its EKs.
 */
__must_check svsm_err_t plat_vtpm_ek_public(uint32_t version,
					    const uint8_t **pub, size_t *len);
