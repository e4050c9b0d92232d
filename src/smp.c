// SPDX-License-Identifier: MIT
/*
 * The SVSM on every vCPU (issue 13). The BSP builds one VMPL0 VMSA per AP
 * in SVSM memory — 64-bit mode on the SVSM's own page tables, the BSP's
 * IDT, the AP's per-CPU block in FS and its stack in RSP — and registers
 * it with AP_CREATION for that APIC ID at VMPL0 (docs/abi.md §7.4; KVM:
 * arch/x86/kvm/svm/sev.c, sev_snp_ap_creation). The AP then builds its own
 * GDT/TSS with its own IST stacks, registers its own GHCB (the GHCB MSR is
 * per VMSA) and reports in.
 *
 * Serving: once the BSP registered the APs' vCPUs (smp_register_aps,
 * after the guest launch reset the registry), each AP waits (PAUSE loop: a
 * hypervisor may take the CPU back; snpemu ends the slice) until
 * CREATE_VCPU gave its vCPU a guest VMSA, claims it under the core lock
 * (from then on DELETE_VCPU refuses it as in use), maps it in its own VMSA
 * window and runs the request loop on it; RUN_VMPL is refused until the
 * guest has sent AP_CREATION for that VMSA, and the AP then keeps waiting.
 * The loop follows the vCPU to a VMSA CREATE_VCPU left pending once the
 * hypervisor ran it (request_loop_once, svsm_vcpu_follow). Not done:
 * starting the APs' guest vCPUs when the guest is not Linux-like (the
 * guest creates them itself, through CREATE_VCPU and AP_CREATION).
 *
 * Lock order (docs/architecture.md §3): core_lock (dispatch.c) → a vCPU's
 * lock (request/vcpu.c) → con_lock; core_lock → attest / greq locks →
 * pool_lock / heap_lock (mm/mem.c) → con_lock (console); the online
 * counter here is a plain atomic.
 */
#include "smp.h"

#include "arch/cpu.h"
#include "arch/desc.h"
#include "arch/fpu.h"
#include "arch/vmsa_reset.h"

#include "lib/console.h"
#include "lib/panic.h"
#include "lib/string.h"

#include "svsm/request.h"

#include "svsm/abi/snp.h"
#include "svsm/abi/vmsa.h"

#include "mm/mem.h"
#include "percpu.h"
#include "request_loop.h"
#include "sev/ghcb.h"
#include "sev/platform_snp.h"

#define NO_SSP __attribute__((no_stack_protector))
#define MSR_FS_BASE 0xc0000100u

/* The stack, then the IST stacks and the nested-#VC stack (percpu.h):
 * each RT_STACK_SIZE and aligned to it. */
struct ap_stacks {
	uint8_t stack[RT_STACK_SIZE];
	uint8_t ist[IST_COUNT][RT_STACK_SIZE];
	uint8_t vc_nested[RT_STACK_SIZE];
};

static struct ap_stacks ap_stacks[SMP_MAX_APS] __aligned(RT_STACK_SIZE);
static struct percpu ap_percpu[SMP_MAX_APS] __aligned(64);
static uint32_t cpus_online = 1;
static uint32_t aps_started;
static bool aps_serve; /* the BSP registered their vCPUs */

uint32_t smp_cpus_online(void)
{
	return __atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE);
}

__noreturn static void ap_serve(struct percpu *pc)
{
	struct svsm_vcpu *vcpu = NULL;
	struct snp_vmsa *v = NULL;

	while (!__atomic_load_n(&aps_serve, __ATOMIC_ACQUIRE)) {
		cpu_relax();
	}
	while ((vcpu = svsm_vcpu_claim(pc->apic_id, &pc->guest_vmsa_gpa)) ==
	       NULL) {
		cpu_relax();
	}
	v = plat_map_vmsa(pc, pc->guest_vmsa_gpa);
	pc->guest_vmsa = v;
	con_printf("smp: CPU %u serves the guest VMSA at %llx\n", pc->cpu_index,
		   (unsigned long long)pc->guest_vmsa_gpa);
	for (;;) {
		if (!request_loop_once(vcpu, &v)) {
			cpu_relax(); /* no AP_CREATION for it yet */
		}
	}
}

/*
 * First C code on an AP (RSP as after a call, FS = @pc with its canary set
 * by the BSP). Never returns.
 */
NO_SSP __noreturn static void ap_main(struct percpu *pc)
{
	uint64_t tops[IST_COUNT];
	struct ap_stacks *s = &ap_stacks[pc->cpu_index - 1];

	percpu_set_fs(pc);
	for (unsigned i = 0; i < IST_COUNT; i++) {
		tops[i] = (uint64_t)(uintptr_t)&s->ist[i][RT_STACK_SIZE];
	}
	pc->vc_ist_top = tops[IST_VC - 1];
	pc->vc_nested_top = (uint64_t)(uintptr_t)&s->vc_nested[RT_STACK_SIZE];
	arch_desc_init_cpu(&pc->desc, tops);
	percpu_set_fs(pc); /* a null FS selector may clear the base */
	arch_idt_load();
	(void)arch_fpu_enable();
	svsm_ghcb_setup();
	con_printf("smp: CPU %u (APIC ID %u) up at VMPL0\n", pc->cpu_index,
		   pc->apic_id);
	__atomic_fetch_add(&cpus_online, 1, __ATOMIC_RELEASE);
	ap_serve(pc);
}

/* The VMPL0 state an AP starts in: the BSP's paging and IDT, 64-bit. */
static void build_ap_vmsa(struct snp_vmsa *v, struct percpu *pc,
			  uint64_t features)
{
	struct desc_ptr gdtr = {0}, idtr = {0};
	struct ap_stacks *s = &ap_stacks[pc->cpu_index - 1];
	uint32_t xlo = 0, xhi = 0;

	__asm__ volatile("sgdt %0; sidt %1" : "=m"(gdtr), "=m"(idtr));
	vmsa_reset_state(v, 0, features);
	vmsa_long_mode(v, GDT_SEL_CODE64, GDT_SEL_DATA, read_cr3());
	v->fs.base = (uint64_t)(uintptr_t)pc;
	vmsa_seg_set(&v->gdtr, 0, 0, gdtr.limit, gdtr.base);
	vmsa_seg_set(&v->idtr, 0, 0, idtr.limit, idtr.base);
	/* The BSP's own control state (SSE/XSAVE enables, EFER as running). */
	v->cr0 = read_cr0();
	v->cr4 = read_cr4();
	v->efer = rdmsr(MSR_EFER) | VMSA_EFER_SVME;
	/* XGETBV is #UD without CR4.OSXSAVE (snpemu cpu=noxsave, which the
	 * Linux image runs with): XCR0 keeps its reset value then. */
	if ((v->cr4 & X86_CR4_OSXSAVE) != 0) {
		__asm__ volatile("xgetbv" : "=a"(xlo), "=d"(xhi) : "c"(0));
		v->xcr0 = (uint64_t)xhi << 32 | xlo;
	}
	v->x87_fcw = VMSA_FNINIT_X87_FCW;
	v->x87_ftw = 0;
	v->rip = (uint64_t)(uintptr_t)ap_main;
	/* As after a call: 16-byte aligned minus the return address. */
	v->rsp = (uint64_t)(uintptr_t)&s->stack[RT_STACK_SIZE] - 8;
	v->rdi = (uint64_t)(uintptr_t)pc;
}

uint32_t smp_start_aps(uint32_t vp_count)
{
	/* The APs run with the BSP's own SEV features (SEV_STATUS[63:2]). */
	uint64_t features = rdmsr(MSR_SEV_STATUS) >> 2;
	uint32_t want = 1;

	if (vp_count > SMP_MAX_APS + 1) {
		con_printf("smp: %u vCPUs, starting %u\n", vp_count,
			   SMP_MAX_APS + 1);
		vp_count = SMP_MAX_APS + 1;
	}
	for (uint32_t id = 1; id < vp_count; id++) {
		struct percpu *pc = &ap_percpu[id - 1];
		struct snp_vmsa *v = mem_alloc_vmsa();
		uint32_t rc = 0;

		if (v == NULL) {
			panic("smp: no page for APIC ID %u's VMSA", id);
		}
		memset(pc, 0, sizeof(*pc));
		pc->self = pc;
		pc->cpu_index = id;
		pc->apic_id = id;
		percpu_init_canary(pc);
		plat_snp_init_cpu(pc);
		build_ap_vmsa(v, pc, features);
		/* The VMSA bit through VMPL1's entry, as for the guest's. */
		rc = mem_make_vmsa(v);
		if (rc != SNP_RC_SUCCESS) {
			panic("smp: RMPADJUST VMSA %llx: rc %u",
			      (unsigned long long)mem_pa(v), rc);
		}
		if (!ghcb_ap_create(id, 0, SVM_VMGEXIT_AP_CREATE, mem_pa(v),
				    features)) {
			panic("smp: the hypervisor refused APIC ID %u", id);
		}
		want++;
	}
	/* Bounded: an AP that never reports in is a broken host. */
	for (uint64_t spins = 0; smp_cpus_online() < want; spins++) {
		if (spins > UINT64_C(100000000)) {
			panic("smp: %u of %u CPUs came up", smp_cpus_online(),
			      want);
		}
		cpu_relax();
	}
	aps_started = want - 1;
	return aps_started;
}

void smp_register_aps(uint8_t guest_vmpl, uint64_t sev_features)
{
	for (uint32_t id = 1; id <= aps_started; id++) {
		svsm_vcpu_add_ap(id, guest_vmpl, sev_features);
	}
	__atomic_store_n(&aps_serve, true, __ATOMIC_RELEASE);
}

bool smp_vmsa_served(uint64_t gpa)
{
	if (__atomic_load_n(&svsm_bsp_percpu.guest_vmsa_gpa,
			    __ATOMIC_ACQUIRE) == gpa) {
		return true;
	}
	for (uint32_t i = 0; i < aps_started; i++) {
		if (__atomic_load_n(&ap_percpu[i].guest_vmsa_gpa,
				    __ATOMIC_ACQUIRE) == gpa) {
			return true;
		}
	}
	return false;
}
