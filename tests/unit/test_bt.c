// SPDX-License-Identifier: MIT
/* Backtrace walking (lib/bt.c) over hand-built stacks. */
#include "lib/panic.h"

#include "tap.h"

static uint64_t stack[64] __attribute__((aligned(16)));

#define AT(i) ((uint64_t)(uintptr_t)&stack[i])

TAP_CASE(walks_a_good_chain)
{
	uint64_t pcs[8];

	memset(stack, 0, sizeof(stack));
	stack[4] = AT(10); /* frame 0 at [4]: saved rbp, return address */
	stack[5] = 0x1111;
	stack[10] = AT(20);
	stack[11] = 0x2222;
	stack[20] = 0; /* outermost frame: saved rbp 0 */
	stack[21] = 0x3333;
	CHECK_EQ(bt_collect(AT(4), AT(0), AT(64), pcs, 8), 3);
	CHECK_EQ(pcs[0], 0x1111);
	CHECK_EQ(pcs[2], 0x3333);
	CHECK_EQ(bt_collect(AT(4), AT(0), AT(64), pcs, 2), 2);
}

TAP_CASE(stops_on_corrupt_chains)
{
	uint64_t pcs[8];

	memset(stack, 0, sizeof(stack));
	stack[10] = AT(4); /* points backwards: a loop */
	stack[11] = 0x1;
	stack[4] = AT(10);
	stack[5] = 0x2;
	CHECK_EQ(bt_collect(AT(10), AT(0), AT(64), pcs, 8), 1);
	/* outside the stack, misaligned, or at the very top */
	CHECK_EQ(bt_collect(AT(0) - 64, AT(0), AT(64), pcs, 8), 0);
	CHECK_EQ(bt_collect(AT(4) + 3, AT(0), AT(64), pcs, 8), 0);
	CHECK_EQ(bt_collect(AT(63), AT(0), AT(64), pcs, 8), 0);
	stack[30] = UINT64_C(0xffffffffffff0000); /* escapes the stack */
	stack[31] = 0x5;
	CHECK_EQ(bt_collect(AT(30), AT(0), AT(64), pcs, 8), 1);
}

TAP_MAIN(TAP_ENTRY(walks_a_good_chain), TAP_ENTRY(stops_on_corrupt_chains))
