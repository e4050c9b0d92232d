/* SPDX-License-Identifier: MIT */
/*
 * x86-64 4-level page tables (also the nested page table format). Pure
 * logic: page memory comes from a caller-supplied allocator and physical
 * addresses are turned into pointers by a caller-supplied function, so the
 * same code builds the images' own tables, snpemu's nested tables, and runs
 * in hosted unit tests.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/compiler.h"

#define PTE_P (UINT64_C(1) << 0)
#define PTE_W (UINT64_C(1) << 1)
#define PTE_U (UINT64_C(1) << 2)
#define PTE_PWT (UINT64_C(1) << 3)
#define PTE_PCD (UINT64_C(1) << 4)
#define PTE_A (UINT64_C(1) << 5)
#define PTE_D (UINT64_C(1) << 6)
#define PTE_PS (UINT64_C(1) << 7)
#define PTE_G (UINT64_C(1) << 8)
#define PTE_NX (UINT64_C(1) << 63)
/* Bits 12..51: the frame address (bit 47 may be the C-bit). */
#define PTE_ADDR_MASK UINT64_C(0x000ffffffffff000)
#define PTE_FLAGS_MASK (~PTE_ADDR_MASK)

#define PT_SIZE_4K (UINT64_C(1) << 12)
#define PT_SIZE_2M (UINT64_C(1) << 21)
#define PT_SIZE_1G (UINT64_C(1) << 30)

enum pt_status {
	PT_OK = 0,
	PT_E_INVAL,  /* misaligned or non-canonical input */
	PT_E_NOMEM,  /* the allocator gave no page */
	PT_E_EXISTS, /* a mapping is already present */
	PT_E_NOENT,  /* nothing is mapped there */
	PT_E_SPLIT,  /* the range is part of a larger page */
};

struct pt_ops {
	/* Returns the physical address of a zeroed 4 KiB page, or 0. */
	uint64_t (*alloc_page)(void *ctx);
	/* Returns a pointer through which @pa can be accessed. */
	void *(*phys_to_virt)(void *ctx, uint64_t pa);
	void *ctx;
};

/**
 * Map [va, va+size) to [pa, pa+size) with @flags (PTE_P is implied).
 * Uses 2 MiB pages where both addresses are 2 MiB aligned and @large is set.
 * Refuses to overwrite a present entry. On failure, pages mapped so far stay
 * mapped.
 */
enum pt_status pt_map(const struct pt_ops *ops, uint64_t root_pa, uint64_t va,
		      uint64_t pa, uint64_t size, uint64_t flags,
		      bool large) __must_check;

/** Unmap [va, va+size); refuses to split a large page. */
enum pt_status pt_unmap(const struct pt_ops *ops, uint64_t root_pa, uint64_t va,
			uint64_t size) __must_check;

struct pt_walk {
	uint64_t pa;   /* translated address, including the page offset */
	uint64_t pte;  /* the leaf entry */
	uint64_t size; /* page size of the leaf: 4K, 2M or 1G */
};

/** Translate @va. */
enum pt_status pt_lookup(const struct pt_ops *ops, uint64_t root_pa,
			 uint64_t va, struct pt_walk *out) __must_check;

/** What pt_find_wx() found: leaf mappings, and those writable+executable. */
struct pt_wx_report {
	uint64_t leaves;
	uint64_t wx;
	uint64_t first_wx_va; /* the lowest such address, if any */
};

/**
 * Walk every present mapping under @root_pa and count the leaves that are
 * both writable and executable once all levels' W and NX bits are taken
 * into account (the W^X check of docs/threat-model.md "Inside the SVSM").
 */
void pt_find_wx(const struct pt_ops *ops, uint64_t root_pa,
		struct pt_wx_report *r);

/** True if @va is canonical for 48-bit virtual addresses. */
bool pt_va_canonical(uint64_t va);
