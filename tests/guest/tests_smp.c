// SPDX-License-Identifier: MIT
/*
 * A second vCPU through the SVSM (issue 13), as Linux's SNP AP boot under
 * an SVSM does it (Linux: arch/x86/coco/sev/core.c, wakeup_cpu_via_vmgexit
 * -> snp_set_vmsa -> SVSM_CORE_CREATE_VCPU, then AP_CREATION at its own
 * VMPL with SW_EXITINFO1 = APIC ID << 32 | VMPL << 16 | AP_CREATE): a VMSA
 * for APIC ID 1 at VMPL2 that starts in 64-bit mode on this guest's page
 * tables, with a calling area of its own. The AP then makes core calls in a
 * loop; the SVSM context of vCPU 1 (src/smp.c) serves them while vCPU 0's
 * calls continue here. Every AP call is checked and counted by the AP;
 * the counts must add up (nothing lost, nothing doubled).
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
#define AP_CALLS 2000u
#define AP_STACK 16384
#define MSR_EFER_NR 0xc0000080u

extern struct ghcb *guest_ghcb_shared; /* main.c */
extern uint64_t guest_ghcb_gpa;

/* Two pages: one of them is not 2 MiB aligned (SNP erratum). */
static uint8_t ap_vmsa_pages[2][4096] __attribute__((aligned(4096)));
static struct svsm_caa ap_caa __attribute__((aligned(4096)));
static uint8_t ap_stack[AP_STACK] __attribute__((aligned(16)));
static volatile uint64_t ap_ok, ap_bad, ap_pending_left, ap_done;

/* One QUERY_PROTOCOL(core, v1) from the AP through its own CAA. */
static bool ap_query(void)
{
	uint64_t rax = CORE(SVSM_CORE_QUERY_PROTOCOL);
	uint64_t rcx = SVSM_QUERY_PROTOCOL_ARG(0, 1);

	wrmsr(MSR_GHCB, GHCB_MSR_RUN_VMPL(0));
	__atomic_store_n(&ap_caa.call_pending, 1, __ATOMIC_SEQ_CST);
	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xd9"
			 : "+a"(rax), "+c"(rcx)
			 :
			 : "rdx", "r8", "r9", "memory");
	if (__atomic_exchange_n(&ap_caa.call_pending, 0, __ATOMIC_SEQ_CST)) {
		ap_pending_left++;
	}
	return rax == SVSM_SUCCESS && rcx == ((UINT64_C(1) << 32) | 1);
}

/* The AP (vCPU 1, VMPL2): no IDT of its own, so nothing that could #VC. */
__attribute__((noreturn, used)) static void ap_main(void)
{
	for (uint32_t i = 0; i < AP_CALLS; i++) {
		if (ap_query()) {
			ap_ok++;
		} else {
			ap_bad++;
		}
	}
	__atomic_store_n(&ap_done, 1, __ATOMIC_RELEASE);
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

static void build_ap_vmsa(struct snp_vmsa *v)
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
	v->rsp = (uint64_t)(uintptr_t)&ap_stack[AP_STACK] - 8;
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
	v->g_pat = UINT64_C(0x0007040600070406);
	v->xcr0 = 1;
	v->vmpl = 2;
	v->sev_features = SEV_FEAT_SNP_ACTIVE;
}

TEST(smp, ap_calls)
{
	uint64_t vmsa = (uint64_t)(uintptr_t)ap_vmsa_pages[0];
	uint64_t caa = (uint64_t)(uintptr_t)&ap_caa;
	uint64_t rax = 0, mine = 0;

	if ((vmsa & ((UINT64_C(2) << 20) - 1)) == 0) {
		vmsa += 4096;
	}
	build_ap_vmsa((struct snp_vmsa *)(uintptr_t)vmsa);
	memset(&ap_caa, 0, sizeof(ap_caa));
	rax = gcall3(CORE(SVSM_CORE_CREATE_VCPU), vmsa, caa, 1);
	if (rax == SVSM_ERR_INVALID_PARAMETER) {
		/* One vCPU: there is no APIC ID 1 to create. */
		con_printf("# smp: one vCPU, APIC ID 1 refused\n");
		EXPECT_EQ(rax, SVSM_ERR_INVALID_PARAMETER);
		return;
	}
	EXPECT_RAX(rax, SVSM_SUCCESS, "create_vcpu: APIC ID 1");
	ASSERT(rax == SVSM_SUCCESS);
	/* The running AP's VMSA is in use: DELETE_VCPU must refuse it once
	 * it runs; before AP_CREATION the AP may not have claimed it yet, so
	 * the race is checked after the AP has made calls. */
	EXPECT_EQ(ap_create(1, vmsa, SEV_FEAT_SNP_ACTIVE), 0);
	/* Calls from this vCPU go on meanwhile. */
	while (!__atomic_load_n(&ap_done, __ATOMIC_ACQUIRE)) {
		if (gcall3(CORE(SVSM_CORE_QUERY_PROTOCOL),
			   SVSM_QUERY_PROTOCOL_ARG(0, 1), 0,
			   0) == SVSM_SUCCESS) {
			mine++;
		}
		if (mine > 1000000) {
			break; /* the AP never finished: fails below */
		}
	}
	con_printf("# smp: AP %llu calls ok, %llu bad; vCPU 0 %llu calls\n",
		   (unsigned long long)ap_ok, (unsigned long long)ap_bad,
		   (unsigned long long)mine);
	EXPECT_EQ(ap_done, 1);
	EXPECT_EQ(ap_ok, AP_CALLS);
	EXPECT_EQ(ap_bad, 0);
	EXPECT_EQ(ap_pending_left, 0);
	EXPECT(mine > 0);
	/* DELETE_VCPU of the VMSA vCPU 1 runs: in use, refused. */
	EXPECT_RAX(gcall3(CORE(SVSM_CORE_DELETE_VCPU), vmsa, 0, 0),
		   SVSM_ERR_PROTOCOL_BASE + SNP_RC_FAIL_INUSE,
		   "delete_vcpu: the VMSA another vCPU runs");
}
