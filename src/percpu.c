// SPDX-License-Identifier: MIT
/*
 * Per-CPU blocks, IST stacks and the stack-protector canary (see percpu.h).
 */
#include "percpu.h"

#include "arch/cpu.h"
#include "arch/snp_insn.h"

#include "lib/panic.h"

#define NO_SSP __attribute__((no_stack_protector))

struct percpu svsm_bsp_percpu __aligned(64);

/* Every stack is RT_STACK_SIZE and aligned to it (lib/panic.h). The last
 * one is the nested-#VC stack (percpu.h, src/sev/vc.c). */
static uint8_t bsp_ist_stacks[IST_COUNT + 1][RT_STACK_SIZE] __aligned(
	RT_STACK_SIZE);

/* The canary gcc checks on return; called when it does not match. */
__noreturn void __stack_chk_fail(void);

NO_SSP void percpu_set_fs(struct percpu *pc)
{
	pc->self = pc;
	wrmsr(MSR_FS_BASE, (uint64_t)(uintptr_t)pc);
}

NO_SSP void percpu_desc_init(struct percpu *pc)
{
	uint64_t tops[IST_COUNT];

	for (int i = 0; i < IST_COUNT; i++) {
		tops[i] =
			(uint64_t)(uintptr_t)&bsp_ist_stacks[i][RT_STACK_SIZE];
	}
	/* The BSP's; APs get theirs in src/smp.c. */
	CHECK(pc == &svsm_bsp_percpu);
	pc->vc_ist_top = tops[IST_VC - 1];
	pc->vc_nested_top =
		(uint64_t)(uintptr_t)&bsp_ist_stacks[IST_COUNT][RT_STACK_SIZE];
	arch_desc_init_cpu(&pc->desc, tops);
	/* arch_desc_init_cpu loads a null FS selector: restore the base. */
	percpu_set_fs(pc);
	arch_idt_load();
}

NO_SSP void percpu_init_canary(struct percpu *pc)
{
	uint64_t v = 0;

	/*
	 * RDRAND can transiently run dry (CF = 0); Intel and AMD suggest a
	 * small retry count. A CPU that never delivers is broken or hostile:
	 * a predictable canary is not an option.
	 */
	for (int i = 0; i < 32; i++) {
		bool ok = x86_rdrand64(&v);

		/* Low byte zero: string overflows cannot forge it. */
		v &= ~UINT64_C(0xff);
		if (ok && v != 0) {
			pc->stack_canary = v;
			return;
		}
	}
	panic("RDRAND gave no entropy for the stack canary");
}

__noreturn void __stack_chk_fail(void)
{
	panic("stack protector: canary overwritten");
}
