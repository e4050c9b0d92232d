/* SPDX-License-Identifier: MIT */
/*
 * The SVSM's own memory: the page pool (memory the launch did not validate,
 * PVALIDATEd here), the heap on top of it, and PVALIDATE/RMPADJUST over
 * ranges. Addresses are identity mapped (VA = GPA, C-bit set).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/compiler.h"

/** PVALIDATE [base, base + size) (page aligned), 2 MiB steps where the RMP
 * allows. A page already in the requested state is accepted when
 * @allow_unchanged (see mem.c). Returns false on the first failure. */
bool mem_pvalidate_range(uint64_t base, uint64_t size, bool validate,
			 bool allow_unchanged) __must_check;

/** RMPADJUST every 4 KiB page of [base, base + size) with @attrs. */
bool mem_rmpadjust_range(uint64_t base, uint64_t size,
			 uint64_t attrs) __must_check;

/** Validate the pool and set up the allocator and heap. Panics on failure
 * (the SVSM cannot run without its memory). */
void mem_init(uint64_t pool_base, uint64_t pool_size);

/** A zeroed 4 KiB page (physical = virtual address), or 0. */
uint64_t mem_alloc_page(void) __must_check;
/** @n contiguous zeroed pages aligned to @align_pages, or 0. */
uint64_t mem_alloc_pages(uint64_t n, uint64_t align_pages) __must_check;
void mem_free_pages(uint64_t pa, uint64_t n);

/**
 * @n contiguous pool pages shared with the hypervisor (the GHCB, the
 * guest-request pages): validation rescinded, page-state changed to shared,
 * mapped without the C-bit, zeroed (GHCB spec §2.3.1 order; Linux
 * snp_set_memory_shared). NULL on failure.
 */
void *mem_alloc_shared(uint64_t n) __must_check;

/**
 * @n contiguous zeroed private pool pages as a buffer, for SVSM data that
 * is needed only for a while (the ACPI tables at boot), or NULL;
 * mem_free_buf gives them back.
 */
void *mem_alloc_buf(uint64_t n) __must_check;
void mem_free_buf(void *p, uint64_t n);

struct snp_vmsa;
/** A zeroed pool page for a VMSA, never 2 MiB aligned (SNP erratum,
 * docs/abi.md §3.3), or NULL. */
struct snp_vmsa *mem_alloc_vmsa(void) __must_check;
/**
 * Make the filled page @v a VMSA: RMPADJUST target VMPL1, no permissions,
 * the VMSA bit (as Linux at VMPL0 does, docs/abi.md §7.2). It stays SVSM
 * memory. Returns the RMPADJUST result (0 = success).
 */
uint32_t mem_make_vmsa(struct snp_vmsa *v) __must_check;

/** The physical address of SVSM memory at @p (identity mapped). */
static inline uint64_t mem_pa(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

void *mem_malloc(size_t size) __must_check;
void mem_free(void *p);

/** Free pages left in the pool (for the boot log). */
uint64_t mem_free_page_count(void);
