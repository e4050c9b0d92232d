// SPDX-License-Identifier: MIT
#include "lib/panic.h"

#include <stdarg.h>

#include "lib/console.h"
#include "lib/fmt.h"

/* Stacks are RT_STACK_SIZE bytes, aligned to their size (see panic.h). */
#define BT_MAX 16

static panic_exit_fn panic_exit;
static volatile uint32_t panic_depth;

void panic_set_exit(panic_exit_fn fn)
{
	panic_exit = fn;
}

__noreturn static void panic_halt(uint32_t reason)
{
	if (panic_exit != NULL) {
		panic_exit(reason);
	}
	for (;;) {
		__asm__ volatile("cli; hlt");
	}
}

void panic_backtrace(uint64_t rbp, uint64_t rsp)
{
	uint64_t pcs[BT_MAX];
	uint64_t hi = (rsp | (RT_STACK_SIZE - 1)) + 1;
	uint32_t n = bt_collect(rbp, rsp, hi, pcs, BT_MAX);

	con_printf_nolock("backtrace:");
	for (uint32_t i = 0; i < n; i++) {
		con_printf_nolock(" %llx", (unsigned long long)pcs[i]);
	}
	con_printf_nolock("%s\n", n == 0 ? " (none)" : "");
}

void panic_enter(void)
{
	__asm__ volatile("cli");
	/* A panic inside a panic must not recurse through the console. */
	if (__atomic_fetch_add(&panic_depth, 1, __ATOMIC_SEQ_CST) > 1) {
		panic_halt(PANIC_REASON_GENERAL);
	}
}

__noreturn void panic_finish(uint32_t reason)
{
	panic_halt(reason);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	uint64_t rsp = 0;

	panic_enter();
	va_start(ap, fmt);
	con_printf_nolock("\nPANIC: ");
	{
		char msg[256];

		fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
		con_printf_nolock("%s\n", msg);
	}
	va_end(ap);
	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
	panic_backtrace((uint64_t)(uintptr_t)__builtin_frame_address(0), rsp);
	panic_finish(PANIC_REASON_GENERAL);
}
