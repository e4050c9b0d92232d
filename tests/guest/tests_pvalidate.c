// SPDX-License-Identifier: MIT
/*
 * Core PVALIDATE (docs/abi.md §3.2, §11 items 4, 5, 15): header and entry
 * checks, progress (next), already-valid pages, zeroing on validation,
 * 2M on 4K, SVSM memory and the calling area.
 */
#include "lib/string.h"

#include "guest.h"

#define PV SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_PVALIDATE)
#define E_VALIDATE (UINT64_C(1) << 2)
#define E_IGNCF (UINT64_C(1) << 3)

static uint8_t scratch[4][4096] __attribute__((aligned(4096)));

static struct svsm_pvalidate_hdr *hdr(void)
{
	return (struct svsm_pvalidate_hdr *)(void *)g.caa->svsm_buffer;
}

static uint64_t *ent(void)
{
	return (uint64_t *)(void *)(hdr() + 1);
}

/* One request in the CAA buffer; returns RAX. */
static uint64_t pv(uint16_t n, uint16_t next, uint32_t rsvd, const uint64_t *e)
{
	hdr()->entries = n;
	hdr()->next = next;
	hdr()->reserved = rsvd;
	for (uint16_t i = 0; i < n && i < 8; i++) {
		ent()[i] = e[i];
	}
	return gcall3(PV, (uint64_t)(uintptr_t)hdr(), 0, 0);
}

static uint64_t page(int i)
{
	return (uint64_t)(uintptr_t)scratch[i];
}

TEST(pvalidate, header_checks)
{
	uint64_t e[4];

	e[0] = page(0);
	EXPECT_RAX(pv(0, 0, 0, e), SVSM_ERR_INVALID_PARAMETER,
		   "pvalidate: zero entries");
	EXPECT_RAX(pv(1, 1, 0, e), SVSM_ERR_INVALID_PARAMETER,
		   "pvalidate: next == entries");
	EXPECT_RAX(pv(1, 7, 0, e), SVSM_ERR_INVALID_PARAMETER,
		   "pvalidate: next > entries");
	EXPECT_RAX(pv(511, 0, 0, e), SVSM_ERR_INVALID_PARAMETER,
		   "pvalidate: 511 entries do not fit the CAA");
	/*
	 * The header's reserved word is ignored: Linux never initialises it
	 * (svsm_build_ca_from_pfn_range sets only num_entries/cur_index).
	 */
	e[0] = page(0) | E_VALIDATE | E_IGNCF;
	EXPECT_RAX(pv(1, 0, 0xffffffffu, e), SVSM_SUCCESS,
		   "pvalidate: reserved header word ignored (Linux leaves it)");
	e[0] = page(0) | 0x10;
	EXPECT_RAX(pv(1, 0, 0, e), SVSM_ERR_INVALID_PARAMETER,
		   "pvalidate: reserved entry bits");
	e[0] = page(0) | 2;
	EXPECT_RAX(pv(1, 0, 0, e), SVSM_ERR_INVALID_PARAMETER,
		   "pvalidate: page size 2");
	e[0] = page(0) | 3;
	EXPECT_RAX(pv(1, 0, 0, e), SVSM_ERR_INVALID_PARAMETER,
		   "pvalidate: page size 3");
	EXPECT_MSG(gcall3(PV, (uint64_t)(uintptr_t)hdr() + 1, 0, 0) !=
			   SVSM_SUCCESS,
		   "pvalidate: misaligned request");
	hdr()->entries = 2;
	hdr()->next = 0;
	EXPECT_MSG(gcall3(PV, (uint64_t)(uintptr_t)g.caa + 4088, 0, 0) !=
			   SVSM_SUCCESS,
		   "pvalidate: request crossing a page");
	HOSTILE_RAX(HP_CORE, gcall3(PV, g.svsm_base, 0, 0),
		    SVSM_ERR_INVALID_ADDRESS,
		    "pvalidate: request in SVSM memory");
	HOSTILE_RAX(HP_CORE, gcall3(PV, UINT64_MAX & ~UINT64_C(7), 0, 0),
		    SVSM_ERR_INVALID_ADDRESS,
		    "pvalidate: request at the top of the address space");
}

TEST(pvalidate, entries_refused)
{
	uint64_t e[4];

	e[0] = g.svsm_base | E_VALIDATE;
	EXPECT_RAX(pv(1, 0, 0, e), SVSM_ERR_INVALID_ADDRESS,
		   "pvalidate: SVSM memory");
	e[0] = (g.svsm_base + g.svsm_size - 4096);
	EXPECT_RAX(pv(1, 0, 0, e), SVSM_ERR_INVALID_ADDRESS,
		   "pvalidate: last SVSM page (rescind)");
	e[0] = (uint64_t)(uintptr_t)g.caa;
	EXPECT_RAX(pv(1, 0, 0, e), SVSM_ERR_INVALID_ADDRESS,
		   "pvalidate: rescind the calling area");
	e[0] = (UINT64_C(1) << 46) | E_VALIDATE;
	EXPECT_RAX(pv(1, 0, 0, e), SVSM_ERR_INVALID_ADDRESS,
		   "pvalidate: not guest RAM");
	e[0] = (g.svsm_base & ~((UINT64_C(1) << 21) - 1)) | 1 | E_VALIDATE;
	HOSTILE_RAX(HP_CORE, pv(1, 0, 0, e), SVSM_ERR_INVALID_ADDRESS,
		    "pvalidate: 2M entry covering SVSM memory");
	e[0] = page(0) | 1 | E_VALIDATE; /* 4K aligned, not 2M aligned */
	HOSTILE_RAX(HP_CORE, pv(1, 0, 0, e), SVSM_ERR_INVALID_PARAMETER,
		    "pvalidate: misaligned 2M");
}

TEST(pvalidate, already_valid)
{
	uint64_t e[4];

	/* Already valid (launch pages): FAIL_UNCHANGED unless ignore_cf. */
	e[0] = page(0) | E_VALIDATE;
	EXPECT_RAX(pv(1, 0, 0, e), SVSM_PVALIDATE_FAIL_UNCHANGED,
		   "pvalidate: already valid -> 0x80001010");
	EXPECT_MSG(hdr()->next == 0,
		   "pvalidate: next stays on the failing entry");
	e[0] = page(0) | E_VALIDATE | E_IGNCF;
	EXPECT_RAX(pv(1, 0, 0, e), SVSM_SUCCESS,
		   "pvalidate: already valid with ignore_cf");
	EXPECT_MSG(hdr()->next == 1, "pvalidate: next == entries on success");
}

TEST(pvalidate, rescind_then_validate)
{
	uint64_t e[4];

	/* Round trip with zeroing: rescind, then validate. */
	memset(scratch[1], 0xee, sizeof(scratch[1]));
	e[0] = page(1);
	EXPECT_RAX(pv(1, 0, 0, e), SVSM_SUCCESS, "pvalidate: rescind");
	EXPECT_RAX(pv(1, 0, 0, e), SVSM_PVALIDATE_FAIL_UNCHANGED,
		   "pvalidate: rescind twice -> 0x80001010");
	e[0] = page(1) | E_VALIDATE;
	EXPECT_RAX(pv(1, 0, 0, e), SVSM_SUCCESS, "pvalidate: validate again");
	{
		bool zero = true;

		for (int i = 0; i < 4096; i++) {
			zero = zero && scratch[1][i] == 0;
		}
		EXPECT_MSG(zero, "pvalidate: page zeroed on validation");
	}
}

TEST(pvalidate, bad_middle_entry)
{
	uint64_t e[4];

	/* A failing middle entry stops there. */
	e[0] = page(2) | E_VALIDATE | E_IGNCF;
	e[1] = g.svsm_base | E_VALIDATE;
	e[2] = page(3) | E_VALIDATE | E_IGNCF;
	EXPECT_RAX(pv(3, 0, 0, e), SVSM_ERR_INVALID_ADDRESS,
		   "pvalidate: bad middle entry");
	EXPECT_MSG(hdr()->next == 1,
		   "pvalidate: next == index of the bad entry");
	EXPECT_RAX(pv(3, 2, 0, e), SVSM_SUCCESS,
		   "pvalidate: resume after the bad entry");
}

TEST(pvalidate, two_mib_on_4k_entries)
{
	uint64_t e[4];

	/*
	 * 2M on 4K RMP entries, and Linux's fallback (docs/abi.md §3.2): RAM
	 * the image did not load starts shared; the guest makes [2M, 4M)
	 * private page by page (so the RMP holds 4K entries), a 2M PVALIDATE
	 * must answer exactly 0x80001006, and the same range then validates as
	 * 512 4K entries: 510 (a full CAA) in one call, then 2.
	 */
	{
		bool psc_ok = true;
		uint64_t *big = ent();
		uint64_t rax = 0;

		for (uint64_t a = UINT64_C(0x200000); a < UINT64_C(0x400000);
		     a += 4096) {
			psc_ok = psc_ok && guest_psc(a, false);
		}
		EXPECT_MSG(psc_ok,
			   "pvalidate: [2M, 4M) made private (GHCB PSC)");
		e[0] = (UINT64_C(1) << 21) | 1 | E_VALIDATE;
		EXPECT_RAX(pv(1, 0, 0, e), SVSM_PVALIDATE_FAIL_SIZEMISMATCH,
			   "pvalidate: 2M on 4K -> 0x80001006");
		EXPECT_MSG(hdr()->next == 0,
			   "pvalidate: 2M mismatch leaves next");
		hdr()->entries = SVSM_PVALIDATE_MAX_ENTRIES_CAA;
		hdr()->next = 0;
		for (uint64_t i = 0; i < SVSM_PVALIDATE_MAX_ENTRIES_CAA; i++) {
			big[i] = (UINT64_C(0x200000) + i * 4096) | E_VALIDATE;
		}
		rax = gcall3(PV, (uint64_t)(uintptr_t)hdr(), 0, 0);
		EXPECT_RAX(rax, SVSM_SUCCESS,
			   "pvalidate: 510 4K entries in one call");
		EXPECT_MSG(hdr()->next == SVSM_PVALIDATE_MAX_ENTRIES_CAA,
			   "pvalidate: next == 510 after the full list");
		hdr()->entries = 2;
		hdr()->next = 0;
		big[0] = UINT64_C(0x3fe000) | E_VALIDATE;
		big[1] = UINT64_C(0x3ff000) | E_VALIDATE;
		EXPECT_RAX(gcall3(PV, (uint64_t)(uintptr_t)hdr(), 0, 0),
			   SVSM_SUCCESS,
			   "pvalidate: the last 2 of the 2M range");
		EXPECT_MSG(*(volatile uint64_t *)(uintptr_t)UINT64_C(
				   0x3ff000) == 0,
			   "pvalidate: newly validated page reads as zero");
	}
}
