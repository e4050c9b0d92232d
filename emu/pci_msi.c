// SPDX-License-Identifier: MIT
/*
 * The virtual MSI capability (pci_msi.h). The guest's message never
 * reaches the device: a message address is a DMA address, and one the
 * guest chose would let the device write (interrupt) wherever the guest
 * likes, e.g. snpemu's own CPU (docs/snpemu.md §4, the MSI window). The
 * device gets snpemu's message (pci.c); the guest's is only a routing
 * record. One message (Multiple Message Enable reads 0); per-vector
 * masking is not virtualized (such a capability stays hidden).
 */
#include "pci_msi.h"

#define MSI_CTL_ENABLE 0x0001u
#define MSI_CTL_MME 0x0070u /* Multiple Message Enable: 1 message */

/* Offsets inside the capability (PCI 3.0 §6.8.1). */
static unsigned data_rel(const struct pci_msi *m)
{
	return m->is64 ? 12 : 8;
}

bool pci_msi_claims(const struct pci_msi *m, unsigned off)
{
	return m->shown && off >= m->off + 2u &&
	       off < m->off + data_rel(m) + 2u;
}

uint8_t pci_msi_read(const struct pci_msi *m, uint16_t real_ctl, unsigned off)
{
	unsigned rel = off - m->off;
	uint16_t ctl = (uint16_t)((real_ctl & ~(MSI_CTL_ENABLE | MSI_CTL_MME)) |
				  (m->enabled ? MSI_CTL_ENABLE : 0));

	if (rel < 4) {
		return (uint8_t)(ctl >> (8 * (rel - 2)));
	}
	if (rel < 8) {
		return (uint8_t)(m->addr_lo >> (8 * (rel - 4)));
	}
	if (rel >= data_rel(m)) {
		return (uint8_t)(m->data >> (8 * (rel - data_rel(m))));
	}
	return (uint8_t)(m->addr_hi >> (8 * (rel - 8)));
}

void pci_msi_write(struct pci_msi *m, unsigned off, uint8_t v)
{
	unsigned rel = off - m->off, sh = 0;

	m->changed = true;
	if (rel == 2) {
		m->enabled = (v & MSI_CTL_ENABLE) != 0;
	} else if (rel >= 4 && rel < 8) {
		sh = 8 * (rel - 4);
		m->addr_lo = (m->addr_lo & ~(UINT32_C(0xff) << sh)) |
			     (uint32_t)v << sh;
		m->addr_lo &= ~3u; /* DWORD-aligned */
	} else if (rel >= data_rel(m)) {
		sh = 8 * (rel - data_rel(m));
		m->data = (uint16_t)((m->data & ~(0xffu << sh)) |
				     (unsigned)v << sh);
	} else if (rel >= 8) {
		sh = 8 * (rel - 8);
		m->addr_hi = (m->addr_hi & ~(UINT32_C(0xff) << sh)) |
			     (uint32_t)v << sh;
	}
}

bool pci_msi_target(const struct pci_msi *m, uint8_t *dest, uint8_t *vector)
{
	/* SDM §11.11.1-2: 0xFEE in address bits 31:20, destination ID in
	 * 19:12; data: vector 7:0, delivery mode 10:8, trigger mode 15. */
	if (!m->shown || !m->enabled || (m->addr_lo >> 20) != 0xfee ||
	    m->addr_hi != 0 || ((m->data >> 8) & 7) > 1 || (m->data & 0x8000) ||
	    (m->data & 0xff) < 16) {
		return false;
	}
	*dest = (uint8_t)(m->addr_lo >> 12);
	*vector = (uint8_t)m->data;
	return true;
}
