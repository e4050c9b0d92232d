/* SPDX-License-Identifier: MIT */
/*
 * The SVSM boot-parameter page: the contract between the IGVM builder
 * (tools/svsm-igvm, igvm.cfg) and the SVSM's boot code, defined here once
 * and used by both. One measured 4 KiB page, little-endian, placed by the
 * builder inside the SVSM region; the IGVM VMPL0 VMSA passes its GPA in RSI
 * (ESI: the page must be below 4 GiB for the 32-bit entry).
 *
 * Why a page of our own instead of only IGVM parameter areas: parameter
 * areas are unmeasured (docs/linux-boot.md §4) and written
 * by the host, so they can only carry what the host is allowed to choose
 * (memory map, VP count). The layout of the SVSM region and the payload is
 * part of the launch digest and therefore lives here. Everything read from
 * the parameter areas is checked against this page.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SVSM_BOOT_PARAMS_MAGIC UINT32_C(0x50425653) /* "SVBP" */
#define SVSM_BOOT_PARAMS_VERSION 2

/* How the VMPL2 payload starts. */
enum svsm_payload_mode {
	/* 32-bit protected mode, flat segments, paging off (test guest). */
	SVSM_PAYLOAD_PROT32 = 0,
	/* Real-mode reset state at a reset vector (OVMF). */
	SVSM_PAYLOAD_RESET = 1,
	/*
	 * Linux 64-bit boot protocol (Documentation/arch/x86/boot.rst):
	 * long mode on identity tables, RSI = zero page, all guest RAM
	 * validated before entry (docs/linux-boot.md).
	 */
	SVSM_PAYLOAD_LINUX64 = 2,
};

/* IGVM_VHS_MEMORY_MAP_ENTRY (IGVM format, as the loader writes it). */
struct svsm_igvm_memmap_entry {
	uint64_t starting_gpa_page_number;
	uint64_t number_of_pages;
	uint16_t entry_type; /* 0 = MEMORY */
	uint16_t flags;
	uint32_t reserved;
};
_Static_assert(sizeof(struct svsm_igvm_memmap_entry) == 24, "IGVM format");
#define SVSM_IGVM_MEMMAP_MEMORY 0

/* A measured range of guest RAM the launch loaded for the payload. */
struct svsm_boot_range {
	uint64_t base;
	uint64_t size;
};
_Static_assert(sizeof(struct svsm_boot_range) == 16, "layout");

#define SVSM_BOOT_MAX_LAUNCHED 8
/*
 * Validate guest RAM with 4 KiB pages only. The default, 2 MiB pages, is
 * what a hardware host wants; a machine that cannot split a 2 MiB RMP
 * entry when the guest later converts one 4 KiB page of it (snpemu today,
 * docs/linux-boot.md) needs 4 KiB pages from the start.
 */
#define SVSM_LINUX_VALIDATE_4K UINT32_C(0x1)
/* Pages of the Linux boot area: 8 for the page tables, GDT, setup_data and
 * stack, then SVSM_LINUX_ACPI_PAGES for the host's ACPI tables
 * (docs/linux-boot.md §10): QEMU pads its table blob to 128 KiB. */
#define SVSM_LINUX_ACPI_PAGES 64
#define SVSM_LINUX_BOOT_PAGES (8 + SVSM_LINUX_ACPI_PAGES)

struct svsm_boot_params {
	uint32_t magic;   /* 0x00: SVSM_BOOT_PARAMS_MAGIC */
	uint32_t version; /* 0x04: SVSM_BOOT_PARAMS_VERSION */
	/* The whole SVSM region (reported in the guest's secrets page). */
	uint64_t svsm_base; /* 0x08 */
	uint64_t svsm_size; /* 0x10 */
	/*
	 * Free SVSM memory for the page allocator, inside the SVSM region,
	 * NOT validated by the launch: the SVSM PVALIDATEs it.
	 */
	uint64_t pool_base; /* 0x18 */
	uint64_t pool_size; /* 0x20 */
	/* PSP pages (launch page types SECRETS and CPUID), VMPL0 only. */
	uint64_t secrets_gpa; /* 0x28 */
	uint64_t cpuid_gpa;   /* 0x30 */
	/*
	 * IGVM parameter areas (unmeasured, host-written): the memory map
	 * (MEMORY_MAP at offset 0, area size in bytes) and the general area
	 * holding VP_COUNT (u32) at vp_count_offset.
	 */
	uint64_t memmap_gpa;      /* 0x38 */
	uint64_t memmap_size;     /* 0x40 */
	uint64_t general_gpa;     /* 0x48 */
	uint32_t vp_count_offset; /* 0x50 */
	uint32_t payload_mode;    /* 0x54: enum svsm_payload_mode */
	/* The VMPL2 payload: measured pages VMPL2 gets RWX on. */
	uint64_t payload_base; /* 0x58 */
	uint64_t payload_size; /* 0x60 */
	/* 0x68: RIP (PROT32, LINUX64: startup_64) or reset IP (RESET) */
	uint64_t payload_entry;
	/*
	 * Guest pages the SVSM fills before launch (outside the SVSM region,
	 * inside guest RAM, 4 KiB aligned): the guest's copy of the secrets
	 * page, of the CPUID page, and the BSP's initial calling area.
	 */
	uint64_t guest_secrets_gpa; /* 0x70 */
	uint64_t guest_cpuid_gpa;   /* 0x78 */
	uint64_t guest_caa_gpa;     /* 0x80 */
	/*
	 * LINUX64 only (0 otherwise). The measured zero page (struct
	 * boot_params with the setup header, command line and initrd
	 * fields set by the builder); the SVSM adds the e820 map and the
	 * setup_data chain. The boot area is SVSM_LINUX_BOOT_PAGES guest
	 * pages the SVSM fills: identity page tables, the GDT, SETUP_CC_BLOB,
	 * the host's ACPI tables.
	 */
	uint64_t linux_zero_page_gpa; /* 0x88 */
	uint64_t linux_boot_area_gpa; /* 0x90 */
	/*
	 * LINUX64 only: every measured range of guest RAM the launch loaded
	 * (kernel, zero page, command line, initrd). The SVSM grants these
	 * to VMPL2 as they are and validates (and zeroes) all other RAM.
	 */
	uint32_t launched_count; /* 0x98 */
	uint32_t linux_flags;    /* 0x9c: SVSM_LINUX_* */
	struct svsm_boot_range launched[SVSM_BOOT_MAX_LAUNCHED]; /* 0xa0 */
	uint8_t reserved[4096 - 0x120];
};
_Static_assert(sizeof(struct svsm_boot_params) == 4096, "one page");
_Static_assert(offsetof(struct svsm_boot_params, cpuid_gpa) == 0x30,
	       "src/entry.S reads cpuid_gpa at this offset");
_Static_assert(offsetof(struct svsm_boot_params, guest_caa_gpa) == 0x80,
	       "layout above");
_Static_assert(offsetof(struct svsm_boot_params, launched) == 0xa0,
	       "layout above");
