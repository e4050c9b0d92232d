// SPDX-License-Identifier: MIT
/*
 * snpemu interrupt payload, mode 5: QEMU's PCI devices behind snpemu
 * (docs/snpemu.md §4), seen from VMPL2 as a guest driver sees them:
 * configuration mechanism #1 through the GHCB IOIO event, BARs through the
 * GHCB MMIO and IOIO events, INTx through the 8259.
 *
 * QEMU's `edu` device (vendor 1234, device 11E8; QEMU docs/specs/edu.txt):
 * BAR0 is 1 MiB of 32-bit MMIO with the ID register (0x00, 0x010000ED),
 * the liveness register (0x04, reads back inverted), the factorial unit
 * (0x08, status 0x20), interrupt status (0x24), raise (0x60) and
 * acknowledge (0x64); INTA, level-triggered, and an MSI capability.
 * `pci-testdev` (1B36:0005; QEMU hw/misc/pci-testdev.c): BAR0 4 KiB MMIO,
 * BAR1 256 I/O ports; a byte write of n at offset 0 selects test n, whose
 * header (test number at 0, name at 16: "mmio-no-eventfd",
 * "portio-no-eventfd") then reads back. tests/emu/test_pci.py runs this
 * mode twice: with both devices on snpemu's allow-list, and with edu only
 * (then pci-testdev must be invisible and its I/O BAR denied).
 */
#include "lib/compiler.h"
#include "lib/string.h"

#include "svsm/abi/snp.h"

#include "irq_guest.h"
#include "payload.h"

#define X2(reg) (0x800u + ((reg) >> 4))
#define EDU_ID 0x11e81234u
#define TESTDEV_ID 0x00051b36u
#define NONE 0xffffu

extern uint8_t trap_0x25[], trap_0x26[], trap_0x27[], trap_0x28[], trap_0x29[],
	trap_0x2a[], trap_0x2b[], trap_0x2c[], trap_0x2d[], trap_0x2e[],
	trap_0x2f[];
uint8_t *const pci_traps[11] = {
	trap_0x25, trap_0x26, trap_0x27, trap_0x28, trap_0x29, trap_0x2a,
	trap_0x2b, trap_0x2c, trap_0x2d, trap_0x2e, trap_0x2f,
};

static unsigned edu = NONE, tdev = NONE;
static uint64_t edu_base;
/* Interrupts the handler leaves unacknowledged at the device (level). */
static volatile unsigned hold_ack;

static uint32_t cfg_addr(unsigned bus, unsigned devfn, unsigned reg)
{
	return 0x80000000u | bus << 16 | devfn << 8 | (reg & 0xfc);
}

static uint32_t cfg_rd(unsigned devfn, unsigned reg, unsigned size)
{
	io_out(0xcf8, 4, cfg_addr(0, devfn, reg));
	return io_in((uint16_t)(0xcfc + (reg & 3)), size);
}

static void cfg_wr(unsigned devfn, unsigned reg, unsigned size, uint32_t v)
{
	io_out(0xcf8, 4, cfg_addr(0, devfn, reg));
	io_out((uint16_t)(0xcfc + (reg & 3)), size, v);
}

void pci_trap(unsigned vec)
{
	if (hold_ack > 0) {
		hold_ack--;
	} else {
		mmio_wr(edu_base + 0x64, 4, mmio_rd(edu_base + 0x24, 4));
	}
	if (vec >= 0x28) {
		io_out(0xa0, 1, 0x20); /* slave: non-specific EOI */
	}
	io_out(0x20, 1, 0x20);
}

/* wait_for() with the APIC timer as a guard: the HLT always wakes. */
static bool wait(volatile uint64_t *c, uint64_t n, uint64_t ms)
{
	bool r = false;

	guard_timer(ms + 20);
	r = wait_for(c, n, ms);
	(void)msr_wr(X2(0x380), 0); /* TMICT: guard off */
	return r;
}

static void t_scan(bool tdev_allowed)
{
	bool ok = true;
	unsigned others = 0;

	for (unsigned devfn = 0; devfn < 256; devfn++) {
		uint32_t id = cfg_rd(devfn, 0, 4);

		if (id == EDU_ID) {
			edu = devfn;
		} else if (id == TESTDEV_ID) {
			tdev = devfn;
		} else if (id != UINT32_MAX) {
			out("# unexpected %08x at devfn 0x%x\n", id, devfn);
			others++;
		}
	}
	EXPECT_EQ(edu != NONE, true);
	EXPECT_EQ(tdev != NONE, tdev_allowed);
	EXPECT_EQ(others, 0);
	if (edu != NONE) {
		/* Another bus, and the latch without its enable bit. */
		io_out(0xcf8, 4, cfg_addr(1, edu, 0));
		EXPECT_EQ(io_in(0xcfc, 4), UINT32_MAX);
		io_out(0xcf8, 4, cfg_addr(0, edu, 0) & 0x7fffffffu);
		EXPECT_EQ(io_in(0xcfc, 4), UINT32_MAX);
		EXPECT_EQ(cfg_rd(edu, 2, 2), 0x11e8);
		/* Reserved bits 30:24 or type bits 1:0 in the latch. */
		io_out(0xcf8, 4, cfg_addr(0, edu, 0) | (1u << 24));
		EXPECT_EQ(io_in(0xcfc, 4), UINT32_MAX);
		io_out(0xcf8, 4, cfg_addr(0, edu, 0) | 1u);
		EXPECT_EQ(io_in(0xcfc, 4), UINT32_MAX);
		/* Only a 32-bit access is CONFIG_ADDRESS; a data access
		 * must be aligned and stay inside CONFIG_DATA. */
		io_out(0xcf8, 4, cfg_addr(0, edu, 0));
		io_out(0xcf8, 2, 0);
		EXPECT_EQ(io_in(0xcf8, 4), cfg_addr(0, edu, 0));
		EXPECT_EQ(io_in(0xcfe, 2), 0x11e8);
		EXPECT_EQ(io_in(0xcfd, 2), 0xffff);
		EXPECT_EQ(io_in(0xcfa, 4), UINT32_MAX);
	}
	report(ok,
	       "PCI mechanism #1 from VMPL2: bus 0 shows exactly the functions "
	       "on snpemu's pci= allow-list; malformed accesses read all-ones");
}

static void t_edu_bar(void)
{
	bool ok = edu != NONE;
	uint32_t bar0 = 0, cmd = 0;
	uint64_t t0 = 0;

	if (ok) {
		bar0 = cfg_rd(edu, 0x10, 4);
		cmd = cfg_rd(edu, 4, 2);
		edu_base = bar0 & ~0xfu;
		EXPECT_EQ(bar0 & 0xf, 0); /* 32-bit, not prefetchable */
		EXPECT_EQ(edu_base != 0, true);
		/* Sizing as Linux does: decoding off, all-ones, restore. */
		cfg_wr(edu, 4, 2, cmd & ~2u);
		cfg_wr(edu, 0x10, 4, UINT32_MAX);
		EXPECT_EQ(cfg_rd(edu, 0x10, 4), 0xfff00000u);
		cfg_wr(edu, 0x10, 4, bar0);
		EXPECT_EQ(cfg_rd(edu, 0x10, 4), bar0);
		cfg_wr(edu, 4, 2, cmd | 2u);
		EXPECT_EQ(mmio_rd(edu_base, 4), 0x010000edu);
		mmio_wr(edu_base + 4, 4, 0x12345678);
		EXPECT_EQ(mmio_rd(edu_base + 4, 4), 0xedcba987u);
		mmio_wr(edu_base + 8, 4, 5);
		t0 = rdtsc();
		while ((mmio_rd(edu_base + 0x20, 4) & 1) &&
		       rdtsc() - t0 < 1000 * tsc_ms) {
		}
		EXPECT_EQ(mmio_rd(edu_base + 8, 4), 120);
		out("# edu BAR0 0x%llx\n", (unsigned long long)edu_base);
	}
	report(ok,
	       "edu BAR0 at the firmware's address, sized 1 MiB by all-ones; "
	       "ID, liveness and factorial registers through GHCB MMIO");
}

static void t_bar_moves(void)
{
	bool ok = edu != NONE;
	uint32_t bar0 = (uint32_t)edu_base;

	if (ok) {
		cfg_wr(edu, 0x10, 4, bar0 + 0x100000);
		EXPECT_EQ(cfg_rd(edu, 0x10, 4), bar0);
		cfg_wr(edu, 0x10, 4, 0);
		EXPECT_EQ(cfg_rd(edu, 0x10, 4), bar0);
		cfg_wr(edu, 0x12, 2, 0x1234); /* its upper half only */
		EXPECT_EQ(cfg_rd(edu, 0x10, 4), bar0);
		EXPECT_EQ(mmio_rd(edu_base, 4), 0x010000edu);
		/* Just past either end: refused (floats high). */
		EXPECT_EQ(mmio_rd(edu_base + 0x100000, 4), UINT32_MAX);
		EXPECT_EQ(mmio_rd(edu_base - 4, 4), UINT32_MAX);
		/* Left in the sizing pattern, the BAR decodes nothing. */
		cfg_wr(edu, 0x10, 4, UINT32_MAX);
		EXPECT_EQ(mmio_rd(edu_base, 4), UINT32_MAX);
		cfg_wr(edu, 0x10, 4, bar0);
		EXPECT_EQ(mmio_rd(edu_base, 4), 0x010000edu);
	}
	report(ok,
	       "BAR moves refused (BAR0 reads back unchanged, MMIO stays at "
	       "the "
	       "firmware's address); outside the BAR or while sizing: refused");
}

/* With the IOMMU: edu's MSI capability, virtualized by snpemu: the
 * guest's message (its own APIC, vector 0x45) is delivered, one the
 * guest cannot take (vector 5) never arrives. */
static bool msi_case(void)
{
	bool ok = true;
	uint64_t n = cnt[0x45], t0 = 0, t1 = 0;

	EXPECT_EQ(cfg_rd(edu, 6, 2) & 0x10u, 0x10u);
	EXPECT_EQ(cfg_rd(edu, 0x34, 1), 0x40);
	EXPECT_EQ(cfg_rd(edu, 0x40, 1), 5);      /* MSI */
	EXPECT_EQ(cfg_rd(edu, 0x42, 2), 0x0080); /* 64-bit, off */
	cfg_wr(edu, 0x44, 4, 0xfee00000u);
	cfg_wr(edu, 0x48, 4, 0);
	cfg_wr(edu, 0x4c, 2, 0x45);
	cfg_wr(edu, 0x42, 2, 0x0071); /* enable, asking for 8 messages */
	EXPECT_EQ(cfg_rd(edu, 0x42, 2), 0x0081);
	EXPECT_EQ(cfg_rd(edu, 0x44, 4), 0xfee00000u);
	EXPECT_EQ(cfg_rd(edu, 0x4c, 2), 0x45);
	t0 = rdtsc();
	mmio_wr(edu_base + 0x60, 4, 1);
	t1 = rdtsc();
	EXPECT_EQ(wait(&cnt[0x45], n + 1, 1000), true);
	out("# edu MSI raised -> VMPL2 handler: %llu us (the raising MMIO "
	    "write returned after %llu us)\n",
	    (unsigned long long)((when[0x45] - t0) * 1000 / tsc_ms),
	    (unsigned long long)((t1 - t0) * 1000 / tsc_ms));
	mmio_wr(edu_base + 0x64, 4, 1);
	/* An illegal vector: snpemu leaves the device's MSI off. */
	cfg_wr(edu, 0x4c, 2, 0x05);
	mmio_wr(edu_base + 0x60, 4, 1);
	EXPECT_EQ(wait(&cnt[0x45], n + 2, 100), false);
	EXPECT_EQ(cnt[5], 0);
	mmio_wr(edu_base + 0x64, 4, 1);
	cfg_wr(edu, 0x42, 2, 0);
	return ok;
}

static void t_master_msi(bool iommu)
{
	bool ok = edu != NONE;
	uint32_t cmd = 0, master = iommu ? 4u : 0u;

	if (ok) {
		cmd = cfg_rd(edu, 4, 2);
		cfg_wr(edu, 4, 2, cmd | 6u);
		EXPECT_EQ(cfg_rd(edu, 4, 2) & 6u, 2u | master);
		cfg_wr(edu, 4, 1, 0x07);
		EXPECT_EQ(cfg_rd(edu, 4, 2) & 6u, 2u | master);
		if (iommu) {
			ok = msi_case() && ok;
		} else {
			/* edu's only capability is MSI: no list at all. */
			EXPECT_EQ(cfg_rd(edu, 6, 2) & 0x10u, 0);
			EXPECT_EQ(cfg_rd(edu, 0x34, 1), 0);
			cfg_wr(edu, 0x42, 2, 1); /* MSI enable, at 0x40 */
			EXPECT_EQ(cfg_rd(edu, 0x40, 4), 0);
			EXPECT_EQ(cfg_rd(edu, 0x44, 4), 0);
		}
		cfg_wr(edu, 4, 2, cmd | 2u);
		cfg_wr(edu, 0x30, 4, UINT32_MAX);
		EXPECT_EQ(cfg_rd(edu, 0x30, 4), 0); /* no expansion ROM */
	}
	report(ok,
	       iommu ? "Bus Master Enable granted: the IOMMU confines "
		       "edu's DMA; its MSI virtualized: the guest's "
		       "vector arrives, an illegal one never; no ROM"
		     : "Bus Master Enable refused (reads 0) without the "
		       "IOMMU; MSI hidden (INTx only); expansion ROM absent");
}

/* 8259 pair at 0x20/0x28 with only @line (and the cascade) unmasked, the
 * line level-triggered in the ELCR as for any PCI line. */
static void pic_for(unsigned line)
{
	static const uint8_t icw[2][4] = {{0x11, 0x20, 0x04, 0x01},
					  {0x11, 0x28, 0x02, 0x01}};
	uint16_t imr = (uint16_t) ~((1u << line) | (1u << 2));

	for (unsigned c = 0; c < 2; c++) {
		uint16_t base = c ? 0xa0 : 0x20;

		io_out(base, 1, icw[c][0]);
		for (unsigned i = 1; i < 4; i++) {
			io_out(base + 1, 1, icw[c][i]);
		}
	}
	io_out(0x4d0 + line / 8, 1,
	       io_in(0x4d0 + line / 8, 1) | (1u << (line % 8)));
	io_out(0xa1, 1, (uint8_t)(imr >> 8));
	io_out(0x21, 1, (uint8_t)imr);
}

static void t_intx(void)
{
	bool ok = edu != NONE;
	unsigned line = 0, vec = 0;
	uint64_t t0 = 0;

	if (ok) {
		line = cfg_rd(edu, 0x3c, 1);
		EXPECT_EQ(cfg_rd(edu, 0x3d, 1), 1); /* INTA */
		ok = ok && line >= 5 && line <= 15 && line != 8;
	}
	if (ok) {
		/* Interrupt Line is the guest's scratch register. */
		cfg_wr(edu, 0x3c, 1, 0x55);
		EXPECT_EQ(cfg_rd(edu, 0x3c, 1), 0x55);
		cfg_wr(edu, 0x3c, 1, line);
		vec = 0x20 + line;              /* ICW2: 0x20 and 0x28 */
		(void)msr_wr(X2(0x350), 0x700); /* LINT0: ExtINT */
		pic_for(line);
		cfg_wr(edu, 4, 2, cfg_rd(edu, 4, 2) & ~0x400u); /* INTx on */
		t0 = rdtsc();
		mmio_wr(edu_base + 0x60, 4, 1);
		ok = wait(&cnt[vec], 1, 1000);
		out("# edu INTx raised -> VMPL2 handler: %llu us\n",
		    (unsigned long long)((when[vec] - t0) * 1000 / tsc_ms));
		EXPECT_EQ(mmio_rd(edu_base + 0x24, 4), 0);
		/* Acknowledged at the device: no second one. */
		EXPECT_EQ(wait(&cnt[vec], 2, 100), false);
		/* Level: left asserted through the EOI, it comes again. */
		hold_ack = 1;
		mmio_wr(edu_base + 0x60, 4, 2);
		EXPECT_EQ(wait(&cnt[vec], 3, 1000), true);
		EXPECT_EQ(wait(&cnt[vec], 4, 100), false);
		EXPECT_EQ(cnt[vec], 3);
		io_out(0x21, 1, 0xff);
		io_out(0xa1, 1, 0xff);
		out("# edu INTA on IRQ %u, vector 0x%x\n", line, vec);
	}
	report(ok,
	       "edu INTx: raised (0x60), taken at VMPL2 through the 8259, "
	       "acked (0x64): no second one; not acked: again after the EOI");
}

/* With pci-testdev shown: its I/O BAR through IOIO, its MMIO BAR exact. */
static void t_testdev_shown(void)
{
	bool ok = tdev != NONE;
	uint32_t bar0 = 0, bar1 = 0;
	uint16_t port = 0;

	if (ok) {
		bar0 = cfg_rd(tdev, 0x10, 4) & ~0xfu;
		bar1 = cfg_rd(tdev, 0x14, 4);
		port = (uint16_t)(bar1 & ~3u);
		EXPECT_EQ(bar1 & 1, 1);
		io_out(port, 1, 0); /* portio-no-eventfd, test 3 */
		EXPECT_EQ(io_in(port, 1), 3);
		EXPECT_EQ(io_in(port + 16, 1), 'p');
		/* Across the BAR's end: refused. */
		EXPECT_EQ(io_in(port + 0xfe, 4), UINT32_MAX);
		mmio_wr(bar0, 1, 0); /* mmio-no-eventfd, test 0 */
		EXPECT_EQ(mmio_rd(bar0 + 16, 1), 'm');
		EXPECT_EQ(mmio_rd(bar0 + 0x1000, 4), UINT32_MAX);
		/* tests/emu/test_pci.py hands it to the run without it. */
		out("# pci-testdev I/O BAR 0x%x\n", port);
	}
	report(ok,
	       "pci-testdev on the list: its I/O BAR through the GHCB IOIO "
	       "event, its MMIO BAR, refused across their ends");
}

/* Without it: invisible (t_scan) and its I/O BAR denied at every VMPL. */
static void t_testdev_hidden(uint16_t port)
{
	bool ok = port >= 0x1000;

	if (ok) {
		io_out(port, 1, 0);
		EXPECT_EQ(io_in(port, 1), 0xff);
		EXPECT_EQ(io_in(port + 16, 1), 0xff);
		EXPECT_EQ(io_in(port, 4), UINT32_MAX);
	}
	report(ok,
	       "pci-testdev not on the list: invisible, its I/O BAR denied "
	       "(reads all-ones)");
}

/* edu's DMA engine (edu.txt: source 0x80, destination 0x88, count 0x90,
 * command 0x98: bit 0 run, bit 1 direction, 1 = to RAM; its buffer at
 * device address 0x40000): one transfer of @n bytes, polled to its end. */
static bool edu_dma(uint64_t src, uint64_t dst, uint64_t n, bool to_ram)
{
	uint64_t t0 = rdtsc();

	mmio_wr(edu_base + 0x80, 8, src);
	mmio_wr(edu_base + 0x88, 8, dst);
	mmio_wr(edu_base + 0x90, 8, n);
	mmio_wr(edu_base + 0x98, 8, to_ram ? 3 : 1);
	while (mmio_rd(edu_base + 0x98, 8) & 1) {
		if (rdtsc() - t0 > 3000 * tsc_ms) {
			return false;
		}
	}
	return true;
}

static uint8_t dma_page[3][4096] __aligned(4096);

/*
 * With the IOMMU: what the guest's driver gets from a bus master. DMA
 * through two pages the guest made shared lands (a round trip through
 * edu's buffer), DMA into a private page is blocked (it keeps its bytes),
 * DMA out of one gives the device none of them. 2048-byte transfers:
 * QEMU 7.2's edu aborts on one ending at its buffer's last byte.
 */
static void t_dma(void)
{
	bool ok = edu != NONE;
	uint8_t *src = (uint8_t *)((uintptr_t)dma_page[0] + SHARED_ALIAS);
	uint8_t *dst = (uint8_t *)((uintptr_t)dma_page[1] + SHARED_ALIAS);
	uint64_t gpa[3] = {0};
	unsigned same = 0, leaked = 0;

	for (unsigned i = 0; i < 3; i++) {
		gpa[i] = (uint64_t)(uintptr_t)dma_page[i];
	}
	memset(dma_page[2], 0x5a, sizeof(dma_page[2]));
	call_vmpl0(V0_REQ_SHARE, gpa[0]);
	call_vmpl0(V0_REQ_SHARE, gpa[1]);
	for (unsigned i = 0; i < 2048; i++) {
		src[i] = (uint8_t)(i * 7 + 1);
		dst[i] = 0;
	}
	if (ok) {
		cfg_wr(edu, 4, 2, cfg_rd(edu, 4, 2) | 6u);
		ok = edu_dma(gpa[0], 0x40000, 2048, false) &&
		     edu_dma(0x40000, gpa[1], 2048, true);
		for (unsigned i = 0; i < 2048; i++) {
			same += dst[i] == src[i];
		}
		EXPECT_EQ(same, 2048);
		/* Into a private page: blocked. */
		ok = ok && edu_dma(0x40000, gpa[2], 2048, true);
		for (unsigned i = 0; i < 4096; i++) {
			same += dma_page[2][i] == 0x5a;
		}
		EXPECT_EQ(same, 2048 + 4096);
		/* Out of it: the device reads none of its bytes. */
		ok = ok && edu_dma(gpa[2], 0x40000, 2048, false) &&
		     edu_dma(0x40000, gpa[1], 2048, true);
		for (unsigned i = 0; i < 2048; i++) {
			leaked += dst[i] == 0x5a;
		}
		EXPECT_EQ(leaked, 0);
		cfg_wr(edu, 4, 2, cfg_rd(edu, 4, 2) & ~4u);
	}
	report(ok,
	       "edu DMA from VMPL2 with the IOMMU: shared pages round-trip, a "
	       "private page is neither written nor read");
}

void pci_tests(uint64_t mode)
{
	bool tdev_allowed = (mode >> 4) & 1, iommu = (mode >> 5) & 1;

	t_scan(tdev_allowed);
	t_edu_bar();
	t_bar_moves();
	t_master_msi(iommu);
	t_intx();
	if (iommu) {
		t_dma();
	} else if (tdev_allowed) {
		t_testdev_shown();
	} else {
		t_testdev_hidden((uint16_t)(mode >> 16));
	}
}
