// SPDX-License-Identifier: MIT
/*
 * Host tests of GHCB protocol decoding (emu/ghcb_msr.h; GHCB spec 56421,
 * docs/abi.md §7.4).
 */
#include "svsm/abi/ghcb.h"

#include "ghcb_msr.h"
#include "tap.h"

TAP_CASE(msr_requests_decode)
{
	struct ghcb_msr_req q;

	q = ghcb_msr_decode(GHCB_MSR_SEV_INFO_REQ);
	CHECK_EQ(q.kind, GHCB_MSR_K_SEV_INFO);
	q = ghcb_msr_decode(GHCB_MSR_CPUID(0x8000001f, 1));
	CHECK_EQ(q.kind, GHCB_MSR_K_CPUID);
	CHECK_EQ(q.fn, 0x8000001f);
	CHECK_EQ(q.reg, 1);
	q = ghcb_msr_decode((UINT64_C(0x1234) << 12) | GHCB_MSR_REG_GPA_REQ);
	CHECK_EQ(q.kind, GHCB_MSR_K_REG_GPA);
	CHECK_EQ(q.gfn, 0x1234);
	q = ghcb_msr_decode(GHCB_MSR_PSC(0xabcde, GHCB_MSR_PSC_OP_SHARED));
	CHECK_EQ(q.kind, GHCB_MSR_K_PSC);
	CHECK_EQ(q.gfn, 0xabcde);
	CHECK_EQ(q.op, 2);
	q = ghcb_msr_decode(GHCB_MSR_RUN_VMPL(2));
	CHECK_EQ(q.kind, GHCB_MSR_K_RUN_VMPL);
	CHECK_EQ(q.vmpl, 2);
	q = ghcb_msr_decode(GHCB_MSR_HV_FEATURES_REQ);
	CHECK_EQ(q.kind, GHCB_MSR_K_HV_FEATURES);
	q = ghcb_msr_decode(GHCB_MSR_TERM(1, 0x42));
	CHECK_EQ(q.kind, GHCB_MSR_K_TERM);
	CHECK_EQ(q.set, 1);
	CHECK_EQ(q.code, 0x42);
	q = ghcb_msr_decode(UINT64_C(0x7f000));
	CHECK_EQ(q.kind, GHCB_MSR_K_GHCB_GPA);
	CHECK_EQ(q.gfn, 0x7f);
}

TAP_CASE(msr_reserved_bits_rejected)
{
	CHECK_EQ(ghcb_msr_decode(GHCB_MSR_SEV_INFO_REQ | 0x1000).kind,
		 GHCB_MSR_K_INVALID);
	CHECK_EQ(ghcb_msr_decode(GHCB_MSR_CPUID(1, 0) | 0x1000).kind,
		 GHCB_MSR_K_INVALID);
	CHECK_EQ(ghcb_msr_decode(GHCB_MSR_PSC(1, 3)).kind, GHCB_MSR_K_INVALID);
	CHECK_EQ(ghcb_msr_decode(GHCB_MSR_PSC(1, 1) | (UINT64_C(1) << 60)).kind,
		 GHCB_MSR_K_INVALID);
	CHECK_EQ(ghcb_msr_decode(GHCB_MSR_RUN_VMPL(0) | 0x1000).kind,
		 GHCB_MSR_K_INVALID);
	CHECK_EQ(ghcb_msr_decode(GHCB_MSR_RUN_VMPL(0) | (UINT64_C(1) << 40))
			 .kind,
		 GHCB_MSR_K_INVALID);
	CHECK_EQ(ghcb_msr_decode(GHCB_MSR_HV_FEATURES_REQ | 0x1000).kind,
		 GHCB_MSR_K_INVALID);
	CHECK_EQ(ghcb_msr_decode(0x003).kind, GHCB_MSR_K_INVALID);
	CHECK_EQ(ghcb_msr_decode(0xfff).kind, GHCB_MSR_K_INVALID);
}

TAP_CASE(msr_responses_encode)
{
	CHECK_EQ(ghcb_msr_cpuid_resp(2, 0xdeadbeef),
		 UINT64_C(0xdeadbeef80000005));
	CHECK_EQ(ghcb_msr_reg_gpa_resp(0x1234), UINT64_C(0x1234013));
	CHECK_EQ(ghcb_msr_psc_resp(0), GHCB_MSR_PSC_RESP);
	CHECK_EQ(ghcb_msr_psc_resp(7), UINT64_C(0x700000015));
	CHECK_EQ(ghcb_msr_run_vmpl_resp(0), 0x017);
	CHECK_EQ(ghcb_msr_run_vmpl_resp(1), UINT64_C(0x100000017));
	CHECK_EQ(ghcb_msr_hv_features_resp(GHCB_HV_FT_SNP |
					   GHCB_HV_FT_SNP_MULTI_VMPL),
		 UINT64_C(0x21081));
	CHECK_EQ(GHCB_MSR_SEV_INFO(2, 1, 47), UINT64_C(0x000200012f000001));
}

TAP_CASE(psc_entries_round_trip)
{
	struct ghcb_psc_entry e = {.cur_page = 5,
				   .gfn = UINT64_C(0xfffffffff1),
				   .op = 2,
				   .size_2m = true};
	uint64_t raw = ghcb_psc_entry_encode(&e);
	struct ghcb_psc_entry d = ghcb_psc_entry_decode(raw);

	CHECK_EQ(raw, UINT64_C(0x012fffffffff1005));
	CHECK_EQ(d.cur_page, 5);
	CHECK_EQ(d.gfn, UINT64_C(0xfffffffff1));
	CHECK_EQ(d.op, 2);
	CHECK_TRUE(d.size_2m);
	CHECK_TRUE(!d.reserved_set);
	CHECK_TRUE(
		ghcb_psc_entry_decode(raw | (UINT64_C(1) << 63)).reserved_set);
}

TAP_CASE(ioio_decode)
{
	struct ghcb_ioio io;

	io = ghcb_ioio_decode((UINT64_C(0x3f8) << 16) | IOIO_SZ8);
	CHECK_TRUE(io.valid);
	CHECK_EQ(io.port, 0x3f8);
	CHECK_EQ(io.size, 1);
	CHECK_TRUE(!io.in && !io.str && !io.rep);
	io = ghcb_ioio_decode((UINT64_C(0x2f8) << 16) | IOIO_SZ32 |
			      IOIO_TYPE_IN | IOIO_STR | IOIO_REP);
	CHECK_TRUE(io.valid && io.in && io.str && io.rep);
	CHECK_EQ(io.size, 4);
	CHECK_TRUE(!ghcb_ioio_decode(IOIO_SZ8 | IOIO_SZ16).valid);
	CHECK_TRUE(!ghcb_ioio_decode(0).valid);
	CHECK_TRUE(!ghcb_ioio_decode(IOIO_SZ8 | (UINT64_C(1) << 40)).valid);
}

TAP_MAIN(TAP_ENTRY(msr_requests_decode), TAP_ENTRY(msr_reserved_bits_rejected),
	 TAP_ENTRY(msr_responses_encode), TAP_ENTRY(psc_entries_round_trip),
	 TAP_ENTRY(ioio_decode))
