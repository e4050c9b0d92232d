// SPDX-License-Identifier: MIT
/*
 * Initial VMPL2 register state (docs/abi.md §8.2, following [C]
 * init_guest_vmsa for the reset state; the 32-bit protected-mode state is
 * the same shape the IGVM gives the SVSM itself, docs/abi.md §16).
 */
#include "sev/vmsa_init.h"

#include "lib/string.h"

#include "svsm/abi/snp.h"

/* Features a Linux VMPL2 guest runs with (docs/abi.md §8.3 "fine"). */
#define GUEST_FEATURES_ALLOWED                                            \
	(SEV_FEAT_SNP_ACTIVE | SEV_FEAT_PREVENT_HOST_IBS |                \
	 SEV_FEAT_BTB_ISOLATION | SEV_FEAT_IBS_VIRT | SEV_FEAT_SMT_PROT | \
	 SEV_FEAT_IBPB_ON_ENTRY)

uint64_t snp_guest_sev_features(uint64_t sev_status)
{
	return ((sev_status >> 2) & GUEST_FEATURES_ALLOWED) |
	       SEV_FEAT_SNP_ACTIVE;
}

void vmsa_seg_set(struct vmsa_seg *s, uint16_t sel, uint16_t attr,
		  uint32_t limit, uint64_t base)
{
	s->selector = sel;
	s->attrib = attr;
	s->limit = limit;
	s->base = base;
}

static void common_state(struct snp_vmsa *v, const struct guest_vmsa_cfg *cfg)
{
	v->vmpl = SVSM_GUEST_VMPL;
	v->efer = VMSA_EFER_SVME;
	v->rflags = 0x2;
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
	v->g_pat = UINT64_C(0x0007040600070406);
	v->xcr0 = 1;
	v->mxcsr = 0x1f80;
	v->x87_ftw = 0x5555;
	v->x87_fcw = 0x40;
	v->sev_features = cfg->sev_features;
	vmsa_seg_set(&v->ldtr, 0, 0x82, 0xffff, 0);
	vmsa_seg_set(&v->tr, 0, 0x8b, 0xffff, 0);
}

/*
 * DS, ES, SS, FS and GS alike (flat, base 0) and empty GDT/IDT: neither
 * start mode has a descriptor table yet; the payload loads its own.
 */
static void data_segs(struct snp_vmsa *v, uint16_t sel, uint16_t attr,
		      uint32_t limit)
{
	vmsa_seg_set(&v->ds, sel, attr, limit, 0);
	v->es = v->ds;
	v->ss = v->ds;
	v->fs = v->ds;
	v->gs = v->ds;
	vmsa_seg_set(&v->gdtr, 0, 0, 0xffff, 0);
	vmsa_seg_set(&v->idtr, 0, 0, 0xffff, 0);
}

bool snp_vmsa_init_guest(struct snp_vmsa *v, const struct guest_vmsa_cfg *cfg)
{
	RT_SYM(memset)(v, 0, sizeof(*v));
	/* Both modes start without paging: the entry must be below 4 GiB. */
	if (cfg->entry > UINT32_MAX) {
		return false;
	}
	switch (cfg->mode) {
	case SVSM_PAYLOAD_PROT32:
		common_state(v, cfg);
		/* Flat 4 GiB: 32-bit code (D, G, P, S, exec/read). */
		vmsa_seg_set(&v->cs, 0x08, 0xc9b, 0xffffffff, 0);
		data_segs(v, 0x10, 0xc93, 0xffffffff);
		v->cr0 = 0x31; /* PE, ET, NE */
		v->rip = cfg->entry;
		v->rsi = cfg->rsi;
		v->rdi = cfg->rdi;
		return true;
	case SVSM_PAYLOAD_RESET:
		common_state(v, cfg);
		v->cr0 = 0x60000010;
		v->rip = cfg->entry & 0xffff;
		vmsa_seg_set(&v->cs, 0xf000, 0x9b, 0xffff,
			     cfg->entry & 0xffff0000);
		data_segs(v, 0, 0x93, 0xffff);
		return true;
	default:
		return false;
	}
}
