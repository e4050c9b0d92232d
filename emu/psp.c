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
	memset(&emu_psp.identity, 0, sizeof(emu_psp.identity));
	/* The firmware picks REPORT_ID once per guest context. */
	for (unsigned i = 0; i < sizeof(emu_psp.report_id); i += 8) {
		uint64_t v = 0;

		if (!rdrand64(&v)) {
			v = rdtsc() * UINT64_C(0x9e3779b97f4a7c15);
		}
		memcpy(&emu_psp.report_id[i], &v, 8);
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

static void build_report(struct snp_attestation_report *r,
			 const struct snp_report_req *q)
{
	memset(r, 0, sizeof(*r));
	r->version = 2;
	r->policy = emu_psp.policy;
	r->vmpl = q->vmpl;
	r->signature_algo = 1; /* ECDSA P-384 with SHA-384 */
	r->flags = 0;          /* signed with the VCEK */
	memcpy(r->report_data, q->report_data, sizeof(r->report_data));
	memcpy(r->measurement, emu_psp.measurement, sizeof(r->measurement));
	/* The VCEK certificate's hwID and TCB: a verifier matches them. */
	memcpy(r->chip_id, psp_certs_hwid(), sizeof(r->chip_id));
	r->current_tcb = psp_certs_tcb();
	r->reported_tcb = psp_certs_tcb();
	r->committed_tcb = psp_certs_tcb();
	r->launch_tcb = psp_certs_tcb();
	memcpy(r->report_id, emu_psp.report_id, sizeof(r->report_id));
	/* What an accepted ID block attests (SNP_LAUNCH_FINISH). */
	if (emu_psp.identity.id_block) {
		r->guest_svn = emu_psp.identity.guest_svn;
		memcpy(r->family_id, emu_psp.identity.family_id, 16);
		memcpy(r->image_id, emu_psp.identity.image_id, 16);
		memcpy(r->id_key_digest, emu_psp.identity.id_key_digest, 48);
		memcpy(r->author_key_digest, emu_psp.identity.author_key_digest,
		       48);
		r->flags |= emu_psp.identity.author_key_en ? 1u : 0u;
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
	uint32_t vmpck = 0;

	/* The page is shared with the host: copy it once, then decide. */
	memcpy(in, req_page, sizeof(in));
	memcpy(&hdr, in, sizeof(hdr));
	vmpck = hdr.msg_vmpck;
	if (!emu_psp.have_vmpck || !psp_certs_loaded() || vmpck > 3 ||
	    hdr.algo != SNP_MSG_ALGO_AES256_GCM ||
	    hdr.hdr_version != SNP_MSG_HDR_VERSION || hdr.hdr_sz != 0x60 ||
	    hdr.msg_type != SNP_MSG_REPORT_REQ ||
	    hdr.msg_sz != sizeof(struct snp_report_req) ||
	    hdr.msg_seqno != emu_psp.seqno[vmpck] + 1) {
		return SNP_FW_INVALID_PARAM;
	}
	memcpy(iv, &hdr.msg_seqno, 8);
	if (!pspc_gcm(false, emu_psp.vmpck[vmpck], iv, in + SNP_MSG_AAD_OFFSET,
		      SNP_MSG_AAD_LEN, in + sizeof(hdr), (uint8_t *)&q,
		      sizeof(q), hdr.authtag)) {
		return SNP_FW_INVALID_PARAM;
	}
	memset(out, 0, sizeof(out));
	/* A VMPCK may only attest its own VMPL or a less privileged one. */
	if (q.vmpl < vmpck || q.vmpl > 3) {
		rsp->status = SNP_FW_INVALID_PARAM;
	} else {
		build_report(&rsp->report, &q);
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
