// SPDX-License-Identifier: MIT
/*
 * The concurrent load (issue 13 item 4): every vCPU — vCPU 0 and the APs
 * of smp_aps.c — makes the same mix of SVSM calls at the same time, each
 * through its own calling area, and every result is checked:
 *
 *   every round   QUERY_PROTOCOL(core, 1): versions 1..1
 *   PV rounds     rescind + validate of the vCPU's own page (both must
 *                 succeed; a byte written before the rescind must read 0
 *                 after the validate: the validate happened, once), then
 *                 rescind + validate of one of two pages all vCPUs share
 *                 (SUCCESS or FAIL_UNCHANGED only)
 *   TPM rounds    VTPM_CMD TPM2_GetRandom(16): rc 0 and 16 bytes
 *   ATT rounds    ATTEST_SERVICES over a nonce unique to (vCPU, round):
 *                 a VMPL0 report of the right size
 *
 * Nothing lost or doubled: every call's call_pending was cleared, each
 * vCPU made exactly the calls its schedule says, on each shared page as
 * many rescinds as validates succeeded (it starts and ends validated), no
 * two GetRandom answers are equal, and no two reports carry the same
 * REPORT_DATA (SHA-512 over a distinct nonce and the manifest: a report
 * handed to two callers, or built over another caller's nonce, would
 * repeat one).
 *
 * smp/load runs a small count in the suite (emu test svsm-smp);
 * load/full (hidden; bench/smp_load.py) runs 10^5 calls per vCPU.
 */
#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/string.h"

#include "svsm/abi/attest.h"
#include "svsm/abi/snp_guest_msg.h"
#include "svsm/abi/vtpm.h"

#include "guest.h"
#include "smp_aps.h"

#define CORE(id) SVSM_CALL(SVSM_PROTO_CORE, (id))
#define VCPUS (GUEST_MAX_APS + 1)
#define SHARED_PAGES 2
#define MAX_RND 128
#define MAX_ATT 8
#define RD_BYTES 32 /* of REPORT_DATA kept per report */
#define SPINS UINT64_C(4000000000)

struct load_cfg {
	uint64_t calls; /* per vCPU, at least */
	uint32_t pv_every, tpm_every, att_every;
};

/* What each vCPU did and saw. */
struct load_stat {
	uint64_t calls, query, pv, tpm, att, bad, left, not_zeroed;
	uint64_t sh_rescinds[SHARED_PAGES], sh_validates[SHARED_PAGES];
	uint64_t tsc_start, tsc_end;
	uint32_t nrnd, natt;
	uint8_t rnd[MAX_RND][16];
	uint8_t rd[MAX_ATT][RD_BYTES];
} __attribute__((aligned(64)));

struct vcpu_pages {
	uint8_t own[4096];
	uint8_t tpm[4096];
	uint8_t report[4096];
	uint8_t manifest[4096];
	uint8_t nonce[4096];
};

static struct vcpu_pages pages[VCPUS] __attribute__((aligned(4096)));
static uint8_t shared[SHARED_PAGES][4096] __attribute__((aligned(4096)));
static struct load_stat stat[VCPUS];
static struct load_cfg cfg;

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void call(struct svsm_caa *caa, struct load_stat *st, uint64_t r[4])
{
	volatile uint64_t left = 0;

	guest_call_caa(caa, &left, r);
	st->left += left;
	st->calls++;
}

static bool pv(struct svsm_caa *caa, struct load_stat *st, const void *p,
	       bool validate, uint64_t *rax)
{
	volatile uint64_t left = 0;

	*rax = guest_pvalidate_caa(caa, &left, p, validate);
	st->left += left;
	st->calls++;
	st->pv++;
	return *rax == SVSM_SUCCESS;
}

static void pv_round(struct svsm_caa *caa, struct load_stat *st, unsigned v,
		     uint64_t k)
{
	unsigned s = (unsigned)(k / cfg.pv_every) % SHARED_PAGES;
	uint64_t r1 = 0, r2 = 0;

	pages[v].own[0] = 0xa5;
	if (!pv(caa, st, pages[v].own, false, &r1) ||
	    !pv(caa, st, pages[v].own, true, &r2)) {
		st->bad++;
	}
	st->not_zeroed += pages[v].own[0] != 0;
	(void)pv(caa, st, shared[s], false, &r1);
	(void)pv(caa, st, shared[s], true, &r2);
	st->sh_rescinds[s] += r1 == SVSM_SUCCESS;
	st->sh_validates[s] += r2 == SVSM_SUCCESS;
	st->bad += r1 != SVSM_SUCCESS && r1 != SVSM_PVALIDATE_FAIL_UNCHANGED;
	st->bad += r2 != SVSM_SUCCESS && r2 != SVSM_PVALIDATE_FAIL_UNCHANGED;
}

/* TPM2_GetRandom(16) through VTPM_CMD (as tests_vtpm.c checks it). */
static void tpm_round(struct svsm_caa *caa, struct load_stat *st, unsigned v)
{
	static const uint8_t cmd[] = {0x80, 0x01, 0, 0,    0, 12,
				      0,    0,    1, 0x7b, 0, 16};
	struct svsm_vtpm_cmd_req h = {SVSM_VTPM_PLAT_SEND_COMMAND, 0,
				      sizeof(cmd)};
	uint8_t *page = pages[v].tpm;
	const uint8_t *rsp = page + sizeof(struct svsm_vtpm_cmd_rsp);
	uint64_t r[4] = {SVSM_CALL(SVSM_PROTO_VTPM, SVSM_VTPM_CMD),
			 (uint64_t)(uintptr_t)page, 0, 0};
	uint32_t size = 0;

	memset(page, 0, 64);
	memcpy(page, &h, sizeof(h));
	memcpy(page + sizeof(h), cmd, sizeof(cmd));
	call(caa, st, r);
	st->tpm++;
	memcpy(&size, page, sizeof(size));
	if (r[0] != SVSM_SUCCESS || size != 28 || be32(rsp + 2) != 28 ||
	    be32(rsp + 6) != 0 || rsp[10] != 0 || rsp[11] != 16) {
		st->bad++;
		return;
	}
	if (st->nrnd < MAX_RND) {
		memcpy(st->rnd[st->nrnd++], rsp + 12, 16);
	}
}

/* ATTEST_SERVICES over a nonce no other call uses. */
static void att_round(struct svsm_caa *caa, struct load_stat *st, unsigned v)
{
	struct svsm_attest_req *a = (void *)caa->svsm_buffer;
	const struct snp_attestation_report *rep =
		(const void *)pages[v].report;
	uint64_t seq = st->att;
	uint64_t r[4] = {SVSM_CALL(SVSM_PROTO_ATTEST, SVSM_ATTEST_SERVICES),
			 (uint64_t)(uintptr_t)a, UINT64_MAX, UINT64_MAX};

	memset(pages[v].nonce, 0, SVSM_ATTEST_NONCE_SIZE);
	memcpy(pages[v].nonce, "smp-load", 8);
	memcpy(pages[v].nonce + 8, &v, sizeof(v));
	memcpy(pages[v].nonce + 16, &seq, sizeof(seq));
	memset(pages[v].report, 0, SVSM_ATTEST_REPORT_SIZE);
	memset(a, 0, sizeof(*a));
	a->report_gpa = (uint64_t)(uintptr_t)pages[v].report;
	a->report_size = sizeof(pages[v].report);
	a->nonce_gpa = (uint64_t)(uintptr_t)pages[v].nonce;
	a->nonce_size = SVSM_ATTEST_NONCE_SIZE;
	a->manifest_gpa = (uint64_t)(uintptr_t)pages[v].manifest;
	a->manifest_size = sizeof(pages[v].manifest);
	call(caa, st, r);
	st->att++;
	if (r[0] != SVSM_SUCCESS || r[3] != SVSM_ATTEST_REPORT_SIZE ||
	    rep->vmpl != 0 || rep->version < 2) {
		st->bad++;
		return;
	}
	if (st->natt < MAX_ATT) {
		memcpy(st->rd[st->natt++], rep->report_data, RD_BYTES);
	}
}

/* vCPU @v's whole load through @caa. */
static void load(unsigned v, struct svsm_caa *caa)
{
	struct load_stat *st = &stat[v];

	memset(st, 0, sizeof(*st));
	st->tsc_start = guest_tsc();
	for (uint64_t k = 0; st->calls < cfg.calls; k++) {
		uint64_t r[4] = {CORE(SVSM_CORE_QUERY_PROTOCOL),
				 SVSM_QUERY_PROTOCOL_ARG(0, 1), 0, 0};

		call(caa, st, r);
		st->query++;
		st->bad += r[0] != SVSM_SUCCESS ||
			   r[1] != ((UINT64_C(1) << 32) | 1);
		if (k % cfg.pv_every == 0) {
			pv_round(caa, st, v, k);
		}
		if (k % cfg.tpm_every == cfg.tpm_every / 2) {
			tpm_round(caa, st, v);
		}
		if (k % cfg.att_every == cfg.att_every / 3) {
			att_round(caa, st, v);
		}
	}
	st->tsc_end = guest_tsc();
}

static void ap_load(unsigned i)
{
	load(i + 1, guest_ap_caa(i));
}

/* No two of the @n 16/32-byte records in all vCPUs' logs are equal. */
static uint64_t repeats(unsigned nv, bool rnd)
{
	uint64_t same = 0;
	size_t len = rnd ? 16 : RD_BYTES;

	for (unsigned a = 0; a < nv; a++) {
		uint32_t na = rnd ? stat[a].nrnd : stat[a].natt;

		for (uint32_t i = 0; i < na; i++) {
			const uint8_t *x = rnd ? stat[a].rnd[i] : stat[a].rd[i];

			for (unsigned b = a; b < nv; b++) {
				uint32_t nb = rnd ? stat[b].nrnd : stat[b].natt;

				for (uint32_t j = b == a ? i + 1 : 0; j < nb;
				     j++) {
					same += memcmp(x,
						       rnd ? stat[b].rnd[j]
							   : stat[b].rd[j],
						       len) == 0;
				}
			}
		}
	}
	return same;
}

static void run_load(struct test_ctx *_t, const struct load_cfg *c,
		     const char *tag)
{
	bool failed = false;
	unsigned n = guest_aps_start(&failed), nv = 0;
	uint64_t ghcb_msr = rdmsr(MSR_GHCB);
	uint64_t sr[SHARED_PAGES] = {0}, sv[SHARED_PAGES] = {0};
	uint64_t rnd = 0, att = 0;

	EXPECT_MSG(!failed, "load: the APs started");
	cfg = *c;
	nv = n + 1;
	memset(shared, 0, sizeof(shared));
	guest_aps_post(ap_load);
	load(0, g.caa);
	wrmsr(MSR_GHCB, ghcb_msr);
	EXPECT_MSG(guest_aps_wait(SPINS), "load: every AP finished");
	for (unsigned v = 0; v < nv; v++) {
		const struct load_stat *st = &stat[v];

		EXPECT(st->calls >= cfg.calls);
		EXPECT_EQ(st->bad, 0);
		EXPECT_EQ(st->left, 0);
		EXPECT_EQ(st->not_zeroed, 0);
		EXPECT_EQ(st->calls, st->query + st->pv + st->tpm + st->att);
		EXPECT(st->tpm > 0 && st->att > 0);
		for (unsigned s = 0; s < SHARED_PAGES; s++) {
			sr[s] += st->sh_rescinds[s];
			sv[s] += st->sh_validates[s];
		}
		rnd += st->nrnd;
		att += st->natt;
		con_printf(
			"# load-bench: %s vCPU %u: %llu calls (%llu QUERY, "
			"%llu PVALIDATE, %llu GetRandom, %llu ATTEST) in "
			"%llu TSC cycles\n",
			tag, v, (unsigned long long)st->calls,
			(unsigned long long)st->query,
			(unsigned long long)st->pv, (unsigned long long)st->tpm,
			(unsigned long long)st->att,
			(unsigned long long)(st->tsc_end - st->tsc_start));
	}
	for (unsigned s = 0; s < SHARED_PAGES; s++) {
		EXPECT_EQ(sr[s], sv[s]);
		EXPECT(sr[s] > 0);
		EXPECT_EQ(shared[s][0], 0);
	}
	EXPECT_EQ(repeats(nv, true), 0);
	EXPECT_EQ(repeats(nv, false), 0);
	con_printf(
		"# load: %u vCPUs at once, each >= %llu calls, all "
		"answered as expected; shared pages %llu/%llu rescinds = "
		"validates; %llu random answers and %llu reports, all "
		"distinct\n",
		nv, (unsigned long long)cfg.calls, (unsigned long long)sr[0],
		(unsigned long long)sr[1], (unsigned long long)rnd,
		(unsigned long long)att);
}

/* The suite's count: some seconds on snpemu. */
TEST(smp, load)
{
	static const struct load_cfg c = {1000, 25, 300, 600};

	run_load(_t, &c, "suite");
}

/* 10^5 calls per vCPU (bench/smp_load.py): minutes on snpemu. */
TEST_HIDDEN(load, full)
{
	static const struct load_cfg c = {100000, 1000, 250, 20000};

	run_load(_t, &c, "full");
}
