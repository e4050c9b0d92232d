// SPDX-License-Identifier: MIT
/*
 * Hostile-guest cases that leave the guest unable to call the SVSM again, so
 * they are hidden (TEST_HIDDEN: only run when named) and each runs alone in
 * tests/emu/test_hostile_end.py (docs/threat-model.md "SVSM pages made
 * shared"):
 *
 *  calling_area_shared  the guest has its own calling area converted to
 *                       shared, then calls: the SVSM's read of call_pending
 *                       faults (the host converts the page back, snpemu S7),
 *                       the call is not taken, no register is written, and
 *                       the guest runs on (issue 14 finding 4).
 *  svsm_page_shared     the guest has an SVSM page converted to shared (the
 *                       GPA comes from fw_cfg opt/test-guest/svsm-page: the
 *                       SVSM's request-loop stack), then calls: the SVSM
 *                       never reads that page's data (its access faults) and
 *                       ends the VM with a reason (issue 14 finding 5).
 */
#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/fw_cfg.h"
#include "lib/string.h"

#include "svsm/abi/ghcb.h"

#include "guest.h"

#define SVSM_PAGE_FILE "opt/test-guest/svsm-page"

void guest_call_stub(struct gcall *c); /* call.S */

TEST_HIDDEN(hostile_end, calling_area_shared)
{
	uint64_t ca = (uint64_t)(uintptr_t)g.caa;
	volatile uint8_t *pending =
		(volatile uint8_t *)(uintptr_t)(GUEST_SHARED_ALIAS + ca);
	struct gcall c;
	uint64_t saved = rdmsr(MSR_GHCB);
	uint64_t resp = 0;

	ASSERT(guest_psc(ca, true));
	memset(&c, 0, sizeof(c));
	c.rax = SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL);
	c.rcx = SVSM_QUERY_PROTOCOL_ARG(0, 1);
	/* The call as gcall() makes it, call_pending through the shared view.
	 */
	wrmsr(MSR_GHCB, GHCB_MSR_RUN_VMPL(0));
	*pending = 1;
	guest_call_stub(&c);
	resp = rdmsr(MSR_GHCB);
	wrmsr(MSR_GHCB, saved);
	/* The page is now private and not validated: the guest leaves it. */
	EXPECT_MSG((resp & GHCB_MSR_INFO_MASK) == GHCB_MSR_RUN_VMPL_RESP &&
			   (resp >> 32) == 0,
		   "the SVSM ran and handed the vCPU back (VM not stopped)");
	EXPECT_MSG(
		c.rax == SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL) &&
			c.rcx == SVSM_QUERY_PROTOCOL_ARG(0, 1),
		"call not taken: RAX and RCX unchanged");
	EXPECT_MSG(gcall_preserved(&c), "no other register changed");
}

static uint64_t parse_hex(const char *s)
{
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
	}
	for (; *s != '\0'; s++) {
		char ch = *s;
		unsigned d =
			ch >= '0' && ch <= '9'   ? (unsigned)(ch - '0')
			: ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
			: ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10)
						 : 16u;

		if (d == 16u) {
			break;
		}
		v = v << 4 | d;
	}
	return v;
}

TEST_HIDDEN(hostile_end, svsm_page_shared)
{
	char text[32];
	uint16_t sel = 0;
	uint32_t size = 0;
	uint64_t page = 0;

	ASSERT(fw_cfg_find(SVSM_PAGE_FILE, &sel, &size));
	size = size < sizeof(text) - 1 ? size : (uint32_t)sizeof(text) - 1;
	fw_cfg_read(sel, text, size);
	text[size] = '\0';
	page = parse_hex(text) & ~UINT64_C(0xfff);
	ASSERT(page >= g.svsm_base && page < g.svsm_base + g.svsm_size);
	con_printf("# converting SVSM page %llx to shared\n",
		   (unsigned long long)page);
	ASSERT(guest_psc(page, true));
	/* The SVSM must not come back from this with that page's data. */
	(void)gcall3(SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL),
		     SVSM_QUERY_PROTOCOL_ARG(0, 1), 0, 0);
	EXPECT_MSG(false, "the SVSM served a call with its stack page shared");
}
