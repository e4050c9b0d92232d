// SPDX-License-Identifier: MIT
/*
 * A second vCPU through the SVSM (issue 13), as Linux's SNP AP boot under
 * an SVSM does it (Linux: arch/x86/coco/sev/core.c, wakeup_cpu_via_vmgexit
 * -> snp_set_vmsa -> SVSM_CORE_CREATE_VCPU, then AP_CREATION at its own
 * VMPL with SW_EXITINFO1 = APIC ID << 32 | VMPL << 16 | AP_CREATE): a VMSA
 * for each other APIC ID at VMPL2 that starts in 64-bit mode on this
 * guest's page tables, with a calling area of its own. Each AP then loops:
 * QUERY_PROTOCOL, rescind and validate its own page, rescind and validate
 * one page shared by all APs; the SVSM context of its vCPU (src/smp.c)
 * serves the calls while vCPU 0's calls continue here. Every result is
 * checked; on the shared page the successful transitions must pair up
 * (nothing lost, nothing doubled).
 *
 * With one vCPU CREATE_VCPU for APIC ID 1 is refused and the case only
 * checks that (emu test svsm-smp runs it with QEMU -smp 4 and requires
 * the served path).
 */
#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/string.h"

#include "svsm/abi/ghcb.h"
#include "svsm/abi/snp.h"
#include "svsm/abi/vmsa.h"

#include "guest.h"

#define CORE(id) SVSM_CALL(SVSM_PROTO_CORE, (id))
#define AP_CALLS 2000u /* vCPU 0's baseline */
#define AP_ITERS 100u  /* per AP: a QUERY and four PVALIDATEs each */
#define PV_VALIDATE (UINT64_C(1) << 2)
#define AP_STACK 16384
#define MAX_APS 7u
#define MSR_EFER_NR 0xc0000080u

extern struct ghcb *guest_ghcb_shared; /* main.c */
extern uint64_t guest_ghcb_gpa;

/* Two pages per AP: one of them is not 2 MiB aligned (SNP erratum). */
static uint8_t ap_vmsa_pages[MAX_APS][2][4096] __attribute__((aligned(4096)));
static struct svsm_caa ap_caa[MAX_APS] __attribute__((aligned(4096)));
static uint8_t ap_stack[MAX_APS][AP_STACK] __attribute__((aligned(16)));

/* Each AP's own page, and one page all APs toggle at once. */
static uint8_t ap_pv_page[MAX_APS][4096] __attribute__((aligned(4096)));
static uint8_t shared_pv_page[4096] __attribute__((aligned(4096)));

/* What each AP counts (its own cache line). */
struct ap_stat {
	uint64_t ok, bad, pending_left, done, tsc_start, tsc_end;
	uint64_t shared_rescinds, shared_validates, shared_unchanged;
} __attribute__((aligned(64)));
static volatile struct ap_stat ap_stat[MAX_APS];

static inline uint64_t tsc(void)
{
	uint32_t lo = 0, hi = 0;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* One call through @caa (MSR transport); RAX, RCX in and out. */
static void call_through(struct svsm_caa *caa, volatile uint64_t *left,
			 uint64_t *rax_io, uint64_t *rcx_io)
{
	uint64_t rax = *rax_io, rcx = *rcx_io;

	wrmsr(MSR_GHCB, GHCB_MSR_RUN_VMPL(0));
	__atomic_store_n(&caa->call_pending, 1, __ATOMIC_SEQ_CST);
	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xd9"
			 : "+a"(rax), "+c"(rcx)
			 :
			 : "rdx", "r8", "r9", "memory");
	if (__atomic_exchange_n(&caa->call_pending, 0, __ATOMIC_SEQ_CST)) {
		(*left)++;
	}
	*rax_io = rax;
	*rcx_io = rcx;
}

/* QUERY_PROTOCOL(core, v1): true if it answered version 1 only. */
static bool query_through(struct svsm_caa *caa, volatile uint64_t *left)
{
	uint64_t rax = CORE(SVSM_CORE_QUERY_PROTOCOL);
	uint64_t rcx = SVSM_QUERY_PROTOCOL_ARG(0, 1);

	call_through(caa, left, &rax, &rcx);
	return rax == SVSM_SUCCESS && rcx == ((UINT64_C(1) << 32) | 1);
}

/* PVALIDATE of one 4K page through a one-entry list in @caa; RAX. */
static uint64_t pvalidate_through(struct svsm_caa *caa, volatile uint64_t *left,
				  const void *page, bool validate)
{
	struct svsm_pvalidate_hdr *h = (void *)caa->svsm_buffer;
	uint64_t *e = (uint64_t *)(void *)(h + 1);
	uint64_t rax = CORE(SVSM_CORE_PVALIDATE);
	uint64_t rcx = (uint64_t)(uintptr_t)h;

	h->entries = 1;
	h->next = 0;
	h->reserved = 0;
	e[0] = (uint64_t)(uintptr_t)page | (validate ? PV_VALIDATE : 0);
	call_through(caa, left, &rax, &rcx);
	return rax;
}

/* AP @i (vCPU i + 1, VMPL2): no IDT of its own, nothing that could #VC. */
__attribute__((noreturn, used)) static void ap_main(uint64_t i)
{
	volatile struct ap_stat *st = &ap_stat[i];

	st->tsc_start = tsc();
	for (uint32_t n = 0; n < AP_ITERS; n++) {
		struct svsm_caa *caa = &ap_caa[i];
		volatile uint64_t *left = &st->pending_left;
		bool ok = query_through(caa, left);
		uint64_t r = 0;

		/* Its own page: both transitions must succeed. */
		ok &= pvalidate_through(caa, left, ap_pv_page[i], false) ==
		      SVSM_SUCCESS;
		ok &= pvalidate_through(caa, left, ap_pv_page[i], true) ==
		      SVSM_SUCCESS;
		/* The shared page: another AP may have got there first, then
		 * the SVSM answers FAIL_UNCHANGED (defined), nothing else. */
		r = pvalidate_through(caa, left, shared_pv_page, false);
		st->shared_rescinds += r == SVSM_SUCCESS;
		st->shared_unchanged += r == SVSM_PVALIDATE_FAIL_UNCHANGED;
		ok &= r == SVSM_SUCCESS || r == SVSM_PVALIDATE_FAIL_UNCHANGED;
		r = pvalidate_through(caa, left, shared_pv_page, true);
		st->shared_validates += r == SVSM_SUCCESS;
		st->shared_unchanged += r == SVSM_PVALIDATE_FAIL_UNCHANGED;
		ok &= r == SVSM_SUCCESS || r == SVSM_PVALIDATE_FAIL_UNCHANGED;
		if (ok) {
			st->ok++;
		} else {
			st->bad++;
		}
	}
	st->tsc_end = tsc();
	__atomic_store_n(&st->done, 1, __ATOMIC_RELEASE);
	for (;;) {
		__asm__ volatile("pause"); /* snpemu gives the slice away */
	}
}

static void set_valid(struct ghcb *gh, size_t off)
{
	gh->valid_bitmap[off / 8 / 8] |= (uint8_t)(1u << (off / 8 % 8));
}

/* NAE AP_CREATION for @apic_id at VMPL2; 0 = accepted. */
static uint64_t ap_create(uint32_t apic_id, uint64_t vmsa, uint64_t features)
{
	struct ghcb *gh = guest_ghcb_shared;

	memset(gh, 0, sizeof(*gh));
	gh->sw_exit_code = SVM_VMGEXIT_AP_CREATION;
	gh->sw_exit_info_1 = ((uint64_t)apic_id << 32) | (UINT64_C(2) << 16) |
			     SVM_VMGEXIT_AP_CREATE;
	gh->sw_exit_info_2 = vmsa;
	gh->rax = features;
	set_valid(gh, offsetof(struct ghcb, sw_exit_code));
	set_valid(gh, offsetof(struct ghcb, sw_exit_info_1));
	set_valid(gh, offsetof(struct ghcb, sw_exit_info_2));
	set_valid(gh, offsetof(struct ghcb, rax));
	gh->protocol_version = 2;
	wrmsr(MSR_GHCB, guest_ghcb_gpa);
	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xd9" ::: "memory");
	return gh->sw_exit_info_1;
}

static void seg(struct vmsa_seg *s, uint16_t sel, uint16_t attr)
{
	s->selector = sel;
	s->attrib = attr;
	s->limit = 0xffffffff;
	s->base = 0;
}

static void build_ap_vmsa(struct snp_vmsa *v, unsigned i)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = {0};

	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	memset(v, 0, sizeof(*v));
	seg(&v->cs, 0x08, 0x29b);
	seg(&v->ds, 0x10, 0xc93);
	v->es = v->ds;
	v->ss = v->ds;
	v->fs = v->ds;
	v->gs = v->ds;
	v->gdtr.limit = gdtr.limit;
	v->gdtr.base = gdtr.base;
	v->ldtr.attrib = 0x82;
	v->ldtr.limit = 0xffff;
	v->tr.attrib = 0x8b;
	v->tr.limit = 0xffff;
	v->cr0 = read_cr0();
	v->cr3 = read_cr3();
	v->cr4 = read_cr4();
	v->efer = rdmsr(MSR_EFER_NR) | VMSA_EFER_SVME;
	v->rflags = 2;
	v->rip = (uint64_t)(uintptr_t)ap_main;
	v->rsp = (uint64_t)(uintptr_t)&ap_stack[i][AP_STACK] - 8;
	v->rdi = i;
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
	v->g_pat = UINT64_C(0x0007040600070406);
	v->xcr0 = 1;
	v->vmpl = 2;
	v->sev_features = SEV_FEAT_SNP_ACTIVE;
}

static uint64_t ap_vmsa_gpa(unsigned i)
{
	uint64_t v = (uint64_t)(uintptr_t)ap_vmsa_pages[i][0];

	return (v & ((UINT64_C(2) << 20) - 1)) == 0 ? v + 4096 : v;
}

static bool all_done(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (!__atomic_load_n(&ap_stat[i].done, __ATOMIC_ACQUIRE)) {
			return false;
		}
	}
	return true;
}

TEST(smp, ap_calls)
{
	volatile uint64_t left0 = 0;
	uint64_t rax = 0, mine = 0, t0 = 0, t1 = 0, first = UINT64_MAX,
		 last = 0, ghcb_msr = rdmsr(MSR_GHCB), rescinds = 0,
		 validates = 0, unchanged = 0;
	unsigned n = 0;

	/* Baseline: the same calls from vCPU 0 alone (the benchmark's 1). */
	t0 = tsc();
	for (uint32_t k = 0; k < AP_CALLS; k++) {
		mine += query_through(g.caa, &left0);
	}
	t1 = tsc();
	wrmsr(MSR_GHCB, ghcb_msr);
	EXPECT_EQ(mine, AP_CALLS);
	EXPECT_EQ(left0, 0);
	con_printf("# smp-bench: 1 vCPU, %u calls in %llu TSC cycles\n",
		   AP_CALLS, (unsigned long long)(t1 - t0));
	/* Start a VMPL2 vCPU on every APIC ID the SVSM runs (1, 2, ...). */
	for (n = 0; n < MAX_APS; n++) {
		uint64_t v = ap_vmsa_gpa(n);

		build_ap_vmsa((struct snp_vmsa *)(uintptr_t)v, n);
		memset(&ap_caa[n], 0, sizeof(ap_caa[n]));
		rax = gcall3(CORE(SVSM_CORE_CREATE_VCPU), v,
			     (uint64_t)(uintptr_t)&ap_caa[n], n + 1);
		if (rax == SVSM_ERR_INVALID_PARAMETER) {
			break; /* no vCPU with that APIC ID */
		}
		EXPECT_RAX(rax, SVSM_SUCCESS, "create_vcpu: an AP");
		ASSERT(rax == SVSM_SUCCESS);
	}
	if (n == 0) {
		con_printf("# smp: one vCPU, APIC ID 1 refused\n");
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		EXPECT_EQ(ap_create(i + 1, ap_vmsa_gpa(i), SEV_FEAT_SNP_ACTIVE),
			  0);
	}
	/* Calls from this vCPU go on meanwhile. */
	mine = 0;
	t0 = tsc();
	while (!all_done(n) && mine < 1000000) {
		if (gcall3(CORE(SVSM_CORE_QUERY_PROTOCOL),
			   SVSM_QUERY_PROTOCOL_ARG(0, 1), 0,
			   0) == SVSM_SUCCESS) {
			mine++;
		}
		/* Give the APs the CPU (snpemu ends the slice at PAUSE). */
		__asm__ volatile("pause");
	}
	t1 = tsc();
	EXPECT(all_done(n));
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
		EXPECT_RAX(gcall3(CORE(SVSM_CORE_DELETE_VCPU), ap_vmsa_gpa(i),
				  0, 0),
			   SVSM_ERR_PROTOCOL_BASE + SNP_RC_FAIL_INUSE,
			   "delete_vcpu: the VMSA another vCPU runs");
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
