// SPDX-License-Identifier: MIT
/*
 * guest_mem: range policy, fault tolerance, chunking (src/mm/guest_mem.c).
 */
#include <stddef.h>

#include "svsm/guest_mem.h"

#include "svsm_test.h"

TAP_CASE(read_write_roundtrip)
{
	uint8_t in[100], out[100];

	setup();
	for (int i = 0; i < 100; i++) {
		in[i] = (uint8_t)i;
	}
	CHECK_EQ(guest_mem_write(gpa(FREE_4K + 10), in, sizeof(in)), SVSM_OK);
	CHECK_TRUE(memcmp(fake_mem(FREE_4K + 10), in, sizeof(in)) == 0);
	CHECK_EQ(guest_mem_read(out, gpa(FREE_4K + 10), sizeof(out)), SVSM_OK);
	CHECK_TRUE(memcmp(in, out, sizeof(in)) == 0);
	CHECK_EQ(fake_stats.maps, fake_stats.unmaps);
}

TAP_CASE(wrapping_range_refused)
{
	uint8_t b[16];

	setup();
	CHECK_EQ(guest_mem_check(gpa(UINT64_MAX - 7), 16), SVSM_E_ADDR);
	CHECK_EQ(guest_mem_read(b, gpa(UINT64_MAX - 7), 16), SVSM_E_ADDR);
	CHECK_EQ(guest_mem_check(gpa(FREE_4K), UINT64_MAX), SVSM_E_ADDR);
	CHECK_EQ(fake_stats.maps, 0);
}

TAP_CASE(empty_range_refused)
{
	setup();
	CHECK_EQ(guest_mem_check(gpa(FREE_4K), 0), SVSM_E_ADDR);
}

TAP_CASE(outside_ram_refused)
{
	uint8_t b[8];

	setup();
	CHECK_EQ(guest_mem_read(b, gpa(FAKE_RAM_SIZE), 8), SVSM_E_ADDR);
	/* Starts in RAM, ends outside it. */
	CHECK_EQ(guest_mem_read(b, gpa(FAKE_RAM_SIZE - 4), 8), SVSM_E_ADDR);
	CHECK_EQ(guest_mem_check(gpa(FAKE_RAM_SIZE - 8), 8), SVSM_OK);
}

TAP_CASE(svsm_memory_refused)
{
	uint8_t b[8] = {1, 2, 3, 4, 5, 6, 7, 8};

	setup();
	memset(fake_mem(FAKE_SVSM_BASE), 0x42, 16);
	CHECK_EQ(guest_mem_read(b, gpa(FAKE_SVSM_BASE), 8), SVSM_E_ADDR);
	CHECK_EQ(b[0], 1); /* nothing copied */
	CHECK_EQ(guest_mem_write(gpa(FAKE_SVSM_BASE), b, 8), SVSM_E_ADDR);
	CHECK_EQ(*fake_mem(FAKE_SVSM_BASE), 0x42);
	/* One byte into the SVSM at either end. */
	CHECK_EQ(guest_mem_check(gpa(FAKE_SVSM_BASE - 4), 5), SVSM_E_ADDR);
	CHECK_EQ(guest_mem_check(gpa(FAKE_SVSM_BASE + FAKE_SVSM_SIZE - 1), 8),
		 SVSM_E_ADDR);
	CHECK_EQ(guest_mem_check(gpa(FAKE_SVSM_BASE - 4), 4), SVSM_OK);
	CHECK_EQ(guest_mem_check(gpa(FAKE_SVSM_BASE + FAKE_SVSM_SIZE), 4),
		 SVSM_OK);
	/* A huge range that covers the SVSM entirely. */
	CHECK_EQ(guest_mem_check(gpa(0), FAKE_RAM_SIZE), SVSM_E_ADDR);
}

TAP_CASE(pool_pages_refused)
{
	uint8_t b[8];

	setup();
	CHECK_EQ(deposit_pool_add(gpa(FREE_4K)), SVSM_OK);
	CHECK_EQ(guest_mem_read(b, gpa(FREE_4K + 100), 8), SVSM_E_ADDR);
	CHECK_EQ(guest_mem_check(gpa(FREE_4K - 8), 9), SVSM_E_ADDR);
	CHECK_EQ(guest_mem_check(gpa(FREE_4K - 8), 8), SVSM_OK);
}

TAP_CASE(fault_is_an_error_not_a_panic)
{
	uint8_t b[64];

	setup();
	fake_set_fault_page(FREE_4K + 4096);
	CHECK_EQ(guest_mem_read(b, gpa(FREE_4K + 4096 - 32), 64), SVSM_E_FAULT);
	CHECK_EQ(guest_mem_write(gpa(FREE_4K + 4096), b, 8), SVSM_E_FAULT);
	CHECK_EQ(guest_mem_zero(gpa(FREE_4K + 4096), 4096), SVSM_E_FAULT);
	CHECK_EQ(guest_mem_read(b, gpa(FREE_4K), 64), SVSM_OK);
	CHECK_EQ(fake_stats.maps, fake_stats.unmaps);
}

TAP_CASE(copy_across_2m_boundary)
{
	static uint8_t big[3 * 4096];

	setup();
	memset(big, 0x3c, sizeof(big));
	/* The fake aborts if one mapping spans two 2M regions. */
	CHECK_EQ(guest_mem_write(gpa(0x200000 - 4096 - 7), big, sizeof(big)),
		 SVSM_OK);
	CHECK_TRUE(all_bytes(0x200000 - 4096 - 7, sizeof(big), 0x3c));
	CHECK_EQ(*fake_mem(0x200000 - 4096 - 8), 0xa5);
	CHECK_EQ(*fake_mem(0x200000 + 2 * 4096 - 7), 0xa5);
	CHECK_TRUE(fake_stats.maps >= 2);
	CHECK_EQ(fake_stats.maps, fake_stats.unmaps);
}

TAP_CASE(zero_exact_range)
{
	setup();
	CHECK_EQ(guest_mem_zero(gpa(FREE_4K + 100), 5000), SVSM_OK);
	CHECK_TRUE(all_bytes(FREE_4K + 100, 5000, 0));
	CHECK_EQ(*fake_mem(FREE_4K + 99), 0xa5);
	CHECK_EQ(*fake_mem(FREE_4K + 5100), 0xa5);
}

/*
 * guest_mem_vmsa_svme() only ever writes a registered VMSA (the BSP's here),
 * only its EFER.SVME bit, and only through the guarded copy.
 */
TAP_CASE(vmsa_stop_only_registered_vmsas)
{
	uint64_t efer = BSP_VMSA + offsetof(struct snp_vmsa, efer);
	bool was_on = false;

	setup();
	put64(efer, VMSA_EFER_SVME | 0x500);
	put64(FREE_4K + offsetof(struct snp_vmsa, efer), VMSA_EFER_SVME);
	CHECK_EQ(guest_mem_vmsa_svme(gpa(FREE_4K), false, &was_on),
		 SVSM_E_ADDR);
	CHECK_EQ(get64(FREE_4K + offsetof(struct snp_vmsa, efer)),
		 VMSA_EFER_SVME);
	CHECK_EQ(guest_mem_vmsa_svme(gpa(BSP_VMSA + 8), false, &was_on),
		 SVSM_E_ADDR);
	CHECK_EQ(guest_mem_vmsa_svme(gpa(FAKE_SVSM_BASE), false, &was_on),
		 SVSM_E_ADDR);
	CHECK_EQ(guest_mem_vmsa_svme(gpa(FAKE_RAM_SIZE), false, &was_on),
		 SVSM_E_ADDR);
	fake_set_fault_page(BSP_VMSA);
	CHECK_EQ(guest_mem_vmsa_svme(gpa(BSP_VMSA), false, &was_on),
		 SVSM_E_FAULT);
	CHECK_EQ(get64(efer), VMSA_EFER_SVME | 0x500);
	fake_set_fault_page(UINT64_MAX);
	CHECK_EQ(guest_mem_vmsa_svme(gpa(BSP_VMSA), false, &was_on), SVSM_OK);
	CHECK_EQ(get64(efer), 0x500);
	CHECK_TRUE(was_on);
	/* Putting it back as it was (DELETE_VCPU after a failed RMPADJUST). */
	CHECK_EQ(guest_mem_vmsa_svme(gpa(BSP_VMSA), true, &was_on), SVSM_OK);
	CHECK_TRUE(!was_on);
	CHECK_EQ(get64(efer), VMSA_EFER_SVME | 0x500);
	CHECK_EQ(fake_stats.maps, fake_stats.unmaps);
}

TAP_MAIN(TAP_ENTRY(read_write_roundtrip),
	 TAP_ENTRY(vmsa_stop_only_registered_vmsas),
	 TAP_ENTRY(wrapping_range_refused), TAP_ENTRY(empty_range_refused),
	 TAP_ENTRY(outside_ram_refused), TAP_ENTRY(svsm_memory_refused),
	 TAP_ENTRY(pool_pages_refused),
	 TAP_ENTRY(fault_is_an_error_not_a_panic),
	 TAP_ENTRY(copy_across_2m_boundary), TAP_ENTRY(zero_exact_range))
