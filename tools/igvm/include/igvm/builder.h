/* SPDX-License-Identifier: MIT */
/*
 * IGVM v1 writer (hosted: uses the heap). Headers are appended in file
 * order; the builder refuses an out-of-order section and fixes up absolute
 * file offsets when the file is finished (docs/abi.md §12.1, §12.5).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igvm/defs.h"

struct igvm_fixup {
	size_t hdr_pos;    /* offset of the u32 file_offset in hdrs */
	uint32_t data_off; /* offset in the data section */
};

struct igvm_builder {
	uint8_t *hdrs;
	size_t hdr_len, hdr_cap;
	uint8_t *data;
	size_t data_len, data_cap;
	struct igvm_fixup *fixups;
	size_t fixup_count, fixup_cap;
	int section; /* highest section so far: 1 platform ... 3 directive */
	bool failed; /* an allocation or ordering error happened */
};

void igvm_builder_init(struct igvm_builder *b);
void igvm_builder_free(struct igvm_builder *b);

/** Append a header whose body is @len bytes (padded to 8). */
bool igvm_builder_add(struct igvm_builder *b, uint32_t type, const void *body,
		      uint32_t len);

void igvm_builder_platform(struct igvm_builder *b, uint32_t mask,
			   uint8_t platform_type, uint8_t highest_vtl,
			   uint64_t shared_gpa_boundary);
void igvm_builder_policy(struct igvm_builder *b, uint32_t mask,
			 uint64_t policy);
void igvm_builder_required(struct igvm_builder *b, uint32_t mask, uint64_t gpa,
			   uint32_t size, uint32_t flags);
void igvm_builder_area(struct igvm_builder *b, uint32_t index, uint64_t size);
void igvm_builder_param(struct igvm_builder *b, uint32_t type, uint32_t index,
			uint32_t byte_offset);
void igvm_builder_insert(struct igvm_builder *b, uint32_t mask, uint64_t gpa,
			 uint32_t index);
/**
 * A PAGE_DATA header. @data (up to 4096 bytes, zero-padded) is stored in the
 * file; NULL makes a zero page (file_offset 0).
 */
void igvm_builder_page(struct igvm_builder *b, uint32_t mask, uint64_t gpa,
		       uint32_t flags, uint16_t data_type, const void *data,
		       size_t len);
/** An SNP VP_CONTEXT: 20-byte body + 4 pad, the 4 KiB VMSA in file data. */
void igvm_builder_vmsa(struct igvm_builder *b, uint32_t mask, uint64_t gpa,
		       uint16_t vp_index, const uint8_t *vmsa_page);
void igvm_builder_id_block(struct igvm_builder *b,
			   const struct igvm_snp_id_block *blk);

/**
 * Finish: returns a malloc'd file in *out (length *out_len), or false if any
 * earlier call failed (out of order, too large, out of memory).
 */
bool igvm_builder_finish(struct igvm_builder *b, uint8_t **out,
			 size_t *out_len);
