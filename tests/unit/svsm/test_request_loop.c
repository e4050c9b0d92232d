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
static struct snp_vmsa *gp = &guest;

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
	CHECK_TRUE(request_loop_once(bsp, &gp));
	CHECK_EQ(fake_run_vmpl_count, 1);
	CHECK_EQ(fake_run_vmpl_last, 2);
	/* Runnable again for the next RUN_VMPL: the loop set SVME. */
	CHECK_TRUE(request_loop_once(bsp, &gp));
	CHECK_EQ(fake_run_vmpl_count, 2);
}

TAP_CASE(query_call_served)
{
	exit_with(false, true,
		  SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL),
		  SVSM_QUERY_PROTOCOL_ARG(SVSM_PROTO_CORE, 1));
	CHECK_TRUE(request_loop_once(bsp, &gp));
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
	CHECK_TRUE(request_loop_once(bsp, &gp));
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
	CHECK_TRUE(request_loop_once(bsp, &gp));
	CHECK_EQ(guest.rcx, 7);
	CHECK_EQ(*fake_mem(BSP_CAA), 1);
}

TAP_CASE(refused_run_vmpl_stops)
{
	exit_with(true, true,
		  SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL), 7);
	CHECK_TRUE(!request_loop_once(bsp, &gp));
	/* Nothing served, and the VMSA left stopped. */
	CHECK_EQ(*fake_mem(BSP_CAA), 1);
	CHECK_EQ(guest.rcx, 7);
	CHECK_TRUE((guest.efer & VMSA_EFER_SVME) == 0);
}

/*
 * CREATE_VCPU for the BSP's own vCPU leaves a pending VMSA (docs/abi.md
 * §3.3). Whatever GUEST_EXIT_CODE the guest wrote into it is zeroed, so
 * the loop keeps serving the current VMSA until the CPU itself ran the
 * new one.
 */
#define NEW_VMSA UINT64_C(0x20000)
#define NEW_CAA UINT64_C(0x21000)
#define EXIT_CODE(v) ((v) + offsetof(struct snp_vmsa, guest_exit_code))

static void pending_vmsa(void)
{
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	put64(EXIT_CODE(NEW_VMSA), SVM_EXIT_VMGEXIT); /* the guest's lie */
	CHECK_EQ(core(SVSM_CORE_CREATE_VCPU, NEW_VMSA, NEW_CAA, 0),
		 SVSM_SUCCESS);
	CHECK_EQ(gpa_val(bsp->next_vmsa), NEW_VMSA);
	fake_served_vmsa = UINT64_MAX;
}

TAP_CASE(pending_vmsa_not_run_is_not_followed)
{
	exit_with(false, true,
		  SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL),
		  SVSM_QUERY_PROTOCOL_ARG(SVSM_PROTO_CORE, 1));
	pending_vmsa();
	CHECK_EQ(get64(EXIT_CODE(NEW_VMSA)), 0);
	*fake_mem(NEW_CAA) = 1;
	CHECK_TRUE(request_loop_once(bsp, &gp));
	CHECK_TRUE(gp == &guest);
	CHECK_EQ(fake_served_vmsa, UINT64_MAX);
	CHECK_EQ(guest.rax, SVSM_SUCCESS); /* the current VMSA's call */
	CHECK_EQ(*fake_mem(BSP_CAA), 0);
	CHECK_EQ(*fake_mem(NEW_CAA), 1);
	CHECK_EQ(gpa_val(bsp->guest_vmsa), BSP_VMSA);
	CHECK_EQ(gpa_val(bsp->caa), BSP_CAA);
}

TAP_CASE(pending_vmsa_that_ran_is_followed)
{
	struct snp_vmsa *nv = (struct snp_vmsa *)(void *)fake_mem(NEW_VMSA);

	exit_with(false, false, 0, 0);
	pending_vmsa();
	/* AP_CREATION: the hypervisor ran it, the guest called from it. */
	nv->guest_exit_code = SVM_EXIT_VMGEXIT;
	nv->rax = SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL);
	nv->rcx = SVSM_QUERY_PROTOCOL_ARG(SVSM_PROTO_CORE, 1);
	*fake_mem(NEW_CAA) = 1;
	CHECK_TRUE(request_loop_once(bsp, &gp));
	CHECK_TRUE(gp == nv);
	CHECK_EQ(fake_served_vmsa, NEW_VMSA);
	CHECK_EQ(nv->rax, SVSM_SUCCESS);
	CHECK_EQ(nv->rcx, (UINT64_C(1) << 32) | 1);
	CHECK_EQ(*fake_mem(NEW_CAA), 0);
	CHECK_TRUE((nv->efer & VMSA_EFER_SVME) == 0);
	CHECK_EQ(gpa_val(bsp->guest_vmsa), NEW_VMSA);
	CHECK_EQ(gpa_val(bsp->caa), NEW_CAA);
	CHECK_TRUE(gpa_is_invalid(bsp->next_vmsa));
	/* The old VMSA is still the vCPU's until Linux deletes it. */
	CHECK_TRUE(vcpu_vmsa_owner(gpa(BSP_VMSA)) == bsp);
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, BSP_VMSA, 0, 0), SVSM_SUCCESS);
	CHECK_EQ(gpa_val(bsp->guest_vmsa), NEW_VMSA);
	/* The next turn serves the new VMSA without switching again. */
	fake_served_vmsa = UINT64_MAX;
	nv->rcx = SVSM_QUERY_PROTOCOL_ARG(SVSM_PROTO_CORE, 1);
	*fake_mem(NEW_CAA) = 1;
	CHECK_TRUE(request_loop_once(bsp, &gp));
	CHECK_EQ(fake_served_vmsa, UINT64_MAX);
	CHECK_EQ(*fake_mem(NEW_CAA), 0);
}

TAP_MAIN(TAP_ENTRY(turn_runs_the_guest_vmpl), TAP_ENTRY(query_call_served),
	 TAP_ENTRY(no_call_pending_resumes_untouched),
	 TAP_ENTRY(other_exit_code_is_not_a_call),
	 TAP_ENTRY(refused_run_vmpl_stops),
	 TAP_ENTRY(pending_vmsa_not_run_is_not_followed),
	 TAP_ENTRY(pending_vmsa_that_ran_is_followed))
