/* SPDX-License-Identifier: MIT */
/*
 * The vTPM heap: picolibc's malloc grows it with sbrk(). A fixed arena in
 * .bss, so the vTPM never asks the firmware for memory at run time and its
 * footprint is known at link time. docs/architecture.md §6 measured a heap peak
 * of ~0.8 MB (RSA-2048 CreatePrimary); vtpm_heap_peak() reports ours. 2 MiB
 * is 2.4 times the peak of a whole session (tests/unit/vtpm: 852 KiB with
 * CreatePrimary RSA and ECC, a quote, NV), and keeps the SVSM's whole
 * reservation within 8 MiB (issue 12); the SVSM prints the peak at boot and
 * when it makes the EKs.
 */
#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>

#include "shim.h"

#ifndef VTPM_HEAP_SIZE
#define VTPM_HEAP_SIZE (2u * 1024u * 1024u)
#endif

static uint8_t heap[VTPM_HEAP_SIZE] __attribute__((aligned(64)));
static size_t heap_used;

void *sbrk(ptrdiff_t incr);
void *sbrk(ptrdiff_t incr)
{
	size_t old = heap_used;

	if (incr < 0) {
		if ((size_t)-incr > heap_used) {
			errno = EINVAL;
			return (void *)-1;
		}
		heap_used -= (size_t)-incr;
		return heap + old;
	}
	if ((size_t)incr > sizeof(heap) - heap_used) {
		errno = ENOMEM;
		return (void *)-1;
	}
	heap_used += (size_t)incr;
	return heap + old;
}

size_t shim_heap_size(void)
{
	return sizeof(heap);
}

size_t shim_heap_peak(void)
{
	/* sbrk never shrinks in practice (nano-malloc keeps its free list),
	 * so the break is the peak. */
	return heap_used;
}

size_t shim_heap_in_use(void)
{
	/* picolibc's nano-malloc walks its free list: the break minus the
	 * free chunks. */
	return mallinfo().uordblks;
}
