/* SPDX-License-Identifier: MIT */
/*
 * Interrupts for the lower VMPLs: device time advances, injection at
 * VMRUN, HLT as an idle wait on a real time source. See irq.c.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct machine;
struct vcpu;

/* SVM EVENTINJ / EXITINTINFO (APM vol. 2 §15.20). */
#define EVENT_VALID (UINT64_C(1) << 31)
#define EVENT_EV (UINT64_C(1) << 11)
#define EVENT_TYPE(e) (((e) >> 8) & 7u)
#define EVENT_TYPE_INTR 0u
#define EVENT_TYPE_EXCEPTION 3u

/** Host side: snpemu's own LAPIC timer, IDT vectors, TSC rate. */
void irq_init(struct machine *m);
/** Before VMRUN: advance devices, inject or open an interrupt window. */
void irq_before_vmrun(struct machine *m);
/** After #VMEXIT: an event whose delivery was cut short is kept. */
void irq_after_vmrun(struct machine *m);
/** #VMEXIT(INTR): take snpemu's own pending interrupt. */
void irq_host_interrupt(void);
/** #VMEXIT(HLT): the vCPU halts until an interrupt is pending for it. */
void irq_hlt(struct machine *m);
/** Would @cpu, halted, take an interrupt now? */
bool irq_vcpu_wakes(struct machine *m, const struct vcpu *cpu);
/** Advance every vCPU's timers and the devices to now. */
void irq_poll(struct machine *m);
/** Nothing to run: sleep until the next device or timer deadline. */
void irq_idle(struct machine *m);
