// SPDX-License-Identifier: MIT
/*
 * Exception dispatch: per-vector hooks first (the SVSM's #VC handler, tests
 * that expect a fault), then the exception table (guarded copies), then a
 * panic with a full register dump.
 */
#include <stdarg.h>

#include "arch/cpu.h"
#include "arch/desc.h"

#include "lib/console.h"
#include "lib/extable.h"
#include "lib/fmt.h"
#include "lib/panic.h"

extern const struct extable_entry __start_ex_table[];
extern const struct extable_entry __stop_ex_table[];

static arch_exc_hook exc_hooks[X86_EXC_COUNT];

static const char *const exc_names[X86_EXC_COUNT] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
	"#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

const char *arch_exception_name(uint64_t vector)
{
	return vector < X86_EXC_COUNT ? exc_names[vector] : "#??";
}

void arch_set_exception_hook(unsigned vector, arch_exc_hook hook)
{
	if (vector < X86_EXC_COUNT) {
		exc_hooks[vector] = hook;
	}
}

static void dump_regs(const struct cpu_regs *r)
{
	con_printf_nolock("RIP %016llx CS %04llx RFLAGS %016llx\n",
			  (unsigned long long)r->rip, (unsigned long long)r->cs,
			  (unsigned long long)r->rflags);
	con_printf_nolock("RSP %016llx SS %04llx ERR %016llx\n",
			  (unsigned long long)r->rsp, (unsigned long long)r->ss,
			  (unsigned long long)r->error_code);
	con_printf_nolock("RAX %016llx RBX %016llx RCX %016llx\n",
			  (unsigned long long)r->rax,
			  (unsigned long long)r->rbx,
			  (unsigned long long)r->rcx);
	con_printf_nolock("RDX %016llx RSI %016llx RDI %016llx\n",
			  (unsigned long long)r->rdx,
			  (unsigned long long)r->rsi,
			  (unsigned long long)r->rdi);
	con_printf_nolock("RBP %016llx R8  %016llx R9  %016llx\n",
			  (unsigned long long)r->rbp, (unsigned long long)r->r8,
			  (unsigned long long)r->r9);
	con_printf_nolock("R10 %016llx R11 %016llx R12 %016llx\n",
			  (unsigned long long)r->r10,
			  (unsigned long long)r->r11,
			  (unsigned long long)r->r12);
	con_printf_nolock("R13 %016llx R14 %016llx R15 %016llx\n",
			  (unsigned long long)r->r13,
			  (unsigned long long)r->r14,
			  (unsigned long long)r->r15);
	con_printf_nolock(
		"CR0 %016llx CR2 %016llx CR3 %016llx CR4 %016llx\n",
		(unsigned long long)read_cr0(), (unsigned long long)read_cr2(),
		(unsigned long long)read_cr3(), (unsigned long long)read_cr4());
}

void panic_regs(const struct cpu_regs *regs, const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	panic_enter();
	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	con_printf_nolock("\nPANIC: %s\n", msg);
	dump_regs(regs);
	panic_backtrace(regs->rbp, regs->rsp);
	panic_finish(PANIC_REASON_EXCEPTION);
}

void arch_exception_dispatch(struct cpu_regs *regs)
{
	uint64_t vec = regs->vector;
	uint64_t fixup = 0;

	if (vec < X86_EXC_COUNT && exc_hooks[vec] != NULL &&
	    exc_hooks[vec](regs)) {
		return;
	}
	/* Only access faults may be fixed up; anything else is a bug. */
	if (vec == X86_VEC_PF || vec == X86_VEC_GP) {
		fixup = extable_search(__start_ex_table, __stop_ex_table,
				       regs->rip);
		if (fixup != 0) {
			regs->rip = fixup;
			return;
		}
	}
	panic_regs(regs, "unhandled exception %s (vector %llu) at %llx",
		   arch_exception_name(vec), (unsigned long long)vec,
		   (unsigned long long)regs->rip);
}
