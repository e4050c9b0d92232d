/* SPDX-License-Identifier: MIT */
/*
 * The one from-scratch VMSA: the register state after INIT (docs/abi.md
 * §8.2), which every VMSA the SVSM, snpemu's test payloads and the test
 * guests build starts from. The IGVM tools model their VMSAs field by field
 * instead (tools/igvm/vmsa.c, igvm_vmsa_reset) from the same constants.
 */
#pragma once

#include <stdint.h>

#include "svsm/abi/vmsa.h"

/**
 * Zero @v and give it the state of an x86 CPU after INIT, as Linux gives
 * its APs: real mode at F000:FFF0 (CS base 0xffff0000), flat 64 KiB data
 * segments, CR0 = CD | NW | ET, the reset DR6/DR7/PAT/XCR0/MXCSR and
 * Linux's x87 defaults; VMPL @vmpl, @sev_features, EFER.SVME set (an SNP
 * VMSA without it does not run).
 */
void vmsa_reset_state(struct snp_vmsa *v, uint8_t vmpl, uint64_t sev_features);

/**
 * Flat 4 GiB segments: CS @cs with attributes @cs_attr (VMSA_SEG_CODE32 or
 * VMSA_SEG_CODE64), DS/ES/SS/FS/GS @ds as VMSA_SEG_DATA32, base 0.
 */
void vmsa_flat_segments(struct snp_vmsa *v, uint16_t cs, uint16_t cs_attr,
			uint16_t ds);

/*
 * The 64-bit paging state the images start their payloads in (Linux's boot
 * protocol, snpemu's VMPL0 payloads): PG AM WP NE ET MP PE, PAE, LME LMA
 * NXE (and SVME).
 */
#define VMSA_LONG_CR0                                                     \
	(X86_CR0_PG | X86_CR0_AM | X86_CR0_WP | X86_CR0_NE | X86_CR0_ET | \
	 X86_CR0_MP | X86_CR0_PE)
#define VMSA_LONG_EFER \
	(VMSA_EFER_SVME | X86_EFER_NXE | X86_EFER_LMA | X86_EFER_LME)

/**
 * Switch a VMSA from vmsa_reset_state() to 64-bit mode: CS @cs flat 64-bit
 * code, DS/ES/SS/FS/GS @ds flat data, VMSA_LONG_CR0, CR4.PAE, CR3 @cr3,
 * VMSA_LONG_EFER. GDTR/IDTR/TR stay as reset: the caller sets what its
 * payload needs.
 */
void vmsa_long_mode(struct snp_vmsa *v, uint16_t cs, uint16_t ds, uint64_t cr3);

/** One segment register (attrib in the VMSA's packed form, VMSA_SEG_*). */
void vmsa_seg_set(struct vmsa_seg *s, uint16_t sel, uint16_t attr,
		  uint32_t limit, uint64_t base);
