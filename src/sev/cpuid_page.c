// SPDX-License-Identifier: MIT
/*
 * SNP CPUID page lookup (docs/abi.md §2.3; the same matching rules as Linux
 * arch/x86/boot/startup/sev-shared.c snp_cpuid_get_validated_func).
 */
#include "sev/cpuid_page.h"

bool snp_cpuid_leaf_indexed(uint32_t leaf)
{
	switch (leaf) {
	case 0x4:
	case 0x7:
	case 0xb:
	case 0xd:
	case 0xf:
	case 0x10:
	case 0x14:
	case 0x8000001d:
	case 0x80000020:
	case 0x80000026:
		return true;
	default:
		return false;
	}
}

bool snp_cpuid_page_valid(const struct snp_cpuid_page *page)
{
	return page->count >= 1 && page->count <= SNP_CPUID_MAX_ENTRIES;
}

static void result_from(const struct snp_cpuid_entry *e,
			struct snp_cpuid_result *out)
{
	out->eax = e->eax;
	out->ebx = e->ebx;
	out->ecx = e->ecx;
	out->edx = e->edx;
}

bool snp_cpuid_lookup(const struct snp_cpuid_page *page, uint32_t leaf,
		      uint32_t subleaf, uint64_t xcr0, uint64_t xss,
		      struct snp_cpuid_result *out)
{
	const struct snp_cpuid_entry *fallback = 0;
	bool indexed = snp_cpuid_leaf_indexed(leaf);
	bool xsave_sized = leaf == 0xd && subleaf <= 1;

	out->eax = out->ebx = out->ecx = out->edx = 0;
	if (!snp_cpuid_page_valid(page)) {
		return false;
	}
	for (uint32_t i = 0; i < page->count; i++) {
		const struct snp_cpuid_entry *e = &page->entries[i];

		if (e->eax_in != leaf || (indexed && e->ecx_in != subleaf)) {
			continue;
		}
		if (!xsave_sized || (e->xcr0_in == xcr0 && e->xss_in == xss)) {
			result_from(e, out);
			return true;
		}
		if (fallback == 0) {
			fallback = e;
		}
	}
	if (fallback != 0) {
		result_from(fallback, out);
		return true;
	}
	return false;
}
