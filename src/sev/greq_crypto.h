/* SPDX-License-Identifier: MIT */
/*
 * The guest-request channel's cryptography on the freestanding mbedTLS
 * (scripts/thirdparty/30-mbedtls.sh): AES-256-GCM with a 16-byte tag
 * (docs/abi.md §9.4) and SHA-512 for REPORT_DATA (docs/attestation.md
 * §4.2). Plain C types only: greq_crypto.c is the one SVSM file compiled
 * against mbedTLS's (picolibc) headers.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Encrypt @len bytes @in -> @out and produce @tag. */
bool greq_gcm_seal(const uint8_t key[32], const uint8_t iv[12],
		   const uint8_t *aad, size_t aad_len, const uint8_t *in,
		   uint8_t *out, size_t len, uint8_t tag[16]);
/** Authenticate and decrypt; false (and @out zeroed) if the tag fails. */
bool greq_gcm_open(const uint8_t key[32], const uint8_t iv[12],
		   const uint8_t *aad, size_t aad_len, const uint8_t *in,
		   uint8_t *out, size_t len, const uint8_t tag[16]);
/** SHA-512(@a || @b). */
void greq_sha512_2(const void *a, size_t a_len, const void *b, size_t b_len,
		   uint8_t out[64]);
