// SPDX-License-Identifier: MIT
/*
 * snpemu's filtered PCI view (emu/pci_view.c) against a fake function in
 * the shape of QEMU's edu plus more: a 32-bit memory BAR, an I/O BAR, a
 * 64-bit prefetchable BAR, MSI, power management, MSI-X and a vendor
 * capability, INTA on IRQ 11. The fake keeps writable bits as hardware
 * does (PCI 3.0 §6.2.5.1 BAR sizing, §6.2.3 RW1C status bits).
 */
#include "pci_view.h"
#include "tap.h"

#define DEVFN 0x10

static uint8_t cfg[256], wmask[256];
static unsigned real_writes;
static bool confined;

bool iommu_dma_confined(uint8_t bus, uint8_t devfn)
{
	return bus == 0 && devfn == DEVFN && confined;
}

uint32_t pci_conf_read(uint8_t devfn, uint8_t reg, uint8_t size)
{
	uint32_t v = 0;

	if (devfn != DEVFN) {
		return size == 4 ? UINT32_MAX : (1u << (8 * size)) - 1;
	}
	for (unsigned i = 0; i < size; i++) {
		v |= (uint32_t)cfg[reg + i] << (8 * i);
	}
	return v;
}

void pci_conf_write(uint8_t devfn, uint8_t reg, uint8_t size, uint32_t v)
{
	if (devfn != DEVFN) {
		return;
	}
	real_writes++;
	for (unsigned i = 0; i < size; i++) {
		uint8_t b = (uint8_t)(v >> (8 * i));
		unsigned r = reg + i;

		if (r == 6 || r == 7) { /* status: RW1C */
			cfg[r] &= (uint8_t) ~(b & (r == 6 ? 0x00 : 0xf9));
			continue;
		}
		cfg[r] = (uint8_t)((cfg[r] & ~wmask[r]) | (b & wmask[r]));
	}
}

static void put(unsigned reg, unsigned size, uint32_t v, uint32_t wm)
{
	for (unsigned i = 0; i < size; i++) {
		cfg[reg + i] = (uint8_t)(v >> (8 * i));
		wmask[reg + i] = (uint8_t)(wm >> (8 * i));
	}
}

static void fake_reset(void)
{
	memset(cfg, 0, sizeof(cfg));
	memset(wmask, 0, sizeof(wmask));
	put(0x00, 4, 0x11e81234, 0);
	put(0x04, 2, 0x0003, 0x0747);         /* command: IO, MEM */
	put(0x06, 2, 0x8010, 0);              /* status: cap list, an error */
	put(0x08, 4, 0x00ff0010, 0);          /* class, revision */
	put(0x0c, 4, 0x00000000, 0xffff);     /* cache line, latency */
	put(0x10, 4, 0xfea00000, 0xfff00000); /* mem32, 1 MiB */
	put(0x14, 4, 0x0000c001, 0xffffff00); /* io, 256 ports */
	put(0x18, 4, 0xfe00000c, 0xffffc000); /* mem64 pref, 16 KiB */
	put(0x1c, 4, 0x00000001, 0xffffffff);
	put(0x34, 1, 0x40, 0);
	put(0x3c, 2, 0x010b, 0x00ff);         /* IRQ 11, INTA */
	put(0x40, 4, 0x00805005, 0x00010000); /* MSI 64-bit, next 0x50 */
	put(0x44, 4, 0, 0xffffffff);
	put(0x50, 4, 0x00036001, 0);          /* PM, next 0x60 */
	put(0x54, 4, 0x00000000, 0x00000003); /* PMCSR */
	put(0x60, 4, 0x00007011, 0);          /* MSI-X, next 0x70 */
	put(0x70, 4, 0x00080009, 0);          /* vendor, next 0 */
	real_writes = 0;
	confined = false;
}

static struct pci_view_dev probed(void)
{
	struct pci_view_dev d;
	const char *why = NULL;

	fake_reset();
	CHECK_TRUE(pci_view_probe(&d, DEVFN, &why));
	CHECK_STR(why, "");
	d.shown = true;
	real_writes = 0;
	return d;
}

TAP_CASE(probe_reads_bars_caps_and_restores)
{
	struct pci_view_dev d = probed();
	const char *why = NULL;

	CHECK_EQ(d.vendor, 0x1234);
	CHECK_EQ(d.device, 0x11e8);
	CHECK_EQ(d.bar[0].kind, PCI_BAR_MEM32);
	CHECK_EQ(d.bar[0].base, 0xfea00000);
	CHECK_EQ(d.bar[0].size, 0x100000);
	CHECK_EQ(d.bar[1].kind, PCI_BAR_IO);
	CHECK_EQ(d.bar[1].base, 0xc000);
	CHECK_EQ(d.bar[1].size, 0x100);
	CHECK_EQ(d.bar[2].kind, PCI_BAR_MEM64);
	CHECK_EQ(d.bar[2].base, UINT64_C(0x1fe000000));
	CHECK_EQ(d.bar[2].size, 0x4000);
	CHECK_EQ(d.bar[3].kind, PCI_BAR_MEM64H);
	CHECK_EQ(d.bar[4].kind, PCI_BAR_NONE);
	CHECK_EQ(d.irq_line, 11);
	CHECK_EQ(d.irq_pin, 1);
	CHECK_EQ(d.cap_count, 2);
	CHECK_EQ(d.cap[0], 0x50);
	CHECK_EQ(d.cap[1], 0x70);
	CHECK_EQ(d.hide_count, 2);
	CHECK_EQ(d.hide_len[0], 14); /* MSI with a 64-bit address */
	CHECK_EQ(d.hide_len[1], 12); /* MSI-X */
	/* Sizing restored every BAR and the command register. */
	CHECK_EQ(pci_conf_read(DEVFN, 0x10, 4), 0xfea00000);
	CHECK_EQ(pci_conf_read(DEVFN, 0x1c, 4), 1);
	CHECK_EQ(pci_conf_read(DEVFN, 0x04, 2), 3);
	/* Nothing at another devfn; a capability list that loops. */
	CHECK_TRUE(!pci_view_probe(&d, 0x18, &why));
	fake_reset();
	put(0x70, 4, 0x00085009, 0); /* next: 0x50 again */
	CHECK_TRUE(pci_view_probe(&d, DEVFN, &why));
	CHECK_STR(why, "a malformed capability list");
	fake_reset();
	put(0x0c, 4, 0x00010000, 0); /* a bridge */
	CHECK_TRUE(pci_view_probe(&d, DEVFN, &why));
	CHECK_STR(why, "not a type 0 header (a bridge)");
}

TAP_CASE(msi_hidden_caps_relinked_rom_absent)
{
	struct pci_view_dev d = probed();

	CHECK_EQ(pci_view_read(&d, 0x34), 0x50);
	CHECK_EQ(pci_view_read(&d, 0x04) >> 16, 0x8010);
	CHECK_EQ(pci_view_read(&d, 0x40), 0);
	CHECK_EQ(pci_view_read(&d, 0x44), 0);
	CHECK_EQ(pci_view_read(&d, 0x4c) & 0xffff, 0);
	CHECK_EQ(pci_view_read(&d, 0x50), 0x00037001); /* next: 0x70 */
	CHECK_EQ(pci_view_read(&d, 0x60), 0);
	CHECK_EQ(pci_view_read(&d, 0x70), 0x00080009);
	CHECK_EQ(pci_view_read(&d, 0x30), 0);
	/* Writes there are refused: MSI stays disabled in the device. */
	pci_view_write(&d, 0x40, 0x00010000, 0xc);
	pci_view_write(&d, 0x54, 3, 0x1);
	CHECK_EQ(real_writes, 0);
	CHECK_EQ(d.refused_other, 2);
	/* Only MSI: no capability list at all. */
	put(0x50, 4, 0, 0);
	put(0x40, 4, 0x00800005, 0);
	d = (struct pci_view_dev){0};
	{
		const char *why = NULL;

		CHECK_TRUE(pci_view_probe(&d, DEVFN, &why));
	}
	CHECK_EQ(pci_view_read(&d, 0x34), 0);
	CHECK_EQ(pci_view_read(&d, 0x04) >> 16, 0x8000);
}

TAP_CASE(bar_sizing_allowed_moves_refused)
{
	struct pci_view_dev d = probed();

	pci_view_write(&d, 0x10, UINT32_MAX, 0xf);
	CHECK_EQ(pci_view_read(&d, 0x10), 0xfff00000);
	CHECK_TRUE(!pci_view_bar_live(&d, 0));
	pci_view_write(&d, 0x10, 0xfea00000, 0xf);
	CHECK_TRUE(pci_view_bar_live(&d, 0));
	pci_view_write(&d, 0x10, 0x10000000, 0xf); /* onto guest RAM */
	pci_view_write(&d, 0x10, 0, 0xf);
	pci_view_write(&d, 0x12, 0x1234, 0x3 << 2); /* upper half */
	CHECK_EQ(d.refused_bar, 3);
	CHECK_EQ(pci_view_read(&d, 0x10), 0xfea00000);
	CHECK_TRUE(pci_view_bar_live(&d, 0));
	/* I/O BAR: the type bit reads back with the size mask. */
	pci_view_write(&d, 0x14, UINT32_MAX, 0xf);
	CHECK_EQ(pci_view_read(&d, 0x14), 0xffffff01);
	pci_view_write(&d, 0x14, 0xc001, 0xf);
	CHECK_EQ(pci_view_read(&d, 0x14), 0xc001);
	/* 64-bit: each half sized on its own; live only with both back. */
	pci_view_write(&d, 0x18, UINT32_MAX, 0xf);
	pci_view_write(&d, 0x1c, UINT32_MAX, 0xf);
	CHECK_EQ(pci_view_read(&d, 0x18), 0xffffc00c);
	CHECK_EQ(pci_view_read(&d, 0x1c), UINT32_MAX);
	pci_view_write(&d, 0x18, 0xfe00000c, 0xf);
	CHECK_TRUE(!pci_view_bar_live(&d, 2));
	pci_view_write(&d, 0x1c, 2, 0xf); /* another 4 GiB: a move */
	CHECK_TRUE(!pci_view_bar_live(&d, 2));
	pci_view_write(&d, 0x1c, 1, 0xf);
	CHECK_TRUE(pci_view_bar_live(&d, 2));
	CHECK_EQ(d.refused_bar, 4);
	/* The real BARs were never written. */
	CHECK_EQ(real_writes, 0);
	CHECK_EQ(pci_conf_read(DEVFN, 0x10, 4), 0xfea00000);
	/* Unimplemented BAR: reads 0, sizing too. */
	pci_view_write(&d, 0x20, UINT32_MAX, 0xf);
	CHECK_EQ(pci_view_read(&d, 0x20), 0);
}

TAP_CASE(command_bus_master_refused_unless_confined)
{
	struct pci_view_dev d = probed();

	pci_view_write(&d, 0x04, 0x0547, 0x3);
	CHECK_EQ(pci_view_read(&d, 0x04) & 0xffff, 0x0543);
	CHECK_EQ(d.refused_master, 1);
	pci_view_write(&d, 0x04, 0x04, 0x1); /* byte write: master only */
	CHECK_EQ(pci_view_read(&d, 0x04) & 0xffff, 0x0500);
	confined = true;
	pci_view_write(&d, 0x04, 0x0007, 0x3);
	CHECK_EQ(pci_view_read(&d, 0x04) & 0xffff, 0x0007);
	/* Status: writing 1 clears an error bit, nothing else changes. */
	pci_view_write(&d, 0x04, 0x80000007, 0xc);
	CHECK_EQ(pci_view_read(&d, 0x04) >> 16, 0x0010);
	CHECK_EQ(pci_view_read(&d, 0x04) & 0xffff, 0x0007);
}

TAP_CASE(interrupt_line_is_a_scratch_copy)
{
	struct pci_view_dev d = probed();

	CHECK_EQ(pci_view_read(&d, 0x3c) & 0xffff, 0x010b);
	pci_view_write(&d, 0x3c, 0x55, 0x1);
	CHECK_EQ(pci_view_read(&d, 0x3c) & 0xffff, 0x0155);
	CHECK_EQ(d.irq_line, 11);
	CHECK_EQ(pci_conf_read(DEVFN, 0x3c, 1), 11);
}

TAP_CASE(bar_claims_exact)
{
	struct pci_view_dev d[2];

	d[0] = probed();
	d[1] = d[0];
	d[1].shown = false;
	d[1].bar[1].base = 0xd000; /* a hidden function's I/O BAR */
	CHECK_EQ(pci_view_io_claim(d, 2, 0xc000, 4), PCI_IO_PASS);
	CHECK_EQ(pci_view_io_claim(d, 2, 0xc0fc, 4), PCI_IO_PASS);
	CHECK_EQ(pci_view_io_claim(d, 2, 0xc0fe, 4), PCI_IO_DENY);
	CHECK_EQ(pci_view_io_claim(d, 2, 0xbffe, 4), PCI_IO_DENY);
	CHECK_EQ(pci_view_io_claim(d, 2, 0xbffc, 4), PCI_IO_NONE);
	CHECK_EQ(pci_view_io_claim(d, 2, 0xd080, 1), PCI_IO_DENY);
	CHECK_EQ(pci_view_io_claim(d, 2, 0xfffe, 4), PCI_IO_NONE);
	CHECK_TRUE(pci_view_mmio_claim(d, 2, 0xfea00000, 8));
	CHECK_TRUE(pci_view_mmio_claim(d, 2, 0xfeaffffc, 4));
	CHECK_TRUE(!pci_view_mmio_claim(d, 2, 0xfeaffffc, 8));
	CHECK_TRUE(!pci_view_mmio_claim(d, 2, 0xfeb00000, 4));
	CHECK_TRUE(!pci_view_mmio_claim(d, 2, 0xfe9ffffc, 4));
	CHECK_TRUE(!pci_view_mmio_claim(d, 2, UINT64_MAX - 3, 4));
	/* Sizing pattern left in: not live, nothing decodes. */
	pci_view_write(&d[0], 0x10, UINT32_MAX, 0xf);
	pci_view_write(&d[0], 0x14, UINT32_MAX, 0xf);
	CHECK_TRUE(!pci_view_mmio_claim(d, 2, 0xfea00000, 4));
	CHECK_EQ(pci_view_io_claim(d, 2, 0xc000, 1), PCI_IO_DENY);
}

/*
 * A hostile guest's random configuration writes (any dword, value and
 * byte enables, as CONFIG_DATA delivers them): nothing from 0x10 on (BARs,
 * ROM BAR, interrupt line, MSI/MSI-X, the rest) is written to the device,
 * Bus Master Enable is never set,
 * every BAR reads its firmware address or its sizing mask, and the
 * hidden bytes keep reading 0.
 */
TAP_CASE(random_writes_keep_invariants)
{
	struct pci_view_dev d = probed();
	uint8_t before[256];
	uint64_t x = 0x9e3779b97f4a7c15u;
	unsigned bad = 0;

	memcpy(before, cfg, sizeof(before));
	for (unsigned n = 0; n < 200000; n++) {
		uint8_t reg = 0, mask = 0;
		uint32_t v = 0;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		reg = (uint8_t)(x & 0xfc);
		mask = (uint8_t)((x >> 8) & 0xf);
		v = (uint32_t)(x >> 32);
		if ((x >> 12) & 1) {
			v = (x >> 13) & 1 ? UINT32_MAX : 0xfea00000u;
		}
		pci_view_write(&d, reg, v, mask);
		/* Nothing from the BARs on is ever written to the device. */
		for (unsigned r = 0x10; r < 0x100; r++) {
			bad += cfg[r] != before[r];
		}
		bad += (cfg[4] & PCI_CMD_MASTER) != 0;
		bad += pci_view_read(&d, 0x40) != 0 ||
		       pci_view_read(&d, 0x60) != 0 ||
		       pci_view_read(&d, 0x30) != 0;
		v = pci_view_read(&d, 0x10);
		bad += v != 0xfea00000u && v != 0xfff00000u;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(cfg[0x3c], 11); /* the routed line stays the firmware's */
}

/* MSI shown for a confined function: virtual registers, the device's
 * untouched; only a message snpemu can deliver is a target. */
TAP_CASE(msi_virtualized)
{
	struct pci_view_dev d = probed();
	uint8_t dest = 0, vec = 0;

	CHECK_TRUE(pci_view_keep_msi(&d));
	CHECK_TRUE(!pci_view_keep_msi(&d));
	CHECK_EQ(pci_view_read(&d, 0x34), 0x40);
	CHECK_EQ(pci_view_read(&d, 0x40), 0x00805005); /* off, next 0x50 */
	CHECK_EQ(pci_view_read(&d, 0x50) & 0xff00, 0x7000);
	CHECK_EQ(pci_view_read(&d, 0x60), 0);      /* MSI-X still hidden */
	pci_view_write(&d, 0x44, 0xfee01003, 0xf); /* APIC 1, bits 1:0 */
	pci_view_write(&d, 0x48, 0, 0xf);
	pci_view_write(&d, 0x4c, 0x0041, 0x3);
	CHECK_TRUE(!pci_msi_target(&d.msi, &dest, &vec)); /* not enabled */
	pci_view_write(&d, 0x40, 0x00710000, 0xc); /* enable, 8 messages */
	CHECK_EQ(pci_view_read(&d, 0x40) >> 16, 0x0081);
	CHECK_EQ(pci_view_read(&d, 0x44), 0xfee01000);
	CHECK_EQ(pci_view_read(&d, 0x4c) & 0xffff, 0x0041);
	CHECK_TRUE(pci_msi_target(&d.msi, &dest, &vec));
	CHECK_EQ(dest, 1);
	CHECK_EQ(vec, 0x41);
	CHECK_TRUE(d.msi.changed);
	CHECK_EQ(real_writes, 0); /* pci.c programs the device, not this */
	pci_view_write(&d, 0x4c, 0x0441, 0x3); /* NMI delivery */
	CHECK_TRUE(!pci_msi_target(&d.msi, &dest, &vec));
	pci_view_write(&d, 0x4c, 0x8041, 0x3); /* level */
	CHECK_TRUE(!pci_msi_target(&d.msi, &dest, &vec));
	pci_view_write(&d, 0x4c, 0x000f, 0x3); /* vector < 16 */
	CHECK_TRUE(!pci_msi_target(&d.msi, &dest, &vec));
	pci_view_write(&d, 0x4c, 0x0041, 0x3);
	pci_view_write(&d, 0x48, 1, 0xf); /* above 4 GiB */
	CHECK_TRUE(!pci_msi_target(&d.msi, &dest, &vec));
	pci_view_write(&d, 0x48, 0, 0xf);
	pci_view_write(&d, 0x44, 0xfed00000, 0xf); /* not the APIC window */
	CHECK_TRUE(!pci_msi_target(&d.msi, &dest, &vec));
	/* Beyond the capability: refused as before. */
	pci_view_write(&d, 0x54, 3, 0x1);
	CHECK_EQ(d.refused_other, 1);
	CHECK_EQ(real_writes, 0);
	/* Per-vector masking is not virtualized: stays hidden. */
	fake_reset();
	put(0x40, 4, 0x01805005, 0);
	{
		const char *why = NULL;

		CHECK_TRUE(pci_view_probe(&d, DEVFN, &why));
	}
	CHECK_TRUE(!pci_view_keep_msi(&d));
	CHECK_EQ(pci_view_read(&d, 0x34), 0x50);
}

TAP_MAIN(TAP_ENTRY(probe_reads_bars_caps_and_restores),
	 TAP_ENTRY(msi_hidden_caps_relinked_rom_absent),
	 TAP_ENTRY(bar_sizing_allowed_moves_refused),
	 TAP_ENTRY(command_bus_master_refused_unless_confined),
	 TAP_ENTRY(interrupt_line_is_a_scratch_copy),
	 TAP_ENTRY(bar_claims_exact), TAP_ENTRY(random_writes_keep_invariants),
	 TAP_ENTRY(msi_virtualized))
