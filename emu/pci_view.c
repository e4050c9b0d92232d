// SPDX-License-Identifier: MIT
/*
 * The guest's view of a PCI function snpemu shows it (pci_view.h). The
 * rules, and why:
 *
 * - BARs stay where the L1 firmware put them. snpemu passes a guest's BAR
 *   access to QEMU at the same address (ghcb.c, ioport.c), so a BAR moved
 *   onto guest RAM, snpemu's memory or the RMP would let the guest (and
 *   the device) decode over it. A BAR write is accepted only if it writes
 *   back the firmware's address or the all-ones sizing pattern (PCI 3.0
 *   §6.2.5.1: software writes all ones, reads the size mask, restores the
 *   address); both are kept virtual, the real BAR is never written. While
 *   a BAR holds the sizing pattern it is not live: accesses through it are
 *   refused as for any address nothing decodes (pci.c). Anything else is a
 *   move: refused, the BAR reads back unchanged.
 * - Bus Master Enable (command bit 2) is refused, i.e. reads back 0, unless
 *   the IOMMU confines the device's DMA to the guest's shared pages
 *   (iommu_dma_confined(), emu/iommu.c): a
 *   device that masters reaches L1 physical memory, i.e. snpemu and the
 *   RMP (docs/snpemu.md §4, "DMA"). MSI is a bus-master write too, and its
 *   address would be snpemu's own APIC: the MSI and MSI-X capabilities are
 *   taken out of the capability list (the guest sees INTx only) and their
 *   bytes read 0; for a function the IOMMU confines, pci.c shows its MSI
 *   capability virtualized instead (pci_msi.c).
 * - The expansion ROM BAR reads 0 (not implemented): it is one more BAR
 *   that decodes memory when enabled.
 * - Device-specific configuration (0x40-0xFF) reads through, minus the
 *   hidden capabilities; guest writes there are refused (what a driver
 *   would need, e.g. virtio's PCI_CFG window, is not built).
 * - The interrupt line register is the guest's scratch copy (PCI 3.0
 *   §6.2.4: software writes the routing there); snpemu forwards the line
 *   the firmware routed, whatever the guest writes.
 */
#include "pci_view.h"

#include <stddef.h>

#include "iommu.h"

/* Command bits a guest may set (PCI 3.0 §6.2.2); Bus Master Enable only
 * for a confined device. */
#define CMD_GUEST                                                   \
	(PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_PARITY | PCI_CMD_SERR | \
	 PCI_CMD_INTX_DISABLE)

/* ---- probing ---- */

static uint32_t conf_size(uint8_t devfn, uint8_t reg, uint32_t *orig)
{
	uint32_t v = 0;

	*orig = pci_conf_read(devfn, reg, 4);
	pci_conf_write(devfn, reg, 4, UINT32_MAX);
	v = pci_conf_read(devfn, reg, 4);
	pci_conf_write(devfn, reg, 4, *orig);
	return v;
}

/* BAR @i; returns the number of slots it takes (2 for a 64-bit BAR). */
static unsigned probe_bar(struct pci_view_dev *d, unsigned i, const char **why)
{
	struct pci_bar *b = &d->bar[i];
	uint8_t reg = (uint8_t)(PCI_REG_BAR0 + 4 * i);
	uint32_t orig = 0, sz = conf_size(d->devfn, reg, &orig);
	uint32_t orig_hi = 0, sz_hi = 0, mask = 0;
	uint64_t mask64 = 0;

	if (orig & 1) {
		mask = sz & ~3u;
		if (mask == 0) {
			return 1;
		}
		b->kind = PCI_BAR_IO;
		b->type = 1;
		b->wmask = mask;
		/* Upper 16 bits may be hardwired 0 (PCI 3.0 §6.2.5.1). */
		if (!(mask & 0xffff0000u)) {
			mask |= 0xffff0000u;
		}
		b->size = (uint32_t)(~mask + 1);
		b->base = orig & ~3u;
		b->virt = (uint32_t)b->base & b->wmask;
		return 1;
	}
	switch ((orig >> 1) & 3) {
	case 0:
		mask = sz & ~0xfu;
		if (mask == 0) {
			return 1;
		}
		b->kind = PCI_BAR_MEM32;
		b->type = orig & 0xf;
		b->wmask = mask;
		b->size = (uint32_t)(~mask + 1);
		b->base = orig & ~0xfu;
		b->virt = (uint32_t)b->base & b->wmask;
		return 1;
	case 2:
		if (i + 1 >= PCI_BAR_COUNT) {
			*why = "a 64-bit BAR in the last slot";
			return 1;
		}
		sz_hi = conf_size(d->devfn, (uint8_t)(reg + 4), &orig_hi);
		mask64 = ((uint64_t)sz_hi << 32) | (sz & ~0xfu);
		if (mask64 == 0) {
			return 2;
		}
		b->kind = PCI_BAR_MEM64;
		b->type = orig & 0xf;
		b->wmask = sz & ~0xfu;
		b->size = ~mask64 + 1;
		b->base = ((uint64_t)orig_hi << 32) | (orig & ~0xfu);
		b->virt = (uint32_t)b->base & b->wmask;
		d->bar[i + 1] = (struct pci_bar){
			.kind = PCI_BAR_MEM64H,
			.wmask = sz_hi,
			.base = b->base,
			.size = b->size,
			.virt = (uint32_t)(b->base >> 32) & sz_hi,
		};
		return 2;
	default:
		*why = "a memory BAR of reserved type";
		return 1;
	}
}

static void probe_caps(struct pci_view_dev *d, const char **why)
{
	uint8_t seen[256 / 32] = {0};
	uint8_t p = 0;

	if (!(pci_conf_read(d->devfn, PCI_REG_STATUS, 2) &
	      PCI_STATUS_CAP_LIST)) {
		return;
	}
	p = (uint8_t)(pci_conf_read(d->devfn, PCI_REG_CAP_PTR, 1) & 0xfc);
	while (p != 0) {
		uint8_t id = (uint8_t)pci_conf_read(d->devfn, p, 1);
		uint8_t next =
			(uint8_t)(pci_conf_read(d->devfn, p + 1, 1) & 0xfc);
		unsigned len = 0;

		if (p < 0x40 || (seen[p / 32] & (1u << (p / 4 % 8)))) {
			*why = "a malformed capability list";
			return;
		}
		seen[p / 32] |= (uint8_t)(1u << (p / 4 % 8));
		if (id == PCI_CAP_ID_MSI) {
			uint32_t ctl = pci_conf_read(d->devfn, p, 4) >> 16;

			/* PCI 3.0 §6.8.1: 64-bit address, per-vector mask. */
			len = 10 + ((ctl & 0x80) ? 4 : 0) +
			      ((ctl & 0x100) ? 10 : 0);
			d->msi = (struct pci_msi){
				.off = p,
				.pos = d->cap_count,
				.is64 = (ctl & 0x80) != 0,
				.maskable = (ctl & 0x100) != 0,
			};
		} else if (id == PCI_CAP_ID_MSIX) {
			len = 12; /* PCI 3.0 §6.8.2 */
		}
		if (len != 0) {
			if (d->hide_count == PCI_CAP_MAX || p + len > 0x100) {
				*why = "an MSI capability that cannot be "
				       "hidden";
				return;
			}
			d->hide_off[d->hide_count] = p;
			d->hide_len[d->hide_count++] = (uint8_t)len;
		} else {
			if (d->cap_count == PCI_CAP_MAX) {
				*why = "too many capabilities";
				return;
			}
			d->cap[d->cap_count++] = p;
		}
		p = next;
	}
}

bool pci_view_probe(struct pci_view_dev *d, uint8_t devfn, const char **why)
{
	uint32_t id = pci_conf_read(devfn, PCI_REG_ID, 4);
	uint32_t intr = 0;
	uint16_t cmd = 0;

	*d = (struct pci_view_dev){0};
	*why = "";
	if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0) {
		return false;
	}
	d->devfn = devfn;
	d->vendor = (uint16_t)id;
	d->device = (uint16_t)(id >> 16);
	d->class_rev = pci_conf_read(devfn, PCI_REG_CLASS, 4);
	if ((pci_conf_read(devfn, PCI_REG_HEADER, 4) >> 16 & 0x7f) != 0) {
		*why = "not a type 0 header (a bridge)";
		return true;
	}
	intr = pci_conf_read(devfn, PCI_REG_INTR, 4);
	d->irq_line = (uint8_t)intr;
	d->irq_line_virt = d->irq_line;
	d->irq_pin = (uint8_t)(intr >> 8);
	/* Sizing writes all-ones into the BARs: decoding off meanwhile, as
	 * firmware does, so nothing decodes at the sizing pattern. */
	cmd = (uint16_t)pci_conf_read(devfn, PCI_REG_COMMAND, 2);
	pci_conf_write(devfn, PCI_REG_COMMAND, 2,
		       cmd & ~(PCI_CMD_IO | PCI_CMD_MEM));
	for (unsigned i = 0; i < PCI_BAR_COUNT;) {
		i += probe_bar(d, i, why);
	}
	pci_conf_write(devfn, PCI_REG_COMMAND, 2, cmd);
	probe_caps(d, why);
	return true;
}

/* ---- the guest's accesses ---- */

static bool bar_reg(uint8_t reg)
{
	return reg >= PCI_REG_BAR0 && reg < PCI_REG_BAR0 + 4 * PCI_BAR_COUNT;
}

static uint32_t real(const struct pci_view_dev *d, uint8_t reg)
{
	return pci_conf_read(d->devfn, reg, 4);
}

/* The firmware's address as the writable bits of BAR slot @b hold it. */
static uint32_t bar_base_bits(const struct pci_bar *b)
{
	uint64_t base = b->kind == PCI_BAR_MEM64H ? b->base >> 32 : b->base;

	return (uint32_t)base & b->wmask;
}

bool pci_view_bar_live(const struct pci_view_dev *d, unsigned i)
{
	const struct pci_bar *b = &d->bar[i];

	switch (b->kind) {
	case PCI_BAR_IO:
	case PCI_BAR_MEM32:
		return b->virt == bar_base_bits(b);
	case PCI_BAR_MEM64:
		return b->virt == bar_base_bits(b) &&
		       d->bar[i + 1].virt == bar_base_bits(&d->bar[i + 1]);
	default:
		return false;
	}
}

static bool hidden_byte(const struct pci_view_dev *d, unsigned off)
{
	for (unsigned i = 0; i < d->hide_count; i++) {
		if (off >= d->hide_off[i] &&
		    off < (unsigned)d->hide_off[i] + d->hide_len[i]) {
			return true;
		}
	}
	return false;
}

bool pci_view_keep_msi(struct pci_view_dev *d)
{
	unsigned h = 0;

	if (d->msi.off == 0 || d->msi.maskable || d->msi.shown ||
	    d->cap_count == PCI_CAP_MAX) {
		return false;
	}
	while (h < d->hide_count && d->hide_off[h] != d->msi.off) {
		h++;
	}
	if (h == d->hide_count) {
		return false;
	}
	for (; h + 1 < d->hide_count; h++) {
		d->hide_off[h] = d->hide_off[h + 1];
		d->hide_len[h] = d->hide_len[h + 1];
	}
	d->hide_count--;
	for (unsigned j = d->cap_count; j > d->msi.pos; j--) {
		d->cap[j] = d->cap[j - 1];
	}
	d->cap[d->msi.pos] = d->msi.off;
	d->cap_count++;
	d->msi.shown = true;
	return true;
}

/* 0x40-0xFF: hidden capabilities read 0, the kept ones are relinked, a
 * shown MSI capability's registers are the virtual ones. */
static uint32_t device_specific(const struct pci_view_dev *d, uint8_t reg)
{
	uint32_t v = real(d, reg);

	for (unsigned k = 0; k < 4; k++) {
		unsigned off = reg + k;
		uint32_t byte_mask = UINT32_C(0xff) << (8 * k);

		if (hidden_byte(d, off)) {
			v &= ~byte_mask;
			continue;
		}
		if (pci_msi_claims(&d->msi, off)) {
			uint16_t ctl = (uint16_t)(real(d, d->msi.off) >> 16);

			v = (v & ~byte_mask) |
			    (uint32_t)pci_msi_read(&d->msi, ctl, off)
				    << (8 * k);
			continue;
		}
		for (unsigned j = 0; j < d->cap_count; j++) {
			if (off == d->cap[j] + 1u) {
				uint32_t next = j + 1 < d->cap_count
							? d->cap[j + 1]
							: 0;

				v = (v & ~byte_mask) | next << (8 * k);
			}
		}
	}
	return v;
}

uint32_t pci_view_read(const struct pci_view_dev *d, uint8_t reg)
{
	const struct pci_bar *b = NULL;

	reg &= 0xfc;
	if (bar_reg(reg)) {
		b = &d->bar[(reg - PCI_REG_BAR0) / 4u];
		return b->kind == PCI_BAR_NONE ? 0 : b->virt | b->type;
	}
	switch (reg) {
	case PCI_REG_ID:
	case PCI_REG_CLASS:
	case PCI_REG_HEADER:
	case 0x28: /* CardBus CIS pointer */
	case 0x2c: /* subsystem IDs */
		return real(d, reg);
	case PCI_REG_COMMAND:
		if (d->cap_count == 0) {
			return real(d, reg) &
			       ~((uint32_t)PCI_STATUS_CAP_LIST << 16);
		}
		return real(d, reg);
	case PCI_REG_CAP_PTR:
		return d->cap_count ? d->cap[0] : 0;
	case PCI_REG_INTR:
		return (real(d, reg) & ~UINT32_C(0xff)) | d->irq_line_virt;
	case PCI_REG_ROM:
	case 0x38:
		return 0;
	default:
		return device_specific(d, reg);
	}
}

static void write_bar(struct pci_view_dev *d, unsigned i, uint32_t v,
		      uint8_t byte_mask)
{
	struct pci_bar *b = &d->bar[i];
	uint32_t bytes = 0, w = 0;

	if (b->kind == PCI_BAR_NONE) {
		return;
	}
	for (unsigned k = 0; k < 4; k++) {
		bytes |=
			(byte_mask & (1u << k)) ? UINT32_C(0xff) << (8 * k) : 0;
	}
	w = ((b->virt & ~bytes) | (v & bytes)) & b->wmask;
	if (w == b->wmask || w == bar_base_bits(b)) {
		b->virt = w;
	} else {
		d->refused_bar++;
	}
}

static void write_command(struct pci_view_dev *d, uint32_t v, uint8_t byte_mask)
{
	uint16_t cmd = (uint16_t)pci_conf_read(d->devfn, PCI_REG_COMMAND, 2);
	uint16_t allowed = CMD_GUEST;
	uint16_t status = 0;

	if (byte_mask & 3) {
		if (byte_mask & 1) {
			cmd = (uint16_t)((cmd & 0xff00) | (v & 0xff));
		}
		if (byte_mask & 2) {
			cmd = (uint16_t)((cmd & 0x00ff) | (v & 0xff00));
		}
		if (iommu_dma_confined(0, d->devfn)) {
			allowed |= PCI_CMD_MASTER;
		} else if (cmd & PCI_CMD_MASTER) {
			d->refused_master++;
		}
		pci_conf_write(d->devfn, PCI_REG_COMMAND, 2, cmd & allowed);
	}
	/* Status: write-1-to-clear bits only; a 0 clears nothing, so the
	 * bytes the guest did not write are written as 0. */
	status = (uint16_t)((v >> 16) & PCI_STATUS_RW1C);
	status &= (uint16_t)(((byte_mask & 4) ? 0x00ff : 0) |
			     ((byte_mask & 8) ? 0xff00 : 0));
	if (status != 0) {
		pci_conf_write(d->devfn, PCI_REG_STATUS, 2, status);
	}
}

void pci_view_write(struct pci_view_dev *d, uint8_t reg, uint32_t v,
		    uint8_t byte_mask)
{
	reg &= 0xfc;
	byte_mask &= 0xf;
	if (byte_mask == 0) {
		return;
	}
	if (bar_reg(reg)) {
		write_bar(d, (reg - PCI_REG_BAR0) / 4u, v, byte_mask);
		return;
	}
	switch (reg) {
	case PCI_REG_COMMAND:
		write_command(d, v, byte_mask);
		return;
	case PCI_REG_HEADER:
		/* Cache line size and latency timer: harmless hints. The
		 * header type is read-only; BIST would start a self-test. */
		for (unsigned k = 0; k < 2; k++) {
			if (byte_mask & (1u << k)) {
				pci_conf_write(d->devfn, (uint8_t)(reg + k), 1,
					       (v >> (8 * k)) & 0xff);
			}
		}
		if (byte_mask & 8) {
			d->refused_other++;
		}
		return;
	case PCI_REG_INTR:
		if (byte_mask & 1) {
			d->irq_line_virt = (uint8_t)v;
		}
		return;
	case PCI_REG_ID:
	case PCI_REG_CLASS:
	case 0x28:
	case 0x2c:
	case PCI_REG_CAP_PTR:
	case 0x38:
		return; /* read-only registers ignore writes */
	default:
		/* The ROM BAR and device-specific registers, except a shown
		 * MSI capability's virtual registers. */
		for (unsigned k = 0; k < 4; k++) {
			if (!(byte_mask & (1u << k))) {
				continue;
			}
			if (pci_msi_claims(&d->msi, reg + k)) {
				pci_msi_write(&d->msi, reg + k,
					      (uint8_t)(v >> (8 * k)));
			} else {
				d->refused_other++;
				return;
			}
		}
		return;
	}
}

/* ---- BAR accesses ---- */

enum pci_io pci_view_io_claim(const struct pci_view_dev *devs, unsigned n,
			      uint16_t port, uint8_t size)
{
	uint64_t lo = port, hi = (uint64_t)port + size;
	enum pci_io r = PCI_IO_NONE;

	for (unsigned i = 0; i < n; i++) {
		for (unsigned j = 0; j < PCI_BAR_COUNT; j++) {
			const struct pci_bar *b = &devs[i].bar[j];

			if (b->kind != PCI_BAR_IO || hi <= b->base ||
			    lo >= b->base + b->size) {
				continue;
			}
			/* Any overlap that is not a whole access inside a
			 * live, shown BAR is denied, also across its end. */
			if (!devs[i].shown || lo < b->base ||
			    hi > b->base + b->size ||
			    !pci_view_bar_live(&devs[i], j)) {
				return PCI_IO_DENY;
			}
			r = PCI_IO_PASS;
		}
	}
	return r;
}

bool pci_view_mmio_claim(const struct pci_view_dev *devs, unsigned n,
			 uint64_t gpa, uint64_t len)
{
	for (unsigned i = 0; i < n; i++) {
		for (unsigned j = 0; j < PCI_BAR_COUNT; j++) {
			const struct pci_bar *b = &devs[i].bar[j];

			if (!devs[i].shown ||
			    (b->kind != PCI_BAR_MEM32 &&
			     b->kind != PCI_BAR_MEM64) ||
			    !pci_view_bar_live(&devs[i], j)) {
				continue;
			}
			if (gpa >= b->base && len <= b->size &&
			    gpa - b->base <= b->size - len) {
				return true;
			}
		}
	}
	return false;
}
