/* SPDX-License-Identifier: MIT */
/*
 * Hosted helpers shared by the IGVM tools: SHA-384/SHA-256 through OpenSSL's
 * libcrypto, file I/O, and the header dump.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "igvm/parse.h"

/** SHA-384 via libcrypto; matches igvm_sha384_fn. */
void igvm_host_sha384(const void *data, size_t len, uint8_t out[48]);
/** SHA-256 via libcrypto (firmware pins in igvm.cfg). */
void igvm_host_sha256(const void *data, size_t len, uint8_t out[32]);
/** Lower-case hex of @len bytes into @out (2 * len + 1 bytes). */
void igvm_host_hex(const uint8_t *bytes, size_t len, char *out);

/** Read a whole file (malloc'd). On failure returns false, sets errno. */
bool igvm_host_read_file(const char *path, uint8_t **data, size_t *len);
bool igvm_host_write_file(const char *path, const void *data, size_t len);

/**
 * Print every header of a parsed file, one line each, to @out. Returns the
 * number of headers printed.
 */
uint32_t igvm_dump(FILE *out, const struct igvm_file *f);
