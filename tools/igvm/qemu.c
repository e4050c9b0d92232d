/* SPDX-License-Identifier: MIT */
/*
 * QEMU/KVM acceptance rules and QEMU's launch-update order (qemu.h).
 * Freestanding: no heap, no libc. Sources: QEMU 10.2 backends/igvm.c
 * (qigvm_handler, qigvm_process_mem_page, qigvm_directive_*), QEMU
 * target/i386/sev.c (check_vmsa_supported, check_sev_features), KVM
 * arch/x86/kvm/svm/sev.c (INITIAL_VMSA_GPA); docs/igvm.md §4.
 */
#include "igvm/qemu.h"

#include "igvm/measure.h"
#include "igvm/vmsa.h"

bool igvm_qemu_type_supported(uint32_t type)
{
	switch (type) {
	case IGVM_VHT_SUPPORTED_PLATFORM:
	case IGVM_VHT_GUEST_POLICY:
	case IGVM_VHT_PAGE_DATA:
	case IGVM_VHT_VP_CONTEXT:
	case IGVM_VHT_PARAMETER_AREA:
	case IGVM_VHT_PARAMETER_INSERT:
	case IGVM_VHT_MEMORY_MAP:
	case IGVM_VHT_VP_COUNT_PARAMETER:
	case IGVM_VHT_ENVIRONMENT_INFO_PARAMETER:
	case IGVM_VHT_REQUIRED_MEMORY:
	case IGVM_VHT_SNP_ID_BLOCK:
		return true;
	default:
		/* SRAT, MADT, COMMAND_LINE, DEVICE_TREE, ...: QEMU stops
		 * with "Unknown header type" before looking at the mask. */
		return false;
	}
}

/* VMSA byte ranges QEMU copies into KVM's vCPU state (everything else must
 * be zero: check_vmsa_supported()). Offsets: APM vol. 2 table B-4. */
struct vmsa_range {
	uint16_t off, len;
};

static const struct vmsa_range allowed[] = {
	{0x000, 10 * 16},                   /* es..tr, gdtr, idtr, ldtr */
	{IGVM_VMSA_OFF_EFER, 8},            /* */
	{IGVM_VMSA_OFF_CR4, 8 * 4},         /* cr4, cr3, cr0, dr7 */
	{IGVM_VMSA_OFF_DR6, 8 * 3},         /* dr6, rflags, rip */
	{IGVM_VMSA_OFF_RSP, 8},             /* */
	{IGVM_VMSA_OFF_RAX, 8},             /* */
	{IGVM_VMSA_OFF_G_PAT, 8},           /* */
	{IGVM_VMSA_OFF_RCX, 8 * 3},         /* rcx, rdx, rbx */
	{IGVM_VMSA_OFF_RBP, 8 * 3 + 8 * 8}, /* rbp, rsi, rdi, r8-r15 */
	{IGVM_VMSA_OFF_SEV_FEATURES, 8},    /* checked on its own */
	{IGVM_VMSA_OFF_XCR0, 8},            /* */
	{IGVM_VMSA_OFF_MXCSR, 4},           /* */
	{IGVM_VMSA_OFF_X87_FCW, 2},         /* */
};

static bool byte_allowed(uint32_t off)
{
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		if (off >= allowed[i].off &&
		    off < (uint32_t)allowed[i].off + allowed[i].len) {
			return true;
		}
	}
	return false;
}

enum igvm_err igvm_qemu_check_vmsa(const uint8_t *page, uint32_t *bad_off)
{
	uint64_t features = 0;

	for (uint32_t off = 0; off < IGVM_PAGE_SIZE; off++) {
		if (page[off] != 0 && !byte_allowed(off)) {
			if (bad_off) {
				*bad_off = off;
			}
			return IGVM_E_VMSA_FIELD;
		}
	}
	for (unsigned i = 0; i < 8; i++) {
		features |= (uint64_t)page[IGVM_VMSA_OFF_SEV_FEATURES + i]
			    << (8 * i);
	}
	if (!(features & IGVM_SEV_FEATURE_SNP) ||
	    (features & ~IGVM_KVM_SEV_FEATURES)) {
		if (bad_off) {
			*bad_off = IGVM_VMSA_OFF_SEV_FEATURES;
		}
		return IGVM_E_SEV_FEATURES;
	}
	return IGVM_OK;
}

enum igvm_err igvm_qemu_check_file(const struct igvm_file *file,
				   size_t *err_offset)
{
	uint32_t mask = igvm_platform_mask(file, IGVM_PLATFORM_SEV_SNP);
	enum igvm_err err = IGVM_OK;
	bool have_vmsa = false;
	struct igvm_header h;
	struct igvm_iter it;
	size_t at = 0;

	if (mask == 0) {
		return IGVM_E_NO_SNP;
	}
	/* Every header, whatever its mask: QEMU looks the type up first. */
	igvm_iter_init(&it, file, 0);
	while (err == IGVM_OK && igvm_iter_next(&it, &h)) {
		uint32_t hmask = igvm_header_mask(&h);

		at = h.offset;
		if (!igvm_qemu_type_supported(h.type)) {
			err = IGVM_E_QEMU_TYPE;
		} else if (h.type == IGVM_VHT_MEMORY_MAP &&
			   h.u.param.byte_offset != 0) {
			/* QEMU writes the map at offset 0 whatever it says. */
			err = IGVM_E_QEMU_MEMMAP;
		} else if (h.type == IGVM_VHT_VP_CONTEXT && (hmask & mask)) {
			const uint8_t *page =
				igvm_file_page(file, h.u.vp.file_offset);

			/* One context, vCPU 0, at KVM's INITIAL_VMSA_GPA. */
			if (have_vmsa || h.u.vp.vp_index != 0 ||
			    h.u.vp.gpa != IGVM_KVM_VMSA_GPA || !page) {
				err = IGVM_E_VMSA;
			} else {
				err = igvm_qemu_check_vmsa(page, NULL);
			}
			have_vmsa = true;
		}
	}
	if (err == IGVM_OK && !have_vmsa) {
		err = IGVM_E_VMSA;
		at = 0;
	}
	if (err != IGVM_OK && err_offset) {
		*err_offset = at;
	}
	return err;
}

/* Partly inside [lo, hi) and partly outside it. */
static bool straddles(uint64_t gpa, uint64_t size, uint64_t lo, uint64_t hi)
{
	uint64_t end = gpa + size;

	return gpa < hi && end > lo && (gpa < lo || end > hi);
}

enum igvm_err igvm_qemu_check_ram(const struct igvm_file *file,
				  uint64_t ram_size, size_t *err_offset)
{
	const uint64_t four_gib = UINT64_C(1) << 32;
	/* hw/i386/pc_q35.c pc_q35_init(): the low/high RAM split. */
	uint64_t lowmem = ram_size >= UINT64_C(0xb0000000)
				  ? UINT64_C(0x80000000)
				  : UINT64_C(0xb0000000);
	uint64_t below = ram_size >= lowmem ? lowmem : ram_size;
	uint64_t above = ram_size - below;
	uint32_t mask = igvm_platform_mask(file, IGVM_PLATFORM_SEV_SNP);
	struct igvm_header h;
	struct igvm_iter it;

	igvm_iter_init(&it, file, mask);
	while (igvm_iter_next(&it, &h)) {
		uint64_t gpa = 0, size = 0;

		if (h.type == IGVM_VHT_REQUIRED_MEMORY) {
			gpa = h.u.required.gpa;
			size = h.u.required.number_of_bytes;
		} else if (h.type == IGVM_VHT_PARAMETER_INSERT) {
			gpa = h.u.insert.gpa;
			size = igvm_area_size(file,
					      h.u.insert.parameter_area_index);
		} else {
			continue;
		}
		if (straddles(gpa, size, 0, below) ||
		    (above &&
		     straddles(gpa, size, four_gib, four_gib + above))) {
			if (err_offset) {
				*err_offset = h.offset;
			}
			return IGVM_E_QEMU_MEMORY;
		}
	}
	return IGVM_OK;
}

/* A pending run of PAGE_DATA (qigvm_process_mem_page's region_*). */
struct run {
	uint32_t count;
	size_t first;      /* file offset of its first header */
	uint32_t last_idx; /* directive index of its last page */
	struct igvm_page_data prev;
};

uint8_t igvm_qemu_page_type(const struct igvm_page_data *p)
{
	if (p->flags & IGVM_PAGE_FLAG_UNMEASURED) {
		return IGVM_SNP_PAGE_UNMEASURED;
	}
	switch (p->data_type) {
	case IGVM_PAGE_DATA_SECRETS:
		return IGVM_SNP_PAGE_SECRETS;
	case IGVM_PAGE_DATA_CPUID_DATA:
	case IGVM_PAGE_DATA_CPUID_XF:
		return IGVM_SNP_PAGE_CPUID;
	default:
		/* A zero page is issued as NORMAL of zeros (sev.c). */
		return IGVM_SNP_PAGE_NORMAL;
	}
}

static void flush(const struct igvm_file *f, struct run *r,
		  igvm_launch_page_fn fn, void *ctx)
{
	struct igvm_iter it;
	struct igvm_header h;

	/* The run's pages are consecutive headers starting at r->first. */
	igvm_iter_init(&it, f, 0);
	it.off = r->first;
	for (uint32_t i = 0; i < r->count && igvm_iter_next(&it, &h); i++) {
		struct igvm_launch_page p = {
			.gpa = h.u.page.gpa,
			.page_type = igvm_qemu_page_type(&h.u.page),
			.data = igvm_file_page(f, h.u.page.file_offset),
		};

		fn(ctx, &p);
	}
	r->count = 0;
}

static bool extends(const struct run *r, const struct igvm_page_data *p,
		    uint32_t idx)
{
	const struct igvm_page_data *q = &r->prev;

	return r->count > 0 && r->last_idx + 1 == idx &&
	       q->gpa + IGVM_PAGE_SIZE == p->gpa && q->flags == p->flags &&
	       q->data_type == p->data_type &&
	       q->compatibility_mask == p->compatibility_mask &&
	       (q->file_offset == 0) == (p->file_offset == 0);
}

void igvm_qemu_launch_pages(const struct igvm_file *file, uint32_t mask,
			    igvm_launch_page_fn fn, void *ctx)
{
	struct run run = {0};
	struct igvm_header h;
	struct igvm_iter it;
	uint32_t idx = 0; /* directive index, as QEMU counts headers */

	igvm_iter_init(&it, file, 0);
	while (igvm_iter_next(&it, &h)) {
		bool match = (igvm_header_mask(&h) & mask) != 0;

		if (h.type < IGVM_VHT_RANGE_DIRECTIVE_START) {
			continue;
		}
		if (h.type == IGVM_VHT_PAGE_DATA && match) {
			if (run.count > 0 && !extends(&run, &h.u.page, idx)) {
				flush(file, &run, fn, ctx);
			}
			if (run.count == 0) {
				run.first = h.offset;
			}
			run.prev = h.u.page;
			run.last_idx = idx;
			run.count++;
		} else if (h.type == IGVM_VHT_PARAMETER_INSERT && match) {
			uint64_t size = igvm_area_size(
				file, h.u.insert.parameter_area_index);

			for (uint64_t o = 0; o < size; o += IGVM_PAGE_SIZE) {
				struct igvm_launch_page p = {
					.gpa = h.u.insert.gpa + o,
					.page_type = IGVM_SNP_PAGE_UNMEASURED,
				};

				fn(ctx, &p);
			}
		}
		idx++;
	}
	if (run.count > 0) {
		flush(file, &run, fn, ctx);
	}
}
