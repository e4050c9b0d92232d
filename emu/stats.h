/* SPDX-License-Identifier: MIT */
/*
 * Where a run's exits go: #VMEXITs counted by exit code and GHCB requests
 * by NAE exit code, each per VMPL, and the time of the boot's milestones
 * (docs/linux-boot.md §9). Counting is a few adds per exit; printing
 * happens at a milestone or when the VM stops.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "svsm/abi/snp.h"

#define STATS_CODES 256 /* distinct codes kept per table (ACPI adds many) */

struct stats_table {
	uint64_t code[STATS_CODES];
	uint64_t count[STATS_CODES][SNP_VMPL_COUNT];
	uint64_t tsc[STATS_CODES];      /* snpemu's handling time, all VMPLs */
	uint64_t other[SNP_VMPL_COUNT]; /* codes beyond STATS_CODES */
	unsigned used;
};

/* A GHCB MSR-protocol request in the NAE table: its request code. */
#define STATS_MSR_PROTOCOL (UINT64_C(1) << 63)

struct emu_stats {
	struct stats_table exits; /* #VMEXIT codes */
	struct stats_table nae;   /* GHCB NAE exit codes (and MSR protocol) */
	/* Set by ghcb.c for the VMGEXIT being handled, counted by machine.c
	 * with the exit's time: the GHCB code stays free of clocks. */
	uint64_t vmgexit_code;
	bool vmgexit;
	/* snpemu's own LAPIC timer (irq.c): how often it was reprogrammed
	 * and what the writes cost. */
	uint64_t timer_writes, timer_tsc;
	/* The previous milestone (stats.c). */
	uint64_t mark_timer_writes, mark_timer_tsc;
	uint64_t mark_tsc, mark_exits, mark_switches;
	struct stats_table mark_exit_tab, mark_nae_tab;
	bool guest_started;
};

/* Count one event of @code at @vmpl that snpemu handled in @tsc cycles. */
static inline void stats_count(struct stats_table *t, uint64_t code,
			       unsigned vmpl, uint64_t tsc)
{
	unsigned i = 0;

	while (i < t->used && t->code[i] != code) {
		i++;
	}
	if (i == t->used) {
		if (i == STATS_CODES) {
			t->other[vmpl]++;
			return;
		}
		t->code[i] = code;
		t->used++;
	}
	t->count[i][vmpl]++;
	t->tsc[i] += tsc;
}

/* ghcb.c: the request this VMGEXIT carries. */
static inline void stats_vmgexit(struct emu_stats *s, uint64_t code)
{
	s->vmgexit_code = code;
	s->vmgexit = true;
}

/*
 * The last exits of one vCPU, printed when the VM stops: what led to a
 * triple fault or a stop on one vCPU while others ran (a few stores per
 * exit).
 */
#define STATS_RING 16

struct stats_exit {
	uint64_t tsc; /* at the #VMEXIT */
	uint64_t code, info1, info2, rip;
	uint64_t intinfo; /* EXITINTINFO: an event cut short */
	uint32_t inj;     /* EVENTINJ of the VMRUN that ended here */
	uint8_t vmpl;
};

struct stats_ring {
	struct stats_exit e[STATS_RING];
	uint64_t n; /* exits recorded in all */
};

static inline void stats_ring_add(struct stats_ring *r,
				  const struct stats_exit *e)
{
	r->e[r->n % STATS_RING] = *e;
	r->n++;
}

struct machine;

/** Every vCPU's last exits, oldest first (when the VM stops). */
void stats_ring_print(const struct machine *m);

/**
 * A milestone of the boot: prints the time since snpemu started and the
 * exits since the previous milestone by kind (the most frequent first),
 * with snpemu's share of the time.
 */
void stats_milestone(struct machine *m, const char *what);
