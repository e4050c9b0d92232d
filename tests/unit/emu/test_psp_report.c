// SPDX-License-Identifier: MIT
/*
 * The PSP's report handling without cryptography (emu/psp_report.c): the
 * header and request checks a firmware applies and the report fields it
 * fills (docs/igvm.md §6.3).
 */
#include "../tap.h"
#include "psp_report.h"

static struct snp_guest_msg_hdr good_hdr(uint64_t seqno)
{
	struct snp_guest_msg_hdr h = {
		.msg_seqno = seqno,
		.algo = SNP_MSG_ALGO_AES256_GCM,
		.hdr_version = SNP_MSG_HDR_VERSION,
		.hdr_sz = sizeof(h),
		.msg_type = SNP_MSG_REPORT_REQ,
		.msg_version = 1,
		.msg_sz = sizeof(struct snp_report_req),
		.msg_vmpck = 0,
	};
	return h;
}

TAP_CASE(header_checks)
{
	struct snp_guest_msg_hdr h = good_hdr(5);

	CHECK_EQ(psp_msg_check(&h, 4), SNP_FW_SUCCESS);
	/* Sequence numbers: replayed, skipped, and the last one. */
	CHECK_EQ(psp_msg_check(&h, 5), SNP_FW_INVALID_PARAM);
	CHECK_EQ(psp_msg_check(&h, 2), SNP_FW_INVALID_PARAM);
	h.msg_seqno = 0;
	CHECK_EQ(psp_msg_check(&h, UINT64_MAX), SNP_FW_INVALID_PARAM);
	/* One wrong field each. */
	struct snp_guest_msg_hdr bad[8];

	for (size_t i = 0; i < 8; i++) {
		bad[i] = good_hdr(1);
	}
	bad[0].msg_version = 2;
	bad[1].msg_type = SNP_MSG_REPORT_RSP;
	bad[2].algo = 2;
	bad[3].hdr_sz = 0x50;
	bad[4].msg_sz = 95;
	bad[5].msg_vmpck = 4;
	bad[6].reserved_0x3d[34] = 1;
	bad[7].reserved_0x28[0] = 1;
	for (size_t i = 0; i < 8; i++) {
		CHECK_EQ(psp_msg_check(&bad[i], 0), SNP_FW_INVALID_PARAM);
	}
}

TAP_CASE(request_checks)
{
	struct snp_report_req q = {.vmpl = 2};

	CHECK_EQ(psp_report_req_check(&q, 2), SNP_FW_SUCCESS);
	CHECK_EQ(psp_report_req_check(&q, 3), SNP_FW_INVALID_PARAM);
	q.vmpl = 4;
	CHECK_EQ(psp_report_req_check(&q, 0), SNP_FW_INVALID_PARAM);
	q.vmpl = 0;
	q.flags = 1; /* KEY_SEL VCEK */
	CHECK_EQ(psp_report_req_check(&q, 0), SNP_FW_SUCCESS);
	q.flags = 2; /* VLEK: none installed */
	CHECK_EQ(psp_report_req_check(&q, 0), SNP_FW_INVALID_KEY);
	q.flags = 3; /* reserved selector */
	CHECK_EQ(psp_report_req_check(&q, 0), SNP_FW_INVALID_PARAM);
	q.flags = 4;
	CHECK_EQ(psp_report_req_check(&q, 0), SNP_FW_INVALID_PARAM);
	q.flags = 0;
	q.reserved[23] = 1;
	CHECK_EQ(psp_report_req_check(&q, 0), SNP_FW_INVALID_PARAM);
}

TAP_CASE(report_fields)
{
	static struct psp_guest g;
	static struct snp_attestation_report r;
	struct snp_report_req q = {.vmpl = 1};
	bool ff = true;

	for (int i = 0; i < 64; i++) {
		g.chip_id[i] = (uint8_t)(i + 1);
		q.report_data[i] = (uint8_t)(0x80 + i);
	}
	memset(g.report_id, 0x5a, sizeof(g.report_id));
	memset(g.measurement, 0x11, sizeof(g.measurement));
	g.policy = 0x30000;
	g.tcb = UINT64_C(0xd516000000000104);
	psp_report_fill(&r, &q, &g);
	CHECK_EQ(r.version, 2);
	CHECK_EQ(r.policy, 0x30000);
	CHECK_EQ(r.vmpl, 1);
	CHECK_EQ(r.chip_id[63], 64); /* all 64 bytes, not 48 */
	CHECK_EQ(r.report_data[63], 0x80 + 63);
	CHECK_EQ(r.measurement[47], 0x11);
	CHECK_EQ(r.report_id[31], 0x5a);
	for (int i = 0; i < 32; i++) {
		ff = ff && r.report_id_ma[i] == 0xff;
	}
	CHECK_TRUE(ff);
	/* TCB: the certificate's, current = reported = committed = launch. */
	CHECK_EQ(r.current_tcb, g.tcb);
	CHECK_EQ(r.reported_tcb, r.current_tcb);
	CHECK_EQ(r.committed_tcb, r.current_tcb);
	CHECK_EQ(r.launch_tcb, r.current_tcb);
	CHECK_EQ(r.platform_info & 1, 1); /* SMT_EN */
	CHECK_EQ(r.current_version[2], PSP_ABI_MAJOR);
	CHECK_EQ(r.current_version[1], PSP_ABI_MINOR);
	CHECK_EQ(memcmp(r.current_version, r.committed_version, 4), 0);
	/* Without an ID block: zero identity, no author key. */
	CHECK_EQ(r.flags, 0);
	CHECK_EQ(r.guest_svn | r.id_key_digest[0] | r.family_id[0], 0);
	/* With one. */
	g.identity.id_block = true;
	g.identity.author_key_en = true;
	g.identity.guest_svn = 9;
	memset(g.identity.family_id, 0xfa, 16);
	memset(g.identity.image_id, 0x1e, 16);
	memset(g.identity.id_key_digest, 0x33, 48);
	memset(g.identity.author_key_digest, 0x44, 48);
	psp_report_fill(&r, &q, &g);
	CHECK_EQ(r.flags, 1); /* AUTHOR_KEY_EN, signed by the VCEK */
	CHECK_EQ(r.guest_svn, 9);
	CHECK_EQ(r.family_id[15], 0xfa);
	CHECK_EQ(r.image_id[0], 0x1e);
	CHECK_EQ(r.id_key_digest[47], 0x33);
	CHECK_EQ(r.author_key_digest[0], 0x44);
}

TAP_MAIN(TAP_ENTRY(header_checks), TAP_ENTRY(request_checks),
	 TAP_ENTRY(report_fields))
