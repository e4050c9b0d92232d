// SPDX-License-Identifier: MIT
/*
 * MSG_REPORT_REQ checks and report contents (psp_report.h). Field meanings:
 * SEV-SNP Firmware ABI "ATTESTATION_REPORT" as Linux
 * (include/uapi/linux/sev-guest.h, drivers/virt/coco/sev-guest) and
 * coconut-svsm read it; docs/abi.md §9 has the layout.
 */
#include "psp_report.h"

/* Runs in snpemu and in a hosted unit test (see launch.c). */
#define memcpy __builtin_memcpy
#define memset __builtin_memset

static bool all_zero(const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (p[i] != 0) {
			return false;
		}
	}
	return true;
}

uint32_t psp_msg_check(const struct snp_guest_msg_hdr *h, uint64_t last_seqno)
{
	if (h->algo != SNP_MSG_ALGO_AES256_GCM ||
	    h->hdr_version != SNP_MSG_HDR_VERSION || h->hdr_sz != 0x60 ||
	    h->msg_type != SNP_MSG_REPORT_REQ || h->msg_version != 1 ||
	    h->msg_sz != sizeof(struct snp_report_req) || h->msg_vmpck > 3 ||
	    h->reserved_0x38 != 0 ||
	    !all_zero(h->reserved_0x28, sizeof(h->reserved_0x28)) ||
	    !all_zero(h->reserved_0x3d, sizeof(h->reserved_0x3d))) {
		return SNP_FW_INVALID_PARAM;
	}
	/*
	 * The sequence number is the AES-GCM IV: a repeated or skipped one
	 * is refused before decryption, without a response. (The firmware
	 * spec text was not available; Linux snp_send_guest_request()
	 * disables the VMPCK on any failure, so no guest can rely on more.)
	 */
	if (last_seqno == UINT64_MAX || h->msg_seqno != last_seqno + 1) {
		return SNP_FW_INVALID_PARAM;
	}
	return SNP_FW_SUCCESS;
}

uint32_t psp_report_req_check(const struct snp_report_req *q, uint32_t vmpck)
{
	uint32_t key_sel = q->flags & PSP_KEY_SEL_MASK;

	/* A VMPCK may attest its own VMPL or a less privileged one. */
	if (q->vmpl < vmpck || q->vmpl > 3) {
		return SNP_FW_INVALID_PARAM;
	}
	if ((q->flags & ~PSP_KEY_SEL_MASK) ||
	    !all_zero(q->reserved, sizeof(q->reserved)) ||
	    key_sel == PSP_KEY_SEL_MASK) {
		return SNP_FW_INVALID_PARAM;
	}
	if (key_sel == PSP_KEY_SEL_VLEK) {
		return SNP_FW_INVALID_KEY;
	}
	return SNP_FW_SUCCESS;
}

void psp_report_fill(struct snp_attestation_report *r,
		     const struct snp_report_req *q, const struct psp_guest *g)
{
	const struct launch_identity *id = &g->identity;

	memset(r, 0, sizeof(*r));
	r->version = PSP_REPORT_VERSION;
	r->policy = g->policy;
	r->vmpl = q->vmpl;
	r->signature_algo = 1; /* ECDSA P-384 with SHA-384 */
	r->current_tcb = g->tcb;
	r->reported_tcb = g->tcb;
	r->committed_tcb = g->tcb;
	r->launch_tcb = g->tcb;
	r->platform_info = PSP_SMT_ENABLED ? PSP_PLATFORM_INFO_SMT_EN : 0;
	/* Bits 4:2 SIGNING_KEY = 0: the VCEK; bit 1 MASK_CHIP_KEY = 0. */
	r->flags = id->author_key_en ? 1u : 0u;
	memcpy(r->report_data, q->report_data, sizeof(r->report_data));
	memcpy(r->measurement, g->measurement, sizeof(r->measurement));
	memcpy(r->report_id, g->report_id, sizeof(r->report_id));
	/* No migration agent: REPORT_ID_MA is all ones. */
	memset(r->report_id_ma, 0xff, sizeof(r->report_id_ma));
	memcpy(r->chip_id, g->chip_id, sizeof(r->chip_id));
	/* Firmware version as {build, minor, major, 0}. */
	r->current_version[0] = PSP_FW_BUILD;
	r->current_version[1] = PSP_ABI_MINOR;
	r->current_version[2] = PSP_ABI_MAJOR;
	memcpy(r->committed_version, r->current_version, 4);
	if (id->id_block) {
		r->guest_svn = id->guest_svn;
		memcpy(r->family_id, id->family_id, sizeof(r->family_id));
		memcpy(r->image_id, id->image_id, sizeof(r->image_id));
		memcpy(r->id_key_digest, id->id_key_digest,
		       sizeof(r->id_key_digest));
		memcpy(r->author_key_digest, id->author_key_digest,
		       sizeof(r->author_key_digest));
	}
}
