/* SPDX-License-Identifier: MIT */
/*
 * Hold times of the SVSM's contended locks (core_lock, attest_lock,
 * vtpm_lock; docs/architecture.md §3) in TSC cycles, for the benchmark
 * bench/smp_load.py: nothing asserts them. Updated only by the lock's
 * holder, so the lock itself protects its statistics. Each time a lock's
 * hold count reaches a power of two from its first report on, the
 * platform prints its figures (plat_lock_stat_report): a log line per
 * doubling, so a long run prints a few lines and a boot almost none.
 *
 * A hold time is wall-clock TSC: on snpemu, where vCPUs take turns on one
 * L1 CPU, it includes the time the holder's vCPU was not running.
 */
#pragma once

#include <stdint.h>

#include "arch/cpu.h"

#include "lib/spinlock.h"

struct lock_stat {
	const char *name;
	uint64_t first; /* the first count reported (a power of two) */
	uint64_t count, total, max;
	uint64_t since; /* TSC when the holder took it */
};

#define LOCK_STAT_INIT(n, first)         \
	{                                \
		(n), (first), 0, 0, 0, 0 \
	}

/** Print @s's figures (the image: one console line; hosted: nothing). */
void plat_lock_stat_report(const struct lock_stat *s);

static inline void stat_lock(struct spinlock *l, struct lock_stat *s)
{
	spin_lock(l);
	s->since = rdtsc();
}

static inline void stat_unlock(struct spinlock *l, struct lock_stat *s)
{
	uint64_t d = rdtsc() - s->since;

	s->count++;
	s->total += d;
	if (d > s->max) {
		s->max = d;
	}
	/* Reported under the lock: the console's lock is innermost. */
	if (s->count >= s->first && (s->count & (s->count - 1)) == 0) {
		plat_lock_stat_report(s);
	}
	spin_unlock(l);
}
