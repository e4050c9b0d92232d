// SPDX-License-Identifier: MIT
/*
 * MTRR MSRs as KVM emulates them for every guest, SEV-SNP included (KVM:
 * arch/x86/kvm/mtrr.c, kvm_mtrr_get_msr / kvm_mtrr_set_msr, reached from
 * kvm_get_msr_common / kvm_set_msr_common, which an SNP guest's RDMSR and
 * WRMSR NAE events go through; no guest CPUID check). KVM no longer lets
 * guest MTRRs change memory types, and neither does snpemu (TCG ignores
 * them): they are storage with KVM's validity checks. Linux reads MTRRcap
 * at boot (arch/x86/kernel/cpu/mtrr/mtrr.c, mtrr_bp_init); a #GP there is an
 * "unchecked MSR access error" with a call trace.
 */
#include "mtrr.h"

#define MTRR_FIX64K_00000 0x250u
#define MTRR_FIX16K_80000 0x258u
#define MTRR_FIX16K_A0000 0x259u
#define MTRR_FIX4K_C0000 0x268u
#define MTRR_FIX4K_F8000 0x26fu
#define MTRR_PHYS_BASE0 0x200u

/* SMRR 0, WC 1 (bit 10), FIX 1 (bit 8), VCNT = 8: KVM's fixed answer. */
#define MTRR_CAP_VALUE (UINT64_C(0x500) | MTRR_VAR_COUNT)

/* The slot of @msr in struct mtrr_state, or -1 (not an MTRR KVM has). */
static int slot(uint32_t msr)
{
	if (msr == MSR_MTRR_DEF_TYPE) {
		return 0;
	}
	if (msr == MTRR_FIX64K_00000) {
		return 1;
	}
	if (msr == MTRR_FIX16K_80000 || msr == MTRR_FIX16K_A0000) {
		return 2 + (int)(msr - MTRR_FIX16K_80000);
	}
	if (msr >= MTRR_FIX4K_C0000 && msr <= MTRR_FIX4K_F8000) {
		return 4 + (int)(msr - MTRR_FIX4K_C0000);
	}
	if (msr >= MTRR_PHYS_BASE0 &&
	    msr < MTRR_PHYS_BASE0 + 2 * MTRR_VAR_COUNT) {
		return (int)(1 + MTRR_FIXED_COUNT + msr - MTRR_PHYS_BASE0);
	}
	return -1;
}

bool mtrr_is_msr(uint32_t msr)
{
	return msr == MSR_MTRR_CAP || slot(msr) >= 0;
}

/* UC, WC, WT, WP, WB (0, 1, 4, 5, 6): SDM vol. 3A §12.11.1. */
static bool valid_type(uint64_t t)
{
	return t < 8 && ((UINT64_C(1) << t) & 0x73) != 0;
}

static bool valid(uint32_t msr, uint64_t v, unsigned phys_bits)
{
	uint64_t reserved = 0;

	if (msr == MSR_MTRR_DEF_TYPE) {
		/* Type, FE (bit 10), E (bit 11). */
		return (v & ~UINT64_C(0xcff)) == 0 && valid_type(v & 0xff);
	}
	if (msr >= MTRR_FIX64K_00000 && msr <= MTRR_FIX4K_F8000) {
		for (unsigned i = 0; i < 8; i++) {
			if (!valid_type((v >> (8 * i)) & 0xff)) {
				return false;
			}
		}
		return true;
	}
	/* Variable range: address bits at or above MAXPHYADDR reserved. */
	reserved = phys_bits >= 64 ? 0 : ~UINT64_C(0) << phys_bits;
	if ((msr & 1) == 0) {
		if (!valid_type(v & 0xff)) {
			return false;
		}
		reserved |= 0xf00; /* PhysBase bits 11:8 */
	} else {
		reserved |= 0x7ff; /* PhysMask bits 10:0; bit 11 is V */
	}
	return (v & reserved) == 0;
}

bool mtrr_read(const struct mtrr_state *s, uint32_t msr, uint64_t *v)
{
	int i = slot(msr);

	if (msr == MSR_MTRR_CAP) {
		*v = MTRR_CAP_VALUE;
		return true;
	}
	if (i < 0) {
		return false;
	}
	*v = s->msr[i];
	return true;
}

bool mtrr_write(struct mtrr_state *s, uint32_t msr, uint64_t v,
		unsigned phys_bits)
{
	int i = slot(msr);

	if (i < 0 || !valid(msr, v, phys_bits)) {
		return false;
	}
	s->msr[i] = v;
	return true;
}
