// SPDX-License-Identifier: MIT
/*
 * Host tests of snpemu's MTRR MSRs against KVM's behaviour (emu/mtrr.h;
 * KVM: arch/x86/kvm/mtrr.c): MTRRcap's fixed value, which MSRs exist,
 * read-back, and the writes KVM refuses with #GP.
 */
#include "mtrr.h"
#include "tap.h"

#define PHYS_BITS 48u

TAP_CASE(cap_reads_kvm_value_and_is_read_only)
{
	struct mtrr_state s = {0};
	uint64_t v = 0;

	CHECK_TRUE(mtrr_read(&s, MSR_MTRR_CAP, &v));
	/* VCNT 8, FIX (bit 8), WC (bit 10), no SMRR (bit 11). */
	CHECK_EQ(v, 0x508);
	CHECK_TRUE(!mtrr_write(&s, MSR_MTRR_CAP, 0x508, PHYS_BITS));
}

TAP_CASE(msrs_kvm_has)
{
	static const uint32_t yes[] = {0xfe,  0x2ff, 0x250, 0x258, 0x259,
				       0x268, 0x26f, 0x200, 0x20f};
	static const uint32_t no[] = {0x1ff, 0x210, 0x251, 0x25a, 0x267,
				      0x270, 0x277, 0x2fe, 0x300};

	for (unsigned i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		CHECK_TRUE(mtrr_is_msr(yes[i]));
	}
	for (unsigned i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		struct mtrr_state s = {0};
		uint64_t v = 0;

		CHECK_TRUE(!mtrr_is_msr(no[i]));
		CHECK_TRUE(!mtrr_read(&s, no[i], &v));
		CHECK_TRUE(!mtrr_write(&s, no[i], 0, PHYS_BITS));
	}
}

TAP_CASE(reset_state_is_zero_and_writes_read_back)
{
	struct mtrr_state s = {0};
	uint64_t v = 1;

	CHECK_TRUE(mtrr_read(&s, MSR_MTRR_DEF_TYPE, &v));
	CHECK_EQ(v, 0);
	CHECK_TRUE(mtrr_write(&s, MSR_MTRR_DEF_TYPE, 0xc06, PHYS_BITS));
	CHECK_TRUE(
		mtrr_write(&s, 0x250, UINT64_C(0x0606060606060606), PHYS_BITS));
	CHECK_TRUE(
		mtrr_write(&s, 0x26f, UINT64_C(0x0504010006050400), PHYS_BITS));
	CHECK_TRUE(mtrr_write(&s, 0x200, UINT64_C(0x80000000) | 0, PHYS_BITS));
	CHECK_TRUE(mtrr_write(&s, 0x201, UINT64_C(0xff80000000) | (1u << 11),
			      PHYS_BITS));
	CHECK_TRUE(mtrr_read(&s, MSR_MTRR_DEF_TYPE, &v));
	CHECK_EQ(v, 0xc06);
	CHECK_TRUE(mtrr_read(&s, 0x250, &v));
	CHECK_EQ(v, UINT64_C(0x0606060606060606));
	CHECK_TRUE(mtrr_read(&s, 0x26f, &v));
	CHECK_EQ(v, UINT64_C(0x0504010006050400));
	CHECK_TRUE(mtrr_read(&s, 0x201, &v));
	CHECK_EQ(v, UINT64_C(0xff80000000) | (1u << 11));
	/* Slots are distinct: the neighbours kept their reset value. */
	CHECK_TRUE(mtrr_read(&s, 0x258, &v));
	CHECK_EQ(v, 0);
	CHECK_TRUE(mtrr_read(&s, 0x202, &v));
	CHECK_EQ(v, 0);
}

TAP_CASE(invalid_writes_are_gp_and_change_nothing)
{
	struct mtrr_state s = {0};
	uint64_t v = 1;

	/* defType: reserved bits 9:8 and 63:12, types 2, 3, 7. */
	CHECK_TRUE(!mtrr_write(&s, MSR_MTRR_DEF_TYPE, 0x100, PHYS_BITS));
	CHECK_TRUE(!mtrr_write(&s, MSR_MTRR_DEF_TYPE, 0x1006, PHYS_BITS));
	CHECK_TRUE(!mtrr_write(&s, MSR_MTRR_DEF_TYPE, 0x2, PHYS_BITS));
	CHECK_TRUE(!mtrr_write(&s, MSR_MTRR_DEF_TYPE, 0x3, PHYS_BITS));
	CHECK_TRUE(!mtrr_write(&s, MSR_MTRR_DEF_TYPE, 0x7, PHYS_BITS));
	/* A fixed range with one bad type byte. */
	CHECK_TRUE(!mtrr_write(&s, 0x268, UINT64_C(0x0606060606060206),
			       PHYS_BITS));
	/* Variable base: bad type, bits 11:8, an address bit >= 48. */
	CHECK_TRUE(!mtrr_write(&s, 0x200, 0x2, PHYS_BITS));
	CHECK_TRUE(!mtrr_write(&s, 0x200, 0x106, PHYS_BITS));
	CHECK_TRUE(!mtrr_write(&s, 0x200, UINT64_C(1) << 48, PHYS_BITS));
	CHECK_TRUE(mtrr_write(&s, 0x200, UINT64_C(1) << 47, PHYS_BITS));
	/* Variable mask: bits 10:0, an address bit >= MAXPHYADDR. */
	CHECK_TRUE(!mtrr_write(&s, 0x201, 0x1, PHYS_BITS));
	CHECK_TRUE(!mtrr_write(&s, 0x201, UINT64_C(1) << 40, 40));
	CHECK_TRUE(mtrr_read(&s, MSR_MTRR_DEF_TYPE, &v));
	CHECK_EQ(v, 0);
	CHECK_TRUE(mtrr_read(&s, 0x268, &v));
	CHECK_EQ(v, 0);
	CHECK_TRUE(mtrr_read(&s, 0x201, &v));
	CHECK_EQ(v, 0);
}

TAP_MAIN(TAP_ENTRY(cap_reads_kvm_value_and_is_read_only),
	 TAP_ENTRY(msrs_kvm_has),
	 TAP_ENTRY(reset_state_is_zero_and_writes_read_back),
	 TAP_ENTRY(invalid_writes_are_gp_and_change_nothing))
