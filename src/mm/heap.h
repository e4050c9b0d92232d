/* SPDX-License-Identifier: MIT */
/*
 * A small first-fit heap over one caller-supplied memory block, with
 * coalescing on free. Pure logic (no locking, no page allocation), shared by
 * the SVSM and the hosted unit tests; the SVSM wraps it with a lock.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/compiler.h"

#define HEAP_ALIGN 16

struct heap_block;

struct heap {
	uint8_t *base;
	size_t size;
	struct heap_block *free_list; /* sorted by address */
	size_t free_bytes;            /* bytes in free blocks, headers too */
};

/** Manage [mem, mem + size); @mem is rounded up to HEAP_ALIGN. */
void heap_init(struct heap *h, void *mem, size_t size);

/** @size bytes aligned to HEAP_ALIGN, or NULL (also for size 0). */
void *heap_alloc(struct heap *h, size_t size) __must_check;

/**
 * Free @p (NULL is a no-op). Returns false and changes nothing if @p is not
 * a live allocation of @h (bad pointer, double free, corrupted header).
 */
bool heap_free(struct heap *h, void *p) __must_check;

/** Usable size of the live allocation @p, or 0 if @p is not one. */
size_t heap_alloc_size(const struct heap *h, const void *p);
