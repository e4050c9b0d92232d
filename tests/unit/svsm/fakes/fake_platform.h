/* SPDX-License-Identifier: MIT */
/*
 * A fake SNP platform for the hosted tests of the SVSM core: guest RAM is a
 * heap arena (GPA 0 = arena byte 0, deliberately not a host address), and
 * an RMP model keeps per 4K page: validated, per-VMPL permissions, the
 * VMSA bit, and per 2M region whether the host backed it with a 2M RMP
 * entry. PVALIDATE/RMPADJUST return real SNP rc codes (CF when nothing
 * changed, FAIL_SIZEMISMATCH for a 2M operation on 4K-backed memory).
 * Fault injection: a chosen page faults in guarded copies; a chosen byte
 * changes after the first guarded read of it (proves copy-once).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "svsm/err.h"

#define FAKE_RAM_SIZE (UINT64_C(16) << 20) /* guest RAM: [0, 16 MiB) */
#define FAKE_SVSM_BASE UINT64_C(0x800000)  /* SVSM-owned: 8 MiB + 256K */
#define FAKE_SVSM_SIZE UINT64_C(0x40000)

struct fake_rmp {
	bool validated;
	bool vmsa;
	uint8_t perms[4]; /* RMPADJ_* bits >> 8, per VMPL (VMPL0 unused) */
};

struct fake_stats {
	uint32_t pvalidate_calls;
	uint32_t rmpadjust_calls;
	uint32_t tlb_flushes;
	uint32_t maps;
	uint32_t unmaps;
	uint32_t guarded_copies;
	/* Guarded reads of the watched page while a guest VMPL could write. */
	uint32_t watch_writable_reads;
	uint32_t watch_reads;
};

extern struct fake_stats fake_stats;

/* Fresh RAM (filled with 0xa5 so zeroing is visible), empty RMP. */
void fake_reset(void);
/*
 * The same, but (when built with -DFAKE_TRACK_DIRTY, as the fuzzers are)
 * refills only pages written since the last reset: through the SVSM's
 * guarded copies, or through fake_mem() (a write through a fake_mem()
 * pointer must then stay within that pointer's page).
 */
void fake_reset_fast(void);
uint8_t *fake_mem(uint64_t gpa);
struct fake_rmp *fake_rmp(uint64_t gpa);
/* Mark [gpa, gpa + len) validated with RWX for @vmpl (as after boot). */
void fake_set_valid(uint64_t gpa, uint64_t len, uint8_t vmpl);
/* Back the 2M region containing @gpa with a 2M RMP entry. */
void fake_set_backing_2m(uint64_t gpa, bool is_2m);
/* Guarded copies touching this page fail (UINT64_MAX: none). */
void fake_set_fault_page(uint64_t gpa);
/* After the first guarded read covering @gpa, store @val at @gpa (if a
 * guest VMPL may write that page then, as another vCPU would). */
void fake_set_mutation(uint64_t gpa, uint8_t val);
/* Next plat_rmpadjust / plat_pvalidate returns @rc (-1: none). */
void fake_fail_next_rmpadjust(int rc);
void fake_fail_next_pvalidate(int rc);
/* Count guarded reads of this page, and those while it was writable. */
void fake_set_watch(uint64_t gpa);
/* plat_run_vmpl(): calls so far, the last VMPL asked for, refuse it? */
extern unsigned int fake_run_vmpl_count;
extern uint8_t fake_run_vmpl_last;
extern bool fake_run_vmpl_refuse;
/* How often a lock's statistics were reported (svsm/lock_stat.h). */
extern uint64_t fake_lock_reports;

/* The last VMSA plat_serve_vmsa() was asked to serve (UINT64_MAX: none). */
extern uint64_t fake_served_vmsa;

/* What plat_vmsa_in_use() answers. */
void fake_set_vmsa_in_use(bool in_use);

/* The vTPM engine (fake_vtpm.c): running, the next result, calls made. */
extern bool fake_vtpm_running;
extern svsm_err_t fake_vtpm_result;
extern unsigned fake_vtpm_calls;
