// SPDX-License-Identifier: MIT
/*
 * Pages deposited by the guest (DEPOSIT_MEM) and lent to the SVSM. A flat
 * array: the pool is small and every lookup is bounded by its size, which
 * keeps the overlap check that guest_mem does on every access simple.
 */
#include "svsm/deposit_pool.h"

struct pool_page {
	uint64_t gpa;
	bool borrowed; /* in use by the SVSM: cannot be withdrawn */
};

static struct pool_page pool[DEPOSIT_POOL_MAX_PAGES];
static uint32_t pool_count;

void deposit_pool_reset(void)
{
	pool_count = 0;
}

static int32_t find(uint64_t page)
{
	for (uint32_t i = 0; i < pool_count; i++) {
		if (pool[i].gpa == page) {
			return (int32_t)i;
		}
	}
	return -1;
}

svsm_err_t deposit_pool_add(gpa_t page)
{
	if (find(gpa_val(page)) >= 0) {
		return SVSM_E_ADDR;
	}
	if (pool_count == DEPOSIT_POOL_MAX_PAGES) {
		return SVSM_E_NOMEM;
	}
	pool[pool_count].gpa = gpa_val(page);
	pool[pool_count].borrowed = false;
	pool_count++;
	return SVSM_OK;
}

bool deposit_pool_overlaps(gpa_t g, uint64_t len)
{
	for (uint32_t i = 0; i < pool_count; i++) {
		if (range_overlaps(gpa_val(g), len, pool[i].gpa, PAGE_SIZE)) {
			return true;
		}
	}
	return false;
}

uint32_t deposit_pool_count(void)
{
	return pool_count;
}

uint32_t deposit_pool_free_count(void)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < pool_count; i++) {
		n += pool[i].borrowed ? 0 : 1;
	}
	return n;
}

gpa_t deposit_pool_peek_free(uint32_t index)
{
	for (uint32_t i = 0; i < pool_count; i++) {
		if (pool[i].borrowed) {
			continue;
		}
		if (index == 0) {
			return gpa(pool[i].gpa);
		}
		index--;
	}
	return gpa_invalid();
}

gpa_t deposit_pool_page(uint32_t index, bool *borrowed)
{
	if (index >= pool_count) {
		*borrowed = false;
		return gpa_invalid();
	}
	*borrowed = pool[index].borrowed;
	return gpa(pool[index].gpa);
}

void deposit_pool_remove(gpa_t page)
{
	int32_t i = find(gpa_val(page));

	if (i < 0) {
		return;
	}
	/* Order does not matter: move the last entry into the hole. */
	pool[i] = pool[pool_count - 1];
	pool_count--;
}

gpa_t deposit_pool_alloc(void)
{
	for (uint32_t i = 0; i < pool_count; i++) {
		if (!pool[i].borrowed) {
			pool[i].borrowed = true;
			return gpa(pool[i].gpa);
		}
	}
	return gpa_invalid();
}

void deposit_pool_free(gpa_t page)
{
	int32_t i = find(gpa_val(page));

	if (i >= 0) {
		pool[i].borrowed = false;
	}
}
