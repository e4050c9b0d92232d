// SPDX-License-Identifier: MIT
/*
 * arch/vmsa_reset.h. Pure logic: also built into the hosted unit tests.
 */
#include "arch/vmsa_reset.h"

#include "lib/string.h"

void vmsa_seg_set(struct vmsa_seg *s, uint16_t sel, uint16_t attr,
		  uint32_t limit, uint64_t base)
{
	s->selector = sel;
	s->attrib = attr;
	s->limit = limit;
	s->base = base;
}

void vmsa_reset_state(struct snp_vmsa *v, uint8_t vmpl, uint64_t sev_features)
{
	RT_SYM(memset)(v, 0, sizeof(*v));
	vmsa_seg_set(&v->cs, VMSA_RESET_CS_SELECTOR, VMSA_SEG_CODE16,
		     VMSA_RESET_LIMIT, VMSA_RESET_CS_BASE);
	vmsa_seg_set(&v->ds, 0, VMSA_SEG_DATA16, VMSA_RESET_LIMIT, 0);
	v->es = v->ds;
	v->ss = v->ds;
	v->fs = v->ds;
	v->gs = v->ds;
	vmsa_seg_set(&v->gdtr, 0, 0, VMSA_RESET_LIMIT, 0);
	vmsa_seg_set(&v->idtr, 0, 0, VMSA_RESET_LIMIT, 0);
	vmsa_seg_set(&v->ldtr, 0, VMSA_SEG_LDT, VMSA_RESET_LIMIT, 0);
	vmsa_seg_set(&v->tr, 0, VMSA_SEG_TSS, VMSA_RESET_LIMIT, 0);
	v->cr0 = VMSA_RESET_CR0;
	v->rflags = VMSA_RESET_RFLAGS;
	v->rip = VMSA_RESET_RIP;
	v->dr6 = VMSA_RESET_DR6;
	v->dr7 = VMSA_RESET_DR7;
	v->g_pat = VMSA_RESET_G_PAT;
	v->xcr0 = VMSA_RESET_XCR0;
	v->mxcsr = VMSA_RESET_MXCSR;
	v->x87_ftw = VMSA_LINUX_X87_FTW;
	v->x87_fcw = VMSA_LINUX_X87_FCW;
	v->efer = VMSA_EFER_SVME;
	v->vmpl = vmpl;
	v->sev_features = sev_features;
}

void vmsa_flat_segments(struct snp_vmsa *v, uint16_t cs, uint16_t cs_attr,
			uint16_t ds)
{
	vmsa_seg_set(&v->cs, cs, cs_attr, UINT32_MAX, 0);
	vmsa_seg_set(&v->ds, ds, VMSA_SEG_DATA32, UINT32_MAX, 0);
	v->es = v->ds;
	v->ss = v->ds;
	v->fs = v->ds;
	v->gs = v->ds;
}

void vmsa_long_mode(struct snp_vmsa *v, uint16_t cs, uint16_t ds, uint64_t cr3)
{
	vmsa_flat_segments(v, cs, VMSA_SEG_CODE64, ds);
	v->cr0 = VMSA_LONG_CR0;
	v->cr4 = X86_CR4_PAE;
	v->cr3 = cr3;
	v->efer = VMSA_LONG_EFER;
}
