/* SPDX-License-Identifier: MIT */
/*
 * Golden vectors: the §1.7 worked file (fixed header bytes, CRC, size), its
 * launch digest (§3.7), the §3.7 six-page PAGE_INFO chain, and the §3.5
 * zero-page hash; plus the stored golden copy of the §1.7 file.
 */
#include "../tap.h"
#include "igvm/builder.h"
#include "igvm/host.h"
#include "igvm/measure.h"
#include "tiny.h"

#ifndef IGVM_TEST_DATA
#error "IGVM_TEST_DATA must name tests/unit/igvm/data"
#endif

static void hex_of(const uint8_t *b, size_t n, char *out)
{
	igvm_host_hex(b, n, out);
}

TAP_CASE(tiny_fixed_header_matches_doc)
{
	/* docs/abi.md §12.7: 4947564d 01000000 18000000 10010000 28210000
	 * c96ef11a. */
	static const uint8_t want[24] = {0x49, 0x47, 0x56, 0x4d, 0x01, 0x00,
					 0x00, 0x00, 0x18, 0x00, 0x00, 0x00,
					 0x10, 0x01, 0x00, 0x00, 0x28, 0x21,
					 0x00, 0x00, 0xc9, 0x6e, 0xf1, 0x1a};
	size_t len = 0;
	uint8_t *f = tiny_build(&len);

	CHECK_TRUE(f != NULL);
	if (!f) {
		return;
	}
	CHECK_EQ(len, 8488);
	CHECK_EQ(memcmp(f, want, sizeof(want)), 0);
	free(f);
}

TAP_CASE(tiny_matches_stored_golden)
{
	size_t len = 0, glen = 0;
	uint8_t *f = tiny_build(&len);
	uint8_t *g = NULL;

	CHECK_TRUE(igvm_host_read_file(IGVM_TEST_DATA "/tiny.igvm", &g, &glen));
	CHECK_TRUE(f != NULL && g != NULL);
	if (f && g) {
		CHECK_EQ(glen, len);
		CHECK_EQ(memcmp(f, g, len < glen ? len : glen), 0);
	}
	free(f);
	free(g);
}

static void check_tiny_digest(enum igvm_profile profile)
{
	/* docs/abi.md §14.4: insert, four pages, then the VMSA. */
	static const char want[] =
		"7ce46c880b9289ca8f41024457a2293e58445026d91e7e1896a846a8587124"
		"2811ed79c7597198c96432326b4afe030a";
	struct igvm_measure_opts o = {.profile = profile, .vcpus = 1};
	struct igvm_file pf;
	uint8_t ld[48];
	char hex[97];
	size_t len = 0;
	uint8_t *f = tiny_build(&len);

	CHECK_TRUE(f != NULL);
	if (!f) {
		return;
	}
	CHECK_EQ(igvm_parse(f, len, &pf), IGVM_OK);
	CHECK_EQ(igvm_measure(&pf, igvm_host_sha384, &o, ld), IGVM_OK);
	hex_of(ld, sizeof(ld), hex);
	CHECK_STR(hex, want);
	free(f);
}

TAP_CASE(tiny_digest_kvm_profile)
{
	check_tiny_digest(IGVM_PROFILE_KVM);
}

TAP_CASE(tiny_digest_direct_profile)
{
	/* The VMSA is last and at 0xFFFFFFFFF000: both profiles agree. */
	check_tiny_digest(IGVM_PROFILE_DIRECT);
}

TAP_CASE(six_page_chain_vector)
{
	/* docs/abi.md §14.4 self-made sequence, cross-checked with GCTX. */
	static const char want[] =
		"6d23bfc027ebb13ae4d8b8a277a7bdcf5f7bc4e4cd6911c5be4ad8361540ff"
		"727661deea028b8eaf9fec8c4ee9c717a8";
	uint8_t page[4096], vmsa[4096] = {0};
	struct igvm_ld ld;
	char hex[97];

	for (size_t i = 0; i < sizeof(page); i++) {
		page[i] = (uint8_t)((i * 7 + 3) & 0xff);
	}
	vmsa[0x3B0] = 1;
	igvm_ld_init(&ld, igvm_host_sha384);
	igvm_ld_page(&ld, IGVM_SNP_PAGE_NORMAL, 0x10000, page, NULL);
	igvm_ld_page(&ld, IGVM_SNP_PAGE_NORMAL, 0x11000, NULL, NULL);
	igvm_ld_page(&ld, IGVM_SNP_PAGE_SECRETS, 0x20000, NULL, NULL);
	igvm_ld_page(&ld, IGVM_SNP_PAGE_CPUID, 0x21000, NULL, NULL);
	igvm_ld_page(&ld, IGVM_SNP_PAGE_UNMEASURED, 0x22000, NULL, NULL);
	igvm_ld_page(&ld, IGVM_SNP_PAGE_VMSA, IGVM_KVM_VMSA_GPA, vmsa, NULL);
	hex_of(ld.digest, sizeof(ld.digest), hex);
	CHECK_STR(hex, want);
}

TAP_CASE(zero_page_constant_matches_sha384)
{
	/* The built-in zero-page hash must equal a real SHA-384 of zeros. */
	uint8_t zero[4096] = {0}, a[48], b[48];
	struct igvm_ld l1, l2;

	igvm_ld_init(&l1, igvm_host_sha384);
	igvm_ld_init(&l2, igvm_host_sha384);
	igvm_ld_page(&l1, IGVM_SNP_PAGE_NORMAL, 0x1000, NULL, a);
	igvm_ld_page(&l2, IGVM_SNP_PAGE_NORMAL, 0x1000, zero, b);
	CHECK_EQ(memcmp(a, b, 48), 0);
	CHECK_EQ(memcmp(l1.digest, l2.digest, 48), 0);
}

TAP_CASE(page_types_follow_qemu_rules)
{
	/* docs/abi.md §14.3: unmeasured flag, CPUID_XF -> CPUID, a 2-page area
	 * inserted -> 2 UNMEASURED pages, in file order. */
	struct igvm_measure_opts o = {.profile = IGVM_PROFILE_DIRECT};
	uint8_t page[4096], want[48], got[48];
	struct igvm_builder b;
	struct igvm_file pf;
	struct igvm_ld ld;
	uint8_t *f = NULL;
	size_t len = 0;

	memset(page, 0xA5, sizeof(page));
	igvm_builder_init(&b);
	igvm_builder_platform(&b, 1, IGVM_PLATFORM_SEV_SNP, 2, 0);
	igvm_builder_policy(&b, 1, 0x30000);
	igvm_builder_area(&b, 3, 2 * 4096);
	igvm_builder_param(&b, IGVM_VHT_MEMORY_MAP, 3, 0);
	igvm_builder_insert(&b, 1, 0x40000, 3);
	igvm_builder_page(&b, 1, 0x1000, 0, IGVM_PAGE_DATA_NORMAL, page, 4096);
	igvm_builder_page(&b, 1, 0x2000, IGVM_PAGE_FLAG_UNMEASURED,
			  IGVM_PAGE_DATA_NORMAL, page, 4096);
	igvm_builder_page(&b, 1, 0x3000, 0, IGVM_PAGE_DATA_CPUID_XF, NULL, 0);
	CHECK_TRUE(igvm_builder_finish(&b, &f, &len));
	igvm_builder_free(&b);
	CHECK_EQ(igvm_parse(f, len, &pf), IGVM_OK);
	CHECK_EQ(igvm_measure(&pf, igvm_host_sha384, &o, got), IGVM_OK);
	igvm_ld_init(&ld, igvm_host_sha384);
	igvm_ld_page(&ld, IGVM_SNP_PAGE_UNMEASURED, 0x40000, NULL, NULL);
	igvm_ld_page(&ld, IGVM_SNP_PAGE_UNMEASURED, 0x41000, NULL, NULL);
	igvm_ld_page(&ld, IGVM_SNP_PAGE_NORMAL, 0x1000, page, NULL);
	igvm_ld_page(&ld, IGVM_SNP_PAGE_UNMEASURED, 0x2000, NULL, NULL);
	igvm_ld_page(&ld, IGVM_SNP_PAGE_CPUID, 0x3000, NULL, NULL);
	memcpy(want, ld.digest, 48);
	CHECK_EQ(memcmp(want, got, 48), 0);
	free(f);
}

#ifdef IGVM_HAVE_OVMF_FIXTURE
/*
 * sev-snp-measure test_snp_ovmf_hash_full_default (docs/abi.md §14.4): one
 * NORMAL page at 0xFFFFF000 holding tests/fixtures/ovmf_AmdSev_suffix.bin. The
 * 4 KiB fixture is binary and could not be fetched here: meson builds this
 * case only when data/ovmf_AmdSev_suffix.bin exists.
 */
TAP_CASE(published_sev_snp_measure_vector)
{
	static const char want[] =
		"086e2e9149ebf45abdc3445fba5b2da8270bdbb04094d7a2c37faaa4b24af3"
		"aa16aff8c374c2a55c467a50da6d466b74";
	uint8_t *fx = NULL;
	size_t len = 0;
	struct igvm_ld ld;
	char hex[97];

	CHECK_TRUE(igvm_host_read_file(IGVM_TEST_DATA "/ovmf_AmdSev_suffix.bin",
				       &fx, &len));
	CHECK_EQ(len, 4096);
	if (len == 4096) {
		igvm_ld_init(&ld, igvm_host_sha384);
		igvm_ld_page(&ld, IGVM_SNP_PAGE_NORMAL, 0xFFFFF000, fx, NULL);
		hex_of(ld.digest, sizeof(ld.digest), hex);
		CHECK_STR(hex, want);
	}
	free(fx);
}
#define PUBLISHED_CASE , TAP_ENTRY(published_sev_snp_measure_vector)
#else
#define PUBLISHED_CASE
#endif

TAP_MAIN(TAP_ENTRY(tiny_fixed_header_matches_doc),
	 TAP_ENTRY(tiny_matches_stored_golden),
	 TAP_ENTRY(tiny_digest_kvm_profile),
	 TAP_ENTRY(tiny_digest_direct_profile),
	 TAP_ENTRY(six_page_chain_vector),
	 TAP_ENTRY(zero_page_constant_matches_sha384),
	 TAP_ENTRY(page_types_follow_qemu_rules) PUBLISHED_CASE)
