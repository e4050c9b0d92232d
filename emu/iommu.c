// SPDX-License-Identifier: MIT
/*
 * The outer QEMU's Intel IOMMU, driven by snpemu (iommu.h). On SNP
 * hardware a device may DMA only to pages the RMP says are hypervisor
 * owned (shared); a DMA to a guest-private page is refused by the IOMMU's
 * RMP check (Linux: arch/x86/virt/svm/sev.c, snp_rmptable_init). Under
 * snpemu, QEMU's devices write L1 physical addresses, where guest RAM sits
 * next to snpemu and the RMP, so the DMA of every device goes through
 * VT-d second-level tables (iommu_pt.h) that map at each GPA exactly the
 * shared guest pages onto EMU_GUEST_RAM_HPA + GPA, kept in step with every
 * RMP change (npt_update -> iommu_rmp_changed), and nothing else.
 *
 * The unit is found through the ACPI DMAR table QEMU builds (the RSDP
 * comes in the PVH start info, as Xen's PVH ABI allows), not assumed at
 * QEMU's 0xFED90000: its version and capability registers are checked
 * before use. Legacy-mode root/context tables, register-based
 * invalidation (VT-d spec §6.5.1 "register-based invalidation
 * interface"), faults recorded in the fault-recording registers and
 * polled (the fault event interrupt stays masked).
 */
#include "iommu.h"

#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/spinlock.h"
#include "lib/string.h"

#include "clock.h"
#include "dmar.h"
#include "iommu_pt.h"
#include "machine.h"

/* Registers (VT-d spec §10.4; QEMU hw/i386/intel_iommu_internal.h). */
#define REG_VER 0x00
#define REG_CAP 0x08
#define REG_ECAP 0x10
#define REG_GCMD 0x18
#define REG_GSTS 0x1c
#define REG_RTADDR 0x20
#define REG_CCMD 0x28
#define REG_FSTS 0x34
#define REG_FECTL 0x38

#define GCMD_TE (1u << 31)
#define GCMD_SRTP (1u << 30)
/* Status bits of the one-shot-free commands, kept when writing GCMD
 * (§10.4.4: software writes GSTS's persistent bits back with one change). */
#define GSTS_PERSISTENT 0x96ffffffu
#define GSTS_TES (1u << 31)
#define GSTS_RTPS (1u << 30)

#define CCMD_ICC (UINT64_C(1) << 63)
#define CCMD_GLOBAL (UINT64_C(1) << 61)

#define IOTLB_IVT (UINT64_C(1) << 63)
#define IOTLB_GLOBAL (UINT64_C(1) << 60)
#define IOTLB_DOMAIN (UINT64_C(2) << 60)
#define IOTLB_PAGE (UINT64_C(3) << 60)
#define IOTLB_DR (UINT64_C(1) << 49)
#define IOTLB_DW (UINT64_C(1) << 48)
#define IOTLB_DID(d) ((uint64_t)(d) << 32)

#define CAP_SAGAW(c) (((c) >> 8) & 0x1f)
#define CAP_MGAW(c) ((unsigned)(((c) >> 16) & 0x3f) + 1)
#define CAP_CM (UINT64_C(1) << 7)
#define CAP_RWBF (UINT64_C(1) << 4)
#define CAP_FRO(c) ((((c) >> 24) & 0x3ff) * 16)
#define CAP_NFR(c) ((unsigned)(((c) >> 40) & 0xff) + 1)
#define CAP_PSI (UINT64_C(1) << 39)
#define CAP_DRAIN (UINT64_C(3) << 54)
#define ECAP_IRO(e) ((((e) >> 8) & 0x3ff) * 16)

#define FSTS_PFO (1u << 0)
#define FSTS_PPF (1u << 1)
#define FRCD_F (UINT64_C(1) << 63)
#define FRCD_T (UINT64_C(1) << 62)

/* The one domain of guest DMA (domain ID 0 is reserved when CM=1). */
#define GUEST_DID 1

/* Polls of a register the IOMMU completes at once under QEMU (its
 * invalidations are synchronous); a unit that never completes stops
 * snpemu rather than letting DMA run unconfined. */
#define POLL_MAX 1000000u

static struct {
	bool present;
	bool domain;
	volatile uint8_t *regs;
	uint64_t cap, ecap;
	unsigned levels;
	uint64_t *root; /* VTD_ROOT_ENTRIES root entries (lo, hi) */
	uint64_t *ctx[VTD_ROOT_ENTRIES];
	uint8_t attached[VTD_ROOT_ENTRIES][VTD_CONTEXT_ENTRIES / 8];
	struct iommu_pt pt;
	const struct rmp *rmp;
	uint64_t faults, overflows, invalidations;
	struct spinlock lock; /* registers, tables; a leaf lock */
} iommu;

static uint32_t rd32(unsigned off)
{
	return *(volatile uint32_t *)(iommu.regs + off);
}

static uint64_t rd64(unsigned off)
{
	return *(volatile uint64_t *)(iommu.regs + off);
}

static void wr32(unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(iommu.regs + off) = v;
}

static void wr64(unsigned off, uint64_t v)
{
	*(volatile uint64_t *)(iommu.regs + off) = v;
}

__noreturn static void iommu_dead(const char *what)
{
	emu_stop(&emu_machine,
		 "iommu: %s did not complete: device DMA cannot be confined",
		 what);
}

/* Issue one GCMD command and wait for its status bit (§10.4.4). */
static void gcmd(uint32_t cmd, uint32_t status)
{
	uint32_t keep = rd32(REG_GSTS) & GSTS_PERSISTENT;

	wr32(REG_GCMD, keep | cmd);
	for (unsigned i = 0; i < POLL_MAX; i++) {
		if ((rd32(REG_GSTS) & status) == status) {
			return;
		}
	}
	iommu_dead("a global command");
}

/* Wait for the unit to clear @bit of the 64-bit register at @off: the
 * completion of a command written there. */
static void wait_clear64(unsigned off, uint64_t bit, const char *what)
{
	for (unsigned i = 0; i < POLL_MAX; i++) {
		if (!(rd64(off) & bit)) {
			return;
		}
	}
	iommu_dead(what);
}

static void context_invalidate_all(void)
{
	wr64(REG_CCMD, CCMD_ICC | CCMD_GLOBAL);
	wait_clear64(REG_CCMD, CCMD_ICC, "a context-cache invalidation");
}

/*
 * IOTLB invalidation through the IOTLB registers (§10.4.8): page-selective
 * for one page where the unit supports it, else the whole domain; DR/DW
 * ask the unit to drain DMA already translated (§6.5.5) where it can.
 * Returns when the unit cleared IVT: QEMU has then dropped the entries.
 */
static void iotlb_invalidate(uint64_t cmd, uint64_t iova)
{
	unsigned iro = ECAP_IRO(iommu.ecap);

	if (iommu.cap & CAP_DRAIN) {
		cmd |= IOTLB_DR | IOTLB_DW;
	}
	if ((cmd & IOTLB_PAGE) == IOTLB_PAGE) {
		wr64(iro, iova & ~(uint64_t)(PAGE_SIZE - 1)); /* IVA, AM 0 */
	}
	wr64(iro + 8, cmd | IOTLB_IVT);
	wait_clear64(iro + 8, IOTLB_IVT, "an IOTLB invalidation");
	iommu.invalidations++;
}

/* The checks of a unit snpemu can drive: VT-d 1.x, 3- or 4-level tables,
 * registers in the identity map. */
static bool unit_usable(uint64_t base)
{
	uint32_t ver = 0;

	if (base == 0 || (base & (PAGE_SIZE - 1)) ||
	    base >= (UINT64_C(1) << 32) - PAGE_SIZE) {
		return false;
	}
	iommu.regs = (volatile uint8_t *)(uintptr_t)base;
	ver = rd32(REG_VER);
	iommu.cap = rd64(REG_CAP);
	iommu.ecap = rd64(REG_ECAP);
	/* RWBF (a write-buffer flush after each table change) is not done:
	 * such a unit is refused, as QEMU's never asks for it. */
	if ((ver >> 4) != 1 || !(CAP_SAGAW(iommu.cap) & (2 | 4)) ||
	    (iommu.cap & CAP_RWBF) || ECAP_IRO(iommu.ecap) + 16 > PAGE_SIZE ||
	    CAP_FRO(iommu.cap) + 16 * CAP_NFR(iommu.cap) > PAGE_SIZE) {
		con_printf(
			"snpemu: iommu at 0x%llx: version 0x%x, CAP 0x%llx "
			"not supported\n",
			(unsigned long long)base, ver,
			(unsigned long long)iommu.cap);
		return false;
	}
	/* 3 levels (39-bit) where offered: enough for 2 GiB of guest. */
	iommu.levels = (CAP_SAGAW(iommu.cap) & 2) ? 3 : 4;
	return true;
}

bool iommu_probe(uint64_t rsdp_pa)
{
	uint64_t base = dmar_drhd_base(
		acpi_find_table(rsdp_pa, "DMAR", DMAR_L1_LIMIT), DMAR_L1_LIMIT);

	if (iommu.present || !unit_usable(base)) {
		return iommu.present;
	}
	/* An empty root table: every request faults (root entry not
	 * present) until a device is attached. */
	iommu.root = (uint64_t *)(uintptr_t)emu_alloc_page();
	wr64(REG_RTADDR, (uint64_t)(uintptr_t)iommu.root);
	gcmd(GCMD_SRTP, GSTS_RTPS);
	context_invalidate_all();
	iotlb_invalidate(IOTLB_GLOBAL, 0);
	gcmd(GCMD_TE, GSTS_TES);
	iommu.present = true;
	con_printf(
		"snpemu: iommu: VT-d %u.%u at 0x%llx (DMAR), %u-level "
		"tables, %u fault record(s), CM %u, IR %u: translation on, "
		"every device blocked\n",
		rd32(REG_VER) >> 4, rd32(REG_VER) & 15,
		(unsigned long long)base, iommu.levels, CAP_NFR(iommu.cap),
		!!(iommu.cap & CAP_CM), (unsigned)((iommu.ecap >> 3) & 1));
	return true;
}

bool iommu_present(void)
{
	return iommu.present;
}

static void write_contexts(void);

bool iommu_setup_domain(struct machine *m)
{
	uint64_t n = 0;

	if (!iommu.present) {
		return false;
	}
	n = iommu_pt_pages(m->rmp.npages, iommu.levels);
	if (n == 0 ||
	    !iommu_pt_build(&iommu.pt, emu_alloc_pages(n), iommu.levels,
			    m->rmp.npages, EMU_GUEST_RAM_HPA)) {
		emu_stop(m, "iommu: no tables for %llu guest pages",
			 (unsigned long long)m->rmp.npages);
	}
	iommu.rmp = &m->rmp;
	iommu.domain = true;
	/* Pages the loaders made private without a change record. */
	iommu_rmp_changed(m, 0, m->rmp.npages);
	spin_lock(&iommu.lock);
	write_contexts();
	spin_unlock(&iommu.lock);
	return true;
}

void iommu_rmp_changed(struct machine *m, uint64_t gfn, uint64_t count)
{
	struct iommu_pt_sync res;

	if (!iommu.domain || &m->rmp != iommu.rmp) {
		return;
	}
	spin_lock(&iommu.lock);
	iommu_pt_sync(&iommu.pt, &m->rmp, gfn, count, &res);
	/*
	 * The leaves are written before the invalidation, and the
	 * invalidation completes before this returns, i.e. before the
	 * nested tables give the guest the page as private: a DMA
	 * translated after this point faults (VT-d §6.5: a removed entry is
	 * gone from the IOTLB once the invalidation completes). A unit in
	 * caching mode may also cache not-present entries: then a new
	 * mapping is invalidated too.
	 */
	if (res.unmapped == 1 && (iommu.cap & CAP_PSI)) {
		iotlb_invalidate(IOTLB_PAGE | IOTLB_DID(GUEST_DID),
				 res.first_unmapped << PAGE_SHIFT);
	} else if (res.unmapped != 0 ||
		   (res.mapped != 0 && (iommu.cap & CAP_CM))) {
		iotlb_invalidate(IOTLB_DOMAIN | IOTLB_DID(GUEST_DID), 0);
	}
	spin_unlock(&iommu.lock);
}

static bool is_attached(unsigned bus, unsigned devfn)
{
	return (iommu.attached[bus][devfn / 8] >> (devfn % 8)) & 1;
}

/* The context entry putting @bus:@devfn in the guest DMA domain (the
 * caller invalidates the context cache). */
static void write_context(unsigned bus, unsigned devfn)
{
	struct vtd_context_entry ce;
	uint64_t *ctx = NULL;

	if (iommu.ctx[bus] == NULL) {
		struct vtd_root_entry re;

		iommu.ctx[bus] = (uint64_t *)(uintptr_t)emu_alloc_page();
		re = vtd_root_entry((uint64_t)(uintptr_t)iommu.ctx[bus]);
		iommu.root[bus * 2 + 1] = re.hi;
		iommu.root[bus * 2] = re.lo;
	}
	ctx = iommu.ctx[bus];
	ce = vtd_context_entry(iommu.pt.root, iommu.levels, GUEST_DID);
	ctx[devfn * 2 + 1] = ce.hi;
	ctx[devfn * 2] = ce.lo; /* present last */
}

/* Every device attached so far gets its context entry; a device
 * attached before the domain existed gets it here. */
static void write_contexts(void)
{
	for (unsigned bus = 0; bus < VTD_ROOT_ENTRIES; bus++) {
		for (unsigned devfn = 0; devfn < VTD_CONTEXT_ENTRIES; devfn++) {
			if (is_attached(bus, devfn)) {
				write_context(bus, devfn);
			}
		}
	}
	context_invalidate_all();
	iotlb_invalidate(IOTLB_DOMAIN | IOTLB_DID(GUEST_DID), 0);
}

bool iommu_attach(uint8_t bus, uint8_t devfn)
{
	if (!iommu.present) {
		return false;
	}
	spin_lock(&iommu.lock);
	iommu.attached[bus][devfn / 8] |= (uint8_t)(1u << (devfn % 8));
	if (iommu.domain) {
		write_contexts();
	}
	spin_unlock(&iommu.lock);
	con_printf(
		"snpemu: iommu: device %02x:%02x.%u attached: DMA to "
		"shared guest pages only%s\n",
		bus, devfn >> 3, devfn & 7,
		iommu.domain ? "" : " (once the guest's domain exists)");
	return true;
}

bool iommu_dma_confined(uint8_t bus, uint8_t devfn)
{
	return iommu.domain && is_attached(bus, devfn);
}

static const char *reason_name(uint8_t r)
{
	switch (r) {
	case VTD_FR_ROOT_ENTRY_P:
		return "no root entry: device not attached";
	case VTD_FR_CONTEXT_ENTRY_P:
		return "no context entry: device not attached";
	case VTD_FR_ADDR_BEYOND_MGAW:
		return "address beyond the address width";
	case VTD_FR_WRITE:
		return "no write permission: not a shared guest page";
	case VTD_FR_READ:
		return "no read permission: not a shared guest page";
	default:
		return "other";
	}
}

unsigned iommu_poll_faults(struct iommu_fault *last)
{
	unsigned n = 0, fro = 0;
	uint32_t fsts = 0;

	if (!iommu.present) {
		return 0;
	}
	spin_lock(&iommu.lock);
	fsts = rd32(REG_FSTS);
	fro = CAP_FRO(iommu.cap);
	for (unsigned i = 0; (fsts & FSTS_PPF) && i < CAP_NFR(iommu.cap); i++) {
		uint64_t hi = rd64(fro + 16 * i + 8);
		struct iommu_fault f;

		if (!(hi & FRCD_F)) {
			continue;
		}
		f = (struct iommu_fault){
			.sid = (uint16_t)hi,
			.reason = (uint8_t)(hi >> 32),
			.write = !(hi & FRCD_T),
			.addr = rd64(fro + 16 * i) & ~(uint64_t)(PAGE_SIZE - 1),
		};
		wr64(fro + 16 * i + 8, FRCD_F); /* write 1 to clear */
		iommu.faults++;
		n++;
		if (last != NULL) {
			*last = f;
		}
		con_printf(
			"snpemu: iommu: blocked DMA %s by %02x:%02x.%u at "
			"0x%llx: fault reason %u (%s)\n",
			f.write ? "write" : "read", f.sid >> 8,
			(f.sid >> 3) & 31, f.sid & 7,
			(unsigned long long)f.addr, f.reason,
			reason_name(f.reason));
	}
	if (fsts & FSTS_PFO) {
		iommu.overflows++;
		wr32(REG_FSTS, FSTS_PFO);
		con_printf(
			"snpemu: iommu: fault records overflowed: blocked "
			"DMA not recorded\n");
	}
	spin_unlock(&iommu.lock);
	return n;
}

void iommu_tick(uint64_t now)
{
	static uint64_t next;

	if (!iommu.present || now < next) {
		return;
	}
	next = now + clock_ns_to_tsc(UINT64_C(10000000));
	(void)iommu_poll_faults(NULL);
}

void iommu_report(void)
{
	if (!iommu.present) {
		return;
	}
	(void)iommu_poll_faults(NULL); /* the last ones, before the end */
	con_printf(
		"snpemu: iommu: %llu blocked DMA(s) logged, %llu fault "
		"overflow(s), %llu IOTLB invalidation(s)\n",
		(unsigned long long)iommu.faults,
		(unsigned long long)iommu.overflows,
		(unsigned long long)iommu.invalidations);
}

uint64_t iommu_fault_count(void)
{
	return iommu.faults;
}

uint64_t iommu_fault_overflows(void)
{
	return iommu.overflows;
}
