/* SPDX-License-Identifier: MIT */
/*
 * The PVH boot ABI as QEMU implements it (Xen's
 * public/arch-x86/hvm/start_info.h layout, version 1): what QEMU hands snpemu
 * at entry.
 */
#pragma once

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#define PVH_START_MAGIC 0x336ec578u

struct pvh_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};
static_assert(sizeof(struct pvh_start_info) == 56, "start_info.h v1");
static_assert(offsetof(struct pvh_start_info, cmdline_paddr) == 24,
	      "start_info.h v1");

struct pvh_module {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};
static_assert(sizeof(struct pvh_module) == 32, "start_info.h");

struct pvh_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type; /* 1 = RAM (E820) */
	uint32_t reserved;
};
static_assert(sizeof(struct pvh_memmap_entry) == 24, "start_info.h");
