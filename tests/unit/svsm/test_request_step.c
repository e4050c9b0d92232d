// SPDX-License-Identifier: MIT
/*
 * One request-loop iteration (src/request_step.c) with the machine
 * operations of src/request_loop_hw.h replaced: the GHCB MSR is a variable
 * whose writes are recorded, the guest VMSA a static page. The same code
 * runs in the image between two VMGEXITs, and in the svsm-core-insns
 * benchmark.
 */
#include "svsm/abi/ghcb.h"

#include "request_loop.h"
#include "request_loop_hw.h"
#include "svsm_test.h"

#define GHCB_GPA UINT64_C(0x7000)
#define RUN_VMPL2 GHCB_MSR_RUN_VMPL(2)

static struct snp_vmsa guest;
static struct snp_vmsa copy_page;
static uint64_t msr;
static uint64_t msr_writes[4];
static unsigned int n_writes;
static uint64_t ghcb_gpa;

uint64_t loop_ghcb_msr_read(void)
{
	return msr;
}

void loop_ghcb_msr_write(uint64_t val)
{
	if (n_writes < 4) {
		msr_writes[n_writes] = val;
	}
	n_writes++;
	msr = val;
}

uint64_t loop_ghcb_gpa(void)
{
	return ghcb_gpa;
}

void loop_vmsa_copy(struct snp_vmsa *dst, const struct snp_vmsa *src)
{
	memcpy(dst, src, sizeof(*dst));
}

/* The guest made a call (or not), the hypervisor answered @resp. */
static void exit_with(uint64_t resp, bool call, uint64_t rax, uint64_t rcx)
{
	setup();
	memset(&guest, 0, sizeof(guest));
	memset(&copy_page, 0, sizeof(copy_page));
	ghcb_gpa = GHCB_GPA;
	request_loop_arm(&guest);
	guest.guest_exit_code = SVM_EXIT_VMGEXIT;
	guest.rax = rax;
	guest.rcx = rcx;
	guest.rbx = 0x1111;
	guest.rip = 0x2222;
	*fake_mem(BSP_CAA) = call ? 1 : 0;
	msr = resp;
	n_writes = 0;
}

TAP_CASE(arm_sets_svme_and_requests_run_vmpl)
{
	memset(&guest, 0, sizeof(guest));
	n_writes = 0;
	request_loop_arm(&guest);
	CHECK_TRUE(guest.efer & VMSA_EFER_SVME);
	CHECK_EQ(n_writes, 1);
	CHECK_EQ(msr, RUN_VMPL2);
}

TAP_CASE(query_call_served)
{
	exit_with(GHCB_MSR_RUN_VMPL_RESP, true,
		  SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL),
		  SVSM_QUERY_PROTOCOL_ARG(SVSM_PROTO_CORE, 1));
	CHECK_TRUE(request_loop_step(bsp, &guest, &copy_page));
	CHECK_EQ(guest.rax, SVSM_SUCCESS);
	CHECK_EQ(guest.rcx, (UINT64_C(1) << 32) | 1);
	/* Only RAX..R9 are written back; RIP and the rest stay. */
	CHECK_EQ(guest.rbx, 0x1111);
	CHECK_EQ(guest.rip, 0x2222);
	CHECK_EQ(*fake_mem(BSP_CAA), 0);
	CHECK_TRUE(guest.efer & VMSA_EFER_SVME);
	/* GHCB GPA put back first, then the next RUN_VMPL request. */
	CHECK_EQ(n_writes, 2);
	CHECK_EQ(msr_writes[0], GHCB_GPA);
	CHECK_EQ(msr_writes[1], RUN_VMPL2);
}

TAP_CASE(no_call_pending_resumes_untouched)
{
	exit_with(GHCB_MSR_RUN_VMPL_RESP, false,
		  SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL), 7);
	CHECK_TRUE(request_loop_step(bsp, &guest, &copy_page));
	CHECK_EQ(guest.rax,
		 SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL));
	CHECK_EQ(guest.rcx, 7);
	CHECK_TRUE(guest.efer & VMSA_EFER_SVME);
	CHECK_EQ(msr, RUN_VMPL2);
}

TAP_CASE(other_exit_code_is_not_a_call)
{
	exit_with(GHCB_MSR_RUN_VMPL_RESP, true,
		  SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL), 7);
	guest.guest_exit_code = 0x7b; /* an IOIO exit, say */
	CHECK_TRUE(request_loop_step(bsp, &guest, &copy_page));
	CHECK_EQ(guest.rcx, 7);
	CHECK_EQ(*fake_mem(BSP_CAA), 1);
	CHECK_EQ(msr, RUN_VMPL2);
}

TAP_CASE(refused_run_vmpl_stops)
{
	/* Error code in [63:32], then a wrong response code. */
	exit_with(GHCB_MSR_RUN_VMPL_RESP | (UINT64_C(1) << 32), true,
		  SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL), 7);
	CHECK_TRUE(!request_loop_step(bsp, &guest, &copy_page));
	CHECK_EQ(*fake_mem(BSP_CAA), 1);
	CHECK_EQ(guest.rcx, 7);
	CHECK_EQ(n_writes, 1);
	CHECK_EQ(msr, GHCB_GPA);
	exit_with(GHCB_MSR_RUN_VMPL_REQ, true,
		  SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL), 7);
	CHECK_TRUE(!request_loop_step(bsp, &guest, &copy_page));
	CHECK_EQ(*fake_mem(BSP_CAA), 1);
}

TAP_CASE(no_ghcb_yet_leaves_msr)
{
	exit_with(GHCB_MSR_RUN_VMPL_RESP, false, 0, 0);
	ghcb_gpa = 0;
	CHECK_TRUE(request_loop_step(bsp, &guest, &copy_page));
	CHECK_EQ(n_writes, 1);
	CHECK_EQ(msr_writes[0], RUN_VMPL2);
}

TAP_MAIN(TAP_ENTRY(arm_sets_svme_and_requests_run_vmpl),
	 TAP_ENTRY(query_call_served),
	 TAP_ENTRY(no_call_pending_resumes_untouched),
	 TAP_ENTRY(other_exit_code_is_not_a_call),
	 TAP_ENTRY(refused_run_vmpl_stops), TAP_ENTRY(no_ghcb_yet_leaves_msr))
