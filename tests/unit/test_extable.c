// SPDX-License-Identifier: MIT
/* Exception-table lookup (lib/extable.c) with self-relative entries. */
#include "lib/extable.h"

#include "tap.h"

static struct extable_entry table[3];

static void set_entry(struct extable_entry *e, uintptr_t insn, uintptr_t fix)
{
	e->insn = (int32_t)(insn - (uintptr_t)&e->insn);
	e->fixup = (int32_t)(fix - (uintptr_t)&e->fixup);
}

TAP_CASE(finds_each_entry)
{
	uintptr_t base = (uintptr_t)table;

	set_entry(&table[0], base + 0x100, base + 0x200);
	set_entry(&table[1], base - 0x300, base + 0x10);
	set_entry(&table[2], base + 0x7000, base - 0x40);
	CHECK_EQ(extable_search(table, table + 3, base + 0x100), base + 0x200);
	CHECK_EQ(extable_search(table, table + 3, base - 0x300), base + 0x10);
	CHECK_EQ(extable_search(table, table + 3, base + 0x7000), base - 0x40);
}

TAP_CASE(misses_return_zero)
{
	uintptr_t base = (uintptr_t)table;

	set_entry(&table[0], base + 0x100, base + 0x200);
	CHECK_EQ(extable_search(table, table + 1, base + 0x101), 0);
	CHECK_EQ(extable_search(table, table + 1, base + 0xff), 0);
	CHECK_EQ(extable_search(table, table, base + 0x100), 0);
}

TAP_MAIN(TAP_ENTRY(finds_each_entry), TAP_ENTRY(misses_return_zero))
