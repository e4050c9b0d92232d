// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the attestation request decoder (protocols/attest.c;
 * docs/attestation.md §4): the guest writes an ATTEST_SERVICES or
 * ATTEST_SINGLE_SERVICE request (table 11/13) from the raw input - every
 * field, reserved ones included - and a nonce, then calls. The PSP is the
 * fake of the unit tests (tests/unit/svsm/fakes/fake_attest.c: the nonce
 * in REPORT_DATA, a 72-byte certificate table), which the input can make
 * fail.
 *
 * Invariants, besides those of every call (fuzz_invariants.c):
 *  A1 in the 64 guest pages the request's addresses are folded into,
 *     nothing changes outside the report, manifest and certificate
 *     buffers the request names, each of its stated size;
 *  A2 INVALID_PARAMETER (a refused field or a buffer too small) writes
 *     nothing at all (Linux retries with the sizes, §4.2);
 *  A3 SUCCESS returns the sizes (RCX manifest, RDX certificates, R8 the
 *     report) within the buffers' sizes, and the report in the guest's
 *     buffer carries the guest's nonce (as the fake PSP puts it there)
 *     unless the guest made another output buffer overlap it.
 */
#include <stdio.h>
#include <string.h>

#include "svsm/abi/attest.h"
#include "svsm/abi/snp_guest_msg.h"
#include "svsm/abi/svsm_call.h"

#include "../fuzz_check.h"
#include "fakes/fake_platform.h"
#include "fuzz_input.h"
#include "fuzz_svsm.h"

#define WINDOW FUZZ_FREE
#define WINDOW_PAGES 64u
#define WINDOW_SIZE (WINDOW_PAGES * PAGE_SIZE)

extern svsm_err_t fake_attest_fail;

static uint8_t before[WINDOW_SIZE];

/* Most addresses land in the window, keeping their low 12 bits. */
static uint64_t fold(uint64_t g, bool raw)
{
	return raw ? g
		   : WINDOW + (g & 0xfff) +
			       PAGE_SIZE * ((g >> 12) % WINDOW_PAGES);
}

static bool inside(uint64_t g, uint64_t base, uint64_t size)
{
	return g >= base && g - base < size;
}

/* [a, a + alen) and [b, b + blen) share a byte. */
static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen != 0 && blen != 0 && (a >= b ? a - b < blen : b - a < alen);
}

NO_COV static void check(const struct svsm_attest_req *a, uint64_t rax,
			 const uint8_t nonce[64])
{
	const uint8_t *now = fake_mem(WINDOW);
	bool changed = memcmp(now, before, WINDOW_SIZE) != 0;

	for (uint64_t i = 0; changed && i < WINDOW_SIZE; i++) {
		uint64_t g = WINDOW + i;

		if (now[i] == before[i]) {
			continue;
		}
		if (rax == SVSM_ERR_INVALID_PARAMETER) {
			FAIL("A2: INVALID_PARAMETER, yet %#llx written",
			     (unsigned long long)g);
		}
		if (!inside(g, a->report_gpa, a->report_size) &&
		    !inside(g, a->manifest_gpa, a->manifest_size) &&
		    !inside(g, a->certs_gpa, a->certs_size)) {
			FAIL("A1: %#llx written outside the buffers",
			     (unsigned long long)g);
		}
	}
	if (rax != SVSM_SUCCESS) {
		return;
	}
	if (fz.out_rcx > a->manifest_size || fz.out_rdx > a->certs_size ||
	    fz.out_r8 != SVSM_ATTEST_REPORT_SIZE ||
	    fz.out_r8 > a->report_size) {
		FAIL("A3: sizes %#llx/%#llx/%#llx vs buffers %#x/%#x/%#x",
		     (unsigned long long)fz.out_rcx,
		     (unsigned long long)fz.out_rdx,
		     (unsigned long long)fz.out_r8, a->manifest_size,
		     a->certs_size, a->report_size);
	}
	/*
	 * Buffers the guest made overlap: the manifest or certificates
	 * written may cover REPORT_DATA. (Computed without wrapping: a
	 * report at GPA 0 under a manifest at GPA 0 was once taken for
	 * disjoint buffers.)
	 */
	uint64_t rd = a->report_gpa +
		      offsetof(struct snp_attestation_report, report_data);

	if (a->report_gpa < FAKE_RAM_SIZE - PAGE_SIZE &&
	    !overlap(rd, 64, a->manifest_gpa, fz.out_rcx) &&
	    !overlap(rd, 64, a->certs_gpa, fz.out_rdx) &&
	    memcmp(fake_mem(rd), nonce, 64) != 0) {
		FAIL("A3: the report does not carry the guest's nonce");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const svsm_err_t fails[] = {SVSM_OK, SVSM_E_INVAL, SVSM_E_ADDR,
					   SVSM_E_BUSY, SVSM_E_REQUEST};
	struct fuzz_in in = {data, size};
	uint8_t cfg = u8(&in);
	uint8_t flags = 0, raw = 0;
	uint64_t at = 0, rax = 0;
	struct svsm_attest_req a;
	struct fuzz_call c;
	uint8_t nonce[64];

	fuzz_setup(cfg, u8(&in));
	flags = u8(&in);
	raw = u8(&in);
	fake_attest_fail =
		(flags & 0x80) ? fails[1 + ((flags >> 4) & 7) % 4] : SVSM_OK;
	at = fold(u16(&in) & ~(uint64_t)((raw & 0x80) ? 0 : 7), false);
	for (size_t i = 0; i < sizeof(a); i++) {
		((uint8_t *)&a)[i] = u8(&in);
	}
	a.report_gpa = fold(a.report_gpa, raw & 1);
	a.nonce_gpa = fold(a.nonce_gpa, raw & 2);
	a.manifest_gpa = fold(a.manifest_gpa, raw & 4);
	a.certs_gpa = fold(a.certs_gpa, raw & 8);
	for (size_t i = 0; i < sizeof(nonce); i++) {
		nonce[i] = u8(&in);
	}
	fuzz_guest_write(a.nonce_gpa, nonce, sizeof(nonce));
	fuzz_guest_write(at, &a, sizeof(a));
	/* What the SVSM may read: the request and nonce as they are now. */
	memcpy(nonce,
	       fake_mem(a.nonce_gpa < FAKE_RAM_SIZE - 64 ? a.nonce_gpa : 0),
	       sizeof(nonce));
	memcpy(&a, fake_mem(at), sizeof(a));
	memcpy(before, fake_mem(WINDOW), WINDOW_SIZE);
	memset(&c, 0, sizeof(c));
	c.caller = vcpu_by_apic_id(0);
	c.protocol = SVSM_PROTO_ATTEST;
	c.call_id = (flags & 3) == 3 ? u8(&in) : (flags & 1);
	c.rcx = at;
	rax = fuzz_call(&c);
	check(&a, rax, nonce);
	return 0;
}
