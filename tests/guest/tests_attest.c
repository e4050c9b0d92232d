// SPDX-License-Identifier: MIT
/*
 * The attestation protocol (docs/attestation.md §4): ATTEST_SERVICES with
 * and without certificates, through both transports, and every refusal:
 * buffers too small (sizes returned, nothing written), bad and unaligned
 * GPAs, SVSM memory, a nonce of the wrong size or crossing a page,
 * reserved bytes, unknown calls and services. The vTPM service
 * (docs/attestation.md §4.3): listed in the services manifest with its EK
 * (version 0), ATTEST_SINGLE_SERVICE versions 0 (RSA-2048 EK) and 1 (ECC
 * P-256 EK), bad GUIDs and versions, short buffers, and the EKs equal to
 * what TPM2_CreatePrimary with templates L-1/L-2 gives the guest through
 * VTPM_CMD. The first good exchange of each call is printed as
 * "attest-hex" lines; tests/emu/test_attest_verify.py checks them with
 * svsm-verify on the host.
 */
#include "lib/console.h"
#include "lib/string.h"

#include "svsm/abi/attest.h"
#include "svsm/abi/snp_certs.h"
#include "svsm/abi/snp_guest_msg.h"
#include "svsm/abi/tpm_ek.h"

#include "guest.h"

#define ATTEST(id) SVSM_CALL(SVSM_PROTO_ATTEST, (id))
#define FILL 0xa5

static uint8_t report_buf[4096] __attribute__((aligned(4096)));
static uint8_t manifest_buf[4096] __attribute__((aligned(4096)));
static uint8_t certs_buf[4 * 4096] __attribute__((aligned(4096)));
static uint8_t nonce_page[4096] __attribute__((aligned(4096)));

/* The EKs' marshalled TPMT_PUBLIC sizes and TPM algorithm ids, by manifest
 * version (0: RSA-2048, template L-1; 1: ECC P-256, L-2). */
static const uint32_t ek_size[2] = {TPM_EK_RSA2048_PUBLIC_SIZE,
				    TPM_EK_ECC_P256_PUBLIC_SIZE};
static const uint8_t ek_alg[2] = {TPM_EK_ALG_RSA, TPM_EK_ALG_ECC};
/* The services manifest: header, the vTPM's entry, its EK. */
#define SERVICES_SIZE (24u + 24u + TPM_EK_RSA2048_PUBLIC_SIZE)

static uint64_t gpa_of(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* The request, where Linux puts it: the calling area + 8. */
static struct svsm_attest_req *req(void)
{
	return (struct svsm_attest_req *)(void *)g.caa->svsm_buffer;
}

/* A valid ATTEST_SERVICES request; certs 0 = none wanted. */
static struct svsm_attest_req *fresh(uint32_t certs_size)
{
	struct svsm_attest_req *a = req();

	memset(a, 0, sizeof(*a));
	a->report_gpa = gpa_of(report_buf);
	a->report_size = sizeof(report_buf);
	a->nonce_gpa = gpa_of(nonce_page);
	a->nonce_size = SVSM_ATTEST_NONCE_SIZE;
	a->manifest_gpa = gpa_of(manifest_buf);
	a->manifest_size = sizeof(manifest_buf);
	a->certs_gpa = gpa_of(certs_buf);
	a->certs_size = certs_size;
	memset(report_buf, FILL, sizeof(report_buf));
	memset(manifest_buf, FILL, sizeof(manifest_buf));
	memset(certs_buf, FILL, sizeof(certs_buf));
	return a;
}

static bool untouched(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != FILL) {
			return false;
		}
	}
	return true;
}

static bool nothing_written(void)
{
	return untouched(report_buf, sizeof(report_buf)) &&
	       untouched(manifest_buf, sizeof(manifest_buf)) &&
	       untouched(certs_buf, sizeof(certs_buf));
}

/* Linux sets RDX = R8 = -1 before the call (docs/attestation.md §4.2);
 * the SVSM must write all three sizes. */
static uint64_t call(enum gtransport t, uint32_t id, struct gcall *c)
{
	memset(c, 0, sizeof(*c));
	c->rax = ATTEST(id);
	c->rcx = gpa_of(req());
	c->rdx = UINT64_MAX;
	c->r8 = UINT64_MAX;
	return gcall(t, c) ? c->rax : UINT64_MAX;
}

static void hex_dump(const char *name, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char line[2 * 64 + 1];

	for (size_t off = 0; off < n; off += 64) {
		size_t k = n - off < 64 ? n - off : 64;

		for (size_t i = 0; i < k; i++) {
			line[2 * i] = digits[p[off + i] >> 4];
			line[2 * i + 1] = digits[p[off + i] & 15];
		}
		line[2 * k] = '\0';
		con_printf("attest-hex %s %s\n", name, line);
	}
}

static uint64_t tsc(void)
{
	uint32_t lo = 0, hi = 0;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static uint32_t le32(const uint8_t *p)
{
	uint32_t v = 0;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* A marshalled EK public area of manifest version @v: its size, algorithm
 * and name algorithm (SHA-256) as templates L-1/L-2 give them. */
static bool is_ek(uint32_t v, const uint8_t *p, uint64_t len)
{
	return len == ek_size[v] && p[0] == 0 && p[1] == ek_alg[v] &&
	       p[2] == 0 && p[3] == TPM_EK_ALG_SHA256;
}

/* The services manifest (@len bytes in manifest_buf) lists one service,
 * the vTPM, whose data is its version-0 EK. */
static bool vtpm_listed(uint64_t len)
{
	static const uint8_t vtpm[16] = SVSM_ATTEST_GUID_VTPM;
	const uint8_t *e = manifest_buf + 24;

	return len == SERVICES_SIZE && le32(manifest_buf + 16) == len &&
	       le32(manifest_buf + 20) == 1 && memcmp(e, vtpm, 16) == 0 &&
	       le32(e + 16) == 48 && le32(e + 20) == ek_size[0] &&
	       is_ek(0, manifest_buf + 48, ek_size[0]);
}

TEST(attest, query_protocol)
{
	struct gcall c = {
		.rax = SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL),
		.rcx = SVSM_QUERY_PROTOCOL_ARG(SVSM_PROTO_ATTEST, 1)};

	EXPECT_MSG(gcall(GT_MSR, &c) && c.rax == SVSM_SUCCESS &&
			   c.rcx == ((UINT64_C(1) << 32) | 1),
		   "attest: QUERY_PROTOCOL(1, 1) = versions 1..1");
}

/* The nonce of the first exchange; @flip makes it another one. */
static void set_nonce(uint8_t flip)
{
	for (unsigned i = 0; i < SVSM_ATTEST_NONCE_SIZE; i++) {
		nonce_page[i] = (uint8_t)(0x40 + i * 3);
	}
	nonce_page[0] ^= flip;
}

TEST(attest, services_with_certs)
{
	static const uint8_t services[16] = SVSM_ATTEST_GUID_SERVICES;
	static const uint8_t ark[16] = SNP_CERT_GUID_ARK;
	const struct snp_attestation_report *r = (const void *)report_buf;
	struct gcall c;
	uint64_t certs_len = 0;

	set_nonce(0);
	fresh(sizeof(certs_buf));
	EXPECT_RAX(call(GT_MSR, SVSM_ATTEST_SERVICES, &c), SVSM_SUCCESS,
		   "attest: ATTEST_SERVICES with certificates");
	certs_len = c.rdx;
	EXPECT_MSG(c.rcx == SERVICES_SIZE && c.r8 == SVSM_ATTEST_REPORT_SIZE &&
			   certs_len > 24 && certs_len <= sizeof(certs_buf),
		   "attest: sizes in RCX (manifest), RDX (certs), R8 (report)");
	EXPECT_MSG(
		r->vmpl == 0 && r->version >= 2 && r->signature_algo == 1 &&
			untouched(report_buf + SVSM_ATTEST_REPORT_SIZE,
				  sizeof(report_buf) - SVSM_ATTEST_REPORT_SIZE),
		"attest: a VMPL0 report, nothing written past it");
	EXPECT_MSG(memcmp(manifest_buf, services, 16) == 0 &&
			   untouched(manifest_buf + c.rcx, 16),
		   "attest: services manifest GUID, nothing written past it");
	EXPECT_MSG(vtpm_listed(c.rcx),
		   "attest: services manifest lists the vTPM with its EK");
	EXPECT_MSG(memcmp(certs_buf, ark, 16) == 0 &&
			   untouched(certs_buf + certs_len, 16),
		   "attest: certificate table starts with the ARK");
	/* Only a complete exchange is printed (sizes checked above). */
	if (c.rax == SVSM_SUCCESS && c.rcx <= sizeof(manifest_buf) &&
	    certs_len <= sizeof(certs_buf)) {
		hex_dump("nonce", nonce_page, SVSM_ATTEST_NONCE_SIZE);
		hex_dump("manifest", manifest_buf, c.rcx);
		hex_dump("report", report_buf, SVSM_ATTEST_REPORT_SIZE);
		hex_dump("certs", certs_buf, certs_len);
	}
}

TEST(attest, services_ghcb_no_certs)
{
	const struct snp_attestation_report *r = (const void *)report_buf;
	struct gcall c;

	fresh(0);
	set_nonce(1);
	EXPECT_RAX(call(GT_GHCB, SVSM_ATTEST_SERVICES, &c), SVSM_SUCCESS,
		   "attest: ghcb: ATTEST_SERVICES without certificates");
	EXPECT_MSG(c.rdx == 0 && c.r8 == SVSM_ATTEST_REPORT_SIZE &&
			   untouched(certs_buf, sizeof(certs_buf)) &&
			   r->report_data[0] != 0,
		   "attest: no certificates: RDX 0, buffer untouched");
}

/* bench/attest_roundtrip.py: reports in a row, without certificates, over
 * the GHCB page (snpemu intercepts GHCB MSR writes, which hardware does not,
 * so the MSR transport would add exits); it pairs these lines with
 * snpemu's greq_stats log. */
#define BENCH_REPORTS 8
TEST(attest, reports_in_a_row)
{
	struct gcall c;
	uint64_t t0 = 0, t1 = 0;
	bool ok = true;

	fresh(0);
	con_printf("attest-bench: start\n");
	t0 = tsc();
	for (unsigned i = 0; i < BENCH_REPORTS; i++) {
		ok = ok &&
		     call(GT_MSR, SVSM_ATTEST_SERVICES, &c) == SVSM_SUCCESS;
	}
	t1 = tsc();
	con_printf("attest-bench: end, %u reports, %llu TSC cycles each\n",
		   BENCH_REPORTS,
		   (unsigned long long)((t1 - t0) / BENCH_REPORTS));
	EXPECT_MSG(ok, "attest: 8 reports in a row");
}

/* A call that must fail with @want and leave every buffer as it was. */
static void refused(struct test_ctx *_t, struct svsm_attest_req *a, uint32_t id,
		    uint64_t want, const char *name)
{
	struct gcall c;
	uint64_t rax = 0;

	(void)a;
	rax = call(GT_MSR, id, &c);
	if (rax != want) {
		con_printf("# RAX 0x%llx, expected 0x%llx\n",
			   (unsigned long long)rax, (unsigned long long)want);
	}
	EXPECT_MSG(rax == want && nothing_written(), name);
}

TEST(attest, buffers_too_small)
{
	struct svsm_attest_req *a = fresh(sizeof(certs_buf));
	struct gcall c;

	a->report_size = 0x49f;
	EXPECT_RAX(call(GT_MSR, SVSM_ATTEST_SERVICES, &c),
		   SVSM_ERR_INVALID_PARAMETER,
		   "attest: report buffer too small");
	EXPECT_MSG(c.r8 == SVSM_ATTEST_REPORT_SIZE && c.rcx == SERVICES_SIZE &&
			   c.rdx > 24 && nothing_written(),
		   "attest: too small: sizes returned, nothing written");
	a = fresh(sizeof(certs_buf));
	a->manifest_size = 0;
	refused(_t, a, SVSM_ATTEST_SERVICES, SVSM_ERR_INVALID_PARAMETER,
		"attest: manifest buffer of size 0");
	a = fresh(0);
	a->manifest_size = SERVICES_SIZE - 1;
	EXPECT_RAX(call(GT_GHCB, SVSM_ATTEST_SERVICES, &c),
		   SVSM_ERR_INVALID_PARAMETER,
		   "attest: manifest buffer one byte short");
	EXPECT_MSG(c.rcx == SERVICES_SIZE && c.r8 == SVSM_ATTEST_REPORT_SIZE &&
			   nothing_written(),
		   "attest: manifest short: RCX = the size needed, nothing "
		   "written");
	a = fresh(4096);
	EXPECT_RAX(call(GT_MSR, SVSM_ATTEST_SERVICES, &c),
		   SVSM_ERR_INVALID_PARAMETER,
		   "attest: certificate buffer too small");
	EXPECT_MSG(
		c.rdx > 4096 && c.rdx <= sizeof(certs_buf) && nothing_written(),
		"attest: certs too small: RDX = the size needed");
}

TEST(attest, hostile_requests)
{
	struct svsm_attest_req *a = NULL;

	a = fresh(0);
	a->nonce_size = 32;
	refused(_t, a, SVSM_ATTEST_SERVICES, SVSM_ERR_INVALID_PARAMETER,
		"attest: nonce size 32");
	a = fresh(0);
	a->nonce_gpa = gpa_of(nonce_page) + 4096 - 32;
	refused(_t, a, SVSM_ATTEST_SERVICES, SVSM_ERR_INVALID_PARAMETER,
		"attest: nonce crossing a page");
	a = fresh(0);
	a->reserved_0x1a[5] = 1;
	refused(_t, a, SVSM_ATTEST_SERVICES, SVSM_ERR_INVALID_PARAMETER,
		"attest: reserved bytes set");
	a = fresh(0);
	a->report_gpa += 8;
	refused(_t, a, SVSM_ATTEST_SERVICES, SVSM_ERR_INVALID_PARAMETER,
		"attest: unaligned report buffer");
	a = fresh(sizeof(certs_buf));
	a->certs_gpa += 0x800;
	refused(_t, a, SVSM_ATTEST_SERVICES, SVSM_ERR_INVALID_PARAMETER,
		"attest: unaligned certificate buffer");
	a = fresh(0);
	a->report_gpa = g.svsm_base;
	refused(_t, a, SVSM_ATTEST_SERVICES, SVSM_ERR_INVALID_ADDRESS,
		"attest: report buffer in SVSM memory");
	a = fresh(0);
	a->manifest_gpa = g.svsm_base - 4096;
	a->manifest_size = 8192;
	refused(_t, a, SVSM_ATTEST_SERVICES, SVSM_ERR_INVALID_ADDRESS,
		"attest: manifest buffer crossing into SVSM memory");
	a = fresh(0);
	a->nonce_gpa = g.svsm_base + 64;
	refused(_t, a, SVSM_ATTEST_SERVICES, SVSM_ERR_INVALID_ADDRESS,
		"attest: nonce in SVSM memory");
	a = fresh(0);
	a->report_gpa = UINT64_C(1) << 45;
	refused(_t, a, SVSM_ATTEST_SERVICES, SVSM_ERR_INVALID_ADDRESS,
		"attest: report buffer outside guest RAM");
	a = fresh(0);
	a->report_gpa = UINT64_C(0xfffffffffffff000);
	refused(_t, a, SVSM_ATTEST_SERVICES, SVSM_ERR_INVALID_ADDRESS,
		"attest: report buffer wrapping the address space");
	fresh(0);
	EXPECT_MSG(gcall3(ATTEST(SVSM_ATTEST_SERVICES), g.svsm_base, 0, 0) ==
				   SVSM_ERR_INVALID_ADDRESS &&
			   nothing_written(),
		   "attest: request in SVSM memory");
	EXPECT_MSG(gcall3(ATTEST(SVSM_ATTEST_SERVICES), UINT64_C(1) << 45, 0,
			  0) == SVSM_ERR_INVALID_ADDRESS,
		   "attest: request outside guest RAM");
}

TEST(attest, other_calls)
{
	fresh(0);
	refused(_t, req(), 2, SVSM_ERR_UNSUPPORTED_CALL,
		"attest: unknown call 2");
	refused(_t, req(), 0xffffffffu, SVSM_ERR_UNSUPPORTED_CALL,
		"attest: unknown call 0xffffffff");
	EXPECT_MSG(gcall3(SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL),
			  SVSM_QUERY_PROTOCOL_ARG(SVSM_PROTO_ATTEST, 1), 0,
			  0) == SVSM_SUCCESS,
		   "attest: QUERY_PROTOCOL call");
}

/* A valid ATTEST_SINGLE_SERVICE request for the vTPM, manifest @version. */
static struct svsm_attest_req *fresh_vtpm(uint32_t version)
{
	static const uint8_t vtpm[16] = SVSM_ATTEST_GUID_VTPM;
	struct svsm_attest_req *a = fresh(0);

	memcpy(a->service_guid, vtpm, sizeof(vtpm));
	a->manifest_version = version;
	return a;
}

/* ATTEST_SINGLE_SERVICE for the vTPM, manifest @v: the EK alone as the
 * manifest, copied to @ek (*@len bytes). */
static bool single_vtpm(uint32_t v, enum gtransport t, uint8_t *ek,
			uint32_t *len)
{
	const struct snp_attestation_report *r = (const void *)report_buf;
	struct gcall c;

	*len = 0;
	fresh_vtpm(v);
	if (call(t, SVSM_ATTEST_SINGLE_SERVICE, &c) != SVSM_SUCCESS ||
	    c.r8 != SVSM_ATTEST_REPORT_SIZE || c.rdx != 0 ||
	    !is_ek(v, manifest_buf, c.rcx) ||
	    !untouched(manifest_buf + c.rcx, 16) || r->vmpl != 0) {
		return false;
	}
	memcpy(ek, manifest_buf, c.rcx);
	*len = (uint32_t)c.rcx;
	return true;
}

TEST(attest, single_service_vtpm)
{
	static uint8_t ek[512];
	struct gcall c;
	uint32_t len = 0;
	bool ok = false;

	for (unsigned i = 0; i < SVSM_ATTEST_NONCE_SIZE; i++) {
		nonce_page[i] = (uint8_t)(0x90 + i * 5);
	}
	EXPECT_MSG(single_vtpm(0, GT_MSR, ek, &len),
		   "attest: single service vTPM v0: the RSA-2048 EK");
	/* Version 0 alone is the services manifest's vTPM data. */
	fresh(0);
	ok = len != 0 &&
	     call(GT_MSR, SVSM_ATTEST_SERVICES, &c) == SVSM_SUCCESS &&
	     vtpm_listed(c.rcx) && memcmp(manifest_buf + 48, ek, len) == 0;
	EXPECT_MSG(ok,
		   "attest: single service v0 = the services manifest's "
		   "vTPM data");
	nonce_page[0] ^= 1;
	ok = single_vtpm(1, GT_GHCB, ek, &len);
	EXPECT_MSG(ok, "attest: single service vTPM v1: the ECC P-256 EK");
	if (ok) {
		hex_dump("ecc-nonce", nonce_page, SVSM_ATTEST_NONCE_SIZE);
		hex_dump("ecc-manifest", manifest_buf, len);
		hex_dump("ecc-report", report_buf, SVSM_ATTEST_REPORT_SIZE);
	}
}

bool guest_attested_ek_is_tpm_ek(uint32_t version)
{
	static uint8_t attested[512], created[512];
	uint32_t a_len = 0, c_len = 0;

	return single_vtpm(version, GT_MSR, attested, &a_len) &&
	       guest_vtpm_create_ek(version == 1, created, sizeof(created),
				    &c_len) &&
	       a_len == c_len && memcmp(attested, created, a_len) == 0;
}

/* The binding, proven inside the guest: the EKs the attestation protocol
 * hands out are the keys the guest's own TPM2_CreatePrimary with the
 * standard templates gives through VTPM_CMD. */
TEST(attest, ek_equals_create_primary)
{
	EXPECT_MSG(guest_attested_ek_is_tpm_ek(0),
		   "attest: manifest v0 EK = CreatePrimary(L-1) through "
		   "VTPM_CMD");
	EXPECT_MSG(guest_attested_ek_is_tpm_ek(1),
		   "attest: manifest v1 EK = CreatePrimary(L-2) through "
		   "VTPM_CMD");
}

TEST(attest, single_service_refusals)
{
	static const uint8_t services[16] = SVSM_ATTEST_GUID_SERVICES;
	struct svsm_attest_req *a = NULL;

	refused(_t, fresh_vtpm(2), SVSM_ATTEST_SINGLE_SERVICE,
		SVSM_ERR_INVALID_PARAMETER,
		"attest: single service: manifest version 2");
	refused(_t, fresh_vtpm(0xffffffffu), SVSM_ATTEST_SINGLE_SERVICE,
		SVSM_ERR_INVALID_PARAMETER,
		"attest: single service: manifest version 0xffffffff");
	a = fresh_vtpm(0);
	a->service_guid[0] ^= 0x80;
	refused(_t, a, SVSM_ATTEST_SINGLE_SERVICE,
		SVSM_ERR_UNSUPPORTED_PROTOCOL,
		"attest: single service: unknown GUID");
	a = fresh_vtpm(0);
	memcpy(a->service_guid, services, sizeof(services));
	refused(_t, a, SVSM_ATTEST_SINGLE_SERVICE,
		SVSM_ERR_UNSUPPORTED_PROTOCOL,
		"attest: single service: the services manifest's GUID");
	a = fresh_vtpm(0);
	memset(a->service_guid, 0, sizeof(a->service_guid));
	refused(_t, a, SVSM_ATTEST_SINGLE_SERVICE,
		SVSM_ERR_UNSUPPORTED_PROTOCOL,
		"attest: single service: all-zero GUID");
	a = fresh_vtpm(0);
	a->reserved_0x54 = 1;
	refused(_t, a, SVSM_ATTEST_SINGLE_SERVICE, SVSM_ERR_INVALID_PARAMETER,
		"attest: single service: reserved bytes set");
}

TEST(attest, single_service_short_buffers)
{
	static const char *const short_names[2][2] = {
		{"attest: single service v0: manifest buffer one byte short",
		 "attest: single service v0 short: RCX = the EK's size, "
		 "nothing written"},
		{"attest: single service v1: manifest buffer one byte short",
		 "attest: single service v1 short: RCX = the EK's size, "
		 "nothing written"}};
	struct svsm_attest_req *a = NULL;
	struct gcall c;

	for (uint32_t v = 0; v < 2; v++) {
		a = fresh_vtpm(v);
		a->manifest_size = ek_size[v] - 1;
		EXPECT_RAX(call(GT_MSR, SVSM_ATTEST_SINGLE_SERVICE, &c),
			   SVSM_ERR_INVALID_PARAMETER, short_names[v][0]);
		EXPECT_MSG(c.rcx == ek_size[v] &&
				   c.r8 == SVSM_ATTEST_REPORT_SIZE &&
				   nothing_written(),
			   short_names[v][1]);
	}
	a = fresh_vtpm(1);
	a->report_size = 0;
	EXPECT_RAX(call(GT_GHCB, SVSM_ATTEST_SINGLE_SERVICE, &c),
		   SVSM_ERR_INVALID_PARAMETER,
		   "attest: single service: report buffer of size 0");
	EXPECT_MSG(c.rcx == ek_size[1] && c.r8 == SVSM_ATTEST_REPORT_SIZE &&
			   nothing_written(),
		   "attest: single service, no report buffer: sizes "
		   "returned, nothing written");
}
