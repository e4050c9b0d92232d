// SPDX-License-Identifier: MIT
/*
 * QEMU's PCI devices behind snpemu (pci.h; docs/snpemu.md §4).
 *
 * At start snpemu walks QEMU's bus 0 with configuration mechanism #1 on
 * its own ports (PCI Local Bus spec 3.0 §3.2.2.3.2) and reads every
 * function as the L1 firmware (SeaBIOS) left it: BARs assigned, INTx
 * routed (the Interrupt Line register names the ISA IRQ the chipset's
 * PIRQ router drives). The guest sees, through its own mechanism #1
 * (0xCF8 latch, 0xCFC-0xCFF data, ioport.c), only the functions on the
 * `pci=` allow-list, through the filtered view of pci_view.c; every other
 * function reads all-ones, as an empty slot does.
 *
 * Functions the guest does not see are made quiet: Bus Master Enable
 * cleared (they must not DMA into L1 memory, where snpemu and the RMP
 * live) and INTx Disable set (a shared line must not fire for a device the
 * guest cannot acknowledge), except bridges (the host and ISA bridges run
 * the chipset). Their I/O BARs are denied: before this, port I/O the guest
 * sent there passed to the device.
 *
 * Only bus 0 and 32-bit addresses: snpemu's identity map covers 4 GiB, so
 * a memory BAR above it is not shown (the device is refused with a line
 * on the console). ECAM (the MCFG window) stays denied.
 */
#include "pci.h"

#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/string.h"

#include "iommu.h"
#include "ioport.h"
#include "machine.h"
#include "pci_view.h"

#define CONF1_ADDR 0xcf8
#define CONF1_DATA 0xcfc
#define CONF1_ENABLE (UINT32_C(1) << 31)
/* Reserved bits 30:24 and the type bits 1:0 of CONFIG_ADDRESS. */
#define CONF1_RESERVED UINT32_C(0x7f000003)
#define PCI_DEV_MAX 32

static struct {
	uint16_t vendor, device;
} allow[PCI_ALLOW_MAX];
static unsigned allow_count;
static struct pci_view_dev devs[PCI_DEV_MAX];
static unsigned dev_count;
static uint16_t intx_lines;
/* MSI: the shown function of each host vector slot (pci.h). */
static struct pci_view_dev *msi_dev[PCI_MSI_SLOTS];
static unsigned msi_slots;

/* ---- mechanism #1 on snpemu's own ports ---- */

uint32_t pci_conf_read(uint8_t devfn, uint8_t reg, uint8_t size)
{
	outl(CONF1_ADDR, CONF1_ENABLE | (uint32_t)devfn << 8 | (reg & 0xfcu));
	return ioport_host_in((uint16_t)(CONF1_DATA + (reg & 3)), size);
}

void pci_conf_write(uint8_t devfn, uint8_t reg, uint8_t size, uint32_t v)
{
	outl(CONF1_ADDR, CONF1_ENABLE | (uint32_t)devfn << 8 | (reg & 0xfcu));
	ioport_host_out((uint16_t)(CONF1_DATA + (reg & 3)), size, v);
}

/* ---- the allow-list ---- */

static bool parse_hex16(const char **p, uint16_t *out)
{
	uint32_t v = 0;
	unsigned n = 0;

	for (; n < 4; n++) {
		char c = (*p)[n];
		unsigned d = (c >= '0' && c <= '9')   ? (unsigned)(c - '0')
			     : (c >= 'a' && c <= 'f') ? (unsigned)(c - 'a' + 10)
			     : (c >= 'A' && c <= 'F') ? (unsigned)(c - 'A' + 10)
						      : 16;

		if (d == 16) {
			break;
		}
		v = v << 4 | d;
	}
	*p += n;
	*out = (uint16_t)v;
	return n == 4;
}

bool pci_config(const char *arg)
{
	const char *p = arg;

	allow_count = 0;
	while (*p != '\0') {
		if (allow_count == PCI_ALLOW_MAX ||
		    !parse_hex16(&p, &allow[allow_count].vendor) ||
		    *p++ != ':' ||
		    !parse_hex16(&p, &allow[allow_count].device) ||
		    (*p != '\0' && *p != ',')) {
			allow_count = 0;
			return false;
		}
		allow_count++;
		p += *p == ',';
	}
	return true;
}

static bool allowed(const struct pci_view_dev *d)
{
	for (unsigned i = 0; i < allow_count; i++) {
		if (allow[i].vendor == d->vendor &&
		    allow[i].device == d->device) {
			return true;
		}
	}
	return false;
}

/* ---- the scan ---- */

/*
 * Where a shown BAR may lie: an I/O BAR above the legacy ports snpemu
 * emulates or denies (all below 0x1000), a memory BAR in the PCI hole
 * (above the L1 RAM and the guest's GPA range, below the IOAPIC/HPET/APIC
 * region at 0xFEC00000, within the identity map).
 */
static const char *bar_unfit(const struct pci_bar *b, uint64_t l1_ram_top)
{
	switch (b->kind) {
	case PCI_BAR_IO:
		return b->base >= 0x1000 && b->base + b->size <= 0x10000
			       ? NULL
			       : "an I/O BAR among the legacy ports";
	case PCI_BAR_MEM32:
	case PCI_BAR_MEM64:
		if (b->base + b->size > UINT64_C(0xfec00000) ||
		    b->base + b->size < b->base) {
			return "a memory BAR above 0xfec00000 (snpemu maps "
			       "4 GiB)";
		}
		return b->base >= l1_ram_top && b->base >= EMU_GUEST_RAM_SIZE
			       ? NULL
			       : "a memory BAR over RAM";
	default:
		return NULL;
	}
}

/* INTx forwarding: a routed ISA line that snpemu does not drive itself. */
static bool intx_forwardable(const struct pci_view_dev *d)
{
	return d->irq_pin >= 1 && d->irq_pin <= 4 && d->irq_line < 16 &&
	       !(PIC_RAISED_LINES & (1u << d->irq_line));
}

/*
 * @d->shown says whether the allow-list names it; @why is the probe's
 * reason not to show it ("" for none), checked before its BARs.
 */
static void show_or_quiet(struct pci_view_dev *d, const char *why,
			  uint64_t l1_ram_top)
{
	uint16_t cmd = (uint16_t)pci_conf_read(d->devfn, PCI_REG_COMMAND, 2);

	if (why[0] == '\0') {
		why = NULL;
	}
	for (unsigned i = 0; i < PCI_BAR_COUNT && d->shown && why == NULL;
	     i++) {
		why = bar_unfit(&d->bar[i], l1_ram_top);
	}
	if (d->shown && why != NULL) {
		d->shown = false;
		con_printf("snpemu: pci 00:%02x.%u %04x:%04x not shown: %s\n",
			   d->devfn >> 3, d->devfn & 7, d->vendor, d->device,
			   why);
	}
	if (!d->shown) {
		if ((d->class_rev >> 24) != 0x06) {
			pci_conf_write(
				d->devfn, PCI_REG_COMMAND, 2,
				(cmd & ~PCI_CMD_MASTER) | PCI_CMD_INTX_DISABLE);
		}
		return;
	}
	/* Into the guest's DMA domain (with an IOMMU): bus mastering is
	 * granted once the domain confines it to shared guest pages. */
	if (iommu_attach(0, d->devfn) && msi_slots < PCI_MSI_SLOTS &&
	    pci_view_keep_msi(d)) {
		/* Its MSI writes are DMA the IOMMU confines: shown, with
		 * snpemu's message in the device (msi_program). */
		d->msi.slot = (uint8_t)msi_slots;
		msi_dev[msi_slots++] = d;
	}
	if (!iommu_dma_confined(0, d->devfn)) {
		pci_conf_write(d->devfn, PCI_REG_COMMAND, 2,
			       cmd & ~PCI_CMD_MASTER);
	}
	if (intx_forwardable(d)) {
		intx_lines |= (uint16_t)(1u << d->irq_line);
	}
	con_printf("snpemu: pci 00:%02x.%u %04x:%04x shown, INT%c %s %u%s\n",
		   d->devfn >> 3, d->devfn & 7, d->vendor, d->device,
		   d->irq_pin ? 'A' + d->irq_pin - 1 : '-',
		   intx_forwardable(d) ? "forwarded from IRQ" : "not routed",
		   d->irq_line, d->msi.shown ? ", MSI virtualized" : "");
	for (unsigned i = 0; i < PCI_BAR_COUNT; i++) {
		const struct pci_bar *b = &d->bar[i];

		if (b->kind == PCI_BAR_IO || b->kind == PCI_BAR_MEM32 ||
		    b->kind == PCI_BAR_MEM64) {
			con_printf(
				"snpemu: pci   BAR%u %s 0x%llx size 0x%llx\n",
				i, b->kind == PCI_BAR_IO ? "io" : "mem",
				(unsigned long long)b->base,
				(unsigned long long)b->size);
		}
	}
}

void pci_init(uint64_t l1_ram_top)
{
	dev_count = 0;
	intx_lines = 0;
	msi_slots = 0;
	for (unsigned devfn = 0; devfn < 256 && dev_count < PCI_DEV_MAX;
	     devfn++) {
		struct pci_view_dev *d = &devs[dev_count];
		const char *why = "";
		bool multi = false;

		if (!pci_view_probe(d, (uint8_t)devfn, &why)) {
			/* No function 0: no other function either. */
			devfn |= (devfn & 7) == 0 ? 7u : 0u;
			continue;
		}
		multi = (pci_conf_read(d->devfn, PCI_REG_HEADER, 4) >> 23) & 1;
		if ((devfn & 7) == 0 && !multi) {
			devfn |= 7;
		}
		d->shown = allowed(d);
		show_or_quiet(d, why, l1_ram_top);
		dev_count++;
	}
}

/* ---- the guest's side ---- */

static struct pci_view_dev *shown_dev(uint32_t addr)
{
	if (!(addr & CONF1_ENABLE) || (addr & CONF1_RESERVED) ||
	    ((addr >> 16) & 0xff) != 0) {
		return NULL;
	}
	for (unsigned i = 0; i < dev_count; i++) {
		if (devs[i].shown && devs[i].devfn == ((addr >> 8) & 0xff)) {
			return &devs[i];
		}
	}
	return NULL;
}

/* A data access inside the dword, aligned to its size (else: nothing). */
static bool data_access_ok(uint16_t port, uint8_t size)
{
	return port >= CONF1_DATA && port <= CONF1_DATA + 3 &&
	       (size == 1 || size == 2 || size == 4) && (port & 3) % size == 0;
}

uint32_t pci_guest_cfg_in(uint32_t addr, uint16_t port, uint8_t size)
{
	uint32_t ones = size >= 4 ? UINT32_MAX : (1u << (8 * size)) - 1;
	struct pci_view_dev *d = shown_dev(addr);

	if (d == NULL || !data_access_ok(port, size)) {
		return ones; /* an empty slot: master abort */
	}
	return (pci_view_read(d, (uint8_t)addr) >> (8 * (port & 3))) & ones;
}

/*
 * The device's real MSI capability: snpemu's message (its own APIC, host
 * vector PCI_MSI_HOST_VEC + slot) while the guest has a deliverable one
 * enabled, else disabled. The guest's address and data never reach it.
 */
static void msi_program(struct pci_view_dev *d)
{
	uint8_t off = d->msi.off, dest = 0, vec = 0;
	uint16_t ctl = (uint16_t)(pci_conf_read(d->devfn, off, 4) >> 16);

	ctl &= (uint16_t)~0x0071u; /* enable, one message */
	if (pci_msi_target(&d->msi, &dest, &vec)) {
		pci_conf_write(d->devfn, (uint8_t)(off + 4), 4, 0xfee00000u);
		if (d->msi.is64) {
			pci_conf_write(d->devfn, (uint8_t)(off + 8), 4, 0);
		}
		pci_conf_write(d->devfn,
			       (uint8_t)(off + (d->msi.is64 ? 12 : 8)), 2,
			       PCI_MSI_HOST_VEC + d->msi.slot);
		ctl |= 1;
	}
	pci_conf_write(d->devfn, (uint8_t)(off + 2), 2, ctl);
	d->msi.changed = false;
}

void pci_guest_cfg_out(uint32_t addr, uint16_t port, uint8_t size, uint32_t v)
{
	struct pci_view_dev *d = shown_dev(addr);

	if (d == NULL || !data_access_ok(port, size)) {
		return;
	}
	pci_view_write(d, (uint8_t)addr, v << (8 * (port & 3)),
		       (uint8_t)(((1u << size) - 1) << (port & 3)));
	if (d->msi.changed) {
		msi_program(d);
	}
}

/* The least privileged VMPL of vCPU @dest (APIC ID), as the 8259's. */
void pci_msi_fire(struct machine *m, unsigned slot)
{
	struct pci_view_dev *d = slot < msi_slots ? msi_dev[slot] : NULL;
	uint8_t dest = 0, vec = 0;

	if (d == NULL || !pci_msi_target(&d->msi, &dest, &vec) ||
	    dest >= m->nr_vcpus) {
		return; /* disabled meanwhile, or no such vCPU: dropped */
	}
	for (unsigned v = SNP_VMPL_COUNT - 1; v > 0; v--) {
		if (m->vcpu[dest].ctx[v].present) {
			apic_msi(&m->vcpu[dest].apic[v], vec);
			return;
		}
	}
}

enum pci_io pci_io_claim(uint16_t port, uint8_t size)
{
	return pci_view_io_claim(devs, dev_count, port, size);
}

bool pci_mmio_allowed(uint64_t gpa, uint64_t len)
{
	return pci_view_mmio_claim(devs, dev_count, gpa, len);
}

uint16_t pci_intx_lines(void)
{
	return intx_lines;
}
