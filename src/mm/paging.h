/* SPDX-License-Identifier: MIT */
/*
 * The SVSM's page tables: identity mapped (VA = GPA), the C-bit set on
 * every private mapping. The SVSM region is mapped with 4 KiB pages (so
 * single pages can be made shared, e.g. the GHCB) and W^X (text RX, rodata
 * R, the rest RW+NX), guest RAM with 2 MiB pages where aligned and never
 * executable.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/compiler.h"

#include "boot/params.h"

/** The C-bit as a PTE/address mask (from src/entry.S). */
uint64_t paging_cbit_mask(void);

/**
 * Build and load the final tables: @svsm (the SVSM region, W^X, 4K), the
 * RAM ranges (RW, NX) minus the SVSM region, and any @extra ranges the SVSM
 * must reach outside RAM (parameter areas; RW, NX, 4K). Panics on failure.
 */
void paging_init(const struct mem_range *svsm, const struct mem_range *ram,
		 size_t ram_count, const struct mem_range *extra,
		 size_t extra_count);

/**
 * Leaf mappings paging_init() checked for W^X (it panics on a writable and
 * executable one), for the boot log.
 */
extern uint64_t paging_wx_leaves;

/**
 * Take guest RAM and the host's parameter areas out of the SVSM's address
 * space (called once the guest is launched; from then on guest pages are
 * reached only through the guest window, paging_window_init()).
 */
void paging_drop_guest_ram(void);

/** True if @gpa is mapped in the SVSM's page tables (for the boot log). */
bool paging_guest_ram_mapped(uint64_t gpa);

/**
 * Prepare the guest window at @va (2 MiB aligned; it uses [va, va + 4M)):
 * *@pde_2m is the page-directory entry that maps [va, va + 2M) as one large
 * page, *@pt_4k the page table whose 512 entries map [va + 2M, va + 4M).
 * Both start empty; the platform layer fills and clears them.
 */
void paging_window_init(uint64_t va, uint64_t **pde_2m, uint64_t **pt_4k);

/** Remap the 4 KiB page at @va (SVSM region) shared (no C-bit) or private. */
bool paging_set_shared(uint64_t va, bool shared) __must_check;
