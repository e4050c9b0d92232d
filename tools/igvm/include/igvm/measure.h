/* SPDX-License-Identifier: MIT */
/*
 * SNP launch digest of an IGVM file (docs/abi.md §14.2-14.3). The PAGE_INFO
 * chaining is freestanding C; SHA-384 comes from a caller-supplied function
 * so the host tools can use OpenSSL and snpemu a freestanding SHA-384.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igvm/parse.h"

#define IGVM_SHA384_LEN 48u

/** SHA-384 of @len bytes at @data into @out. Must not fail. */
typedef void (*igvm_sha384_fn)(const void *data, size_t len,
			       uint8_t out[IGVM_SHA384_LEN]);

/* PAGE_INFO.PAGE_TYPE (SEV-SNP Firmware ABI, SNP_LAUNCH_UPDATE; §3.5). */
enum igvm_snp_page_type {
	IGVM_SNP_PAGE_NORMAL = 1,
	IGVM_SNP_PAGE_VMSA = 2,
	IGVM_SNP_PAGE_ZERO = 3,
	IGVM_SNP_PAGE_UNMEASURED = 4,
	IGVM_SNP_PAGE_SECRETS = 5,
	IGVM_SNP_PAGE_CPUID = 6,
};

/* The 0x70-byte PAGE_INFO structure that is hashed for each page (§3.5). */
struct igvm_snp_page_info {
	uint8_t digest_cur[IGVM_SHA384_LEN];
	uint8_t contents[IGVM_SHA384_LEN];
	uint16_t length;
	uint8_t page_type;
	uint8_t imi_page;
	uint8_t vmpl3_perms;
	uint8_t vmpl2_perms;
	uint8_t vmpl1_perms;
	uint8_t reserved;
	uint64_t gpa;
};
_Static_assert(sizeof(struct igvm_snp_page_info) == 0x70,
	       "SNP Firmware ABI PAGE_INFO is 0x70 bytes (docs/abi.md §14.2)");

/** A running launch digest. */
struct igvm_ld {
	uint8_t digest[IGVM_SHA384_LEN];
	igvm_sha384_fn sha384;
};

/** Start from LD0 = 48 zero bytes. */
void igvm_ld_init(struct igvm_ld *ld, igvm_sha384_fn sha384);

/**
 * Extend the digest with one page. @page is the 4 KiB contents for NORMAL and
 * VMSA pages (NULL: a page of zeros); ignored for the other types, whose
 * CONTENTS field is zero. If @contents_out is non-NULL it receives the
 * CONTENTS field that was hashed.
 */
void igvm_ld_page(struct igvm_ld *ld, uint8_t page_type, uint64_t gpa,
		  const uint8_t *page, uint8_t *contents_out);

/** How the host measures the VMSA (docs/abi.md §13.2, §14.3). */
enum igvm_profile {
	/* Upstream KVM: one VMSA per vCPU at 0xFFFFFFFFF000 after all pages. */
	IGVM_PROFILE_KVM,
	/* coconut's direct-VMSA host: the VMSA page as written, in file
	 * order, at its own GPA; no AP VMSAs. */
	IGVM_PROFILE_DIRECT,
};

#define IGVM_KVM_VMSA_GPA UINT64_C(0xFFFFFFFFF000)

struct igvm_measured_page {
	uint32_t index;
	uint64_t gpa;
	uint8_t page_type;
	uint8_t contents[IGVM_SHA384_LEN];
	uint8_t digest[IGVM_SHA384_LEN]; /* LD after this page */
};

struct igvm_measure_opts {
	enum igvm_profile profile;
	uint32_t vcpus;    /* KVM profile: measured VMSAs (>= 1) */
	uint32_t vcpu_sig; /* KVM profile: RDX of the AP reset VMSAs */
	uint8_t *scratch;  /* 4 KiB, needed only for KVM with vcpus > 1 */
	void (*on_page)(void *ctx, const struct igvm_measured_page *page);
	void *ctx;
	size_t *err_offset; /* optional: the offending header on failure */
};

/**
 * Launch digest of a parsed file for its SEV-SNP platform, QEMU rules
 * (docs/igvm.md §5): zero pages are NORMAL zero pages, parameter inserts are
 * UNMEASURED over the whole area, CPUID_XF counts as CPUID.
 *
 * kvm: the file must pass igvm_qemu_check_file() (qemu.h); pages are
 * measured in QEMU's issue order (igvm_qemu_launch_pages()), then one VMSA
 * per vCPU at 0xFFFFFFFFF000. direct: every page and the VMSA in file order
 * [unconfirmed for coconut's host].
 */
enum igvm_err igvm_measure(const struct igvm_file *file, igvm_sha384_fn sha384,
			   const struct igvm_measure_opts *opts,
			   uint8_t out[IGVM_SHA384_LEN]);
