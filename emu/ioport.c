// SPDX-License-Identifier: MIT
/*
 * Port I/O a guest requests through the GHCB (IOIO event). Three kinds:
 *
 * - Emulated: the 8259 pair and its ELCR (pic.c), the 8254 and port 0x61
 *   (pit.c). snpemu owns the real ones (its TSC calibration, the forwarded
 *   IRQ lines). The ICH9 PM1 event and control registers 0x600-0x605,
 *   the GPE0 block 0x620-0x62f and writes to the APM control port 0xb2
 *   (acpi_pm.c): ACPI mode, quiet event registers and the S5 power-off a
 *   guest reaches through QEMU's ACPI tables, which ends snpemu with its
 *   report instead of powering off QEMU.
 * - Denied at every VMPL (reads float high, writes vanish, as for a port
 *   nothing decodes): isa-debug-exit 0xf4-0xf7 (snpemu's verdict); what
 *   resets or powers off the whole machine and so ends snpemu without a
 *   report (0x92 fast reset, 0xcf9 reset control, the i8042 at 0x60/0x64,
 *   APM/SMI 0xb2-0xb3 (except the 0xb2 writes above), ICH9 ACPI PM
 *   0x600-0x67f except the PM timer 0x608-0x60b and the registers above);
 *   fw_cfg's DMA interface 0x514-0x51b; the I/O BARs of PCI functions the
 *   guest does not see (pci.c).
 * - PCI configuration mechanism #1: the CONFIG_ADDRESS latch at 0xcf8 and
 *   CONFIG_DATA 0xcfc-0xcff go to pci.c's filtered view (the functions on
 *   snpemu's `pci=` allow-list; with none, an empty bus); the I/O BARs of
 *   the functions it shows pass to the device.
 * - Everything else is performed on QEMU's device (e.g. COM2, the RTC,
 *   port 0x80); COM2 and COM1 interrupts (IRQ3, IRQ4) are forwarded by
 *   irq.c. COM1 is
 *   snpemu's console and passes too, because tests/guest prints its TAP
 *   there from VMPL2: a lower VMPL can print lines that look like
 *   snpemu's, but not its verdict (that is isa-debug-exit, denied).
 */
#include "ioport.h"

#include "arch/cpu.h"

#include "machine.h"
#include "pci.h"

enum port_kind {
	PORT_PASS,
	PORT_DENY,
	PORT_EMUL,
};

static enum port_kind kind(uint16_t p, bool in)
{
	if (pic_port(p) || pit_port(p) || acpi_pm_port(p, in)) {
		return PORT_EMUL;
	}
	if ((p >= 0xf4 && p <= 0xf7) || p == 0x92 || p == 0xcf9 || p == 0x60 ||
	    p == 0x64 || p == 0xb2 || p == 0xb3 || (p >= 0xcf8 && p <= 0xcff) ||
	    (p >= 0x514 && p <= 0x51b)) {
		return PORT_DENY;
	}
	if (p >= 0x600 && p <= 0x67f && !(in && p >= 0x608 && p <= 0x60b)) {
		return PORT_DENY;
	}
	return PORT_PASS;
}

static uint8_t emul_in(struct machine *m, uint16_t p)
{
	if (acpi_pm_port(p, true)) {
		return acpi_pm_in(&m->acpi_pm, p);
	}
	return pic_port(p) ? pic_in(&m->pic, p) : pit_in(&m->pit, p, rdtsc());
}

static void emul_out(struct machine *m, uint16_t p, uint8_t v)
{
	if (pic_port(p)) {
		pic_out(&m->pic, p, v);
	} else if (pit_port(p)) {
		pit_out(&m->pit, p, v, rdtsc());
	} else {
		switch (acpi_pm_out(&m->acpi_pm, p, v)) {
		case ACPI_PM_NONE:
			break;
		case ACPI_PM_POWEROFF:
			emu_poweroff(m);
		case ACPI_PM_UNMODELLED:
			emu_stop(m,
				 "VMPL%u: ACPI sleep state %u (PM1a_CNT 0x%x) "
				 "is not modelled",
				 m->cpu->cur,
				 (m->acpi_pm.pm1_cnt & ACPI_PM1_SLP_TYP_MASK) >>
					 ACPI_PM1_SLP_TYP_SHIFT,
				 m->acpi_pm.pm1_cnt);
		}
	}
}

static bool all_pass(uint16_t p, uint8_t size, bool in)
{
	for (unsigned i = 0; i < size; i++) {
		if (kind((uint16_t)(p + i), in) != PORT_PASS) {
			return false;
		}
	}
	return true;
}

/*
 * PCI configuration mechanism #1 (PCI Local Bus spec 3.0 §3.2.2.3.2): only
 * a 32-bit access to 0xCF8 is CONFIG_ADDRESS (0xCF9-0xCFB stay denied),
 * 0xCFC-0xCFF is CONFIG_DATA (pci.c). Linux's pci_check_type1 reads the
 * latch back, then (with pci=conf1: no SMBIOS year here) uses the
 * mechanism and, with no `pci=` allow-list, finds nothing; ACPI's
 * PCI_Config regions (the DSDT's interrupt links) then read all-ones
 * instead of failing (docs/linux-boot.md §9).
 */
static bool pci_addr_port(uint16_t port, uint8_t size)
{
	return port == 0xcf8 && size == 4;
}

uint32_t ioport_host_in(uint16_t port, uint8_t size)
{
	uint32_t v = 0;

	if (size == 1) {
		v = inb(port);
	} else if (size == 2) {
		__asm__ volatile("inw %1, %w0" : "=a"(v) : "Nd"(port));
		v &= 0xffff;
	} else {
		__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	}
	return v;
}

void ioport_host_out(uint16_t port, uint8_t size, uint32_t v)
{
	if (size == 1) {
		outb(port, (uint8_t)v);
	} else if (size == 2) {
		__asm__ volatile("outw %w0, %1" : : "a"(v), "Nd"(port));
	} else {
		outl(port, v);
	}
}

/* CONFIG_DATA: the dword CONFIG_ADDRESS selects, through pci.c's view.
 * An access that only reaches into it from below stays denied (kind()). */
static bool pci_data_port(uint16_t port)
{
	return port >= 0xcfc && port <= 0xcff;
}

uint32_t ioport_in(struct machine *m, uint16_t port, uint8_t size)
{
	uint32_t v = 0;

	if (pci_addr_port(port, size)) {
		return m->pci_addr;
	}
	if (pci_data_port(port)) {
		return pci_guest_cfg_in(m->pci_addr, port, size);
	}
	switch (pci_io_claim(port, size)) {
	case PCI_IO_PASS:
		return ioport_host_in(port, size);
	case PCI_IO_DENY:
		return size == 4 ? UINT32_MAX : (1u << (8 * size)) - 1;
	case PCI_IO_NONE:
		break;
	}
	if (all_pass(port, size, true)) {
		return ioport_host_in(port, size);
	}
	/* Mixed or not passed through: byte by byte. */
	for (unsigned i = 0; i < size; i++) {
		uint16_t p = (uint16_t)(port + i);
		uint32_t b = 0xff;

		switch (kind(p, true)) {
		case PORT_EMUL:
			b = emul_in(m, p);
			break;
		case PORT_PASS:
			b = inb(p);
			break;
		case PORT_DENY:
			break;
		}
		v |= b << (8 * i);
	}
	return v;
}

void ioport_out(struct machine *m, uint16_t port, uint8_t size, uint32_t v)
{
	if (pci_addr_port(port, size)) {
		m->pci_addr = v;
		return;
	}
	if (pci_data_port(port)) {
		pci_guest_cfg_out(m->pci_addr, port, size, v);
		return;
	}
	switch (pci_io_claim(port, size)) {
	case PCI_IO_PASS:
		ioport_host_out(port, size, v);
		return;
	case PCI_IO_DENY:
		return;
	case PCI_IO_NONE:
		break;
	}
	if (all_pass(port, size, false)) {
		ioport_host_out(port, size, v);
		return;
	}
	for (unsigned i = 0; i < size; i++) {
		uint16_t p = (uint16_t)(port + i);
		uint8_t b = (uint8_t)(v >> (8 * i));

		switch (kind(p, false)) {
		case PORT_EMUL:
			emul_out(m, p, b);
			break;
		case PORT_PASS:
			outb(p, b);
			break;
		case PORT_DENY:
			break;
		}
	}
}
