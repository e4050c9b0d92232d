/* SPDX-License-Identifier: MIT */
/*
 * What the embedder (the SVSM, or a test program) provides to the vTPM.
 * The vTPM calls nothing else outside itself, picolibc and OpenSSL.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/** Writes a diagnostic line from libtpms or the shim (not NUL-terminated). */
void vtpm_plat_log(const char *msg, size_t len);

/** Monotonic time in nanoseconds (the TPM clock; never goes backwards). */
uint64_t vtpm_plat_monotonic_ns(void);

/**
 * Stops the vTPM for good: called when entropy fails, the stack canary is
 * smashed, an assertion fails, or unreachable code is reached. Must not
 * return (the firmware panics; a test program exits non-zero).
 */
_Noreturn void vtpm_plat_abort(const char *why);
