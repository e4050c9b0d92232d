// SPDX-License-Identifier: MIT
/*
 * GDT, TSS and IDT setup (AMD APM vol. 2 §4.8.3, §12.2.5, §8.9.1).
 */
#include "arch/desc.h"

#include "lib/string.h"

extern const uint64_t arch_isr_table[X86_EXC_COUNT];

static struct idt_gate idt[X86_EXC_COUNT] __attribute__((aligned(16)));
static bool idt_built;

/* Long-mode code (L=1, P, S, type=exec/read), flat data, 32-bit code. */
#define GDT_CODE64 UINT64_C(0x00af9b000000ffff)
#define GDT_DATA UINT64_C(0x00cf93000000ffff)
#define GDT_CODE32 UINT64_C(0x00cf9b000000ffff)

static void gdt_set_tss(uint64_t *slot, const struct tss64 *tss)
{
	uint64_t base = (uint64_t)(uintptr_t)tss;
	uint64_t limit = sizeof(*tss) - 1;

	/* 16-byte system descriptor, type 9 = available 64-bit TSS, P=1. */
	slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		  (UINT64_C(0x89) << 40) | (((limit >> 16) & 0xf) << 48) |
		  (((base >> 24) & 0xff) << 56);
	slot[1] = base >> 32;
}

void arch_desc_init_cpu(struct cpu_desc *d, const uint64_t *ist_stacks)
{
	struct desc_ptr gdtr;

	memset(d, 0, sizeof(*d));
	d->gdt[GDT_SEL_CODE64 / 8] = GDT_CODE64;
	d->gdt[GDT_SEL_DATA / 8] = GDT_DATA;
	d->gdt[GDT_SEL_CODE32 / 8] = GDT_CODE32;
	gdt_set_tss(&d->gdt[GDT_SEL_TSS / 8], &d->tss);
	for (int i = 0; i < IST_COUNT; i++) {
		d->tss.ist[i] = ist_stacks != NULL ? ist_stacks[i] : 0;
	}
	/* No I/O permission bitmap: the base points past the limit. */
	d->tss.iomap_base = sizeof(d->tss);

	gdtr.limit = sizeof(d->gdt) - 1;
	gdtr.base = (uint64_t)(uintptr_t)d->gdt;
	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"xorl %%eax, %%eax\n\t"
		"movl %%eax, %%fs\n\t"
		"movl %%eax, %%gs\n\t"
		"ltr %w3"
		:
		: "m"(gdtr), "i"(GDT_SEL_CODE64), "i"(GDT_SEL_DATA),
		  "r"((uint16_t)GDT_SEL_TSS)
		: "rax", "memory");
}

static uint8_t idt_ist_for(unsigned vec)
{
	switch (vec) {
	case X86_VEC_DF:
		return IST_DF;
	case X86_VEC_NMI:
		return IST_NMI;
	case X86_VEC_MC:
		return IST_MC;
	case X86_VEC_VC:
		/* #VC can hit anywhere, including early in another handler. */
		return IST_VC;
	default:
		return 0;
	}
}

void arch_idt_load(void)
{
	struct desc_ptr idtr;

	if (!idt_built) {
		for (unsigned v = 0; v < X86_EXC_COUNT; v++) {
			uint64_t h = arch_isr_table[v];

			idt[v] = (struct idt_gate){
				.offset_lo = (uint16_t)h,
				.selector = GDT_SEL_CODE64,
				.ist = idt_ist_for(v),
				.type_attr = 0x8e, /* P, DPL0, interrupt gate */
				.offset_mid = (uint16_t)(h >> 16),
				.offset_hi = (uint32_t)(h >> 32),
				.reserved = 0,
			};
		}
		idt_built = true;
	}
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (uint64_t)(uintptr_t)idt;
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
}
