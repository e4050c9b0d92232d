// SPDX-License-Identifier: MIT
/*
 * snpemu test payload: VMPL2: grants, its VMSA, RUN_VMPL both ways, and
 * what VMPL2 itself saw.
 */
#include "arch/vmsa_reset.h"

#include "lib/compiler.h"
#include "lib/fmt.h"
#include "lib/string.h"

#include "svsm/abi/ghcb.h"
#include "svsm/abi/ghcb_nae.h"
#include "svsm/abi/secrets.h"
#include "svsm/abi/snp.h"
#include "svsm/abi/snp_guest_msg.h"
#include "svsm/abi/vmsa.h"

#include "guest.h"
#include "payload.h"
#include "psp_crypto.h"

static void grant(uint8_t *lo, uint8_t *hi, uint64_t perms, bool *ok)
{
	for (uint8_t *p = lo; p < hi; p += 4096) {
		if (rmpadjust((uint64_t)(uintptr_t)p, 0, 2 | perms) != 0) {
			*ok = false;
		}
	}
}

static uint64_t gdt_base(void)
{
	return (uint64_t)(uintptr_t)gdt;
}

/* A runnable VMPL2 VMSA at @page for VMPL2's program (entry.S). */
void vmpl2_build_vmsa(void *page, uint64_t rip)
{
	struct snp_vmsa *v = page;
	uint64_t cr0 = 0, cr4 = 0;

	__asm__ volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
	vmsa_reset_state(v, 2, SEV_FEAT_SNP_ACTIVE);
	vmsa_long_mode(v, 0x08, 0x10, (uint64_t)(uintptr_t)v2_pml4 | CBIT);
	vmsa_seg_set(&v->tr, 0, VMSA_SEG_TSS, 0x67,
		     (uint64_t)(uintptr_t)v2_tss);
	vmsa_seg_set(&v->gdtr, 0, 0, 23, gdt_base());
	vmsa_seg_set(&v->idtr, 0, 0, 0, 0); /* VMPL2's program has none */
	v->cr0 = cr0; /* VMPL0's own, as entry.S set them up */
	v->cr4 = cr4;
	v->rip = rip;
	v->rsp = (uint64_t)(uintptr_t)v2_stack_top;
}

/* AP_CREATION for APIC ID @apic_id (SW_EXITINFO1[63:32]) at @vmpl
 * (SW_EXITINFO1[19:16]); returns SW_EXITINFO1 (0 = accepted). */
uint64_t ap_create_on(uint32_t apic_id, unsigned vmpl, uint64_t op,
		      uint64_t gpa, uint64_t feat)
{
	ghcb_prepare(SVM_VMGEXIT_AP_CREATION,
		     op | ((uint64_t)vmpl << 16) | ((uint64_t)apic_id << 32),
		     gpa);
	ghcb->rax = feat;
	ghcb_set_valid(offsetof(struct ghcb, rax));
	vmgexit();
	return ghcb->sw_exit_info_1;
}

uint64_t ap_create(unsigned vmpl, uint64_t op, uint64_t gpa, uint64_t feat)
{
	return ap_create_on(0, vmpl, op, gpa, feat);
}

/* Grants and page tables VMPL2's program needs (entry.S). */
bool vmpl2_grant(void)
{
	bool ok = true;

	set_gate(idt2, 13, v2_gp_handler);
	set_gate_ist(idt2, 29, v2_vc_handler, 1);
	ok = make_shared(ghcb2_page);
	grant(__v2_text_start, __v2_text_end,
	      RMPADJ_READ | RMPADJ_XU | RMPADJ_XS, &ok);
	grant(__pt_start, __pt_end, RMPADJ_READ, &ok);
	grant(__v2_data_start, __v2_data_end, RMPADJ_READ | RMPADJ_WRITE, &ok);
	return ok;
}

bool vmpl2_setup(uint64_t mode)
{
	struct snp_vmsa *v = (struct snp_vmsa *)vmsa2_page;
	bool ok = true;

	v2_results.mode = mode;
	v2_results.ghcb_gpa = gpa_of(ghcb2_page);
	v2_results.attack_va = (uint64_t)(uintptr_t)&vmpl0_secret;
	ok = vmpl2_grant();
	vmpl2_build_vmsa(v, (uint64_t)(uintptr_t)v2_entry);
	/* The VMSA bit, as Linux does it: target VMPL1, no permissions. */
	if (rmpadjust((uint64_t)(uintptr_t)v, 0, 1 | RMPADJ_VMSA) != 0) {
		ok = false;
	}
	if (ap_create(2, SVM_VMGEXIT_AP_CREATE, gpa_of(v),
		      SEV_FEAT_SNP_ACTIVE) != 0) {
		ok = false;
	}
	return ok;
}

void run_vmpl2_prepare(void)
{
	ghcb_prepare(SVM_VMGEXIT_SNP_RUN_VMPL, 2, 0);
}

void t_vmpl2(void)
{
	struct snp_vmsa *v = (struct snp_vmsa *)vmsa2_page;
	bool ok = true;
	uint64_t changed = 0, xmm0 = 0;

	/* RUN_VMPL to a VMPL without a context fails cleanly. */
	EXPECT_EQ(ghcb_call(SVM_VMGEXIT_SNP_RUN_VMPL, 3, 0), GHCB_RESULT_ERROR);
	run_vmpl2_prepare();
	changed = vmgexit_check_regs();
	EXPECT_EQ(changed, 0);
	EXPECT_EQ(ghcb->sw_exit_info_1, 0);
	/* VMPL2 called back: its state is in its VMSA. */
	EXPECT_EQ(v->guest_exit_code, SVM_EXIT_VMGEXIT);
	EXPECT_EQ(v->rax, 0x1234);
	EXPECT_EQ(v->rcx, 0x5678);
	EXPECT_EQ(v->r12, 0x2c12);
	EXPECT_EQ(v2_results.vc_code, SVM_EXIT_CPUID);
	/* Delivered on IST 1 of VMPL2's TSS: 16-byte aligned top, frame of
	 * six qwords below it. */
	EXPECT_EQ(v2_results.vc_rsp, (uint64_t)(uintptr_t)v2_ist_top - 48);
	EXPECT_EQ(v2_results.gp_count, 1);
	EXPECT_EQ(v2_results.reg_gpa_resp,
		  gpa_of(ghcb2_page) | GHCB_MSR_REG_GPA_RESP);
	EXPECT_EQ(v2_results.rmpadjust_up, SNP_RC_FAIL_PERMISSION);
	EXPECT_EQ(v2_results.rmpadjust_self, SNP_RC_FAIL_PERMISSION);
	EXPECT_EQ(v2_results.rmpadjust_down, 0);
	/* Its FPU state too (VMSA 0x470: XMM0) — and VMPL0 may change it. */
	memcpy(&xmm0, v->fpreg_xmm, 8);
	EXPECT_EQ(xmm0, UINT64_C(0x2222222222222222));
	xmm0 = UINT64_C(0x3333333333333333);
	memcpy(v->fpreg_xmm, &xmm0, 8);
	/* Answer the "call" through the VMSA, then resume VMPL2. */
	v->rax = 0;
	v->rcx = 0xabc;
	run_vmpl2_prepare();
	changed = vmgexit_check_regs();
	EXPECT_EQ(changed, 0);
	EXPECT_EQ(v2_results.done, 1);
	EXPECT_EQ(v2_results.call_rax, 0);
	EXPECT_EQ(v2_results.call_rcx, 0xabc);
	EXPECT_EQ(v2_results.r12, 0x2c12);
	EXPECT_EQ(v2_results.r13, 0x2c13);
	EXPECT_EQ(v2_results.xmm0, UINT64_C(0x3333333333333333));
	report(ok,
	       "RUN_VMPL 0 <-> 2: VMSA state, registers and FPU (in the VMSA), "
	       "#VC (IST)/#GP/RMPADJUST at VMPL2");
}
