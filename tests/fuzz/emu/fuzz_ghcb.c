// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for snpemu's GHCB handler (emu/ghcb.c with the real
 * emu/ghcb_msr.c, emu/rmp.c and emu/psp_faults.c; GHCB spec 56421,
 * docs/abi.md §1.4, §7.4): a hostile guest makes up to 8 VMGEXITs, each
 * either an MSR-protocol request or an NAE event whose GHCB page - exit
 * code, exit information, scratch area, valid bitmap, registers, shared
 * buffer (PSC entries) - comes from the input. The rest of snpemu is the
 * fake of fake_machine.c; the VM stopping ends the input.
 *
 * Harness limit: MMIO events aimed at the HPET window are redirected to
 * an absent address, because snpemu reaches the HPET through a host
 * pointer that does not exist in a hosted process.
 *
 * Invariants after every VMGEXIT that returns (a violation traps):
 *  G1 an MSR-protocol request gets its response code (GHCB spec §2.3.1:
 *     SEV_INFO 0x002 -> 0x001, CPUID 0x004 -> 0x005, REG_GPA 0x012 ->
 *     0x013 with the GFN asked for or all ones, PSC 0x014 -> 0x015,
 *     RUN_VMPL 0x016 -> 0x017, HV_FEATURES 0x080 -> 0x081);
 *  G2 an NAE event answers in SW_EXITINFO1/2, both marked valid: 0, an
 *     exception to inject (#UD or #GP), or an error GHCB_ERR_* 1..6; no
 *     field other than RAX, RBX, RCX, RDX and the two results is valid
 *     (unless the guest named its own GHCB as an output page, e.g. of a
 *     guest request: then the page holds that output);
 *  G3 no page that was private (assigned in the RMP) changed contents:
 *     the hypervisor side can only touch shared memory;
 *  G4 the RMP changes only for pages the event named (an MSR PSC's GFN,
 *     an NAE PSC's entries from cur_entry, 2 MiB ones whole), a VMSA a
 *     vCPU runs never (one no vCPU runs may be converted, as RMPUPDATE
 *     does: docs/snpemu.md row F6), and an NAE PSC's cur_entry never goes
 *     backwards or past end_entry + 1.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "svsm/abi/ghcb.h"
#include "svsm/abi/ghcb_nae.h"

#include "../fuzz_check.h"
#include "../svsm/fuzz_input.h"
#include "fake_machine.h"
#include "ghcb_msr.h"

#define GHCB_GFN(v) (UINT64_C(0x20) + (v)) /* each VMPL's GHCB page */
#define SVSM_GFN UINT64_C(0x100)           /* 16 private VMPL0 pages */
#define GUEST_GFN UINT64_C(0x200)          /* 16 private guest pages */
#define VMSA_GFN(v) (UINT64_C(0x110) + (v))
#define VALID(f) (offsetof(struct ghcb, f) / 8)

static struct machine *const m = &emu_machine;
static struct rmp_entry pre_rmp[FAKE_EMU_PAGES];
static uint8_t shadow[FAKE_EMU_PAGES][PAGE_SIZE];
static bool may_change[FAKE_EMU_PAGES];
static bool pre_running[FAKE_EMU_PAGES]; /* a vCPU's current VMSA (G4) */
static struct ghcb pre_ghcb;

static const uint64_t nae_codes[] = {
	SVM_EXIT_CPUID,
	SVM_EXIT_IOIO,
	SVM_EXIT_MSR,
	SVM_VMGEXIT_MMIO_READ,
	SVM_VMGEXIT_MMIO_WRITE,
	SVM_VMGEXIT_PSC,
	SVM_VMGEXIT_AP_CREATION,
	SVM_VMGEXIT_SNP_RUN_VMPL,
	SVM_VMGEXIT_HV_FEATURES,
	SVM_EXIT_WRITE_DR7,
	SVM_EXIT_RDPMC,
	SVM_EXIT_WBINVD,
	SVM_EXIT_MONITOR,
	SVM_EXIT_MWAIT,
	SVM_VMGEXIT_TERM_REQUEST,
	SVM_VMGEXIT_GUEST_REQUEST,
	SVM_VMGEXIT_EXT_GUEST_REQUEST,
};

static const uint16_t msr_codes[] = {
	GHCB_MSR_SEV_INFO_REQ, GHCB_MSR_CPUID_REQ,    GHCB_MSR_REG_GPA_REQ,
	GHCB_MSR_PSC_REQ,      GHCB_MSR_RUN_VMPL_REQ, GHCB_MSR_HV_FEATURES_REQ,
	GHCB_MSR_TERM_REQ,
};

/* A guest address: a page of guest RAM (maybe a special one), or raw. */
static uint64_t gpa_of(struct fuzz_in *in)
{
	uint8_t sel = u8(in);
	uint64_t g = u16(in);

	if (sel & 0x80) {
		return u64(in);
	}
	g = ((g % FAKE_EMU_PAGES) << PAGE_SHIFT) | ((sel & 0x40) ? u8(in) : 0);
	return (sel & 0x20) ? g | EMU_CBIT : g;
}

static void setup(uint8_t cfg)
{
	fake_emu_reset(m);
	for (uint64_t i = 0; i < 16; i++) {
		(void)rmp_launch_page(&m->rmp, (SVSM_GFN + i) << PAGE_SHIFT);
		(void)rmp_launch_page(&m->rmp, (GUEST_GFN + i) << PAGE_SHIFT);
		memset(fake_emu_ram((SVSM_GFN + i) << PAGE_SHIFT), 0x5c,
		       PAGE_SIZE);
	}
	for (unsigned v = 0; v < SNP_VMPL_COUNT; v++) {
		m->cpu->ctx[v].ghcb_gfn = GHCB_GFN(v);
		m->cpu->ctx[v].vmsa_gpa = VMSA_GFN(v) << PAGE_SHIFT;
		(void)rmp_launch_page(&m->rmp, VMSA_GFN(v) << PAGE_SHIFT);
		rmp_entry_at(&m->rmp, VMSA_GFN(v) << PAGE_SHIFT)->flags |=
			RMP_F_VMSA;
	}
	m->cpu->cur = (cfg & 1) ? 2 : 0;
	if (cfg & 2) { /* a GHCB the guest left private */
		(void)rmp_launch_page(&m->rmp, GHCB_GFN(m->cpu->cur)
						       << PAGE_SHIFT);
	}
}

static void msr_request(struct fuzz_in *in)
{
	uint8_t sel = u8(in);
	uint64_t data = u64(in);
	uint16_t code = msr_codes[sel % ARRAY_SIZE(msr_codes)];

	if (sel >= 0xf0) {
		emu_cur(m)->ghcb_msr = data; /* anything at all */
		return;
	}
	if (code == GHCB_MSR_PSC_REQ && !(sel & 0x80)) {
		/* GFN in RAM, op 1 or 2 (GHCB spec Table 5). */
		data = (data % FAKE_EMU_PAGES) |
		       ((uint64_t)(1 + (sel >> 6 & 1)) << 40);
	}
	if (code == GHCB_MSR_REG_GPA_REQ && !(sel & 0x80)) {
		data %= FAKE_EMU_PAGES;
	}
	emu_cur(m)->ghcb_msr = (data << GHCB_MSR_DATA_SHIFT) | code;
}

static void nae_request(struct fuzz_in *in)
{
	uint8_t sel = u8(in);
	uint8_t vsel = u8(in);
	uint64_t gfn = emu_cur(m)->ghcb_gfn;
	struct ghcb *g = (struct ghcb *)fake_emu_ram(gfn << PAGE_SHIFT);
	uint16_t n = 0;

	emu_cur(m)->ghcb_msr = gfn << PAGE_SHIFT;
	if (gfn >= FAKE_EMU_PAGES) {
		return; /* no GHCB registered: the handler stops the VM */
	}
	g->sw_exit_code =
		sel < 0xf0 ? nae_codes[sel % ARRAY_SIZE(nae_codes)] : u64(in);
	g->sw_exit_info_1 = (vsel & 0x80) ? gpa_of(in) : u64(in);
	g->sw_exit_info_2 = (vsel & 0x40) ? gpa_of(in) : u64(in);
	g->sw_scratch = (gfn << PAGE_SHIFT) +
			offsetof(struct ghcb, shared_buffer) +
			8u * (u8(in) % 8u);
	if (vsel & 0x20) {
		g->sw_scratch = u64(in);
	}
	g->rax = u64(in);
	g->rbx = u8(in);
	g->rcx = u64(in);
	g->rdx = u64(in);
	/* Usually every input marked valid; sometimes a raw bitmap. */
	memset(g->valid_bitmap, 0, sizeof(g->valid_bitmap));
	if (vsel & 0x10) {
		for (size_t i = 0; i < sizeof(g->valid_bitmap); i++) {
			g->valid_bitmap[i] = u8(in);
		}
	} else {
		static const size_t f[] = {VALID(sw_exit_code),
					   VALID(sw_exit_info_1),
					   VALID(sw_exit_info_2),
					   VALID(sw_scratch),
					   VALID(rax),
					   VALID(rbx),
					   VALID(rcx),
					   VALID(rdx)};

		for (size_t i = 0; i < ARRAY_SIZE(f); i++) {
			if (!((vsel >> (i % 4)) & 1) || i < 3) {
				g->valid_bitmap[f[i] / 8] |= 1u << (f[i] % 8);
			}
		}
	}
	g->protocol_version = (vsel & 8) ? u16(in) : GHCB_PROTOCOL_MAX;
	g->ghcb_usage = (vsel & 4) && (sel & 1) ? u8(in) : 0;
	/* The shared buffer: a PSC header and entries, GFNs in RAM. */
	n = (uint16_t)(u8(in) % 64u);
	for (uint16_t i = 0; i < n && 8u * (i + 1) <= 2032u; i++) {
		uint64_t e = u64(in);

		if (i != 0 && !(sel & 0x40)) {
			e = (e & ~(UINT64_C(0xffffffffff) << 12)) |
			    ((((e >> 12) & 0xffffffffffu) % FAKE_EMU_PAGES)
			     << 12);
		}
		memcpy(g->shared_buffer + 8u * i, &e, 8);
	}
	/* Harness limit (header): no MMIO to the HPET's host pointer. */
	if ((g->sw_exit_code == SVM_VMGEXIT_MMIO_READ ||
	     g->sw_exit_code == SVM_VMGEXIT_MMIO_WRITE) &&
	    ((g->sw_exit_info_1 & ~EMU_CBIT) >> 12) == 0xfed00) {
		g->sw_exit_info_1 = 0xfee00000;
	}
}

/* The PSC header where the GHCB's scratch pointer puts it, or NULL. */
/*
 * The page-state change header the event names (SW_SCRATCH), copied out:
 * the guest may place it at any byte of the shared buffer, so it is not
 * read in place (a misaligned struct access). Its offset in the shared
 * buffer, or -1 when SW_SCRATCH is outside it.
 */
static long psc_hdr(const struct vmpl_ctx *c, const struct ghcb *g,
		    struct ghcb_psc_hdr *h)
{
	uint64_t lo = (c->ghcb_gfn << PAGE_SHIFT) +
		      offsetof(struct ghcb, shared_buffer);
	uint64_t s = g->sw_scratch & ~EMU_CBIT;

	if (s < lo || s - lo > sizeof(g->shared_buffer) - sizeof(*h)) {
		return -1;
	}
	memcpy(h, g->shared_buffer + (s - lo), sizeof(*h));
	return (long)(s - lo);
}

/* Pages an event may change in the RMP (G4). */
NO_COV static void allowed(const struct vmpl_ctx *c, struct ghcb_msr_req *q)
{
	memset(may_change, 0, sizeof(may_change));
	if (q->kind == GHCB_MSR_K_PSC && q->gfn < FAKE_EMU_PAGES) {
		may_change[q->gfn] = true;
	}
	if (q->kind != GHCB_MSR_K_GHCB_GPA || c->ghcb_gfn >= FAKE_EMU_PAGES ||
	    pre_ghcb.sw_exit_code != SVM_VMGEXIT_PSC) {
		return;
	}
	struct ghcb_psc_hdr h;
	long off = psc_hdr(c, &pre_ghcb, &h);

	if (off < 0) {
		return;
	}
	const uint8_t *end =
		pre_ghcb.shared_buffer + sizeof(pre_ghcb.shared_buffer);
	const uint8_t *ent = pre_ghcb.shared_buffer + off + sizeof(h);

	for (unsigned i = h.cur_entry; i <= h.end_entry && i < 253u &&
				       8u * (i + 1) <= (uint64_t)(end - ent);
	     i++) {
		uint64_t raw = 0;
		memcpy(&raw, ent + 8u * i, 8);
		struct ghcb_psc_entry e = ghcb_psc_entry_decode(raw);
		uint64_t first = e.size_2m ? e.gfn & ~UINT64_C(511) : e.gfn;
		uint64_t n = e.size_2m ? 512 : 1;

		for (uint64_t p = first; p < first + n && p < FAKE_EMU_PAGES;
		     p++) {
			may_change[p] = true;
		}
	}
}

NO_COV static void snapshot(void)
{
	memcpy(pre_rmp, m->rmp.e, sizeof(pre_rmp));
	for (unsigned p = 0; p < FAKE_EMU_PAGES; p++) {
		pre_running[p] = (pre_rmp[p].flags & RMP_F_VMSA) &&
				 gmem_vmsa_vcpu(m, p) >= 0;
		if (pre_rmp[p].flags & RMP_F_ASSIGNED) {
			memcpy(shadow[p],
			       fake_emu_ram((uint64_t)p << PAGE_SHIFT),
			       PAGE_SIZE);
		}
	}
}

NO_COV static void check_memory(void)
{
	for (unsigned p = 0; p < FAKE_EMU_PAGES; p++) {
		const struct rmp_entry *now = &m->rmp.e[p];

		if ((pre_rmp[p].flags & RMP_F_ASSIGNED) &&
		    memcmp(shadow[p], fake_emu_ram((uint64_t)p << PAGE_SHIFT),
			   PAGE_SIZE) != 0) {
			FAIL("G3: private page %#x written", p);
		}
		if (memcmp(now, &pre_rmp[p], sizeof(*now)) != 0 &&
		    (!may_change[p] || pre_running[p])) {
			FAIL("G4: RMP entry of %#x changed (flags %#x -> %#x)",
			     p, pre_rmp[p].flags, now->flags);
		}
	}
}

NO_COV static void check_msr(const struct vmpl_ctx *c,
			     const struct ghcb_msr_req *q, uint64_t req)
{
	static const uint16_t resp[] = {
		[GHCB_MSR_K_SEV_INFO] = GHCB_MSR_SEV_INFO_RESP,
		[GHCB_MSR_K_CPUID] = GHCB_MSR_CPUID_RESP,
		[GHCB_MSR_K_REG_GPA] = GHCB_MSR_REG_GPA_RESP,
		[GHCB_MSR_K_PSC] = GHCB_MSR_PSC_RESP,
		[GHCB_MSR_K_RUN_VMPL] = GHCB_MSR_RUN_VMPL_RESP,
		[GHCB_MSR_K_HV_FEATURES] = GHCB_MSR_HV_FEATURES_RESP,
	};
	uint64_t v = c->ghcb_msr;
	uint64_t data = v >> GHCB_MSR_DATA_SHIFT;

	if (q->kind >= ARRAY_SIZE(resp) || resp[q->kind] == 0 ||
	    (v & GHCB_MSR_INFO_MASK) != resp[q->kind]) {
		FAIL("G1: MSR request %#llx answered %#llx",
		     (unsigned long long)req, (unsigned long long)v);
	}
	if (q->kind == GHCB_MSR_K_REG_GPA && data != q->gfn &&
	    data != (UINT64_C(1) << 52) - 1) {
		FAIL("G1: REG_GPA %#llx answered GFN %#llx",
		     (unsigned long long)q->gfn, (unsigned long long)data);
	}
}

NO_COV static void check_nae(const struct vmpl_ctx *c)
{
	const struct ghcb *g =
		(const struct ghcb *)fake_emu_ram(c->ghcb_gfn << PAGE_SHIFT);
	uint8_t outputs[16] = {0};
	static const size_t f[] = {VALID(sw_exit_info_1),
				   VALID(sw_exit_info_2),
				   VALID(rax),
				   VALID(rbx),
				   VALID(rcx),
				   VALID(rdx)};
	uint64_t r1 = g->sw_exit_info_1, r2 = g->sw_exit_info_2;

	for (size_t i = 0; i < ARRAY_SIZE(f); i++) {
		outputs[f[i] / 8] |= 1u << (f[i] % 8);
	}
	for (size_t i = 0; fake_emu_written[c->ghcb_gfn] <= 1 && i < 16; i++) {
		if (g->valid_bitmap[i] & ~outputs[i]) {
			FAIL("G2: valid bitmap byte %zu = %#x", i,
			     g->valid_bitmap[i]);
		}
	}
	if ((g->valid_bitmap[f[0] / 8] & (1u << (f[0] % 8))) == 0 ||
	    (g->valid_bitmap[f[1] / 8] & (1u << (f[1] % 8))) == 0) {
		FAIL("G2: results not marked valid");
	}
	if (r1 == GHCB_RESULT_ERROR ? r2 < GHCB_ERR_NOT_REGISTERED ||
					      r2 > GHCB_ERR_INVALID_EVENT
	    : r1 == GHCB_RESULT_EXCEPTION
		    ? (r2 & 0xff) != 6 && (r2 & 0xff) != 13
		    : r1 != GHCB_RESULT_OK) {
		FAIL("G2: result %#llx/%#llx", (unsigned long long)r1,
		     (unsigned long long)r2);
	}
}

static void vmgexit(struct fuzz_in *in)
{
	struct vmpl_ctx *c = NULL;
	struct ghcb_msr_req q;
	uint64_t req = 0;
	uint8_t kind = u8(in);

	if (kind & 1) {
		msr_request(in);
	} else {
		nae_request(in);
	}
	c = emu_cur(m);
	req = c->ghcb_msr;
	q = ghcb_msr_decode(req);
	if (c->ghcb_gfn < FAKE_EMU_PAGES) {
		memcpy(&pre_ghcb, fake_emu_ram(c->ghcb_gfn << PAGE_SHIFT),
		       sizeof(pre_ghcb));
	}
	allowed(c, &q);
	snapshot();
	memset(fake_emu_written, 0, sizeof(fake_emu_written));
	ghcb_vmgexit(m);
	if (q.kind == GHCB_MSR_K_GHCB_GPA) {
		check_nae(c);
	} else {
		check_msr(c, &q, req);
	}
	check_memory();
	if (q.kind == GHCB_MSR_K_GHCB_GPA &&
	    pre_ghcb.sw_exit_code == SVM_VMGEXIT_PSC) {
		const struct ghcb *g = (const struct ghcb *)fake_emu_ram(
			c->ghcb_gfn << PAGE_SHIFT);
		struct ghcb_psc_hdr a, b;
		long off = psc_hdr(c, &pre_ghcb, &a);

		/* The header where SW_SCRATCH put it, before and after. */
		if (off >= 0) {
			memcpy(&b, g->shared_buffer + off, sizeof(b));
		}
		if (off >= 0 && a.end_entry < GHCB_PSC_MAX_ENTRIES &&
		    a.cur_entry <= a.end_entry &&
		    (b.cur_entry < a.cur_entry ||
		     b.cur_entry > a.end_entry + 1)) {
			FAIL("G4: cur_entry %u -> %u (end %u)", a.cur_entry,
			     b.cur_entry, a.end_entry);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_in in;

	in.p = data;
	in.n = size;
	setup(u8(&in));
	if (setjmp(fake_emu_stop) != 0) {
		return 0; /* the VM stopped: nothing more to check */
	}
	for (int i = 0; i < 8 && in.n != 0; i++) {
		vmgexit(&in);
	}
	return 0;
}
