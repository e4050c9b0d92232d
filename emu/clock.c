// SPDX-License-Identifier: MIT
/*
 * TSC calibration against QEMU's PIT: channel 2 in mode 0, gated by port
 * 0x61 bit 0 (as Linux's pit_calibrate_tsc, arch/x86/kernel/tsc.c), its
 * count latched twice 40 ms apart, each reading paired with the TSC (see
 * read_ch2). snpemu owns the real PIT: guests see an emulated one
 * (pit.c).
 */
#include "clock.h"

#include "arch/cpu.h"

#include "lib/console.h"

#define NS_PER_S UINT64_C(1000000000)
#define CAL_TICKS 47727u /* 40 ms between the two readings */

static uint64_t tsc_hz;
static struct clock_scale ns_to_tsc, tsc_to_ns, pit_to_tsc, tsc_to_pit;

static struct clock_scale scale(uint64_t num, uint64_t den, unsigned shift)
{
	return (struct clock_scale){
		.mul = (num << shift) / den, /* num < 2^(64-shift) */
		.shift = shift};
}

/*
 * Channel 2's count with the TSC at the moment it was latched: the best
 * of several tries, each bracketed by two TSC reads, so that QEMU being
 * descheduled (a loaded host) does not skew the measurement.
 */
static uint16_t read_ch2(uint64_t *tsc)
{
	uint64_t best = UINT64_MAX;
	uint16_t count = 0;

	for (int i = 0; i < 8; i++) {
		uint64_t a = rdtsc(), b = 0;
		uint16_t c = 0;

		outb(0x43, 0x80); /* latch channel 2 */
		c = inb(0x42);
		c |= (uint16_t)(inb(0x42) << 8);
		b = rdtsc();
		if (b - a < best) {
			best = b - a;
			count = c;
			*tsc = a + (b - a) / 2;
		}
	}
	return count;
}

void clock_init(void)
{
	uint8_t p61 = inb(0x61);
	uint64_t t0 = 0, t1 = 0;
	uint16_t c0 = 0, c1 = 0;

	outb(0x61, (uint8_t)((p61 & ~0x02u) | 0x01u)); /* gate on, no beep */
	outb(0x43, 0xb0); /* ch2, lo/hi, mode 0: counts down from 0xffff */
	outb(0x42, 0xff);
	outb(0x42, 0xff);
	c0 = read_ch2(&t0);
	do {
		c1 = read_ch2(&t1);
	} while (c1 <= c0 && (unsigned)(c0 - c1) < CAL_TICKS);
	outb(0x61, p61);
	tsc_hz = c1 < c0 ? (t1 - t0) * CLOCK_PIT_HZ / (c0 - c1) : 0;
	if (tsc_hz < 1000000 || tsc_hz > (UINT64_C(1) << 34)) {
		tsc_hz = 1000000000; /* a broken PIT: assume 1 GHz */
	}
	/* Shifts chosen so that num << shift fits 64 bits (TSC < 16 GHz). */
	ns_to_tsc = scale(tsc_hz, NS_PER_S, 28);
	tsc_to_ns = scale(NS_PER_S, tsc_hz, 32);
	pit_to_tsc = scale(tsc_hz, CLOCK_PIT_HZ, 24);
	tsc_to_pit = scale(CLOCK_PIT_HZ, tsc_hz, 40);
	con_printf("snpemu: TSC %llu kHz (measured against the PIT)\n",
		   (unsigned long long)(tsc_hz / 1000));
}

uint64_t clock_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t clock_ns_to_tsc(uint64_t ns)
{
	return clock_apply(ns_to_tsc, ns);
}

uint64_t clock_tsc_to_ns(uint64_t tsc)
{
	return clock_apply(tsc_to_ns, tsc);
}

uint64_t clock_pit_to_tsc(uint64_t ticks)
{
	return clock_apply(pit_to_tsc, ticks);
}

uint64_t clock_tsc_to_pit(uint64_t tsc)
{
	return clock_apply(tsc_to_pit, tsc);
}
