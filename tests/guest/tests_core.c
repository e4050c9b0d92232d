// SPDX-License-Identifier: MIT
/*
 * Calling convention, dispatch and the simple core calls (docs/abi.md §1, §3.6,
 * §3.7, §11), each through both transports.
 */
#include "lib/string.h"

#include "guest.h"

#define CORE(id) SVSM_CALL(SVSM_PROTO_CORE, (id))

static void one(struct test_ctx *_t, enum gtransport t, const char *name,
		uint64_t rax, uint64_t rcx, uint64_t want_rax, bool check_rcx,
		uint64_t want_rcx)
{
	struct gcall c = {.rax = rax, .rcx = rcx, .rdx = 0, .r8 = 0};
	bool ok = gcall(t, &c);

	EXPECT_MSG(ok && c.rax == want_rax && (!check_rcx || c.rcx == want_rcx),
		   name);
}

static void core_both(struct test_ctx *_t, enum gtransport t)
{
	bool msr = t == GT_MSR;
	struct gcall c;

	one(_t, t, msr ? "msr: query core v1" : "ghcb: query core v1",
	    CORE(SVSM_CORE_QUERY_PROTOCOL), SVSM_QUERY_PROTOCOL_ARG(0, 1),
	    SVSM_SUCCESS, true, (UINT64_C(1) << 32) | 1);
	one(_t, t,
	    msr ? "msr: query core v2 absent" : "ghcb: query core v2 absent",
	    CORE(SVSM_CORE_QUERY_PROTOCOL), SVSM_QUERY_PROTOCOL_ARG(0, 2),
	    SVSM_SUCCESS, true, 0);
	one(_t, t,
	    msr ? "msr: query core v0 absent" : "ghcb: query core v0 absent",
	    CORE(SVSM_CORE_QUERY_PROTOCOL), SVSM_QUERY_PROTOCOL_ARG(0, 0),
	    SVSM_SUCCESS, true, 0);
	one(_t, t, msr ? "msr: query protocol 99" : "ghcb: query protocol 99",
	    CORE(SVSM_CORE_QUERY_PROTOCOL), SVSM_QUERY_PROTOCOL_ARG(99, 1),
	    SVSM_SUCCESS, true, 0);
	one(_t, t, msr ? "msr: unknown protocol" : "ghcb: unknown protocol",
	    SVSM_CALL(99, 0), 0, SVSM_ERR_UNSUPPORTED_PROTOCOL, false, 0);
	one(_t, t,
	    msr ? "msr: protocol 0xffffffff" : "ghcb: protocol 0xffffffff",
	    SVSM_CALL(0xffffffffu, 0), 0, SVSM_ERR_UNSUPPORTED_PROTOCOL, false,
	    0);
	one(_t, t, msr ? "msr: unknown core call" : "ghcb: unknown core call",
	    CORE(100), 0, SVSM_ERR_UNSUPPORTED_CALL, false, 0);
	one(_t, t,
	    msr ? "msr: core call 0xffffffff" : "ghcb: core call 0xffffffff",
	    CORE(0xffffffffu), 0, SVSM_ERR_UNSUPPORTED_CALL, false, 0);
	one(_t, t, msr ? "msr: vtom query" : "ghcb: vtom query",
	    CORE(SVSM_CORE_CONFIGURE_VTOM), 1, SVSM_SUCCESS, true, 0);
	one(_t, t, msr ? "msr: vtom set refused" : "ghcb: vtom set refused",
	    CORE(SVSM_CORE_CONFIGURE_VTOM), 0, SVSM_ERR_INVALID_REQUEST, false,
	    0);

	/* Registers the call does not define come back untouched, and an
	 * undefined output register (R9) too. */
	memset(&c, 0, sizeof(c));
	c.rax = CORE(SVSM_CORE_QUERY_PROTOCOL);
	c.rcx = SVSM_QUERY_PROTOCOL_ARG(0, 1);
	c.rdx = 0x1234;
	c.r8 = 0x5678;
	c.r9 = 0x9abc;
	EXPECT_MSG(gcall(t, &c) && gcall_preserved(&c) && c.r9 == 0x9abc,
		   msr ? "msr: other GPRs preserved"
		       : "ghcb: other GPRs preserved");
	EXPECT_MSG(g.caa->call_pending == 0,
		   msr ? "msr: call_pending cleared"
		       : "ghcb: call_pending cleared");
}

TEST(core, msr)
{
	core_both(_t, GT_MSR);
}

TEST(core, ghcb)
{
	core_both(_t, GT_GHCB);
}

TEST(core, protocol_high_bits)
{ /* The upper half of RAX selects the protocol: a 32-bit call id with
   * stray bits above must not alias to core. */
	EXPECT_MSG(gcall3(SVSM_CALL(1u << 8, SVSM_CORE_QUERY_PROTOCOL), 0, 0,
			  0) == SVSM_ERR_UNSUPPORTED_PROTOCOL,
		   "protocol 256 is not core");
}
