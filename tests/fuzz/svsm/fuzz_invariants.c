// SPDX-License-Identifier: MIT
/*
 * The fuzzed world and the invariants checked after every SVSM call:
 *
 *  I1 RAX is an ABI result code the call may return (docs/abi.md §1.2, §5),
 * with bits 63:32 clear; only RAX/RCX/RDX/R8/R9 of the VMSA change, RCX..R9
 *     only for calls that define them as outputs (the attestation calls:
 *     RCX, RDX, R8; VTPM_QUERY: RCX, RDX), nothing if no call.
 *  I2 SVSM-owned pages (image range, deposited pool) stay validated, have
 *     no guest VMPL permission, are not VMSAs, and their contents do not
 *     change (image) or stay zero (pool: nothing the guest names reaches
 *     them).
 *  I3 No VMSA page is guest-writable; a registered guest VMSA has the
 *     VMSA bit, and its contents never change during a call.
 *  I4 CAAs are distinct, in guest RAM, never SVSM-owned or a VMSA.
 *  I5 A page validated for the guest by this call is zero (G11), except
 *     the ISA hole and the page holding the list; a page leaving the pool
 *     is zero.
 *  I6 PVALIDATE/DEPOSIT `next` never goes backwards and never passes
 *     `entries`; SUCCESS means next == entries.
 *  I7 Every PVALIDATE entry that `next` moved past took effect: its pages
 *     are validated with RWX for the caller's VMPL, or rescinded with no
 *     access (the last entry naming a page wins).
 *
 * A violation prints which one and traps; libFuzzer keeps the input.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svsm/deposit_pool.h"
#include "svsm/request.h"
#include "svsm/vcpu.h"
#include "svsm/vtpm.h"

#include "svsm/abi/snp.h"
#include "svsm/abi/svsm_call.h"
#include "svsm/abi/vmsa.h"

#include "../fuzz_check.h"
#include "fakes/fake_platform.h"
#include "fuzz_svsm.h"

#define PAGES (FAKE_RAM_SIZE / PAGE_SIZE)
#define GUEST_PERMS(e) ((e)->perms[1] | (e)->perms[2] | (e)->perms[3])
#define W_BIT (RMPADJ_WRITE >> 8)

struct fuzz_world fz;

static struct fake_rmp pre_rmp[PAGES];
/* The RMP as the last check saw it, and whether to check every page. */
static struct fake_rmp checked_rmp[PAGES];
static bool check_all;
static uint64_t pre_pool[DEPOSIT_POOL_MAX_PAGES];
static uint32_t pre_pool_count;
/* The free pool pages now, as a list and as a per-page flag (pool_scan). */
static uint64_t now_pool[DEPOSIT_POOL_MAX_PAGES];
static uint32_t now_pool_count;
static bool now_in_pool[PAGES];
static uint8_t pre_vmsa[FUZZ_MAX_CAND][PAGE_SIZE];
static bool pre_vmsa_reg[FUZZ_MAX_CAND];
static uint8_t svsm_image[FAKE_SVSM_SIZE];
static uint64_t pre_list[PAGE_SIZE / 8];
static int8_t want_valid[PAGES];
static const uint8_t zero_page[PAGE_SIZE];

bool fuzz_guest_can_write(uint64_t g)
{
	struct fake_rmp *e = fake_rmp(g);

	return e->validated && !e->vmsa && (e->perms[FUZZ_VMPL] & W_BIT);
}

void fuzz_guest_write(uint64_t g, const void *src, uint64_t len)
{
	const uint8_t *s = src;

	/* Page by page: the RMP decides per page, as on the machine. */
	while (len != 0 && g < FAKE_RAM_SIZE) {
		uint64_t n = PAGE_SIZE - (g & ~PAGE_MASK);

		n = n < len ? n : len;
		if (fuzz_guest_can_write(g)) {
			memcpy(fake_mem(g), s, n);
		}
		g += n;
		s += n;
		len -= n;
	}
}

void fuzz_note_candidate(uint64_t page)
{
	if (page >= FAKE_RAM_SIZE || fz.cand_count == FUZZ_MAX_CAND) {
		return;
	}
	for (uint32_t i = 0; i < fz.cand_count; i++) {
		if (fz.cand[i] == page) {
			return;
		}
	}
	fz.cand[fz.cand_count++] = page;
}

void fuzz_setup(uint8_t cfg, uint8_t backing)
{
	fake_reset_fast();
	vcpu_reset();
	deposit_pool_reset();
	memset(&fz, 0, sizeof(fz));
	fz.mutation = UINT64_MAX;
	check_all = true;
	fake_set_valid(0, FUZZ_UNVAL, FUZZ_VMPL);
	fake_set_valid(FAKE_SVSM_BASE, FAKE_SVSM_SIZE, 0);
	memcpy(svsm_image, fake_mem(FAKE_SVSM_BASE), FAKE_SVSM_SIZE);
	/*
	 * Region 0 holds the VMSAs registered below, which on the machine
	 * came from a 4K RMPADJUST: a 2M RMP entry there is a state no host
	 * can reach (it would fail the VMSA's later 4K RMPADJUST).
	 */
	for (uint32_t r = 1; r < 8; r++) {
		fake_set_backing_2m((uint64_t)r << 21, (backing >> r) & 1);
	}
	fz.vcpu_count = 1 + (cfg & 3);
	for (uint32_t i = 0; i < fz.vcpu_count; i++) {
		struct svsm_vcpu *v =
			vcpu_add(i, FUZZ_VMPL, SEV_FEAT_SNP_ACTIVE);
		uint64_t vmsa = 0x2000 + 0x2000 * (uint64_t)i;

		v->caa = gpa(0x1000 + 0x2000 * (uint64_t)i);
		if (i != 0 && !(cfg & 4)) {
			continue;
		}
		if (vcpu_vmsa_register(gpa(vmsa), v) != SVSM_OK) {
			abort();
		}
		v->guest_vmsa = gpa(vmsa);
		/* A fresh VMSA: mostly zero, like one Linux or OVMF builds. */
		memset(fake_mem(vmsa), 0, PAGE_SIZE);
		*fake_mem(vmsa + offsetof(struct snp_vmsa, vmpl)) = FUZZ_VMPL;
		memcpy(fake_mem(vmsa + offsetof(struct snp_vmsa, efer)),
		       &(uint64_t){VMSA_EFER_SVME}, 8);
		memcpy(fake_mem(vmsa + offsetof(struct snp_vmsa, sev_features)),
		       &(uint64_t){SEV_FEAT_SNP_ACTIVE}, 8);
		fake_rmp(vmsa)->vmsa = true;
		fake_rmp(vmsa)->perms[FUZZ_VMPL] = RMPADJ_READ >> 8;
		fuzz_note_candidate(vmsa);
	}
	/* Optionally a pool as DEPOSIT_MEM leaves it: valid, VMPL0, zero. */
	for (uint32_t i = 0; (cfg & 8) && i < 4; i++) {
		uint64_t p = 0x600000 + PAGE_SIZE * i;

		fake_set_valid(p, PAGE_SIZE, 0);
		memset(fake_mem(p), 0, PAGE_SIZE);
		if (deposit_pool_add(gpa(p)) != SVSM_OK) {
			abort();
		}
	}
}

/*
 * Read the pool's free pages (what deposit_pool_peek_free() enumerates) in
 * one linear walk; asking peek_free() for each index, then searching that
 * list for each page, cost O(n^3) in the pool's size per call.
 */
static void pool_scan(void)
{
	uint32_t n = deposit_pool_count();

	for (uint32_t i = 0; i < now_pool_count; i++) {
		now_in_pool[now_pool[i] >> 12] = false;
	}
	now_pool_count = 0;
	for (uint32_t i = 0; i < n; i++) {
		bool borrowed = false;
		uint64_t g = gpa_val(deposit_pool_page(i, &borrowed));

		if (borrowed) {
			continue;
		}
		if (g >= FAKE_RAM_SIZE || (g & ~PAGE_MASK) != 0) {
			FAIL("I2: pool page %#llx outside guest RAM",
			     (unsigned long long)g);
		}
		now_pool[now_pool_count++] = g;
		now_in_pool[g >> 12] = true;
	}
}

static bool in_pool(uint64_t page)
{
	return page < FAKE_RAM_SIZE && (page & ~PAGE_MASK) == 0 &&
	       now_in_pool[page >> 12];
}

NO_COV static bool is_svsm(uint64_t page)
{
	return page >= FAKE_SVSM_BASE && page < FAKE_SVSM_BASE + FAKE_SVSM_SIZE;
}

/* I1: the codes each call may return. */
static bool rax_allowed(const struct fuzz_call *c, uint64_t rax)
{
	uint64_t d = rax - SVSM_ERR_PROTOCOL_BASE;
	bool multi = false;
	bool proto = false;

	if (svsm_protocol_find(c->protocol) == NULL) {
		return rax == SVSM_ERR_UNSUPPORTED_PROTOCOL;
	}
	if (c->protocol == SVSM_PROTO_ATTEST) {
		/* docs/attestation.md §4: an unknown service is
		 * UNSUPPORTED_PROTOCOL; INCOMPLETE never. */
		if (c->call_id > SVSM_ATTEST_SINGLE_SERVICE) {
			return rax == SVSM_ERR_UNSUPPORTED_CALL;
		}
		return rax == SVSM_SUCCESS ||
		       (rax >= SVSM_ERR_UNSUPPORTED_PROTOCOL &&
			rax <= SVSM_ERR_BUSY &&
			rax != SVSM_ERR_UNSUPPORTED_CALL);
	}
	if (c->protocol == SVSM_PROTO_VTPM) {
		/* docs/abi.md §5: QUERY always succeeds; a TPM-level failure
		 * travels inside the response with SUCCESS, so CMD fails only
		 * with a platform error; an unknown call is UNSUPPORTED_CALL.
		 */
		if (!plat_vtpm_ready()) {
			return rax == SVSM_ERR_UNSUPPORTED_PROTOCOL;
		}
		switch (c->call_id) {
		case SVSM_VTPM_QUERY:
			return rax == SVSM_SUCCESS;
		case SVSM_VTPM_CMD:
			return rax == SVSM_SUCCESS ||
			       (rax >= SVSM_ERR_UNSUPPORTED_CALL &&
				rax <= SVSM_ERR_BUSY);
		default:
			return rax == SVSM_ERR_UNSUPPORTED_CALL;
		}
	}
	switch (c->call_id) {
	case SVSM_CORE_QUERY_PROTOCOL:
		return rax == SVSM_SUCCESS;
	case SVSM_CORE_CONFIGURE_VTOM:
		/* INVALID_PARAMETER: reserved RCX bits (docs/abi.md §3.7). */
		return rax == SVSM_SUCCESS || rax == SVSM_ERR_INVALID_REQUEST ||
		       rax == SVSM_ERR_INVALID_PARAMETER;
	case SVSM_CORE_REMAP_CA:
		break;
	case SVSM_CORE_PVALIDATE:
	case SVSM_CORE_DEPOSIT_MEM:
		multi = true;
		proto = true;
		break;
	case SVSM_CORE_CREATE_VCPU:
	case SVSM_CORE_DELETE_VCPU:
	case SVSM_CORE_WITHDRAW_MEM:
		proto = true;
		break;
	default:
		return rax == SVSM_ERR_UNSUPPORTED_CALL;
	}
	if (rax == SVSM_SUCCESS ||
	    (rax >= SVSM_ERR_UNSUPPORTED_PROTOCOL && rax <= SVSM_ERR_BUSY &&
	     rax != SVSM_ERR_UNSUPPORTED_PROTOCOL &&
	     rax != SVSM_ERR_UNSUPPORTED_CALL)) {
		return true;
	}
	if (rax == SVSM_ERR_INCOMPLETE) {
		return multi;
	}
	/* SNP instruction codes, and "unchanged" (0x10) for PVALIDATE. */
	return proto && ((d >= SNP_RC_FAIL_INPUT && d <= SNP_RC_FAIL_OVERLAP) ||
			 d == SNP_RC_FAIL_SIZEMISMATCH ||
			 (d == 0x10 && c->call_id == SVSM_CORE_PVALIDATE));
}

NO_COV static void snapshot(void)
{
	memcpy(pre_rmp, fake_rmp(0), sizeof(pre_rmp));
	/* Changed since the last check (by the harness, not a call)? */
	check_all |= memcmp(pre_rmp, checked_rmp, sizeof(pre_rmp)) != 0;
	pool_scan();
	pre_pool_count = now_pool_count;
	memcpy(pre_pool, now_pool, sizeof(pre_pool[0]) * now_pool_count);
	for (uint32_t i = 0; i < fz.cand_count; i++) {
		pre_vmsa_reg[i] = vcpu_vmsa_owner(gpa(fz.cand[i])) != NULL;
		if (pre_vmsa_reg[i]) {
			memcpy(pre_vmsa[i], fake_mem(fz.cand[i]), PAGE_SIZE);
		}
	}
}

/*
 * I2 (RMP part), I3, I5 for one page. A page whose RMP entry is as it was
 * at the last check passed these then, and none of them can change
 * without its entry changing, so check_pages() looks only at pages whose
 * entry the call changed (all of them when the harness changed the RMP).
 */
static void check_page(uint64_t p, const struct fake_rmp *e, uint64_t list_page)
{
	uint64_t g = p * PAGE_SIZE;

	if (e->vmsa && (GUEST_PERMS(e) & W_BIT)) {
		FAIL("I3: VMSA page %#llx guest-writable",
		     (unsigned long long)g);
	}
	if (is_svsm(g) && (!e->validated || e->vmsa || GUEST_PERMS(e))) {
		FAIL("I2: SVSM page %#llx given to the guest",
		     (unsigned long long)g);
	}
	/* I5: validated for the guest by this call => zeroed. */
	if (!pre_rmp[p].validated && e->validated && GUEST_PERMS(e) &&
	    (g < 0xa0000 || g >= 0x100000) && g != list_page &&
	    memcmp(fake_mem(g), zero_page, PAGE_SIZE) != 0) {
		FAIL("I5: page %#llx validated but not zeroed",
		     (unsigned long long)g);
	}
}

#define BLOCK 64 /* pages compared at once */

NO_COV static void check_pages(const struct fuzz_call *c)
{
	uint64_t list_page = c->rcx & PAGE_MASK;
	struct fake_rmp *rmp = fake_rmp(0); /* the fake's array, in order */

	for (uint64_t b = 0; b < PAGES; b += BLOCK) {
		if (!check_all &&
		    memcmp(&rmp[b], &pre_rmp[b], BLOCK * sizeof(*rmp)) == 0) {
			continue;
		}
		for (uint64_t p = b; p < b + BLOCK; p++) {
			check_page(p, &rmp[p], list_page);
		}
	}
	memcpy(checked_rmp, rmp, sizeof(checked_rmp));
	check_all = false;
	if (memcmp(svsm_image, fake_mem(FAKE_SVSM_BASE), FAKE_SVSM_SIZE)) {
		FAIL("I2: SVSM image memory changed");
	}
	pool_scan();
	for (uint32_t i = 0; i < now_pool_count; i++) {
		uint64_t g = now_pool[i];
		struct fake_rmp *e = fake_rmp(g);

		if (!e->validated || e->vmsa || GUEST_PERMS(e) ||
		    memcmp(fake_mem(g), zero_page, PAGE_SIZE) != 0) {
			FAIL("I2: pool page %#llx exposed or written",
			     (unsigned long long)g);
		}
	}
	for (uint32_t i = 0; i < pre_pool_count; i++) {
		if (!in_pool(pre_pool[i]) &&
		    memcmp(fake_mem(pre_pool[i]), zero_page, PAGE_SIZE) != 0) {
			FAIL("I5: page %#llx left the pool unzeroed",
			     (unsigned long long)pre_pool[i]);
		}
	}
}

NO_COV static void check_vcpus(void)
{
	for (uint32_t i = 0; i < fz.cand_count; i++) {
		uint64_t g = fz.cand[i];
		struct fake_rmp *e = fake_rmp(g);

		if (vcpu_vmsa_owner(gpa(g)) == NULL) {
			continue;
		}
		if (!e->vmsa || (GUEST_PERMS(e) & W_BIT) || in_pool(g) ||
		    is_svsm(g)) {
			FAIL("I3: registered VMSA %#llx unprotected",
			     (unsigned long long)g);
		}
		if (pre_vmsa_reg[i] &&
		    memcmp(pre_vmsa[i], fake_mem(g), PAGE_SIZE) != 0) {
			FAIL("I3: VMSA %#llx changed by a call",
			     (unsigned long long)g);
		}
	}
	for (uint32_t i = 0; i < fz.vcpu_count; i++) {
		struct svsm_vcpu *v = vcpu_by_apic_id(i);
		uint64_t caa = gpa_val(v->caa);

		if (!gpa_is_invalid(v->guest_vmsa) &&
		    vcpu_vmsa_owner(v->guest_vmsa) != v) {
			FAIL("I3: vCPU %u's VMSA not registered to it", i);
		}
		if (gpa_is_invalid(v->caa)) {
			continue;
		}
		if ((caa & ~PAGE_MASK) || caa >= FAKE_RAM_SIZE ||
		    is_svsm(caa) || in_pool(caa) ||
		    vcpu_vmsa_owner(v->caa) != NULL) {
			FAIL("I4: vCPU %u CAA %#llx", i,
			     (unsigned long long)caa);
		}
		for (uint32_t j = 0; j < i; j++) {
			if (gpa_eq(vcpu_by_apic_id(j)->caa, v->caa)) {
				FAIL("I4: vCPUs %u and %u share a CAA", j, i);
			}
		}
	}
}

/* The list header as the guest left it, if the SVSM could read it. */
static bool read_hdr(uint64_t rcx, struct svsm_pvalidate_hdr *h)
{
	if ((rcx & 7) || rcx >= FAKE_RAM_SIZE - sizeof(*h)) {
		return false;
	}
	memcpy(h, fake_mem(rcx), sizeof(*h));
	return true;
}

/* I7, for entries [@from, @to) of the list as it was before the call. */
NO_COV static void check_done(const struct fuzz_call *c, uint16_t from,
			      uint16_t to)
{
	uint64_t list_end = c->rcx + 8 + 8u * (uint64_t)to;

	/*
	 * Only lists in pages that were valid: reading an unvalidated page
	 * faults on hardware, so the fake's answer there means nothing.
	 */
	if (c->call_id != SVSM_CORE_PVALIDATE ||
	    !pre_rmp[c->rcx >> 12].validated ||
	    (fz.mutation >= c->rcx && fz.mutation < list_end)) {
		return;
	}
	memset(want_valid, -1, sizeof(want_valid));
	for (uint16_t i = from; i < to; i++) {
		uint64_t e = pre_list[i];
		uint64_t first = SVSM_PV_GPA(e) >> 12;
		uint64_t n = SVSM_PV_SIZE(e) ? 512 : 1;

		for (uint64_t p = first; p < first + n && p < PAGES; p++) {
			want_valid[p] = (int8_t)SVSM_PV_VALIDATE(e);
		}
	}
	for (uint64_t p = 0; p < PAGES; p++) {
		struct fake_rmp *e = fake_rmp(p * PAGE_SIZE);

		if (want_valid[p] < 0) {
			continue;
		}
		if (e->validated != (want_valid[p] == 1) ||
		    e->perms[FUZZ_VMPL] != (want_valid[p] ? 0xf : 0) ||
		    e->vmsa) {
			FAIL("I7: page %#llx not in the state its entry asked",
			     (unsigned long long)(p * PAGE_SIZE));
		}
	}
}

static void check_next(const struct fuzz_call *c, bool had,
		       const struct svsm_pvalidate_hdr *pre, uint64_t rax)
{
	struct svsm_pvalidate_hdr post;

	if (!had || c->protocol != 0 ||
	    (c->call_id != SVSM_CORE_PVALIDATE &&
	     c->call_id != SVSM_CORE_DEPOSIT_MEM)) {
		return;
	}
	/* A byte flipped by the fake "other vCPU" is not the SVSM's doing. */
	if (fz.mutation >= c->rcx && fz.mutation < c->rcx + 8) {
		return;
	}
	(void)read_hdr(c->rcx, &post);
	if (post.next == pre->next) {
		if (rax == SVSM_SUCCESS && post.next != post.entries) {
			FAIL("I6: SUCCESS with next %u of %u", post.next,
			     post.entries);
		}
		return;
	}
	if (post.next < pre->next || post.next > pre->entries) {
		FAIL("I6: next %u -> %u (entries %u)", pre->next, post.next,
		     pre->entries);
	}
	if (rax == SVSM_SUCCESS && post.next != pre->entries) {
		FAIL("I6: SUCCESS with next %u of %u", post.next, pre->entries);
	}
	check_done(c, pre->next, post.next);
}

NO_COV static void check_regs(const struct fuzz_call *c,
			      const struct snp_vmsa *pre,
			      const struct snp_vmsa *post, bool is_call)
{
	struct snp_vmsa a = *pre;
	bool rcx_out =
		c->protocol == 0 && (c->call_id == SVSM_CORE_QUERY_PROTOCOL ||
				     c->call_id == SVSM_CORE_CONFIGURE_VTOM ||
				     c->call_id == SVSM_CORE_WITHDRAW_MEM);
	/* The attestation calls return three sizes (RCX, RDX, R8). */
	bool sizes_out = c->protocol == SVSM_PROTO_ATTEST &&
			 c->call_id <= SVSM_ATTEST_SINGLE_SERVICE;
	/* VTPM_QUERY returns the platform commands and features (§5.1). */
	bool vtpm_query_out =
		c->protocol == SVSM_PROTO_VTPM && c->call_id == SVSM_VTPM_QUERY;

	if (!is_call) {
		if (memcmp(pre, post, sizeof(*pre)) != 0) {
			FAIL("I1: VMSA changed although there was no call");
		}
		return;
	}
	if ((post->rax >> 32) != 0 || !rax_allowed(c, post->rax)) {
		FAIL("I1: proto %u call %u returned %#llx", c->protocol,
		     c->call_id, (unsigned long long)post->rax);
	}
	a.rax = post->rax;
	if (rcx_out || sizes_out) {
		a.rcx = post->rcx;
	}
	if (sizes_out) {
		a.rdx = post->rdx;
		a.r8 = post->r8;
	}
	if (vtpm_query_out) {
		a.rcx = post->rcx;
		a.rdx = post->rdx;
	}
	if (memcmp(&a, post, sizeof(a)) != 0) {
		FAIL("I1: registers other than the outputs changed");
	}
}

uint64_t fuzz_call(const struct fuzz_call *c)
{
	static struct snp_vmsa pre, v;
	static uint8_t pattern[sizeof(struct snp_vmsa) + 256];
	static uint32_t serial;
	struct svsm_pvalidate_hdr hdr;
	bool had_hdr = false;
	bool is_call = true;

	/*
	 * Everything else in the VMSA is an arbitrary, known pattern: byte i
	 * is i * 7 + serial (mod 256), which is pattern[i + k] with
	 * 7 * k = serial (mod 256), k = serial * 183 (7 * 183 = 1 mod 256).
	 */
	if (pattern[1] == 0) {
		for (size_t i = 0; i < sizeof(pattern); i++) {
			pattern[i] = (uint8_t)(i * 7);
		}
	}
	memcpy(&v, pattern + ((serial * 183u) & 255u), sizeof(v));
	serial++;
	v.rax = SVSM_CALL(c->protocol, c->call_id);
	v.rcx = c->rcx;
	v.rdx = c->rdx;
	v.r8 = c->r8;
	v.r9 = c->r9;
	v.guest_exit_code = c->not_vmgexit ? 0x7b : SVM_EXIT_VMGEXIT;
	if (c->caller != NULL && !gpa_is_invalid(c->caller->caa) &&
	    gpa_val(c->caller->caa) < FAKE_RAM_SIZE) {
		uint8_t pending = c->no_pending ? 0 : 1;

		/* The guest sets call_pending in its CAA (docs/abi.md §1.4). */
		if (fuzz_guest_can_write(gpa_val(c->caller->caa))) {
			*fake_mem(gpa_val(c->caller->caa)) = pending;
		}
	}
	pre = v;
	had_hdr = read_hdr(c->rcx, &hdr);
	if (had_hdr && (c->rcx & ~PAGE_MASK) <= PAGE_SIZE - 16) {
		memcpy(pre_list, fake_mem(c->rcx + 8),
		       PAGE_SIZE - (c->rcx & ~PAGE_MASK) - 8);
	}
	/* The loop clears call_pending before dispatch: so must our copy. */
	if (had_hdr && !c->via_dispatch && c->caller != NULL &&
	    gpa_val(c->caller->caa) - c->rcx < sizeof(hdr)) {
		((uint8_t *)&hdr)[gpa_val(c->caller->caa) - c->rcx] = 0;
	}
	snapshot();
	if (c->via_dispatch) {
		struct svsm_req req;

		svsm_request_from_vmsa(&req, &v, c->caller);
		svsm_request_to_vmsa(&req, svsm_dispatch(&req), &v);
	} else if (c->caller != NULL) {
		is_call = svsm_request_process(c->caller, &v);
	} else {
		is_call = false;
	}
	if (getenv("FUZZ_SVSM_TRACE") != NULL) {
		fprintf(stderr,
			"call %u/%u caller %d rcx %#llx rdx %#llx r8 %#llx: "
			"%s %#llx\n",
			c->protocol, c->call_id,
			c->caller ? (int)c->caller->apic_id : -1,
			(unsigned long long)c->rcx, (unsigned long long)c->rdx,
			(unsigned long long)c->r8, is_call ? "rax" : "no call",
			(unsigned long long)v.rax);
	}
	check_regs(c, &pre, &v, is_call);
	check_pages(c);
	check_vcpus();
	if (is_call) {
		check_next(c, had_hdr, &hdr, v.rax);
	}
	fz.out_rcx = v.rcx;
	fz.out_rdx = v.rdx;
	fz.out_r8 = v.r8;
	return is_call ? v.rax : UINT64_MAX;
}
