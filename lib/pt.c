// SPDX-License-Identifier: MIT
/*
 * 4-level page-table construction and walks (AMD APM vol. 2 §5.3). The same
 * entry format serves guest page tables and nested page tables.
 */
#include "lib/pt.h"

#define PT_LEVELS 4
#define PT_ENTRIES 512

static unsigned pt_index(uint64_t va, int level)
{
	/* level 3 = PML4, 2 = PDPT, 1 = PD, 0 = PT */
	return (unsigned)((va >> (12 + 9 * level)) & (PT_ENTRIES - 1));
}

static uint64_t *pt_table(const struct pt_ops *ops, uint64_t pa)
{
	return ops->phys_to_virt(ops->ctx, pa & PTE_ADDR_MASK);
}

bool pt_va_canonical(uint64_t va)
{
	uint64_t top = va >> 47;

	return top == 0 || top == 0x1ffff;
}

/* Intermediate entries get the most permissive flags; leaves restrict. */
#define PT_TABLE_FLAGS (PTE_P | PTE_W | PTE_U)

/*
 * Returns the table at @level - 1 below @entry, allocating it if @alloc.
 * NULL with *st set on failure.
 */
static uint64_t *pt_next(const struct pt_ops *ops, uint64_t *entry, bool alloc,
			 enum pt_status *st)
{
	uint64_t pa = 0;

	if (*entry & PTE_P) {
		if (*entry & PTE_PS) {
			*st = PT_E_SPLIT;
			return NULL;
		}
		return pt_table(ops, *entry);
	}
	if (!alloc) {
		*st = PT_E_NOENT;
		return NULL;
	}
	pa = ops->alloc_page(ops->ctx);
	if (pa == 0 || (pa & ~PTE_ADDR_MASK) != 0) {
		*st = PT_E_NOMEM;
		return NULL;
	}
	*entry = pa | PT_TABLE_FLAGS;
	return pt_table(ops, pa);
}

static enum pt_status pt_map_one(const struct pt_ops *ops, uint64_t root_pa,
				 uint64_t va, uint64_t pa, uint64_t flags,
				 int leaf_level)
{
	uint64_t *table = pt_table(ops, root_pa);
	enum pt_status st = PT_OK;

	for (int level = PT_LEVELS - 1; level > leaf_level; level--) {
		table = pt_next(ops, &table[pt_index(va, level)], true, &st);
		if (table == NULL) {
			return st == PT_E_SPLIT ? PT_E_EXISTS : st;
		}
	}
	if (table[pt_index(va, leaf_level)] & PTE_P) {
		return PT_E_EXISTS;
	}
	if (leaf_level > 0) {
		flags |= PTE_PS;
	}
	table[pt_index(va, leaf_level)] =
		(pa & PTE_ADDR_MASK) | (flags & PTE_FLAGS_MASK) | PTE_P;
	return PT_OK;
}

enum pt_status pt_map(const struct pt_ops *ops, uint64_t root_pa, uint64_t va,
		      uint64_t pa, uint64_t size, uint64_t flags, bool large)
{
	uint64_t end = 0;

	if (!IS_ALIGNED(va, PT_SIZE_4K) || !IS_ALIGNED(pa, PT_SIZE_4K) ||
	    !IS_ALIGNED(size, PT_SIZE_4K) || size == 0 ||
	    __builtin_add_overflow(va, size - 1, &end) ||
	    !pt_va_canonical(va) || !pt_va_canonical(end) ||
	    (flags & PTE_PS) != 0 || ((va ^ end) >> 47) != 0) {
		return PT_E_INVAL;
	}
	while (size > 0) {
		uint64_t step = PT_SIZE_4K;
		int level = 0;
		enum pt_status st = PT_OK;

		if (large && IS_ALIGNED(va, PT_SIZE_2M) &&
		    IS_ALIGNED(pa, PT_SIZE_2M) && size >= PT_SIZE_2M) {
			step = PT_SIZE_2M;
			level = 1;
		}
		st = pt_map_one(ops, root_pa, va, pa, flags, level);
		if (st != PT_OK) {
			return st;
		}
		va += step;
		pa += step;
		size -= step;
	}
	return PT_OK;
}

/* Finds the leaf for @va: its entry pointer and level. */
static enum pt_status pt_find(const struct pt_ops *ops, uint64_t root_pa,
			      uint64_t va, uint64_t **entry_out, int *level_out)
{
	uint64_t *table = pt_table(ops, root_pa);

	if (!pt_va_canonical(va)) {
		return PT_E_INVAL;
	}
	for (int level = PT_LEVELS - 1; level >= 0; level--) {
		uint64_t *e = &table[pt_index(va, level)];

		if (!(*e & PTE_P)) {
			return PT_E_NOENT;
		}
		if (level == 0 || (*e & PTE_PS)) {
			if (level == PT_LEVELS - 1) {
				return PT_E_INVAL; /* PS is reserved in PML4 */
			}
			*entry_out = e;
			*level_out = level;
			return PT_OK;
		}
		table = pt_table(ops, *e);
	}
	return PT_E_NOENT;
}

enum pt_status pt_lookup(const struct pt_ops *ops, uint64_t root_pa,
			 uint64_t va, struct pt_walk *out)
{
	uint64_t *e = NULL;
	int level = 0;
	enum pt_status st = pt_find(ops, root_pa, va, &e, &level);
	uint64_t size = 0;

	if (st != PT_OK) {
		return st;
	}
	size = UINT64_C(1) << (12 + 9 * level);
	out->pte = *e;
	out->size = size;
	out->pa = (*e & PTE_ADDR_MASK & ~(size - 1)) | (va & (size - 1));
	return PT_OK;
}

enum pt_status pt_unmap(const struct pt_ops *ops, uint64_t root_pa, uint64_t va,
			uint64_t size)
{
	if (!IS_ALIGNED(va, PT_SIZE_4K) || !IS_ALIGNED(size, PT_SIZE_4K)) {
		return PT_E_INVAL;
	}
	while (size > 0) {
		uint64_t *e = NULL;
		int level = 0;
		uint64_t page = 0;
		enum pt_status st = pt_find(ops, root_pa, va, &e, &level);

		if (st != PT_OK) {
			return st;
		}
		page = UINT64_C(1) << (12 + 9 * level);
		if (!IS_ALIGNED(va, page) || size < page) {
			return PT_E_SPLIT;
		}
		*e = 0;
		va += page;
		size -= page;
	}
	return PT_OK;
}

/*
 * Effective rights of a leaf: writable only if every level allows it,
 * executable unless any level sets NX (APM vol. 2 §5.6).
 */
static void pt_wx_walk(const struct pt_ops *ops, const uint64_t *table,
		       int level, uint64_t va_base, bool w, bool x,
		       struct pt_wx_report *r)
{
	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		uint64_t e = table[i];
		uint64_t va = va_base | ((uint64_t)i << (12 + 9 * level));
		bool ew = w && (e & PTE_W) != 0;
		bool ex = x && (e & PTE_NX) == 0;

		if ((e & PTE_P) == 0) {
			continue;
		}
		/* Sign-extend bit 47 so reported addresses are canonical. */
		if (level == PT_LEVELS - 1 && (va >> 47) != 0) {
			va |= UINT64_C(0xffff) << 48;
		}
		if (level == 0 || (e & PTE_PS) != 0) {
			r->leaves++;
			if (ew && ex) {
				if (r->wx == 0) {
					r->first_wx_va = va;
				}
				r->wx++;
			}
			continue;
		}
		pt_wx_walk(ops, pt_table(ops, e), level - 1, va, ew, ex, r);
	}
}

void pt_find_wx(const struct pt_ops *ops, uint64_t root_pa,
		struct pt_wx_report *r)
{
	r->leaves = 0;
	r->wx = 0;
	r->first_wx_va = 0;
	pt_wx_walk(ops, pt_table(ops, root_pa), PT_LEVELS - 1, 0, true, true,
		   r);
}
