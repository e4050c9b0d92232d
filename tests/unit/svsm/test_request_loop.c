// SPDX-License-Identifier: MIT
/*
 * One turn of the image's request loop (request_loop_once(),
 * src/request_loop.c) against the fake platform, whose plat_run_vmpl()
 * stands for the hypervisor: the test plays the guest before the turn and
 * checks what the SVSM left in the guest VMSA and CAA afterwards.
 */
#include "request_loop.h"
#include "svsm_test.h"

static struct snp_vmsa guest;

/* The guest made a call (or not); the hypervisor will answer @refuse. */
static void exit_with(bool refuse, bool call, uint64_t rax, uint64_t rcx)
{
	setup();
	memset(&guest, 0, sizeof(guest));
	guest.guest_exit_code = SVM_EXIT_VMGEXIT;
	guest.rax = rax;
	guest.rcx = rcx;
	guest.rbx = 0x1111;
	guest.rip = 0x2222;
	*fake_mem(BSP_CAA) = call ? 1 : 0;
	fake_run_vmpl_refuse = refuse;
}

TAP_CASE(turn_runs_the_guest_vmpl)
{
	exit_with(false, false, 0, 0);
	CHECK_TRUE(request_loop_once(bsp, &guest));
	CHECK_EQ(fake_run_vmpl_count, 1);
	CHECK_EQ(fake_run_vmpl_last, 2);
	/* Runnable again for the next RUN_VMPL: the loop set SVME. */
	CHECK_TRUE(request_loop_once(bsp, &guest));
	CHECK_EQ(fake_run_vmpl_count, 2);
}

TAP_CASE(query_call_served)
{
	exit_with(false, true,
		  SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL),
		  SVSM_QUERY_PROTOCOL_ARG(SVSM_PROTO_CORE, 1));
	CHECK_TRUE(request_loop_once(bsp, &guest));
	CHECK_EQ(guest.rax, SVSM_SUCCESS);
	CHECK_EQ(guest.rcx, (UINT64_C(1) << 32) | 1);
	/* Only RAX..R9 are written back; RIP and the rest stay. */
	CHECK_EQ(guest.rbx, 0x1111);
	CHECK_EQ(guest.rip, 0x2222);
	CHECK_EQ(*fake_mem(BSP_CAA), 0);
	/* Served with SVME clear: the VMSA was stopped while we read it. */
	CHECK_TRUE((guest.efer & VMSA_EFER_SVME) == 0);
}

TAP_CASE(no_call_pending_resumes_untouched)
{
	exit_with(false, false,
		  SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL), 7);
	CHECK_TRUE(request_loop_once(bsp, &guest));
	CHECK_EQ(guest.rax,
		 SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL));
	CHECK_EQ(guest.rcx, 7);
	CHECK_EQ(fake_run_vmpl_count, 1);
}

TAP_CASE(other_exit_code_is_not_a_call)
{
	exit_with(false, true,
		  SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL), 7);
	guest.guest_exit_code = 0x7b; /* an IOIO exit, say */
	CHECK_TRUE(request_loop_once(bsp, &guest));
	CHECK_EQ(guest.rcx, 7);
	CHECK_EQ(*fake_mem(BSP_CAA), 1);
}

TAP_CASE(refused_run_vmpl_stops)
{
	exit_with(true, true,
		  SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL), 7);
	CHECK_TRUE(!request_loop_once(bsp, &guest));
	/* Nothing served, and the VMSA left stopped. */
	CHECK_EQ(*fake_mem(BSP_CAA), 1);
	CHECK_EQ(guest.rcx, 7);
	CHECK_TRUE((guest.efer & VMSA_EFER_SVME) == 0);
}

TAP_MAIN(TAP_ENTRY(turn_runs_the_guest_vmpl), TAP_ENTRY(query_call_served),
	 TAP_ENTRY(no_call_pending_resumes_untouched),
	 TAP_ENTRY(other_exit_code_is_not_a_call),
	 TAP_ENTRY(refused_run_vmpl_stops))
