// SPDX-License-Identifier: MIT
/*
 * snpemu test payload: the fidelity rows of docs/snpemu.md, one per run
 * (arg = 4 | row << 4). Each row asserts what SNP hardware (or KVM, where
 * the hypervisor decides) does, so that it fails if snpemu becomes more
 * lenient again. Rows whose hardware answer is "the VM stops" print their
 * TAP first and then do the forbidden thing; tests/emu/test_fidelity.py
 * checks the stop report.
 */
#include "lib/compiler.h"
#include "lib/fmt.h"
#include "lib/string.h"

#include "svsm/abi/ghcb.h"
#include "svsm/abi/ghcb_nae.h"
#include "svsm/abi/snp.h"
#include "svsm/abi/vmsa.h"

#include "guest.h"
#include "payload.h"

static uint8_t fid_page[4096] __aligned(4096);
static uint8_t fid_code[4096] __aligned(4096);

#define VA(p) ((uint64_t)(uintptr_t)(p))

/* INVLPGB (0F 01 FE): RAX[3] = include global, RAX[0] = VA valid. */
static inline void invlpgb(uint64_t rax, uint32_t ecx)
{
	__asm__ volatile(".byte 0x0f, 0x01, 0xfe" ::"a"(rax), "c"(ecx), "d"(0)
			 : "memory");
}

static inline void tlbsync(void)
{
	__asm__ volatile(".byte 0x0f, 0x01, 0xff" ::: "memory");
}

#define INVLPGB_VA (UINT64_C(1) << 0)
#define INVLPGB_GLOBAL (UINT64_C(1) << 3)

static uint64_t run_vmpl2(void)
{
	return ghcb_call(SVM_VMGEXIT_SNP_RUN_VMPL, 2, 0);
}

/* VMPL2 (entry.S v2_cmd_loop) does @cmd on @va: 1 read, 2 call. */
static uint64_t v2_cmd(uint64_t cmd, const void *va)
{
	v2_results.cmd = cmd;
	v2_results.cmd_addr = VA(va);
	v2_results.cmd_val = UINT64_MAX;
	(void)run_vmpl2();
	return v2_results.cmd_val;
}

#define v2_read(va) v2_cmd(1, (va))
#define v2_call(va) v2_cmd(2, (va))

static bool v2_cmd_setup(void)
{
	bool ok = vmpl2_setup(3);

	return ok && run_vmpl2() == 0; /* VMPL2 initialises, then waits */
}

static void expect_stop(const char *what)
{
	out("# fidelity: %s; snpemu must stop the VM now\n", what);
}

/* S1: AP creation takes the VMPL from SW_EXITINFO1[19:16]. */
static void s1_ap_creation_vmpl(void)
{
	struct snp_vmsa *v = (struct snp_vmsa *)vmsa2_page;
	uint64_t g = gpa_of(vmsa2_page);
	bool ok = vmpl2_grant();

	vmpl2_build_vmsa(v, VA(v2_entry));
	v2_results.mode = 0;
	v2_results.ghcb_gpa = gpa_of(ghcb2_page);
	EXPECT_EQ(rmpadjust(VA(v), 0, 1 | RMPADJ_VMSA), 0);
	/* VMPL0 of the only vCPU cannot be replaced. */
	EXPECT_EQ(ap_create(0, SVM_VMGEXIT_AP_CREATE, g, SEV_FEAT_SNP_ACTIVE),
		  GHCB_RESULT_ERROR);
	/* The hypervisor does not read the VMSA: a VMPL byte of 3 in a VMSA
	 * created for VMPL2 is accepted here (and would fail at VMRUN). */
	v->vmpl = 3;
	EXPECT_EQ(ap_create(2, SVM_VMGEXIT_AP_CREATE, g, SEV_FEAT_SNP_ACTIVE),
		  0);
	/* ... and it created VMPL2's context, not VMPL3's. */
	EXPECT_EQ(ghcb_call(SVM_VMGEXIT_SNP_RUN_VMPL, 3, 0), GHCB_RESULT_ERROR);
	v->vmpl = 2;
	/* The interrupt-injection mode of a VMPL is fixed by its first AP
	 * creation (KVM sev_snp_ap_creation). */
	EXPECT_EQ(ap_create(2, SVM_VMGEXIT_AP_CREATE, g,
			    SEV_FEAT_SNP_ACTIVE | SEV_FEAT_RESTRICTED_INJ),
		  GHCB_RESULT_ERROR);
	EXPECT_EQ(ap_create(2, SVM_VMGEXIT_AP_CREATE, g, SEV_FEAT_SNP_ACTIVE),
		  0);
	/* It runs at VMPL2 and comes back (entry.S mode 0). */
	EXPECT_EQ(run_vmpl2(), 0);
	EXPECT_EQ(v->guest_exit_code, SVM_EXIT_VMGEXIT);
	EXPECT_EQ(v->rax, 0x1234);
	report(ok,
	       "fidelity/s1_ap_creation_vmpl: VMPL from SW_EXITINFO1, "
	       "VMSA not read, VMPL0 not replaceable");
}

/* S4: a VMSA that cannot run stops the VM at VMRUN. */
static void s4_unrunnable_vmsa(void)
{
	struct snp_vmsa *v = (struct snp_vmsa *)vmsa2_page;
	bool ok = vmpl2_grant();

	vmpl2_build_vmsa(v, VA(v2_entry));
	v->efer &= ~VMSA_EFER_SVME;
	EXPECT_EQ(rmpadjust(VA(v), 0, 1 | RMPADJ_VMSA), 0);
	EXPECT_EQ(ap_create(2, SVM_VMGEXIT_AP_CREATE, gpa_of(v),
			    SEV_FEAT_SNP_ACTIVE),
		  0);
	report(ok,
	       "fidelity/s4_unrunnable_vmsa: AP creation of a VMSA with "
	       "EFER.SVME clear is accepted");
	expect_stop("RUN_VMPL to a VMSA with EFER.SVME clear");
	(void)run_vmpl2();
	out("# fidelity: RUN_VMPL returned 0x%llx\n",
	    (unsigned long long)ghcb->sw_exit_info_1);
}

/* Private, validated, VMSA-marked page at @va for AP creation. */
static bool make_vmsa_page(uint64_t va)
{
	bool cf = false;
	uint64_t gfn = va >> 12;

	if (msr_proto(GHCB_MSR_PSC(gfn, GHCB_MSR_PSC_OP_PRIVATE)) !=
		    GHCB_MSR_PSC_RESP ||
	    pvalidate(va, 0, 1, &cf) != 0) {
		return false;
	}
	vmpl2_build_vmsa((void *)(uintptr_t)va, VA(v2_entry));
	return rmpadjust(va, 0, 1 | RMPADJ_VMSA) == 0;
}

/* S5: a 2 MiB-aligned VMSA is refused at AP creation, like KVM. */
static void s5_vmsa_2m_aligned(void)
{
	uint64_t va = 0x1000000; /* 16 MiB: outside the payload */
	bool ok = vmpl2_grant();

	EXPECT_EQ(make_vmsa_page(va), 1);
	EXPECT_EQ(make_vmsa_page(va + 0x1000), 1);
	EXPECT_EQ(ap_create(2, SVM_VMGEXIT_AP_CREATE, va, SEV_FEAT_SNP_ACTIVE),
		  GHCB_RESULT_ERROR);
	EXPECT_EQ(ap_create(2, SVM_VMGEXIT_AP_CREATE, va + 0x1000,
			    SEV_FEAT_SNP_ACTIVE),
		  0);
	report(ok,
	       "fidelity/s5_vmsa_2m_aligned: refused; its 4K neighbour "
	       "is accepted");
}

/* S8: #VC for DR7, RDPMC, INVD, WBINVD, MONITOR, MWAIT. */
static void s8_vc_sources(void)
{
	static const struct {
		uint64_t code;
		unsigned len;
	} want[] = {
		{SVM_EXIT_READ_DR7, 3}, {SVM_EXIT_WRITE_DR7, 3},
		{SVM_EXIT_RDPMC, 2},    {SVM_EXIT_INVD, 2},
		{SVM_EXIT_WBINVD, 2},   {SVM_EXIT_MONITOR, 3},
		{SVM_EXIT_MWAIT, 3},
	};
	uint64_t seen[ARRAY_SIZE(want)] = {0};
	bool ok = true;
	unsigned i = 0;

#define VC_STEP(insn)                                             \
	do {                                                      \
		exc_err = 0;                                      \
		vc_skip = want[i].len;                            \
		__asm__ volatile(                                 \
			"mov $0x400, %%eax; xor %%ecx, %%ecx; "   \
			"xor %%edx, %%edx; " insn ::              \
				: "rax", "rcx", "rdx", "memory"); \
		seen[i] = exc_vector == 29 ? exc_err : 0;         \
		i++;                                              \
	} while (0)
	VC_STEP("mov %%dr7, %%rax");
	VC_STEP("mov %%rax, %%dr7");
	VC_STEP("rdpmc");
	VC_STEP("invd");
	VC_STEP("wbinvd");
	VC_STEP("monitor");
	VC_STEP("mwait");
#undef VC_STEP
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		EXPECT_EQ(seen[i], want[i].code);
	}
	/* The NAE events Linux's #VC handler then sends. */
	ghcb_prepare(SVM_EXIT_WRITE_DR7, 0, 0);
	ghcb->rax = 0x400;
	ghcb_set_valid(offsetof(struct ghcb, rax));
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_1, 0);
	ghcb_prepare(SVM_EXIT_RDPMC, 0, 0);
	ghcb->rcx = 0;
	ghcb_set_valid(offsetof(struct ghcb, rcx));
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_1, GHCB_RESULT_EXCEPTION);
	EXPECT_EQ(ghcb->sw_exit_info_2 & 0xff, 13);
	EXPECT_EQ(ghcb_call(SVM_EXIT_WBINVD, 0, 0), 0);
	ghcb_prepare(SVM_EXIT_MWAIT, 0, 0);
	ghcb->rax = 0;
	ghcb->rcx = 0;
	ghcb_set_valid(offsetof(struct ghcb, rax));
	ghcb_set_valid(offsetof(struct ghcb, rcx));
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_1, GHCB_RESULT_EXCEPTION);
	EXPECT_EQ(ghcb->sw_exit_info_2 & 0xff, 6);
	report(ok,
	       "fidelity/s8_vc_sources: #VC 0x27/0x37/0x6f/0x76/0x89/"
	       "0x8a/0x8b and their NAE events");
}

/* S12: PSC to private of a private page leaves it validated (KVM). */
static void s12_psc_private_twice(void)
{
	uint64_t va = 0x1200000, gfn = va >> 12, rdx = 0, rcx = 0;
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)va;
	bool ok = true, cf = false;

	EXPECT_EQ(msr_proto(GHCB_MSR_PSC(gfn, GHCB_MSR_PSC_OP_PRIVATE)),
		  GHCB_MSR_PSC_RESP);
	EXPECT_EQ(pvalidate(va, 0, 1, &cf), 0);
	EXPECT_EQ(cf, 0);
	*p = 0x512;
	EXPECT_EQ(msr_proto(GHCB_MSR_PSC(gfn, GHCB_MSR_PSC_OP_PRIVATE)),
		  GHCB_MSR_PSC_RESP);
	/* Still validated: "already validated" (CF=1), contents kept. */
	EXPECT_EQ(pvalidate(va, 0, 1, &cf), 0);
	EXPECT_EQ(cf, 1);
	EXPECT_EQ(*p, 0x512);
	EXPECT_EQ(rmpquery(va, &rdx, &rcx), 0);
	report(ok,
	       "fidelity/s12_psc_private_twice: the RMP entry and the "
	       "Validated bit stay");
}

/* L4: 4K PVALIDATE/RMPADJUST inside a 2M RMP entry split it (KVM). */
static void l4_implicit_psmash(void)
{
	uint64_t va = 0xa00000, va2 = 0xc00000, rdx = 2, rcx = 0;
	struct ghcb_psc_hdr *h = (void *)ghcb->shared_buffer;
	uint64_t *ent = (uint64_t *)(h + 1);
	bool ok = true, cf = false;

	h->cur_entry = 0;
	h->end_entry = 1;
	ent[0] = va | ((uint64_t)GHCB_MSR_PSC_OP_PRIVATE << 52) |
		 (UINT64_C(1) << 56);
	ent[1] = va2 | ((uint64_t)GHCB_MSR_PSC_OP_PRIVATE << 52) |
		 (UINT64_C(1) << 56);
	ghcb_prepare(SVM_VMGEXIT_PSC, 0, 0);
	set_scratch();
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2, 0);
	EXPECT_EQ(pvalidate(va, 1, 1, &cf), 0);
	EXPECT_EQ(pvalidate(va2, 1, 1, &cf), 0);
	/* 4K rescind inside the 2M entry: split, then done. */
	EXPECT_EQ(pvalidate(va + 0x1000, 0, 0, &cf), 0);
	EXPECT_EQ(cf, 0);
	EXPECT_EQ(rmpquery(va + 0x2000, &rdx, &rcx), 0);
	EXPECT_EQ(rcx, SNP_PAGE_SIZE_4K);
	EXPECT_EQ(pvalidate(va, 1, 1, &cf), SNP_RC_FAIL_SIZEMISMATCH);
	/* 4K RMPADJUST inside a 2M entry: split, then done. */
	EXPECT_EQ(rmpadjust(va2 + 0x3000, 0, 2 | RMPADJ_READ), 0);
	rdx = 2;
	EXPECT_EQ(rmpquery(va2 + 0x3000, &rdx, &rcx), 0);
	EXPECT_EQ(rdx, 2 | RMPADJ_READ);
	EXPECT_EQ(rcx, SNP_PAGE_SIZE_4K);
	report(ok,
	       "fidelity/l4_implicit_psmash: 4K PVALIDATE and RMPADJUST "
	       "inside a 2M RMP entry succeed");
}

/* S2: revoked permissions stay cached until INVLPGB + TLBSYNC. */
static void s2_tlb_flush(void)
{
	volatile uint64_t *p = (volatile uint64_t *)fid_page;
	uint64_t cr3 = 0;
	bool ok = v2_cmd_setup();

	*p = 0x5151;
	EXPECT_EQ(rmpadjust(VA(fid_page), 0, 2 | RMPADJ_READ), 0);
	EXPECT_EQ(v2_read(fid_page), 0x5151);
	EXPECT_EQ(rmpadjust(VA(fid_page), 0, 2), 0);
	/* No flush: VMPL2's cached permission still reads. */
	EXPECT_EQ(v2_read(fid_page), 0x5151);
	/* Too weak: a local CR3 reload, a non-global INVLPGB, an INVLPGB
	 * without TLBSYNC. */
	__asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3)::"memory");
	EXPECT_EQ(v2_read(fid_page), 0x5151);
	invlpgb(0, 0);
	tlbsync();
	EXPECT_EQ(v2_read(fid_page), 0x5151);
	invlpgb(INVLPGB_GLOBAL, 0);
	EXPECT_EQ(v2_read(fid_page), 0x5151);
	report(ok,
	       "fidelity/s2_tlb_flush: a revoked permission stays "
	       "cached without INVLPGB(global)+TLBSYNC");
	tlbsync();
	expect_stop("VMPL2 reads the revoked page after INVLPGB+TLBSYNC");
	(void)v2_read(fid_page);
}

/*
 * S2 across vCPUs (-smp 2): vCPU 1 runs a VMPL2 loop that reads a page
 * while vCPU 0 (VMPL0) revokes VMPL2's read permission. The revocation
 * must wait for a flush that reaches vCPU 1 too: vCPU 0's own CR3 reload
 * and an INVLPGB without its TLBSYNC leave vCPU 1 reading; INVLPGB(global)
 * + TLBSYNC ends it (snpemu stops the VM at vCPU 1's next read).
 */
struct smp_reader {
	uint64_t reads, addr, val;
};
static volatile struct smp_reader smp_reader
	__attribute__((section(".vmpl2_data"), aligned(64)));
static uint8_t ap_vmsa_page[4096] __aligned(4096);

__asm__(".pushsection .vmpl2_text, \"ax\"\n"
	"smp_ap_reader:\n"
	"1:	movq smp_reader + 8(%rip), %rdi\n"
	"	movq (%rdi), %rax\n"
	"	movq %rax, smp_reader + 16(%rip)\n"
	"	lock incq smp_reader(%rip)\n"
	"	jmp 1b\n"
	".popsection\n");
extern uint8_t smp_ap_reader[];

/* Did vCPU 1 read at least once more (bounded wait: vCPU 0 spins until
 * snpemu's scheduler gives vCPU 1 its turn)? */
static bool ap_reads_again(void)
{
	uint64_t start = smp_reader.reads;

	for (uint64_t i = 0; i < UINT64_C(200000000); i++) {
		if (smp_reader.reads - start >= 2) {
			return true;
		}
		__asm__ volatile("pause" ::: "memory");
	}
	return false;
}

static void s2_tlb_flush_smp(void)
{
	volatile uint64_t *p = (volatile uint64_t *)fid_page;
	struct snp_vmsa *v = (struct snp_vmsa *)ap_vmsa_page;
	uint64_t cr3 = 0;
	bool ok = vmpl2_grant();

	*p = 0x5252;
	smp_reader.addr = VA(fid_page);
	EXPECT_EQ(rmpadjust(VA(fid_page), 0, 2 | RMPADJ_READ), 0);
	vmpl2_build_vmsa(v, VA(smp_ap_reader));
	EXPECT_EQ(rmpadjust(VA(v), 0, 1 | RMPADJ_VMSA), 0);
	/* No vCPU with APIC ID 2 under -smp 2; INIT is not modelled. */
	EXPECT_EQ(ap_create_on(2, 2, SVM_VMGEXIT_AP_CREATE, gpa_of(v),
			       SEV_FEAT_SNP_ACTIVE),
		  GHCB_RESULT_ERROR);
	EXPECT_EQ(ap_create_on(1, 2, SVM_VMGEXIT_AP_CREATE_ON_INIT, gpa_of(v),
			       SEV_FEAT_SNP_ACTIVE),
		  GHCB_RESULT_ERROR);
	EXPECT_EQ(ap_create_on(1, 2, SVM_VMGEXIT_AP_CREATE, gpa_of(v),
			       SEV_FEAT_SNP_ACTIVE),
		  0);
	EXPECT_EQ(ap_reads_again(), true);
	EXPECT_EQ(smp_reader.val, 0x5252);
	EXPECT_EQ(rmpadjust(VA(fid_page), 0, 2), 0);
	/* No flush: vCPU 1's cached permission still reads. */
	EXPECT_EQ(ap_reads_again(), true);
	/* Too weak: vCPU 0's own CR3 reload, INVLPGB without TLBSYNC. */
	__asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3)::"memory");
	EXPECT_EQ(ap_reads_again(), true);
	invlpgb(INVLPGB_GLOBAL, 0);
	EXPECT_EQ(ap_reads_again(), true);
	report(ok,
	       "fidelity/s2_tlb_flush_smp: another vCPU keeps a revoked "
	       "permission until INVLPGB(global)+TLBSYNC");
	expect_stop("vCPU 1 reads the revoked page after INVLPGB+TLBSYNC");
	tlbsync();
	(void)ap_reads_again();
	out("# fidelity: vCPU 1 still reads after the flush\n");
}

/*
 * F6 (issue 14 finding 6), with two vCPUs. A page-state change to shared
 * is RMPUPDATE, which converts a VMSA page no vCPU runs like any page and
 * fails (FAIL_INUSE) only for a VMSA inside VMRUN (emu/gmem_rule.c,
 * gmem_psc, with the references). vCPU 0 converts two VMSA pages no vCPU
 * runs (MSR protocol and PSC event); the VMSA vCPU 1 runs is refused and
 * stays a VMSA; then vCPU 1 converts its own VMSA, which it is not
 * running while the host handles that exit, so the VMRUN that would
 * resume it fails: the VM stops.
 */
struct f6_ap {
	uint64_t spins, psc_req, psc_resp;
};
static volatile struct f6_ap f6_ap
	__attribute__((section(".vmpl2_data"), aligned(64)));

/* vCPU 1 at VMPL2: counts until psc_req is set, then sends it (GHCB MSR
 * protocol: WRMSR to the GHCB MSR, VMGEXIT). */
__asm__(".pushsection .vmpl2_text, \"ax\"\n"
	"f6_ap_loop:\n"
	"1:	lock incq f6_ap(%rip)\n"
	"	movq f6_ap + 8(%rip), %rax\n"
	"	testq %rax, %rax\n"
	"	jz 1b\n"
	"	movq %rax, %rdx\n"
	"	shrq $32, %rdx\n"
	"	movl $0xc0010130, %ecx\n"
	"	wrmsr\n"
	"	.byte 0xf3, 0x0f, 0x01, 0xd9\n"
	"	movl $0xc0010130, %ecx\n"
	"	rdmsr\n"
	"	shlq $32, %rdx\n"
	"	orq %rdx, %rax\n"
	"	movq %rax, f6_ap + 16(%rip)\n"
	"2:	jmp 2b\n"
	".popsection\n");
extern uint8_t f6_ap_loop[];

static bool f6_ap_spins(void)
{
	uint64_t start = f6_ap.spins;

	for (uint64_t i = 0; i < UINT64_C(200000000); i++) {
		if (f6_ap.spins - start >= 2) {
			return true;
		}
		__asm__ volatile("pause" ::: "memory");
	}
	return false;
}

static void f6_psc_vmsa_shared(void)
{
	uint64_t va = 0x1000000 + 0x1000, rdx = 0, rcx = 0;
	uint64_t ap = gpa_of(ap_vmsa_page);
	struct ghcb_psc_hdr *h = (void *)ghcb->shared_buffer;
	uint64_t *ent = (uint64_t *)(h + 1);
	bool ok = vmpl2_grant(), cf = false;

	/* A VMSA page no vCPU runs: converted, the VMSA bit gone with it. */
	EXPECT_EQ(make_vmsa_page(va), 1);
	EXPECT_EQ(msr_proto(GHCB_MSR_PSC(va >> 12, GHCB_MSR_PSC_OP_SHARED)),
		  GHCB_MSR_PSC_RESP);
	EXPECT_EQ(pvalidate(va, 0, 0, &cf), SNP_RC_FAIL_INPUT);
	EXPECT_EQ(make_vmsa_page(va + 0x1000), 1);
	h->cur_entry = 0;
	h->end_entry = 0;
	ent[0] = (va + 0x1000) | ((uint64_t)GHCB_MSR_PSC_OP_SHARED << 52);
	ghcb_prepare(SVM_VMGEXIT_PSC, 0, 0);
	set_scratch();
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2, 0);
	EXPECT_EQ(h->cur_entry, 1);
	EXPECT_EQ(pvalidate(va + 0x1000, 0, 0, &cf), SNP_RC_FAIL_INPUT);
	/* The VMSA vCPU 1 runs: refused, still a private validated VMSA. */
	f6_ap.psc_req = 0;
	vmpl2_build_vmsa(ap_vmsa_page, VA(f6_ap_loop));
	EXPECT_EQ(rmpadjust(VA(ap_vmsa_page), 0, 1 | RMPADJ_VMSA), 0);
	EXPECT_EQ(ap_create_on(1, 2, SVM_VMGEXIT_AP_CREATE, ap,
			       SEV_FEAT_SNP_ACTIVE),
		  0);
	EXPECT_EQ(f6_ap_spins(), true);
	EXPECT_EQ(msr_proto(GHCB_MSR_PSC(ap >> 12, GHCB_MSR_PSC_OP_SHARED)) ==
			  GHCB_MSR_PSC_RESP,
		  0);
	h->cur_entry = 0;
	h->end_entry = 0;
	ent[0] = ap | ((uint64_t)GHCB_MSR_PSC_OP_SHARED << 52);
	ghcb_prepare(SVM_VMGEXIT_PSC, 0, 0);
	set_scratch();
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2 == 0, 0);
	EXPECT_EQ(h->cur_entry, 0);
	EXPECT_EQ(rmpquery(VA(ap_vmsa_page), &rdx, &rcx), 0);
	EXPECT_EQ(rdx & RMPADJ_VMSA, RMPADJ_VMSA);
	EXPECT_EQ(f6_ap_spins(), true);
	report(ok,
	       "fidelity/f6_psc_vmsa_shared: a VMSA no vCPU runs is "
	       "converted (MSR protocol and PSC event); another vCPU's "
	       "running VMSA is refused");
	expect_stop("vCPU 1 makes its own VMSA shared");
	f6_ap.psc_req = GHCB_MSR_PSC(ap >> 12, GHCB_MSR_PSC_OP_SHARED);
	(void)f6_ap_spins();
	out("# fidelity: vCPU 1 still runs, PSC answer 0x%llx\n",
	    (unsigned long long)f6_ap.psc_resp);
}

/* S3: supervisor fetches need XS; XU alone does not do. */
static void s3_user_exec(void)
{
	static const uint8_t ret42[] = {0xb8, 0x2a, 0, 0, 0, 0xc3};
	bool ok = v2_cmd_setup();

	memcpy(fid_code, ret42, sizeof(ret42));
	EXPECT_EQ(rmpadjust(VA(fid_code), 0,
			    2 | RMPADJ_READ | RMPADJ_XU | RMPADJ_XS),
		  0);
	EXPECT_EQ(v2_call(fid_code), 42);
	EXPECT_EQ(rmpadjust(VA(fid_code), 0, 2 | RMPADJ_READ | RMPADJ_XU), 0);
	invlpgb(INVLPGB_GLOBAL, 0);
	tlbsync();
	report(ok, "fidelity/s3_user_exec: XU|XS runs at CPL0");
	expect_stop("VMPL2 at CPL0 calls a page granted XU only");
	(void)v2_call(fid_code);
}

/* S6: the running VMPL's own VMSA is not accessible. */
static void s6_vmsa_in_use(uint64_t vmsa0_gpa)
{
	volatile uint64_t *v0 = (volatile uint64_t *)(uintptr_t)vmsa0_gpa;
	struct snp_vmsa *v2 = (struct snp_vmsa *)vmsa2_page;
	bool ok = v2_cmd_setup();

	/* VMPL2's VMSA while VMPL2 does not run: readable, as the SVSM
	 * needs it (docs/abi.md §1.4). */
	EXPECT_EQ(v2->vmpl, 2);
	report(ok, "fidelity/s6_vmsa_in_use: a VMSA not in use is readable");
	expect_stop("VMPL0 reads its own VMSA");
	out("# read 0x%llx\n", (unsigned long long)*v0);
}

/*
 * L5: a page-table walk through a C-bit-less GPA is private (APM vol. 2
 * §15.34.5) and works; a data read of that page through its C-bit-less GPA
 * is an RMP violation, also after such a walk (snpemu aliases the page for
 * the walk only until the next exit, docs/snpemu.md §3).
 */
static void l5_cbitless_alias(void)
{
	volatile uint64_t *pml4_shared =
		(volatile uint64_t *)((uintptr_t)pml4 + SHARED_ALIAS);
	bool ok = true;

	EXPECT_EQ(read_secret_cbitless_cr3(), 0x5ec2e7);
	report(ok,
	       "fidelity/l5_cbitless_alias: a walk through a C-bit-less "
	       "CR3 reads the private PML4");
	expect_stop("VMPL0 reads its PML4 page through the C-bit-less GPA");
	out("# read 0x%llx\n", (unsigned long long)*pml4_shared);
}

/* S7: a private access to a shared page converts it (KVM), #VC 0x404. */
static void s7_private_access_shared(void)
{
	volatile uint64_t *p = (volatile uint64_t *)fid_page;
	uint64_t before = exc_count, v = 0, rdx = 0, rcx = 0;
	bool ok = make_shared(fid_page);

	EXPECT_EQ(rmpquery(VA(fid_page), &rdx, &rcx), SNP_RC_FAIL_INPUT);
	revalidate_va = VA(fid_page);
	v = *p;
	EXPECT_EQ(exc_count - before, 1);
	EXPECT_EQ(exc_vector, 29);
	EXPECT_EQ(exc_err, 0x404);
	EXPECT_EQ(exc_cr2, VA(fid_page));
	EXPECT_EQ(revalidate_va, 0);
	EXPECT_EQ(rmpquery(VA(fid_page), &rdx, &rcx), 0);
	*p = v + 1;
	EXPECT_EQ(*p, v + 1);
	report(ok,
	       "fidelity/s7_private_access_shared: implicit conversion, "
	       "then #VC 0x404");
}

void t_fidelity(unsigned row, uint64_t vmsa0_gpa)
{
	out("1..1\n");
	switch (row) {
	case 1:
		s1_ap_creation_vmpl();
		break;
	case 2:
		s2_tlb_flush();
		break;
	case 3:
		s3_user_exec();
		break;
	case 4:
		s4_unrunnable_vmsa();
		break;
	case 5:
		s5_vmsa_2m_aligned();
		break;
	case 6:
		s6_vmsa_in_use(vmsa0_gpa);
		break;
	case 7:
		s7_private_access_shared();
		break;
	case 8:
		s8_vc_sources();
		break;
	case 12:
		s12_psc_private_twice();
		break;
	case 14:
		l4_implicit_psmash();
		break;
	case 16:
		l5_cbitless_alias();
		break;
	case 17:
		f6_psc_vmsa_shared();
		break;
	case 15:
		s2_tlb_flush_smp();
		break;
	default:
		report(false, "fidelity: unknown row");
		break;
	}
}
