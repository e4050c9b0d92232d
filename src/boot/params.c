// SPDX-License-Identifier: MIT
/*
 * Boot-parameter and memory-map checks (see params.h).
 */
#include "boot/params.h"

#include "lib/compiler.h"

const char *bp_status_str(enum bp_status s)
{
	switch (s) {
	case BP_OK:
		return "ok";
	case BP_E_MAGIC:
		return "bad magic/version";
	case BP_E_ALIGN:
		return "misaligned address or size";
	case BP_E_RANGE:
		return "empty or wrapping range";
	case BP_E_LAYOUT:
		return "page outside its region";
	case BP_E_OVERLAP:
		return "overlapping ranges";
	case BP_E_MODE:
		return "unknown payload mode";
	case BP_E_MEMMAP:
		return "malformed memory map";
	case BP_E_NOT_RAM:
		return "guest page not in RAM";
	}
	return "?";
}

bool range_ok(uint64_t base, uint64_t size)
{
	uint64_t end = 0;

	return size != 0 && !__builtin_add_overflow(base, size, &end);
}

bool range_overlap(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz)
{
	/* Callers pass ranges already checked with range_ok(). */
	return a < b + bsz && b < a + asz;
}

bool range_inside(uint64_t base, uint64_t size, uint64_t outer, uint64_t osize)
{
	return range_ok(base, size) && range_ok(outer, osize) &&
	       base >= outer && base + size <= outer + osize;
}

static bool page_ok(uint64_t gpa)
{
	return IS_ALIGNED(gpa, PAGE_SIZE) && range_ok(gpa, PAGE_SIZE);
}

/* Guest pages the SVSM fills must not overlap the boot area. */
static bool boot_area_clear(const struct svsm_boot_params *bp, uint64_t gpa,
			    uint64_t size)
{
	return !range_overlap(gpa, size, bp->linux_boot_area_gpa,
			      SVSM_LINUX_BOOT_PAGES * PAGE_SIZE);
}

/*
 * The Linux fields: zero everywhere else; for LINUX64 every launched range
 * and the boot area page aligned, outside the SVSM, disjoint from each
 * other and from the guest pages, and the zero page inside a launched range.
 */
static enum bp_status check_linux(const struct svsm_boot_params *bp)
{
	const uint64_t area_size = SVSM_LINUX_BOOT_PAGES * PAGE_SIZE;
	bool zp_launched = false;

	if (bp->payload_mode != SVSM_PAYLOAD_LINUX64) {
		return bp->launched_count == 0 && bp->linux_flags == 0 &&
				       bp->linux_zero_page_gpa == 0 &&
				       bp->linux_boot_area_gpa == 0
			       ? BP_OK
			       : BP_E_LAYOUT;
	}
	if (bp->launched_count == 0 ||
	    bp->launched_count > SVSM_BOOT_MAX_LAUNCHED ||
	    (bp->linux_flags & ~SVSM_LINUX_VALIDATE_4K) != 0) {
		return BP_E_RANGE;
	}
	if (!page_ok(bp->linux_zero_page_gpa) ||
	    !IS_ALIGNED(bp->linux_boot_area_gpa, PAGE_SIZE) ||
	    !range_ok(bp->linux_boot_area_gpa, area_size)) {
		return BP_E_ALIGN;
	}
	if (range_overlap(bp->linux_boot_area_gpa, area_size, bp->svsm_base,
			  bp->svsm_size) ||
	    !boot_area_clear(bp, bp->guest_secrets_gpa, PAGE_SIZE) ||
	    !boot_area_clear(bp, bp->guest_cpuid_gpa, PAGE_SIZE) ||
	    !boot_area_clear(bp, bp->guest_caa_gpa, PAGE_SIZE)) {
		return BP_E_OVERLAP;
	}
	for (uint32_t i = 0; i < bp->launched_count; i++) {
		const struct svsm_boot_range *r = &bp->launched[i];

		if (!IS_ALIGNED(r->base, PAGE_SIZE) ||
		    !IS_ALIGNED(r->size, PAGE_SIZE)) {
			return BP_E_ALIGN;
		}
		if (!range_ok(r->base, r->size)) {
			return BP_E_RANGE;
		}
		if (range_overlap(r->base, r->size, bp->svsm_base,
				  bp->svsm_size) ||
		    !boot_area_clear(bp, r->base, r->size) ||
		    range_overlap(r->base, r->size, bp->guest_secrets_gpa,
				  PAGE_SIZE) ||
		    range_overlap(r->base, r->size, bp->guest_cpuid_gpa,
				  PAGE_SIZE) ||
		    range_overlap(r->base, r->size, bp->guest_caa_gpa,
				  PAGE_SIZE)) {
			return BP_E_OVERLAP;
		}
		for (uint32_t j = 0; j < i; j++) {
			if (range_overlap(r->base, r->size,
					  bp->launched[j].base,
					  bp->launched[j].size)) {
				return BP_E_OVERLAP;
			}
		}
		zp_launched |= range_inside(bp->linux_zero_page_gpa, PAGE_SIZE,
					    r->base, r->size);
	}
	return zp_launched ? BP_OK : BP_E_LAYOUT;
}

enum bp_status bp_check(const struct svsm_boot_params *bp)
{
	enum bp_status st = BP_OK;
	const uint64_t pages[] = {bp->secrets_gpa, bp->cpuid_gpa,
				  bp->guest_secrets_gpa, bp->guest_cpuid_gpa,
				  bp->guest_caa_gpa};

	if (bp->magic != SVSM_BOOT_PARAMS_MAGIC ||
	    bp->version != SVSM_BOOT_PARAMS_VERSION) {
		return BP_E_MAGIC;
	}
	if (!IS_ALIGNED(bp->svsm_base, PAGE_SIZE) ||
	    !IS_ALIGNED(bp->svsm_size, PAGE_SIZE) ||
	    !IS_ALIGNED(bp->pool_base, PAGE_SIZE) ||
	    !IS_ALIGNED(bp->pool_size, PAGE_SIZE) ||
	    !IS_ALIGNED(bp->payload_base, PAGE_SIZE) ||
	    !IS_ALIGNED(bp->payload_size, PAGE_SIZE) ||
	    !IS_ALIGNED(bp->memmap_gpa, PAGE_SIZE) ||
	    !IS_ALIGNED(bp->general_gpa, PAGE_SIZE)) {
		return BP_E_ALIGN;
	}
	for (size_t i = 0; i < ARRAY_SIZE(pages); i++) {
		if (!page_ok(pages[i])) {
			return BP_E_ALIGN;
		}
	}
	if (!range_ok(bp->svsm_base, bp->svsm_size) ||
	    !range_ok(bp->pool_base, bp->pool_size) ||
	    !range_ok(bp->payload_base, bp->payload_size) ||
	    !range_ok(bp->memmap_gpa, bp->memmap_size) ||
	    bp->memmap_size < sizeof(struct svsm_igvm_memmap_entry) ||
	    !range_ok(bp->general_gpa, PAGE_SIZE) ||
	    bp->vp_count_offset > PAGE_SIZE - sizeof(uint32_t)) {
		return BP_E_RANGE;
	}
	/* SVSM-private things inside the SVSM region ... */
	if (!range_inside(bp->pool_base, bp->pool_size, bp->svsm_base,
			  bp->svsm_size) ||
	    !range_inside(bp->secrets_gpa, PAGE_SIZE, bp->svsm_base,
			  bp->svsm_size) ||
	    !range_inside(bp->cpuid_gpa, PAGE_SIZE, bp->svsm_base,
			  bp->svsm_size)) {
		return BP_E_LAYOUT;
	}
	/* ... and nothing the guest gets may touch it. */
	if (range_overlap(bp->payload_base, bp->payload_size, bp->svsm_base,
			  bp->svsm_size)) {
		return BP_E_OVERLAP;
	}
	for (size_t i = 2; i < ARRAY_SIZE(pages); i++) {
		if (range_overlap(pages[i], PAGE_SIZE, bp->svsm_base,
				  bp->svsm_size)) {
			return BP_E_OVERLAP;
		}
		for (size_t j = i + 1; j < ARRAY_SIZE(pages); j++) {
			if (pages[i] == pages[j]) {
				return BP_E_OVERLAP;
			}
		}
	}
	if (bp->payload_mode != SVSM_PAYLOAD_PROT32 &&
	    bp->payload_mode != SVSM_PAYLOAD_RESET &&
	    bp->payload_mode != SVSM_PAYLOAD_LINUX64) {
		return BP_E_MODE;
	}
	st = check_linux(bp);
	if (st != BP_OK) {
		return st;
	}
	if (bp->payload_entry > UINT32_MAX) {
		return BP_E_LAYOUT;
	}
	return BP_OK;
}

enum bp_status bp_parse_memmap(const struct svsm_igvm_memmap_entry *map,
			       size_t max_entries, struct mem_range *out,
			       size_t out_max, size_t *count)
{
	uint64_t prev_end = 0;
	size_t n = 0;

	*count = 0;
	for (size_t i = 0; i < max_entries; i++) {
		/* Copy once: the host may change the map while we read it. */
		struct svsm_igvm_memmap_entry e = map[i];
		uint64_t base = 0;
		uint64_t size = 0;

		/* A full area needs no terminator. */
		if (e.number_of_pages == 0) {
			break;
		}
		if (e.starting_gpa_page_number > (UINT64_MAX >> PAGE_SHIFT) ||
		    e.number_of_pages > (UINT64_MAX >> PAGE_SHIFT)) {
			return BP_E_MEMMAP;
		}
		base = e.starting_gpa_page_number << PAGE_SHIFT;
		size = e.number_of_pages << PAGE_SHIFT;
		if (!range_ok(base, size) || (i > 0 && base < prev_end)) {
			return BP_E_MEMMAP;
		}
		prev_end = base + size;
		if (e.entry_type != SVSM_IGVM_MEMMAP_MEMORY) {
			continue;
		}
		if (n == out_max) {
			return BP_E_MEMMAP;
		}
		out[n].base = base;
		out[n].size = size;
		n++;
	}
	if (n == 0) {
		return BP_E_MEMMAP;
	}
	*count = n;
	return BP_OK;
}

bool bp_is_ram(const struct mem_range *ram, size_t count, gpa_t g,
	       uint64_t size)
{
	for (size_t i = 0; i < count; i++) {
		if (range_inside(gpa_val(g), size, ram[i].base, ram[i].size)) {
			return true;
		}
	}
	return false;
}

enum bp_status bp_check_guest_pages(const struct svsm_boot_params *bp,
				    const struct mem_range *ram, size_t count)
{
	if (!bp_is_ram(ram, count, gpa(bp->payload_base), bp->payload_size) ||
	    !bp_is_ram(ram, count, gpa(bp->guest_secrets_gpa), PAGE_SIZE) ||
	    !bp_is_ram(ram, count, gpa(bp->guest_cpuid_gpa), PAGE_SIZE) ||
	    !bp_is_ram(ram, count, gpa(bp->guest_caa_gpa), PAGE_SIZE)) {
		return BP_E_NOT_RAM;
	}
	if (bp->payload_mode != SVSM_PAYLOAD_LINUX64) {
		return BP_OK;
	}
	if (!bp_is_ram(ram, count, gpa(bp->linux_boot_area_gpa),
		       SVSM_LINUX_BOOT_PAGES * PAGE_SIZE)) {
		return BP_E_NOT_RAM;
	}
	for (uint32_t i = 0; i < bp->launched_count; i++) {
		if (!bp_is_ram(ram, count, gpa(bp->launched[i].base),
			       bp->launched[i].size)) {
			return BP_E_NOT_RAM;
		}
	}
	return BP_OK;
}
