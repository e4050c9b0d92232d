/* SPDX-License-Identifier: MIT */
/*
 * The seam between the SVSM core (dispatch, protocols, guest_mem) and the
 * hardware (docs/style.md §1 "Platform layer"). The real SNP backend is
 * written by the boot path (src/sev/); the hosted unit tests link
 * tests/unit/svsm/fakes/fake_platform.c instead. No policy lives behind
 * this interface: range and ownership decisions are made by guest_mem.c
 * and the handlers, the platform only executes them.
 *
 * All sizes are SNP page sizes: SNP_PAGE_SIZE_4K (0) or SNP_PAGE_SIZE_2M (1).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "svsm/types.h"

#include "svsm/abi/snp.h"

struct snp_vmsa;

/**
 * Ask the hypervisor to run @vmpl on this vCPU (GHCB RUN_VMPL) and return
 * when it switches back to the SVSM. False if it refused.
 */
bool plat_run_vmpl(uint8_t vmpl);

/**
 * PVALIDATE the guest page(s) at @g (4K or 2M, aligned). The backend maps
 * @g into the SVSM's address space as needed (PVALIDATE takes a VA).
 * Returns the instruction's rc (SNP_RC_*); *@cf is the carry flag (set
 * with rc 0 means "nothing changed"). A fault is reported as
 * SNP_RC_FAIL_INPUT.
 */
enum snp_rc plat_pvalidate(gpa_t g, enum snp_page_size size, bool validate,
			   bool *cf);

/**
 * RMPADJUST the guest page(s) at @g with @attrs (target VMPL in bits 7:0,
 * RMPADJ_* permission and VMSA bits). Returns the instruction's rc.
 */
enum snp_rc plat_rmpadjust(gpa_t g, enum snp_page_size size, uint32_t attrs);

/**
 * Map [@g, @g + @len) (inside one 2M region, page-granular) into the SVSM's
 * address space, private (C-bit set). Returns NULL if it cannot be mapped.
 * Accesses through the mapping must use plat_copy_guarded(): the page may
 * be unvalidated or remapped by the host at any time.
 */
void *plat_map_guest(gpa_t g, uint64_t len);
void plat_unmap_guest(void *va, uint64_t len);

/**
 * Fault-tolerant copy (arch_copy_guarded on x86_64). Returns false if a
 * fault occurred; @dst may then be partly written.
 */
bool plat_copy_guarded(void *dst, const void *src, uint64_t n);

/** Fault-tolerant zeroing of @n bytes at @dst, like plat_copy_guarded(). */
bool plat_zero_guarded(void *dst, uint64_t n);

/**
 * Boot only, on the boot identity map: copy @n bytes of boot data at @src
 * (the measured boot-parameter page, the PSP's CPUID and secrets pages in
 * the SVSM region, the host's parameter areas) into SVSM memory with the
 * guarded copy, once; the copy is what gets checked and used. False if the
 * range wraps or an access faulted (a host that left it unmapped).
 */
bool plat_boot_read(void *dst, gpa_t src, uint64_t n);

/** Boot only: zero boot data at [@dst, @dst + @n) (guarded), e.g. the
 * PSP's secrets page once it has been copied. */
bool plat_boot_zero(gpa_t dst, uint64_t n);

/** Flush all guest and SVSM TLB entries on every CPU (after revoking). */
void plat_tlb_flush_all(void);

/** True if every byte of [@g, @g + @len) is guest RAM (IGVM memory map). */
bool plat_is_guest_ram(gpa_t g, uint64_t len);

/**
 * True if any byte of [@g, @g + @len) is SVSM-owned from boot: the image,
 * its page pool, stacks, secrets/CPUID copies, its own VMSAs and GHCBs.
 * (Pages deposited at run time are tracked by deposit_pool.c, not here.)
 */
bool plat_is_svsm_owned(gpa_t g, uint64_t len);

/**
 * True if the guest VMSA page at @vmsa is in use on some CPU (the one this
 * CPU serves): DELETE_VCPU answers FAIL_INUSE. Stopping a VMSA that is not
 * in use is guest_mem_vmsa_svme(), through the guarded path.
 */
bool plat_vmsa_in_use(gpa_t vmsa);

/**
 * This CPU serves the guest VMSA at @vmsa from now on instead of the one
 * before (plat_vmsa_in_use() answers accordingly); returns it mapped for
 * the request loop. Called under the core lock (svsm_vcpu_follow).
 */
struct snp_vmsa *plat_serve_vmsa(gpa_t vmsa);
