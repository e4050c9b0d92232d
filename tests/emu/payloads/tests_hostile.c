// SPDX-License-Identifier: MIT
/*
 * snpemu test payload: hostile GHCB input, SNP guest requests, and random
 * GHCB requests.
 */
#include "lib/compiler.h"
#include "lib/fmt.h"
#include "lib/string.h"

#include "svsm/abi/ghcb.h"
#include "svsm/abi/ghcb_nae.h"
#include "svsm/abi/secrets.h"
#include "svsm/abi/snp.h"
#include "svsm/abi/snp_guest_msg.h"
#include "svsm/abi/vmsa.h"

#include "guest.h"
#include "payload.h"
#include "psp_crypto.h"

/* One IOIO event: the value read (IN) or 0. */
static uint32_t pio(uint16_t port, uint32_t sz, bool in, uint32_t v)
{
	ghcb_prepare(SVM_EXIT_IOIO,
		     (uint64_t)port << IOIO_PORT_SHIFT | sz |
			     (in ? IOIO_TYPE_IN : 0),
		     0);
	ghcb->rax = v;
	ghcb_set_valid(offsetof(struct ghcb, rax));
	vmgexit();
	return in ? (uint32_t)ghcb->rax : 0;
}

void t_hostile(void)
{
	bool ok = true;
	struct ghcb_psc_hdr *h = (void *)ghcb->shared_buffer;
	uint64_t *ent = (uint64_t *)(h + 1), v = 0;

	/* isa-debug-exit (0xf4) is not reachable: writing "fail" there must
	 * not end the VM (the plan would then be short). */
	ghcb_prepare(SVM_EXIT_IOIO,
		     (UINT64_C(0xf4) << IOIO_PORT_SHIFT) | IOIO_SZ32, 0);
	ghcb->rax = 0x11;
	ghcb_set_valid(offsetof(struct ghcb, rax));
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_1, 0);
	/* PCI configuration: an empty bus. The 32-bit CONFIG_ADDRESS latch
	 * reads back, a byte of it and the data port read all-ones, and a
	 * data write reaches no device (emu/ioport.c). */
	EXPECT_EQ(pio(0xcf8, IOIO_SZ32, false, 0x80000000u), 0);
	EXPECT_EQ(pio(0xcf8, IOIO_SZ32, true, 0), 0x80000000u);
	EXPECT_EQ(pio(0xcf8, IOIO_SZ8, true, 0), 0xffu);
	(void)pio(0xcfc, IOIO_SZ32, false, 0x12345678u);
	EXPECT_EQ(pio(0xcfc, IOIO_SZ32, true, 0), UINT32_MAX);
	/* ICH9 PM: GPE0 status reads 0, its enable reads back; SCI_EN set
	 * by the FADT's ACPI_ENABLE through 0xB2 (emu/acpi_pm.c). */
	EXPECT_EQ(pio(0x620, IOIO_SZ8, true, 0), 0);
	(void)pio(0x628, IOIO_SZ8, false, 0x5a);
	EXPECT_EQ(pio(0x628, IOIO_SZ8, true, 0), 0x5au);
	(void)pio(0xb2, IOIO_SZ8, false, 2);
	EXPECT_EQ(pio(0x604, IOIO_SZ16, true, 0) & 1, 1u);
	/* MMIO at a guest-RAM GPA (host: snpemu's own image) reads ones and
	 * a write there is dropped. */
	ghcb_prepare(SVM_VMGEXIT_MMIO_READ, 0x100000, 8);
	set_scratch();
	vmgexit();
	memcpy(&v, ghcb->shared_buffer, 8);
	EXPECT_EQ(v, UINT64_MAX);
	memset(ghcb->shared_buffer, 0xcc, 8);
	ghcb_prepare(SVM_VMGEXIT_MMIO_WRITE, 0x100000, 8);
	set_scratch();
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_1, 0);
	/* Bad IOIO size, bad MMIO length, unknown event, bad version. */
	EXPECT_EQ(ghcb_call(SVM_EXIT_IOIO, IOIO_SZ8 | IOIO_SZ16, 0),
		  GHCB_RESULT_ERROR);
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_INPUT);
	ghcb_prepare(SVM_VMGEXIT_MMIO_READ, 0xfed00000, 3);
	set_scratch();
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_INPUT);
	EXPECT_EQ(ghcb_call(0x12345, 0, 0), GHCB_RESULT_ERROR);
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_EVENT);
	ghcb_prepare(SVM_VMGEXIT_HV_FEATURES, 0, 0);
	ghcb->protocol_version = 3;
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_USAGE);
	/* PSC: header out of range, reserved bits, GFN beyond RAM. */
	h->cur_entry = 0;
	h->end_entry = 300;
	ghcb_prepare(SVM_VMGEXIT_PSC, 0, 0);
	set_scratch();
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_PSC_ERR_HDR);
	h->end_entry = 1;
	ent[0] = (UINT64_C(0x900) << 12) |
		 ((uint64_t)GHCB_MSR_PSC_OP_PRIVATE << 52);
	ent[1] = ent[0] | (UINT64_C(1) << 60);
	ghcb_prepare(SVM_VMGEXIT_PSC, 0, 0);
	set_scratch();
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2 >> 32, GHCB_PSC_ERR_ENTRY >> 32);
	EXPECT_EQ(h->cur_entry, 1); /* entry 0 done, entry 1 refused */
	h->cur_entry = 0;
	h->end_entry = 0;
	ent[0] = (UINT64_C(0x7fffffff) << 12) |
		 ((uint64_t)GHCB_MSR_PSC_OP_PRIVATE << 52);
	ghcb_prepare(SVM_VMGEXIT_PSC, 0, 0);
	set_scratch();
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2 >> 32, GHCB_PSC_ERR_ENTRY >> 32);
	/* AP creation: another APIC ID, or a page that is not a VMSA. */
	ghcb_prepare(SVM_VMGEXIT_AP_CREATION,
		     SVM_VMGEXIT_AP_CREATE | (UINT64_C(1) << 32),
		     gpa_of(vmsa2_page));
	ghcb->rax = SEV_FEAT_SNP_ACTIVE;
	ghcb_set_valid(offsetof(struct ghcb, rax));
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_INPUT);
	ghcb_prepare(SVM_VMGEXIT_AP_CREATION, SVM_VMGEXIT_AP_CREATE,
		     gpa_of(scratch_page));
	ghcb->rax = SEV_FEAT_SNP_ACTIVE;
	ghcb_set_valid(offsetof(struct ghcb, rax));
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_INPUT);
	/* Guest request pages: misaligned, or beyond guest RAM. */
	EXPECT_EQ(ghcb_call(SVM_VMGEXIT_GUEST_REQUEST, gpa_of(greq_req) + 8,
			    gpa_of(greq_resp)),
		  GHCB_RESULT_ERROR);
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_INPUT);
	EXPECT_EQ(ghcb_call(SVM_VMGEXIT_GUEST_REQUEST, gpa_of(greq_req),
			    UINT64_C(0x7ffff000)),
		  GHCB_RESULT_ERROR);
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_INPUT);
	/* Or private (the host cannot read those): refused as well. */
	EXPECT_EQ(ghcb_call(SVM_VMGEXIT_GUEST_REQUEST, gpa_of(scratch_page),
			    gpa_of(greq_resp)),
		  GHCB_RESULT_ERROR);
	/* MSR protocol: registering a GHCB outside guest RAM is refused. */
	EXPECT_EQ(msr_proto((UINT64_C(0x7ffffff) << 12) | GHCB_MSR_REG_GPA_REQ),
		  (((UINT64_C(1) << 52) - 1) << 12) | GHCB_MSR_REG_GPA_RESP);
	report(ok,
	       "hostile GHCB input: debug-exit port, RAM as MMIO, bad "
	       "sizes/events/PSC/AP creation refused");
}

/* One SNP guest message exchange (docs/abi.md §9.3-9.5). Returns SW_EXITINFO2
 * (VMM error << 32 | firmware status); on success @rsp holds the decrypted
 * MSG_REPORT_RSP. @ext_pages != 0: the extended request, with that many
 * pages of greq_certs as the certificate buffer. */
uint64_t guest_request_ext(unsigned vmpck, uint64_t seqno, uint32_t vmpl,
			   bool tamper, uint64_t ext_pages,
			   struct snp_report_rsp *rsp, bool *rsp_ok)
{
	struct snp_guest_msg_hdr hdr = {
		.msg_seqno = seqno,
		.algo = SNP_MSG_ALGO_AES256_GCM,
		.hdr_version = SNP_MSG_HDR_VERSION,
		.hdr_sz = sizeof(hdr),
		.msg_type = SNP_MSG_REPORT_REQ,
		.msg_version = 1,
		.msg_sz = sizeof(struct snp_report_req),
		.msg_vmpck = (uint8_t)vmpck,
	};
	struct snp_report_req q = {.vmpl = vmpl};
	uint8_t *req = shared_va(greq_req), *resp = shared_va(greq_resp);
	uint8_t iv[12] = {0}, tag[16];
	static uint8_t page[4096];

	for (unsigned i = 0; i < sizeof(q.report_data); i++) {
		q.report_data[i] = (uint8_t)(i * 7 + 1);
	}
	memcpy(iv, &seqno, 8);
	memcpy(page, &hdr, sizeof(hdr));
	*rsp_ok = pspc_gcm(true, secrets->vmpck[vmpck], iv,
			   page + SNP_MSG_AAD_OFFSET, SNP_MSG_AAD_LEN,
			   (const uint8_t *)&q, page + sizeof(hdr), sizeof(q),
			   tag);
	memcpy(page, tag, sizeof(tag));
	if (tamper) {
		page[sizeof(hdr) + 5] ^= 1;
	}
	memcpy(req, page, sizeof(hdr) + sizeof(q));
	memset(resp, 0, 4096);
	ghcb_prepare(ext_pages ? SVM_VMGEXIT_EXT_GUEST_REQUEST
			       : SVM_VMGEXIT_GUEST_REQUEST,
		     gpa_of(greq_req), gpa_of(greq_resp));
	if (ext_pages) {
		ghcb->rax = gpa_of(greq_certs);
		ghcb->rbx = ext_pages;
		ghcb_set_valid(offsetof(struct ghcb, rax));
		ghcb_set_valid(offsetof(struct ghcb, rbx));
	}
	vmgexit();
	if (ghcb->sw_exit_info_1 != 0 || ghcb->sw_exit_info_2 != 0) {
		*rsp_ok = false;
		return ghcb->sw_exit_info_2;
	}
	/* Copy out of shared memory before authenticating. */
	memcpy(page, resp, sizeof(hdr) + sizeof(*rsp));
	memcpy(&hdr, page, sizeof(hdr));
	memcpy(iv, &hdr.msg_seqno, 8);
	*rsp_ok = *rsp_ok && hdr.msg_seqno == seqno + 1 &&
		  hdr.msg_type == SNP_MSG_REPORT_RSP &&
		  hdr.msg_sz == sizeof(*rsp) &&
		  pspc_gcm(false, secrets->vmpck[vmpck], iv,
			   page + SNP_MSG_AAD_OFFSET, SNP_MSG_AAD_LEN,
			   page + sizeof(hdr), (uint8_t *)rsp, sizeof(*rsp),
			   hdr.authtag);
	return 0;
}

static uint64_t guest_request(unsigned vmpck, uint64_t seqno, uint32_t vmpl,
			      bool tamper, struct snp_report_rsp *rsp,
			      bool *rsp_ok)
{
	return guest_request_ext(vmpck, seqno, vmpl, tamper, 0, rsp, rsp_ok);
}

void t_guest_request(void)
{
	static struct snp_report_rsp rsp;
	bool ok = true, rsp_ok = false;
	uint8_t first_id[32];

	EXPECT_EQ(guest_request(0, 1, 0, false, &rsp, &rsp_ok), 0);
	EXPECT_EQ(rsp_ok, 1);
	EXPECT_EQ(rsp.status, 0);
	EXPECT_EQ(rsp.report_size, sizeof(rsp.report));
	EXPECT_EQ(rsp.report.version, 2);
	EXPECT_EQ(rsp.report.vmpl, 0);
	EXPECT_EQ(rsp.report.policy, 0x30000);
	EXPECT_EQ(rsp.report.signature_algo, 1);
	EXPECT_EQ(rsp.report.report_data[63], (uint8_t)(63 * 7 + 1));
	EXPECT_EQ(vcek_verify(&rsp.report), 1);
	/* The signature covers the report: change a byte, it fails. */
	rsp.report.report_data[0] ^= 1;
	EXPECT_EQ(vcek_verify(&rsp.report), 0);
	/* Tampered ciphertext, replayed sequence number: refused. */
	EXPECT_EQ(guest_request(0, 3, 0, true, &rsp, &rsp_ok),
		  SNP_FW_INVALID_PARAM);
	EXPECT_EQ(guest_request(0, 1, 0, false, &rsp, &rsp_ok),
		  SNP_FW_INVALID_PARAM);
	/* The refused messages consumed nothing: seqno 3 still works. */
	memcpy(first_id, rsp.report.report_id, sizeof(first_id));
	EXPECT_EQ(guest_request(0, 3, 1, false, &rsp, &rsp_ok), 0);
	EXPECT_EQ(rsp_ok && rsp.status == 0 && rsp.report.vmpl == 1, 1);
	/* Firmware fields: REPORT_ID fixed for the guest, 64-byte CHIP_ID,
	 * equal non-zero TCBs (docs/igvm.md §6.3). */
	EXPECT_EQ(memcmp(first_id, rsp.report.report_id, sizeof(first_id)), 0);
	EXPECT_EQ(rsp.report.chip_id[63] != 0 || rsp.report.chip_id[62] != 0,
		  1);
	EXPECT_EQ(rsp.report.current_tcb != 0 &&
			  rsp.report.current_tcb == rsp.report.launch_tcb &&
			  rsp.report.reported_tcb == rsp.report.committed_tcb,
		  1);
	/* VMPCK2 may not attest VMPL0. */
	EXPECT_EQ(guest_request(2, 1, 0, false, &rsp, &rsp_ok), 0);
	EXPECT_EQ(rsp_ok, 1);
	EXPECT_EQ(rsp.status, SNP_FW_INVALID_PARAM);
	report(ok,
	       "SNP guest request: report signed by the build's VCEK, "
	       "AEAD, sequence numbers, VMPL floor");
}

static uint64_t rng_state = UINT64_C(0x9e3779b97f4a7c15);

static uint64_t rnd(void)
{
	/* xorshift64 (Marsaglia 2003): reproducible, no libc. */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * Random GHCB requests: random valid bits, lengths, scratch pointers, PSC
 * headers and entries. Confined where a "successful" random request would
 * hurt the payload itself: ports 0x80-0x8f (no device), PSC GFNs in
 * 16-32 MiB (unused), no termination, no RUN_VMPL. snpemu must answer
 * every one with OK, exception or error, and never stop.
 */
void t_fuzz(void)
{
	static const uint64_t codes[] = {
		SVM_EXIT_CPUID,
		SVM_EXIT_IOIO,
		SVM_EXIT_MSR,
		SVM_VMGEXIT_MMIO_READ,
		SVM_VMGEXIT_MMIO_WRITE,
		SVM_VMGEXIT_PSC,
		SVM_VMGEXIT_GUEST_REQUEST,
		SVM_VMGEXIT_EXT_GUEST_REQUEST,
		SVM_VMGEXIT_AP_CREATION,
		SVM_VMGEXIT_HV_FEATURES,
		0x8000fff0,
		0x12,
	};
	struct ghcb_psc_hdr *h = (void *)ghcb->shared_buffer;
	uint64_t *ent = (uint64_t *)(h + 1);
	bool ok = true;
	unsigned bad = 0;

	for (unsigned i = 0; i < 3000; i++) {
		uint64_t code = codes[rnd() % ARRAY_SIZE(codes)];
		uint64_t info1 = rnd(), info2 = rnd() & 0xffff;

		if (code == SVM_EXIT_IOIO) {
			info1 = ((0x80 + (rnd() & 0xf)) << 16) | (rnd() & 0x7d);
		} else if (code == SVM_VMGEXIT_MMIO_READ ||
			   code == SVM_VMGEXIT_MMIO_WRITE) {
			info1 = (rnd() & 1) ? 0xfed00000 + (rnd() & 0xfff)
					    : rnd() & 0xffffffff;
			info2 = rnd() & 0xf;
		} else if (code == SVM_VMGEXIT_PSC) {
			h->cur_entry = (uint16_t)(rnd() % 260);
			h->end_entry = (uint16_t)(rnd() % 260);
			for (unsigned e = 0; e < 8; e++) {
				ent[e] = (rnd() &
					  ~(UINT64_C(0xffffffffff) << 12)) |
					 ((0x1000 + (rnd() & 0xfff)) << 12);
			}
		} else if (code == SVM_VMGEXIT_GUEST_REQUEST ||
			   code == SVM_VMGEXIT_EXT_GUEST_REQUEST) {
			info1 = (rnd() & 1) ? gpa_of(greq_req) : rnd();
			info2 = (rnd() & 1) ? gpa_of(greq_resp) : rnd();
		}
		ghcb_prepare(code, info1, info2);
		for (unsigned b = 0; b < 16; b++) {
			ghcb->valid_bitmap[b] |= (uint8_t)rnd();
		}
		ghcb->sw_scratch = ghcb_gpa + (rnd() & 0x1fff) - 0x400;
		ghcb->rax = rnd();
		ghcb->rbx = rnd() & 0xf;
		ghcb->rcx = rnd();
		ghcb->rdx = rnd();
		vmgexit();
		if ((ghcb->sw_exit_info_1 & 0xffffffff) > GHCB_RESULT_ERROR) {
			bad++;
		}
	}
	EXPECT_EQ(bad, 0);
	report(ok, "3000 random GHCB requests: answered, never fatal");
}
