// SPDX-License-Identifier: MIT
/*
 * Guest vCPUs through the SVSM (issue 13): the APs of smp_aps.c, started as
 * Linux starts them, call the SVSM of their own vCPU while vCPU 0 calls
 * too. Each case has a defined result for every call:
 *
 *  ap_calls            QUERY_PROTOCOL, rescind and validate of the AP's own
 *                      page and of one page all APs share; the shared
 *                      page's successful transitions pair up (nothing lost,
 *                      nothing doubled); DELETE_VCPU of a running AP's VMSA
 *                      is refused INUSE.
 *  delete_races_calls  DELETE_VCPU of each AP's running VMSA from vCPU 0
 *                      while the APs call: always INUSE, every AP call
 *                      answered; CREATE_VCPU of a pending VMSA for an AP
 *                      and its DELETE_VCPU while that AP calls: both
 *                      succeed, the AP's calls go on through its CA.
 *  pvalidate_one_page  all APs PVALIDATE the same page at the same moment:
 *                      exactly one SUCCESS per round, the others
 *                      FAIL_UNCHANGED, and the page is zeroed once.
 *  ap_switch_vmsa      CREATE_VCPU of a second VMSA for a running AP, then
 *                      AP_CREATION: the SVSM serves the new VMSA and CA
 *                      from its first call on; DELETE_VCPU of the old VMSA
 *                      then succeeds, of the new one INUSE.
 *
 * With one vCPU CREATE_VCPU for APIC ID 1 is refused and the cases only
 * check that (emu test svsm-smp runs them with QEMU -smp 4 and requires
 * the served path).
 */
#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/string.h"

#include "svsm/abi/snp.h"

#include "guest.h"
#include "smp_aps.h"

#define CORE(id) SVSM_CALL(SVSM_PROTO_CORE, (id))
#define AP_CALLS 2000u /* vCPU 0's baseline */
#define AP_ITERS 100u  /* per AP: a QUERY and four PVALIDATEs each */
#define RACE_CALLS 200u
#define PV_ROUNDS 40u
#define SWITCH_CALLS 50u
#define SPINS UINT64_C(50000000)
#define INUSE (SVSM_ERR_PROTOCOL_BASE + SNP_RC_FAIL_INUSE)

/* Each AP's own page, and one page all APs toggle at once. */
static uint8_t ap_pv_page[GUEST_MAX_APS][4096] __attribute__((aligned(4096)));
static uint8_t shared_pv_page[4096] __attribute__((aligned(4096)));

static volatile struct ap_stat ap_stat[GUEST_MAX_APS];

/* The APs, or 0 with one vCPU (then checks that APIC ID 1 is refused). */
static unsigned aps(struct test_ctx *_t)
{
	bool failed = false;
	unsigned n = guest_aps_start(&failed);

	EXPECT_MSG(!failed, "smp: CREATE_VCPU and AP_CREATION for the APs");
	if (n == 0) {
		con_printf("# smp: one vCPU, APIC ID 1 refused\n");
	}
	return n;
}

static void clear_stats(void)
{
	memset((void *)ap_stat, 0, sizeof(ap_stat));
}

static void ap_calls_work(unsigned i)
{
	volatile struct ap_stat *st = &ap_stat[i];
	struct svsm_caa *caa = guest_ap_caa(i);
	volatile uint64_t *left = &st->pending_left;

	st->tsc_start = guest_tsc();
	for (uint32_t n = 0; n < AP_ITERS; n++) {
		bool ok = guest_query_caa(caa, left);
		uint64_t r = 0;

		/* Its own page: both transitions must succeed. */
		ok &= guest_pvalidate_caa(caa, left, ap_pv_page[i], false) ==
		      SVSM_SUCCESS;
		ok &= guest_pvalidate_caa(caa, left, ap_pv_page[i], true) ==
		      SVSM_SUCCESS;
		/* The shared page: another AP may have got there first, then
		 * the SVSM answers FAIL_UNCHANGED (defined), nothing else. */
		r = guest_pvalidate_caa(caa, left, shared_pv_page, false);
		st->shared_rescinds += r == SVSM_SUCCESS;
		st->shared_unchanged += r == SVSM_PVALIDATE_FAIL_UNCHANGED;
		ok &= r == SVSM_SUCCESS || r == SVSM_PVALIDATE_FAIL_UNCHANGED;
		r = guest_pvalidate_caa(caa, left, shared_pv_page, true);
		st->shared_validates += r == SVSM_SUCCESS;
		st->shared_unchanged += r == SVSM_PVALIDATE_FAIL_UNCHANGED;
		ok &= r == SVSM_SUCCESS || r == SVSM_PVALIDATE_FAIL_UNCHANGED;
		if (ok) {
			st->ok++;
		} else {
			st->bad++;
		}
	}
	st->tsc_end = guest_tsc();
}

TEST(smp, ap_calls)
{
	volatile uint64_t left0 = 0;
	uint64_t mine = 0, t0 = 0, t1 = 0, first = UINT64_MAX, last = 0,
		 ghcb_msr = rdmsr(MSR_GHCB), rescinds = 0, validates = 0,
		 unchanged = 0;
	unsigned n = 0;

	/* Baseline: the same calls from vCPU 0 alone (the benchmark's 1). */
	t0 = guest_tsc();
	for (uint32_t k = 0; k < AP_CALLS; k++) {
		mine += guest_query_caa(g.caa, &left0);
	}
	t1 = guest_tsc();
	wrmsr(MSR_GHCB, ghcb_msr);
	EXPECT_EQ(mine, AP_CALLS);
	EXPECT_EQ(left0, 0);
	con_printf("# smp-bench: 1 vCPU, %u calls in %llu TSC cycles\n",
		   AP_CALLS, (unsigned long long)(t1 - t0));
	n = aps(_t);
	if (n == 0) {
		return;
	}
	clear_stats();
	guest_aps_post(ap_calls_work);
	/* Calls from this vCPU go on meanwhile. */
	mine = 0;
	t0 = guest_tsc();
	while (!guest_aps_done() && mine < 1000000) {
		if (gcall3(CORE(SVSM_CORE_QUERY_PROTOCOL),
			   SVSM_QUERY_PROTOCOL_ARG(0, 1), 0,
			   0) == SVSM_SUCCESS) {
			mine++;
		}
		/* Give the APs the CPU (snpemu ends the slice at PAUSE). */
		__asm__ volatile("pause");
	}
	t1 = guest_tsc();
	EXPECT(guest_aps_done());
	EXPECT(mine > 0);
	for (unsigned i = 0; i < n; i++) {
		rescinds += ap_stat[i].shared_rescinds;
		validates += ap_stat[i].shared_validates;
		unchanged += ap_stat[i].shared_unchanged;
		EXPECT_EQ(ap_stat[i].ok, AP_ITERS);
		EXPECT_EQ(ap_stat[i].bad, 0);
		EXPECT_EQ(ap_stat[i].pending_left, 0);
		first = ap_stat[i].tsc_start < first ? ap_stat[i].tsc_start
						     : first;
		last = ap_stat[i].tsc_end > last ? ap_stat[i].tsc_end : last;
		/* DELETE_VCPU of a VMSA another vCPU runs: in use. */
		EXPECT_RAX(gcall3(CORE(SVSM_CORE_DELETE_VCPU),
				  guest_ap_vmsa_gpa(i), 0, 0),
			   INUSE, "delete_vcpu: the VMSA another vCPU runs");
	}
	/*
	 * The shared page started validated and every AP's last word on it
	 * was "validate": the successful transitions alternate under the
	 * core lock, so as many validates as rescinds succeeded (none lost,
	 * none doubled), and every attempt got an answer.
	 */
	EXPECT_EQ(validates, rescinds);
	EXPECT_EQ(rescinds + validates + unchanged, 2 * n * AP_ITERS);
	EXPECT(rescinds > 0);
	EXPECT_EQ(shared_pv_page[0], 0); /* validated again: readable */
	con_printf(
		"# smp: %u APs, %u iterations each ok (shared page: %llu "
		"rescinds, %llu validates, %llu unchanged); vCPU 0 %llu "
		"calls\n",
		n, AP_ITERS, (unsigned long long)rescinds,
		(unsigned long long)validates, (unsigned long long)unchanged,
		(unsigned long long)mine);
	/* Two rates that overlap in time: the APs' together, vCPU 0's. */
	con_printf(
		"# smp-bench: %u vCPUs, APs %llu calls in %llu TSC cycles, "
		"vCPU 0 %llu calls in %llu\n",
		n + 1, (unsigned long long)n * AP_ITERS * 5,
		(unsigned long long)(last - first), (unsigned long long)mine,
		(unsigned long long)(t1 - t0));
}

static void race_work(unsigned i)
{
	volatile struct ap_stat *st = &ap_stat[i];
	struct svsm_caa *caa = guest_ap_caa(i);

	for (uint32_t n = 0; n < RACE_CALLS; n++) {
		if (guest_query_caa(caa, &st->pending_left)) {
			st->ok++;
		} else {
			st->bad++;
		}
	}
}

TEST(smp, delete_races_calls)
{
	uint64_t deletes = 0, refused = 0, other = 0, rax = 0;
	unsigned n = aps(_t);
	bool pending_done = false;

	if (n == 0) {
		return;
	}
	clear_stats();
	guest_aps_post(race_work);
	while (!guest_aps_done() && deletes < 1000000) {
		for (unsigned i = 0; i < n; i++) {
			rax = gcall3(CORE(SVSM_CORE_DELETE_VCPU),
				     guest_ap_vmsa_gpa(i), 0, 0);
			deletes++;
			refused += rax == INUSE;
			other += rax != INUSE;
		}
		/* A pending VMSA for AP 1 comes and goes meanwhile. */
		if (!pending_done && n > 1) {
			EXPECT_RAX(guest_ap_create_pending(1), SVSM_SUCCESS,
				   "create_vcpu: a pending VMSA for a "
				   "calling AP");
			EXPECT_RAX(gcall3(CORE(SVSM_CORE_DELETE_VCPU),
					  guest_ap_vmsa2_gpa(1), 0, 0),
				   SVSM_SUCCESS,
				   "delete_vcpu: the pending VMSA while the "
				   "AP calls");
			pending_done = true;
		}
		__asm__ volatile("pause");
	}
	EXPECT(guest_aps_done());
	EXPECT(deletes > 0);
	EXPECT_EQ(other, 0);
	for (unsigned i = 0; i < n; i++) {
		EXPECT_EQ(ap_stat[i].ok, RACE_CALLS);
		EXPECT_EQ(ap_stat[i].bad, 0);
		EXPECT_EQ(ap_stat[i].pending_left, 0);
	}
	con_printf(
		"# smp: %llu DELETE_VCPUs of running VMSAs during %u "
		"calls per AP, %llu refused INUSE\n",
		(unsigned long long)deletes, RACE_CALLS,
		(unsigned long long)refused);
}

/* One page all APs validate or rescind in the same round. */
static uint8_t one_page[4096] __attribute__((aligned(4096)));
static volatile bool pv_validate;
static volatile uint64_t pv_rax[GUEST_MAX_APS];

static void pv_work(unsigned i)
{
	pv_rax[i] =
		guest_pvalidate_caa(guest_ap_caa(i), &ap_stat[i].pending_left,
				    one_page, pv_validate);
}

TEST(smp, pvalidate_one_page)
{
	unsigned n = aps(_t);
	uint64_t bad_rounds = 0, zeroed = 0;

	if (n == 0) {
		return;
	}
	clear_stats();
	for (uint32_t r = 0; r < PV_ROUNDS; r++) {
		unsigned success = 0, unchanged = 0;

		/* Rescind rounds first: the page starts validated. */
		pv_validate = (r % 2) == 1;
		if (!pv_validate) {
			one_page[0] = 0xa5; /* a validate must zero it */
		}
		EXPECT(guest_aps_run(pv_work, SPINS));
		for (unsigned i = 0; i < n; i++) {
			success += pv_rax[i] == SVSM_SUCCESS;
			unchanged += pv_rax[i] == SVSM_PVALIDATE_FAIL_UNCHANGED;
		}
		bad_rounds += success != 1 || unchanged != n - 1;
		if (pv_validate) {
			zeroed += one_page[0] == 0;
		}
	}
	EXPECT_EQ(bad_rounds, 0);
	EXPECT_EQ(zeroed, PV_ROUNDS / 2);
	for (unsigned i = 0; i < n; i++) {
		EXPECT_EQ(ap_stat[i].pending_left, 0);
	}
	con_printf(
		"# smp: %u rounds of %u simultaneous PVALIDATEs of one "
		"page: one SUCCESS each, %llu bad rounds\n",
		PV_ROUNDS, n, (unsigned long long)bad_rounds);
}

static void switch_work(unsigned i)
{
	volatile struct ap_stat *st = &ap_stat[i];

	for (uint32_t k = 0; k < SWITCH_CALLS; k++) {
		if (guest_query_caa(guest_ap_caa(i), &st->pending_left)) {
			st->ok++;
		} else {
			st->bad++;
		}
	}
}

/* Last of the SMP cases here: AP 0 runs its second VMSA afterwards. */
TEST(smp, ap_switch_vmsa)
{
	unsigned n = aps(_t);
	uint64_t rax = 0;
	bool created = false;

	if (n == 0) {
		return;
	}
	clear_stats();
	created = guest_ap_restart(0, &rax);
	EXPECT_RAX(rax, SVSM_SUCCESS,
		   "create_vcpu: a second VMSA for a running AP");
	EXPECT_MSG(created, "smp: AP_CREATION switches the AP to it");
	if (!created) {
		return;
	}
	for (uint64_t s = 0; guest_ap_starts(0) < 2 && s < SPINS; s++) {
		__asm__ volatile("pause");
	}
	EXPECT_EQ(guest_ap_starts(0), 2);
	/* Until its first call the SVSM cannot know: still in use. */
	EXPECT_RAX(
		gcall3(CORE(SVSM_CORE_DELETE_VCPU), guest_ap_vmsa_gpa(0), 0, 0),
		INUSE, "delete_vcpu: the old VMSA before a call from the new");
	EXPECT(guest_aps_run(switch_work, SPINS));
	for (unsigned i = 0; i < n; i++) {
		EXPECT_EQ(ap_stat[i].ok, SWITCH_CALLS);
		EXPECT_EQ(ap_stat[i].bad, 0);
		EXPECT_EQ(ap_stat[i].pending_left, 0);
	}
	EXPECT_RAX(
		gcall3(CORE(SVSM_CORE_DELETE_VCPU), guest_ap_vmsa_gpa(0), 0, 0),
		SVSM_SUCCESS, "delete_vcpu: the old VMSA after the switch");
	EXPECT_RAX(gcall3(CORE(SVSM_CORE_DELETE_VCPU), guest_ap_vmsa2_gpa(0), 0,
			  0),
		   INUSE, "delete_vcpu: the new VMSA the AP runs");
	/* And it keeps calling through the new CA. */
	clear_stats();
	EXPECT(guest_aps_run(switch_work, SPINS));
	EXPECT_EQ(ap_stat[0].ok, SWITCH_CALLS);
	EXPECT_EQ(ap_stat[0].pending_left, 0);
	con_printf(
		"# smp: AP 0 switched to its second VMSA, %u calls served "
		"through its new CA\n",
		SWITCH_CALLS);
}
