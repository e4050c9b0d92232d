// SPDX-License-Identifier: MIT
/*
 * Initial VMPL2 register state (docs/abi.md §8.2): the reset state of
 * arch/vmsa_reset.h, moved to the payload's reset vector or switched to
 * 32-bit protected mode.
 */
#include "sev/vmsa_init.h"

#include "arch/vmsa_reset.h"

#include "lib/string.h"

#include "svsm/abi/snp.h"

/* GDT selectors the protected-mode payload is told it runs with. */
#define PROT32_CS 0x08
#define PROT32_DS 0x10

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

/*
 * Protected mode, paging off, flat 4 GiB 32-bit segments (the same shape the
 * IGVM gives the SVSM itself, docs/abi.md §16); GDT/IDT still empty: the
 * payload loads its own.
 */
static void prot32_state(struct snp_vmsa *v)
{
	vmsa_flat_segments(v, PROT32_CS, VMSA_SEG_CODE32, PROT32_DS);
	v->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE;
}

bool snp_vmsa_init_guest(struct snp_vmsa *v, const struct guest_vmsa_cfg *cfg)
{
	/* Both modes start without paging: the entry must be below 4 GiB. */
	if (cfg->entry > UINT32_MAX) {
		RT_SYM(memset)(v, 0, sizeof(*v));
		return false;
	}
	switch (cfg->mode) {
	case SVSM_PAYLOAD_PROT32:
		vmsa_reset_state(v, SVSM_GUEST_VMPL, cfg->sev_features);
		prot32_state(v);
		v->rip = cfg->entry;
		v->rsi = cfg->rsi;
		v->rdi = cfg->rdi;
		return true;
	case SVSM_PAYLOAD_RESET:
		/* The reset vector's 64 KiB page: CS base, IP within it. */
		vmsa_reset_state(v, SVSM_GUEST_VMPL, cfg->sev_features);
		v->cs.base = cfg->entry & 0xffff0000;
		v->rip = cfg->entry & 0xffff;
		return true;
	default:
		RT_SYM(memset)(v, 0, sizeof(*v));
		return false;
	}
}
