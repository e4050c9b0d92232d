// SPDX-License-Identifier: MIT
/*
 * hostile.h. Everything here is something a real host can do to an SNP
 * guest: inject events (EVENTINJ), write any value into the shared GHCB
 * page or the GHCB MSR response, resume a VMGEXIT without handling it,
 * and RMPUPDATE a guest page to shared (the RMP then faults the guest's
 * next private access; it cannot give the host the page's contents).
 */
#include "hostile.h"

#include "lib/console.h"
#include "lib/string.h"

#include "svsm/abi/ghcb.h"
#include "svsm/abi/snp.h"

#include "inject.h"
#include "machine.h"

enum act {
	A_INJECT,
	A_MSR,
	A_GARBLE,
	A_REPLAY,
	A_SCRIBBLE,
	A_REMAP,
	A_DELAY,
	A_COUNT
};

static const char *const act_names[A_COUNT] = {
	"inject", "msr", "garble", "replay", "scribble", "remap", "delay",
};

static bool on;
static uint64_t rng, period = 2000;
static uint64_t counts[A_COUNT], remaps_refused;
static bool delay_next;
/* VMPL0's last exit was its VMGEXIT: the entry delivers the answer. The
 * host writes the GHCB MSR (through the VMCB) only then; snpemu's own
 * exits on GHCB MSR writes do not exist on hardware. */
static bool answering;
static uint8_t last_resp[0x400 - 0x1f8]; /* rax .. valid_bitmap */
static bool have_last;

/* xorshift64*: small and reproducible from the seed. */
static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * UINT64_C(2685821657736338717);
}

static uint64_t below(uint64_t n)
{
	return next() % n;
}

bool hostile_config(const char *arg)
{
	const char *p = arg;
	uint64_t seed = 0;

	if (*p < '0' || *p > '9') {
		return false;
	}
	while (*p >= '0' && *p <= '9') {
		seed = seed * 10 + (uint64_t)(*p++ - '0');
	}
	if (*p == ',') {
		period = 0;
		for (p++; *p >= '0' && *p <= '9'; p++) {
			period = period * 10 + (uint64_t)(*p - '0');
		}
	}
	if (*p != '\0' || period == 0 || period > 100000000) {
		return false;
	}
	rng = seed * UINT64_C(0x9e3779b97f4a7c15) + 1;
	on = true;
	con_printf(
		"snpemu: hostile host: seed %llu, about one act per %llu "
		"VMPL0 entries\n",
		(unsigned long long)seed, (unsigned long long)period);
	return true;
}

static struct ghcb *vmpl0_ghcb(struct machine *m)
{
	uint64_t gfn = m->cpu->ctx[0].ghcb_gfn;

	return gfn < EMU_GUEST_PAGES ? emu_hva(gfn << PAGE_SHIFT) : NULL;
}

static void act_inject(struct machine *m)
{
	static const uint64_t vc_codes[] = {
		SVM_EXIT_CPUID, SVM_EXIT_IOIO, SVM_EXIT_MSR, 0x404,
		0x400,          0x81,          0x6f,         0x7b,
	};
	uint64_t r = below(10);

	if (r < 5) {
		uint64_t code = r < 4 ? vc_codes[below(8)] : below(0x500);

		(void)inject_host_event(m, 29, true, code);
	} else if (r == 5) {
		con_printf("snpemu: hostile host: injected #HV\n");
		(void)inject_host_event(m, 28, false, 0);
	} else if (r == 6) {
		(void)inject_host_event(m, 0x20 + (unsigned)below(0xe0), false,
					0);
	} else if (r == 7) {
		(void)inject_host_event(m, 14, true, below(32));
	} else if (r == 8) {
		(void)inject_host_event(m, 13, true, 0);
	} else {
		static const unsigned plain[] = {2, 1, 6};

		(void)inject_host_event(m, plain[below(3)], false, 0);
	}
}

/*
 * A VMSA page no vCPU runs, at random (UINT64_MAX if none): RMPUPDATE
 * converts it like any page, only a VMSA inside VMRUN is refused
 * (docs/snpemu.md row F6). At a VMPL0 entry that is, e.g., the guest's
 * VMPL2 VMSA of this very vCPU.
 */
static uint64_t idle_vmsa(const struct machine *m)
{
	uint64_t pick = UINT64_MAX, seen = 0;

	for (uint64_t gfn = 0; gfn < m->rmp.npages; gfn++) {
		if (rmp_is_vmsa(&m->rmp, gfn) && gmem_vmsa_vcpu(m, gfn) < 0 &&
		    below(++seen) == 0) {
			pick = gfn;
		}
	}
	return pick;
}

/* Make @gfn shared as RMPUPDATE would; false if the RMP refuses it. */
static bool remap_page(struct machine *m, uint64_t gfn)
{
	struct rmp_change chg = {0};

	if (rmp_psc(&m->rmp, gfn << PAGE_SHIFT, RMP_PSC_OP_SHARED, false,
		    &chg) != RMP_PSC_OK) {
		remaps_refused++;
		return false;
	}
	npt_apply(m, &chg);
	m->tlb_flush = true;
	return true;
}

/*
 * One remap in four takes a VMSA no vCPU runs; the others an SVSM-only
 * page: assigned, validated, no VMPL1-3 access, no VMSA.
 */
static void act_remap(struct machine *m)
{
	if (below(4) == 0) {
		uint64_t gfn = idle_vmsa(m);

		if (gfn != UINT64_MAX) {
			con_printf(
				"snpemu: hostile host: remap of the VMSA at "
				"GPA 0x%llx (no vCPU runs it)\n",
				(unsigned long long)(gfn << PAGE_SHIFT));
			(void)remap_page(m, gfn);
			return;
		}
	}
	for (unsigned tries = 0; tries < 64; tries++) {
		uint64_t gfn = below(EMU_GUEST_PAGES);
		const struct rmp_entry *e = &m->rmp.e[gfn];

		if ((e->flags & (RMP_F_ASSIGNED | RMP_F_VALIDATED)) !=
			    (RMP_F_ASSIGNED | RMP_F_VALIDATED) ||
		    (e->flags & RMP_F_VMSA) || e->perm[0] || e->perm[1] ||
		    e->perm[2]) {
			continue;
		}
		(void)remap_page(m, gfn);
		return;
	}
}

void hostile_vmpl0_entry(struct machine *m)
{
	struct vmpl_ctx *c = &m->cpu->ctx[0];
	struct ghcb *g = NULL;
	enum act a = A_INJECT;

	if (!on || m->cpu->cur != 0 || c->ghcb_gfn == UINT64_MAX) {
		return;
	}
	g = vmpl0_ghcb(m);
	if (g == NULL || below(period) != 0) {
		answering = false;
		if (g != NULL) {
			memcpy(last_resp, &g->rax, sizeof(last_resp));
			have_last = true;
		}
		return;
	}
	a = (enum act)below(A_COUNT);
	if (!answering && (a == A_MSR || a == A_GARBLE || a == A_REPLAY)) {
		a = A_SCRIBBLE;
	}
	answering = false;
	counts[a]++;
	con_printf("snpemu: hostile host: %s at VMPL0 RIP 0x%llx\n",
		   act_names[a], (unsigned long long)emu_save(m)->rip);
	switch (a) {
	case A_INJECT:
		act_inject(m);
		break;
	case A_MSR:
		c->ghcb_msr ^= UINT64_C(1) << below(64);
		break;
	case A_GARBLE: {
		static const uint16_t offs[] = {0x1f8, 0x308, 0x310, 0x318,
						0x398, 0x3a0, 0x3f0, 0x3f8};
		uint8_t *b = (uint8_t *)g + offs[below(8)] + below(8);

		*b ^= (uint8_t)(1u + below(255));
		break;
	}
	case A_REPLAY:
		if (have_last) {
			memcpy(&g->rax, last_resp, sizeof(last_resp));
		}
		break;
	case A_SCRIBBLE:
		for (unsigned i = 0; i < 16; i++) {
			g->shared_buffer[below(sizeof(g->shared_buffer))] =
				(uint8_t)next();
		}
		break;
	case A_REMAP:
		act_remap(m);
		break;
	case A_DELAY:
		delay_next = true;
		break;
	case A_COUNT:
		break;
	}
}

/* The GHCB MSR names the registered page: an NAE event, not the MSR
 * protocol. */
static bool q_is_page(const struct machine *m)
{
	const struct vmpl_ctx *c = &m->cpu->ctx[0];

	return c->ghcb_gfn != UINT64_MAX &&
	       (c->ghcb_msr & ~EMU_CBIT) == (c->ghcb_gfn << PAGE_SHIFT);
}

bool hostile_drop_vmgexit(struct machine *m, bool terminate)
{
	const struct ghcb *g = vmpl0_ghcb(m);

	/* A termination request always gets through: the test wants to
	 * see the SVSM's reason (a host could also ignore it: a hang the
	 * host causes, outside the threat model). */
	if (m->cpu->cur == 0) {
		answering = true;
	}
	if (!delay_next || m->cpu->cur != 0 || terminate ||
	    (q_is_page(m) && g != NULL &&
	     g->sw_exit_code == SVM_VMGEXIT_TERM_REQUEST)) {
		return false;
	}
	delay_next = false;
	return true;
}

void hostile_report(void)
{
	uint64_t total = 0;

	if (!on) {
		return;
	}
	for (unsigned i = 0; i < A_COUNT; i++) {
		total += counts[i];
	}
	con_printf("snpemu: hostile host: %llu acts:",
		   (unsigned long long)total);
	for (unsigned i = 0; i < A_COUNT; i++) {
		con_printf(" %s %llu", act_names[i],
			   (unsigned long long)counts[i]);
	}
	con_printf(" (remaps refused by the RMP: %llu)\n",
		   (unsigned long long)remaps_refused);
}
