/* SPDX-License-Identifier: MIT */
/*
 * snpemu's time source: the TSC, measured once against QEMU's PIT. Every
 * emulated timer (local APIC, PIT) is a TSC deadline, and the guest reads
 * the same TSC (RDTSC is not intercepted, TSC offset 0).
 */
#pragma once

#include <stdint.h>

/* The 8254's input clock (Hz). */
#define CLOCK_PIT_HZ 1193182u

/** Fixed-point factor: y = (x * mul) >> shift, without a 128-bit divide. */
struct clock_scale {
	uint64_t mul;
	unsigned shift;
};

static inline uint64_t clock_apply(struct clock_scale s, uint64_t x)
{
	return (uint64_t)(((unsigned __int128)x * s.mul) >> s.shift);
}

/** Measure the TSC rate with PIT channel 2 (port 0x61 gate), ~20 ms. */
void clock_init(void);
uint64_t clock_tsc_hz(void);
uint64_t clock_ns_to_tsc(uint64_t ns);
uint64_t clock_tsc_to_ns(uint64_t tsc);
uint64_t clock_pit_to_tsc(uint64_t ticks);
uint64_t clock_tsc_to_pit(uint64_t tsc);
