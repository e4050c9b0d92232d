// SPDX-License-Identifier: MIT
/*
 * Successful round trips, against the real SVSM on snpemu:
 *
 * - DEPOSIT_MEM / WITHDRAW_MEM (layout: top of protocols/core_mem.c;
 * docs/abi.md §3.5 leaves it open): the guest lends some of its own validated
 * pages, checks they are the SVSM's now WITHOUT touching them (an access the
 * RMP forbids stops the VM): a second deposit, a PVALIDATE rescind, REMAP_CA
 *   and CREATE_VCPU on them are refused. It withdraws them (all of them,
 *   and no more than it deposited), finds them zeroed, writable and still
 *   validated, and deposits/withdraws again. List errors: zero entries,
 *   next out of range, 2M and reserved bits, SVSM memory, the CA, non-RAM.
 *
 * - CREATE_VCPU / DELETE_VCPU for APIC 0, the caller itself (docs/abi.md §3.3,
 *   §3.4, §11.11): a well-formed VMPL2 VMSA with the caller's SEV features
 *   (SEV_STATUS >> 2, as Linux does) is accepted and becomes a VMSA (a
 *   second CREATE, a rescind, REMAP_CA and DEPOSIT of it are refused).
 *   The hypervisor keeps running the old VMSA (the guest sends no
 *   AP_CREATION), so calls must keep working through the old CA, through
 *   both transports. DELETE succeeds once, then is refused; the page is
 *   ordinary memory again and can be re-created. No SVSM page (where the
 *   running VMSA lives) can be deleted.
 */
#include "arch/cpu.h"
#include "arch/vmsa_reset.h"

#include "lib/string.h"

#include "svsm/abi/snp.h"
#include "svsm/abi/vmsa.h"

#include "guest.h"

#define CORE(id) SVSM_CALL(SVSM_PROTO_CORE, (id))
#define E_VALIDATE (UINT64_C(1) << 2)
#define E_IGNCF (UINT64_C(1) << 3)
#define NDEP 4

static uint8_t dep[NDEP][4096] __attribute__((aligned(4096)));
/* VMSAs: the second page of an 8K-aligned pair is never 2M aligned. */
static uint8_t vpair[2][2][4096] __attribute__((aligned(8192)));
static uint8_t ca_new[4096] __attribute__((aligned(4096)));

static struct svsm_pvalidate_hdr *hdr(void)
{
	return (struct svsm_pvalidate_hdr *)(void *)g.caa->svsm_buffer;
}

static uint64_t *ent(void)
{
	return (uint64_t *)(void *)(hdr() + 1);
}

static uint64_t list_addr(void)
{
	return (uint64_t)(uintptr_t)hdr();
}

static uint64_t pg(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* DEPOSIT_MEM of @n entries from @e, starting at @next; returns RAX. */
static uint64_t deposit(uint16_t n, uint16_t next, const uint64_t *e)
{
	hdr()->entries = n;
	hdr()->next = next;
	hdr()->reserved = 0;
	for (uint16_t i = 0; i < n; i++) {
		ent()[i] = e[i];
	}
	return gcall3(CORE(SVSM_CORE_DEPOSIT_MEM), list_addr(), 0, 0);
}

/* WITHDRAW_MEM with room for @cap pages; *@got = RCX out. */
static uint64_t withdraw(uint16_t cap, uint16_t next, uint64_t *got)
{
	struct gcall c = {.rax = CORE(SVSM_CORE_WITHDRAW_MEM),
			  .rcx = list_addr()};

	hdr()->entries = cap;
	hdr()->next = next;
	hdr()->reserved = 0;
	for (uint16_t i = 0; i < cap; i++) {
		ent()[i] = 0;
	}
	if (!gcall(GT_MSR, &c)) {
		return UINT64_MAX;
	}
	*got = c.rcx;
	return c.rax;
}

static uint64_t rescind(uint64_t gpa)
{
	hdr()->entries = 1;
	hdr()->next = 0;
	hdr()->reserved = 0;
	ent()[0] = gpa;
	return gcall3(CORE(SVSM_CORE_PVALIDATE), list_addr(), 0, 0);
}

/* PVALIDATE validate without ignore_cf: 0x80001010 = still valid. */
static uint64_t validate(uint64_t gpa)
{
	hdr()->entries = 1;
	hdr()->next = 0;
	hdr()->reserved = 0;
	ent()[0] = gpa | E_VALIDATE;
	return gcall3(CORE(SVSM_CORE_PVALIDATE), list_addr(), 0, 0);
}

/* Index of @gpa in dep[], or -1. */
static int dep_index(uint64_t gpa)
{
	for (int i = 0; i < NDEP; i++) {
		if (pg(dep[i]) == gpa) {
			return i;
		}
	}
	return -1;
}

static bool all_bytes(const uint8_t *p, uint8_t v)
{
	for (int i = 0; i < 4096; i++) {
		if (p[i] != v) {
			return false;
		}
	}
	return true;
}

/*
 * Record the pages a WITHDRAW returned (from the list) in @back; true if
 * each is 4K, one of dep[] and not returned before.
 */
static bool note_withdrawn(uint64_t n, bool *back)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t e = ent()[i];
		int k = dep_index(e & ~UINT64_C(0xfff));

		if ((e & 0xfff) != 0 || k < 0 || back[k]) {
			return false;
		}
		back[k] = true;
	}
	return hdr()->next == n;
}

TEST(lifecycle, deposit_withdraw_errors)
{
	uint64_t e[2];

	e[0] = pg(dep[0]);
	EXPECT_RAX(deposit(0, 0, e), SVSM_ERR_INVALID_PARAMETER,
		   "deposit_mem: zero entries");
	EXPECT_RAX(deposit(1, 1, e), SVSM_ERR_INVALID_PARAMETER,
		   "deposit_mem: next == entries");
	e[0] = pg(dep[0]) | 1;
	EXPECT_RAX(deposit(1, 0, e), SVSM_ERR_INVALID_PARAMETER,
		   "deposit_mem: 2M entry refused");
	e[0] = pg(dep[0]) | E_VALIDATE;
	EXPECT_RAX(deposit(1, 0, e), SVSM_ERR_INVALID_PARAMETER,
		   "deposit_mem: reserved entry bits");
	e[0] = g.svsm_base;
	EXPECT_RAX(deposit(1, 0, e), SVSM_ERR_INVALID_ADDRESS,
		   "deposit_mem: SVSM page as entry");
	e[0] = pg(g.caa);
	EXPECT_RAX(deposit(1, 0, e), SVSM_ERR_INVALID_ADDRESS,
		   "deposit_mem: calling area as entry");
	e[0] = UINT64_C(1) << 46;
	EXPECT_RAX(deposit(1, 0, e), SVSM_ERR_INVALID_ADDRESS,
		   "deposit_mem: not guest RAM");
	{
		uint64_t got = 0;

		EXPECT_RAX(withdraw(0, 0, &got), SVSM_ERR_INVALID_PARAMETER,
			   "withdraw_mem: zero capacity");
		EXPECT_RAX(withdraw(2, 1, &got), SVSM_ERR_INVALID_PARAMETER,
			   "withdraw_mem: next != 0");
	}
}

TEST(lifecycle, deposit_withdraw_round_trip)
{
	uint64_t e[3];
	uint64_t got = 0;
	uint64_t total = 0;
	bool back[NDEP] = {false};
	bool ok = true;

	for (int i = 0; i < NDEP; i++) {
		memset(dep[i], 0xa5, sizeof(dep[i]));
	}
	e[0] = pg(dep[0]);
	e[1] = pg(dep[1]);
	e[2] = pg(dep[2]);
	EXPECT_RAX(deposit(3, 0, e), SVSM_SUCCESS, "deposit_mem: 3 pages");
	EXPECT_MSG(hdr()->next == 3, "deposit_mem: next == 3");
	/* From here until withdrawn, dep[0..2] must not be touched. */
	e[0] = pg(dep[1]);
	EXPECT_RAX(deposit(1, 0, e), SVSM_ERR_INVALID_ADDRESS,
		   "deposit_mem: same page twice refused");
	EXPECT_MSG(hdr()->next == 0, "deposit_mem: next on the refused entry");
	EXPECT_RAX(rescind(pg(dep[0])), SVSM_ERR_INVALID_ADDRESS,
		   "deposit_mem: deposited page cannot be rescinded");
	EXPECT_MSG(gcall3(CORE(SVSM_CORE_REMAP_CA), pg(dep[0]), 0, 0) ==
			   SVSM_ERR_INVALID_ADDRESS,
		   "deposit_mem: deposited page cannot become the CA");
	EXPECT_MSG(gcall3(CORE(SVSM_CORE_CREATE_VCPU), pg(dep[2]), pg(ca_new),
			  0) == SVSM_ERR_INVALID_ADDRESS,
		   "deposit_mem: deposited page cannot become a VMSA");
	/* A good entry, then a deposited one: stops on the second. */
	e[0] = pg(dep[3]);
	e[1] = pg(dep[0]);
	EXPECT_RAX(deposit(2, 0, e), SVSM_ERR_INVALID_ADDRESS,
		   "deposit_mem: new page then a deposited one");
	EXPECT_MSG(hdr()->next == 1,
		   "deposit_mem: next == 1 (first one taken)");

	/* Four pages in: withdraw 2, then ask for 8 (gets 2), then 0. */
	EXPECT_RAX(withdraw(2, 0, &got), SVSM_SUCCESS, "withdraw_mem: 2 pages");
	EXPECT_MSG(got == 2 && note_withdrawn(got, back),
		   "withdraw_mem: RCX == next == 2, deposited 4K pages");
	total += got;
	EXPECT_RAX(withdraw(8, 0, &got), SVSM_SUCCESS,
		   "withdraw_mem: ask for more than is left");
	EXPECT_MSG(got == 2 && note_withdrawn(got, back),
		   "withdraw_mem: only the 2 left come back");
	total += got;
	EXPECT_RAX(withdraw(8, 0, &got), SVSM_SUCCESS,
		   "withdraw_mem: empty pool is a success");
	EXPECT_MSG(got == 0 && hdr()->next == 0, "withdraw_mem: 0 pages");
	for (int i = 0; i < NDEP; i++) {
		ok = ok && back[i];
	}
	EXPECT_MSG(ok && total == NDEP,
		   "withdraw_mem: every deposited page back");

	/* Only now may the guest touch them again. */
	ok = true;
	for (int i = 0; i < NDEP; i++) {
		ok = ok && all_bytes(dep[i], 0);
	}
	EXPECT_MSG(ok, "withdraw_mem: pages come back zeroed");
	ok = true;
	for (int i = 0; i < NDEP; i++) {
		memset(dep[i], 0x3c + i, sizeof(dep[i]));
		ok = ok && all_bytes(dep[i], (uint8_t)(0x3c + i));
	}
	EXPECT_MSG(ok, "withdraw_mem: pages writable again");
	EXPECT_RAX(validate(pg(dep[1])), SVSM_PVALIDATE_FAIL_UNCHANGED,
		   "withdraw_mem: page still validated");
	EXPECT_RAX(rescind(pg(dep[1])), SVSM_SUCCESS,
		   "withdraw_mem: page is ordinary guest memory");
	/* Not valid any more: deposit validates it again; then withdraw. */
	e[0] = pg(dep[1]);
	EXPECT_RAX(deposit(1, 0, e), SVSM_SUCCESS,
		   "deposit_mem: a rescinded page");
	EXPECT_RAX(withdraw(4, 0, &got), SVSM_SUCCESS,
		   "withdraw_mem: second round trip");
	EXPECT_MSG(got == 1 && ent()[0] == pg(dep[1]),
		   "withdraw_mem: the same page returned");
	EXPECT_MSG(all_bytes(dep[1], 0), "withdraw_mem: zeroed again");
}

/* A VMPL2 VMSA in the reset state of docs/abi.md §8.2 (Linux's AP defaults). */
static struct snp_vmsa *make_vmsa(int i, uint64_t features)
{
	struct snp_vmsa *v = (struct snp_vmsa *)(void *)vpair[i][1];

	vmsa_reset_state(v, 2, features);
	return v;
}

static uint64_t create(uint64_t vmsa, uint64_t ca)
{
	return gcall3(CORE(SVSM_CORE_CREATE_VCPU), vmsa, ca, 0);
}

static uint64_t delete_vcpu(uint64_t vmsa)
{
	return gcall3(CORE(SVSM_CORE_DELETE_VCPU), vmsa, 0, 0);
}

/* Every page of SVSM memory (the running VMSA is one) is refused. */
static void delete_svsm_pages(struct test_ctx *_t)
{
	uint64_t bad = 0;

	for (uint64_t a = g.svsm_base; a < g.svsm_base + g.svsm_size;
	     a += 4096) {
		if (delete_vcpu(a) != SVSM_ERR_INVALID_PARAMETER) {
			bad++;
		}
	}
	EXPECT_MSG(g.svsm_size != 0 && bad == 0,
		   "delete_vcpu: no SVSM page (the running VMSA) is deletable");
}

TEST(lifecycle, create_delete_vcpu_round_trip)
{
	uint64_t features = rdmsr(MSR_SEV_STATUS) >> 2;
	uint64_t v0 = pg(vpair[0][1]);
	uint64_t v1 = pg(vpair[1][1]);
	uint64_t ca = pg(g.caa);
	struct snp_vmsa *vm = NULL;
	struct gcall c;

	EXPECT_MSG((features & SEV_FEAT_SNP_ACTIVE) != 0,
		   "create_vcpu: SEV_STATUS >> 2 has SNPActive");
	(void)make_vmsa(0, features);
	EXPECT_RAX(create(v0, ca), SVSM_SUCCESS,
		   "create_vcpu: APIC 0, the caller's CA");
	/* The hypervisor still runs the old VMSA: calls must still work. */
	memset(&c, 0, sizeof(c));
	c.rax = CORE(SVSM_CORE_QUERY_PROTOCOL);
	c.rcx = SVSM_QUERY_PROTOCOL_ARG(0, 1);
	EXPECT_MSG(gcall(GT_MSR, &c) && c.rax == SVSM_SUCCESS &&
			   c.rcx == ((UINT64_C(1) << 32) | 1) &&
			   gcall_preserved(&c),
		   "create_vcpu: msr call served from the running VMSA");
	memset(&c, 0, sizeof(c));
	c.rax = CORE(SVSM_CORE_QUERY_PROTOCOL);
	c.rcx = SVSM_QUERY_PROTOCOL_ARG(0, 1);
	EXPECT_MSG(gcall(GT_GHCB, &c) && c.rax == SVSM_SUCCESS &&
			   c.rcx == ((UINT64_C(1) << 32) | 1),
		   "create_vcpu: ghcb call served from the running VMSA");
	EXPECT_RAX(create(v0, ca), SVSM_ERR_INVALID_ADDRESS,
		   "create_vcpu: same page twice refused");
	EXPECT_RAX(rescind(v0), SVSM_ERR_INVALID_ADDRESS,
		   "create_vcpu: new VMSA cannot be rescinded");
	EXPECT_RAX(gcall3(CORE(SVSM_CORE_REMAP_CA), v0, 0, 0),
		   SVSM_ERR_INVALID_ADDRESS,
		   "create_vcpu: new VMSA cannot become the CA");
	{
		uint64_t e = v0;

		EXPECT_RAX(deposit(1, 0, &e), SVSM_ERR_INVALID_ADDRESS,
			   "create_vcpu: new VMSA cannot be deposited");
	}
	EXPECT_RAX(delete_vcpu(v0), SVSM_SUCCESS, "delete_vcpu: new VMSA");
	EXPECT_RAX(delete_vcpu(v0), SVSM_ERR_INVALID_PARAMETER,
		   "delete_vcpu: twice refused");
	vm = (struct snp_vmsa *)(void *)vpair[0][1];
	vm->rip = 0x1234;
	EXPECT_MSG(vm->rip == 0x1234, "delete_vcpu: page writable again");
	EXPECT_RAX(validate(v0), SVSM_PVALIDATE_FAIL_UNCHANGED,
		   "delete_vcpu: page is ordinary validated memory");

	/* A pending VMSA with its own CA: the old CA keeps serving calls. */
	(void)make_vmsa(0, features);
	EXPECT_RAX(create(v0, pg(ca_new)), SVSM_SUCCESS,
		   "create_vcpu: page reused, separate CA");
	EXPECT_RAX(gcall3(CORE(SVSM_CORE_QUERY_PROTOCOL),
			  SVSM_QUERY_PROTOCOL_ARG(0, 1), 0, 0),
		   SVSM_SUCCESS, "create_vcpu: calls still use the old CA");
	EXPECT_RAX(rescind(pg(ca_new)), SVSM_ERR_INVALID_ADDRESS,
		   "create_vcpu: the pending CA is protected");
	(void)make_vmsa(1, features);
	EXPECT_RAX(create(v1, pg(ca_new)), SVSM_SUCCESS,
		   "create_vcpu: second pending VMSA, same CA");
	EXPECT_RAX(delete_vcpu(v0), SVSM_SUCCESS,
		   "delete_vcpu: the older pending VMSA");
	EXPECT_RAX(create(v1, pg(ca_new)), SVSM_ERR_INVALID_ADDRESS,
		   "create_vcpu: newer one still registered");
	EXPECT_RAX(delete_vcpu(v1), SVSM_SUCCESS,
		   "delete_vcpu: the newer pending VMSA");
	EXPECT_RAX(validate(pg(ca_new)), SVSM_PVALIDATE_FAIL_UNCHANGED,
		   "delete_vcpu: its CA is ordinary memory again");
	EXPECT_RAX(gcall3(CORE(SVSM_CORE_QUERY_PROTOCOL),
			  SVSM_QUERY_PROTOCOL_ARG(0, 1), 0, 0),
		   SVSM_SUCCESS, "delete_vcpu: calls still served");
	delete_svsm_pages(_t);
}
