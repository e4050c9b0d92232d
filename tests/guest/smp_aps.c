// SPDX-License-Identifier: MIT
/*
 * The test guest's APs (issue 13), started as Linux's SNP AP boot under an
 * SVSM starts them (Linux: arch/x86/coco/sev/core.c, wakeup_cpu_via_vmgexit
 * -> snp_set_vmsa -> SVSM_CORE_CREATE_VCPU, then AP_CREATION at its own
 * VMPL with SW_EXITINFO1 = APIC ID << 32 | VMPL << 16 | AP_CREATE): a VMSA
 * for each further APIC ID at VMPL2 that starts in 64-bit mode on this
 * guest's page tables, with a calling area of its own. Each AP then waits
 * for work vCPU 0 posts (a function and a generation number) and runs it;
 * the SVSM context of its vCPU (src/smp.c) serves its calls.
 *
 * A restart (guest_ap_restart) is Linux's CPU hotplug: CREATE_VCPU of a
 * second VMSA for a vCPU that runs (pending in the SVSM), AP_CREATION to
 * switch to it, and the old VMSA deleted afterwards (Linux:
 * wakeup_cpu_via_vmgexit, snp_cleanup_vmsa).
 */
#include "smp_aps.h"

#include "arch/cpu.h"

#include "lib/string.h"

#include "svsm/abi/ghcb.h"
#include "svsm/abi/snp.h"
#include "svsm/abi/vmsa.h"

#include "guest.h"

#define CORE(id) SVSM_CALL(SVSM_PROTO_CORE, (id))
#define PV_VALIDATE (UINT64_C(1) << 2)
#define AP_STACK 16384
#define MSR_EFER_NR 0xc0000080u
#define STARTS 2 /* the first VMSA and one restart */

extern struct ghcb *guest_ghcb_shared; /* main.c */
extern uint64_t guest_ghcb_gpa;

/* Two pages per VMSA: one of them is not 2 MiB aligned (SNP erratum). */
static uint8_t ap_vmsa_pages[GUEST_MAX_APS][STARTS][2][4096]
	__attribute__((aligned(4096)));
static struct svsm_caa ap_caa[GUEST_MAX_APS][STARTS]
	__attribute__((aligned(4096)));
static uint8_t ap_stack[GUEST_MAX_APS][STARTS][AP_STACK]
	__attribute__((aligned(16)));

static unsigned aps_started;
static bool aps_tried;
static struct svsm_caa *volatile ap_cur_caa[GUEST_MAX_APS];
static volatile uint64_t ap_starts[GUEST_MAX_APS];

/* The work vCPU 0 posts, and how far each AP got. */
static ap_work_fn volatile work_fn;
static volatile uint64_t work_gen;
static volatile uint64_t ap_done_gen[GUEST_MAX_APS];

void guest_call_caa(struct svsm_caa *caa, volatile uint64_t *left,
		    uint64_t regs[4])
{
	uint64_t rax = regs[0], rcx = regs[1], rdx = regs[2];
	/* R8 carries an input and an output (ATTEST: the report size). */
	register uint64_t r8 __asm__("r8") = regs[3];

	wrmsr(MSR_GHCB, GHCB_MSR_RUN_VMPL(0));
	__atomic_store_n(&caa->call_pending, 1, __ATOMIC_SEQ_CST);
	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xd9"
			 : "+a"(rax), "+c"(rcx), "+d"(rdx), "+r"(r8)
			 :
			 : "r9", "memory");
	if (__atomic_exchange_n(&caa->call_pending, 0, __ATOMIC_SEQ_CST)) {
		(*left)++;
	}
	regs[0] = rax;
	regs[1] = rcx;
	regs[2] = rdx;
	regs[3] = r8;
}

bool guest_query_caa(struct svsm_caa *caa, volatile uint64_t *left)
{
	uint64_t r[4] = {CORE(SVSM_CORE_QUERY_PROTOCOL),
			 SVSM_QUERY_PROTOCOL_ARG(0, 1), 0, 0};

	guest_call_caa(caa, left, r);
	return r[0] == SVSM_SUCCESS && r[1] == ((UINT64_C(1) << 32) | 1);
}

uint64_t guest_pvalidate_caa(struct svsm_caa *caa, volatile uint64_t *left,
			     const void *page, bool validate)
{
	struct svsm_pvalidate_hdr *h = (void *)caa->svsm_buffer;
	uint64_t *e = (uint64_t *)(void *)(h + 1);
	uint64_t r[4] = {CORE(SVSM_CORE_PVALIDATE), (uint64_t)(uintptr_t)h, 0,
			 0};

	h->entries = 1;
	h->next = 0;
	h->reserved = 0;
	e[0] = (uint64_t)(uintptr_t)page | (validate ? PV_VALIDATE : 0);
	guest_call_caa(caa, left, r);
	return r[0];
}

/*
 * AP @i (vCPU i + 1, VMPL2) entered through a VMSA with @caa: no IDT of
 * its own, nothing that could #VC. Work already done before a restart is
 * not run again.
 */
__attribute__((noreturn, used)) static void ap_main(uint64_t i,
						    struct svsm_caa *caa)
{
	uint64_t seen = __atomic_load_n(&ap_done_gen[i], __ATOMIC_ACQUIRE);

	ap_cur_caa[i] = caa;
	__atomic_fetch_add(&ap_starts[i], 1, __ATOMIC_RELEASE);
	for (;;) {
		uint64_t gen = __atomic_load_n(&work_gen, __ATOMIC_ACQUIRE);

		if (gen == seen) {
			__asm__ volatile("pause"); /* snpemu ends the slice */
			continue;
		}
		work_fn((unsigned)i);
		seen = gen;
		__atomic_store_n(&ap_done_gen[i], gen, __ATOMIC_RELEASE);
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
	uint64_t saved = rdmsr(MSR_GHCB);
	uint64_t rc = 0;

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
	rc = gh->sw_exit_info_1;
	wrmsr(MSR_GHCB, saved);
	return rc;
}

static void seg(struct vmsa_seg *s, uint16_t sel, uint16_t attr)
{
	s->selector = sel;
	s->attrib = attr;
	s->limit = 0xffffffff;
	s->base = 0;
}

static void build_ap_vmsa(struct snp_vmsa *v, unsigned i, unsigned start)
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
	v->rsp = (uint64_t)(uintptr_t)&ap_stack[i][start][AP_STACK] - 8;
	v->rdi = i;
	v->rsi = (uint64_t)(uintptr_t)&ap_caa[i][start];
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
	v->g_pat = UINT64_C(0x0007040600070406);
	v->xcr0 = 1;
	v->vmpl = 2;
	v->sev_features = SEV_FEAT_SNP_ACTIVE;
	/* What a guest might leave there: the SVSM must not trust it. */
	v->guest_exit_code = SVM_EXIT_VMGEXIT;
}

static uint64_t vmsa_gpa(unsigned i, unsigned start)
{
	uint64_t v = (uint64_t)(uintptr_t)ap_vmsa_pages[i][start][0];

	return (v & ((UINT64_C(2) << 20) - 1)) == 0 ? v + 4096 : v;
}

uint64_t guest_ap_vmsa_gpa(unsigned i)
{
	return vmsa_gpa(i, 0);
}

uint64_t guest_ap_vmsa2_gpa(unsigned i)
{
	return vmsa_gpa(i, 1);
}

struct svsm_caa *guest_ap_caa(unsigned i)
{
	return ap_cur_caa[i];
}

uint64_t guest_ap_starts(unsigned i)
{
	return __atomic_load_n(&ap_starts[i], __ATOMIC_ACQUIRE);
}

/* CREATE_VCPU of VMSA @start for AP @i; RAX. */
static uint64_t create_vcpu(unsigned i, unsigned start)
{
	uint64_t v = vmsa_gpa(i, start);

	build_ap_vmsa((struct snp_vmsa *)(uintptr_t)v, i, start);
	memset(&ap_caa[i][start], 0, sizeof(ap_caa[i][start]));
	return gcall3(CORE(SVSM_CORE_CREATE_VCPU), v,
		      (uint64_t)(uintptr_t)&ap_caa[i][start], i + 1);
}

unsigned guest_aps_start(bool *failed)
{
	unsigned n = 0;

	*failed = false;
	if (aps_tried) {
		return aps_started;
	}
	aps_tried = true;
	for (n = 0; n < GUEST_MAX_APS; n++) {
		uint64_t rax = create_vcpu(n, 0);

		if (rax == SVSM_ERR_INVALID_PARAMETER) {
			break; /* no vCPU with that APIC ID */
		}
		if (rax != SVSM_SUCCESS) {
			*failed = true;
			break;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		if (ap_create(i + 1, vmsa_gpa(i, 0), SEV_FEAT_SNP_ACTIVE) !=
		    0) {
			*failed = true;
		}
	}
	aps_started = n;
	return n;
}

uint64_t guest_ap_create_pending(unsigned i)
{
	return create_vcpu(i, 1);
}

bool guest_ap_restart(unsigned i, uint64_t *create_rax)
{
	*create_rax = create_vcpu(i, 1);
	if (*create_rax != SVSM_SUCCESS) {
		return false;
	}
	return ap_create(i + 1, vmsa_gpa(i, 1), SEV_FEAT_SNP_ACTIVE) == 0;
}

void guest_aps_post(ap_work_fn fn)
{
	work_fn = fn;
	__atomic_fetch_add(&work_gen, 1, __ATOMIC_RELEASE);
}

bool guest_aps_done(void)
{
	uint64_t gen = __atomic_load_n(&work_gen, __ATOMIC_ACQUIRE);

	for (unsigned i = 0; i < aps_started; i++) {
		if (__atomic_load_n(&ap_done_gen[i], __ATOMIC_ACQUIRE) != gen) {
			return false;
		}
	}
	return true;
}

bool guest_aps_wait(uint64_t max_spins)
{
	for (uint64_t s = 0; !guest_aps_done(); s++) {
		if (s >= max_spins) {
			return false;
		}
		__asm__ volatile("pause"); /* give the APs the CPU */
	}
	return true;
}

bool guest_aps_run(ap_work_fn fn, uint64_t max_spins)
{
	guest_aps_post(fn);
	return guest_aps_wait(max_spins);
}
