/* SPDX-License-Identifier: MIT */
/*
 * Parser tests: a build -> parse round trip, mask filtering, and one case
 * per rejection path (docs/abi.md §12.6 plus our stricter checks). Malformed
 * files are made by patching the §1.7 file (then re-computing its CRC) or
 * by writing headers the builder does not police.
 */
#include "../tap.h"
#include "igvm/builder.h"
#include "igvm/host.h"
#include "igvm/measure.h"
#include "tiny.h"

/* Header offsets in the §1.7 file (see its dump). */
#define T_POLICY 0x30
#define T_AREA 0x48
#define T_VPCOUNT 0x60
#define T_INSERT 0x70
#define T_PAGE 0x88
#define T_ZERO 0xa8
#define T_VP 0x108
#define T_HDR_END 0x128

static struct igvm_file pf;

static void put32(uint8_t *f, size_t off, uint32_t v)
{
	memcpy(f + off, &v, 4);
}

/* Re-compute the CRC when the header bounds still fit in the file. */
static void refresh_crc(uint8_t *f, size_t len)
{
	uint32_t off, size;

	memcpy(&off, f + 8, 4);
	memcpy(&size, f + 12, 4);
	if (off >= 24 && off <= len && size <= len - off) {
		put32(f, 20, igvm_file_checksum(f, off, off + size));
	}
}

/* Patch @size bytes of the tiny file at @off, fix the CRC, parse. */
static enum igvm_err patched(size_t off, uint64_t v, size_t size)
{
	size_t len = 0;
	uint8_t *f = tiny_build(&len);
	enum igvm_err err;

	memcpy(f + off, &v, size);
	refresh_crc(f, len);
	err = igvm_parse(f, len, &pf);
	free(f);
	return err;
}

static enum igvm_err finish_parse(struct igvm_builder *b)
{
	uint8_t *f = NULL;
	size_t len = 0;
	enum igvm_err err = IGVM_E_COUNT;

	if (igvm_builder_finish(b, &f, &len)) {
		err = igvm_parse(f, len, &pf);
	}
	igvm_builder_free(b);
	free(f);
	return err;
}

static void snp_start(struct igvm_builder *b)
{
	igvm_builder_init(b);
	igvm_builder_platform(b, 1, IGVM_PLATFORM_SEV_SNP, 2, 0);
	igvm_builder_policy(b, 1, 0x30000);
}

static const uint8_t some_page[4096] = {1, 2, 3};

TAP_CASE(round_trip_headers_in_order)
{
	static const uint32_t want[] = {
		IGVM_VHT_SUPPORTED_PLATFORM, IGVM_VHT_GUEST_POLICY,
		IGVM_VHT_PARAMETER_AREA,     IGVM_VHT_VP_COUNT_PARAMETER,
		IGVM_VHT_PARAMETER_INSERT,   IGVM_VHT_PAGE_DATA,
		IGVM_VHT_PAGE_DATA,          IGVM_VHT_PAGE_DATA,
		IGVM_VHT_PAGE_DATA,          IGVM_VHT_VP_CONTEXT};
	size_t len = 0, n = 0;
	uint8_t *f = tiny_build(&len);
	struct igvm_header h;
	struct igvm_iter it;

	CHECK_EQ(igvm_parse(f, len, &pf), IGVM_OK);
	CHECK_EQ(pf.header_count, 10);
	CHECK_EQ(igvm_platform_mask(&pf, IGVM_PLATFORM_SEV_SNP), 1);
	igvm_iter_init(&it, &pf, 1);
	while (igvm_iter_next(&it, &h)) {
		CHECK_TRUE(n < 10);
		if (n < 10) {
			CHECK_EQ(h.type, want[n]);
		}
		if (h.type == IGVM_VHT_PAGE_DATA && n == 5) {
			CHECK_EQ(h.u.page.gpa, 0x10000);
			CHECK_EQ(h.u.page.file_offset, T_HDR_END);
			CHECK_EQ(igvm_file_page(&pf, h.u.page.file_offset)[1],
				 10);
		}
		if (h.type == IGVM_VHT_VP_CONTEXT) {
			CHECK_EQ(h.length, 20);
			CHECK_EQ(h.u.vp.gpa, IGVM_KVM_VMSA_GPA);
		}
		n++;
	}
	CHECK_EQ(n, 10);
	free(f);
}

TAP_CASE(mask_filters_other_platforms)
{
	struct igvm_builder b;
	struct igvm_header h;
	struct igvm_iter it;
	uint8_t *f = NULL;
	size_t len = 0, pages = 0;

	igvm_builder_init(&b);
	igvm_builder_platform(&b, 1, IGVM_PLATFORM_SEV_SNP, 2, 0);
	igvm_builder_platform(&b, 2, IGVM_PLATFORM_NATIVE, 0, 0);
	/* Same GPA for two platforms is not an overlap. */
	igvm_builder_page(&b, 1, 0x1000, 0, 0, some_page, 4096);
	igvm_builder_page(&b, 2, 0x1000, 0, 0, some_page, 4096);
	igvm_builder_page(&b, 3, 0x2000, 0, 0, NULL, 0);
	CHECK_TRUE(igvm_builder_finish(&b, &f, &len));
	igvm_builder_free(&b);
	CHECK_EQ(igvm_parse(f, len, &pf), IGVM_OK);
	igvm_iter_init(&it, &pf, 2);
	while (igvm_iter_next(&it, &h)) {
		if (h.type == IGVM_VHT_PAGE_DATA) {
			CHECK_TRUE(h.u.page.compatibility_mask & 2);
			pages++;
		}
	}
	CHECK_EQ(pages, 2);
	free(f);
}

TAP_CASE(v2_header_accepted)
{
	/* The same file as v2: a 32-byte fixed header (architecture x64,
	 * 4 KiB pages), so every absolute file offset moves by 8. */
	size_t len = 0;
	uint8_t *f = tiny_build(&len);
	uint8_t *v2 = calloc(1, len + 8);
	uint32_t v;

	memcpy(v2, f, 24);
	put32(v2 + 24, 0, 0);
	put32(v2 + 28, 0, 4096);
	memcpy(v2 + 32, f + 24, len - 24);
	put32(v2, 4, 2);
	put32(v2, 8, 32);
	put32(v2, 16, (uint32_t)(len + 8));
	for (size_t off = T_PAGE; off < T_HDR_END; off += 0x20) {
		size_t fo = 8 + off + 8 + 12; /* PAGE_DATA/VP file_offset */

		memcpy(&v, v2 + fo, 4);
		put32(v2, fo, v ? v + 8 : 0);
	}
	refresh_crc(v2, len + 8);
	CHECK_EQ(igvm_parse(v2, len + 8, &pf), IGVM_OK);
	CHECK_EQ(pf.version, 2);
	CHECK_EQ(pf.header_count, 10);
	free(v2);
	free(f);
}

TAP_CASE(reject_truncated)
{
	size_t len = 0;
	uint8_t *f = tiny_build(&len);

	CHECK_EQ(igvm_parse(f, 10, &pf), IGVM_E_TRUNCATED);
	CHECK_EQ(igvm_parse(f, 0, &pf), IGVM_E_TRUNCATED);
	free(f);
}

TAP_CASE(reject_magic)
{
	CHECK_EQ(patched(0, 0x4D564748, 4), IGVM_E_MAGIC);
}

TAP_CASE(reject_version)
{
	CHECK_EQ(patched(4, 3, 4), IGVM_E_VERSION);
}

TAP_CASE(reject_v2_fields)
{
	/* v2 reads architecture at 0x18, where our platform header sits. */
	CHECK_EQ(patched(4, 2, 4), IGVM_E_V2_FIELDS);
}

TAP_CASE(reject_header_offset)
{
	CHECK_EQ(patched(8, 32, 4), IGVM_E_HEADER_OFFSET);
	CHECK_EQ(patched(12, 0x10000, 4), IGVM_E_HEADER_OFFSET);
}

TAP_CASE(reject_total_size)
{
	size_t len = 0;
	uint8_t *f = tiny_build(&len);

	CHECK_EQ(igvm_parse(f, len - 1, &pf), IGVM_E_TOTAL_SIZE);
	free(f);
}

TAP_CASE(reject_checksum)
{
	size_t len = 0;
	uint8_t *f = tiny_build(&len);

	f[T_POLICY + 8] ^= 1; /* a policy byte, CRC left stale */
	CHECK_EQ(igvm_parse(f, len, &pf), IGVM_E_CHECKSUM);
	free(f);
}

TAP_CASE(reject_no_file_data)
{
	struct igvm_builder b;

	snp_start(&b);
	igvm_builder_page(&b, 1, 0x1000, 0, 0, NULL, 0);
	CHECK_EQ(finish_parse(&b), IGVM_E_NO_FILE_DATA);
}

TAP_CASE(reject_header_truncated)
{
	/* Header section ends inside the VP_CONTEXT TLV. */
	CHECK_EQ(patched(12, T_HDR_END - 24 - 4, 4), IGVM_E_HEADER_TRUNCATED);
	CHECK_EQ(patched(12, T_HDR_END - 24 - 28, 4), IGVM_E_HEADER_TRUNCATED);
}

TAP_CASE(reject_vp_context_padding)
{
	CHECK_EQ(patched(T_VP + 8 + 20, 0xff, 1), IGVM_E_PADDING);
}

TAP_CASE(reject_unknown_type)
{
	/* Bit 31 ("optional") is outside every range (docs/abi.md §12.1). */
	CHECK_EQ(patched(T_POLICY, 0x80000101u, 4), IGVM_E_UNKNOWN_TYPE);
	CHECK_EQ(patched(T_POLICY, 0x250, 4), IGVM_E_UNKNOWN_TYPE);
}

TAP_CASE(reject_unsupported_type)
{
	CHECK_EQ(patched(T_POLICY, IGVM_VHT_RELOCATABLE_REGION, 4),
		 IGVM_E_UNSUPPORTED_TYPE);
}

TAP_CASE(reject_section_order)
{
	/* An initialization header (16-byte body) after directives. */
	CHECK_EQ(patched(T_INSERT, IGVM_VHT_GUEST_POLICY, 4),
		 IGVM_E_SECTION_ORDER);
}

TAP_CASE(reject_length)
{
	CHECK_EQ(patched(T_POLICY + 4, 24, 4), IGVM_E_LENGTH);
	/* VP_CONTEXT must say 20, not sizeof (24). */
	CHECK_EQ(patched(T_VP + 4, 24, 4), IGVM_E_LENGTH);
}

TAP_CASE(reject_reserved)
{
	CHECK_EQ(patched(T_PAGE + 8 + 22, 1, 2), IGVM_E_RESERVED);
	CHECK_EQ(patched(T_POLICY + 8 + 12, 1, 4), IGVM_E_RESERVED);
	CHECK_EQ(patched(T_VP + 8 + 18, 1, 2), IGVM_E_RESERVED);
}

TAP_CASE(reject_platform)
{
	CHECK_EQ(patched(0x18 + 8 + 4, 1, 1), IGVM_E_PLATFORM); /* VTL 1 */
	CHECK_EQ(patched(0x18 + 8 + 6, 2, 2), IGVM_E_PLATFORM); /* version */
	CHECK_EQ(patched(0x18 + 8, 3, 4), IGVM_E_PLATFORM);     /* 2 bits */
}

TAP_CASE(reject_duplicate_platform)
{
	struct igvm_builder b;

	igvm_builder_init(&b);
	igvm_builder_platform(&b, 1, IGVM_PLATFORM_SEV_SNP, 2, 0);
	igvm_builder_platform(&b, 2, IGVM_PLATFORM_SEV_SNP, 2, 0);
	igvm_builder_page(&b, 1, 0x1000, 0, 0, some_page, 4096);
	CHECK_EQ(finish_parse(&b), IGVM_E_DUPLICATE_PLATFORM);
}

TAP_CASE(reject_no_platform)
{
	struct igvm_builder b;
	struct igvm_parameter_area a = {4096, 0, 0};
	uint8_t *f = NULL;
	size_t len = 0;

	/* Only an area (no mask), with its initial data to fill the data
	 * section; then point file_offset at the data. */
	igvm_builder_init(&b);
	igvm_builder_add(&b, IGVM_VHT_PARAMETER_AREA, &a, sizeof(a));
	CHECK_TRUE(igvm_builder_finish(&b, &f, &len));
	igvm_builder_free(&b);
	f = realloc(f, len + 4096);
	memset(f + len, 0, 4096);
	put32(f, 8 + 24 + 12, (uint32_t)len); /* area file_offset */
	len += 4096;
	put32(f, 16, (uint32_t)len);
	refresh_crc(f, len);
	CHECK_EQ(igvm_parse(f, len, &pf), IGVM_E_NO_PLATFORM);
	free(f);
}

TAP_CASE(reject_mask)
{
	CHECK_EQ(patched(T_PAGE + 8 + 8, 2, 4), IGVM_E_MASK); /* undeclared */
	CHECK_EQ(patched(T_PAGE + 8 + 8, 0, 4), IGVM_E_MASK); /* empty */
}

TAP_CASE(reject_align)
{
	CHECK_EQ(patched(T_PAGE + 8, 0x10001, 8), IGVM_E_ALIGN);
	CHECK_EQ(patched(T_INSERT + 8, 0x1F800, 8), IGVM_E_ALIGN);
	CHECK_EQ(patched(T_VP + 8, 0x123, 8), IGVM_E_ALIGN);
}

TAP_CASE(reject_page_flags)
{
	CHECK_EQ(patched(T_PAGE + 8 + 16, IGVM_PAGE_FLAG_2MB, 4),
		 IGVM_E_PAGE_FLAGS);
	CHECK_EQ(patched(T_PAGE + 8 + 16, 0x100, 4), IGVM_E_PAGE_FLAGS);
}

TAP_CASE(reject_data_type)
{
	CHECK_EQ(patched(T_PAGE + 8 + 20, 4, 2), IGVM_E_DATA_TYPE);
}

TAP_CASE(reject_file_offset)
{
	/* Past the end, inside the headers, and a VMSA without data. */
	CHECK_EQ(patched(T_PAGE + 8 + 12, 8488 - 100, 4), IGVM_E_FILE_OFFSET);
	CHECK_EQ(patched(T_PAGE + 8 + 12, 0x20, 4), IGVM_E_FILE_OFFSET);
	CHECK_EQ(patched(T_VP + 8 + 12, 0, 4), IGVM_E_FILE_OFFSET);
	CHECK_EQ(patched(T_PAGE + 8 + 12, 0xFFFFFFFFu, 4), IGVM_E_FILE_OFFSET);
}

TAP_CASE(reject_overlap)
{
	CHECK_EQ(patched(T_ZERO + 8, 0x10000, 8), IGVM_E_OVERLAP);
	/* The inserted area covers 0x1F000; a page there overlaps it. */
	CHECK_EQ(patched(T_ZERO + 8, 0x1F000, 8), IGVM_E_OVERLAP);
	/* A range that wraps the address space. */
	CHECK_EQ(patched(T_ZERO + 8, 0xFFFFFFFFFFFFF000ull, 8), IGVM_E_OVERLAP);
}

TAP_CASE(reject_too_fragmented)
{
	struct igvm_builder b;

	snp_start(&b);
	igvm_builder_page(&b, 1, 0x10000000, 0, 0, some_page, 4096);
	for (uint64_t i = 0; i < IGVM_MAX_RANGES; i++) {
		igvm_builder_page(&b, 1, i * 0x2000, 0, 0, NULL, 0);
	}
	CHECK_EQ(finish_parse(&b), IGVM_E_TOO_FRAGMENTED);
}

TAP_CASE(reject_param_size)
{
	CHECK_EQ(patched(T_AREA + 8, 0x800, 8), IGVM_E_PARAM_SIZE);
	CHECK_EQ(patched(T_AREA + 8, 0, 8), IGVM_E_PARAM_SIZE);
}

TAP_CASE(reject_param_duplicate)
{
	struct igvm_builder b;

	snp_start(&b);
	igvm_builder_area(&b, 0, 4096);
	igvm_builder_area(&b, 0, 4096);
	igvm_builder_page(&b, 1, 0x1000, 0, 0, some_page, 4096);
	CHECK_EQ(finish_parse(&b), IGVM_E_PARAM_DUPLICATE);
}

TAP_CASE(reject_param_undeclared)
{
	CHECK_EQ(patched(T_VPCOUNT + 8, 5, 4), IGVM_E_PARAM_UNDECLARED);
	CHECK_EQ(patched(T_INSERT + 8 + 12, 5, 4), IGVM_E_PARAM_UNDECLARED);
}

TAP_CASE(reject_param_after_insert)
{
	struct igvm_builder b;

	snp_start(&b);
	igvm_builder_area(&b, 0, 4096);
	igvm_builder_insert(&b, 1, 0x2000, 0);
	igvm_builder_param(&b, IGVM_VHT_VP_COUNT_PARAMETER, 0, 0);
	igvm_builder_page(&b, 1, 0x1000, 0, 0, some_page, 4096);
	CHECK_EQ(finish_parse(&b), IGVM_E_PARAM_INSERTED);

	snp_start(&b);
	igvm_builder_area(&b, 0, 4096);
	igvm_builder_insert(&b, 1, 0x2000, 0);
	igvm_builder_insert(&b, 1, 0x3000, 0); /* inserted once (§1.4) */
	igvm_builder_page(&b, 1, 0x1000, 0, 0, some_page, 4096);
	CHECK_EQ(finish_parse(&b), IGVM_E_PARAM_INSERTED);
}

TAP_CASE(reject_param_offset)
{
	CHECK_EQ(patched(T_VPCOUNT + 8 + 4, 4094, 4), IGVM_E_PARAM_OFFSET);
	CHECK_EQ(patched(T_VPCOUNT + 8 + 4, 0xFFFFFFFFu, 4),
		 IGVM_E_PARAM_OFFSET);
}

TAP_CASE(reject_too_many_areas)
{
	struct igvm_builder b;

	snp_start(&b);
	for (uint32_t i = 0; i <= IGVM_MAX_PARAM_AREAS; i++) {
		igvm_builder_area(&b, i, 4096);
	}
	igvm_builder_page(&b, 1, 0x1000, 0, 0, some_page, 4096);
	CHECK_EQ(finish_parse(&b), IGVM_E_TOO_MANY_AREAS);
}

TAP_CASE(id_block_accepted_and_rejected)
{
	struct igvm_snp_id_block blk;
	struct igvm_builder b;

	memset(&blk, 0, sizeof(blk));
	blk.compatibility_mask = 1;
	blk.author_key_enabled = 1;
	blk.version = 1;
	snp_start(&b);
	igvm_builder_page(&b, 1, 0x1000, 0, 0, some_page, 4096);
	igvm_builder_id_block(&b, &blk);
	CHECK_EQ(finish_parse(&b), IGVM_OK);

	blk.author_key_enabled = 2;
	snp_start(&b);
	igvm_builder_page(&b, 1, 0x1000, 0, 0, some_page, 4096);
	igvm_builder_id_block(&b, &blk);
	CHECK_EQ(finish_parse(&b), IGVM_E_ID_BLOCK);

	blk.author_key_enabled = 0;
	blk.reserved[1] = 1;
	snp_start(&b);
	igvm_builder_page(&b, 1, 0x1000, 0, 0, some_page, 4096);
	igvm_builder_id_block(&b, &blk);
	CHECK_EQ(finish_parse(&b), IGVM_E_RESERVED);
}

TAP_CASE(error_offset_points_at_bad_header)
{
	CHECK_EQ(patched(T_ZERO + 8, 0x10000, 8), IGVM_E_OVERLAP);
	CHECK_EQ(pf.err_offset, T_ZERO);
}

TAP_CASE(builder_refuses_section_order)
{
	struct igvm_builder b;
	uint8_t *f = NULL;
	size_t len = 0;

	igvm_builder_init(&b);
	igvm_builder_platform(&b, 1, IGVM_PLATFORM_SEV_SNP, 2, 0);
	igvm_builder_page(&b, 1, 0x1000, 0, 0, some_page, 4096);
	igvm_builder_policy(&b, 1, 0x30000);
	CHECK_TRUE(!igvm_builder_finish(&b, &f, &len));
	CHECK_TRUE(f == NULL);
	igvm_builder_free(&b);
}

TAP_CASE(measure_errors)
{
	struct igvm_measure_opts o = {.profile = IGVM_PROFILE_KVM, .vcpus = 0};
	struct igvm_builder b;
	uint8_t vmsa[4096] = {0}, ld[48], *f = NULL;
	size_t len = 0;

	CHECK_TRUE((f = tiny_build(&len)) != NULL);
	CHECK_EQ(igvm_parse(f, len, &pf), IGVM_OK);
	CHECK_EQ(igvm_measure(&pf, igvm_host_sha384, &o, ld), IGVM_E_ARG);
	o.vcpus = 2; /* no scratch page */
	CHECK_EQ(igvm_measure(&pf, igvm_host_sha384, &o, ld), IGVM_E_ARG);
	free(f);

	/* No SNP platform. */
	igvm_builder_init(&b);
	igvm_builder_platform(&b, 1, IGVM_PLATFORM_SEV_ES, 0, 0);
	igvm_builder_page(&b, 1, 0x1000, 0, 0, some_page, 4096);
	CHECK_TRUE(igvm_builder_finish(&b, &f, &len));
	igvm_builder_free(&b);
	CHECK_EQ(igvm_parse(f, len, &pf), IGVM_OK);
	o.vcpus = 1;
	CHECK_EQ(igvm_measure(&pf, igvm_host_sha384, &o, ld), IGVM_E_NO_SNP);
	free(f);

	/* Two VMSAs: refused by both profiles; one off KVM's GPA: kvm. */
	snp_start(&b);
	igvm_builder_vmsa(&b, 1, 0x5000, 0, vmsa);
	igvm_builder_vmsa(&b, 1, IGVM_KVM_VMSA_GPA, 0, vmsa);
	CHECK_TRUE(igvm_builder_finish(&b, &f, &len));
	igvm_builder_free(&b);
	CHECK_EQ(igvm_parse(f, len, &pf), IGVM_OK);
	CHECK_EQ(igvm_measure(&pf, igvm_host_sha384, &o, ld), IGVM_E_VMSA);
	o.profile = IGVM_PROFILE_DIRECT;
	CHECK_EQ(igvm_measure(&pf, igvm_host_sha384, &o, ld), IGVM_E_VMSA);
	free(f);
}

TAP_CASE(kvm_profile_counts_vcpus)
{
	/* Each extra vCPU adds an AP VMSA: digests differ and are stable. */
	uint8_t scratch[4096], a[48], b2[48], c[48];
	struct igvm_measure_opts o = {.profile = IGVM_PROFILE_KVM,
				      .vcpus = 1,
				      .vcpu_sig = 0x800f12,
				      .scratch = scratch};
	size_t len = 0;
	uint8_t *f = tiny_build(&len);

	CHECK_EQ(igvm_parse(f, len, &pf), IGVM_OK);
	CHECK_EQ(igvm_measure(&pf, igvm_host_sha384, &o, a), IGVM_OK);
	o.vcpus = 2;
	CHECK_EQ(igvm_measure(&pf, igvm_host_sha384, &o, b2), IGVM_OK);
	CHECK_EQ(igvm_measure(&pf, igvm_host_sha384, &o, c), IGVM_OK);
	CHECK_TRUE(memcmp(a, b2, 48) != 0);
	CHECK_EQ(memcmp(b2, c, 48), 0);
	free(f);
}

TAP_CASE(strerror_covers_every_code)
{
	for (int e = 0; e < IGVM_E_COUNT; e++) {
		CHECK_TRUE(strcmp(igvm_strerror((enum igvm_err)e),
				  "unknown error") != 0);
	}
	CHECK_STR(igvm_strerror(IGVM_E_COUNT), "unknown error");
}

TAP_MAIN(TAP_ENTRY(round_trip_headers_in_order),
	 TAP_ENTRY(mask_filters_other_platforms), TAP_ENTRY(v2_header_accepted),
	 TAP_ENTRY(reject_truncated), TAP_ENTRY(reject_magic),
	 TAP_ENTRY(reject_version), TAP_ENTRY(reject_v2_fields),
	 TAP_ENTRY(reject_header_offset), TAP_ENTRY(reject_total_size),
	 TAP_ENTRY(reject_checksum), TAP_ENTRY(reject_no_file_data),
	 TAP_ENTRY(reject_header_truncated),
	 TAP_ENTRY(reject_vp_context_padding), TAP_ENTRY(reject_unknown_type),
	 TAP_ENTRY(reject_unsupported_type), TAP_ENTRY(reject_section_order),
	 TAP_ENTRY(reject_length), TAP_ENTRY(reject_reserved),
	 TAP_ENTRY(reject_platform), TAP_ENTRY(reject_duplicate_platform),
	 TAP_ENTRY(reject_no_platform), TAP_ENTRY(reject_mask),
	 TAP_ENTRY(reject_align), TAP_ENTRY(reject_page_flags),
	 TAP_ENTRY(reject_data_type), TAP_ENTRY(reject_file_offset),
	 TAP_ENTRY(reject_overlap), TAP_ENTRY(reject_too_fragmented),
	 TAP_ENTRY(reject_param_size), TAP_ENTRY(reject_param_duplicate),
	 TAP_ENTRY(reject_param_undeclared),
	 TAP_ENTRY(reject_param_after_insert), TAP_ENTRY(reject_param_offset),
	 TAP_ENTRY(reject_too_many_areas),
	 TAP_ENTRY(id_block_accepted_and_rejected),
	 TAP_ENTRY(error_offset_points_at_bad_header),
	 TAP_ENTRY(builder_refuses_section_order), TAP_ENTRY(measure_errors),
	 TAP_ENTRY(kvm_profile_counts_vcpus),
	 TAP_ENTRY(strerror_covers_every_code))
