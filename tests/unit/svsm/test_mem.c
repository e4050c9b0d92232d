// SPDX-License-Identifier: MIT
/*
 * DEPOSIT_MEM / WITHDRAW_MEM (protocols/core_mem.c) and the page pool,
 * with the list layout documented at the top of core_mem.c.
 */
#include "svsm/guest_mem.h"

#include "svsm_test.h"

#define PG(i) (FREE_4K + 0x1000u * (i))

static uint64_t deposit(const uint64_t *pages, uint16_t n)
{
	put_list(LIST, pages, n, n, 0);
	return core(SVSM_CORE_DEPOSIT_MEM, LIST, 0, 0);
}

static uint64_t withdraw(uint16_t capacity)
{
	put_list(LIST, NULL, 0, capacity, 0);
	return core(SVSM_CORE_WITHDRAW_MEM, LIST, 0, 0);
}

TAP_CASE(deposit_two_pages)
{
	uint64_t p[2] = {PG(0), PG(1)};

	setup();
	memset(fake_mem(PG(0)), 0x66, 8192);
	CHECK_EQ(deposit(p, 2), SVSM_SUCCESS);
	CHECK_EQ(next_index(), 2);
	CHECK_EQ(deposit_pool_count(), 2);
	for (int i = 0; i < 2; i++) {
		CHECK_TRUE(fake_rmp(PG(i))->validated);
		CHECK_EQ(fake_rmp(PG(i))->perms[1], 0);
		CHECK_EQ(fake_rmp(PG(i))->perms[2], 0);
		CHECK_EQ(fake_rmp(PG(i))->perms[3], 0);
	}
	CHECK_TRUE(all_bytes(PG(0), 8192, 0));
	CHECK_TRUE(fake_stats.tlb_flushes >= 1);
}

/* A deposited page is SVSM memory until withdrawn. */
TAP_CASE(deposited_page_is_svsm_memory)
{
	uint64_t p = PG(0);
	uint64_t e = pv(PG(0), SVSM_PV_SIZE_4K, false);
	uint8_t b[8];

	setup();
	CHECK_EQ(deposit(&p, 1), SVSM_SUCCESS);
	CHECK_EQ(guest_mem_read(b, gpa(PG(0)), 8), SVSM_E_ADDR);
	put_list(LIST, &e, 1, 1, 0);
	CHECK_EQ(core(SVSM_CORE_PVALIDATE, LIST, 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(core(SVSM_CORE_REMAP_CA, PG(0), 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(core(SVSM_CORE_CREATE_VCPU, PG(0), PG(1), 1),
		 SVSM_ERR_INVALID_ADDRESS);
	CHECK_TRUE(fake_rmp(PG(0))->validated);
}

TAP_CASE(withdraw_returns_pages)
{
	uint64_t p[2] = {PG(0), PG(1)};
	uint64_t got0 = 0;
	uint64_t got1 = 0;

	setup();
	CHECK_EQ(deposit(p, 2), SVSM_SUCCESS);
	memset(fake_mem(PG(0)), 0x5a, 8192); /* "SVSM data" */
	CHECK_EQ(withdraw(8), SVSM_SUCCESS);
	CHECK_EQ(last.out.rcx, 2);
	CHECK_EQ(next_index(), 2);
	got0 = get64(LIST + 8);
	got1 = get64(LIST + 16);
	CHECK_TRUE((got0 == PG(0) && got1 == PG(1)) ||
		   (got0 == PG(1) && got1 == PG(0)));
	CHECK_EQ(deposit_pool_count(), 0);
	CHECK_TRUE(all_bytes(PG(0), 8192, 0)); /* nothing leaves */
	CHECK_EQ(fake_rmp(PG(0))->perms[G_VMPL], 0xf);
	CHECK_EQ(fake_rmp(PG(1))->perms[G_VMPL], 0xf);
	CHECK_TRUE(fake_rmp(PG(1))->validated);
}

TAP_CASE(round_trip_repeated)
{
	uint64_t p[3] = {PG(0), PG(1), PG(2)};

	setup();
	for (int round = 0; round < 3; round++) {
		CHECK_EQ(deposit(p, 3), SVSM_SUCCESS);
		CHECK_EQ(deposit_pool_count(), 3);
		CHECK_EQ(withdraw(3), SVSM_SUCCESS);
		CHECK_EQ(last.out.rcx, 3);
		CHECK_EQ(deposit_pool_count(), 0);
	}
}

/* deposit_pool_page(): every page by index, borrowed ones marked. */
TAP_CASE(pool_page_by_index)
{
	uint64_t p[3] = {PG(0), PG(1), PG(2)};
	bool borrowed = true;
	uint32_t seen = 0;

	setup();
	CHECK_EQ(deposit(p, 3), SVSM_SUCCESS);
	CHECK_EQ(gpa_val(deposit_pool_alloc()), PG(0));
	for (uint32_t i = 0; i < 3; i++) {
		uint64_t g = gpa_val(deposit_pool_page(i, &borrowed));

		CHECK_TRUE(g >= PG(0) && g <= PG(2));
		CHECK_EQ(borrowed, g == PG(0));
		seen |= 1u << ((g - PG(0)) >> 12);
	}
	CHECK_EQ(seen, 7);
	CHECK_TRUE(gpa_is_invalid(deposit_pool_page(3, &borrowed)));
	CHECK_TRUE(!borrowed);
}

TAP_CASE(deposit_same_page_twice)
{
	uint64_t p[2] = {PG(0), PG(0)};

	setup();
	CHECK_EQ(deposit(p, 2), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(next_index(), 1);
	CHECK_EQ(deposit_pool_count(), 1);
}

TAP_CASE(deposit_format_errors)
{
	uint64_t p[3] = {PG(0) | SVSM_PV_SIZE_2M, PG(0) | 0x10, PG(0) | 4};

	setup();
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(deposit(&p[i], 1), SVSM_ERR_INVALID_PARAMETER);
	}
	CHECK_EQ(deposit_pool_count(), 0);
	put_list(LIST, p, 1, 0, 0);
	CHECK_EQ(core(SVSM_CORE_DEPOSIT_MEM, LIST, 0, 0),
		 SVSM_ERR_INVALID_PARAMETER);
	CHECK_EQ(core(SVSM_CORE_DEPOSIT_MEM, LIST + 1, 0, 0),
		 SVSM_ERR_INVALID_PARAMETER);
}

TAP_CASE(deposit_forbidden_pages)
{
	uint64_t p[5] = {FAKE_SVSM_BASE, BSP_VMSA, BSP_CAA, FAKE_RAM_SIZE,
			 UINT64_C(0xfffffffffffff000)};

	setup();
	for (int i = 0; i < 5; i++) {
		CHECK_EQ(deposit(&p[i], 1), SVSM_ERR_INVALID_ADDRESS);
	}
	CHECK_EQ(deposit_pool_count(), 0);
	CHECK_TRUE(fake_rmp(BSP_VMSA)->vmsa);
}

TAP_CASE(deposit_unvalidated_page)
{
	uint64_t p = UNVAL_2M;

	setup();
	CHECK_EQ(deposit(&p, 1), SVSM_SUCCESS);
	CHECK_TRUE(fake_rmp(UNVAL_2M)->validated);
	CHECK_EQ(fake_rmp(UNVAL_2M)->perms[G_VMPL], 0);
}

TAP_CASE(withdraw_empty_pool)
{
	setup();
	CHECK_EQ(withdraw(4), SVSM_SUCCESS);
	CHECK_EQ(last.out.rcx, 0);
	CHECK_EQ(next_index(), 0);
}

TAP_CASE(withdraw_partial)
{
	uint64_t p[3] = {PG(0), PG(1), PG(2)};

	setup();
	CHECK_EQ(deposit(p, 3), SVSM_SUCCESS);
	put64(LIST + 16, 0xa5a5a5a5a5a5a5a5);
	CHECK_EQ(withdraw(1), SVSM_SUCCESS);
	CHECK_EQ(last.out.rcx, 1);
	CHECK_EQ(deposit_pool_count(), 2);
	/* The slot after the capacity was not written. */
	CHECK_EQ(get64(LIST + 16), 0xa5a5a5a5a5a5a5a5);
}

TAP_CASE(withdraw_bad_header)
{
	setup();
	put_list(LIST, NULL, 0, 4, 1);
	CHECK_EQ(core(SVSM_CORE_WITHDRAW_MEM, LIST, 0, 0),
		 SVSM_ERR_INVALID_PARAMETER);
	CHECK_EQ(withdraw(0), SVSM_ERR_INVALID_PARAMETER);
	CHECK_EQ(withdraw(SVSM_PVALIDATE_MAX_ENTRIES_CAA + 1),
		 SVSM_ERR_INVALID_PARAMETER);
	CHECK_EQ(core(SVSM_CORE_WITHDRAW_MEM, FAKE_SVSM_BASE, 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
}

TAP_CASE(borrowed_pages_stay)
{
	uint64_t p[2] = {PG(0), PG(1)};
	gpa_t used;

	setup();
	CHECK_EQ(deposit(p, 2), SVSM_SUCCESS);
	used = deposit_pool_alloc();
	CHECK_TRUE(!gpa_is_invalid(used));
	CHECK_EQ(withdraw(8), SVSM_SUCCESS);
	CHECK_EQ(last.out.rcx, 1);
	CHECK_TRUE(get64(LIST + 8) != gpa_val(used));
	CHECK_EQ(deposit_pool_count(), 1);
	CHECK_TRUE(deposit_pool_overlaps(used, 1));
	deposit_pool_free(used);
	CHECK_EQ(withdraw(8), SVSM_SUCCESS);
	CHECK_EQ(last.out.rcx, 1);
}

/* The list lives on a page that faults: nothing leaves the pool. */
TAP_CASE(withdraw_list_fault)
{
	uint64_t p = PG(0);

	setup();
	CHECK_EQ(deposit(&p, 1), SVSM_SUCCESS);
	put_list(PG(5), NULL, 0, 1, 0);
	fake_set_fault_page(PG(5));
	CHECK_EQ(core(SVSM_CORE_WITHDRAW_MEM, PG(5), 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(deposit_pool_count(), 1);
}

/*
 * Issue 14 finding 5: a pool page whose zeroing faults was made shared (or
 * unvalidated) behind the SVSM's back. The call is refused, the page is
 * never handed out, and it leaves the pool: it holds nothing of the SVSM's
 * and is no longer the SVSM's to protect (the guest may validate it again),
 * so WITHDRAW does not stay stuck on it.
 */
TAP_CASE(withdraw_zero_fault_drops_page)
{
	uint64_t p[2] = {PG(0), PG(1)};

	setup();
	CHECK_EQ(deposit(p, 2), SVSM_SUCCESS);
	fake_set_fault_page(PG(0));
	CHECK_EQ(withdraw(2), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(next_index(), 0);
	CHECK_EQ(fake_rmp(PG(0))->perms[G_VMPL], 0);
	CHECK_EQ(deposit_pool_count(), 1);
	/* The next WITHDRAW returns the good page. */
	CHECK_EQ(withdraw(2), SVSM_SUCCESS);
	CHECK_EQ(last.out.rcx, 1);
	CHECK_EQ(get64(LIST + 8), PG(1));
	CHECK_EQ(deposit_pool_count(), 0);
	/* The dropped page is an ordinary guest page again. */
	uint64_t e = pv(PG(0), SVSM_PV_SIZE_4K, true) | 8;
	fake_set_fault_page(UINT64_MAX);
	put_list(LIST, &e, 1, 1, 0);
	CHECK_EQ(core(SVSM_CORE_PVALIDATE, LIST, 0, 0), SVSM_SUCCESS);
}

TAP_CASE(pool_capacity)
{
	setup();
	for (uint32_t i = 0; i < DEPOSIT_POOL_MAX_PAGES; i++) {
		CHECK_EQ(deposit_pool_add(gpa(UINT64_C(0x1000000) + 4096u * i)),
			 SVSM_OK);
	}
	CHECK_EQ(deposit_pool_add(gpa(0x5000000)), SVSM_E_NOMEM);
	uint64_t p = PG(0);
	CHECK_EQ(deposit(&p, 1), SVSM_ERR_INVALID_REQUEST);
	CHECK_EQ(fake_rmp(PG(0))->perms[G_VMPL], 0xf);
}

/* DEPOSIT/WITHDRAW lists must not be in a VMSA either (see test_pvalidate). */
TAP_CASE(lists_in_vmsa_refused)
{
	uint64_t at = BSP_VMSA + 0x3b0; /* sev_features = 1: entries 1 */
	uint64_t p[1] = {PG(0)};
	uint8_t before[4096];

	setup();
	CHECK_EQ(deposit(p, 1), SVSM_SUCCESS);
	CHECK_EQ(deposit_pool_count(), 1);
	put64(at, FEAT_BASE);
	put64(at + 8, PG(1));
	memcpy(before, fake_mem(BSP_VMSA), sizeof(before));
	CHECK_EQ(core(SVSM_CORE_WITHDRAW_MEM, at, 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(core(SVSM_CORE_DEPOSIT_MEM, at, 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
	CHECK_TRUE(memcmp(before, fake_mem(BSP_VMSA), sizeof(before)) == 0);
	CHECK_EQ(deposit_pool_count(), 1);
}

/*
 * G11: a page the SVSM validated itself must not reach the guest unzeroed.
 * If the revoke fails for a page that was not valid before, DEPOSIT must
 * not grant the guest RWX on it (fuzz_dispatch checks this as I5).
 */
TAP_CASE(deposit_revoke_failure_not_exposed)
{
	uint64_t p = UNVAL_2M;
	uint64_t q = PG(3);

	setup();
	fake_fail_next_rmpadjust(SNP_RC_FAIL_PERMISSION);
	CHECK_EQ(deposit(&p, 1),
		 SVSM_ERR_PROTOCOL_BASE + SNP_RC_FAIL_PERMISSION);
	CHECK_EQ(deposit_pool_count(), 0);
	CHECK_TRUE(!fake_rmp(UNVAL_2M)->validated);
	CHECK_EQ(fake_rmp(UNVAL_2M)->perms[G_VMPL], 0);
	/* A page that was the guest's already goes back to it as it was. */
	fake_fail_next_rmpadjust(SNP_RC_FAIL_PERMISSION);
	CHECK_EQ(deposit(&q, 1),
		 SVSM_ERR_PROTOCOL_BASE + SNP_RC_FAIL_PERMISSION);
	CHECK_TRUE(fake_rmp(q)->validated);
	CHECK_EQ(fake_rmp(q)->perms[G_VMPL], 0xf);
	CHECK_TRUE(all_bytes(q, 4096, 0xa5));
}

/*
 * A list that names its own page: taking that page would zero the list and
 * leave nowhere to report `next` (fuzz_dispatch found it as I6). The entry
 * is refused, `next` stops on it, the page stays the guest's.
 */
TAP_CASE(deposit_list_page_refused)
{
	uint64_t p[2] = {PG(0), PG(5)};

	setup();
	put_list(PG(5), p, 2, 2, 0);
	CHECK_EQ(core(SVSM_CORE_DEPOSIT_MEM, PG(5), 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(get16(PG(5) + 2), 1);
	CHECK_EQ(deposit_pool_count(), 1);
	CHECK_TRUE(fake_rmp(PG(5))->validated);
	CHECK_TRUE(fake_rmp(PG(5))->perms[G_VMPL] != 0);
}

TAP_MAIN(TAP_ENTRY(deposit_two_pages), TAP_ENTRY(deposit_list_page_refused),
	 TAP_ENTRY(deposited_page_is_svsm_memory),
	 TAP_ENTRY(withdraw_returns_pages), TAP_ENTRY(round_trip_repeated),
	 TAP_ENTRY(pool_page_by_index), TAP_ENTRY(deposit_same_page_twice),
	 TAP_ENTRY(deposit_format_errors), TAP_ENTRY(deposit_forbidden_pages),
	 TAP_ENTRY(deposit_unvalidated_page), TAP_ENTRY(withdraw_empty_pool),
	 TAP_ENTRY(withdraw_partial), TAP_ENTRY(withdraw_bad_header),
	 TAP_ENTRY(borrowed_pages_stay), TAP_ENTRY(withdraw_list_fault),
	 TAP_ENTRY(withdraw_zero_fault_drops_page), TAP_ENTRY(pool_capacity),
	 TAP_ENTRY(lists_in_vmsa_refused),
	 TAP_ENTRY(deposit_revoke_failure_not_exposed))
