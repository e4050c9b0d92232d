/* SPDX-License-Identifier: MIT */
/*
 * The ICH9 power-management registers a Linux guest uses with QEMU's ACPI
 * tables (docs/snpemu.md §4, "ACPI PM"): PM1a_CNT at PMBASE + 4 (0x604,
 * 16 bits, the FADT's PM1a_CNT_BLK) to power off, the APM control port
 * 0xB2 (the FADT's SMI_CMD) to switch to ACPI mode, and the event
 * registers: PM1a_EVT (0x600: status, 0x602: enable) and GPE0 (0x620,
 * 16 bytes: status, then enable). snpemu raises no ACPI event (no SCI), so
 * every status bit reads 0 and the enables are stored and read back, as
 * QEMU's registers are when nothing happened. QEMU: hw/acpi/core.c
 * (acpi_pm1_cnt_write, acpi_pm1_evt_*, acpi_gpe_ioport_*),
 * hw/isa/lpc_ich9.c (ich9_apm_ctrl_changed).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define ACPI_PM1A_EVT 0x600 /* status 0x600-0x601, enable 0x602-0x603 */
#define ACPI_PM1A_CNT 0x604
#define ACPI_GPE0 0x620 /* status 0x620-0x627, enable 0x628-0x62f */
#define ACPI_GPE0_LEN 16
#define ACPI_APM_CNT 0xb2
/* PM1 control bits (ACPI 6.5 §4.8.4.2.1). */
#define ACPI_PM1_SCI_EN 0x0001
#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_TYP_MASK 0x1c00
#define ACPI_PM1_SLP_EN 0x2000
/* What QEMU's ICH9 takes at 0xB2 (the FADT's ACPI_ENABLE/ACPI_DISABLE). */
#define ACPI_APM_ENABLE 0x02
#define ACPI_APM_DISABLE 0x03

struct acpi_pm {
	uint16_t pm1_cnt;
	uint16_t pm1_en;
	uint8_t gpe0_en[ACPI_GPE0_LEN / 2];
};

enum acpi_pm_event {
	ACPI_PM_NONE,
	ACPI_PM_POWEROFF,   /* SLP_EN with SLP_TYP 0: QEMU's _S5, soft off */
	ACPI_PM_UNMODELLED, /* SLP_EN with another sleep type (S3, S4) */
};

void acpi_pm_reset(struct acpi_pm *p);
/** True for the ports this module emulates, for reads (@in) or writes. */
bool acpi_pm_port(uint16_t port, bool in);
uint8_t acpi_pm_in(const struct acpi_pm *p, uint16_t port);
/** A byte write; returns what the guest asked the machine to do. */
enum acpi_pm_event acpi_pm_out(struct acpi_pm *p, uint16_t port, uint8_t v);
