/* SPDX-License-Identifier: MIT */
/*
 * guest_mem: THE gateway to guest memory (docs/style.md §3, rules G1–G11).
 * Nothing else in the core maps or touches guest pages.
 *
 * Every access is range-checked first (no wrap, entirely guest RAM, no
 * overlap with SVSM-owned memory: boot-time reservations and deposited
 * pages), then done with a fault-tolerant copy into or out of SVSM memory.
 * Callers copy a guest structure once and check the copy (G6).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "svsm/err.h"
#include "svsm/types.h"

#include "svsm/abi/snp.h"

/**
 * Range policy (G4): SVSM_E_ADDR unless [@g, @g + @len) does not wrap, is
 * guest RAM and overlaps no SVSM-owned memory. @len 0 is rejected.
 */
__must_check svsm_err_t guest_mem_check(gpa_t g, uint64_t len);

/**
 * A page (4K or 2M) the guest may name in a core call: guest_mem_check()
 * and, in addition, not a registered VMSA or CAA. SVSM_E_ADDR otherwise.
 */
__must_check svsm_err_t guest_mem_check_page(gpa_t g, uint64_t len);

/**
 * Take every guest VMPL's access to the page(s) at @g away (RMPADJUST,
 * permissions 0, for VMPL1..3), or give @guest_vmpl RWX. They return the
 * instruction's rc (SNP_RC_*; the first failure for the revoke).
 */
enum snp_rc guest_mem_revoke(gpa_t g, enum snp_page_size size);
enum snp_rc guest_mem_grant(gpa_t g, enum snp_page_size size,
			    uint8_t guest_vmpl);

/**
 * What guest_mem_write() checks before it writes: guest_mem_check() and no
 * registered guest VMSA. For handlers that validate an output buffer before
 * doing the work whose result goes there.
 */
__must_check svsm_err_t guest_mem_check_write(gpa_t dst, uint64_t len);

/** Copy @len bytes from guest @src into SVSM memory @dst (G3, G5). */
__must_check svsm_err_t guest_mem_read(void *dst, gpa_t src, size_t len);

/** Copy @len bytes from SVSM memory @src to guest @dst (G3, G5). */
__must_check svsm_err_t guest_mem_write(gpa_t dst, const void *src, size_t len);

/** Zero [@dst, @dst + @len) of guest memory (G11). */
__must_check svsm_err_t guest_mem_zero(gpa_t dst, uint64_t len);

/**
 * Set (@on) or clear EFER.SVME in the registered guest VMSA at @vmsa, so no
 * CPU can enter it while it is being deleted, through the guarded copy: a
 * VMSA page converted behind the SVSM's back is SVSM_E_FAULT, never a panic
 * (issue 14 finding 6). SVSM_E_ADDR if @vmsa is not a registered VMSA in
 * guest RAM. *@was_on is the bit before the write (set only on SVSM_OK), so
 * a caller whose next step fails can put the VMSA back as it was.
 */
__must_check svsm_err_t guest_mem_vmsa_svme(gpa_t vmsa, bool on, bool *was_on);

/**
 * Read GUEST_EXIT_CODE of the registered guest VMSA at @vmsa into *@code,
 * and with @clear set it to 0 afterwards, through the guarded copy (errors
 * as guest_mem_vmsa_svme). Only the CPU writes that field once the page is
 * a VMSA (the guest keeps read access only), so a non-zero code after
 * CREATE_VCPU cleared it proves the hypervisor ran the VMSA (docs/abi.md
 * §3.3: the switch to a pending VMSA).
 */
__must_check svsm_err_t guest_mem_vmsa_exit_code(gpa_t vmsa, bool clear,
						 uint64_t *code);

/* Read a whole object; the size is the object's, never guest-chosen. */
#define guest_mem_read_obj(dst_ptr, src_gpa) \
	guest_mem_read((dst_ptr), (src_gpa), sizeof(*(dst_ptr)))
#define guest_mem_write_obj(dst_gpa, src_ptr) \
	guest_mem_write((dst_gpa), (src_ptr), sizeof(*(src_ptr)))
