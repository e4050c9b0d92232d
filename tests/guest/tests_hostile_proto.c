// SPDX-License-Identifier: MIT
/*
 * Hostile-guest tables for the attestation protocol (docs/attestation.md §4)
 * and the vTPM protocol (docs/abi.md §5): one malformed field at a time in an
 * otherwise good request, each with the result code the documents give it,
 * and buffers in pages a guest must not make the SVSM read or write (SVSM
 * memory, a shared page, outside RAM). None of these reaches the PSP or the
 * TPM. Counted by HOSTILE_RAX (tests/guest/tests_hostile.c).
 */
#include "lib/string.h"

#include "svsm/abi/attest.h"
#include "svsm/abi/vtpm.h"

#include "guest.h"

#define ATTEST(id) SVSM_CALL(SVSM_PROTO_ATTEST, (id))
#define VTPM(id) SVSM_CALL(SVSM_PROTO_VTPM, (id))

static uint8_t bufs[3][4096] __attribute__((aligned(4096)));
static uint8_t shared_page[4096] __attribute__((aligned(4096)));
static uint8_t tpm_page[4096] __attribute__((aligned(4096)));

static uint64_t gpa_of(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static uint64_t svsm_page(unsigned i)
{
	return g.svsm_base + (uint64_t)i * (g.svsm_size / 4);
}

/* A good ATTEST_SERVICES/SINGLE_SERVICE request in the calling area. */
static struct svsm_attest_req *fresh(void)
{
	struct svsm_attest_req *a = (void *)g.caa->svsm_buffer;

	memset(a, 0, sizeof(*a));
	a->report_gpa = gpa_of(bufs[0]);
	a->report_size = 4096;
	a->nonce_gpa = gpa_of(bufs[1]);
	a->nonce_size = SVSM_ATTEST_NONCE_SIZE;
	a->manifest_gpa = gpa_of(bufs[2]);
	a->manifest_size = 4096;
	return a;
}

static uint64_t attest(uint32_t id)
{
	return gcall3(ATTEST(id), gpa_of(g.caa->svsm_buffer), 0, 0);
}

/* Set reserved byte @i of the request (the ten reserved ranges). */
static bool set_reserved(struct svsm_attest_req *a, unsigned i)
{
	uint8_t *r = (uint8_t *)a;
	static const uint8_t off[] = {0x0c, 0x0f, 0x1a, 0x1b, 0x1f,
				      0x2c, 0x2f, 0x3c, 0x3f};

	if (i >= sizeof(off)) {
		return false;
	}
	r[off[i]] = 0x80;
	return true;
}

TEST(hostile, attest_fields)
{
	static const uint16_t nonce_sizes[] = {0, 1, 32, 63, 65, 128, 0xffff};
	static const uint64_t misaligned[] = {1, 8, 0x800, 0xfff};
	struct svsm_attest_req *a = NULL;

	for (unsigned i = 0; set_reserved(fresh(), i); i++) {
		HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SERVICES),
			    SVSM_ERR_INVALID_PARAMETER,
			    "attest: services: a reserved byte set");
		(void)set_reserved(fresh(), i);
		HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SINGLE_SERVICE),
			    SVSM_ERR_INVALID_PARAMETER,
			    "attest: single service: a reserved byte set");
	}
	a = fresh();
	a->reserved_0x54 = 0x80000000u;
	HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SINGLE_SERVICE),
		    SVSM_ERR_INVALID_PARAMETER,
		    "attest: single service: reserved word 0x54 set");
	for (unsigned i = 0; i < sizeof(nonce_sizes) / sizeof(nonce_sizes[0]);
	     i++) {
		fresh()->nonce_size = nonce_sizes[i];
		HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SERVICES),
			    SVSM_ERR_INVALID_PARAMETER,
			    "attest: nonce size other than 64");
	}
	fresh()->nonce_gpa = gpa_of(bufs[1]) + 4096 - 63;
	HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SERVICES),
		    SVSM_ERR_INVALID_PARAMETER,
		    "attest: nonce crossing a page by 1 byte");
	fresh()->nonce_gpa = gpa_of(bufs[1]) + 4095;
	HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SERVICES),
		    SVSM_ERR_INVALID_PARAMETER,
		    "attest: nonce at the last byte of a page");
	for (unsigned i = 0; i < 4; i++) {
		fresh()->report_gpa += misaligned[i];
		HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SERVICES),
			    SVSM_ERR_INVALID_PARAMETER,
			    "attest: report buffer not page aligned");
		fresh()->manifest_gpa += misaligned[i];
		HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SERVICES),
			    SVSM_ERR_INVALID_PARAMETER,
			    "attest: manifest buffer not page aligned");
		a = fresh();
		a->certs_gpa = gpa_of(bufs[2]) + misaligned[i];
		a->certs_size = 4096;
		HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SERVICES),
			    SVSM_ERR_INVALID_PARAMETER,
			    "attest: certificate buffer not page aligned");
	}
}

TEST(hostile, attest_buffers)
{
	struct svsm_attest_req *a = NULL;
	uint64_t sh = gpa_of(shared_page);

	for (unsigned i = 0; i < 4; i++) {
		fresh()->report_gpa = svsm_page(i);
		HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SERVICES),
			    SVSM_ERR_INVALID_ADDRESS,
			    "attest: report buffer in SVSM memory");
		fresh()->manifest_gpa = svsm_page(i);
		HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SERVICES),
			    SVSM_ERR_INVALID_ADDRESS,
			    "attest: manifest buffer in SVSM memory");
		a = fresh();
		a->certs_gpa = svsm_page(i);
		a->certs_size = 4096;
		HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SERVICES),
			    SVSM_ERR_INVALID_ADDRESS,
			    "attest: certificate buffer in SVSM memory");
		fresh()->nonce_gpa = svsm_page(i) + 0x20;
		HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SERVICES),
			    SVSM_ERR_INVALID_ADDRESS,
			    "attest: nonce read from SVSM memory");
		HOSTILE_RAX(HP_ATTEST,
			    gcall3(ATTEST(SVSM_ATTEST_SERVICES), svsm_page(i),
				   0, 0),
			    SVSM_ERR_INVALID_ADDRESS,
			    "attest: request in SVSM memory");
	}
	fresh()->report_size = 0xffffffffu;
	HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SERVICES),
		    SVSM_ERR_INVALID_ADDRESS,
		    "attest: report buffer of 4 GiB (past guest RAM)");
	fresh()->manifest_size = 0xffffffffu;
	HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SERVICES),
		    SVSM_ERR_INVALID_ADDRESS,
		    "attest: manifest buffer of 4 GiB (past guest RAM)");
	a = fresh();
	a->certs_gpa = UINT64_C(0xfffffffffffff000);
	a->certs_size = 8192;
	HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SERVICES),
		    SVSM_ERR_INVALID_ADDRESS,
		    "attest: certificate buffer wrapping the address space");
	a = fresh();
	a->manifest_gpa = g.svsm_base - 4096;
	a->manifest_size = 4097;
	HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SERVICES),
		    SVSM_ERR_INVALID_ADDRESS,
		    "attest: manifest buffer one byte into SVSM memory");
	HOSTILE_RAX(HP_ATTEST,
		    gcall3(ATTEST(SVSM_ATTEST_SERVICES),
			   UINT64_C(0xffffffffffffffc0), 0, 0),
		    SVSM_ERR_INVALID_ADDRESS,
		    "attest: request at the top of the address space");
	/*
	 * Shared pages: the request and the nonce are read before anything
	 * is sent to the PSP; the SVSM's private read faults (the host
	 * converts the page, docs/snpemu.md S7).
	 */
	EXPECT_MSG(guest_psc(sh, true), "attest: a page made shared");
	HOSTILE_RAX(HP_ATTEST, gcall3(ATTEST(SVSM_ATTEST_SERVICES), sh, 0, 0),
		    SVSM_ERR_INVALID_ADDRESS,
		    "attest: request in a shared page");
	EXPECT_MSG(guest_psc(sh, true), "attest: the page shared again");
	fresh()->nonce_gpa = sh;
	HOSTILE_RAX(HP_ATTEST, attest(SVSM_ATTEST_SERVICES),
		    SVSM_ERR_INVALID_ADDRESS, "attest: nonce in a shared page");
	EXPECT_MSG(guest_psc(sh, true), "attest: the page shared again");
	HOSTILE_RAX(HP_ATTEST,
		    gcall3(ATTEST(SVSM_ATTEST_SINGLE_SERVICE), sh, 0, 0),
		    SVSM_ERR_INVALID_ADDRESS,
		    "attest: single service: request in a shared page");
	EXPECT_MSG(guest_psc(sh, true), "vtpm: the page shared again");
	HOSTILE_RAX(HP_VTPM, gcall3(VTPM(SVSM_VTPM_CMD), sh, 0, 0),
		    SVSM_ERR_INVALID_ADDRESS, "vtpm: buffer in a shared page");
}

/* A TPM_SEND_COMMAND wrapper with a TPM2_GetRandom(8) behind it. */
static uint64_t vtpm_req(uint32_t plat, uint8_t loc, uint32_t n)
{
	static const uint8_t get_random[] = {0x80, 0x01, 0, 0,    0, 0x0c,
					     0,    0,    1, 0x7b, 0, 8};
	struct svsm_vtpm_cmd_req h = {plat, loc, n};

	memset(tpm_page, 0x5a, sizeof(tpm_page));
	memcpy(tpm_page, &h, sizeof(h));
	memcpy(tpm_page + sizeof(h), get_random, sizeof(get_random));
	return gcall3(VTPM(SVSM_VTPM_CMD), gpa_of(tpm_page), 0, 0);
}

TEST(hostile, vtpm_requests)
{
	static const uint8_t localities[] = {1, 2, 3, 4, 0x80, 0xff};
	static const uint32_t sizes[] = {4088, 4096, 0x10000, 0xffffffffu};
	static const uint32_t undefined_cmds[] = {0, 31, 32, 0x100,
						  0xffffffffu};
	static const uint32_t other_cmds[] = {1, 2, 5, 9, 11, 17, 21, 30};
	static const uint64_t misaligned[] = {1, 8, 0x800, 0xfff};

	for (unsigned i = 0; i < sizeof(localities); i++) {
		HOSTILE_RAX(HP_VTPM, vtpm_req(8, localities[i], 12),
			    SVSM_ERR_INVALID_PARAMETER,
			    "vtpm: locality other than 0");
	}
	for (unsigned i = 0; i < 4; i++) {
		HOSTILE_RAX(HP_VTPM, vtpm_req(8, 0, sizes[i]),
			    SVSM_ERR_INVALID_PARAMETER,
			    "vtpm: command larger than the buffer");
	}
	for (unsigned i = 0; i < 5; i++) {
		HOSTILE_RAX(HP_VTPM, vtpm_req(undefined_cmds[i], 0, 12),
			    SVSM_ERR_INVALID_PARAMETER,
			    "vtpm: platform command the simulator does not "
			    "define");
	}
	for (unsigned i = 0; i < 8; i++) {
		HOSTILE_RAX(HP_VTPM, vtpm_req(other_cmds[i], 0, 12),
			    SVSM_ERR_UNSUPPORTED_CALL,
			    "vtpm: simulator command other than SEND_COMMAND");
	}
	EXPECT_MSG(tpm_page[9] == 0x80 && tpm_page[4095] == 0x5a,
		   "vtpm: refused requests leave the buffer as it was");
	HOSTILE_RAX(HP_VTPM, gcall3(VTPM(SVSM_VTPM_CMD), 0, 0, 0),
		    SVSM_ERR_INVALID_PARAMETER, "vtpm: buffer at GPA 0");
	for (unsigned i = 0; i < 4; i++) {
		HOSTILE_RAX(HP_VTPM,
			    gcall3(VTPM(SVSM_VTPM_CMD),
				   gpa_of(tpm_page) + misaligned[i], 0, 0),
			    SVSM_ERR_INVALID_PARAMETER,
			    "vtpm: buffer not page aligned");
		HOSTILE_RAX(HP_VTPM,
			    gcall3(VTPM(SVSM_VTPM_CMD), svsm_page(i), 0, 0),
			    SVSM_ERR_INVALID_ADDRESS,
			    "vtpm: buffer in SVSM memory");
	}
	HOSTILE_RAX(HP_VTPM,
		    gcall3(VTPM(SVSM_VTPM_CMD), g.svsm_base - 4096, 0, 0),
		    SVSM_ERR_INVALID_ADDRESS,
		    "vtpm: buffer in the shared page below the SVSM");
	HOSTILE_RAX(HP_VTPM,
		    gcall3(VTPM(SVSM_VTPM_CMD), UINT64_C(1) << 46, 0, 0),
		    SVSM_ERR_INVALID_ADDRESS, "vtpm: buffer outside RAM");
	HOSTILE_RAX(
		HP_VTPM,
		gcall3(VTPM(SVSM_VTPM_CMD), UINT64_C(0xfffffffffffff000), 0, 0),
		SVSM_ERR_INVALID_ADDRESS,
		"vtpm: buffer at the top of the address space");
	/* Still a working TPM: GetRandom(8) answers 8 bytes. */
	EXPECT_RAX(vtpm_req(8, 0, 12), SVSM_SUCCESS,
		   "vtpm: GetRandom after the hostile requests");
	EXPECT_MSG(tpm_page[0] == 20 && tpm_page[10] == 0 &&
			   tpm_page[11] == 0 && tpm_page[12] == 0 &&
			   tpm_page[13] == 0,
		   "vtpm: GetRandom response of 20 bytes, rc 0");
}
