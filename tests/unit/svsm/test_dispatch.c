// SPDX-License-Identifier: MIT
/*
 * Dispatch, the error mapping, QUERY_PROTOCOL, CONFIGURE_VTOM and the
 * request-loop helpers (src/dispatch.c, protocols/core.c).
 */
#include "svsm/guest_mem.h"

#include "svsm_test.h"

TAP_CASE(unknown_protocol)
{
	setup();
	CHECK_EQ(call_as(bsp, 7, 0, 0, 0, 0), SVSM_ERR_UNSUPPORTED_PROTOCOL);
	CHECK_EQ(call_as(bsp, 0xffffffff, 0, 0, 0, 0),
		 SVSM_ERR_UNSUPPORTED_PROTOCOL);
}

/* A vTPM that did not start is absent: its calls and QUERY_PROTOCOL. */
TAP_CASE(absent_vtpm)
{
	setup();
	fake_vtpm_running = false;
	CHECK_EQ(call_as(bsp, SVSM_PROTO_VTPM, SVSM_VTPM_QUERY, 0, 0, 0),
		 SVSM_ERR_UNSUPPORTED_PROTOCOL);
	CHECK_EQ(core(SVSM_CORE_QUERY_PROTOCOL,
		      SVSM_QUERY_PROTOCOL_ARG(SVSM_PROTO_VTPM, 1), 0, 0),
		 SVSM_SUCCESS);
	CHECK_EQ(last.out.rcx, 0);
	fake_vtpm_running = true;
	CHECK_EQ(core(SVSM_CORE_QUERY_PROTOCOL,
		      SVSM_QUERY_PROTOCOL_ARG(SVSM_PROTO_VTPM, 1), 0, 0),
		 SVSM_SUCCESS);
	CHECK_EQ(last.out.rcx, (UINT64_C(1) << 32) | 1);
}

TAP_CASE(unknown_core_call)
{
	setup();
	CHECK_EQ(core(8, 0, 0, 0), SVSM_ERR_UNSUPPORTED_CALL);
	CHECK_EQ(core(0xffffffff, 0, 0, 0), SVSM_ERR_UNSUPPORTED_CALL);
}

TAP_CASE(err_mapping_is_complete)
{
	CHECK_EQ(svsm_err_to_rax(SVSM_OK, 0), SVSM_SUCCESS);
	CHECK_EQ(svsm_err_to_rax(SVSM_E_INVAL, 0), SVSM_ERR_INVALID_PARAMETER);
	CHECK_EQ(svsm_err_to_rax(SVSM_E_FORMAT, 0), SVSM_ERR_INVALID_FORMAT);
	CHECK_EQ(svsm_err_to_rax(SVSM_E_ADDR, 0), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(svsm_err_to_rax(SVSM_E_FAULT, 0), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(svsm_err_to_rax(SVSM_E_REQUEST, 0), SVSM_ERR_INVALID_REQUEST);
	CHECK_EQ(svsm_err_to_rax(SVSM_E_BUSY, 0), SVSM_ERR_BUSY);
	CHECK_EQ(svsm_err_to_rax(SVSM_E_NOMEM, 0), SVSM_ERR_BUSY);
	CHECK_EQ(svsm_err_to_rax(SVSM_E_INCOMPLETE, 0), SVSM_ERR_INCOMPLETE);
	CHECK_EQ(svsm_err_to_rax(SVSM_E_NOCALL, 0), SVSM_ERR_UNSUPPORTED_CALL);
	CHECK_EQ(svsm_err_to_rax(SVSM_E_NOPROTO, 0),
		 SVSM_ERR_UNSUPPORTED_PROTOCOL);
	CHECK_EQ(svsm_err_to_rax(SVSM_E_PROTO, 6),
		 SVSM_PVALIDATE_FAIL_SIZEMISMATCH);
	CHECK_EQ(svsm_err_to_rax(SVSM_E_PROTO, 0x10),
		 SVSM_PVALIDATE_FAIL_UNCHANGED);
	/* A detail can never leave the protocol-specific range. */
	CHECK_EQ(svsm_err_to_rax(SVSM_E_PROTO, UINT64_C(0xffffffff0001)),
		 UINT64_C(0x80001001));
}

TAP_CASE(query_core_protocol)
{
	setup();
	CHECK_EQ(core(SVSM_CORE_QUERY_PROTOCOL,
		      SVSM_QUERY_PROTOCOL_ARG(SVSM_PROTO_CORE, 1), 0, 0),
		 SVSM_SUCCESS);
	CHECK_EQ(last.out.rcx, (UINT64_C(1) << 32) | 1);
	CHECK_TRUE(last.out.set & SVSM_OUT_RCX);
}

TAP_CASE(query_unsupported_versions)
{
	setup();
	CHECK_EQ(core(SVSM_CORE_QUERY_PROTOCOL,
		      SVSM_QUERY_PROTOCOL_ARG(SVSM_PROTO_CORE, 2), 0, 0),
		 SVSM_SUCCESS);
	CHECK_EQ(last.out.rcx, 0);
	CHECK_EQ(core(SVSM_CORE_QUERY_PROTOCOL,
		      SVSM_QUERY_PROTOCOL_ARG(SVSM_PROTO_CORE, 0), 0, 0),
		 SVSM_SUCCESS);
	CHECK_EQ(last.out.rcx, 0);
}

TAP_CASE(query_absent_protocols)
{
	static const uint32_t ids[] = {SVSM_PROTO_APIC, SVSM_PROTO_UEFI_MM,
				       0xffffffff};

	setup();
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		CHECK_EQ(core(SVSM_CORE_QUERY_PROTOCOL,
			      SVSM_QUERY_PROTOCOL_ARG(ids[i], 1), 0, 0),
			 SVSM_SUCCESS);
		CHECK_EQ(last.out.rcx, 0);
	}
}

/* Every protocol QUERY_PROTOCOL advertises is really dispatched. */
TAP_CASE(protocol_table_matches_dispatch)
{
	uint32_t count = 0;
	const struct svsm_protocol_info *t = svsm_protocol_table(&count);

	setup();
	CHECK_TRUE(count >= 1);
	for (uint32_t i = 0; i < count; i++) {
		CHECK_TRUE(t[i].min_version <= t[i].max_version);
		CHECK_EQ(call_as(bsp, t[i].id, 0xfffffffe, 0, 0, 0),
			 SVSM_ERR_UNSUPPORTED_CALL);
		CHECK_EQ(
			core(SVSM_CORE_QUERY_PROTOCOL,
			     SVSM_QUERY_PROTOCOL_ARG(t[i].id, t[i].max_version),
			     0, 0),
			SVSM_SUCCESS);
		CHECK_EQ(last.out.rcx,
			 ((uint64_t)t[i].max_version << 32) | t[i].min_version);
	}
}

TAP_CASE(configure_vtom)
{
	setup();
	CHECK_EQ(core(SVSM_CORE_CONFIGURE_VTOM, 1, 0, 0), SVSM_SUCCESS);
	CHECK_EQ(last.out.rcx, 0);
	CHECK_TRUE(last.out.set & SVSM_OUT_RCX);
	CHECK_EQ(core(SVSM_CORE_CONFIGURE_VTOM, 0, 0, 0),
		 SVSM_ERR_INVALID_REQUEST);
	CHECK_EQ(core(SVSM_CORE_CONFIGURE_VTOM, UINT64_C(1) << 40, 0, 0),
		 SVSM_ERR_INVALID_REQUEST);
}

/*
 * Issue 14 finding 8: reserved RCX bits (docs/abi.md §3.7) are refused,
 * in a query and in a configuration, before anything else.
 */
TAP_CASE(configure_vtom_reserved_bits)
{
	setup();
	for (unsigned b = 1; b < 64; b++) {
		uint64_t rcx = 1 | (UINT64_C(1) << b);

		CHECK_EQ(core(SVSM_CORE_CONFIGURE_VTOM, rcx, 0, 0),
			 SVSM_ERR_INVALID_PARAMETER);
		CHECK_EQ(last.out.set & SVSM_OUT_RCX, 0);
	}
	for (unsigned b = 2; b < 21; b++) {
		CHECK_EQ(core(SVSM_CORE_CONFIGURE_VTOM, UINT64_C(1) << b, 0, 0),
			 SVSM_ERR_INVALID_PARAMETER);
	}
	CHECK_EQ(core(SVSM_CORE_CONFIGURE_VTOM, UINT64_C(3) << 21 | 2, 0, 0),
		 SVSM_ERR_INVALID_REQUEST);
}

TAP_CASE(core_call_without_caller)
{
	setup();
	CHECK_EQ(
		call_as(NULL, SVSM_PROTO_CORE, SVSM_CORE_PVALIDATE, LIST, 0, 0),
		SVSM_ERR_INVALID_REQUEST);
	CHECK_EQ(call_as(NULL, SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL, 0, 0,
			 0),
		 SVSM_SUCCESS);
}

static struct snp_vmsa vmsa;

static void fill_vmsa(void)
{
	uint8_t *b = (uint8_t *)&vmsa;

	for (size_t i = 0; i < sizeof(vmsa); i++) {
		b[i] = (uint8_t)(i * 7 + 3);
	}
	vmsa.guest_exit_code = SVM_EXIT_VMGEXIT;
}

TAP_CASE(request_snapshot)
{
	struct svsm_req r;

	fill_vmsa();
	vmsa.rax = SVSM_CALL(0x12345678, 0x9abcdef0);
	vmsa.rcx = 1;
	vmsa.rdx = 2;
	vmsa.r8 = 3;
	vmsa.r9 = 4;
	memset(&r, 0xff, sizeof(r));
	svsm_request_from_vmsa(&r, &vmsa, NULL);
	CHECK_EQ(r.protocol, 0x12345678);
	CHECK_EQ(r.call_id, 0x9abcdef0);
	CHECK_EQ(r.rcx, 1);
	CHECK_EQ(r.rdx, 2);
	CHECK_EQ(r.r8, 3);
	CHECK_EQ(r.r9, 4);
	CHECK_EQ(r.out.set, 0);
	CHECK_EQ(r.proto_detail, 0);
}

/* Only RAX/RCX/RDX/R8/R9 change; never RIP or anything else. */
TAP_CASE(request_writeback_touches_only_results)
{
	static struct snp_vmsa before;
	struct svsm_req r;

	fill_vmsa();
	before = vmsa;
	memset(&r, 0, sizeof(r));
	svsm_req_set_out(&r, SVSM_OUT_RCX, 0x1111);
	svsm_req_set_out(&r, SVSM_OUT_R8, 0x2222);
	svsm_request_to_vmsa(&r, UINT64_C(0xffffffff80000005), &vmsa);
	CHECK_EQ(vmsa.rax, UINT64_C(0x80000005)); /* zero-extended */
	CHECK_EQ(vmsa.rcx, 0x1111);
	CHECK_EQ(vmsa.r8, 0x2222);
	CHECK_EQ(vmsa.rdx, before.rdx); /* not an output: untouched */
	CHECK_EQ(vmsa.r9, before.r9);
	vmsa.rax = before.rax;
	vmsa.rcx = before.rcx;
	vmsa.r8 = before.r8;
	CHECK_TRUE(memcmp(&vmsa, &before, sizeof(vmsa)) == 0);
}

TAP_CASE(is_call_rule)
{
	fill_vmsa();
	CHECK_TRUE(svsm_is_call(&vmsa, 1));
	CHECK_TRUE(!svsm_is_call(&vmsa, 0));
	vmsa.guest_exit_code = SVM_EXIT_VMMCALL;
	CHECK_TRUE(!svsm_is_call(&vmsa, 1));
}

TAP_CASE(process_full_call)
{
	setup();
	fill_vmsa();
	*fake_mem(BSP_CAA) = 1;
	vmsa.rax = SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL);
	vmsa.rcx = SVSM_QUERY_PROTOCOL_ARG(SVSM_PROTO_CORE, 1);
	CHECK_TRUE(svsm_request_process(bsp, &vmsa));
	CHECK_EQ(*fake_mem(BSP_CAA), 0); /* call_pending cleared */
	CHECK_EQ(vmsa.rax, SVSM_SUCCESS);
	CHECK_EQ(vmsa.rcx, (UINT64_C(1) << 32) | 1);
}

TAP_CASE(process_not_a_call)
{
	static struct snp_vmsa before;

	setup();
	fill_vmsa();
	*fake_mem(BSP_CAA) = 0;
	before = vmsa;
	CHECK_TRUE(!svsm_request_process(bsp, &vmsa));
	CHECK_TRUE(memcmp(&vmsa, &before, sizeof(vmsa)) == 0);
	/* Pending, but the exit was not a VMGEXIT: the CAA stays as is. */
	*fake_mem(BSP_CAA) = 1;
	vmsa.guest_exit_code = 0x60; /* an interrupt */
	CHECK_TRUE(!svsm_request_process(bsp, &vmsa));
	CHECK_EQ(*fake_mem(BSP_CAA), 1);
}

TAP_CASE(process_unusable_caa)
{
	setup();
	fill_vmsa();
	ap->caa = gpa_invalid();
	CHECK_TRUE(!svsm_request_process(ap, &vmsa));
	/* A CAA the host made fault: no call, no panic. */
	*fake_mem(BSP_CAA) = 1;
	fake_set_fault_page(BSP_CAA);
	CHECK_TRUE(!svsm_request_process(bsp, &vmsa));
}

TAP_CASE(process_error_reaches_rax)
{
	setup();
	fill_vmsa();
	*fake_mem(BSP_CAA) = 1;
	vmsa.rax = SVSM_CALL(SVSM_PROTO_CORE, 99);
	vmsa.rcx = 0x5555;
	CHECK_TRUE(svsm_request_process(bsp, &vmsa));
	CHECK_EQ(vmsa.rax, SVSM_ERR_UNSUPPORTED_CALL);
	CHECK_EQ(vmsa.rcx, 0x5555);
}

TAP_MAIN(TAP_ENTRY(unknown_protocol), TAP_ENTRY(absent_vtpm),
	 TAP_ENTRY(unknown_core_call), TAP_ENTRY(err_mapping_is_complete),
	 TAP_ENTRY(query_core_protocol), TAP_ENTRY(query_unsupported_versions),
	 TAP_ENTRY(query_absent_protocols),
	 TAP_ENTRY(protocol_table_matches_dispatch), TAP_ENTRY(configure_vtom),
	 TAP_ENTRY(configure_vtom_reserved_bits),
	 TAP_ENTRY(core_call_without_caller), TAP_ENTRY(request_snapshot),
	 TAP_ENTRY(request_writeback_touches_only_results),
	 TAP_ENTRY(is_call_rule), TAP_ENTRY(process_full_call),
	 TAP_ENTRY(process_not_a_call), TAP_ENTRY(process_unusable_caa),
	 TAP_ENTRY(process_error_reaches_rax))
