// SPDX-License-Identifier: MIT
/* CPUID page lookup (src/sev/cpuid_page.c). */
#include "sev/cpuid_page.h"
#include "tap.h"

static struct snp_cpuid_page page;

static void add(uint32_t leaf, uint32_t sub, uint64_t xcr0, uint32_t ebx)
{
	struct snp_cpuid_entry *e = &page.entries[page.count++];

	memset(e, 0, sizeof(*e));
	e->eax_in = leaf;
	e->ecx_in = sub;
	e->xcr0_in = xcr0;
	e->eax = leaf;
	e->ebx = ebx;
}

TAP_CASE(plain_and_indexed)
{
	struct snp_cpuid_result r;

	memset(&page, 0, sizeof(page));
	add(0x8000001f, 0, 0, 0x1ef);
	add(0x7, 0, 0, 70);
	add(0x7, 1, 0, 71);
	CHECK_TRUE(snp_cpuid_lookup(&page, 0x8000001f, 99, 1, 0, &r));
	CHECK_EQ(r.ebx & 0x3f, 0x2f);
	CHECK_TRUE(snp_cpuid_lookup(&page, 7, 1, 1, 0, &r));
	CHECK_EQ(r.ebx, 71);
	CHECK_TRUE(!snp_cpuid_lookup(&page, 7, 2, 1, 0, &r));
	CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
	CHECK_TRUE(!snp_cpuid_lookup(&page, 0x40000000, 0, 1, 0, &r));
}

TAP_CASE(xsave_leaf_prefers_matching_xcr0)
{
	struct snp_cpuid_result r;

	memset(&page, 0, sizeof(page));
	add(0xd, 0, 0x1, 0x240);
	add(0xd, 0, 0x7, 0x340);
	CHECK_TRUE(snp_cpuid_lookup(&page, 0xd, 0, 0x7, 0, &r));
	CHECK_EQ(r.ebx, 0x340);
	CHECK_TRUE(snp_cpuid_lookup(&page, 0xd, 0, 0x3, 0, &r));
	CHECK_EQ(r.ebx, 0x240); /* falls back to the first match */
}

TAP_CASE(bad_count_rejected)
{
	struct snp_cpuid_result r;

	memset(&page, 0, sizeof(page));
	add(1, 0, 0, 1);
	page.count = 0;
	CHECK_TRUE(!snp_cpuid_page_valid(&page));
	CHECK_TRUE(!snp_cpuid_lookup(&page, 1, 0, 1, 0, &r));
	page.count = 65; /* would read past the table */
	CHECK_TRUE(!snp_cpuid_page_valid(&page));
	CHECK_TRUE(!snp_cpuid_lookup(&page, 1, 0, 1, 0, &r));
	page.count = UINT32_MAX;
	CHECK_TRUE(!snp_cpuid_lookup(&page, 1, 0, 1, 0, &r));
}

TAP_MAIN(TAP_ENTRY(plain_and_indexed),
	 TAP_ENTRY(xsave_leaf_prefers_matching_xcr0),
	 TAP_ENTRY(bad_count_rejected))
