// SPDX-License-Identifier: MIT
/*
 * snpemu's ICH9 PM1a_CNT and APM control (emu/acpi_pm.h) against QEMU's
 * behaviour (hw/acpi/core.c acpi_pm1_cnt_write, hw/isa/lpc_ich9.c
 * ich9_apm_ctrl_changed): ACPI mode through SMI_CMD, S5 as a power-off
 * request decided on the 16-bit value, other sleep types refused.
 */
#include "acpi_pm.h"
#include "tap.h"

static enum acpi_pm_event out16(struct acpi_pm *p, uint16_t v)
{
	/* A 16-bit OUT arrives byte by byte, low byte first (ioport.c). */
	CHECK_EQ(acpi_pm_out(p, ACPI_PM1A_CNT, (uint8_t)v), ACPI_PM_NONE);
	return acpi_pm_out(p, ACPI_PM1A_CNT + 1, (uint8_t)(v >> 8));
}

static uint16_t in16(const struct acpi_pm *p)
{
	return (uint16_t)(acpi_pm_in(p, ACPI_PM1A_CNT) |
			  acpi_pm_in(p, ACPI_PM1A_CNT + 1) << 8);
}

TAP_CASE(acpi_enable_through_smi_cmd)
{
	struct acpi_pm p;

	acpi_pm_reset(&p);
	CHECK_EQ(in16(&p), 0); /* legacy mode at reset */
	CHECK_EQ(acpi_pm_out(&p, ACPI_APM_CNT, ACPI_APM_ENABLE), ACPI_PM_NONE);
	CHECK_EQ(in16(&p), ACPI_PM1_SCI_EN);
	/* Other APM commands (an SMI on QEMU) change nothing here. */
	CHECK_EQ(acpi_pm_out(&p, ACPI_APM_CNT, 0x55), ACPI_PM_NONE);
	CHECK_EQ(in16(&p), ACPI_PM1_SCI_EN);
	CHECK_EQ(acpi_pm_out(&p, ACPI_APM_CNT, ACPI_APM_DISABLE), ACPI_PM_NONE);
	CHECK_EQ(in16(&p), 0);
	CHECK_TRUE(acpi_pm_port(ACPI_APM_CNT, false));
	CHECK_TRUE(!acpi_pm_port(ACPI_APM_CNT, true));
	CHECK_TRUE(acpi_pm_port(0x605, true) && !acpi_pm_port(0x606, false));
}

TAP_CASE(s5_is_poweroff_only_with_slp_en)
{
	struct acpi_pm p;

	acpi_pm_reset(&p);
	(void)acpi_pm_out(&p, ACPI_APM_CNT, ACPI_APM_ENABLE);
	/* Linux's write #1: SLP_TYP alone (0 for QEMU's _S5). */
	CHECK_EQ(out16(&p, ACPI_PM1_SCI_EN), ACPI_PM_NONE);
	/* Write #2: SLP_TYP + SLP_EN. */
	CHECK_EQ(out16(&p, ACPI_PM1_SCI_EN | ACPI_PM1_SLP_EN),
		 ACPI_PM_POWEROFF);
	/* SLP_EN is write-only. */
	CHECK_EQ(in16(&p), ACPI_PM1_SCI_EN);
}

TAP_CASE(other_sleep_states_unmodelled)
{
	struct acpi_pm p;

	acpi_pm_reset(&p);
	/* S3 in QEMU's _S3 is SLP_TYP 1; S4 (if offered) another. */
	for (uint16_t typ = 1; typ < 8; typ++) {
		CHECK_EQ(out16(&p, (uint16_t)(typ << ACPI_PM1_SLP_TYP_SHIFT |
					      ACPI_PM1_SLP_EN)),
			 ACPI_PM_UNMODELLED);
		CHECK_EQ(in16(&p), typ << ACPI_PM1_SLP_TYP_SHIFT);
	}
}

TAP_CASE(event_registers_quiet)
{
	struct acpi_pm p;

	acpi_pm_reset(&p);
	/* PM1 and GPE0 status: every bit 0, a write-1-to-clear changes
	 * nothing; the enables read back what was written. */
	(void)acpi_pm_out(&p, ACPI_PM1A_EVT, 0xff);
	CHECK_EQ(acpi_pm_in(&p, ACPI_PM1A_EVT), 0);
	(void)acpi_pm_out(&p, ACPI_PM1A_EVT + 2, 0x21);
	(void)acpi_pm_out(&p, ACPI_PM1A_EVT + 3, 0x01);
	CHECK_EQ(acpi_pm_in(&p, ACPI_PM1A_EVT + 2), 0x21);
	CHECK_EQ(acpi_pm_in(&p, ACPI_PM1A_EVT + 3), 0x01);
	for (uint16_t port = ACPI_GPE0; port < ACPI_GPE0 + 8; port++) {
		(void)acpi_pm_out(&p, port, 0xff);
		CHECK_EQ(acpi_pm_in(&p, port), 0);
		(void)acpi_pm_out(&p, (uint16_t)(port + 8), (uint8_t)port);
		CHECK_EQ(acpi_pm_in(&p, (uint16_t)(port + 8)), (uint8_t)port);
	}
	CHECK_TRUE(acpi_pm_port(0x62f, true) && !acpi_pm_port(0x630, true));
	CHECK_TRUE(!acpi_pm_port(0x608, true)); /* the PM timer: QEMU's */
	CHECK_EQ(in16(&p), 0);
}

TAP_MAIN(TAP_ENTRY(event_registers_quiet),
	 TAP_ENTRY(acpi_enable_through_smi_cmd),
	 TAP_ENTRY(s5_is_poweroff_only_with_slp_en),
	 TAP_ENTRY(other_sleep_states_unmodelled))
