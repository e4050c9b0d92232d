// SPDX-License-Identifier: MIT
/*
 * The fake snpemu around emu/ghcb.c (fake_machine.h). Only what the GHCB
 * handler reaches is modelled; devices answer as absent hardware does.
 */
#include "fake_machine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/console.h"

#include "emu.h"
#include "hostile.h"
#include "inject.h"
#include "iommu.h"
#include "ioport.h"
#include "psp.h"
#include "psp_certs.h"

jmp_buf fake_emu_stop;
uint8_t fake_emu_written[FAKE_EMU_PAGES];
uint64_t emu_ram_size = (uint64_t)FAKE_EMU_PAGES << PAGE_SHIFT;
struct machine emu_machine;

static uint8_t *ram;
/* Pages the harness or the handler touched: the next reset zeroes them. */
static bool touched[FAKE_EMU_PAGES];
static struct rmp_entry rmp_entries[FAKE_EMU_PAGES];
static struct vmcb vmcbs[FAKE_EMU_VCPUS][SNP_VMPL_COUNT];

uint8_t *fake_emu_ram(uint64_t gpa)
{
	touched[((gpa & ~EMU_CBIT) >> PAGE_SHIFT) % FAKE_EMU_PAGES] = true;
	return ram + (gpa & ~EMU_CBIT);
}

void fake_emu_reset(struct machine *m)
{
	if (ram == NULL) {
		ram = aligned_alloc(PAGE_SIZE, emu_ram_size);
		if (ram == NULL) {
			abort();
		}
		memset(ram, 0, emu_ram_size);
	}
	for (unsigned p = 0; p < FAKE_EMU_PAGES; p++) {
		if (touched[p]) {
			memset(ram + (uint64_t)p * PAGE_SIZE, 0, PAGE_SIZE);
			touched[p] = false;
		}
	}
	memset(fake_emu_written, 0, sizeof(fake_emu_written));
	memset(m, 0, sizeof(*m));
	memset(vmcbs, 0, sizeof(vmcbs));
	rmp_init(&m->rmp, rmp_entries, FAKE_EMU_PAGES);
	m->nr_vcpus = FAKE_EMU_VCPUS;
	for (unsigned c = 0; c < FAKE_EMU_VCPUS; c++) {
		struct vcpu *cpu = &m->vcpu[c];

		cpu->id = c;
		for (unsigned v = 0; v < SNP_VMPL_COUNT; v++) {
			cpu->ctx[v].vmpl = v;
			cpu->ctx[v].vmcb = &vmcbs[c][v];
			cpu->ctx[v].ghcb_gfn = UINT64_MAX;
		}
	}
	m->cpu = &m->vcpu[0];
	m->cpu->ctx[0].present = true;
	m->cpu->ctx[2].present = true;
	m->verdict_set = 0xf;
}

int con_printf(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

__noreturn void emu_exit(uint32_t status)
{
	(void)status;
	longjmp(fake_emu_stop, 1);
}

__noreturn void emu_stop(struct machine *m, const char *fmt, ...)
{
	(void)m;
	(void)fmt;
	longjmp(fake_emu_stop, 1);
}

__noreturn void gmem_violation(struct machine *m, enum gmem_rc rc, uint64_t gpa,
			       enum gacc acc, const char *what)
{
	(void)m;
	(void)rc;
	(void)gpa;
	(void)acc;
	(void)what;
	longjmp(fake_emu_stop, 1);
}

/* npt.c's gmem_gpa on the fake's RAM: snpemu's own rule (gmem_rule.c);
 * the fake runs at CPL0 with no VMSA in use. */
enum gmem_rc gmem_gpa(struct machine *m, unsigned vmpl, uint64_t gpa,
		      enum gacc acc, void **hva)
{
	uint64_t addr = gpa & ~EMU_CBIT;
	enum gmem_rc rc =
		gmem_rule(&m->rmp, vmpl, gpa, acc, RMP_PERM_XS, false);

	if (rc != GMEM_OK) {
		return rc;
	}
	if (acc == GACC_WRITE) {
		fake_emu_written[addr >> PAGE_SHIFT]++;
	}
	*hva = fake_emu_ram(addr);
	return GMEM_OK;
}

void npt_apply(struct machine *m, const struct rmp_change *chg)
{
	(void)m;
	(void)chg;
}

/* vmpl.c: a context exists once created; the VMSA is checked at run. */
int vmpl_create(struct machine *m, struct vcpu *v, unsigned vmpl,
		uint64_t vmsa_gpa)
{
	(void)m;
	if ((vmsa_gpa & (PAGE_SIZE - 1)) || vmsa_gpa >= emu_ram_size) {
		return -1;
	}
	v->ctx[vmpl].present = true;
	v->ctx[vmpl].vmsa_gpa = vmsa_gpa;
	return 0;
}

void vmpl_destroy(struct machine *m, struct vcpu *v, unsigned vmpl)
{
	(void)m;
	v->ctx[vmpl].present = false;
}

bool vmpl_switch(struct machine *m, unsigned target)
{
	if (target >= SNP_VMPL_COUNT || !m->cpu->ctx[target].present) {
		return false;
	}
	m->cpu->cur = target;
	return true;
}

/* Devices: the local APIC claims nothing, ports float high. */
bool apic_msr_is_apic(uint32_t msr)
{
	(void)msr;
	return false;
}

bool apic_msr_read(struct apic *a, uint32_t msr, uint64_t *v, uint64_t now)
{
	(void)a;
	(void)msr;
	(void)now;
	*v = 0;
	return false;
}

bool apic_msr_write(struct apic *a, uint32_t msr, uint64_t v, uint64_t now)
{
	(void)a;
	(void)msr;
	(void)v;
	(void)now;
	return false;
}

bool apic_mmio_claims(const struct apic *a, uint64_t gpa)
{
	(void)a;
	(void)gpa;
	return false;
}

void apic_mmio_read(struct apic *a, uint64_t gpa, uint32_t len, uint64_t *v,
		    uint64_t now)
{
	(void)a;
	(void)gpa;
	(void)len;
	(void)now;
	*v = 0;
}

void apic_mmio_write(struct apic *a, uint64_t gpa, uint32_t len, uint64_t v,
		     uint64_t now)
{
	(void)a;
	(void)gpa;
	(void)len;
	(void)v;
	(void)now;
}

/* emu/pci.c: no PCI function is shown to the fuzzed guest. */
bool pci_mmio_allowed(uint64_t gpa, uint64_t len)
{
	(void)gpa;
	(void)len;
	return false;
}

uint32_t ioport_in(struct machine *m, uint16_t port, uint8_t size)
{
	(void)m;
	(void)port;
	return size == 4 ? UINT32_MAX : (1u << (size * 8)) - 1;
}

void ioport_out(struct machine *m, uint16_t port, uint8_t size, uint32_t v)
{
	(void)m;
	(void)port;
	(void)size;
	(void)v;
}

/* The PSP: a response page derived from the request, firmware status 0. */
uint32_t psp_guest_request(const uint8_t *req, uint8_t *resp)
{
	for (size_t i = 0; i < PAGE_SIZE; i++) {
		resp[i] = (uint8_t)(req[i % 64] ^ i);
	}
	return 0;
}

/* A certificate table of two pages and a bit, as the real one is. */
const uint8_t *psp_certs_table(size_t *len)
{
	static uint8_t table[2 * PAGE_SIZE + 100];

	table[0] = 0xa4;
	*len = sizeof(table);
	return table;
}

/* emu/inject.c: the fake host injects nothing and offers no restricted
 * injection (ri=0). */
bool emu_host_ri;

void inject_report(void)
{
}

/* emu/hostile.c: hostile= is off, so every VMGEXIT is answered. */
bool hostile_drop_vmgexit(struct machine *m, bool terminate)
{
	(void)m;
	(void)terminate;
	return false;
}

void hostile_report(void)
{
}

/* emu/iommu.c: the fake machine has no IOMMU. */
void iommu_report(void)
{
}

/* emu/stats.c: the milestone report on termination prints nothing here. */
void stats_milestone(struct machine *m, const char *what)
{
	(void)m;
	(void)what;
}
