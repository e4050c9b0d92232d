// SPDX-License-Identifier: MIT
/*
 * The kvm profile (tools/igvm qemu.c): svsm-measure refuses what QEMU's
 * IGVM loader and KVM refuse, and measures pages in the order QEMU issues
 * them, where a PARAMETER_INSERT overtakes a pending run of pages.
 */
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "igvm/builder.h"
#include "igvm/host.h"
#include "igvm/measure.h"
#include "igvm/qemu.h"
#include "igvm/vmsa.h"

static struct igvm_file pf;
static uint8_t data_page[IGVM_PAGE_SIZE];

static void vmsa_ok(uint8_t *v)
{
	memset(v, 0, IGVM_PAGE_SIZE);
	v[IGVM_VMSA_OFF_SEV_FEATURES] = 1; /* SNP */
}

static void start(struct igvm_builder *b)
{
	igvm_builder_init(b);
	igvm_builder_platform(b, 1, IGVM_PLATFORM_SEV_SNP, 2, 0);
	igvm_builder_policy(b, 1, 0x30000);
}

/* Finish @b and measure it with @profile; the parse must succeed. */
static enum igvm_err measure(struct igvm_builder *b, enum igvm_profile profile,
			     uint8_t ld[48], size_t *err_offset)
{
	struct igvm_measure_opts o = {
		.profile = profile, .vcpus = 1, .err_offset = err_offset};
	enum igvm_err err = IGVM_E_ARG;
	uint8_t *f = NULL;
	size_t len = 0;

	if (igvm_builder_finish(b, &f, &len) &&
	    igvm_parse(f, len, &pf) == IGVM_OK) {
		err = igvm_measure(&pf, igvm_host_sha384, &o, ld);
	}
	igvm_builder_free(b);
	free(f);
	return err;
}

static enum igvm_err with_vmsa(const uint8_t *vmsa, uint64_t gpa,
			       uint16_t vp_index)
{
	struct igvm_builder b;
	uint8_t ld[48];

	start(&b);
	igvm_builder_page(&b, 1, 0x10000, 0, 0, data_page, IGVM_PAGE_SIZE);
	igvm_builder_vmsa(&b, 1, gpa, vp_index, vmsa);
	return measure(&b, IGVM_PROFILE_KVM, ld, NULL);
}

TAP_CASE(vmsa_fields_qemu_does_not_pass_on_are_refused)
{
	static const uint32_t bad[] = {
		IGVM_VMSA_OFF_VMPL,
		IGVM_VMSA_OFF_CPL,
		IGVM_VMSA_OFF_VIRTUAL_TOM,
		0x140 /* xss */,
		0x0C8 /* guest_tsc_scale area */,
		0x3F0 /* after xcr0 */,
		0xFFF,
	};
	static const uint32_t good[] = {
		IGVM_VMSA_OFF_RIP,     IGVM_VMSA_OFF_RSI,
		0x378 /* r15 */,       IGVM_VMSA_OFF_CR3,
		IGVM_VMSA_OFF_G_PAT,   IGVM_VMSA_OFF_MXCSR,
		IGVM_VMSA_OFF_X87_FCW, 0x09F /* tr.base top byte */,
	};
	uint8_t v[IGVM_PAGE_SIZE];
	uint32_t at = 0;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vmsa_ok(v);
		v[bad[i]] = 1;
		CHECK_EQ(igvm_qemu_check_vmsa(v, &at), IGVM_E_VMSA_FIELD);
		CHECK_EQ(at, bad[i]);
		CHECK_EQ(with_vmsa(v, IGVM_KVM_VMSA_GPA, 0), IGVM_E_VMSA_FIELD);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		vmsa_ok(v);
		v[good[i]] = 0x31;
		CHECK_EQ(igvm_qemu_check_vmsa(v, NULL), IGVM_OK);
		CHECK_EQ(with_vmsa(v, IGVM_KVM_VMSA_GPA, 0), IGVM_OK);
	}
}

TAP_CASE(sev_features_need_snp_and_stay_within_kvm)
{
	static const uint64_t bad[] = {0, 0x2 | 1, 0x4 | 1, 0x8 | 1,
				       UINT64_C(1) << 63 | 1};
	static const uint64_t good[] = {1, 0x21, 0x201, 0x221};
	uint8_t v[IGVM_PAGE_SIZE];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vmsa_ok(v);
		memcpy(v + IGVM_VMSA_OFF_SEV_FEATURES, &bad[i], 8);
		CHECK_EQ(with_vmsa(v, IGVM_KVM_VMSA_GPA, 0),
			 IGVM_E_SEV_FEATURES);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		vmsa_ok(v);
		memcpy(v + IGVM_VMSA_OFF_SEV_FEATURES, &good[i], 8);
		CHECK_EQ(with_vmsa(v, IGVM_KVM_VMSA_GPA, 0), IGVM_OK);
	}
}

TAP_CASE(one_vmsa_for_vcpu0_at_kvm_gpa)
{
	struct igvm_builder b;
	uint8_t v[IGVM_PAGE_SIZE], ld[48];

	vmsa_ok(v);
	CHECK_EQ(with_vmsa(v, 0x08FFF000, 0), IGVM_E_VMSA);
	CHECK_EQ(with_vmsa(v, IGVM_KVM_VMSA_GPA, 1), IGVM_E_VMSA);
	/* None at all. */
	start(&b);
	igvm_builder_page(&b, 1, 0x10000, 0, 0, data_page, IGVM_PAGE_SIZE);
	CHECK_EQ(measure(&b, IGVM_PROFILE_KVM, ld, NULL), IGVM_E_VMSA);
	/* One for another platform does not count. */
	igvm_builder_init(&b);
	igvm_builder_platform(&b, 1, IGVM_PLATFORM_SEV_SNP, 2, 0);
	igvm_builder_platform(&b, 2, IGVM_PLATFORM_SEV_ES, 0, 0);
	igvm_builder_vmsa(&b, 2, IGVM_KVM_VMSA_GPA, 0, v);
	CHECK_EQ(measure(&b, IGVM_PROFILE_KVM, ld, NULL), IGVM_E_VMSA);
}

/* An area with one parameter usage of @type at @off, inserted; a VMSA. */
static void param_file(struct igvm_builder *b, uint32_t type, uint32_t off,
		       const uint8_t *vmsa)
{
	start(b);
	igvm_builder_area(b, 0, IGVM_PAGE_SIZE);
	igvm_builder_param(b, type, 0, off);
	igvm_builder_insert(b, 1, 0x1F000, 0);
	igvm_builder_vmsa(b, 1, IGVM_KVM_VMSA_GPA, 0, vmsa);
}

TAP_CASE(header_types_qemu_does_not_know_are_refused)
{
	struct igvm_builder b;
	uint8_t v[IGVM_PAGE_SIZE], ld[48];
	size_t at = 0;

	vmsa_ok(v);
	/* A MADT parameter: QEMU 10.2 stops at the type, any mask. */
	param_file(&b, IGVM_VHT_MADT, 0, v);
	CHECK_EQ(measure(&b, IGVM_PROFILE_KVM, ld, &at), IGVM_E_QEMU_TYPE);
	CHECK_TRUE(at > 0);
	/* The direct model does not apply QEMU's rules. */
	param_file(&b, IGVM_VHT_MADT, 0, v);
	CHECK_EQ(measure(&b, IGVM_PROFILE_DIRECT, ld, NULL), IGVM_OK);
	CHECK_TRUE(!igvm_qemu_type_supported(IGVM_VHT_COMMAND_LINE));
	CHECK_TRUE(!igvm_qemu_type_supported(IGVM_VHT_DEVICE_TREE));
	CHECK_TRUE(!igvm_qemu_type_supported(IGVM_VHT_SRAT));
	CHECK_TRUE(igvm_qemu_type_supported(IGVM_VHT_MEMORY_MAP));
}

TAP_CASE(memory_map_must_be_at_offset_zero)
{
	struct igvm_builder b;
	uint8_t v[IGVM_PAGE_SIZE], ld[48];

	vmsa_ok(v);
	param_file(&b, IGVM_VHT_MEMORY_MAP, 24, v);
	CHECK_EQ(measure(&b, IGVM_PROFILE_KVM, ld, NULL), IGVM_E_QEMU_MEMMAP);
	param_file(&b, IGVM_VHT_MEMORY_MAP, 0, v);
	CHECK_EQ(measure(&b, IGVM_PROFILE_KVM, ld, NULL), IGVM_OK);
}

TAP_CASE(required_memory_wholly_in_or_out_of_ram)
{
	struct igvm_builder b;
	uint8_t v[IGVM_PAGE_SIZE], *f = NULL;
	size_t len = 0, at = 0;

	vmsa_ok(v);
	start(&b);
	igvm_builder_required(&b, 1, 0x08000000, 16 << 20, 0);
	igvm_builder_area(&b, 0, 2 * IGVM_PAGE_SIZE);
	igvm_builder_param(&b, IGVM_VHT_VP_COUNT_PARAMETER, 0, 0);
	igvm_builder_insert(&b, 1, 0x7FFFF000, 0);
	igvm_builder_vmsa(&b, 1, IGVM_KVM_VMSA_GPA, 0, v);
	CHECK_TRUE(igvm_builder_finish(&b, &f, &len));
	igvm_builder_free(&b);
	CHECK_EQ(igvm_parse(f, len, &pf), IGVM_OK);
	/* -m 1G: both inside; -m 128M: the SVSM range wholly outside. */
	CHECK_EQ(igvm_qemu_check_ram(&pf, 1 << 30, NULL), IGVM_OK);
	CHECK_EQ(igvm_qemu_check_ram(&pf, 128 << 20, NULL), IGVM_OK);
	/* -m 136M ends inside the SVSM range. */
	CHECK_EQ(igvm_qemu_check_ram(&pf, 136 << 20, &at), IGVM_E_QEMU_MEMORY);
	CHECK_TRUE(at > 0);
	/* -m 2G ends inside the inserted area (0x7FFFF000, 8 KiB). */
	CHECK_EQ(igvm_qemu_check_ram(&pf, UINT64_C(2) << 30, NULL),
		 IGVM_E_QEMU_MEMORY);
	/* -m 3G: low RAM stops at 2 GiB on q35, the same straddle. */
	CHECK_EQ(igvm_qemu_check_ram(&pf, UINT64_C(3) << 30, NULL),
		 IGVM_E_QEMU_MEMORY);
	free(f);
}

/* Chain pages by hand: gpa | type, data page for NORMAL. */
static void chain(uint8_t ld[48], const uint64_t *gpas, const uint8_t *types,
		  size_t n, const uint8_t *vmsa)
{
	struct igvm_ld l;

	igvm_ld_init(&l, igvm_host_sha384);
	for (size_t i = 0; i < n; i++) {
		igvm_ld_page(
			&l, types[i], gpas[i],
			types[i] == IGVM_SNP_PAGE_NORMAL ? data_page : NULL,
			NULL);
	}
	igvm_ld_page(&l, IGVM_SNP_PAGE_VMSA, IGVM_KVM_VMSA_GPA, vmsa, NULL);
	memcpy(ld, l.digest, 48);
}

TAP_CASE(insert_overtakes_a_pending_run)
{
	const uint8_t N = IGVM_SNP_PAGE_NORMAL, U = IGVM_SNP_PAGE_UNMEASURED;
	/* File: A B INSERT C, A-B-C contiguous. QEMU: INSERT, A B, C. */
	const uint64_t qemu_gpa[] = {0x1F000, 0x10000, 0x11000, 0x12000};
	const uint8_t qemu_type[] = {U, N, N, N};
	const uint64_t file_gpa[] = {0x10000, 0x11000, 0x1F000, 0x12000};
	const uint8_t file_type[] = {N, N, U, N};
	uint8_t v[IGVM_PAGE_SIZE], got[48], want[48], direct[48];
	struct igvm_builder b;

	vmsa_ok(v);
	for (int p = 0; p < 2; p++) {
		start(&b);
		igvm_builder_area(&b, 0, IGVM_PAGE_SIZE);
		igvm_builder_param(&b, IGVM_VHT_VP_COUNT_PARAMETER, 0, 0);
		for (uint64_t g = 0x10000; g < 0x12000; g += 0x1000) {
			igvm_builder_page(&b, 1, g, 0, 0, data_page,
					  IGVM_PAGE_SIZE);
		}
		igvm_builder_insert(&b, 1, 0x1F000, 0);
		igvm_builder_page(&b, 1, 0x12000, 0, 0, data_page,
				  IGVM_PAGE_SIZE);
		igvm_builder_vmsa(&b, 1, IGVM_KVM_VMSA_GPA, 0, v);
		CHECK_EQ(measure(&b, p ? IGVM_PROFILE_DIRECT : IGVM_PROFILE_KVM,
				 p ? direct : got, NULL),
			 IGVM_OK);
	}
	chain(want, qemu_gpa, qemu_type, 4, v);
	CHECK_EQ(memcmp(got, want, 48), 0);
	chain(want, file_gpa, file_type, 4, v);
	CHECK_EQ(memcmp(direct, want, 48), 0);
	CHECK_TRUE(memcmp(got, direct, 48) != 0);
}

TAP_CASE(a_masked_out_page_ends_a_run)
{
	const uint8_t N = IGVM_SNP_PAGE_NORMAL, U = IGVM_SNP_PAGE_UNMEASURED;
	/* A, X (other platform), B contiguous to A, INSERT: QEMU counts X's
	 * header, so B cannot join A: A is issued when B arrives. */
	const uint64_t gpa[] = {0x10000, 0x1F000, 0x11000};
	const uint8_t type[] = {N, U, N};
	uint8_t v[IGVM_PAGE_SIZE], got[48], want[48];
	struct igvm_builder b;

	vmsa_ok(v);
	igvm_builder_init(&b);
	igvm_builder_platform(&b, 1, IGVM_PLATFORM_SEV_SNP, 2, 0);
	igvm_builder_platform(&b, 2, IGVM_PLATFORM_SEV_ES, 0, 0);
	igvm_builder_policy(&b, 1, 0x30000);
	igvm_builder_area(&b, 0, IGVM_PAGE_SIZE);
	igvm_builder_param(&b, IGVM_VHT_VP_COUNT_PARAMETER, 0, 0);
	igvm_builder_page(&b, 1, 0x10000, 0, 0, data_page, IGVM_PAGE_SIZE);
	igvm_builder_page(&b, 2, 0x30000, 0, 0, data_page, IGVM_PAGE_SIZE);
	igvm_builder_page(&b, 1, 0x11000, 0, 0, data_page, IGVM_PAGE_SIZE);
	igvm_builder_insert(&b, 1, 0x1F000, 0);
	igvm_builder_vmsa(&b, 1, IGVM_KVM_VMSA_GPA, 0, v);
	CHECK_EQ(measure(&b, IGVM_PROFILE_KVM, got, NULL), IGVM_OK);
	chain(want, gpa, type, 3, v);
	CHECK_EQ(memcmp(got, want, 48), 0);
}

/* The data page: any non-zero pattern. */
static const uint8_t *fill(void)
{
	for (size_t i = 0; i < sizeof(data_page); i++) {
		data_page[i] = (uint8_t)(i * 13 + 1);
	}
	return data_page;
}

TAP_CASE(setup)
{
	CHECK_TRUE(fill()[1] == 14);
}

TAP_MAIN(TAP_ENTRY(setup),
	 TAP_ENTRY(vmsa_fields_qemu_does_not_pass_on_are_refused),
	 TAP_ENTRY(sev_features_need_snp_and_stay_within_kvm),
	 TAP_ENTRY(one_vmsa_for_vcpu0_at_kvm_gpa),
	 TAP_ENTRY(header_types_qemu_does_not_know_are_refused),
	 TAP_ENTRY(memory_map_must_be_at_offset_zero),
	 TAP_ENTRY(required_memory_wholly_in_or_out_of_ram),
	 TAP_ENTRY(insert_overtakes_a_pending_run),
	 TAP_ENTRY(a_masked_out_page_ends_a_run))
