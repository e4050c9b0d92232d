/* SPDX-License-Identifier: MIT */
/*
 * Checking the boot-parameter page and the IGVM memory map before the SVSM
 * relies on them (include/svsm/abi/boot_params.h). The page is
 * measured, but a wrong builder configuration must stop the boot with a
 * clear reason instead of corrupting memory; the memory map is written by
 * the untrusted host and gets the full hostile-input treatment. Pure logic.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svsm/types.h"

#include "svsm/abi/boot_params.h"

struct mem_range {
	uint64_t base;
	uint64_t size;
};

enum bp_status {
	BP_OK = 0,
	BP_E_MAGIC,   /* wrong magic or version */
	BP_E_ALIGN,   /* an address or size is not page aligned */
	BP_E_RANGE,   /* a range is empty or wraps */
	BP_E_LAYOUT,  /* a page is outside the region it must be in */
	BP_E_OVERLAP, /* two things that must be disjoint overlap */
	BP_E_MODE,    /* unknown payload mode */
	BP_E_MEMMAP,  /* memory map malformed (hostile or truncated) */
	BP_E_NOT_RAM, /* a guest page is not RAM according to the map */
};

/** Human-readable status for the boot log. */
const char *bp_status_str(enum bp_status s);

/** True if [base, base + size) is non-empty and does not wrap. */
bool range_ok(uint64_t base, uint64_t size);

/** True if the two ranges share at least one byte. */
bool range_overlap(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz);

/** True if [base, base + size) lies inside [outer, outer + osize). */
bool range_inside(uint64_t base, uint64_t size, uint64_t outer, uint64_t osize);

/** Check the measured page's own consistency. */
enum bp_status bp_check(const struct svsm_boot_params *bp);

/**
 * Parse the IGVM memory map (@max_entries entries available at @map; the
 * list ends with a zero page count). RAM entries (type MEMORY) go to @out
 * (at most @out_max). Entries must be sorted, non-overlapping and must not
 * wrap; anything else is BP_E_MEMMAP. *@count receives the RAM range count.
 */
enum bp_status bp_parse_memmap(const struct svsm_igvm_memmap_entry *map,
			       size_t max_entries, struct mem_range *out,
			       size_t out_max, size_t *count);

/** True if [@g, @g + @size) is fully covered by one RAM range. */
bool bp_is_ram(const struct mem_range *ram, size_t count, gpa_t g,
	       uint64_t size);

/** Check the guest-facing pages of @bp against the RAM map. */
enum bp_status bp_check_guest_pages(const struct svsm_boot_params *bp,
				    const struct mem_range *ram, size_t count);
