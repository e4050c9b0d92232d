/* SPDX-License-Identifier: MIT */
/*
 * The snpemu interrupt payload: VMPL0 (irq_main.c) grants its whole image
 * to VMPL2 and VMPL3 and serves requests; VMPL2 runs the interrupt, timer,
 * device and CPL3 tests in C (irq_tests.c); VMPL3 is a 32-bit program
 * (irq_entry.S).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tap.h"

#define CBIT (UINT64_C(1) << 47)
#define SHARED_ALIAS UINT64_C(0x40000000)
#define USER_ALIAS UINT64_C(0x80000000)

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, err, rip, cs, rflags, rsp, ss;
};

/* Requests VMPL2 leaves for VMPL0 before RUN_VMPL(0). */
enum v0_req {
	V0_REQ_NONE,
	V0_REQ_SPIN,  /* spin arg TSC ticks with IF=1 */
	V0_REQ_S11,   /* write VMPL2's VMSA fields (S11) */
	V0_REQ_SHARE, /* make the page at arg shared (irq_pci.c's DMA) */
};

struct v0_request {
	volatile uint64_t kind, arg;
};

struct ghcb;
struct gh {
	struct ghcb *g; /* shared alias */
	uint64_t gpa;
};

extern struct gh *gh;
extern struct gh gh0, gh2;
extern struct v0_request v0_req;
extern uint8_t vmsa2_page[4096], idt2[4096];
extern uint8_t irq_tss[104];
extern uint64_t irq_gdt[];
extern uint64_t irq_pml4[];
extern uint8_t __payload_start[], __payload_end[];
extern uint8_t v2_kstack_top[], v2_stack_top[], user_stack_top[];

/* irq_entry.S */
extern uint8_t trap_13[], trap_14[], trap_29[], trap_0x20[], trap_0x23[],
	trap_0x24[], trap_0x40[], trap_0x41[], trap_0x45[], trap_0x51[],
	trap_0x60[], trap_0x61[], trap_0x70[], trap_0xef[], user_back[];
/* Vectors 0x25-0x2F: IRQ 5-15 through the 8259 (ICW2 0x20/0x28), for a
 * PCI INTx line wherever the firmware routed it. */
extern uint8_t *const pci_traps[11];
extern uint8_t user_probe[], user_probe_cpuid[], user_probe_pf[],
	user_probe_gp[], user_probe_end[];
extern uint8_t v3_entry[], v3_cpuid[], v3_vc[], v3_idt[], v3_stack_top[];
extern uint32_t v3_results[4];
extern uint8_t sti_nop_after[];
uint64_t user_run(uint64_t rip, uint64_t rsp);
void v2_sti_hlt(void);
uint64_t sti_nop_window(void);

/* irq_tests.c, for irq_pci.c */
extern uint64_t tsc_ms;
extern volatile uint64_t cnt[256], when[256]; /* count, TSC of the last */
bool wait_for(volatile uint64_t *c, uint64_t n, uint64_t timeout_ms);
void call_vmpl0(enum v0_req kind, uint64_t arg);
/** The APIC timer (vector 0xEF) fires in @ms: a HLT always wakes. */
void guard_timer(uint64_t ms);

/* irq_pci.c: QEMU's PCI devices behind snpemu (payload arg mode 5; bit 4:
 * pci-testdev is on snpemu's allow-list too; bit 5: the outer machine has
 * an IOMMU (edu may bus-master, its DMA is tested instead of pci-testdev);
 * bits 31:16: pci-testdev's I/O BAR, when it is not on the list). */
#define IRQ_MODE_PCI 5
#define PCI_TEST_COUNT 6
void pci_tests(uint64_t mode);
void pci_trap(unsigned vec);

void irq_vmpl0_main(uint64_t arg, uint64_t secrets_gpa);
void irq_vmpl2_main(void);
void irq_trap(struct trap_frame *f);

/* irq_main.c: GHCB calls through *gh */
void vmgexit(void);
uint64_t ghcb_call(uint64_t code, uint64_t info1, uint64_t info2);
void ghcb_prepare(uint64_t code, uint64_t info1, uint64_t info2);
void ghcb_set_valid(size_t off);
uint64_t msr_proto(uint64_t req);
__attribute__((noreturn)) void terminate(uint32_t set, uint32_t code);
uint32_t io_in(uint16_t port, unsigned size);
void io_out(uint16_t port, unsigned size, uint32_t v);
bool msr_rd(uint32_t msr, uint64_t *v);
bool msr_wr(uint32_t msr, uint64_t v);
uint64_t mmio_rd(uint64_t gpa, unsigned len);
void mmio_wr(uint64_t gpa, unsigned len, uint64_t v);
void set_gate(uint8_t *idt, unsigned vec, const void *handler, unsigned dpl);

static inline uint64_t rdtsc(void)
{
	uint32_t lo = 0, hi = 0;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo = 0, hi = 0;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return ((uint64_t)hi << 32) | lo;
}

#define EXPECT_EQ(a, b)                                                        \
	do {                                                                   \
		uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b);               \
		if (_a != _b) {                                                \
			out("# %s:%d: %s == %s: 0x%llx != 0x%llx\n", __FILE__, \
			    __LINE__, #a, #b, (unsigned long long)_a,          \
			    (unsigned long long)_b);                           \
			ok = false;                                            \
		}                                                              \
	} while (0)
