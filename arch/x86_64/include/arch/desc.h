/* SPDX-License-Identifier: MIT */
/*
 * GDT, TSS and IDT (AMD APM vol. 2 §4.8, §12.2.5, §8.9).
 */
#pragma once

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch/regs.h"

#define GDT_SEL_CODE64 0x08
#define GDT_SEL_DATA 0x10
#define GDT_SEL_CODE32 0x18
#define GDT_SEL_TSS 0x20
#define GDT_ENTRIES 7 /* null, code64, data, code32, unused, TSS (2 slots) */

/* Interrupt stack table slots (1-based in the IDT gate). */
#define IST_DF 1
#define IST_NMI 2
#define IST_MC 3
#define IST_VC 4
#define IST_COUNT 4

struct __attribute__((packed)) tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
};
static_assert(sizeof(struct tss64) == 104, "APM vol. 2 Figure 12-8");

struct __attribute__((packed)) idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
};
static_assert(sizeof(struct idt_gate) == 16, "APM vol. 2 Figure 4-24");

struct __attribute__((packed)) desc_ptr {
	uint16_t limit;
	uint64_t base;
};

/* Per-CPU descriptor state: GDT with its TSS and the IST stacks. */
struct cpu_desc {
	uint64_t gdt[GDT_ENTRIES + 1];
	struct tss64 tss;
};

#define X86_VEC_DE 0
#define X86_VEC_DB 1
#define X86_VEC_NMI 2
#define X86_VEC_BP 3
#define X86_VEC_UD 6
#define X86_VEC_NM 7
#define X86_VEC_DF 8
#define X86_VEC_TS 10
#define X86_VEC_NP 11
#define X86_VEC_SS 12
#define X86_VEC_GP 13
#define X86_VEC_PF 14
#define X86_VEC_MF 16
#define X86_VEC_AC 17
#define X86_VEC_MC 18
#define X86_VEC_XM 19
#define X86_VEC_CP 21
#define X86_VEC_HV 28
#define X86_VEC_VC 29
#define X86_VEC_SX 30
#define X86_EXC_COUNT 32

/**
 * Load a fresh GDT and TSS on this CPU. @ist_stacks holds IST_COUNT stack
 * tops (or 0 for "no IST stack").
 */
void arch_desc_init_cpu(struct cpu_desc *d, const uint64_t *ist_stacks);

/** Build the shared IDT (once) and load it on this CPU. */
void arch_idt_load(void);

/**
 * An exception hook returns true if it handled the exception (and may have
 * changed the frame), false to fall through to the exception table and then
 * to panic.
 */
typedef bool (*arch_exc_hook)(struct cpu_regs *regs);
void arch_set_exception_hook(unsigned vector, arch_exc_hook hook);

/** Called from isr.S. */
void arch_exception_dispatch(struct cpu_regs *regs);

/** The guarded copy: true on success, false if an access faulted. */
bool arch_copy_guarded(void *dst, const void *src, uint64_t n);

/** The guarded zeroing: true on success, false if a store faulted. */
bool arch_zero_guarded(void *dst, uint64_t n);

/** Human-readable exception mnemonic ("#PF"). */
const char *arch_exception_name(uint64_t vector);
