/* SPDX-License-Identifier: MIT */
/*
 * QEMU's ACPI tables for a Linux payload, loaded as firmware loads them
 * (docs/linux-boot.md §10): the fw_cfg file `etc/table-loader` is a script
 * of 128-byte commands (QEMU hw/acpi/bios-linker-loader.c) that allocates
 * fw_cfg files (`etc/acpi/rsdp`, `etc/acpi/tables`) in guest memory, patches
 * pointers between them and fixes checksums. Everything in it is hostile
 * host input: every command, name, size, offset and pointer is checked, and
 * the linked result (RSDP, RSDT/XSDT, every table they list, the FADT's
 * DSDT and FACS) must lie inside the allocations with valid checksums, or
 * the whole set is refused and Linux boots without ACPI.
 *
 * Pure logic on an arena in SVSM memory (hosted unit tests and a fuzzer);
 * the fw_cfg reads are lib/fw_cfg.h's, provided by the image (the SVSM's
 * through the GHCB) or by the test. The machine side is src/linux_boot.c.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "svsm/err.h"
#include "svsm/types.h"

/* One loader command (QEMU BiosLinkerLoaderEntry): 4-byte command + 124. */
#define ACPI_LOADER_ENTRY_SIZE 128
#define ACPI_LOADER_NAME_LEN 56 /* FW_CFG_MAX_FILE_PATH */
/* Bounds the SVSM sets; QEMU's q35 tables use a few dozen commands and
 * two files. */
#define ACPI_LOADER_MAX_SCRIPT (256 * ACPI_LOADER_ENTRY_SIZE)
#define ACPI_LOADER_MAX_FILES 8

/* Commands (bios-linker-loader.c). */
#define ACPI_LOADER_ALLOCATE 1
#define ACPI_LOADER_ADD_POINTER 2
#define ACPI_LOADER_ADD_CHECKSUM 3
#define ACPI_LOADER_WRITE_POINTER 4
/* ALLOCATE zones: anywhere, or the legacy F segment (ignored here: the
 * RSDP's address goes to Linux in boot_params.acpi_rsdp_addr). */
#define ACPI_LOADER_ZONE_HIGH 1
#define ACPI_LOADER_ZONE_FSEG 2

/* The file holding the RSDP (QEMU ACPI_BUILD_RSDP_FILE). */
#define ACPI_LOADER_RSDP_FILE "etc/acpi/rsdp"

struct acpi_loader_result {
	gpa_t rsdp;              /* where Linux finds the RSDP */
	size_t used;             /* arena bytes in use */
	uint32_t files;          /* ALLOCATE commands */
	uint32_t pointers;       /* ADD_POINTER commands */
	uint32_t checksums;      /* ADD_CHECKSUM commands */
	uint32_t write_pointers; /* WRITE_POINTER: checked, not performed */
	uint32_t tables;         /* tables the RSDT/XSDT lists */
	uint32_t cmd;    /* index of the refused command, or UINT32_MAX */
	const char *why; /* what was refused, for the console */
};

/**
 * Run the loader @script (@len bytes, read once into SVSM memory) into
 * @arena (@arena_size bytes, zeroed by the caller) that will live at guest
 * address @arena_at. On success @res->rsdp names the RSDP inside the arena.
 * On refusal returns SVSM_E_FORMAT (a malformed command or table) or
 * SVSM_E_NOMEM (the files do not fit) with @res->why and @res->cmd set;
 * the arena's contents are then meaningless and must not reach the guest.
 */
svsm_err_t acpi_loader_run(const uint8_t *script, size_t len, uint8_t *arena,
			   size_t arena_size, gpa_t arena_at,
			   struct acpi_loader_result *res) __must_check;
