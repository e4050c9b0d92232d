// SPDX-License-Identifier: MIT
#include "lib/extable.h"

#include <stddef.h>

uint64_t extable_search(const struct extable_entry *start,
			const struct extable_entry *end, uint64_t rip)
{
	/*
	 * Linear: the table holds a handful of entries (the guarded copy
	 * routines), so sorting at build time would buy nothing.
	 */
	for (const struct extable_entry *e = start; e < end; e++) {
		uint64_t insn =
			(uint64_t)(uintptr_t)&e->insn + (int64_t)e->insn;

		if (insn == rip) {
			return (uint64_t)(uintptr_t)&e->fixup +
			       (int64_t)e->fixup;
		}
	}
	return 0;
}
