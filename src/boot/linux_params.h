/* SPDX-License-Identifier: MIT */
/*
 * What the SVSM writes for a Linux payload entered through the 64-bit boot
 * protocol (Linux Documentation/arch/x86/boot.rst, "64-bit Boot Protocol";
 * docs/linux-boot.md): the e820 map and setup_data pointer in the zero
 * page, the boot area (identity page tables, GDT, SETUP_CC_BLOB) and the
 * VMPL2 register state. Pure logic on buffers (hosted unit tests); the
 * machine side is src/linux_boot.c.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "svsm/types.h"

#include "svsm/abi/vmsa.h"

#include "boot/params.h"
#include "sev/vmsa_init.h"

/* struct boot_e820_entry (arch/x86/include/uapi/asm/bootparam.h). */
struct linux_e820 {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct linux_e820) == 20, "boot_e820_entry");

#define LINUX_E820_RAM 1
#define LINUX_E820_RESERVED 2
#define LINUX_E820_ACPI 3  /* ACPI data: Linux maps it encrypted under SEV */
#define LINUX_E820_MAX 128 /* E820_MAX_ENTRIES_ZEROPAGE */

/* Zero page (struct boot_params) offsets, bootparam.h / zero-page.rst. */
#define LINUX_ZP_ACPI_RSDP 0x070 /* acpi_rsdp_addr, boot protocol 2.14 */
#define LINUX_ZP_E820_ENTRIES 0x1e8
#define LINUX_ZP_SETUP_DATA 0x250
#define LINUX_ZP_E820_TABLE 0x2d0

/* setup_data type of the CC blob pointer (bootparam.h SETUP_CC_BLOB). */
#define LINUX_SETUP_CC_BLOB 7
/* struct cc_blob_sev_info magic, "AMDE" (arch/x86/include/asm/sev.h). */
#define LINUX_CC_BLOB_MAGIC UINT32_C(0x45444d41)

/* The boot area (SVSM_LINUX_BOOT_PAGES pages; boot_params.h). */
#define LINUX_AREA_PML4 0x0000       /* PML4, PDPT, four PDs: 6 pages */
#define LINUX_AREA_GDT 0x6000        /* null, null, __BOOT_CS, __BOOT_DS */
#define LINUX_AREA_SETUP_DATA 0x6100 /* setup_data: SETUP_CC_BLOB */
#define LINUX_AREA_CC_BLOB 0x6200    /* struct cc_blob_sev_info */
#define LINUX_AREA_STACK_TOP 0x8000  /* page 7: a stack for the entry */
#define LINUX_AREA_ACPI 0x8000       /* SVSM_LINUX_ACPI_PAGES: ACPI tables */

/* Selectors boot.rst requires for the 64-bit entry. */
#define LINUX_BOOT_CS 0x10
#define LINUX_BOOT_DS 0x18

/**
 * The e820 map: every RAM range minus @svsm, with the @res_count ranges of
 * @res (guest pages the SVSM filled and Linux must not reuse as RAM)
 * reported reserved, sorted by address. @res must be sorted, disjoint and
 * page aligned. Returns the entry count, 0 if @out_max is too small.
 */
size_t linux_e820_build(const struct mem_range *ram, size_t ram_count,
			const struct mem_range *svsm,
			const struct mem_range *res, size_t res_count,
			struct linux_e820 *out, size_t out_max);

/**
 * Give the e820 entry that is exactly @r the @type (the ACPI tables are
 * reserved like the rest of the boot area, then made LINUX_E820_ACPI).
 * False if no entry is exactly @r.
 */
bool linux_e820_retype(struct linux_e820 *map, size_t count,
		       const struct mem_range *r, uint32_t type);

/**
 * Complete the zero page copy @zp (4096 bytes: the measured template with
 * the setup header) with the e820 map, the setup_data list head and the
 * RSDP's address (@rsdp invalid: none, the field stays 0).
 */
void linux_zero_page_fill(uint8_t *zp, const struct linux_e820 *map,
			  size_t count, gpa_t setup_data, gpa_t rsdp);

/**
 * Fill the boot area @area (zeroed, SVSM_LINUX_BOOT_PAGES pages) that will
 * live at @area_at: a 4 GiB identity map with 2 MiB pages and the C-bit
 * (@cbit_mask) set, the GDT, and the SETUP_CC_BLOB setup_data naming the
 * CC blob, which names the guest's secrets and CPUID pages.
 */
void linux_boot_area_fill(uint8_t *area, gpa_t area_at, uint64_t cbit_mask,
			  gpa_t secrets, gpa_t cpuid);

/**
 * The VMPL2 VMSA for startup_64: @cfg's common state (SEV features etc.)
 * in long mode on the boot area's tables and GDT, RIP = @cfg->entry,
 * RSI = @zero_page_at. False if the entry or an address is unusable.
 */
bool linux_vmsa_init(struct snp_vmsa *v, const struct guest_vmsa_cfg *cfg,
		     gpa_t zero_page_at, gpa_t area_at, uint64_t cbit_mask);
