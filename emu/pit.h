/* SPDX-License-Identifier: MIT */
/*
 * The 8254 PIT (ports 0x40-0x43) and the PC/AT system control port 0x61
 * (channel-2 gate and output), emulated on the TSC. Why emulated and not
 * passed through to QEMU's PIT: its count must agree with the TSC the
 * guest calibrates against (the PIT is how Linux measures the TSC on AMD:
 * quick_pit_calibrate/pit_calibrate_tsc), and IRQ0 must be an edge snpemu
 * can time exactly (QEMU's PIT would interrupt snpemu, not the guest).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "pic.h"

struct pit_chan {
	uint16_t reload;  /* count written; 0 = 65536 */
	uint8_t mode, rw; /* mode 0-5; rw 1 LSB, 2 MSB, 3 LSB then MSB */
	bool armed;       /* a count was written since the control word */
	bool write_msb, read_msb;
	bool latched, status_latched;
	uint16_t latch;
	uint8_t status;
	uint64_t start;    /* TSC when counting began */
	uint64_t next_irq; /* channel 0: TSC of the next IRQ0 edge */
};

struct pit {
	struct pit_chan ch[3];
	bool gate2, speaker;
	uint8_t p61_rsvd; /* bits 2-3 of port 0x61 as written */
	uint64_t irq0_count;
};

void pit_reset(struct pit *p);
bool pit_port(uint16_t port);
uint8_t pit_in(struct pit *p, uint16_t port, uint64_t now);
void pit_out(struct pit *p, uint16_t port, uint8_t v, uint64_t now);
/** Raise the IRQ0 edges that are due. */
void pit_poll(struct pit *p, struct pic *pic, uint64_t now);
/** TSC of the next IRQ0 edge, or UINT64_MAX. */
uint64_t pit_next_event(const struct pit *p);
