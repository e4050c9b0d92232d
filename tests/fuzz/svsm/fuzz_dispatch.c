// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the SVSM core (docs/style.md §6): the input is a small
 * program for a hostile guest. It sets up 1–4 vCPUs on the fake SNP
 * platform (tests/unit/svsm/fakes), then runs a sequence of operations:
 * guest writes to its own memory (page lists, VMSA candidates, raw bytes),
 * host-side fault injection (faulting page, byte flipped after the first
 * read, failing RMPADJUST/PVALIDATE, VMSA in use), and SVSM calls with
 * chosen protocol, call id and RCX/RDX/R8/R9, made through the same
 * svsm_request_process() the request loop uses.
 *
 * The guest is modelled honestly: it only writes pages its VMPL may write
 * in the fake RMP. After every call the harness checks the invariants that
 * keep the SVSM safe (fuzz_invariants.c); a violation is __builtin_trap(),
 * which libFuzzer reports as a crash, as it does for ASan/UBSan reports
 * and CHECK() panics.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "svsm/deposit_pool.h"
#include "svsm/request.h"
#include "svsm/vcpu.h"

#include "svsm/abi/snp.h"
#include "svsm/abi/svsm_call.h"
#include "svsm/abi/vmsa.h"

#include "fakes/fake_platform.h"
#include "fuzz_input.h"
#include "fuzz_svsm.h"

/*
 * A page address. Mostly pages the SVSM cares about (CAAs, VMSAs, its own
 * memory, the pool, region edges), so mutations reach deep states fast;
 * sometimes anything at all.
 */
static uint64_t addr_page(struct fuzz_in *in)
{
	uint8_t sel = u8(in);
	uint8_t arg = u8(in);
	uint32_t v = (uint32_t)(sel >> 4) % fz.vcpu_count;
	struct svsm_vcpu *vc = vcpu_by_apic_id(v);
	uint32_t pool = deposit_pool_count();

	switch (sel & 15) {
	case 0:
		return u64(in) & PAGE_MASK;
	case 1:
		return vc != NULL ? gpa_val(vc->caa) : 0;
	case 2:
		return vc != NULL ? gpa_val(vc->guest_vmsa) : 0;
	case 3:
		return FUZZ_FREE + PAGE_SIZE * (arg % 64u);
	case 4:
		return FUZZ_UNVAL + PAGE_SIZE * arg;
	case 5:
		return FAKE_SVSM_BASE + PAGE_SIZE * (arg % 80u);
	case 6:
		return pool != 0 ? gpa_val(deposit_pool_peek_free(arg % pool))
				 : FUZZ_FREE;
	case 7:
		return FAKE_RAM_SIZE - PAGE_SIZE * (arg % 4u);
	case 8:
		return (uint64_t)(arg % 9u) << 21;
	case 9:
		return FUZZ_SCRATCH + PAGE_SIZE * (arg % 4u);
	case 10:
		return fz.cand_count != 0 ? fz.cand[arg % fz.cand_count]
					  : FUZZ_SCRATCH;
	case 11:
		return 0xa0000 + PAGE_SIZE * (arg % 0x60u);
	default:
		return PAGE_SIZE *
		       (uint64_t)(((uint32_t)arg << 4) | (sel >> 4));
	}
}

/* Any address: a page plus an offset that is usually 8-byte aligned. */
static uint64_t addr_any(struct fuzz_in *in)
{
	uint64_t page = addr_page(in);
	uint8_t off = u8(in);

	if (off < 0xe0) {
		return page + 8u * off;
	}
	if (off < 0xf0) {
		return page + 4096 - 8u * (off & 15); /* near the page end */
	}
	return page + u16(in); /* unaligned, may cross pages */
}

/* A register value: an address, a small number, or raw bits. */
static uint64_t reg(struct fuzz_in *in)
{
	uint8_t sel = u8(in);

	if (sel < 0x80) {
		return addr_any(in);
	}
	if (sel < 0xc0) {
		return sel & 0x3f;
	}
	if (sel < 0xe0) {
		return addr_page(in) | (sel & 0x1f);
	}
	return u64(in);
}

/* A page-list entry (docs/abi.md §3.2): a page and the low 12 bits. */
static uint64_t list_entry(struct fuzz_in *in)
{
	uint8_t f = u8(in);

	if (f == 0xff) {
		return u64(in);
	}
	/* size (0/1, sometimes 2/3), validate, ignore_cf; rarely reserved. */
	return addr_page(in) | (f & 0xf) | ((f & 0x80) ? (f & 0x70) : 0);
}

static void op_list(struct fuzz_in *in)
{
	uint64_t at = addr_any(in);
	uint8_t mode = u8(in);
	uint16_t count = (uint16_t)(u8(in) % 24u);
	struct svsm_pvalidate_hdr h = {count, 0, 0};

	/* Mostly a consistent header; sometimes arbitrary fields. */
	if (mode & 1) {
		h.entries = u16(in);
	}
	if (mode & 2) {
		h.next = u16(in);
	} else if (count != 0) {
		h.next = (uint16_t)((mode >> 4) % count);
	}
	if (mode & 4) {
		h.reserved = (uint32_t)u64(in);
	}
	/* A long run of consecutive 4K entries, as Linux sends. */
	if (mode & 8) {
		uint64_t base = addr_page(in) | (u8(in) & 0xc);

		count = (uint16_t)(1u +
				   u16(in) % SVSM_PVALIDATE_MAX_ENTRIES_CAA);
		h.entries = count;
		fuzz_guest_write(at, &h, sizeof(h));
		for (uint16_t i = 0; i < count; i++) {
			uint64_t e = base + PAGE_SIZE * i;

			fuzz_guest_write(at + 8 + 8u * i, &e, 8);
		}
		return;
	}
	fuzz_guest_write(at, &h, sizeof(h));
	for (uint16_t i = 0; i < count; i++) {
		uint64_t e = list_entry(in);

		fuzz_guest_write(at + 8 + 8u * i, &e, 8);
	}
}

/* A VMSA candidate for CREATE_VCPU, usually one that passes the checks. */
static void op_vmsa(struct fuzz_in *in)
{
	uint64_t page = addr_page(in);
	uint8_t mode = u8(in);
	uint8_t vmpl = (mode & 1) ? u8(in) : FUZZ_VMPL;
	uint64_t efer = (mode & 2) ? u64(in) : VMSA_EFER_SVME;
	uint64_t feat = (mode & 4) ? u64(in) : SEV_FEAT_SNP_ACTIVE;

	fuzz_guest_write(page + offsetof(struct snp_vmsa, vmpl), &vmpl, 1);
	fuzz_guest_write(page + offsetof(struct snp_vmsa, efer), &efer, 8);
	fuzz_guest_write(page + offsetof(struct snp_vmsa, sev_features), &feat,
			 8);
	fuzz_note_candidate(page);
}

static void op_raw(struct fuzz_in *in)
{
	uint64_t at = addr_any(in);
	uint8_t len = (uint8_t)(u8(in) % 32u);
	uint8_t buf[32];

	for (uint8_t i = 0; i < len; i++) {
		buf[i] = u8(in);
	}
	fuzz_guest_write(at, buf, len);
}

static void op_call(struct fuzz_in *in)
{
	uint8_t flags = u8(in);
	uint8_t pb = u8(in);
	struct fuzz_call c;

	memset(&c, 0, sizeof(c));
	c.caller = vcpu_by_apic_id((uint32_t)(flags & 3) % fz.vcpu_count);
	c.via_dispatch = (flags & 0x30) == 0x30;
	if (c.via_dispatch && (flags & 0x40)) {
		c.caller = NULL;
	}
	c.not_vmgexit = (flags & 0x38) == 0x08;
	c.no_pending = (flags & 0x38) == 0x10;
	c.protocol = pb < 0xc0 ? 0 : pb < 0xf8 ? (pb & 7) : (uint32_t)u64(in);
	c.call_id = u8(in);
	if (c.call_id >= 0xf0) {
		c.call_id = (uint32_t)u64(in);
	} else {
		c.call_id %= 10u;
	}
	c.rcx = reg(in);
	c.rdx = reg(in);
	c.r8 = reg(in);
	c.r9 = (flags & 0x80) ? u64(in) : 0;
	if (c.call_id == SVSM_CORE_CREATE_VCPU && c.protocol == 0) {
		fuzz_note_candidate(c.rcx & PAGE_MASK);
	}
	fuzz_call(&c);
}

static void op_host(struct fuzz_in *in)
{
	uint8_t what = u8(in);
	/* Real SNP failure codes only: rc 0 would fake a success. */
	static const int rcs[] = {SNP_RC_FAIL_INPUT, SNP_RC_FAIL_PERMISSION,
				  SNP_RC_FAIL_INUSE, SNP_RC_FAIL_OVERLAP,
				  SNP_RC_FAIL_SIZEMISMATCH};
	int rc = rcs[(what >> 3) % ARRAY_SIZE(rcs)];

	switch (what & 7) {
	case 0:
		fake_set_fault_page(addr_page(in));
		break;
	case 1:
		fake_set_fault_page(UINT64_MAX);
		break;
	case 2:
		fz.mutation = addr_any(in);
		fake_set_mutation(fz.mutation, u8(in));
		break;
	case 3:
		fake_fail_next_rmpadjust(rc);
		break;
	case 4:
		fake_fail_next_pvalidate(rc);
		break;
	default:
		fake_set_vmsa_in_use((what & 8) != 0);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	uint8_t cfg = u8(&in);
	uint32_t ops = 0;

	fuzz_setup(cfg, u8(&in));
	/* Bounded: one input stays fast even with a 4 KiB program. */
	while (in.n != 0 && ops++ < 64) {
		uint8_t op = u8(&in);

		switch (op % 8) {
		case 0:
		case 1:
		case 2:
			op_call(&in);
			break;
		case 3:
		case 4:
			op_list(&in);
			break;
		case 5:
			op_vmsa(&in);
			break;
		case 6:
			op_raw(&in);
			break;
		default:
			op_host(&in);
			break;
		}
	}
	return 0;
}
