// SPDX-License-Identifier: MIT
/*
 * The PSP's launch-time pages (psp.h). Guest requests (attestation reports,
 * derived keys) and the emulated VCEK are NOT implemented yet: ghcb.c
 * answers them as unsupported.
 */
#include "psp.h"

#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/string.h"

struct psp_state emu_psp;

/* RDRAND with the usual retry bound (Intel SDM §7.3.17.1; AMD the same). */
static bool rdrand64(uint64_t *v)
{
	for (int i = 0; i < 10; i++) {
		uint8_t ok = 0;

		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok) {
			return true;
		}
	}
	return false;
}

void psp_build_secrets(struct snp_secrets_page *page)
{
	bool have = (cpuid(1).ecx & (1u << 30)) != 0;

	memset(page, 0, sizeof(*page));
	/* abi.md §2.1: version 2 has the VMPCK area laid out as above. */
	page->version = 2;
	page->fms = cpuid(1).eax;
	emu_psp.rdrand_ok = have;
	for (int k = 0; k < 4; k++) {
		for (int i = 0; i < SNP_VMPCK_SIZE; i += 8) {
			uint64_t r = 0;

			if (!have || !rdrand64(&r)) {
				emu_psp.rdrand_ok = false;
				r = rdtsc() * UINT64_C(0x9e3779b97f4a7c15);
			}
			memcpy(&page->vmpck[k][i], &r, 8);
		}
	}
	memcpy(emu_psp.vmpck, page->vmpck, sizeof(emu_psp.vmpck));
	if (!emu_psp.rdrand_ok) {
		con_printf(
			"snpemu: WARNING: no RDRAND, VMPCKs are NOT "
			"random\n");
	}
}

static void add(struct snp_cpuid_page *p, const struct vmpl_ctx *c,
		uint32_t leaf, uint32_t sub)
{
	struct snp_cpuid_entry *e = NULL;
	uint32_t r[4];

	if (p->count >= SNP_CPUID_MAX_ENTRIES) {
		return;
	}
	emu_cpuid(c, leaf, sub, r);
	e = &p->entries[p->count++];
	e->eax_in = leaf;
	e->ecx_in = sub;
	/* XSAVE sizes in leaf 0xD depend on XCR0: state the x87|SSE(|AVX)
	 * set the values were taken with (Linux recomputes them anyway). */
	e->xcr0_in = leaf == 0xd && sub <= 1 ? 1 : 0;
	e->eax = r[0];
	e->ebx = r[1];
	e->ecx = r[2];
	e->edx = r[3];
}

void psp_build_cpuid(struct snp_cpuid_page *p, const struct vmpl_ctx *c)
{
	uint32_t max = cpuid(0).eax, xmax = 0;
	uint32_t r[4];

	memset(p, 0, sizeof(*p));
	for (uint32_t leaf = 0; leaf <= max && leaf <= 0x1f; leaf++) {
		uint32_t subs = 1;

		if (leaf == 4 || leaf == 0xb || leaf == 0x1f) {
			subs = 4;
		} else if (leaf == 0xd) {
			subs = 3;
		} else if (leaf == 7) {
			subs = 2;
		}
		for (uint32_t s = 0; s < subs; s++) {
			add(p, c, leaf, s);
		}
	}
	emu_cpuid(c, 0x80000000, 0, r);
	xmax = r[0];
	for (uint32_t leaf = 0x80000000; leaf <= xmax && leaf <= 0x8000001f;
	     leaf++) {
		add(p, c, leaf, 0);
	}
}
