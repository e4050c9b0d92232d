/* SPDX-License-Identifier: MIT */
/*
 * The allocator the freestanding mbedTLS gets in our images (it has no
 * default one: scripts/thirdparty/30-mbedtls.sh). A bump arena in memory the
 * image provides, reset (and wiped: contexts hold expanded keys) at the
 * start of every public crypto call, so nothing outlives a call. Used by
 * snpemu's PSP model and the SVSM's guest-request channel; callers
 * serialise their crypto calls. Plain C types: compiled against mbedTLS's
 * (picolibc) headers.
 */
#pragma once

#include <stddef.h>

/**
 * Start a crypto call: zero what the previous call left in the arena, then
 * serve mbedTLS's calloc/free from @mem (@size bytes, 16-byte aligned).
 */
void mbedtls_arena_begin(void *mem, size_t size);
