/* SPDX-License-Identifier: MIT */
/*
 * Private interface of the glibc-ABI shim: the names libtpms' object code
 * expects from glibc, and the renamed ones (vtpm_glibc_NAME, see
 * scripts/thirdparty/40-libtpms.sh) whose glibc meaning differs from
 * picolibc's. Nothing outside vtpm/ includes this.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/** Fills buf from the CPU's entropy source; stops the vTPM on failure. */
void shim_entropy_fill(void *buf, size_t len);

/** Formats and logs one diagnostic line through vtpm_plat_log. */
void shim_log_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Peak bytes handed out by sbrk. */
size_t shim_heap_peak(void);
size_t shim_heap_size(void);
/** Bytes allocated by malloc and not yet freed. */
size_t shim_heap_in_use(void);
