/* SPDX-License-Identifier: MIT */
/*
 * IGVM parser: validates a whole file up front (the checks of the reference
 * parser, microsoft/igvm `igvm/src/lib.rs`, summarised in docs/abi.md §12.6,
 * plus overlap and reserved-field checks), then iterates over it.
 *
 * Freestanding rules: no heap, no libc. Every multi-byte field is decoded from
 * bytes, so neither alignment nor host byte order matters.
 */
#include "igvm/parse.h"

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | ((uint64_t)le32(p + 4) << 32);
}

static void zero_bytes(void *dst, size_t n)
{
	uint8_t *d = dst;

	for (size_t i = 0; i < n; i++) {
		d[i] = 0;
	}
}

static void copy_bytes(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		dst[i] = src[i];
	}
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != 0) {
			return false;
		}
	}
	return true;
}

static bool page_aligned(uint64_t v)
{
	return (v & (IGVM_PAGE_SIZE - 1)) == 0;
}

/* Exact body length of each type we model; 0 = not modelled. */
static uint32_t body_len(uint32_t type)
{
	switch (type) {
	case IGVM_VHT_SUPPORTED_PLATFORM:
		return sizeof(struct igvm_supported_platform);
	case IGVM_VHT_GUEST_POLICY:
		return sizeof(struct igvm_guest_policy);
	case IGVM_VHT_PARAMETER_AREA:
		return sizeof(struct igvm_parameter_area);
	case IGVM_VHT_PAGE_DATA:
		return sizeof(struct igvm_page_data);
	case IGVM_VHT_PARAMETER_INSERT:
		return sizeof(struct igvm_parameter_insert);
	case IGVM_VHT_VP_CONTEXT:
		return IGVM_VP_CONTEXT_BODY_LEN;
	case IGVM_VHT_REQUIRED_MEMORY:
		return sizeof(struct igvm_required_memory);
	case IGVM_VHT_SNP_ID_BLOCK:
		return sizeof(struct igvm_snp_id_block);
	case IGVM_VHT_VP_COUNT_PARAMETER:
	case IGVM_VHT_SRAT:
	case IGVM_VHT_MADT:
	case IGVM_VHT_MEMORY_MAP:
	case IGVM_VHT_COMMAND_LINE:
	case IGVM_VHT_SLIT:
	case IGVM_VHT_PPTT:
	case IGVM_VHT_DEVICE_TREE:
	case IGVM_VHT_ENVIRONMENT_INFO_PARAMETER:
		return sizeof(struct igvm_parameter);
	default:
		return 0;
	}
}

static bool is_parameter_usage(uint32_t type)
{
	return body_len(type) == sizeof(struct igvm_parameter);
}

/* 1 platform, 2 initialization, 3 directive, 0 outside every range. */
static int section_of(uint32_t type)
{
	if (type >= IGVM_VHT_RANGE_PLATFORM_START &&
	    type <= IGVM_VHT_RANGE_PLATFORM_END) {
		return 1;
	}
	if (type >= IGVM_VHT_RANGE_INIT_START &&
	    type <= IGVM_VHT_RANGE_INIT_END) {
		return 2;
	}
	if (type >= IGVM_VHT_RANGE_DIRECTIVE_START &&
	    type <= IGVM_VHT_RANGE_DIRECTIVE_END) {
		return 3;
	}
	return 0;
}

static void decode(const uint8_t *b, uint32_t type, struct igvm_header *h)
{
	zero_bytes(&h->u, sizeof(h->u));
	switch (type) {
	case IGVM_VHT_SUPPORTED_PLATFORM:
		h->u.platform.compatibility_mask = le32(b);
		h->u.platform.highest_vtl = b[4];
		h->u.platform.platform_type = b[5];
		h->u.platform.platform_version = le16(b + 6);
		h->u.platform.shared_gpa_boundary = le64(b + 8);
		break;
	case IGVM_VHT_GUEST_POLICY:
		h->u.policy.policy = le64(b);
		h->u.policy.compatibility_mask = le32(b + 8);
		h->u.policy.reserved = le32(b + 12);
		break;
	case IGVM_VHT_PARAMETER_AREA:
		h->u.area.number_of_bytes = le64(b);
		h->u.area.parameter_area_index = le32(b + 8);
		h->u.area.file_offset = le32(b + 12);
		break;
	case IGVM_VHT_PAGE_DATA:
		h->u.page.gpa = le64(b);
		h->u.page.compatibility_mask = le32(b + 8);
		h->u.page.file_offset = le32(b + 12);
		h->u.page.flags = le32(b + 16);
		h->u.page.data_type = le16(b + 20);
		h->u.page.reserved = le16(b + 22);
		break;
	case IGVM_VHT_PARAMETER_INSERT:
		h->u.insert.gpa = le64(b);
		h->u.insert.compatibility_mask = le32(b + 8);
		h->u.insert.parameter_area_index = le32(b + 12);
		break;
	case IGVM_VHT_VP_CONTEXT:
		h->u.vp.gpa = le64(b);
		h->u.vp.compatibility_mask = le32(b + 8);
		h->u.vp.file_offset = le32(b + 12);
		h->u.vp.vp_index = le16(b + 16);
		h->u.vp.reserved = le16(b + 18);
		break;
	case IGVM_VHT_REQUIRED_MEMORY:
		h->u.required.gpa = le64(b);
		h->u.required.compatibility_mask = le32(b + 8);
		h->u.required.number_of_bytes = le32(b + 12);
		h->u.required.flags = le32(b + 16);
		h->u.required.reserved = le32(b + 20);
		break;
	case IGVM_VHT_SNP_ID_BLOCK:
		/* Byte arrays plus u32s; on-disk and struct layouts agree. */
		copy_bytes((uint8_t *)&h->u.id_block, b,
			   sizeof(struct igvm_snp_id_block));
		h->u.id_block.compatibility_mask = le32(b);
		h->u.id_block.version = le32(b + 88);
		h->u.id_block.guest_svn = le32(b + 92);
		h->u.id_block.id_key_algorithm = le32(b + 96);
		h->u.id_block.author_key_algorithm = le32(b + 100);
		h->u.id_block.id_public_key.curve = le32(b + 248);
		h->u.id_block.id_public_key.reserved = le32(b + 252);
		h->u.id_block.author_public_key.curve = le32(b + 544);
		h->u.id_block.author_public_key.reserved = le32(b + 548);
		break;
	default:
		if (is_parameter_usage(type)) {
			h->u.param.parameter_area_index = le32(b);
			h->u.param.byte_offset = le32(b + 4);
		}
		break;
	}
}

uint32_t igvm_header_mask(const struct igvm_header *h)
{
	switch (h->type) {
	case IGVM_VHT_SUPPORTED_PLATFORM:
		return h->u.platform.compatibility_mask;
	case IGVM_VHT_GUEST_POLICY:
		return h->u.policy.compatibility_mask;
	case IGVM_VHT_PAGE_DATA:
		return h->u.page.compatibility_mask;
	case IGVM_VHT_PARAMETER_INSERT:
		return h->u.insert.compatibility_mask;
	case IGVM_VHT_VP_CONTEXT:
		return h->u.vp.compatibility_mask;
	case IGVM_VHT_REQUIRED_MEMORY:
		return h->u.required.compatibility_mask;
	case IGVM_VHT_SNP_ID_BLOCK:
		return h->u.id_block.compatibility_mask;
	default:
		return 0;
	}
}

/* Data of @size bytes at @off must lie wholly in the file data section. */
static bool data_in_file(const struct igvm_file *f, uint64_t off, uint64_t size)
{
	return off >= f->hdr_end && off <= f->len && size <= f->len - off;
}

static struct igvm_param_state *find_area(struct igvm_file *f, uint32_t idx)
{
	for (uint32_t i = 0; i < f->area_count; i++) {
		if (f->areas[i].index == idx) {
			return &f->areas[i];
		}
	}
	return 0;
}

/*
 * Claim [gpa, gpa + size) for the platforms in @mask. Ranges are kept per
 * mask and extended in place when a page follows the previous one, so a
 * GPA-sorted image uses a handful of entries.
 */
static enum igvm_err claim_range(struct igvm_file *f, uint64_t gpa,
				 uint64_t size, uint32_t mask)
{
	uint64_t end = gpa + size;

	if (end < gpa) {
		return IGVM_E_OVERLAP; /* wraps around the address space */
	}
	for (uint32_t i = 0; i < f->range_count; i++) {
		struct igvm_range *r = &f->ranges[i];

		if ((r->mask & mask) && gpa < r->end && r->start < end) {
			return IGVM_E_OVERLAP;
		}
	}
	for (uint32_t i = f->range_count; i-- > 0;) {
		struct igvm_range *r = &f->ranges[i];

		if (r->mask == mask && r->end == gpa) {
			r->end = end;
			return IGVM_OK;
		}
	}
	if (f->range_count == IGVM_MAX_RANGES) {
		return IGVM_E_TOO_FRAGMENTED;
	}
	f->ranges[f->range_count].start = gpa;
	f->ranges[f->range_count].end = end;
	f->ranges[f->range_count].mask = mask;
	f->range_count++;
	return IGVM_OK;
}

static uint32_t declared_mask(const struct igvm_file *f)
{
	uint32_t m = 0;

	for (uint32_t i = 0; i < f->platform_count; i++) {
		m |= f->platforms[i].compatibility_mask;
	}
	return m;
}

static enum igvm_err check_platform(struct igvm_file *f,
				    const struct igvm_supported_platform *p)
{
	uint32_t m = p->compatibility_mask;

	/* docs/abi.md §12.4: exactly one mask bit, VTL 0 or 2, version 1. */
	if (m == 0 || (m & (m - 1)) != 0 ||
	    (p->highest_vtl != 0 && p->highest_vtl != 2) ||
	    p->platform_type > IGVM_PLATFORM_TYPE_MAX ||
	    p->platform_version != 1) {
		return IGVM_E_PLATFORM;
	}
	if ((p->platform_type == IGVM_PLATFORM_NATIVE ||
	     p->platform_type == IGVM_PLATFORM_VSM_ISOLATION) &&
	    p->shared_gpa_boundary != 0) {
		return IGVM_E_PLATFORM;
	}
	for (uint32_t i = 0; i < f->platform_count; i++) {
		if (f->platforms[i].platform_type == p->platform_type ||
		    (f->platforms[i].compatibility_mask & m)) {
			return IGVM_E_DUPLICATE_PLATFORM;
		}
	}
	if (f->platform_count == IGVM_MAX_PLATFORMS) {
		return IGVM_E_DUPLICATE_PLATFORM; /* > 7 types is impossible */
	}
	f->platforms[f->platform_count++] = *p;
	return IGVM_OK;
}

static enum igvm_err check_page(struct igvm_file *f,
				const struct igvm_page_data *p)
{
	if (!page_aligned(p->gpa)) {
		return IGVM_E_ALIGN;
	}
	/* 2 MiB and shared pages are not supported by QEMU (docs/abi.md §12.4).
	 */
	if (p->flags & ~IGVM_PAGE_FLAG_UNMEASURED) {
		return IGVM_E_PAGE_FLAGS;
	}
	if (p->data_type > IGVM_PAGE_DATA_CPUID_XF) {
		return IGVM_E_DATA_TYPE;
	}
	if (p->reserved != 0) {
		return IGVM_E_RESERVED;
	}
	if (p->file_offset != 0 &&
	    !data_in_file(f, p->file_offset, IGVM_PAGE_SIZE)) {
		return IGVM_E_FILE_OFFSET;
	}
	return claim_range(f, p->gpa, IGVM_PAGE_SIZE, p->compatibility_mask);
}

static enum igvm_err check_area(struct igvm_file *f,
				const struct igvm_parameter_area *a)
{
	uint64_t size = a->number_of_bytes;

	if (size == 0 || !page_aligned(size) || size > UINT32_MAX) {
		return IGVM_E_PARAM_SIZE;
	}
	if (find_area(f, a->parameter_area_index)) {
		return IGVM_E_PARAM_DUPLICATE;
	}
	if (a->file_offset != 0 && !data_in_file(f, a->file_offset, size)) {
		return IGVM_E_FILE_OFFSET;
	}
	if (f->area_count == IGVM_MAX_PARAM_AREAS) {
		return IGVM_E_TOO_MANY_AREAS;
	}
	f->areas[f->area_count].index = a->parameter_area_index;
	f->areas[f->area_count].size = size;
	f->areas[f->area_count].flags = 0;
	f->area_count++;
	return IGVM_OK;
}

/* Bytes the loader writes at byte_offset for each usage (docs/abi.md §12.4). */
static uint64_t usage_size(uint32_t type)
{
	switch (type) {
	case IGVM_VHT_VP_COUNT_PARAMETER:
	case IGVM_VHT_ENVIRONMENT_INFO_PARAMETER:
		return 4;
	case IGVM_VHT_MEMORY_MAP:
		return sizeof(struct igvm_memory_map_entry);
	default:
		return 1;
	}
}

static enum igvm_err check_usage(struct igvm_file *f, uint32_t type,
				 const struct igvm_parameter *p)
{
	struct igvm_param_state *a = find_area(f, p->parameter_area_index);

	/* Declared before use and not yet inserted (docs/abi.md §12.6). */
	if (!a) {
		return IGVM_E_PARAM_UNDECLARED;
	}
	if (a->flags & IGVM_PARAM_INSERTED) {
		return IGVM_E_PARAM_INSERTED;
	}
	if (p->byte_offset > a->size ||
	    usage_size(type) > a->size - p->byte_offset) {
		return IGVM_E_PARAM_OFFSET;
	}
	return IGVM_OK;
}

static enum igvm_err check_insert(struct igvm_file *f,
				  const struct igvm_parameter_insert *in)
{
	struct igvm_param_state *a = find_area(f, in->parameter_area_index);

	if (!page_aligned(in->gpa)) {
		return IGVM_E_ALIGN;
	}
	if (!a) {
		return IGVM_E_PARAM_UNDECLARED;
	}
	if (a->flags & IGVM_PARAM_INSERTED) {
		return IGVM_E_PARAM_INSERTED; /* inserted once (§1.4) */
	}
	a->flags |= IGVM_PARAM_INSERTED;
	return claim_range(f, in->gpa, a->size, in->compatibility_mask);
}

static enum igvm_err check_vp(struct igvm_file *f,
			      const struct igvm_vp_context *vp,
			      const uint8_t *body)
{
	if (vp->reserved != 0) {
		return IGVM_E_RESERVED;
	}
	/* The 4 pad bytes after the 20-byte body must be zero (§1.4). */
	if (!all_zero(body + IGVM_VP_CONTEXT_BODY_LEN, 4)) {
		return IGVM_E_PADDING;
	}
	if (!page_aligned(vp->gpa)) {
		return IGVM_E_ALIGN;
	}
	if (vp->file_offset == 0 ||
	    !data_in_file(f, vp->file_offset, IGVM_PAGE_SIZE)) {
		return IGVM_E_FILE_OFFSET;
	}
	return claim_range(f, vp->gpa, IGVM_PAGE_SIZE, vp->compatibility_mask);
}

static enum igvm_err check_body(struct igvm_file *f, struct igvm_header *h)
{
	uint32_t mask = igvm_header_mask(h);

	/* Non-platform masks must name declared platforms only (§1.1). */
	if (h->type != IGVM_VHT_SUPPORTED_PLATFORM &&
	    !is_parameter_usage(h->type) &&
	    h->type != IGVM_VHT_PARAMETER_AREA &&
	    (mask == 0 || (mask & ~declared_mask(f)) != 0)) {
		return IGVM_E_MASK;
	}
	switch (h->type) {
	case IGVM_VHT_SUPPORTED_PLATFORM:
		return check_platform(f, &h->u.platform);
	case IGVM_VHT_GUEST_POLICY:
		return h->u.policy.reserved ? IGVM_E_RESERVED : IGVM_OK;
	case IGVM_VHT_PAGE_DATA:
		return check_page(f, &h->u.page);
	case IGVM_VHT_PARAMETER_AREA:
		return check_area(f, &h->u.area);
	case IGVM_VHT_PARAMETER_INSERT:
		return check_insert(f, &h->u.insert);
	case IGVM_VHT_VP_CONTEXT:
		return check_vp(f, &h->u.vp, h->body);
	case IGVM_VHT_REQUIRED_MEMORY:
		if (h->u.required.reserved != 0) {
			return IGVM_E_RESERVED;
		}
		if (h->u.required.flags &
		    ~IGVM_REQUIRED_MEMORY_VTL2_PROTECTABLE) {
			return IGVM_E_RESERVED;
		}
		if (!page_aligned(h->u.required.gpa) ||
		    !page_aligned(h->u.required.number_of_bytes) ||
		    h->u.required.number_of_bytes == 0) {
			return IGVM_E_ALIGN;
		}
		return IGVM_OK;
	case IGVM_VHT_SNP_ID_BLOCK:
		if (!all_zero(h->u.id_block.reserved, 3) ||
		    h->u.id_block.id_public_key.reserved != 0 ||
		    h->u.id_block.author_public_key.reserved != 0) {
			return IGVM_E_RESERVED;
		}
		return h->u.id_block.author_key_enabled > 1 ? IGVM_E_ID_BLOCK
							    : IGVM_OK;
	default:
		return check_usage(f, h->type, &h->u.param);
	}
}

/* Decode the TLV at @off (already bounds-checked) into @h. */
static void read_tlv(const struct igvm_file *f, size_t off,
		     struct igvm_header *h)
{
	h->offset = off;
	h->type = le32(f->data + off);
	h->length = le32(f->data + off + 4);
	h->body = f->data + off + sizeof(struct igvm_var_header);
	decode(h->body, h->type, h);
}

static size_t next_tlv(size_t off, uint32_t length)
{
	size_t end = off + sizeof(struct igvm_var_header) + length;

	return (end + IGVM_HEADER_ALIGN - 1) & ~(size_t)(IGVM_HEADER_ALIGN - 1);
}

static enum igvm_err check_fixed(struct igvm_file *f)
{
	const uint8_t *d = f->data;
	uint32_t fixed = IGVM_FIXED_HEADER_V1_SIZE;
	uint32_t off, size;

	if (f->len < IGVM_FIXED_HEADER_V1_SIZE) {
		return IGVM_E_TRUNCATED;
	}
	if (le32(d) != IGVM_MAGIC) {
		return IGVM_E_MAGIC;
	}
	f->version = le32(d + 4);
	if (f->version == IGVM_FORMAT_V2) {
		fixed = IGVM_FIXED_HEADER_V2_SIZE;
		if (f->len < fixed) {
			return IGVM_E_TRUNCATED;
		}
		/* v2: x64 only, 4 KiB pages only (docs/abi.md §12.2). */
		if (le32(d + 24) != 0 || le32(d + 28) != IGVM_PAGE_SIZE) {
			return IGVM_E_V2_FIELDS;
		}
	} else if (f->version != IGVM_FORMAT_V1) {
		return IGVM_E_VERSION;
	}
	if (le32(d + 16) != f->len) {
		return IGVM_E_TOTAL_SIZE;
	}
	off = le32(d + 8);
	size = le32(d + 12);
	/*
	 * The serializer puts headers right after the fixed header; a gap
	 * would be outside the checksum, so we refuse it (docs/abi.md §12.2).
	 */
	if (off != fixed || size > f->len - off || size == 0) {
		return IGVM_E_HEADER_OFFSET;
	}
	f->hdr_off = off;
	f->hdr_end = off + size;
	if (le32(d + 20) != igvm_file_checksum(d, off, off + size)) {
		return IGVM_E_CHECKSUM;
	}
	/* The reference parser refuses an empty data section (§1.5). */
	if (f->hdr_end >= f->len) {
		return IGVM_E_NO_FILE_DATA;
	}
	return IGVM_OK;
}

static enum igvm_err walk_headers(struct igvm_file *f)
{
	int section = 1;
	size_t off = f->hdr_off;

	while (off < f->hdr_end) {
		struct igvm_header h;
		uint32_t want;
		size_t next;
		int sec;
		enum igvm_err err;

		f->err_offset = off;
		if (f->hdr_end - off < sizeof(struct igvm_var_header)) {
			return IGVM_E_HEADER_TRUNCATED;
		}
		h.type = le32(f->data + off);
		h.length = le32(f->data + off + 4);
		sec = section_of(h.type);
		if (sec == 0) {
			return IGVM_E_UNKNOWN_TYPE;
		}
		if (sec < section) {
			return IGVM_E_SECTION_ORDER;
		}
		section = sec;
		want = body_len(h.type);
		if (want == 0) {
			return IGVM_E_UNSUPPORTED_TYPE;
		}
		if (h.length != want) {
			return IGVM_E_LENGTH;
		}
		next = next_tlv(off, h.length);
		if (next > f->hdr_end) {
			return IGVM_E_HEADER_TRUNCATED;
		}
		read_tlv(f, off, &h);
		if (h.type != IGVM_VHT_VP_CONTEXT &&
		    !all_zero(h.body + h.length,
			      next - off - sizeof(struct igvm_var_header) -
				      h.length)) {
			return IGVM_E_PADDING;
		}
		err = check_body(f, &h);
		if (err != IGVM_OK) {
			return err;
		}
		f->header_count++;
		off = next;
	}
	if (f->platform_count == 0) {
		f->err_offset = f->hdr_off;
		return IGVM_E_NO_PLATFORM;
	}
	return IGVM_OK;
}

enum igvm_err igvm_parse(const uint8_t *file, size_t len, struct igvm_file *out)
{
	enum igvm_err err;

	zero_bytes(out, sizeof(*out));
	out->data = file;
	out->len = len;
	if (!file || len > UINT32_MAX) {
		return IGVM_E_TOTAL_SIZE;
	}
	err = check_fixed(out);
	if (err != IGVM_OK) {
		return err;
	}
	return walk_headers(out);
}

void igvm_iter_init(struct igvm_iter *it, const struct igvm_file *file,
		    uint32_t mask)
{
	it->file = file;
	it->off = file->hdr_off;
	it->mask = mask;
}

bool igvm_iter_next(struct igvm_iter *it, struct igvm_header *out)
{
	while (it->off < it->file->hdr_end) {
		read_tlv(it->file, it->off, out);
		it->off = next_tlv(it->off, out->length);
		/* Headers without a mask apply to every platform. */
		if (it->mask == 0 || igvm_header_mask(out) == 0 ||
		    (igvm_header_mask(out) & it->mask)) {
			return true;
		}
	}
	return false;
}

uint32_t igvm_platform_mask(const struct igvm_file *file, uint8_t type)
{
	for (uint32_t i = 0; i < file->platform_count; i++) {
		if (file->platforms[i].platform_type == type) {
			return file->platforms[i].compatibility_mask;
		}
	}
	return 0;
}

uint64_t igvm_area_size(const struct igvm_file *file, uint32_t index)
{
	for (uint32_t i = 0; i < file->area_count; i++) {
		if (file->areas[i].index == index) {
			return file->areas[i].size;
		}
	}
	return 0;
}

const uint8_t *igvm_file_page(const struct igvm_file *file,
			      uint32_t file_offset)
{
	if (file_offset == 0 ||
	    !data_in_file(file, file_offset, IGVM_PAGE_SIZE)) {
		return 0;
	}
	return file->data + file_offset;
}
