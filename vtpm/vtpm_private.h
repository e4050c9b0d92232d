/* SPDX-License-Identifier: MIT */
/* Interfaces between the vTPM's own modules (not for embedders). */
#pragma once

#include <libtpms/tpm_library.h>
#include <stddef.h>
#include <stdint.h>

/* TPM 2.0 constants the engine's own commands use (TPM 2.0 Part 2). */
#define TPM2_ST_NO_SESSIONS 0x8001u
#define TPM2_ST_SESSIONS 0x8002u
#define TPM2_CC_HIERARCHY_CONTROL 0x00000121u
#define TPM2_CC_CREATE_PRIMARY 0x00000131u
#define TPM2_CC_STARTUP 0x00000144u
#define TPM2_CC_FLUSH_CONTEXT 0x00000165u
#define TPM2_CC_GET_RANDOM 0x0000017bu
#define TPM2_SU_CLEAR 0x0000u
#define TPM2_SU_STATE 0x0001u
#define TPM2_RH_ENDORSEMENT 0x4000000bu
#define TPM2_RH_PLATFORM 0x4000000cu
#define TPM2_RS_PW 0x40000009u
#define TPM2_HEADER_SIZE 10u

/**
 * Runs one command built by the engine itself; returns the response length,
 * or a VTPM_E_ code (VTPM_E_TPM when the response code is not success; the
 * code is then in vtpm_last_rc()).
 */
int32_t vtpm_run_internal(const uint8_t *cmd, size_t len, uint8_t *resp,
			  size_t cap);

/* The NV store behind libtpms' callbacks (nvstore.c). */
TPM_RESULT nvstore_load(unsigned char **data, uint32_t *length,
			uint32_t tpm_number, const char *name);
TPM_RESULT nvstore_store(const unsigned char *data, uint32_t length,
			 uint32_t tpm_number, const char *name);
TPM_RESULT nvstore_delete(uint32_t tpm_number, const char *name,
			  TPM_BOOL must_exist);
/** Replaces the store with a parsed blob; false if the blob is malformed. */
_Bool nvstore_import(const uint8_t *blob, size_t len);
/** Empties the store (a fresh TPM will be manufactured). */
void nvstore_clear(void);
size_t nvstore_export_size(void);
/** Serialises the store; returns the length, or 0 if out is too small. */
size_t nvstore_export(uint8_t *out, size_t cap);
