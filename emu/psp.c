// SPDX-License-Identifier: MIT
/*
 * The PSP's launch-time pages and guest requests (psp.h). Only
 * MSG_REPORT_REQ is answered; key derivation (MSG_KEY_REQ) and TSC info
 * are not implemented. Reports are signed with the build's emulated VCEK
 * (psp_certs.h); without it every request is refused.
 */
#include "psp.h"

#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/string.h"

#include "svsm/abi/snp_guest_msg.h"

#include "psp_certs.h"
#include "psp_crypto.h"

struct psp_state emu_psp;

/* RDRAND with the usual retry bound (Intel SDM §7.3.17.1; AMD the same). */
bool psp_cpuid_no_xsave;
#define NO_XSAVE_MAX_LEAF 0xc
#define CPUID_1_ECX_XSAVE (1u << 26)
#define CPUID_1_ECX_OSXSAVE (1u << 27)
#define CPUID_1_ECX_AVX (1u << 28)
#define CPUID_7_ECX_PKU (1u << 3)
#define CPUID_7_ECX_OSPKE (1u << 4)

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

void psp_launch_start(void)
{
	struct psp_guest *g = &emu_psp.guest;

	memset(g, 0, sizeof(*g));
	/* The firmware picks REPORT_ID once per guest context. */
	for (unsigned i = 0; i < sizeof(g->report_id); i += 8) {
		uint64_t v = 0;

		if (!rdrand64(&v)) {
			v = rdtsc() * UINT64_C(0x9e3779b97f4a7c15);
		}
		memcpy(&g->report_id[i], &v, 8);
	}
}

void psp_build_secrets(struct snp_secrets_page *page)
{
	bool have = (cpuid(1).ecx & (1u << 30)) != 0;

	memset(page, 0, sizeof(*page));
	/* docs/abi.md §2.1: version 2 has the VMPCK area laid out as above. */
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
	memset(emu_psp.seqno, 0, sizeof(emu_psp.seqno));
	emu_psp.have_vmpck = true;
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

	/* Never silently: a dropped leaf reads as zero in the guest. */
	if (p->count >= SNP_CPUID_MAX_ENTRIES) {
		con_printf(
			"snpemu: WARNING: CPUID page full (%u entries), "
			"leaf %x.%x left out\n",
			SNP_CPUID_MAX_ENTRIES, leaf, sub);
		return;
	}
	/* vCPU 0's values: the guest asks the hypervisor for APIC IDs. */
	emu_cpuid(c, 0, leaf, sub, r);
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
	if (psp_cpuid_no_xsave && leaf == 0 && e->eax > NO_XSAVE_MAX_LEAF) {
		e->eax = NO_XSAVE_MAX_LEAF;
	}
	if (psp_cpuid_no_xsave && leaf == 1) {
		e->ecx &= ~(CPUID_1_ECX_XSAVE | CPUID_1_ECX_OSXSAVE |
			    CPUID_1_ECX_AVX);
	}
	/* PKRU is XSAVE state: no PKU without XSAVE (Linux checks the
	 * dependency, arch/x86/kernel/cpu/cpuid-deps.c). */
	if (psp_cpuid_no_xsave && leaf == 7 && sub == 0) {
		e->ecx &= ~(CPUID_7_ECX_PKU | CPUID_7_ECX_OSPKE);
	}
}

void psp_build_cpuid(struct snp_cpuid_page *p, const struct vmpl_ctx *c)
{
	uint32_t max = cpuid(0).eax, xmax = 0;

	if (psp_cpuid_no_xsave && max > NO_XSAVE_MAX_LEAF) {
		max = NO_XSAVE_MAX_LEAF;
	}
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
	emu_cpuid(c, 0, 0x80000000, 0, r);
	xmax = r[0];
	for (uint32_t leaf = 0x80000000; leaf <= xmax && leaf <= 0x8000001f;
	     leaf++) {
		add(p, c, leaf, 0);
	}
}

uint32_t psp_guest_request(const uint8_t *req_page, uint8_t *resp_page)
{
	static uint8_t in[4096], out[4096];
	struct snp_guest_msg_hdr hdr;
	struct snp_report_req q;
	struct snp_report_rsp *rsp = (struct snp_report_rsp *)(void *)out;
	uint8_t iv[12] = {0};
	uint8_t tag[16];
	uint32_t vmpck = 0, status = 0;

	/* The page is shared with the host: copy it once, then decide. */
	memcpy(in, req_page, sizeof(in));
	memcpy(&hdr, in, sizeof(hdr));
	vmpck = hdr.msg_vmpck;
	if (!emu_psp.have_vmpck || !psp_certs_loaded() || vmpck > 3) {
		return SNP_FW_INVALID_PARAM;
	}
	status = psp_msg_check(&hdr, emu_psp.seqno[vmpck]);
	if (status != SNP_FW_SUCCESS) {
		return status;
	}
	memcpy(iv, &hdr.msg_seqno, 8);
	if (!pspc_gcm(false, emu_psp.vmpck[vmpck], iv, in + SNP_MSG_AAD_OFFSET,
		      SNP_MSG_AAD_LEN, in + sizeof(hdr), (uint8_t *)&q,
		      sizeof(q), hdr.authtag)) {
		return SNP_FW_INVALID_PARAM;
	}
	memset(out, 0, sizeof(out));
	rsp->status = psp_report_req_check(&q, vmpck);
	if (rsp->status == SNP_FW_SUCCESS) {
		/* The VCEK certificate's hwID and TCB: a verifier matches
		 * them (psp_certs.h). */
		memcpy(emu_psp.guest.chip_id, psp_certs_hwid(),
		       sizeof(emu_psp.guest.chip_id));
		emu_psp.guest.tcb = psp_certs_tcb();
		psp_report_fill(&rsp->report, &q, &emu_psp.guest);
		if (!pspc_sign((const uint8_t *)&rsp->report,
			       SNP_REPORT_SIGNED_LEN, rsp->report.sig_r,
			       rsp->report.sig_s)) {
			return SNP_FW_INVALID_PARAM;
		}
		rsp->report_size = sizeof(rsp->report);
	}
	hdr.msg_seqno += 1;
	hdr.msg_type = SNP_MSG_REPORT_RSP;
	hdr.msg_sz = sizeof(*rsp);
	memset(hdr.authtag, 0, sizeof(hdr.authtag));
	memcpy(iv, &hdr.msg_seqno, 8);
	memcpy(resp_page, &hdr, sizeof(hdr));
	if (!pspc_gcm(true, emu_psp.vmpck[vmpck], iv,
		      resp_page + SNP_MSG_AAD_OFFSET, SNP_MSG_AAD_LEN, out,
		      resp_page + sizeof(hdr), sizeof(*rsp), tag)) {
		return SNP_FW_INVALID_PARAM;
	}
	memcpy(resp_page, tag, sizeof(tag));
	emu_psp.seqno[vmpck] += 2;
	return SNP_FW_SUCCESS;
}
