/* SPDX-License-Identifier: MIT */
/*
 * The test guest's APs (tests/guest/smp_aps.c): VMPL2 vCPUs started the
 * way Linux starts them under an SVSM (CREATE_VCPU, then AP_CREATION),
 * each running work that vCPU 0 posts, with calls through its own calling
 * area.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "svsm/abi/svsm_call.h"

#define GUEST_MAX_APS 7u

/* What one AP (or vCPU 0) counts, on its own cache line. */
struct ap_stat {
	uint64_t ok, bad, pending_left, calls, tsc_start, tsc_end;
	uint64_t shared_rescinds, shared_validates, shared_unchanged;
} __attribute__((aligned(64)));

/* Work an AP runs: @i is its index (vCPU i + 1). */
typedef void (*ap_work_fn)(unsigned i);

/**
 * Start a VMPL2 vCPU on every further APIC ID the SVSM serves (1, 2, ...)
 * once; later calls return the same count. 0: one vCPU (CREATE_VCPU for
 * APIC ID 1 refused). *@failed is set if a creation failed otherwise.
 */
unsigned guest_aps_start(bool *failed);

/** Every AP runs @fn once; returns when all are done (false: timeout). */
bool guest_aps_run(ap_work_fn fn, uint64_t max_spins);

/** Post @fn without waiting; guest_aps_wait() waits for it. */
void guest_aps_post(ap_work_fn fn);
bool guest_aps_wait(uint64_t max_spins);
bool guest_aps_done(void);

/** The calling area AP @i uses now, and the VMSA it was started with. */
struct svsm_caa *guest_ap_caa(unsigned i);
uint64_t guest_ap_vmsa_gpa(unsigned i);

/**
 * CREATE_VCPU of a second VMSA for AP @i (guest_ap_vmsa2_gpa) while it
 * runs, without switching to it: the SVSM keeps it pending. RAX.
 */
uint64_t guest_ap_create_pending(unsigned i);

/**
 * Create a second VMSA for AP @i (CREATE_VCPU with a new calling area:
 * pending in the SVSM), then switch the vCPU to it with AP_CREATION. The
 * new VMSA starts the AP's work loop again with that calling area. RAX of
 * CREATE_VCPU in *@create_rax; true if AP_CREATION was accepted.
 */
bool guest_ap_restart(unsigned i, uint64_t *create_rax);
/** The VMSA of AP @i's restart (valid after guest_ap_restart). */
uint64_t guest_ap_vmsa2_gpa(unsigned i);
/** How many times AP @i entered its work loop (1 + restarts that ran). */
uint64_t guest_ap_starts(unsigned i);

/**
 * One SVSM call through @caa (MSR protocol; RAX, RCX, RDX, R8 in and out).
 * Counts in *@left a call_pending the SVSM left set.
 */
void guest_call_caa(struct svsm_caa *caa, volatile uint64_t *left,
		    uint64_t regs[4]);

/** QUERY_PROTOCOL(core, v1) through @caa: true if it answered 1..1. */
bool guest_query_caa(struct svsm_caa *caa, volatile uint64_t *left);

/** PVALIDATE of one 4K page through a one-entry list in @caa; RAX. */
uint64_t guest_pvalidate_caa(struct svsm_caa *caa, volatile uint64_t *left,
			     const void *page, bool validate);

static inline uint64_t guest_tsc(void)
{
	uint32_t lo = 0, hi = 0;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}
