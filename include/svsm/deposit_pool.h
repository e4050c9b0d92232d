/* SPDX-License-Identifier: MIT */
/*
 * The pool of pages the guest deposited with the SVSM (DEPOSIT_MEM) and may
 * take back (WITHDRAW_MEM). While a page is in the pool it is SVSM-owned:
 * the guest has no RMP access to it and guest_mem refuses to touch it as
 * guest memory. SVSM code borrows pool pages with deposit_pool_alloc().
 *
 * Locking: callers hold the core lock.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "svsm/err.h"
#include "svsm/types.h"

#define DEPOSIT_POOL_MAX_PAGES 1024

void deposit_pool_reset(void);

/** Add a 4K page. SVSM_E_NOMEM if full, SVSM_E_ADDR if already present. */
__must_check svsm_err_t deposit_pool_add(gpa_t page);

/** True if [@g, @g + @len) overlaps any pool page. */
bool deposit_pool_overlaps(gpa_t g, uint64_t len);

/** Number of pages in the pool, and of those, free (not borrowed). */
uint32_t deposit_pool_count(void);
uint32_t deposit_pool_free_count(void);

/**
 * Take the @index'th free page out of the pool (for WITHDRAW_MEM).
 * Returns gpa_invalid() if there is no such page.
 */
gpa_t deposit_pool_peek_free(uint32_t index);
/**
 * The @index'th page of the pool, free or borrowed (@borrowed says which),
 * in constant time: for checks that walk the whole pool (the fuzzers'
 * invariants), which peek_free() would make quadratic. gpa_invalid() if
 * @index >= deposit_pool_count().
 */
gpa_t deposit_pool_page(uint32_t index, bool *borrowed);
void deposit_pool_remove(gpa_t page);

/** SVSM-internal use of a pool page; gpa_invalid() if none is free. */
gpa_t deposit_pool_alloc(void);
void deposit_pool_free(gpa_t page);
