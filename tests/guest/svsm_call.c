// SPDX-License-Identifier: MIT
/*
 * SVSM calls from VMPL2, both transports (docs/abi.md §1.4 (a) and (b); Linux
 * svsm_perform_msr_protocol / svsm_perform_ghcb_protocol do the same).
 */
#include "arch/cpu.h"

#include "lib/compiler.h"
#include "lib/string.h"

#include "svsm/abi/ghcb.h"
#include "svsm/abi/snp.h"

#include "guest.h"

struct gstate g;
extern struct ghcb *guest_ghcb_shared; /* main.c */
extern uint64_t guest_ghcb_gpa;

void guest_call_stub(struct gcall *c);

#define MARK(n) (UINT64_C(0x5a5a5a5a00000000) + (n))

bool gcall_preserved(const struct gcall *c)
{
	const uint64_t *r = &c->rbx;

	for (int i = 0; i < 10; i++) {
		if (r[i] != MARK(i + 1)) {
			return false;
		}
	}
	return true;
}

static bool take_pending(void)
{
	/* xchg, as Linux does: the SVSM must have cleared it. */
	uint8_t old =
		__atomic_exchange_n(&g.caa->call_pending, 0, __ATOMIC_SEQ_CST);

	return old == 0;
}

static bool gcall_msr(struct gcall *c)
{
	uint64_t saved = rdmsr(MSR_GHCB);
	uint64_t resp = 0;

	wrmsr(MSR_GHCB, GHCB_MSR_RUN_VMPL(0));
	WRITE_ONCE(g.caa->call_pending, 1);
	guest_call_stub(c);
	resp = rdmsr(MSR_GHCB);
	wrmsr(MSR_GHCB, saved);
	if ((resp & GHCB_MSR_INFO_MASK) != GHCB_MSR_RUN_VMPL_RESP ||
	    (resp >> 32) != 0) {
		return false;
	}
	return take_pending();
}

static bool gcall_ghcb(struct gcall *c)
{
	struct ghcb *gh = guest_ghcb_shared;

	memset(gh, 0, sizeof(*gh));
	gh->sw_exit_code = SVM_VMGEXIT_SNP_RUN_VMPL;
	gh->sw_exit_info_1 = 0; /* target VMPL 0 */
	gh->sw_exit_info_2 = 0;
	gh->valid_bitmap[GHCB_BITMAP_IDX(sw_exit_code) / 8] |=
		(uint8_t)(1u << (GHCB_BITMAP_IDX(sw_exit_code) % 8));
	gh->valid_bitmap[GHCB_BITMAP_IDX(sw_exit_info_1) / 8] |=
		(uint8_t)(1u << (GHCB_BITMAP_IDX(sw_exit_info_1) % 8));
	gh->valid_bitmap[GHCB_BITMAP_IDX(sw_exit_info_2) / 8] |=
		(uint8_t)(1u << (GHCB_BITMAP_IDX(sw_exit_info_2) % 8));
	gh->protocol_version = 2;
	gh->ghcb_usage = 0;
	wrmsr(MSR_GHCB, guest_ghcb_gpa);
	WRITE_ONCE(g.caa->call_pending, 1);
	guest_call_stub(c);
	if ((READ_ONCE(gh->sw_exit_info_1) & 0xffffffffu) != 0) {
		return false;
	}
	return take_pending();
}

bool gcall(enum gtransport t, struct gcall *c)
{
	if (t == GT_GHCB && guest_ghcb_shared != NULL) {
		return gcall_ghcb(c);
	}
	return gcall_msr(c);
}

uint64_t gcall3(uint64_t rax, uint64_t rcx, uint64_t rdx, uint64_t r8)
{
	struct gcall c = {.rax = rax, .rcx = rcx, .rdx = rdx, .r8 = r8};

	if (!gcall(GT_MSR, &c)) {
		return UINT64_MAX; /* transport failure: never a result code */
	}
	return c.rax;
}
