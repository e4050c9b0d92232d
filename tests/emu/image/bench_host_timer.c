// SPDX-License-Identifier: MIT
/*
 * The plain-TCG side of the interrupt-latency benchmark (bench/snpemu_irq.py,
 * docs/snpemu.md §4): snpemu's image itself runs on QEMU TCG without nested
 * virtualization, so the same measurement as the interrupt payload's
 * (a timer 1 ms ahead, TSC at the handler's entry minus the deadline, 200
 * times, with the CPU in HLT and spinning) taken here on QEMU's own local
 * APIC is the "without snpemu" figure. Hidden: it runs only when named
 * (test=bench/host_timer_latency). Prints, never judges.
 */
#include "arch/cpu.h"
#include "arch/desc.h"

#include "lib/console.h"
#include "lib/string.h"
#include "lib/test.h"

#include "../payloads/latency.h"
#include "clock.h"

#define BENCH_VEC 0xe0
#define APIC(off) (*(volatile uint32_t *)(uintptr_t)(0xfee00000u + (off)))

volatile uint64_t bench_timer_tsc;   /* TSC at the last handler entry */
volatile uint64_t bench_timer_count; /* handler entries */
void bench_timer_isr(void);

/* The TSC first, then count and EOI: the figure is entry latency. */
__asm__(".text\n"
	".globl bench_timer_isr\n"
	"bench_timer_isr:\n"
	"	pushq %rax\n"
	"	pushq %rdx\n"
	"	rdtsc\n"
	"	shlq $32, %rdx\n"
	"	orq %rdx, %rax\n"
	"	movq %rax, bench_timer_tsc(%rip)\n"
	"	incq bench_timer_count(%rip)\n"
	"	movl $0xfee000b0, %eax\n"
	"	movl $0, (%rax)\n"
	"	popq %rdx\n"
	"	popq %rax\n"
	"	iretq\n");

static struct idt_gate bench_idt[256] __attribute__((aligned(16)));

TEST_HIDDEN(bench, host_timer_latency)
{
	struct desc_ptr old = {0}, idtr = {0};
	uint64_t h = (uint64_t)(uintptr_t)bench_timer_isr, tsc_ms = 0;

	clock_init();
	tsc_ms = clock_ns_to_tsc(1000000);
	__asm__ volatile("sidt %0" : "=m"(old));
	memcpy(bench_idt, (const void *)(uintptr_t)old.base,
	       MIN((size_t)old.limit + 1, sizeof(bench_idt)));
	bench_idt[BENCH_VEC] = (struct idt_gate){
		.offset_lo = (uint16_t)h,
		.selector = GDT_SEL_CODE64,
		.type_attr = 0x8e,
		.offset_mid = (uint16_t)(h >> 16),
		.offset_hi = (uint32_t)(h >> 32),
	};
	idtr.base = (uint64_t)(uintptr_t)bench_idt;
	idtr.limit = sizeof(bench_idt) - 1;
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
	APIC(0xf0) = 0x100 | 0xff; /* SVR: enabled, spurious 0xff */
	APIC(0x3e0) = 0xb;         /* divide by 1: 1 ns per count */
	APIC(0x320) = BENCH_VEC;   /* one-shot */
	for (unsigned spin = 0; spin < 2; spin++) {
		struct latency s;

		latency_start(&s);
		for (uint64_t i = 0; i < 200; i++) {
			uint64_t c = bench_timer_count, d = 0;

			d = rdtsc() + tsc_ms;
			APIC(0x380) = 1000000; /* 1 ms at QEMU's 1 GHz bus */
			if (spin) {
				__asm__ volatile("sti");
				while (bench_timer_count == c) {
				}
				__asm__ volatile("cli");
			} else {
				while (bench_timer_count == c) {
					__asm__ volatile("sti; hlt; cli");
				}
			}
			latency_add(&s, bench_timer_tsc > d
						? bench_timer_tsc - d
						: 0);
		}
		con_printf(
			"# bench: timer -> handler latency (plain TCG, no "
			"snpemu, CPU %s): " LATENCY_FMT "\n",
			spin ? "spinning" : "in HLT", LATENCY_ARGS(&s, tsc_ms));
	}
	APIC(0x380) = 0;
	__asm__ volatile("lidt %0" : : "m"(old) : "memory");
	EXPECT(bench_timer_count >= 400);
}
