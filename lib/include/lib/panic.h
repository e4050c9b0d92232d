/* SPDX-License-Identifier: MIT */
/*
 * panic(): the end of the line for a broken internal invariant (never for
 * bad input from a guest or a host, which must be answered with an error).
 * It prints the message, a backtrace, and then calls the image's exit hook
 * (snpemu: isa-debug-exit; SVSM: GHCB termination request).
 */
#pragma once

#include <stdint.h>

#include "lib/compiler.h"

struct cpu_regs;

typedef void (*panic_exit_fn)(uint32_t reason) __noreturn;

/** Reason codes passed to the exit hook. */
enum panic_reason {
	PANIC_REASON_GENERAL = 1,
	PANIC_REASON_EXCEPTION = 2,
	PANIC_REASON_CHECK = 3,
};

void panic_set_exit(panic_exit_fn fn);
__noreturn void panic(const char *fmt, ...) __printf(1, 2);
/** Panic from an exception frame: dumps the registers first. */
__noreturn void panic_regs(const struct cpu_regs *regs, const char *fmt, ...)
	__printf(2, 3);

/*
 * Every stack is RT_STACK_SIZE bytes and aligned to its size, so the top of
 * the current stack can be found from any RSP (for backtraces).
 */
#define RT_STACK_SIZE UINT64_C(16384)

/* Building blocks for panic paths in arch code (exception panics). */
void panic_enter(void);
void panic_backtrace(uint64_t rbp, uint64_t rsp);
__noreturn void panic_finish(uint32_t reason);

/**
 * CHECK(cond): an internal invariant. Do not use it if the condition could
 * ever be legitimately false, e.g. when processing external inputs.
 */
#define CHECK(cond)                                                         \
	do {                                                                \
		if (unlikely(!(cond))) {                                    \
			panic("CHECK failed: %s at %s:%d", #cond, __FILE__, \
			      __LINE__);                                    \
		}                                                           \
	} while (0)

/**
 * Walk a frame-pointer chain starting at @rbp. Only frames that lie inside
 * [stack_lo, stack_hi), are 8-aligned and strictly move up the stack are
 * followed, so a corrupt chain ends the walk instead of faulting.
 * Returns the number of return addresses stored in @pcs (at most @max).
 */
uint32_t bt_collect(uint64_t rbp, uint64_t stack_lo, uint64_t stack_hi,
		    uint64_t *pcs, uint32_t max);
