/* SPDX-License-Identifier: MIT */
/*
 * A pair of 8259A PICs as the guest sees them at ports 0x20/0x21 and
 * 0xA0/0xA1 (plus the ELCR at 0x4D0/0x4D1), cascaded on IRQ2. Their INTR
 * reaches the vCPU through LINT0 in ExtINT mode: "virtual wire", the mode
 * Linux picks without ACPI or MP tables (apic_intr_mode_select() returns
 * APIC_VIRTUAL_WIRE_NO_CONFIG). snpemu owns the real 8259s.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* ISA lines snpemu drives edge-triggered: IRQ0 (the 8254, pit.c), IRQ3 and
 * IRQ4 (the forwarded UARTs, irq.c), IRQ2 (the cascade). Kept in step with
 * irq.c's FORWARD_IRQS by a static_assert there. The forwarded PCI INTx
 * lines (pci.c) are never among them: those may be level mode. */
#define PIC_RAISED_LINES ((1u << 0) | (1u << 2) | (1u << 3) | (1u << 4))

struct pic_chip {
	uint8_t irr, isr, imr, level; /* level: the input pins now */
	uint8_t base;                 /* ICW2 vector base */
	uint8_t init_step;            /* next ICW expected, 0 = none */
	bool icw4, single, auto_eoi, read_isr;
	uint8_t elcr;
};

struct pic {
	struct pic_chip chip[2]; /* master, slave */
};

void pic_reset(struct pic *p);
/** True if @port belongs to the PICs (or their ELCR). */
bool pic_port(uint16_t port);
uint8_t pic_in(struct pic *p, uint16_t port);
void pic_out(struct pic *p, uint16_t port, uint8_t v);
/** Drive ISA line @irq (0-15): a rising edge latches IRR. */
void pic_set_irq(struct pic *p, unsigned irq, bool level);
/** The master's INTR output. */
bool pic_has_int(const struct pic *p);
/** The INTA cycle: the vector to deliver (IRQ7/15 if spurious). */
uint8_t pic_ack(struct pic *p);
