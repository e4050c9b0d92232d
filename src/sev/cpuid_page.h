/* SPDX-License-Identifier: MIT */
/*
 * Lookups in the SNP CPUID page (docs/abi.md §2.3). Under SNP the SVSM answers
 * CPUID from this PSP-checked table and never asks the hypervisor, whose
 * answers are untrusted. Pure logic (hosted unit tests).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "svsm/abi/snp.h"

struct snp_cpuid_result {
	uint32_t eax, ebx, ecx, edx;
};

/** True for leaves whose output depends on ECX (the subleaf). */
bool snp_cpuid_leaf_indexed(uint32_t leaf);

/** True if the page header is usable (1 <= count <= 64, docs/abi.md §2.3). */
bool snp_cpuid_page_valid(const struct snp_cpuid_page *page);

/**
 * Find @leaf/@subleaf. For leaf 0xD subleaves 0 and 1 an entry whose
 * xcr0_in/xss_in match @xcr0/@xss is preferred. Returns false and zeroes
 * @out if the page has no such entry (the SVSM then reports all zeros, as
 * Linux does for leaves missing from the table).
 */
bool snp_cpuid_lookup(const struct snp_cpuid_page *page, uint32_t leaf,
		      uint32_t subleaf, uint64_t xcr0, uint64_t xss,
		      struct snp_cpuid_result *out);
