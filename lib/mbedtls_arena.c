// SPDX-License-Identifier: MIT
/*
 * lib/mbedtls_arena.h. Compiled into each image's crypto library (emu/,
 * src/), not into the runtime: it needs mbedTLS's headers.
 */
#include "lib/mbedtls_arena.h"

#include <stdint.h>
#include <string.h>

#include "mbedtls/platform.h"

static uint8_t *arena;
static size_t arena_size, arena_used;

static void *arena_calloc(size_t n, size_t size)
{
	size_t bytes = 0;
	void *p = NULL;

	if (size != 0 && n > (arena_size - arena_used) / size) {
		return NULL;
	}
	bytes = (n * size + 15) & ~(size_t)15;
	if (bytes > arena_size - arena_used) {
		return NULL;
	}
	p = &arena[arena_used];
	arena_used += bytes;
	memset(p, 0, bytes);
	return p;
}

static void arena_free(void *p)
{
	(void)p; /* reclaimed when the next call resets the arena */
}

void mbedtls_arena_begin(void *mem, size_t size)
{
	if (arena != NULL) {
		memset(arena, 0, arena_used);
	}
	arena = mem;
	arena_size = size;
	arena_used = 0;
	mbedtls_platform_set_calloc_free(arena_calloc, arena_free);
}
