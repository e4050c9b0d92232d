// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the page-list decoders of the core protocol
 * (protocols/core_pvalidate.c, protocols/core_mem.c; docs/abi.md §3.2,
 * §3.5): PVALIDATE, DEPOSIT_MEM and WITHDRAW_MEM with the list page
 * written by the guest from the raw input. Where the dispatch target
 * builds lists from a small vocabulary, here the header and every entry
 * are input bytes; only an entry's GFN is folded into guest RAM (most of
 * the time) so that entries name pages the fake machine has.
 *
 * After each call the invariants of fuzz_invariants.c (I1-I7: result
 * codes, SVSM and pool pages untouched, zeroed grants, `next` monotonic
 * and exact, every processed entry in effect) are checked.
 *
 * Input: cfg, backing, then up to 4 calls, each: flags (call, caller,
 * list placement, GFN folding), an offset byte, a length, the list bytes.
 */
#include <string.h>

#include "svsm/abi/svsm_call.h"

#include "fakes/fake_platform.h"
#include "fuzz_input.h"
#include "fuzz_svsm.h"

#define RAM_PAGES (FAKE_RAM_SIZE / PAGE_SIZE)

static const uint32_t calls[] = {SVSM_CORE_PVALIDATE, SVSM_CORE_DEPOSIT_MEM,
				 SVSM_CORE_WITHDRAW_MEM};

/* Where the list goes: the scratch pages, sometimes the caller's CAA. */
static uint64_t list_gpa(struct fuzz_in *in, uint8_t flags)
{
	uint8_t off = u8(in);
	uint64_t page = FUZZ_SCRATCH + PAGE_SIZE * ((flags >> 2) & 3);

	if ((flags & 0x30) == 0x30) {
		page = gpa_val(vcpu_by_apic_id(0)->caa);
	}
	/* 8-byte aligned near the start or the end; rarely unaligned. */
	if (off & 0x80) {
		return page + PAGE_SIZE - 8u * (off & 0x3f);
	}
	return page + ((off & 0x40) ? (off & 0x3f) : 8u * (off & 0x3f));
}

static void call(struct fuzz_in *in)
{
	uint8_t flags = u8(in);
	uint64_t at = list_gpa(in, flags);
	uint16_t len = (uint16_t)(u16(in) % (PAGE_SIZE + 1));
	bool fold = (flags & 0x40) == 0;
	struct fuzz_call c;
	uint8_t list[PAGE_SIZE];

	memset(list, 0, sizeof(list));
	for (uint16_t i = 0; i < len; i++) {
		list[i] = u8(in);
	}
	/* Entries after the 8-byte header: GFN folded into guest RAM. */
	for (size_t i = 8; fold && i + 8 <= len; i += 8) {
		uint64_t e = 0;

		memcpy(&e, list + i, 8);
		e = (e & 0xfff) | (((e >> 12) % RAM_PAGES) << 12);
		memcpy(list + i, &e, 8);
	}
	fuzz_guest_write(at, list, len);
	memset(&c, 0, sizeof(c));
	c.caller = vcpu_by_apic_id((uint32_t)(flags >> 7) % fz.vcpu_count);
	c.call_id = calls[(flags & 3) % 3];
	c.rcx = at;
	fuzz_call(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	uint8_t cfg = u8(&in);

	fuzz_setup(cfg, u8(&in));
	for (int i = 0; i < 4 && in.n != 0; i++) {
		call(&in);
	}
	return 0;
}
