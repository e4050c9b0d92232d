/* SPDX-License-Identifier: MIT */
/*
 * IGVM v1 writer. It mirrors the reference serializer (docs/abi.md §12.1-12.5):
 * 24-byte fixed header, TLVs padded to 8 bytes, then the file data that the
 * headers point at by absolute offset. It does not deduplicate data.
 */
#include "igvm/builder.h"

#include <stdlib.h>
#include <string.h>

#include "igvm/parse.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "the builder copies structs as little-endian IGVM bytes");

static bool grow(uint8_t **buf, size_t *cap, size_t need)
{
	size_t ncap = *cap ? *cap : 4096;
	uint8_t *n;

	if (need <= *cap) {
		return true;
	}
	while (ncap < need) {
		ncap *= 2;
	}
	n = realloc(*buf, ncap);
	if (!n) {
		return false;
	}
	*buf = n;
	*cap = ncap;
	return true;
}

void igvm_builder_init(struct igvm_builder *b)
{
	memset(b, 0, sizeof(*b));
	b->section = 1;
}

void igvm_builder_free(struct igvm_builder *b)
{
	free(b->hdrs);
	free(b->data);
	free(b->fixups);
	memset(b, 0, sizeof(*b));
}

static int section_of(uint32_t type)
{
	if (type <= IGVM_VHT_RANGE_PLATFORM_END) {
		return 1;
	}
	return type <= IGVM_VHT_RANGE_INIT_END ? 2 : 3;
}

bool igvm_builder_add(struct igvm_builder *b, uint32_t type, const void *body,
		      uint32_t len)
{
	size_t padded = (sizeof(struct igvm_var_header) + len + 7) & ~(size_t)7;
	struct igvm_var_header vh = {type, len};

	if (b->failed || section_of(type) < b->section ||
	    !grow(&b->hdrs, &b->hdr_cap, b->hdr_len + padded)) {
		b->failed = true;
		return false;
	}
	b->section = section_of(type);
	memset(b->hdrs + b->hdr_len, 0, padded);
	memcpy(b->hdrs + b->hdr_len, &vh, sizeof(vh));
	memcpy(b->hdrs + b->hdr_len + sizeof(vh), body, len);
	b->hdr_len += padded;
	return true;
}

/* Store @len bytes (zero-padded to @size) in file data; fix up @field_pos. */
static void add_data(struct igvm_builder *b, size_t field_pos, const void *data,
		     size_t len, size_t size)
{
	struct igvm_fixup *fx;

	if (b->failed) {
		return;
	}
	if (len > size || !grow(&b->data, &b->data_cap, b->data_len + size)) {
		b->failed = true;
		return;
	}
	if (b->fixup_count == b->fixup_cap) {
		size_t ncap = b->fixup_cap ? b->fixup_cap * 2 : 64;

		fx = realloc(b->fixups, ncap * sizeof(*fx));
		if (!fx) {
			b->failed = true;
			return;
		}
		b->fixups = fx;
		b->fixup_cap = ncap;
	}
	memset(b->data + b->data_len, 0, size);
	memcpy(b->data + b->data_len, data, len);
	b->fixups[b->fixup_count].hdr_pos = field_pos;
	b->fixups[b->fixup_count].data_off = (uint32_t)b->data_len;
	b->fixup_count++;
	b->data_len += size;
}

void igvm_builder_platform(struct igvm_builder *b, uint32_t mask,
			   uint8_t platform_type, uint8_t highest_vtl,
			   uint64_t shared_gpa_boundary)
{
	struct igvm_supported_platform p = {mask, highest_vtl, platform_type, 1,
					    shared_gpa_boundary};

	igvm_builder_add(b, IGVM_VHT_SUPPORTED_PLATFORM, &p, sizeof(p));
}

void igvm_builder_policy(struct igvm_builder *b, uint32_t mask, uint64_t policy)
{
	struct igvm_guest_policy p = {policy, mask, 0};

	igvm_builder_add(b, IGVM_VHT_GUEST_POLICY, &p, sizeof(p));
}

void igvm_builder_required(struct igvm_builder *b, uint32_t mask, uint64_t gpa,
			   uint32_t size, uint32_t flags)
{
	struct igvm_required_memory r = {gpa, mask, size, flags, 0};

	igvm_builder_add(b, IGVM_VHT_REQUIRED_MEMORY, &r, sizeof(r));
}

void igvm_builder_area(struct igvm_builder *b, uint32_t index, uint64_t size)
{
	/* file_offset 0: QEMU starts every area from zeros anyway (§1.4). */
	struct igvm_parameter_area a = {size, index, 0};

	igvm_builder_add(b, IGVM_VHT_PARAMETER_AREA, &a, sizeof(a));
}

void igvm_builder_param(struct igvm_builder *b, uint32_t type, uint32_t index,
			uint32_t byte_offset)
{
	struct igvm_parameter p = {index, byte_offset};

	igvm_builder_add(b, type, &p, sizeof(p));
}

void igvm_builder_insert(struct igvm_builder *b, uint32_t mask, uint64_t gpa,
			 uint32_t index)
{
	struct igvm_parameter_insert in = {gpa, mask, index};

	igvm_builder_add(b, IGVM_VHT_PARAMETER_INSERT, &in, sizeof(in));
}

void igvm_builder_page(struct igvm_builder *b, uint32_t mask, uint64_t gpa,
		       uint32_t flags, uint16_t data_type, const void *data,
		       size_t len)
{
	struct igvm_page_data p = {gpa, mask, 0, flags, data_type, 0};
	size_t pos = b->hdr_len + sizeof(struct igvm_var_header) +
		     offsetof(struct igvm_page_data, file_offset);

	if (!igvm_builder_add(b, IGVM_VHT_PAGE_DATA, &p, sizeof(p))) {
		return;
	}
	if (data) {
		add_data(b, pos, data, len, IGVM_PAGE_SIZE);
	}
}

void igvm_builder_vmsa(struct igvm_builder *b, uint32_t mask, uint64_t gpa,
		       uint16_t vp_index, const uint8_t *vmsa_page)
{
	struct igvm_vp_context vp = {gpa, mask, 0, vp_index, 0, 0};
	size_t pos = b->hdr_len + sizeof(struct igvm_var_header) +
		     offsetof(struct igvm_vp_context, file_offset);

	/* Length 20, not sizeof(vp): see struct igvm_vp_context. */
	if (igvm_builder_add(b, IGVM_VHT_VP_CONTEXT, &vp,
			     IGVM_VP_CONTEXT_BODY_LEN)) {
		add_data(b, pos, vmsa_page, IGVM_PAGE_SIZE, IGVM_PAGE_SIZE);
	}
}

void igvm_builder_id_block(struct igvm_builder *b,
			   const struct igvm_snp_id_block *blk)
{
	igvm_builder_add(b, IGVM_VHT_SNP_ID_BLOCK, blk, sizeof(*blk));
}

bool igvm_builder_finish(struct igvm_builder *b, uint8_t **out, size_t *out_len)
{
	size_t hdr_off = IGVM_FIXED_HEADER_V1_SIZE;
	size_t data_start = hdr_off + b->hdr_len;
	size_t total = data_start + b->data_len;
	struct igvm_fixed_header fh;
	uint8_t *file;

	*out = NULL;
	*out_len = 0;
	/* total_file_size and file offsets are u32 (docs/abi.md §12.5). */
	if (b->failed || total > UINT32_MAX) {
		return false;
	}
	for (size_t i = 0; i < b->fixup_count; i++) {
		uint32_t abs = (uint32_t)(data_start + b->fixups[i].data_off);

		memcpy(b->hdrs + b->fixups[i].hdr_pos, &abs, sizeof(abs));
	}
	file = malloc(total ? total : 1);
	if (!file) {
		return false;
	}
	fh.magic = IGVM_MAGIC;
	fh.format_version = IGVM_FORMAT_V1;
	fh.variable_header_offset = (uint32_t)hdr_off;
	fh.variable_header_size = (uint32_t)b->hdr_len;
	fh.total_file_size = (uint32_t)total;
	fh.checksum = 0;
	memcpy(file, &fh, sizeof(fh));
	if (b->hdr_len) {
		memcpy(file + hdr_off, b->hdrs, b->hdr_len);
	}
	if (b->data_len) {
		memcpy(file + data_start, b->data, b->data_len);
	}
	fh.checksum = igvm_file_checksum(file, (uint32_t)hdr_off,
					 (uint32_t)data_start);
	memcpy(file + IGVM_FIXED_HEADER_CHECKSUM_OFFSET, &fh.checksum, 4);
	*out = file;
	*out_len = total;
	return true;
}
