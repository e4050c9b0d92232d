/* SPDX-License-Identifier: MIT */
/*
 * The vTPM engine: Debian's libtpms (TPM 2.0 only) with a freestanding
 * OpenSSL, behind a byte-in, byte-out interface. One instance, not
 * reentrant: the caller serialises every call (the SVSM's vTPM lock).
 *
 * The embedder provides the hooks of <vtpm/vtpm_platform.h> and must, before
 * any call here, point FS_BASE at a block whose offset 0x28 holds a random
 * stack-protector canary (libtpms reads %fs:0x28), enable SSE, and enter
 * with a 16-byte aligned stack.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Results of the functions below (TPM response codes travel in-band). */
#define VTPM_OK 0
#define VTPM_E_INIT (-1)     /* libtpms refused to initialise */
#define VTPM_E_STATE (-2)    /* the state blob is malformed or too big */
#define VTPM_E_SELFTEST (-3) /* the RNG self-test failed */
#define VTPM_E_NOSPACE (-4)  /* the output buffer is too small */
#define VTPM_E_PARAM (-5)    /* bad argument (NULL, size out of range) */
#define VTPM_E_TPM (-6)      /* a TPM command failed (see vtpm_last_rc) */
#define VTPM_E_NOTREADY (-7) /* vtpm_init has not succeeded */

/* Largest command and response we accept (TPM 2.0 library default). */
#define VTPM_BUFFER_MAX 4096u

/* The two standard endorsement key templates (TCG EK Credential Profile). */
enum vtpm_ek_kind {
	VTPM_EK_RSA2048 = 0, /* template L-1 */
	VTPM_EK_ECC_P256 = 1 /* template L-2 */
};

/**
 * Starts the TPM. With no state (state == NULL), manufactures a fresh TPM
 * (new seeds) and sends TPM2_Startup(CLEAR). With a blob from
 * vtpm_state_export, restores that TPM and sends TPM2_Startup(STATE) if
 * resume is true (after a TPM2_Shutdown(STATE): PCRs and sessions survive)
 * or TPM2_Startup(CLEAR) otherwise. Then disables the platform hierarchy
 * (TPM2_HierarchyControl: every command that needs platform authorization
 * fails with TPM_RC_HIERARCHY until the next vtpm_init) and runs the RNG
 * self-test (OpenSSL's DRBG and TPM2_GetRandom). Returns VTPM_OK or a
 * VTPM_E_ code.
 */
int vtpm_init(const uint8_t *state, size_t state_len, bool resume);

/**
 * Executes one TPM 2.0 command. Returns the response length (> 0) written
 * to out, or a negative VTPM_E_ code. A TPM error is a normal response.
 */
int32_t vtpm_cmd(const uint8_t *in, size_t in_len, uint8_t *out,
		 size_t out_cap);

/**
 * Creates the endorsement key of the given standard template (a primary
 * key: the same TPM always gives the same key), writes its marshalled
 * TPMT_PUBLIC to out and flushes it. Returns the length or a VTPM_E_ code.
 */
int32_t vtpm_ek_public(enum vtpm_ek_kind kind, uint8_t *out, size_t out_cap);

/** Size of the blob vtpm_state_export would write now. */
size_t vtpm_state_size(void);

/**
 * Writes the TPM's persistent state (libtpms' NV files, as last stored
 * through its NV callbacks) to out. Returns the length or VTPM_E_NOSPACE.
 */
int32_t vtpm_state_export(uint8_t *out, size_t out_cap);

/** Stops libtpms (after the caller's TPM2_Shutdown). vtpm_init may follow. */
void vtpm_terminate(void);

/** The TPM response code of the last failed internal command, for logs. */
uint32_t vtpm_last_rc(void);

/** Peak bytes of the vTPM heap so far (for sizing the firmware's heap). */
size_t vtpm_heap_peak(void);

/** Bytes of the vTPM heap allocated now (malloc'd, not yet freed). */
size_t vtpm_heap_in_use(void);

/** Size of the vTPM's fixed heap arena (the bound on vtpm_heap_peak). */
size_t vtpm_heap_size(void);
