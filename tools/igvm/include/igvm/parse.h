/* SPDX-License-Identifier: MIT */
/*
 * IGVM v1/v2 parser. Freestanding: no heap and no libc (it decodes bytes by
 * hand), so snpemu can link it to load svsm.igvm and the host tools can share
 * it. igvm_parse() validates the whole file up front; after it succeeds the
 * iterator cannot fail and every header it returns is well formed.
 *
 * The input is hostile: every field is range-checked, nothing is trusted and
 * nothing is read outside [file, file + len).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igvm/defs.h"

enum igvm_err {
	IGVM_OK = 0,
	IGVM_E_TRUNCATED,        /* shorter than the fixed header */
	IGVM_E_MAGIC,            /* not "IGVM" */
	IGVM_E_VERSION,          /* format_version not 1 or 2 */
	IGVM_E_V2_FIELDS,        /* v2 architecture/page_size unsupported */
	IGVM_E_HEADER_OFFSET,    /* variable header offset/size out of range */
	IGVM_E_TOTAL_SIZE,       /* total_file_size != file length */
	IGVM_E_CHECKSUM,         /* CRC-32 mismatch */
	IGVM_E_NO_FILE_DATA,     /* empty file data section */
	IGVM_E_HEADER_TRUNCATED, /* a TLV runs past the header section */
	IGVM_E_PADDING,          /* non-zero padding between TLVs */
	IGVM_E_UNKNOWN_TYPE,     /* type in no known range (incl. bit 31) */
	IGVM_E_UNSUPPORTED_TYPE, /* known type this parser does not model */
	IGVM_E_SECTION_ORDER,    /* platform -> init -> directive violated */
	IGVM_E_LENGTH,           /* body length differs from the type's */
	IGVM_E_RESERVED,         /* a reserved field is non-zero */
	IGVM_E_PLATFORM,         /* bad SUPPORTED_PLATFORM contents */
	IGVM_E_DUPLICATE_PLATFORM, /* platform type or mask bit reused */
	IGVM_E_NO_PLATFORM,        /* no SUPPORTED_PLATFORM header */
	IGVM_E_MASK,               /* mask zero or names no declared platform */
	IGVM_E_ALIGN,              /* GPA or size not 4 KiB aligned */
	IGVM_E_PAGE_FLAGS,         /* unknown or unsupported page flags */
	IGVM_E_DATA_TYPE,          /* page data_type > 3 */
	IGVM_E_FILE_OFFSET,        /* data not inside the file data section */
	IGVM_E_OVERLAP,            /* two pages/areas/VMSAs share a GPA */
	IGVM_E_TOO_FRAGMENTED,     /* more disjoint ranges than we track */
	IGVM_E_PARAM_SIZE,         /* area size zero or not a 4 KiB multiple */
	IGVM_E_PARAM_DUPLICATE,    /* area index declared twice */
	IGVM_E_PARAM_UNDECLARED,   /* area used before it was declared */
	IGVM_E_PARAM_INSERTED,     /* area used or inserted after insertion */
	IGVM_E_PARAM_OFFSET,       /* parameter offset outside its area */
	IGVM_E_TOO_MANY_AREAS,     /* more parameter areas than we track */
	IGVM_E_ID_BLOCK,           /* bad SNP_ID_BLOCK contents */
	IGVM_E_NO_SNP,             /* (measure) no SEV-SNP platform */
	IGVM_E_VMSA,               /* (measure) VMSA layout unusable */
	IGVM_E_ARG,                /* (measure) bad argument */
	IGVM_E_QEMU_TYPE,          /* (kvm) header type QEMU does not know */
	IGVM_E_QEMU_MEMMAP,        /* (kvm) MEMORY_MAP byte_offset not 0 */
	IGVM_E_VMSA_FIELD,         /* (kvm) VMSA field QEMU does not pass on */
	IGVM_E_SEV_FEATURES,       /* (kvm) sev_features KVM does not take */
	IGVM_E_QEMU_MEMORY,        /* (kvm) a range straddles the RAM's end */
	IGVM_E_COUNT
};

/** A human-readable description of @err (never NULL). */
const char *igvm_strerror(enum igvm_err err);

#define IGVM_MAX_PARAM_AREAS 32u
#define IGVM_MAX_RANGES 256u
#define IGVM_MAX_PLATFORMS 8u

struct igvm_param_state {
	uint32_t index;
	uint32_t flags; /* IGVM_PARAM_* */
	uint64_t size;
};
#define IGVM_PARAM_INSERTED 0x1u

struct igvm_range {
	uint64_t start, end; /* [start, end) */
	uint32_t mask;
};

struct igvm_file {
	const uint8_t *data;
	size_t len;
	uint32_t version;
	uint32_t hdr_off; /* first variable header */
	uint32_t hdr_end; /* end of variable headers = start of file data */
	uint32_t header_count;
	uint32_t platform_count;
	struct igvm_supported_platform platforms[IGVM_MAX_PLATFORMS];
	/* Where the first error was found (file offset of its header). */
	size_t err_offset;
	/* Scratch used by igvm_parse(); kept here so the parser needs no heap.
	 */
	uint32_t area_count;
	struct igvm_param_state areas[IGVM_MAX_PARAM_AREAS];
	uint32_t range_count;
	struct igvm_range ranges[IGVM_MAX_RANGES];
};

/** One decoded variable header. */
struct igvm_header {
	uint32_t type;
	uint32_t length;
	size_t offset;       /* file offset of the TLV */
	const uint8_t *body; /* points into the file; length bytes */
	union {
		struct igvm_supported_platform platform;
		struct igvm_guest_policy policy;
		struct igvm_page_data page;
		struct igvm_parameter_area area;
		struct igvm_parameter param;
		struct igvm_parameter_insert insert;
		struct igvm_vp_context vp;
		struct igvm_required_memory required;
		struct igvm_snp_id_block id_block;
	} u;
};

/**
 * Validate @file (length @len) completely and fill @out. On failure returns
 * the first error and sets out->err_offset to the offending header (or field)
 * offset. The file must stay alive while @out is used.
 */
enum igvm_err igvm_parse(const uint8_t *file, size_t len,
			 struct igvm_file *out);

struct igvm_iter {
	const struct igvm_file *file;
	size_t off;
	uint32_t mask; /* 0 = every header */
};

/** Iterate over headers whose compatibility mask intersects @mask. */
void igvm_iter_init(struct igvm_iter *it, const struct igvm_file *file,
		    uint32_t mask);
/** Next header, or false at the end. Only valid on a parsed file. */
bool igvm_iter_next(struct igvm_iter *it, struct igvm_header *out);

/**
 * The compatibility mask of a header (platform headers: their own bit;
 * parameter usages and areas carry none: 0, meaning "all").
 */
uint32_t igvm_header_mask(const struct igvm_header *h);

/** Mask bit of the platform of @type, or 0 if the file has none. */
uint32_t igvm_platform_mask(const struct igvm_file *file, uint8_t type);

/** Size of parameter area @index of a parsed file, or 0 if undeclared. */
uint64_t igvm_area_size(const struct igvm_file *file, uint32_t index);

/** Pointer to the 4 KiB page at @file_offset (0 -> NULL: a zero page). */
const uint8_t *igvm_file_page(const struct igvm_file *file,
			      uint32_t file_offset);

/** CRC-32 (IEEE, reflected; zlib crc32) continuing from @crc (start 0). */
uint32_t igvm_crc32(uint32_t crc, const uint8_t *buf, size_t len);

/** The checksum a file should carry (fixed header with checksum = 0). */
uint32_t igvm_file_checksum(const uint8_t *file, uint32_t hdr_off,
			    uint32_t hdr_end);

/** Name of a header type ("PAGE_DATA") or "UNKNOWN". */
const char *igvm_type_name(uint32_t type);
