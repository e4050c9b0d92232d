/* SPDX-License-Identifier: MIT */
/*
 * Thin wrappers for x86-64 instructions and control registers. No policy.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define X86_CR0_PE (UINT64_C(1) << 0)
#define X86_CR0_MP (UINT64_C(1) << 1)
#define X86_CR0_EM (UINT64_C(1) << 2)
#define X86_CR0_TS (UINT64_C(1) << 3)
#define X86_CR0_NE (UINT64_C(1) << 5)
#define X86_CR0_WP (UINT64_C(1) << 16)
#define X86_CR0_PG (UINT64_C(1) << 31)
#define X86_CR4_PAE (UINT64_C(1) << 5)
#define X86_CR4_OSFXSR (UINT64_C(1) << 9)
#define X86_CR4_OSXMMEXCPT (UINT64_C(1) << 10)
#define X86_CR4_OSXSAVE (UINT64_C(1) << 18)

#define MSR_EFER 0xc0000080u
#define MSR_FS_BASE 0xc0000100u
#define MSR_GS_BASE 0xc0000101u
#define MSR_VM_CR 0xc0010114u
#define MSR_VM_HSAVE_PA 0xc0010117u
#define EFER_SCE (UINT64_C(1) << 0)
#define EFER_LME (UINT64_C(1) << 8)
#define EFER_LMA (UINT64_C(1) << 10)
#define EFER_NXE (UINT64_C(1) << 11)
#define EFER_SVME (UINT64_C(1) << 12)

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid_count(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline struct cpuid_regs cpuid(uint32_t leaf)
{
	return cpuid_count(leaf, 0);
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo = 0, hi = 0;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)val),
			   "d"((uint32_t)(val >> 32))
			 : "memory");
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v = 0;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#define DEFINE_CR(n)                                                       \
	static inline uint64_t read_cr##n(void)                            \
	{                                                                  \
		uint64_t v = 0;                                            \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));          \
		return v;                                                  \
	}                                                                  \
	static inline void write_cr##n(uint64_t v)                         \
	{                                                                  \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); \
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause");
}

static inline void irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline void irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

__attribute__((noreturn)) static inline void cpu_halt_forever(void)
{
	for (;;) {
		__asm__ volatile("cli; hlt");
	}
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo = 0, hi = 0;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t read_rsp(void)
{
	uint64_t v = 0;

	__asm__ volatile("mov %%rsp, %0" : "=r"(v));
	return v;
}
