/* SPDX-License-Identifier: MIT */
/*
 * IGVM v1 on-disk layouts (microsoft/igvm `igvm_defs` 0.4.0; summarised in
 * docs/abi.md §12). Self-contained: only <stdint.h>, so that the parser can be
 * built freestanding for snpemu and hosted for the tools.
 *
 * Everything on disk is little-endian. The structs below describe the exact
 * byte layout; the parser never casts file bytes to them (it decodes byte by
 * byte), the builder fills them and copies them out on a little-endian host.
 */
#pragma once

#include <stdint.h>

#define IGVM_ASSERT_SIZE(type, size, why) \
	_Static_assert(sizeof(type) == (size), why)

#define IGVM_MAGIC 0x4D564749u /* "IGVM" little-endian */
#define IGVM_FORMAT_V1 1u
#define IGVM_FORMAT_V2 2u
#define IGVM_PAGE_SIZE 4096u
#define IGVM_FIXED_HEADER_V1_SIZE 24u
#define IGVM_FIXED_HEADER_V2_SIZE 32u
/* Variable headers start on 8-byte boundaries (igvm_defs crate doc). */
#define IGVM_HEADER_ALIGN 8u

/* Variable header types (igvm_defs IgvmVariableHeaderType, docs/abi.md §12.3).
 */
enum igvm_vht {
	IGVM_VHT_SUPPORTED_PLATFORM = 0x001,
	IGVM_VHT_GUEST_POLICY = 0x101,
	IGVM_VHT_RELOCATABLE_REGION = 0x102,
	IGVM_VHT_PAGE_TABLE_RELOCATION = 0x103,
	IGVM_VHT_PARAMETER_AREA = 0x301,
	IGVM_VHT_PAGE_DATA = 0x302,
	IGVM_VHT_PARAMETER_INSERT = 0x303,
	IGVM_VHT_VP_CONTEXT = 0x304,
	IGVM_VHT_REQUIRED_MEMORY = 0x305,
	IGVM_VHT_VP_COUNT_PARAMETER = 0x307,
	IGVM_VHT_SRAT = 0x308,
	IGVM_VHT_MADT = 0x309,
	IGVM_VHT_MMIO_RANGES = 0x30A,
	IGVM_VHT_SNP_ID_BLOCK = 0x30B,
	IGVM_VHT_MEMORY_MAP = 0x30C,
	IGVM_VHT_ERROR_RANGE = 0x30D,
	IGVM_VHT_COMMAND_LINE = 0x30E,
	IGVM_VHT_SLIT = 0x30F,
	IGVM_VHT_PPTT = 0x310,
	IGVM_VHT_VBS_MEASUREMENT = 0x311,
	IGVM_VHT_DEVICE_TREE = 0x312,
	IGVM_VHT_ENVIRONMENT_INFO_PARAMETER = 0x313,
};

/* Section ranges (docs/abi.md §12.1); the order is one-way. */
#define IGVM_VHT_RANGE_PLATFORM_START 0x001u
#define IGVM_VHT_RANGE_PLATFORM_END 0x100u
#define IGVM_VHT_RANGE_INIT_START 0x101u
#define IGVM_VHT_RANGE_INIT_END 0x200u
#define IGVM_VHT_RANGE_DIRECTIVE_START 0x301u
#define IGVM_VHT_RANGE_DIRECTIVE_END 0x400u

/* SUPPORTED_PLATFORM platform_type (docs/abi.md §12.4). */
enum igvm_platform_type {
	IGVM_PLATFORM_NATIVE = 0,
	IGVM_PLATFORM_VSM_ISOLATION = 1,
	IGVM_PLATFORM_SEV_SNP = 2,
	IGVM_PLATFORM_TDX = 3,
	IGVM_PLATFORM_SEV = 4,
	IGVM_PLATFORM_SEV_ES = 5,
	IGVM_PLATFORM_CCA = 6,
};
#define IGVM_PLATFORM_TYPE_MAX 6u

/* PAGE_DATA flags and data types (docs/abi.md §12.4). */
#define IGVM_PAGE_FLAG_2MB 0x1u
#define IGVM_PAGE_FLAG_UNMEASURED 0x2u
#define IGVM_PAGE_FLAG_SHARED 0x4u

enum igvm_page_data_type {
	IGVM_PAGE_DATA_NORMAL = 0,
	IGVM_PAGE_DATA_SECRETS = 1,
	IGVM_PAGE_DATA_CPUID_DATA = 2,
	IGVM_PAGE_DATA_CPUID_XF = 3,
};

/* MEMORY_MAP_ENTRY entry_type (docs/abi.md §12.4). */
enum igvm_memory_type {
	IGVM_MEMORY_MAP_MEMORY = 0,
	IGVM_MEMORY_MAP_PLATFORM_RESERVED = 1,
	IGVM_MEMORY_MAP_PERSISTENT = 2,
	IGVM_MEMORY_MAP_VTL2_PROTECTABLE = 3,
	IGVM_MEMORY_MAP_SPECIFIC_PURPOSE = 4,
	IGVM_MEMORY_MAP_HIDDEN = 5,
};

/* ENVIRONMENT_INFO bit 0 (docs/abi.md §12.4). */
#define IGVM_ENV_MEMORY_IS_SHARED 0x1u

/* REQUIRED_MEMORY flags (docs/abi.md §12.4). */
#define IGVM_REQUIRED_MEMORY_VTL2_PROTECTABLE 0x1u

/* SNP guest policy bit 17 is reserved and must be 1 (docs/abi.md §12.4). */
#define IGVM_SNP_POLICY_RESERVED_MBO (UINT64_C(1) << 17)

struct igvm_fixed_header {
	uint32_t magic;
	uint32_t format_version;
	uint32_t variable_header_offset;
	uint32_t variable_header_size;
	uint32_t total_file_size;
	uint32_t checksum;
};
IGVM_ASSERT_SIZE(struct igvm_fixed_header, 24, "docs/abi.md §12.2 v1 header");
#define IGVM_FIXED_HEADER_CHECKSUM_OFFSET 20u

struct igvm_var_header {
	uint32_t type;
	uint32_t length;
};
IGVM_ASSERT_SIZE(struct igvm_var_header, 8, "docs/abi.md §12.1 TLV");

struct igvm_supported_platform {
	uint32_t compatibility_mask;
	uint8_t highest_vtl;
	uint8_t platform_type;
	uint16_t platform_version;
	uint64_t shared_gpa_boundary;
};
IGVM_ASSERT_SIZE(struct igvm_supported_platform, 16, "docs/abi.md §12.4");

struct igvm_guest_policy {
	uint64_t policy;
	uint32_t compatibility_mask;
	uint32_t reserved;
};
IGVM_ASSERT_SIZE(struct igvm_guest_policy, 16, "docs/abi.md §12.4");

struct igvm_page_data {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t file_offset;
	uint32_t flags;
	uint16_t data_type;
	uint16_t reserved;
};
IGVM_ASSERT_SIZE(struct igvm_page_data, 24, "docs/abi.md §12.4");

struct igvm_parameter_area {
	uint64_t number_of_bytes;
	uint32_t parameter_area_index;
	uint32_t file_offset;
};
IGVM_ASSERT_SIZE(struct igvm_parameter_area, 16, "docs/abi.md §12.4");

/* Body of VP_COUNT, MEMORY_MAP, ENVIRONMENT_INFO, MADT, ... */
struct igvm_parameter {
	uint32_t parameter_area_index;
	uint32_t byte_offset;
};
IGVM_ASSERT_SIZE(struct igvm_parameter, 8, "docs/abi.md §12.4");

struct igvm_parameter_insert {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t parameter_area_index;
};
IGVM_ASSERT_SIZE(struct igvm_parameter_insert, 16, "docs/abi.md §12.4");

struct igvm_memory_map_entry {
	uint64_t starting_gpa_page_number;
	uint64_t number_of_pages;
	uint16_t entry_type;
	uint16_t flags;
	uint32_t reserved;
};
IGVM_ASSERT_SIZE(struct igvm_memory_map_entry, 24, "docs/abi.md §12.4");

struct igvm_required_memory {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t number_of_bytes;
	uint32_t flags;
	uint32_t reserved;
};
IGVM_ASSERT_SIZE(struct igvm_required_memory, 24, "docs/abi.md §12.4");

/*
 * VP_CONTEXT: the body is 20 bytes on disk (the Rust struct has an unaligned
 * u64), so `length` must be 20 and the file carries 4 bytes of zero padding
 * to the next 8-byte boundary. This C struct is 24 bytes because of u64
 * alignment: never write sizeof() into the length field (docs/abi.md §12.4).
 */
struct igvm_vp_context {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t file_offset;
	uint16_t vp_index;
	uint16_t reserved;
	uint32_t padding;
};
IGVM_ASSERT_SIZE(struct igvm_vp_context, 24, "docs/abi.md §12.4 (padded)");
#define IGVM_VP_CONTEXT_BODY_LEN 20u

struct igvm_snp_id_block_signature {
	uint8_t r_comp[72];
	uint8_t s_comp[72];
};
IGVM_ASSERT_SIZE(struct igvm_snp_id_block_signature, 144, "docs/abi.md §12.4");

struct igvm_snp_id_block_public_key {
	uint32_t curve;
	uint32_t reserved;
	uint8_t qx[72];
	uint8_t qy[72];
};
IGVM_ASSERT_SIZE(struct igvm_snp_id_block_public_key, 152, "docs/abi.md §12.4");

struct igvm_snp_id_block {
	uint32_t compatibility_mask;
	uint8_t author_key_enabled;
	uint8_t reserved[3];
	uint8_t ld[48];
	uint8_t family_id[16];
	uint8_t image_id[16];
	uint32_t version;
	uint32_t guest_svn;
	uint32_t id_key_algorithm;
	uint32_t author_key_algorithm;
	struct igvm_snp_id_block_signature id_key_signature;
	struct igvm_snp_id_block_public_key id_public_key;
	struct igvm_snp_id_block_signature author_key_signature;
	struct igvm_snp_id_block_public_key author_public_key;
};
IGVM_ASSERT_SIZE(struct igvm_snp_id_block, 696,
		 "docs/abi.md §12.4 SNP_ID_BLOCK");
