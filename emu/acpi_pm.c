// SPDX-License-Identifier: MIT
/*
 * ICH9 PM1a_CNT and APM control (acpi_pm.h). Byte-wise like the rest of
 * snpemu's port models: a 16-bit OUT to 0x604 arrives as 0x604 then 0x605
 * (ioport.c), and the sleep request is decided on the high byte, which
 * holds SLP_TYP and SLP_EN, with the low byte already stored.
 */
#include "acpi_pm.h"

void acpi_pm_reset(struct acpi_pm *p)
{
	/* QEMU's reset value: legacy mode, SCI_EN clear until the guest
	 * writes ACPI_ENABLE to SMI_CMD. */
	*p = (struct acpi_pm){0};
}

static bool in_gpe0(uint16_t port)
{
	return port >= ACPI_GPE0 && port < ACPI_GPE0 + ACPI_GPE0_LEN;
}

bool acpi_pm_port(uint16_t port, bool in)
{
	if ((port >= ACPI_PM1A_EVT && port <= ACPI_PM1A_CNT + 1) ||
	    in_gpe0(port)) {
		return true;
	}
	/* 0xB2 writes only; a read stays denied (nothing Linux reads). */
	return port == ACPI_APM_CNT && !in;
}

uint8_t acpi_pm_in(const struct acpi_pm *p, uint16_t port)
{
	if (port == ACPI_PM1A_CNT) {
		return (uint8_t)p->pm1_cnt;
	}
	if (port == ACPI_PM1A_CNT + 1) {
		return (uint8_t)(p->pm1_cnt >> 8);
	}
	if (port == ACPI_PM1A_EVT + 2 || port == ACPI_PM1A_EVT + 3) {
		return (uint8_t)(p->pm1_en >> (8 * (port - ACPI_PM1A_EVT - 2)));
	}
	if (in_gpe0(port) && port >= ACPI_GPE0 + ACPI_GPE0_LEN / 2) {
		return p->gpe0_en[port - ACPI_GPE0 - ACPI_GPE0_LEN / 2];
	}
	/* Status bytes: no event ever happened. */
	return port == ACPI_APM_CNT ? 0xff : 0;
}

enum acpi_pm_event acpi_pm_out(struct acpi_pm *p, uint16_t port, uint8_t v)
{
	uint16_t val = 0;

	if (port == ACPI_APM_CNT) {
		/* QEMU ich9_apm_ctrl_changed -> acpi_pm1_cnt_update; any
		 * other value would raise an SMI, which snpemu never does. */
		if (v == ACPI_APM_ENABLE) {
			p->pm1_cnt |= ACPI_PM1_SCI_EN;
		} else if (v == ACPI_APM_DISABLE) {
			p->pm1_cnt &= (uint16_t)~ACPI_PM1_SCI_EN;
		}
		return ACPI_PM_NONE;
	}
	if (port == ACPI_PM1A_EVT + 2 || port == ACPI_PM1A_EVT + 3) {
		const unsigned sh = 8 * (unsigned)(port - ACPI_PM1A_EVT - 2);

		p->pm1_en = (uint16_t)((p->pm1_en & ~(0xffu << sh)) |
				       (unsigned)v << sh);
		return ACPI_PM_NONE;
	}
	if (in_gpe0(port) && port >= ACPI_GPE0 + ACPI_GPE0_LEN / 2) {
		p->gpe0_en[port - ACPI_GPE0 - ACPI_GPE0_LEN / 2] = v;
		return ACPI_PM_NONE;
	}
	if (port == ACPI_PM1A_CNT) {
		p->pm1_cnt = (uint16_t)((p->pm1_cnt & 0xff00) | v);
		return ACPI_PM_NONE;
	}
	if (port != ACPI_PM1A_CNT + 1) {
		return ACPI_PM_NONE; /* status bytes: write-1-to-clear of 0 */
	}
	val = (uint16_t)((p->pm1_cnt & 0x00ff) | (uint16_t)v << 8);
	/* QEMU acpi_pm1_cnt_write: SLP_EN is write-only, never stored. */
	p->pm1_cnt = val & (uint16_t)~ACPI_PM1_SLP_EN;
	if (!(val & ACPI_PM1_SLP_EN)) {
		return ACPI_PM_NONE;
	}
	return ((val & ACPI_PM1_SLP_TYP_MASK) >> ACPI_PM1_SLP_TYP_SHIFT) == 0
		       ? ACPI_PM_POWEROFF
		       : ACPI_PM_UNMODELLED;
}
