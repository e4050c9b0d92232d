/* SPDX-License-Identifier: MIT */
/*
 * The RMP model: one entry per 4 KiB guest page (docs/architecture.md §2). Pure
 * logic, shared by snpemu and the hosted unit tests. The rules follow AMD APM
 * vol. 3 (PVALIDATE, RMPADJUST, RMPQUERY) and docs/abi.md §7.1-7.3; where the
 * manual is not available to us the choice is marked "model:".
 *
 * Addresses here are guest physical addresses WITHOUT the C-bit: callers
 * translate the guest's virtual address first and strip bit 47.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/compiler.h"

#define RMP_F_ASSIGNED (1u << 0)  /* guest-owned (private) page */
#define RMP_F_VALIDATED (1u << 1) /* PVALIDATEd by VMPL0 */
#define RMP_F_SIZE_2M (1u << 2)   /* part of a 2 MiB RMP entry */
#define RMP_F_VMSA (1u << 3)      /* may be used as a VMSA */
#define RMP_F_IMMUTABLE (1u << 4) /* the hypervisor may not change it */

/* Per-VMPL permission bits: RMPADJ_* >> 8 (docs/abi.md §7.2). */
#define RMP_PERM_R (1u << 0)
#define RMP_PERM_W (1u << 1)
#define RMP_PERM_XU (1u << 2)
#define RMP_PERM_XS (1u << 3)
#define RMP_PERM_ALL 0xfu

struct rmp_entry {
	uint8_t flags;
	uint8_t perm[3]; /* VMPL1..3; VMPL0 always holds every permission */
};

struct rmp {
	struct rmp_entry *e;
	uint64_t npages; /* guest RAM: GPAs [0, npages << 12) */
};

/* What an operation touched, so the caller can refresh nested tables. */
struct rmp_change {
	uint64_t gfn;
	uint64_t count; /* 0: nothing changed */
};

/* Returned instead of an RC when hardware would raise #GP(0). */
#define RMP_FAULT_GP (-1)

#define RMP_PAGES_2M 512u

/** Initialise @r over @e (zeroed by this call): every page shared. */
void rmp_init(struct rmp *r, struct rmp_entry *e, uint64_t npages);

/** The entry for @gpa, or NULL if @gpa is not guest RAM. */
struct rmp_entry *rmp_entry_at(struct rmp *r, uint64_t gpa);

/** Permissions VMPL @vmpl holds on @gfn (0 unless assigned+validated). */
uint32_t rmp_perms(const struct rmp *r, uint64_t gfn, unsigned vmpl);

/**
 * PVALIDATE at @vmpl: @size SNP_PAGE_SIZE_4K/2M, @validate 1/0.
 * Returns an SNP_RC_* (and *@cf = nothing changed) or RMP_FAULT_GP.
 */
int rmp_pvalidate(struct rmp *r, unsigned vmpl, uint64_t gpa, uint64_t size,
		  uint64_t validate, bool *cf, struct rmp_change *chg);

/** RMPADJUST at @vmpl with RDX attributes @attrs (docs/abi.md §7.2). */
int rmp_adjust(struct rmp *r, unsigned vmpl, uint64_t gpa, uint64_t size,
	       uint64_t attrs, struct rmp_change *chg);

struct rmp_query_out {
	uint32_t perm; /* RMP_PERM_* of the target VMPL */
	bool vmsa;
	uint32_t page_size; /* SNP_PAGE_SIZE_* */
};

/** RMPQUERY at @vmpl for @target_vmpl. */
int rmp_query(const struct rmp *r, unsigned vmpl, uint64_t gpa,
	      uint64_t target_vmpl, struct rmp_query_out *out);

/* ---- Hypervisor and PSP side (RMPUPDATE, SNP_LAUNCH_UPDATE) ---- */

/* Page-state change results (model: GHCB spec 56421 §4.1.6 error codes). */
#define RMP_PSC_OK 0
#define RMP_PSC_E_INPUT 1    /* outside guest RAM, misaligned, bad op */
#define RMP_PSC_E_INUSE 2    /* an immutable page or a running VMSA */
#define RMP_PSC_OP_PRIVATE 1 /* GHCB_MSR_PSC_OP_PRIVATE */
#define RMP_PSC_OP_SHARED 2

/**
 * Make [gpa, gpa + 4K or 2M) private (assigned, not validated, no VMPL1-3
 * permissions) or shared (unassigned). Like RMPUPDATE, a page made shared
 * loses its validation and its VMSA bit; a page that is already private
 * is left alone. Immutable pages are refused; whether a VMSA page is
 * running is the caller's to check (F6, docs/snpemu.md).
 */
int rmp_psc(struct rmp *r, uint64_t gpa, unsigned op, bool size_2m,
	    struct rmp_change *chg);

/** The pages of a page-state change of @gpa (4K or 2M): false if rmp_psc
 * refuses the range itself (outside guest RAM, misaligned). */
bool rmp_psc_range(const struct rmp *r, uint64_t gpa, bool size_2m,
		   uint64_t *first, uint64_t *count);
/** True if @gfn is guest RAM whose RMP entry has the VMSA bit. */
bool rmp_is_vmsa(const struct rmp *r, uint64_t gfn);

/** PSMASH: split the 2 MiB RMP entry holding @gpa into 512 4 KiB ones
 * with the same state. RMP_PSC_E_INPUT if it is not a 2 MiB entry. */
int rmp_psmash(struct rmp *r, uint64_t gpa, struct rmp_change *chg);

/** SNP_LAUNCH_UPDATE: assigned + validated, 4 KiB entries. */
int rmp_launch_page(struct rmp *r, uint64_t gpa);
