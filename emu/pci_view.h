/* SPDX-License-Identifier: MIT */
/*
 * The guest's view of one PCI function of QEMU's bus 0 (docs/snpemu.md §4,
 * "QEMU's own devices behind snpemu"): what a configuration read returns
 * and what a configuration write may change. The policy only; the real
 * configuration space is reached through pci_conf_read()/pci_conf_write(),
 * which pci.c implements with mechanism #1 on snpemu's own ports (and the
 * hosted unit test with a fake device).
 *
 * Register layout and semantics: PCI Local Bus spec 3.0 §6.1-§6.8 (the
 * type 0 header, the command and status registers, BARs and their sizing,
 * the capability list); MSI and MSI-X capability layouts: §6.8.1, §6.8.2.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "pci_msi.h"

#define PCI_BAR_COUNT 6
#define PCI_CAP_MAX 16

/* Configuration registers (PCI 3.0 §6.1). */
#define PCI_REG_ID 0x00
#define PCI_REG_COMMAND 0x04
#define PCI_REG_STATUS 0x06
#define PCI_REG_CLASS 0x08
#define PCI_REG_HEADER 0x0c
#define PCI_REG_BAR0 0x10
#define PCI_REG_ROM 0x30
#define PCI_REG_CAP_PTR 0x34
#define PCI_REG_INTR 0x3c /* line 0x3c, pin 0x3d */

#define PCI_CMD_IO (1u << 0)
#define PCI_CMD_MEM (1u << 1)
#define PCI_CMD_MASTER (1u << 2)
#define PCI_CMD_PARITY (1u << 6)
#define PCI_CMD_SERR (1u << 8)
#define PCI_CMD_INTX_DISABLE (1u << 10)
#define PCI_STATUS_CAP_LIST (1u << 4)
/* Write-1-to-clear error bits of the status register (PCI 3.0 §6.2.3). */
#define PCI_STATUS_RW1C 0xf900u

#define PCI_CAP_ID_MSI 0x05
#define PCI_CAP_ID_MSIX 0x11

enum pci_bar_kind {
	PCI_BAR_NONE,   /* not implemented (or hidden): reads 0 */
	PCI_BAR_IO,     /* I/O space */
	PCI_BAR_MEM32,  /* 32-bit memory */
	PCI_BAR_MEM64,  /* low dword of a 64-bit memory BAR */
	PCI_BAR_MEM64H, /* its high dword */
};

struct pci_bar {
	uint8_t kind;   /* enum pci_bar_kind */
	uint32_t type;  /* the low type bits as read (I/O: 1; memory: 3:0) */
	uint64_t base;  /* as the L1 firmware assigned it */
	uint64_t size;  /* a power of two */
	uint32_t wmask; /* writable address bits, as sizing read them back */
	/* What the guest last wrote that was accepted: the base or the
	 * all-ones sizing pattern (only the writable address bits). */
	uint32_t virt;
};

struct pci_view_dev {
	uint8_t devfn;
	bool shown; /* on the allow-list and fit to be shown */
	uint16_t vendor, device;
	uint32_t class_rev;
	struct pci_bar bar[PCI_BAR_COUNT];
	/* Capabilities the guest sees, in list order, and the byte ranges
	 * of the hidden ones (MSI, MSI-X: INTx only). */
	uint8_t cap[PCI_CAP_MAX];
	uint8_t cap_count;
	uint8_t hide_off[PCI_CAP_MAX], hide_len[PCI_CAP_MAX];
	uint8_t hide_count;
	struct pci_msi msi;    /* hidden unless pci_view_keep_msi() */
	uint8_t irq_line;      /* as the L1 firmware routed it (0x3c) */
	uint8_t irq_pin;       /* 0x3d: 0 = none, 1-4 = INTA-INTD */
	uint8_t irq_line_virt; /* the guest's copy: a scratch register */
	/* Refused guest writes, for the report: a BAR move, Bus Master
	 * Enable, anything else read-only to the guest. */
	uint32_t refused_bar, refused_master, refused_other;
};

/* ---- the backend: the device's real configuration space ---- */

/** Read @size (1, 2 or 4) bytes at @reg (size-aligned) of bus 0 @devfn. */
uint32_t pci_conf_read(uint8_t devfn, uint8_t reg, uint8_t size);
/** Write @size (1, 2 or 4) bytes at @reg (size-aligned) of bus 0 @devfn. */
void pci_conf_write(uint8_t devfn, uint8_t reg, uint8_t size, uint32_t v);

/**
 * Read the function at @devfn as the L1 firmware left it: header, BARs
 * (sized as firmware does, decoding off meanwhile), capability list. False
 * if nothing is there; @why names what makes it unfit to be shown (a
 * bridge, a malformed capability list, a BAR of reserved type), else "".
 */
bool pci_view_probe(struct pci_view_dev *d, uint8_t devfn, const char **why);
/**
 * Show the MSI capability (virtualized, pci_msi.c) instead of hiding it:
 * for a function whose DMA, and so whose MSI writes, the IOMMU confines.
 * False if it has none snpemu can virtualize (none, or per-vector masks).
 */
bool pci_view_keep_msi(struct pci_view_dev *d);
/** The dword at @reg (dword-aligned) as the guest sees it. */
uint32_t pci_view_read(const struct pci_view_dev *d, uint8_t reg);
/**
 * The guest writes the bytes @byte_mask (bit i: byte i) of @v to the
 * dword at @reg (dword-aligned): applied as the policy allows (pci_view.c).
 */
void pci_view_write(struct pci_view_dev *d, uint8_t reg, uint32_t v,
		    uint8_t byte_mask);
/** True while BAR @i is decoded at its firmware address as the guest
 * last programmed it (not left in the sizing pattern). */
bool pci_view_bar_live(const struct pci_view_dev *d, unsigned i);

enum pci_io {
	PCI_IO_NONE, /* no device's I/O BAR: ioport.c's own rules */
	PCI_IO_PASS, /* wholly inside a shown device's live I/O BAR */
	PCI_IO_DENY, /* a hidden device's I/O BAR, or across a BAR's end */
};

/** Port I/O [@port, @port + @size) against the I/O BARs of @devs. */
enum pci_io pci_view_io_claim(const struct pci_view_dev *devs, unsigned n,
			      uint16_t port, uint8_t size);
/** True if [@gpa, @gpa + @len) lies wholly inside a live memory BAR of a
 * shown function of @devs. */
bool pci_view_mmio_claim(const struct pci_view_dev *devs, unsigned n,
			 uint64_t gpa, uint64_t len);
