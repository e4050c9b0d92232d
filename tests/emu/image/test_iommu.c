// SPDX-License-Identifier: MIT
/*
 * snpemu's IOMMU driver against a real device: QEMU's `edu` (vendor 1234,
 * device 11e8; QEMU docs/specs/edu.txt: DMA source 0x80, destination
 * 0x88, count 0x90, command 0x98 with bit 0 "run" and bit 1 "to RAM"; its
 * buffer at device address 0x40000, 4096 bytes), driven from snpemu
 * itself over a machine with an RMP (emu test `snpemu-iommu`: QEMU with
 * `-device intel-iommu -device edu,dma_mask=...`; hidden, since the other
 * runs have neither device).
 *
 * What it proves (docs/snpemu.md §4): a DMA to a shared guest page lands
 * at EMU_GUEST_RAM_HPA + GPA; a DMA to or from a private guest page, to
 * snpemu's own memory, to the RMP or past guest RAM is blocked (target
 * unchanged, fault recorded with reason, requester and address); a page
 * converted shared -> private is unreachable right after the conversion
 * (after a DMA that left its translation in the IOTLB).
 */
#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/string.h"
#include "lib/test.h"

#include "clock.h"
#include "iommu.h"
#include "iommu_pt.h"
#include "machine.h"

#define EDU_VENDOR_DEVICE 0x11e81234u
#define EDU_IDENT 0x00
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_CNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_DMA_RUN 1u
#define EDU_DMA_TO_RAM 2u
#define EDU_BUF 0x40000u
/* Half the buffer: QEMU 7.2's edu refuses (hw_error, QEMU aborts) a
 * transfer that ends at the buffer's last byte. */
#define DMA_LEN 2048u

/* Guest pages the cases use (all below 256 MiB). */
#define GPA_SRC UINT64_C(0x200000)
#define GPA_SHARED UINT64_C(0x201000)
#define GPA_PRIVATE UINT64_C(0x202000)
#define GPA_SECRET UINT64_C(0x203000)
#define GPA_READBACK UINT64_C(0x204000)
#define GPA_CONVERT UINT64_C(0x205000)

static uint8_t canary[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static inline uint32_t inl(uint16_t port)
{
	uint32_t v = 0;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* PCI configuration mechanism #1 on the outer machine (snpemu's own
 * access, not the guest's). */
static uint32_t cfg_read(uint8_t devfn, uint8_t off)
{
	outl(0xcf8, 0x80000000u | ((uint32_t)devfn << 8) | off);
	return inl(0xcfc);
}

static void cfg_write(uint8_t devfn, uint8_t off, uint32_t v)
{
	outl(0xcf8, 0x80000000u | ((uint32_t)devfn << 8) | off);
	outl(0xcfc, v);
}

static volatile uint8_t *edu;
static int edu_devfn = -1;

static bool edu_find(void)
{
	for (unsigned dev = 0; dev < 32; dev++) {
		uint8_t devfn = (uint8_t)(dev << 3);

		if (cfg_read(devfn, 0) == EDU_VENDOR_DEVICE) {
			uint32_t bar = cfg_read(devfn, 0x10) & ~0xfu;

			edu = (volatile uint8_t *)(uintptr_t)bar;
			edu_devfn = devfn;
			/* Memory space + bus master (COMMAND bits 1, 2). */
			cfg_write(devfn, 0x04, cfg_read(devfn, 0x04) | 6u);
			return bar != 0;
		}
	}
	return false;
}

static void edu_wr64(unsigned off, uint64_t v)
{
	*(volatile uint64_t *)(edu + off) = v;
}

/* One DMA; true when the device finished it (edu runs it 100 ms later on
 * QEMU's virtual clock). */
static bool edu_dma(uint64_t src, uint64_t dst, bool to_ram)
{
	uint64_t end = 0;

	edu_wr64(EDU_DMA_SRC, src);
	edu_wr64(EDU_DMA_DST, dst);
	edu_wr64(EDU_DMA_CNT, DMA_LEN);
	edu_wr64(EDU_DMA_CMD, EDU_DMA_RUN | (to_ram ? EDU_DMA_TO_RAM : 0));
	end = rdtsc() + clock_ns_to_tsc(UINT64_C(5000000000));
	while (*(volatile uint32_t *)(edu + EDU_DMA_CMD) & EDU_DMA_RUN) {
		if (rdtsc() > end) {
			return false;
		}
	}
	return true;
}

/* RAM -> edu's buffer: a DMA read of guest address @iova. */
static bool dma_read(uint64_t iova)
{
	return edu_dma(iova, EDU_BUF, false);
}

/* edu's buffer -> RAM: a DMA write of guest address @iova. */
static bool dma_write(uint64_t iova)
{
	return edu_dma(EDU_BUF, iova, true);
}

static void psc(struct machine *m, uint64_t gpa, unsigned op)
{
	struct rmp_change chg = {0};

	(void)rmp_psc(&m->rmp, gpa, op, false, &chg);
	/* The path every page-state change takes (ghcb.c, npt.c). */
	npt_apply(m, &chg);
}

static uint8_t *guest(uint64_t gpa)
{
	return emu_hva(gpa);
}

/* The DMA_LEN bytes a DMA writes (and the page's rest untouched). */
static bool landed(const volatile uint8_t *p, uint8_t v, uint8_t rest)
{
	for (unsigned i = 0; i < PAGE_SIZE; i++) {
		if (p[i] != (i < DMA_LEN ? v : rest)) {
			return false;
		}
	}
	return true;
}

static bool all_bytes(const volatile uint8_t *p, uint8_t v)
{
	for (unsigned i = 0; i < PAGE_SIZE; i++) {
		if (p[i] != v) {
			return false;
		}
	}
	return true;
}

/* The blocked DMA the last poll found: exactly one, with these fields. */
static bool fault_is(uint8_t reason, bool write, uint64_t addr)
{
	struct iommu_fault f = {0};
	unsigned n = iommu_poll_faults(&f);

	if (n != 1 || f.reason != reason || f.write != write ||
	    f.addr != addr || f.sid != (uint16_t)edu_devfn) {
		con_printf(
			"# fault: %u recorded, last reason %u %s sid 0x%x "
			"at 0x%llx\n",
			n, f.reason, f.write ? "write" : "read", f.sid,
			(unsigned long long)f.addr);
		return false;
	}
	return true;
}

TEST_HIDDEN(iommu, edu_dma)
{
	struct machine *m = NULL;
	uint64_t rmp_pa = 0;
	uint64_t faults0 = 0;

	ASSERT(iommu_present());
	clock_init();
	m = &emu_machine;
	emu_rmp_alloc(m);
	ASSERT(edu_find());
	EXPECT_EQ(*(volatile uint32_t *)(edu + EDU_IDENT) & 0xff, 0xed);
	/* Another function attached before the domain exists (as pci.c
	 * does at its scan): confined once the domain is built. */
	ASSERT(iommu_attach(0, (uint8_t)(edu_devfn + 1)));
	EXPECT(!iommu_dma_confined(0, (uint8_t)(edu_devfn + 1)));
	ASSERT(iommu_setup_domain(m));
	EXPECT(iommu_dma_confined(0, (uint8_t)(edu_devfn + 1)));
	EXPECT(!iommu_dma_confined(0, (uint8_t)edu_devfn));

	/* edu, not attached: blocked (no context entry). */
	memset(guest(GPA_SHARED), 0x11, PAGE_SIZE);
	ASSERT(dma_write(GPA_SHARED));
	EXPECT(all_bytes(guest(GPA_SHARED), 0x11));
	EXPECT(fault_is(VTD_FR_CONTEXT_ENTRY_P, true, GPA_SHARED));

	ASSERT(iommu_attach(0, (uint8_t)edu_devfn));
	EXPECT(iommu_dma_confined(0, (uint8_t)edu_devfn));
	faults0 = iommu_fault_count();

	/* Shared pages: a read and a write land at EMU_GUEST_RAM_HPA + GPA. */
	memset(guest(GPA_SRC), 0x5a, PAGE_SIZE);
	ASSERT(dma_read(GPA_SRC));
	EXPECT_EQ(iommu_poll_faults(NULL), 0);
	ASSERT(dma_write(GPA_SHARED));
	EXPECT_EQ(iommu_poll_faults(NULL), 0);
	EXPECT(landed(guest(GPA_SHARED), 0x5a, 0x11));

	/* A private page: the write is blocked, its bytes unchanged. */
	psc(m, GPA_PRIVATE, RMP_PSC_OP_PRIVATE);
	memset(guest(GPA_PRIVATE), 0x22, PAGE_SIZE);
	ASSERT(dma_write(GPA_PRIVATE));
	EXPECT(all_bytes(guest(GPA_PRIVATE), 0x22));
	EXPECT(fault_is(VTD_FR_WRITE, true, GPA_PRIVATE));

	/* A private page read: blocked, its secret never reaches a shared
	 * page through the device's buffer. */
	psc(m, GPA_SECRET, RMP_PSC_OP_PRIVATE);
	memset(guest(GPA_SECRET), 0xc3, PAGE_SIZE);
	ASSERT(dma_read(GPA_SECRET));
	EXPECT(fault_is(VTD_FR_READ, false, GPA_SECRET));
	ASSERT(dma_write(GPA_READBACK));
	EXPECT_EQ(iommu_poll_faults(NULL), 0);
	EXPECT(guest(GPA_READBACK)[0] != 0xc3);
	EXPECT(guest(GPA_READBACK)[DMA_LEN - 1] != 0xc3);

	/* Refill the device's buffer from a shared page. */
	ASSERT(dma_read(GPA_SRC));
	EXPECT_EQ(iommu_poll_faults(NULL), 0);

	/*
	 * snpemu's own memory: without the IOMMU a device reaches it at its
	 * host physical address. Through the IOMMU that address is a GPA:
	 * private there, blocked; shared there, it lands in that guest page,
	 * never in snpemu.
	 */
	memset(canary, 0x33, PAGE_SIZE);
	psc(m, (uint64_t)(uintptr_t)canary, RMP_PSC_OP_PRIVATE);
	ASSERT(dma_write((uint64_t)(uintptr_t)canary));
	EXPECT(all_bytes(canary, 0x33));
	EXPECT(fault_is(VTD_FR_WRITE, true, (uint64_t)(uintptr_t)canary));
	psc(m, (uint64_t)(uintptr_t)canary, RMP_PSC_OP_SHARED);
	ASSERT(dma_write((uint64_t)(uintptr_t)canary));
	EXPECT_EQ(iommu_poll_faults(NULL), 0);
	EXPECT(all_bytes(canary, 0x33));
	EXPECT(landed(guest((uint64_t)(uintptr_t)canary), 0x5a, 0));

	/* The RMP, the same way: its host address, private as a GPA. */
	rmp_pa = (uint64_t)(uintptr_t)m->rmp.e & ~(uint64_t)(PAGE_SIZE - 1);
	psc(m, rmp_pa, RMP_PSC_OP_PRIVATE);
	{
		static uint8_t before[PAGE_SIZE];

		memcpy(before, (void *)(uintptr_t)rmp_pa, PAGE_SIZE);
		ASSERT(dma_write(rmp_pa));
		EXPECT(memcmp(before, (void *)(uintptr_t)rmp_pa, PAGE_SIZE) ==
		       0);
	}
	EXPECT(fault_is(VTD_FR_WRITE, true, rmp_pa));

	/* Past guest RAM nothing is mapped; past the address width the
	 * unit refuses the address itself. */
	ASSERT(dma_write(EMU_GUEST_RAM_SIZE));
	EXPECT(fault_is(VTD_FR_WRITE, true, EMU_GUEST_RAM_SIZE));
	ASSERT(dma_write(UINT64_C(1) << 39));
	EXPECT(fault_is(VTD_FR_ADDR_BEYOND_MGAW, true, UINT64_C(1) << 39));

	/*
	 * Shared -> private: the first write lands and leaves the page's
	 * translation in the IOTLB; right after the conversion the next
	 * write faults (the invalidation completed inside npt_apply).
	 */
	memset(guest(GPA_CONVERT), 0x44, PAGE_SIZE);
	ASSERT(dma_write(GPA_CONVERT));
	EXPECT(landed(guest(GPA_CONVERT), 0x5a, 0x44));
	psc(m, GPA_CONVERT, RMP_PSC_OP_PRIVATE);
	memset(guest(GPA_CONVERT), 0x66, PAGE_SIZE);
	ASSERT(dma_write(GPA_CONVERT));
	EXPECT(all_bytes(guest(GPA_CONVERT), 0x66));
	EXPECT(fault_is(VTD_FR_WRITE, true, GPA_CONVERT));
	/* And back to shared: reachable again. */
	psc(m, GPA_CONVERT, RMP_PSC_OP_SHARED);
	ASSERT(dma_write(GPA_CONVERT));
	EXPECT_EQ(iommu_poll_faults(NULL), 0);
	EXPECT(landed(guest(GPA_CONVERT), 0x5a, 0x66));

	/* Every blocked DMA since the attach was counted. */
	EXPECT_EQ(iommu_fault_count() - faults0, 7);
	EXPECT_EQ(iommu_fault_overflows(), 0);
}

/* The same run without the devices: no IOMMU, nothing may bus-master. */
TEST_HIDDEN(iommu, absent)
{
	EXPECT(!iommu_present());
	EXPECT(!iommu_setup_domain(&emu_machine));
	EXPECT(!iommu_attach(0, 0x18));
	EXPECT(!iommu_dma_confined(0, 0x18));
	EXPECT_EQ(iommu_poll_faults(NULL), 0);
}

/*
 * Not in any suite: reproduces the hole docs/snpemu.md §4 "Device DMA"
 * names. A device that may bus-master writes into 0xFEE00000-0xFEEFFFFF;
 * QEMU delivers that as an MSI to snpemu's own CPU (compatibility format,
 * which QEMU 7.2's VT-d passes even with interrupt remapping on:
 * hw/i386/intel_iommu.c, vtd_interrupt_remap_msi). An INIT this way
 * resets snpemu's CPU today, so this case fails (QEMU ends with status 0
 * under -no-reboot); it passes once snpemu survives it. Run with
 * tools/run-image --iommu --append test=iommu_hole/msi_window_init
 * --qemu-arg='-device edu,dma_mask=0xffffffffff'.
 */
TEST_HIDDEN(iommu_hole, msi_window_init)
{
	struct machine *m = &emu_machine;

	ASSERT(iommu_present());
	clock_init();
	emu_rmp_alloc(m);
	ASSERT(edu_find());
	ASSERT(iommu_setup_domain(m));
	ASSERT(iommu_attach(0, (uint8_t)edu_devfn));
	/* MSI data: delivery mode INIT (5 << 8), from a shared page. */
	memset(guest(GPA_SRC), 0, PAGE_SIZE);
	*(volatile uint32_t *)guest(GPA_SRC) = 0x500;
	ASSERT(dma_read(GPA_SRC));
	EXPECT(edu_dma(EDU_BUF, 0xfee00000u, true));
	con_printf("# snpemu survived an INIT written by device DMA\n");
}

/* TSC per page-state change of one page (rmp_psc + npt_apply), private
 * and back to shared, @rounds times. */
static void psc_cost(struct machine *m, unsigned rounds, uint64_t *to_private,
		     uint64_t *to_shared)
{
	uint64_t tp = 0, ts = 0;

	for (unsigned i = 0; i < rounds; i++) {
		uint64_t t0 = rdtsc();

		psc(m, GPA_CONVERT, RMP_PSC_OP_PRIVATE);
		tp += rdtsc() - t0;
		t0 = rdtsc();
		psc(m, GPA_CONVERT, RMP_PSC_OP_SHARED);
		ts += rdtsc() - t0;
	}
	*to_private = tp / rounds;
	*to_shared = ts / rounds;
}

/*
 * Benchmark (bench/meson.build `snpemu-iommu-psc`; prints, never judges):
 * what the IOMMU hook adds to a page-state change, without the domain and
 * with it and a device attached (each private conversion then invalidates
 * the IOTLB).
 */
TEST_HIDDEN(bench, iommu_psc)
{
	struct machine *m = &emu_machine;
	uint64_t p0 = 0, s0 = 0, p1 = 0, s1 = 0;
	const unsigned rounds = 2000;

	ASSERT(iommu_present());
	clock_init();
	emu_rmp_alloc(m);
	psc_cost(m, rounds, &p0, &s0);
	ASSERT(iommu_setup_domain(m));
	ASSERT(iommu_attach(0, 0x10));
	psc_cost(m, rounds, &p1, &s1);
	con_printf(
		"bench: rmp_psc + npt_apply of one page (no nested tables "
		"here), TSC cycles (ns), "
		"mean of %u: to private %llu (%llu ns) without the IOMMU "
		"domain, %llu (%llu ns) with it; to shared %llu (%llu ns) "
		"without, %llu (%llu ns) with\n",
		rounds, (unsigned long long)p0,
		(unsigned long long)clock_tsc_to_ns(p0), (unsigned long long)p1,
		(unsigned long long)clock_tsc_to_ns(p1), (unsigned long long)s0,
		(unsigned long long)clock_tsc_to_ns(s0), (unsigned long long)s1,
		(unsigned long long)clock_tsc_to_ns(s1));
}
