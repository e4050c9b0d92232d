/* SPDX-License-Identifier: MIT */
/*
 * The PSP model's cryptography, on the freestanding mbedTLS: AES-256-GCM
 * for guest messages (docs/abi.md §9.4) and ECDSA P-384/SHA-384 with the
 * emulated chip key (VCEK). Plain C types only: psp_crypto.c is compiled
 * against mbedTLS's (picolibc) headers, everything else against ours.
 *
 * The VCEK is the build directory's (tools/psp-keys, loaded by
 * psp_certs.c): until pspc_set_vcek() has run, nothing is signed.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool pspc_gcm(bool encrypt, const uint8_t key[32], const uint8_t iv[12],
	      const uint8_t *aad, size_t aad_len, const uint8_t *in,
	      uint8_t *out, size_t len, uint8_t tag[16]);
/** Install the VCEK's private scalar (big-endian). */
bool pspc_set_vcek(const uint8_t d[48]);
/** ECDSA P-384 over SHA-384(@msg); r and s little-endian, 72 bytes. */
bool pspc_sign(const uint8_t *msg, size_t len, uint8_t r[72], uint8_t s[72]);
/** Verify such a signature with the emulated VCEK's public key. */
bool pspc_verify(const uint8_t *msg, size_t len, const uint8_t r[72],
		 const uint8_t s[72]);
/**
 * Verify an ECDSA P-384/SHA-384 signature with the public key (@qx, @qy);
 * all four values little-endian in 72 bytes (SNP ID block convention). A
 * point that is not on the curve fails.
 */
bool pspc_verify_key(const uint8_t *msg, size_t len, const uint8_t qx[72],
		     const uint8_t qy[72], const uint8_t r[72],
		     const uint8_t s[72]);
void pspc_sha384(const void *data, size_t len, uint8_t out[48]);
/** The emulated VCEK's public key, big-endian affine coordinates. */
bool pspc_vcek_public(uint8_t qx[48], uint8_t qy[48]);
