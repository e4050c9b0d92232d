/* SPDX-License-Identifier: MIT */
/*
 * The host's ACPI tables for a Linux payload (docs/linux-boot.md §10): QEMU's
 * fw_cfg table loader run into the ACPI part of the boot area.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "svsm/types.h"

/**
 * Load QEMU's tables into @area (@size bytes of SVSM memory, zeroed) that
 * will live at guest address @at. Returns the RSDP's guest address, or
 * gpa_invalid() when there are none or the set was refused; either way a
 * console line says which, and a refused set leaves @area zeroed.
 */
gpa_t acpi_tables_load(uint8_t *area, size_t size, gpa_t at);
