// SPDX-License-Identifier: MIT
/*
 * Frame-pointer backtraces. The images are built with
 * -fno-omit-frame-pointer, so each frame starts with {saved rbp, return
 * address}. A corrupt chain must end the walk, never fault it: a panic that
 * faults while printing its backtrace loses the message that mattered.
 */
#include "lib/panic.h"

uint32_t bt_collect(uint64_t rbp, uint64_t stack_lo, uint64_t stack_hi,
		    uint64_t *pcs, uint32_t max)
{
	uint32_t n = 0;

	while (n < max) {
		const uint64_t *frame = NULL;
		uint64_t next = 0;

		if (rbp < stack_lo || stack_hi < 16 || rbp > stack_hi - 16 ||
		    (rbp & 7) != 0) {
			break;
		}
		frame = (const uint64_t *)(uintptr_t)rbp;
		if (frame[1] == 0) {
			break;
		}
		pcs[n++] = frame[1];
		next = frame[0];
		/* Frames must strictly move towards the stack top. */
		if (next <= rbp) {
			break;
		}
		rbp = next;
	}
	return n;
}
