// SPDX-License-Identifier: MIT
/*
 * Milestones and exit statistics (stats.h). What a user reads on the
 * console, e.g.
 *   snpemu: [4.05 s] launch finished: 12 exits in 0.00 s
 * and, after each milestone line, the exit kinds that cost the most.
 */
#include "stats.h"

#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/fmt.h"

#include "clock.h"
#include "machine.h"

#define TOP 10 /* kinds printed per table */

/* Milliseconds as "s.cc s" (hundredths). */
static void fmt_time(char out[24], uint64_t tsc)
{
	uint64_t cs = clock_tsc_to_ns(tsc) / 10000000u;

	(void)fmt_snprintf(out, 24, "%llu.%02llu s",
			   (unsigned long long)(cs / 100),
			   (unsigned long long)(cs % 100));
}

static const char *exit_name(uint64_t code)
{
	switch (code) {
	case VMEXIT_UD:
		return "#UD (PVALIDATE/RMPADJUST/RMPQUERY)";
	case VMEXIT_CPUID:
		return "CPUID";
	case VMEXIT_IOIO:
		return "IOIO";
	case VMEXIT_MSR:
		return "MSR";
	case VMEXIT_VMMCALL:
		return "VMGEXIT";
	case VMEXIT_NPF:
		return "#NPF";
	case VMEXIT_INTR:
		return "INTR (snpemu timer)";
	case VMEXIT_VINTR:
		return "VINTR (interrupt window)";
	case VMEXIT_HLT:
		return "HLT";
	case VMEXIT_CR0_WRITE:
		return "CR0 write";
	default:
		return NULL;
	}
}

/* The kind of event @code stands for, in words. */
static void label(char out[48], uint64_t code, bool nae)
{
	const char *name = nae ? NULL : exit_name(code);

	if (name) {
		(void)fmt_snprintf(out, 48, "exit %s", name);
	} else if (code & STATS_MSR_PROTOCOL) {
		(void)fmt_snprintf(
			out, 48, "GHCB MSR protocol %llu",
			(unsigned long long)(code & ~STATS_MSR_PROTOCOL));
	} else if (nae && (code & 0xffffffffu) == VMEXIT_IOIO) {
		(void)fmt_snprintf(out, 48, "GHCB IOIO ports 0x%llx-0x%llx",
				   (unsigned long long)(code >> 32),
				   (unsigned long long)(code >> 32) + 7);
	} else {
		(void)fmt_snprintf(out, 48, "%s 0x%llx", nae ? "GHCB" : "exit",
				   (unsigned long long)code);
	}
}

/* Events of row @i since @before. */
static uint64_t delta(const struct stats_table *now,
		      const struct stats_table *before, unsigned i,
		      unsigned vmpl)
{
	return now->count[i][vmpl] -
	       (i < before->used ? before->count[i][vmpl] : 0);
}

/* The TOP most frequent kinds since @before, one line each. */
static void print_table(const struct stats_table *now,
			const struct stats_table *before, bool nae)
{
	bool done[STATS_CODES] = {false};

	for (unsigned k = 0; k < TOP; k++) {
		uint64_t best = 0, tsc = 0;
		unsigned bi = STATS_CODES;
		char t[24], what[48];

		for (unsigned i = 0; i < now->used; i++) {
			uint64_t sum = 0;

			for (unsigned v = 0; v < SNP_VMPL_COUNT; v++) {
				sum += delta(now, before, i, v);
			}
			if (!done[i] && sum > best) {
				best = sum;
				bi = i;
			}
		}
		if (bi == STATS_CODES) {
			break;
		}
		done[bi] = true;
		tsc = now->tsc[bi] - (bi < before->used ? before->tsc[bi] : 0);
		fmt_time(t, tsc);
		label(what, now->code[bi], nae);
		con_printf(
			"snpemu:   %s: %llu (VMPL0 %llu, VMPL2 %llu), "
			"handled in %s\n",
			what, (unsigned long long)best,
			(unsigned long long)delta(now, before, bi, 0),
			(unsigned long long)delta(now, before, bi, 2), t);
	}
	for (unsigned v = 0; v < SNP_VMPL_COUNT; v++) {
		if (now->other[v] != before->other[v]) {
			con_printf(
				"snpemu:   (more kinds than the table "
				"holds: %llu events at VMPL%u not listed)\n",
				(unsigned long long)(now->other[v] -
						     before->other[v]),
				v);
		}
	}
}

void stats_milestone(struct machine *m, const char *what)
{
	struct emu_stats *s = &m->stats;
	uint64_t now = rdtsc();
	char at[24], span[24];

	fmt_time(at, now - m->tsc_boot);
	fmt_time(span, now - (s->mark_tsc ? s->mark_tsc : m->tsc_boot));
	con_printf("snpemu: [%s] %s: %llu exits, %llu VMPL switches in %s\n",
		   at, what, (unsigned long long)(m->exits - s->mark_exits),
		   (unsigned long long)(m->vmpl_switches - s->mark_switches),
		   span);
	print_table(&s->exits, &s->mark_exit_tab, false);
	print_table(&s->nae, &s->mark_nae_tab, true);
	fmt_time(span, s->timer_tsc - s->mark_timer_tsc);
	con_printf("snpemu:   snpemu's timer reprogrammed %llu times, in %s\n",
		   (unsigned long long)(s->timer_writes - s->mark_timer_writes),
		   span);
	s->mark_timer_writes = s->timer_writes;
	s->mark_timer_tsc = s->timer_tsc;
	s->mark_tsc = now;
	s->mark_exits = m->exits;
	s->mark_switches = m->vmpl_switches;
	s->mark_exit_tab = s->exits;
	s->mark_nae_tab = s->nae;
}

void stats_ring_print(const struct machine *m)
{
	for (unsigned i = 0; i < m->nr_vcpus; i++) {
		const struct stats_ring *r = &m->vcpu[i].ring;
		uint64_t first = r->n > STATS_RING ? r->n - STATS_RING : 0;

		for (uint64_t k = first; k < r->n; k++) {
			const struct stats_exit *e = &r->e[k % STATS_RING];

			con_printf(
				"snpemu: vCPU %u exit %llu: +%llu us VMPL%u "
				"code 0x%llx info1 0x%llx info2 0x%llx "
				"RIP 0x%llx intinfo 0x%llx inj 0x%x\n",
				i, (unsigned long long)k,
				(unsigned long long)clock_tsc_to_ns(
					e->tsc - m->tsc_start) /
					1000,
				e->vmpl, (unsigned long long)e->code,
				(unsigned long long)e->info1,
				(unsigned long long)e->info2,
				(unsigned long long)e->rip,
				(unsigned long long)e->intinfo, e->inj);
		}
	}
}
