// SPDX-License-Identifier: MIT
/*
 * Timer-to-handler latency figures, taken the same way on both sides of the
 * interrupt-latency benchmark (bench/snpemu_irq.py, docs/snpemu.md §4): the
 * interrupt payload through snpemu (irq_tests.c) and snpemu's own image on
 * plain TCG (tests/emu/image/bench_host_timer.c). Prints, never judges.
 */
#pragma once

#include <stdint.h>

struct latency {
	uint64_t sum, lo, hi, n; /* TSC ticks */
};

static inline void latency_start(struct latency *s)
{
	*s = (struct latency){.lo = UINT64_MAX};
}

static inline void latency_add(struct latency *s, uint64_t ticks)
{
	s->sum += ticks;
	s->n++;
	s->lo = ticks < s->lo ? ticks : s->lo;
	s->hi = ticks > s->hi ? ticks : s->hi;
}

/* The figures in microseconds, for @tsc_ms TSC ticks per millisecond. */
#define LATENCY_FMT "avg %llu us, min %llu us, max %llu us over %llu"
#define LATENCY_ARGS(s, tsc_ms)                                    \
	(unsigned long long)((s)->sum * 1000 / (s)->n / (tsc_ms)), \
		(unsigned long long)((s)->lo * 1000 / (tsc_ms)),   \
		(unsigned long long)((s)->hi * 1000 / (tsc_ms)),   \
		(unsigned long long)(s)->n
