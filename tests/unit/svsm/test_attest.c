// SPDX-License-Identifier: MIT
/*
 * The attestation protocol's decoding and output rules (protocols/attest.c,
 * docs/attestation.md §4) against the fake PSP channel (fakes/fake_attest.c:
 * the nonce stands in REPORT_DATA; the real report is checked on snpemu).
 */
#include "svsm/abi/attest.h"
#include "svsm/abi/snp_guest_msg.h"

#include "svsm_test.h"

extern svsm_err_t fake_attest_fail;
extern unsigned fake_attest_calls;
extern bool fake_vtpm_running;
extern const size_t fake_vtpm_ek_len[2];

/* The services manifest with the vTPM: header, one entry, the fake EK. */
#define SERVICES_LEN (24 + 24 + 300)

#define REQ UINT64_C(0x20000)
#define NONCE UINT64_C(0x21000)
#define REPORT UINT64_C(0x22000)
#define MANIFEST UINT64_C(0x23000)
#define CERTS UINT64_C(0x24000)

static struct svsm_attest_req *req(uint32_t certs_size)
{
	struct svsm_attest_req *a = (void *)fake_mem(REQ);

	memset(a, 0, sizeof(*a));
	a->report_gpa = REPORT;
	a->report_size = 4096;
	a->nonce_gpa = NONCE;
	a->nonce_size = 64;
	a->manifest_gpa = MANIFEST;
	a->manifest_size = 4096;
	a->certs_gpa = CERTS;
	a->certs_size = certs_size;
	memset(fake_mem(NONCE), 0x5a, 64);
	memset(fake_mem(REPORT), 0xa5, 3 * 4096 + 4096);
	return a;
}

/* An ATTEST_SINGLE_SERVICE request for the vTPM, manifest @version. */
static struct svsm_attest_req *vtpm_req(uint32_t version)
{
	static const uint8_t vtpm[16] = SVSM_ATTEST_GUID_VTPM;
	struct svsm_attest_req *a = req(0);

	memcpy(a->service_guid, vtpm, sizeof(vtpm));
	a->manifest_version = version;
	return a;
}

static uint64_t attest(uint32_t id)
{
	return call_as(bsp, SVSM_PROTO_ATTEST, id, REQ, UINT64_MAX, UINT64_MAX);
}

static bool untouched(uint64_t g, size_t n)
{
	const uint8_t *p = fake_mem(g);

	for (size_t i = 0; i < n; i++) {
		if (p[i] != 0xa5) {
			return false;
		}
	}
	return true;
}

TAP_CASE(services_with_certs)
{
	const struct snp_attestation_report *r = NULL;

	setup();
	r = (void *)fake_mem(REPORT);
	req(4096);
	CHECK_EQ(attest(SVSM_ATTEST_SERVICES), SVSM_SUCCESS);
	CHECK_EQ(last.out.rcx, SERVICES_LEN);
	CHECK_EQ(last.out.rdx, 72);
	CHECK_EQ(last.out.r8, SVSM_ATTEST_REPORT_SIZE);
	CHECK_EQ(last.out.set, SVSM_OUT_RCX | SVSM_OUT_RDX | SVSM_OUT_R8);
	CHECK_EQ(r->report_data[63], 0x5a);
	CHECK_TRUE(untouched(REPORT + SVSM_ATTEST_REPORT_SIZE, 16));
	CHECK_TRUE(untouched(MANIFEST + SERVICES_LEN, 16));
	CHECK_TRUE(untouched(CERTS + 72, 16));
}

TAP_CASE(too_small_writes_nothing)
{
	struct svsm_attest_req *a = NULL;

	setup();
	a = req(16);
	CHECK_EQ(attest(SVSM_ATTEST_SERVICES), SVSM_ERR_INVALID_PARAMETER);
	CHECK_EQ(last.out.rdx, 72);
	CHECK_EQ(last.out.r8, SVSM_ATTEST_REPORT_SIZE);
	CHECK_TRUE(untouched(REPORT, 4 * 4096));
	a = req(0);
	a->report_size = SVSM_ATTEST_REPORT_SIZE - 1;
	CHECK_EQ(attest(SVSM_ATTEST_SERVICES), SVSM_ERR_INVALID_PARAMETER);
	CHECK_EQ(last.out.rcx, SERVICES_LEN);
	CHECK_TRUE(untouched(REPORT, 4 * 4096));
	/* A manifest buffer one byte short, for both calls. */
	a = req(0);
	a->manifest_size = SERVICES_LEN - 1;
	CHECK_EQ(attest(SVSM_ATTEST_SERVICES), SVSM_ERR_INVALID_PARAMETER);
	CHECK_EQ(last.out.rcx, SERVICES_LEN);
	CHECK_EQ(last.out.r8, SVSM_ATTEST_REPORT_SIZE);
	CHECK_TRUE(untouched(REPORT, 4 * 4096));
	for (uint32_t v = 0; v < 2; v++) {
		a = vtpm_req(v);
		a->manifest_size = v == 0 ? 299 : 0;
		CHECK_EQ(attest(SVSM_ATTEST_SINGLE_SERVICE),
			 SVSM_ERR_INVALID_PARAMETER);
		CHECK_EQ(last.out.rcx, fake_vtpm_ek_len[v]);
		CHECK_TRUE(untouched(REPORT, 4 * 4096));
	}
}

TAP_CASE(decoding_refusals)
{
	struct svsm_attest_req *a = NULL;
	unsigned calls = 0;

	setup();
	calls = fake_attest_calls;
	a = req(0);
	a->nonce_size = 63;
	CHECK_EQ(attest(SVSM_ATTEST_SERVICES), SVSM_ERR_INVALID_PARAMETER);
	a = req(0);
	a->nonce_gpa = NONCE + 4096 - 63;
	CHECK_EQ(attest(SVSM_ATTEST_SERVICES), SVSM_ERR_INVALID_PARAMETER);
	a = req(0);
	a->reserved_0x3c = 1;
	CHECK_EQ(attest(SVSM_ATTEST_SERVICES), SVSM_ERR_INVALID_PARAMETER);
	a = req(0);
	a->manifest_gpa = MANIFEST + 1;
	CHECK_EQ(attest(SVSM_ATTEST_SERVICES), SVSM_ERR_INVALID_PARAMETER);
	a = req(0);
	a->report_gpa = FAKE_SVSM_BASE;
	CHECK_EQ(attest(SVSM_ATTEST_SERVICES), SVSM_ERR_INVALID_ADDRESS);
	a = req(4096);
	a->certs_gpa = BSP_VMSA;
	CHECK_EQ(attest(SVSM_ATTEST_SERVICES), SVSM_ERR_INVALID_ADDRESS);
	a = req(0);
	a->report_gpa = FAKE_RAM_SIZE;
	CHECK_EQ(attest(SVSM_ATTEST_SERVICES), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(call_as(bsp, SVSM_PROTO_ATTEST, SVSM_ATTEST_SERVICES,
			 FAKE_SVSM_BASE, 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
	/* None of these reached the PSP, and nothing was written. */
	CHECK_EQ(fake_attest_calls, calls);
	CHECK_TRUE(untouched(REPORT, 4 * 4096));
}

/* The services manifest lists the vTPM with its version-0 data. */
TAP_CASE(services_manifest_lists_the_vtpm)
{
	static const uint8_t services[16] = SVSM_ATTEST_GUID_SERVICES;
	static const uint8_t vtpm[16] = SVSM_ATTEST_GUID_VTPM;
	struct svsm_services_manifest_hdr h;
	struct svsm_services_manifest_entry e;
	const uint8_t *m = NULL;

	setup();
	m = fake_mem(MANIFEST);
	req(0);
	CHECK_EQ(attest(SVSM_ATTEST_SERVICES), SVSM_SUCCESS);
	memcpy(&h, m, sizeof(h));
	memcpy(&e, m + sizeof(h), sizeof(e));
	CHECK_TRUE(memcmp(h.guid, services, 16) == 0);
	CHECK_EQ(h.size, SERVICES_LEN);
	CHECK_EQ(h.count, 1);
	CHECK_TRUE(memcmp(e.guid, vtpm, 16) == 0);
	CHECK_EQ(e.offset, 48);
	CHECK_EQ(e.length, 300);
	CHECK_EQ(m[48], 0xe0);
	CHECK_EQ(m[48 + 299], 0xe0);
	/* Without a running vTPM: a header and no entries. */
	fake_vtpm_running = false;
	req(0);
	CHECK_EQ(attest(SVSM_ATTEST_SERVICES), SVSM_SUCCESS);
	CHECK_EQ(last.out.rcx, 24);
	memcpy(&h, m, sizeof(h));
	CHECK_EQ(h.size, 24);
	CHECK_EQ(h.count, 0);
	CHECK_TRUE(untouched(MANIFEST + 24, 16));
	fake_vtpm_running = true;
}

TAP_CASE(single_service_vtpm_versions)
{
	unsigned calls = 0;

	setup();
	for (uint32_t v = 0; v < 2; v++) {
		vtpm_req(v);
		CHECK_EQ(attest(SVSM_ATTEST_SINGLE_SERVICE), SVSM_SUCCESS);
		CHECK_EQ(last.out.rcx, fake_vtpm_ek_len[v]);
		CHECK_EQ(last.out.r8, SVSM_ATTEST_REPORT_SIZE);
		CHECK_EQ(fake_mem(MANIFEST)[0], 0xe0 + v);
		CHECK_EQ(fake_mem(MANIFEST)[fake_vtpm_ek_len[v] - 1], 0xe0 + v);
		CHECK_TRUE(untouched(MANIFEST + fake_vtpm_ek_len[v], 16));
	}
	/* Refusals reach neither the PSP nor guest memory. */
	calls = fake_attest_calls;
	vtpm_req(2);
	CHECK_EQ(attest(SVSM_ATTEST_SINGLE_SERVICE),
		 SVSM_ERR_INVALID_PARAMETER);
	vtpm_req(0xffffffffu);
	CHECK_EQ(attest(SVSM_ATTEST_SINGLE_SERVICE),
		 SVSM_ERR_INVALID_PARAMETER);
	vtpm_req(0)->service_guid[15] ^= 1;
	CHECK_EQ(attest(SVSM_ATTEST_SINGLE_SERVICE),
		 SVSM_ERR_UNSUPPORTED_PROTOCOL);
	/* The services manifest's own GUID is not a service. */
	{
		static const uint8_t services[16] = SVSM_ATTEST_GUID_SERVICES;

		memcpy(vtpm_req(0)->service_guid, services, 16);
		CHECK_EQ(attest(SVSM_ATTEST_SINGLE_SERVICE),
			 SVSM_ERR_UNSUPPORTED_PROTOCOL);
	}
	vtpm_req(0)->reserved_0x54 = 1;
	CHECK_EQ(attest(SVSM_ATTEST_SINGLE_SERVICE),
		 SVSM_ERR_INVALID_PARAMETER);
	fake_vtpm_running = false;
	vtpm_req(0);
	CHECK_EQ(attest(SVSM_ATTEST_SINGLE_SERVICE),
		 SVSM_ERR_UNSUPPORTED_PROTOCOL);
	fake_vtpm_running = true;
	CHECK_EQ(fake_attest_calls, calls);
	CHECK_TRUE(untouched(REPORT, 4 * 4096));
}

TAP_CASE(calls_and_services)
{
	setup();
	CHECK_EQ(attest(2), SVSM_ERR_UNSUPPORTED_CALL);
	CHECK_EQ(core(SVSM_CORE_QUERY_PROTOCOL,
		      SVSM_QUERY_PROTOCOL_ARG(SVSM_PROTO_ATTEST, 1), 0, 0),
		 SVSM_SUCCESS);
	CHECK_EQ(last.out.rcx, (UINT64_C(1) << 32) | 1);
}

TAP_CASE(psp_failure_is_returned)
{
	setup();
	req(0);
	fake_attest_fail = SVSM_E_REQUEST;
	CHECK_EQ(attest(SVSM_ATTEST_SERVICES), SVSM_ERR_INVALID_REQUEST);
	CHECK_TRUE(untouched(REPORT, 4 * 4096));
	fake_attest_fail = SVSM_E_BUSY;
	CHECK_EQ(attest(SVSM_ATTEST_SERVICES), SVSM_ERR_BUSY);
}

TAP_MAIN(TAP_ENTRY(services_with_certs), TAP_ENTRY(too_small_writes_nothing),
	 TAP_ENTRY(decoding_refusals),
	 TAP_ENTRY(services_manifest_lists_the_vtpm),
	 TAP_ENTRY(single_service_vtpm_versions), TAP_ENTRY(calls_and_services),
	 TAP_ENTRY(psp_failure_is_returned))
