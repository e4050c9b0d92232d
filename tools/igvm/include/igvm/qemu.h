/* SPDX-License-Identifier: MIT */
/*
 * What QEMU's IGVM loader (QEMU >= 10.1, backends/igvm.c and
 * target/i386/sev.c) and upstream KVM accept in a SEV-SNP image, and the
 * order in which QEMU issues SNP_LAUNCH_UPDATE for it. docs/igvm.md §4
 * describes the rules in prose; this is the one place that encodes them, for
 * svsm-measure's kvm profile and for snpemu's loader. Freestanding.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igvm/parse.h"

/*
 * sev_features QEMU/KVM may accept for an SNP guest: SNP_ACTIVE plus what
 * upstream KVM can report in KVM_X86_SEV_VMSA_FEATURES (DebugSwap, bit 5;
 * SecureTSC, bit 9). KVM: arch/x86/kvm/svm/sev.c, sev_hardware_setup();
 * QEMU: target/i386/sev.c, check_sev_features(). A given host may report
 * fewer; never more.
 */
#define IGVM_KVM_SEV_FEATURES \
	(UINT64_C(1) | (UINT64_C(1) << 5) | (UINT64_C(1) << 9))

/** Whether QEMU's loader knows header @type (it exits on any other). */
bool igvm_qemu_type_supported(uint32_t type);

/**
 * Check a VMSA page against QEMU's check_vmsa_supported(): only the fields
 * QEMU copies into KVM's vCPU state may be non-zero (so `vmpl` and `cpl`
 * are 0), and sev_features must contain SNP_ACTIVE and stay within
 * IGVM_KVM_SEV_FEATURES. On failure *bad_off (if non-NULL) is the offset of
 * the first offending byte.
 */
enum igvm_err igvm_qemu_check_vmsa(const uint8_t *page, uint32_t *bad_off);

/**
 * The whole-file rules of the kvm profile: every header type known to QEMU
 * (under any mask), MEMORY_MAP at byte_offset 0, exactly one SNP VP_CONTEXT,
 * for vCPU 0, at 0xFFFFFFFFF000, passing igvm_qemu_check_vmsa(). On failure
 * *err_offset (if non-NULL) is the file offset of the offending header.
 */
enum igvm_err igvm_qemu_check_file(const struct igvm_file *file,
				   size_t *err_offset);

/**
 * The SNP_LAUNCH_UPDATE page type QEMU uses for a PAGE_DATA: UNMEASURED if
 * flagged so, SECRETS, CPUID for both CPUID kinds, else NORMAL (a page
 * without data is a NORMAL page of zeros, not the ZERO type).
 */
uint8_t igvm_qemu_page_type(const struct igvm_page_data *p);

/**
 * With `-m @ram_size` on a q35 machine (RAM below 4 GiB up to 2 GiB if
 * there are 2.75 GiB or more, else all of it; the rest from 4 GiB): every
 * REQUIRED_MEMORY range and every inserted parameter area must lie wholly
 * inside one RAM block or wholly outside RAM (QEMU: "region size
 * exceeded"). IGVM_E_QEMU_MEMORY and the header's offset otherwise.
 */
enum igvm_err igvm_qemu_check_ram(const struct igvm_file *file,
				  uint64_t ram_size, size_t *err_offset);

/** One page of an SNP_LAUNCH_UPDATE, in the order QEMU issues them. */
struct igvm_launch_page {
	uint64_t gpa;
	uint8_t page_type;   /* IGVM_SNP_PAGE_* (measure.h) */
	const uint8_t *data; /* PAGE_DATA contents; NULL = zeros or none */
};

typedef void (*igvm_launch_page_fn)(void *ctx,
				    const struct igvm_launch_page *p);

/**
 * Call @fn for every page QEMU hands to KVM for SNP_LAUNCH_UPDATE, in
 * issue order (backends/igvm.c, qigvm_process_mem_page()): contiguous
 * PAGE_DATA with equal flags, data type, mask and data presence, in
 * consecutive headers, form a run that is issued only when the next
 * PAGE_DATA does not extend it, or at the end of the file; a
 * PARAMETER_INSERT is issued at once (UNMEASURED, whole area), so it
 * overtakes a pending run. Only headers matching @mask are used. The VMSA
 * is not included: KVM measures it at LAUNCH_FINISH.
 */
void igvm_qemu_launch_pages(const struct igvm_file *file, uint32_t mask,
			    igvm_launch_page_fn fn, void *ctx);
