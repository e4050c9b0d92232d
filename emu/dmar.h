/* SPDX-License-Identifier: MIT */
/*
 * Finding the DMA-remapping unit of the outer QEMU through ACPI (dmar.c),
 * for iommu.c. Tables are read where they are (snpemu's memory is
 * identity mapped) and only below @limit, so a pointer the firmware left
 * anywhere is refused rather than followed.
 */
#pragma once

#include <stdint.h>

/* snpemu maps the first 4 GiB: tables must lie below it. */
#define DMAR_L1_LIMIT (UINT64_C(1) << 32)

/** The table with signature @sig listed in the XSDT (ACPI 2.0+ RSDP with a
 * good extended checksum) or else the RSDT of the RSDP at @rsdp; 0 if
 * there is none or anything on the way is malformed. */
uint64_t acpi_find_table(uint64_t rsdp, const char *sig, uint64_t limit);

/**
 * The register base of the DMAR table's DRHD for PCI segment 0: the one
 * with INCLUDE_PCI_ALL, or else the only one (QEMU 7.2 lists its host
 * bridge's buses as a device scope instead of setting the flag:
 * hw/i386/acpi-build.c, build_dmar_q35). 0 if there is none, several
 * without the flag, or the table is malformed.
 */
uint64_t dmar_drhd_base(uint64_t dmar, uint64_t limit);
