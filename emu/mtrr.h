/* SPDX-License-Identifier: MIT */
/*
 * The MTRR MSRs of one vCPU as KVM presents them to a guest (docs/snpemu.md
 * §4): MTRRcap reads 0x508 (8 variable ranges, fixed ranges, write
 * combining, no SMRR), MTRRdefType, the 11 fixed-range and 16 variable-range
 * MSRs hold what the guest writes, and a write with a reserved bit or an
 * invalid memory type is refused (#GP). Values come from a hostile guest:
 * nothing here trusts them beyond storing them. Pure, tested on the host.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define MSR_MTRR_CAP 0xfeu
#define MSR_MTRR_DEF_TYPE 0x2ffu
#define MTRR_VAR_COUNT 8u /* KVM_NR_VAR_MTRR */
#define MTRR_FIXED_COUNT 11u

/* Per vCPU: KVM's multi-VMPL series keeps it in the vCPU state its planes
 * (VMPLs) share, so every VMPL sees the same MTRRs. */
struct mtrr_state {
	/* MTRRdefType, the fixed ranges, then base/mask pairs. */
	uint64_t msr[1 + MTRR_FIXED_COUNT + 2 * MTRR_VAR_COUNT];
};

/** True if @msr is one of the MTRR MSRs this module answers. */
bool mtrr_is_msr(uint32_t msr);

/** RDMSR: false (#GP) for an MSR that is not an MTRR. */
bool mtrr_read(const struct mtrr_state *s, uint32_t msr, uint64_t *v);

/** WRMSR with @phys_bits the guest's MAXPHYADDR: false (#GP) for MTRRcap,
 * a reserved bit or an invalid memory type; the state is then unchanged. */
bool mtrr_write(struct mtrr_state *s, uint32_t msr, uint64_t v,
		unsigned phys_bits);
