/* SPDX-License-Identifier: MIT */
/*
 * The exception table: instructions that may fault on purpose (the guarded
 * copies used to touch guest memory) and where execution resumes if they do.
 * Entries hold offsets relative to the entry itself so the table is position
 * independent.
 */
#pragma once

#include <stdint.h>

struct extable_entry {
	int32_t insn;  /* faulting instruction, relative to &insn */
	int32_t fixup; /* resume address, relative to &fixup */
};

/** Returns the fixup address for @rip, or 0 if @rip has no entry. */
uint64_t extable_search(const struct extable_entry *start,
			const struct extable_entry *end, uint64_t rip);
