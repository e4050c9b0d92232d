/* SPDX-License-Identifier: MIT */
/*
 * A PCI function's MSI capability as the guest sees it (pci_view.c): its
 * message address, data and enable bit are kept virtual; pci.c programs
 * the device with a message to snpemu's own APIC instead and delivers the
 * guest's vector to the guest's APIC when it arrives. PCI Local Bus spec
 * 3.0 §6.8.1 (layout), Intel SDM vol. 3A §11.11 (message address and data
 * on x86). See pci_msi.c.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct pci_msi {
	uint8_t off;   /* capability offset; 0: none */
	uint8_t pos;   /* its place in the list among the kept capabilities */
	bool is64;     /* 64-bit message address */
	bool maskable; /* per-vector masking: not virtualized, stays hidden */
	bool shown;    /* virtualized for the guest (pci_view_keep_msi) */
	uint8_t slot;  /* pci.c: snpemu's host vector for it */
	bool enabled;
	uint32_t addr_lo, addr_hi;
	uint16_t data;
	bool changed; /* a guest write since pci.c last programmed it */
};

/** True if configuration byte @off is one of @m's virtual registers. */
bool pci_msi_claims(const struct pci_msi *m, unsigned off);
/** The guest's view of byte @off; @real_ctl: the device's control word. */
uint8_t pci_msi_read(const struct pci_msi *m, uint16_t real_ctl, unsigned off);
/** The guest writes byte @v at @off. */
void pci_msi_write(struct pci_msi *m, unsigned off, uint8_t v);
/**
 * The message the guest enabled, if snpemu can deliver it: fixed or
 * lowest-priority delivery, edge, to a local APIC (address 0xFEExxxxx,
 * high dword 0), vector >= 16. False otherwise (the device stays quiet).
 */
bool pci_msi_target(const struct pci_msi *m, uint8_t *dest, uint8_t *vector);
