/* SPDX-License-Identifier: MIT */
/*
 * QEMU's PCI devices behind snpemu (docs/snpemu.md §4): bus 0 scanned at
 * start with configuration mechanism #1, the functions on the allow-list
 * (snpemu's `pci=` word) shown to the guest through a filtered view
 * (pci_view.c), their BARs reachable at the firmware's addresses, their
 * INTx line forwarded to the guest's 8259. Everything else on the bus is
 * invisible, quiet (no bus mastering, INTx disabled) and its I/O BARs
 * denied. See pci.c.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "pci_view.h"

#define PCI_ALLOW_MAX 8

/** `pci=vendor:device[,vendor:device...]` (hex); false if malformed. */
bool pci_config(const char *arg);
/**
 * Scan bus 0 and decide what the guest sees. @l1_ram_top: the end of the
 * L1 RAM below 4 GiB (a memory BAR must lie above it and below 4 GiB,
 * where snpemu's identity map reaches).
 */
void pci_init(uint64_t l1_ram_top);
/** The guest's read of CONFIG_DATA (0xCFC-0xCFF) with CONFIG_ADDRESS @addr. */
uint32_t pci_guest_cfg_in(uint32_t addr, uint16_t port, uint8_t size);
/** The guest's write of CONFIG_DATA. */
void pci_guest_cfg_out(uint32_t addr, uint16_t port, uint8_t size, uint32_t v);
/** Port I/O that hits a device's I/O BAR. */
enum pci_io pci_io_claim(uint16_t port, uint8_t size);
/** MMIO wholly inside a shown device's live memory BAR. */
bool pci_mmio_allowed(uint64_t gpa, uint64_t len);
/** ISA lines (bit n: IRQ n) of the shown devices' INTx, to forward. */
uint16_t pci_intx_lines(void);

/* MSI of the shown functions (pci_msi.c): each on its own vector of
 * snpemu's APIC, PCI_MSI_HOST_VEC + slot (irq.c, hostirq.S). */
#define PCI_MSI_HOST_VEC 0x50
#define PCI_MSI_SLOTS 8

struct machine;
/** The message of MSI slot @slot arrived at snpemu's APIC: deliver the
 * guest's vector to the guest's APIC it named. */
void pci_msi_fire(struct machine *m, unsigned slot);
