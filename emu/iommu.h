/* SPDX-License-Identifier: MIT */
/*
 * snpemu's driver for the outer QEMU's Intel IOMMU (VT-d, `-device
 * intel-iommu` on q35): device DMA is translated by second-level tables
 * that map, at each GPA, exactly the guest pages the RMP says are shared,
 * as the IOMMU's RMP check allows on SNP hardware (docs/snpemu.md §4).
 * Without an IOMMU no device may bus-master: iommu_dma_confined() is false.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct machine;

/**
 * Find the DMA-remapping unit through the ACPI DMAR table (RSDP from the
 * PVH start info) and turn translation on with no device attached, so
 * every DMA from then on is blocked. False (and nothing changed) if there
 * is no DMAR table or its unit is not one snpemu can drive.
 */
bool iommu_probe(uint64_t rsdp_pa);
bool iommu_present(void);

/**
 * The domain for guest DMA: second-level tables over @m's guest RAM, in
 * step with its RMP from this call on (iommu_rmp_changed). After the
 * loaders, before the guest runs. False if there is no IOMMU.
 */
bool iommu_setup_domain(struct machine *m);

/**
 * The RMP entries of [gfn, gfn + count) changed (npt_update calls this for
 * every change, before the nested tables): map what is shared, unmap what
 * is not, and invalidate the IOTLB for what was unmapped before returning,
 * so no DMA reaches a page after it turned private.
 */
void iommu_rmp_changed(struct machine *m, uint64_t gfn, uint64_t count);

/**
 * Put device @bus:@devfn in the guest DMA domain (before the domain
 * exists too: it joins when iommu_setup_domain builds it). Until then,
 * and for every device never attached, its DMA is blocked. False without
 * an IOMMU. emu/pci.c attaches each function it shows the guest.
 */
bool iommu_attach(uint8_t bus, uint8_t devfn);

/** May @bus:@devfn bus-master? Only if attached to the domain, whose
 * tables follow the RMP: its DMA reaches shared guest pages only. */
bool iommu_dma_confined(uint8_t bus, uint8_t devfn);

struct iommu_fault {
	uint16_t sid; /* requester: bus << 8 | devfn */
	uint8_t reason;
	bool write;
	uint64_t addr; /* the page of the blocked DMA address */
};

/** Log (console) and count the blocked DMAs the IOMMU recorded since the
 * last call; the newest one in *@last if non-NULL. Returns how many. */
unsigned iommu_poll_faults(struct iommu_fault *last);
/** At most every 10 ms of @now (TSC): iommu_poll_faults, so a blocked
 * DMA is logged while the guest runs (irq.c polls its devices). */
void iommu_tick(uint64_t now);
/** At the VM's end (stop, power-off, termination): the last faults and
 * the figures, if there is an IOMMU. */
void iommu_report(void);
/** Blocked DMAs logged so far, and faults the IOMMU could not record
 * (its fault-recording registers were full). */
uint64_t iommu_fault_count(void);
uint64_t iommu_fault_overflows(void);
