/* SPDX-License-Identifier: MIT */
/*
 * Shared by the SVSM core fuzzers: the fuzzed world (a fake SNP machine
 * with 1–4 vCPUs) and the invariant checker that runs after every call.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "svsm/vcpu.h"

#define FUZZ_VMPL 2
#define FUZZ_FREE UINT64_C(0x10000)     /* validated guest pages */
#define FUZZ_SCRATCH UINT64_C(0x200000) /* validated, for page lists */
#define FUZZ_UNVAL UINT64_C(0x400000)   /* not validated at start */
#define FUZZ_MAX_CAND 32

struct fuzz_world {
	uint32_t vcpu_count;
	/* Pages that are, or were offered as, VMSAs (to check them). */
	uint64_t cand[FUZZ_MAX_CAND];
	uint32_t cand_count;
	uint64_t mutation; /* armed fake_set_mutation() address, or ~0 */
	uint64_t out_rcx, out_rdx, out_r8; /* after the last fuzz_call() */
};

extern struct fuzz_world fz;

struct fuzz_call {
	struct svsm_vcpu *caller;
	bool via_dispatch; /* svsm_dispatch() directly, not the loop path */
	bool not_vmgexit;  /* the exit is not a VMGEXIT */
	bool no_pending;   /* the guest did not set call_pending */
	uint32_t protocol, call_id;
	uint64_t rcx, rdx, r8, r9;
};

/* Fresh fake machine: @cfg picks vCPUs/VMSAs/pool, @backing 2M regions. */
void fuzz_setup(uint8_t cfg, uint8_t backing);

/*
 * Make one call and check every invariant after it (trap on violation).
 * Returns RAX as the guest sees it, or UINT64_MAX if it was no call.
 */
uint64_t fuzz_call(const struct fuzz_call *c);

/* May the guest (at FUZZ_VMPL) write this byte? (fake RMP) */
bool fuzz_guest_can_write(uint64_t gpa);

void fuzz_note_candidate(uint64_t page);

/* The guest writes where its VMPL may write; elsewhere nothing happens. */
void fuzz_guest_write(uint64_t g, const void *src, uint64_t len);
