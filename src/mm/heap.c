// SPDX-License-Identifier: MIT
/*
 * First-fit heap (see heap.h). Every block starts with a 16-byte header
 * holding its total size and a state tag; the tag lets heap_free() refuse a
 * pointer that is not a live allocation instead of corrupting the free list.
 */
#include "mm/heap.h"

#include <assert.h>

#define TAG_FREE UINT64_C(0x46524545484541ff) /* arbitrary, unlikely */
#define TAG_USED UINT64_C(0x55534544484541ee)

struct heap_block {
	uint64_t size; /* whole block, header included, HEAP_ALIGN multiple */
	uint64_t tag;
	/* free blocks only: next free block (in the payload area) */
};

#define HDR ((size_t)sizeof(struct heap_block))
/* A free block stores its "next" link in its first payload word. */
#define MIN_BLOCK (HDR + HEAP_ALIGN)

static_assert(sizeof(struct heap_block) == HEAP_ALIGN, "header keeps align");

static struct heap_block **next_of(struct heap_block *b)
{
	return (struct heap_block **)(void *)((uint8_t *)b + HDR);
}

void heap_init(struct heap *h, void *mem, size_t size)
{
	uintptr_t start = ALIGN_UP((uintptr_t)mem, (uintptr_t)HEAP_ALIGN);
	uintptr_t end = (uintptr_t)mem + size;
	struct heap_block *b = NULL;

	h->base = NULL;
	h->size = 0;
	h->free_list = NULL;
	h->free_bytes = 0;
	if (end < start || end - start < MIN_BLOCK) {
		return;
	}
	h->base = (uint8_t *)start;
	h->size = ALIGN_DOWN(end - start, (uintptr_t)HEAP_ALIGN);
	b = (struct heap_block *)(void *)h->base;
	b->size = h->size;
	b->tag = TAG_FREE;
	*next_of(b) = NULL;
	h->free_list = b;
	h->free_bytes = h->size;
}

void *heap_alloc(struct heap *h, size_t size)
{
	struct heap_block **link = &h->free_list;
	size_t need = 0;

	if (size == 0 || size > h->size) {
		return NULL;
	}
	need = ALIGN_UP(size, (size_t)HEAP_ALIGN) + HDR;
	while (*link != NULL) {
		struct heap_block *b = *link;

		if (b->size >= need) {
			if (b->size - need >= MIN_BLOCK) {
				/* Split: the tail stays free, in place. */
				struct heap_block *rest =
					(struct heap_block
						 *)(void *)((uint8_t *)b +
							    need);

				rest->size = b->size - need;
				rest->tag = TAG_FREE;
				*next_of(rest) = *next_of(b);
				*link = rest;
				b->size = need;
			} else {
				*link = *next_of(b);
			}
			b->tag = TAG_USED;
			h->free_bytes -= b->size;
			return (uint8_t *)b + HDR;
		}
		link = next_of(b);
	}
	return NULL;
}

static struct heap_block *live_block(const struct heap *h, const void *p)
{
	uintptr_t a = (uintptr_t)p;
	struct heap_block *b = NULL;

	if (h->base == NULL || a < (uintptr_t)h->base + HDR ||
	    a >= (uintptr_t)h->base + h->size || !IS_ALIGNED(a, HEAP_ALIGN)) {
		return NULL;
	}
	b = (struct heap_block *)(a - HDR);
	if (b->tag != TAG_USED || b->size < MIN_BLOCK ||
	    b->size > (uintptr_t)h->base + h->size - (uintptr_t)b) {
		return NULL;
	}
	return b;
}

size_t heap_alloc_size(const struct heap *h, const void *p)
{
	struct heap_block *b = live_block(h, p);

	return b != NULL ? b->size - HDR : 0;
}

bool heap_free(struct heap *h, void *p)
{
	struct heap_block *b = NULL;
	struct heap_block *prev = NULL;
	struct heap_block *cur = h->free_list;

	if (p == NULL) {
		return true;
	}
	b = live_block(h, p);
	if (b == NULL) {
		return false;
	}
	/* Find the neighbours in the address-sorted free list. */
	while (cur != NULL && cur < b) {
		prev = cur;
		cur = *next_of(cur);
	}
	b->tag = TAG_FREE;
	h->free_bytes += b->size;
	*next_of(b) = cur;
	if (prev != NULL) {
		*next_of(prev) = b;
	} else {
		h->free_list = b;
	}
	/* Coalesce with the following block, then with the preceding one. */
	if (cur != NULL && (uint8_t *)b + b->size == (uint8_t *)cur) {
		b->size += cur->size;
		*next_of(b) = *next_of(cur);
		cur->tag = 0;
	}
	if (prev != NULL && (uint8_t *)prev + prev->size == (uint8_t *)b) {
		prev->size += b->size;
		*next_of(prev) = *next_of(b);
		b->tag = 0;
	}
	return true;
}
