/* SPDX-License-Identifier: MIT */
/*
 * The local APIC snpemu gives each VMPL of each vCPU (one per plane, as in
 * KVM's multi-VMPL "planes"), reached through the GHCB: x2APIC MSRs
 * 0x800-0x8FF and IA32_TSC_DEADLINE (MSR event), the xAPIC page at
 * 0xFEE00000 (MMIO event), IA32_APIC_BASE. Model: Intel SDM vol. 3A
 * ch. 11 (10 in older editions) and AMD APM vol. 2 ch. 16, with KVM's
 * choices where the manuals leave room (arch/x86/kvm/lapic.c): version
 * 0x14, six LVT entries, an APIC bus of 1 GHz.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define APIC_MMIO_BASE UINT64_C(0xfee00000)
#define MSR_APIC_BASE 0x1bu
#define MSR_TSC_DEADLINE 0x6e0u
#define MSR_X2APIC_FIRST 0x800u
#define MSR_X2APIC_LAST 0x8ffu

#define APIC_BASE_BSP (UINT64_C(1) << 8)
#define APIC_BASE_EXTD (UINT64_C(1) << 10)
#define APIC_BASE_EN (UINT64_C(1) << 11)

enum apic_lvt {
	APIC_LVT_TIMER,
	APIC_LVT_THERMAL,
	APIC_LVT_PERF,
	APIC_LVT_LINT0,
	APIC_LVT_LINT1,
	APIC_LVT_ERROR,
	APIC_LVT_COUNT,
};

struct apic {
	uint64_t base_msr; /* IA32_APIC_BASE */
	uint32_t id;
	unsigned vmpl; /* the VMPL whose APIC this is: IPIs stay there */
	uint32_t tpr, svr, ldr, dfr;
	uint32_t esr, esr_pending;
	uint32_t icr_hi; /* xAPIC ICR[63:32] */
	uint32_t lvt[APIC_LVT_COUNT];
	uint32_t irr[8], isr[8], tmr[8];
	uint32_t tmict, tdcr;
	uint64_t timer_deadline; /* TSC; 0 = not armed */
	uint64_t timer_period;   /* TSC ticks (periodic mode) */
	uint64_t tsc_deadline;   /* IA32_TSC_DEADLINE as the guest wrote it */
	uint64_t timer_fired;    /* statistics */
};

void apic_reset(struct apic *a, uint32_t id, unsigned vmpl);
/** IA32_APIC_BASE, x2APIC MSRs and IA32_TSC_DEADLINE: false = #GP. */
bool apic_msr_read(struct apic *a, uint32_t msr, uint64_t *v, uint64_t now);
bool apic_msr_write(struct apic *a, uint32_t msr, uint64_t v, uint64_t now);
/** True if @msr is one of the MSRs above. */
bool apic_msr_is_apic(uint32_t msr);
/** True if @gpa is in the xAPIC page while xAPIC MMIO decodes. */
bool apic_mmio_claims(const struct apic *a, uint64_t gpa);
void apic_mmio_read(struct apic *a, uint64_t gpa, uint32_t len, uint64_t *v,
		    uint64_t now);
void apic_mmio_write(struct apic *a, uint64_t gpa, uint32_t len, uint64_t v,
		     uint64_t now);
/** Fire the timer if its deadline has passed. */
void apic_poll(struct apic *a, uint64_t now);
/** The TSC at which the timer fires next, or UINT64_MAX. */
uint64_t apic_next_deadline(const struct apic *a);
/** The highest vector in IRR above the processor priority, or -1. */
int apic_pending(const struct apic *a);
/** Delivery of @vector to the CPU: IRR -> ISR (INTA). */
void apic_ack(struct apic *a, unsigned vector);
/** True if LINT0 passes the 8259's INTR (ExtINT, virtual wire). */
bool apic_accepts_extint(const struct apic *a);
/** CR8 is TPR[7:4] (APM vol. 2 §16.6.4). */
void apic_set_cr8(struct apic *a, uint8_t cr8);
/** A message-signalled interrupt (edge, fixed) arrives: @vector. */
void apic_msi(struct apic *a, unsigned vector);
