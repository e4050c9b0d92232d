// SPDX-License-Identifier: MIT
/*
 * The SVSM's guest-request channel (guest_request.h): MSG_REPORT_REQ
 * through VMPCK0 (docs/abi.md §9.2-§9.5, docs/attestation.md §3).
 *
 * The rules Linux follows (arch/x86/virt/coco/sev/core.c,
 * snp_send_guest_request and __handle_guest_request), because a sequence
 * number used twice with different plaintext reuses a GCM IV:
 *  - the message is encrypted in private memory, then copied to the shared
 *    request page; the response is copied into private memory once, then
 *    checked and decrypted there;
 *  - requests use last + 1, a valid response carries request + 1, and the
 *    counter advances by 2 per completed exchange;
 *  - BUSY: send the identical message again (bounded);
 *  - INVALID_LEN on the extended request: send the identical message as a
 *    plain request so its sequence number is consumed;
 *  - anything else (a VMM or firmware error, a response that does not
 *    authenticate or does not match): VMPCK0 is wiped (here and in the
 *    secrets page) and attestation is refused from then on.
 * One lock serialises the channel (docs/style.md §5 "one for the
 * guest-request driver").
 */
#include "guest_request.h"

#include "lib/console.h"
#include "lib/spinlock.h"
#include "lib/string.h"

#include "svsm/attest.h"

#include "svsm/abi/snp_certs.h"
#include "svsm/abi/snp_guest_msg.h"

#include "../mm/mem.h"
#include "ghcb.h"
#include "greq_crypto.h"

#define PAGE 4096u
#define CERT_PAGES (SVSM_ATTEST_CERTS_MAX / PAGE)
#define BUSY_RETRIES 64

struct greq {
	struct spinlock lock;
	bool enabled;
	uint8_t vmpck[SNP_VMPCK_SIZE];
	uint8_t *secrets_vmpck; /* VMPCK0 in the secrets page, for the wipe */
	uint64_t seqno;         /* last sequence number used */
	uint8_t *req, *resp, *certs; /* shared pages (VA = PA, no C-bit) */
};

static struct greq greq = {.lock = SPINLOCK_INIT};
static uint8_t msg[PAGE];                    /* private message buffer */
static uint8_t certs[SVSM_ATTEST_CERTS_MAX]; /* private copy of the table */

static void wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;

	for (size_t i = 0; i < n; i++) {
		v[i] = 0;
	}
}

/* VMPCK0 is not used again after a failed exchange (Linux
 * snp_disable_vmpck): the IV state is no longer known. */
static svsm_err_t disable(const char *why)
{
	wipe(greq.vmpck, sizeof(greq.vmpck));
	if (greq.secrets_vmpck != NULL) {
		wipe(greq.secrets_vmpck, SNP_VMPCK_SIZE);
	}
	greq.enabled = false;
	con_printf("attest: %s: VMPCK0 wiped, attestation disabled\n", why);
	return SVSM_E_REQUEST;
}

bool greq_init(struct snp_secrets_page *secrets)
{
	static const uint8_t zero[SNP_VMPCK_SIZE];

	greq.secrets_vmpck = secrets->vmpck[0];
	memcpy(greq.vmpck, secrets->vmpck[0], sizeof(greq.vmpck));
	greq.req = mem_alloc_shared(1);
	greq.resp = mem_alloc_shared(1);
	greq.certs = mem_alloc_shared(CERT_PAGES);
	greq.enabled = greq.req != NULL && greq.resp != NULL &&
		       greq.certs != NULL &&
		       memcmp(greq.vmpck, zero, sizeof(zero)) != 0;
	return greq.enabled;
}

bool greq_enabled(void)
{
	return greq.enabled;
}

static void iv_of(uint64_t seqno, uint8_t iv[12])
{
	memset(iv, 0, 12);
	memcpy(iv, &seqno, 8);
}

/* Encrypt MSG_REPORT_REQ with @seqno into msg[] (private). */
static bool seal_request(const uint8_t report_data[64], uint64_t seqno)
{
	struct snp_guest_msg_hdr hdr = {
		.msg_seqno = seqno,
		.algo = SNP_MSG_ALGO_AES256_GCM,
		.hdr_version = SNP_MSG_HDR_VERSION,
		.hdr_sz = sizeof(hdr),
		.msg_type = SNP_MSG_REPORT_REQ,
		.msg_version = 1,
		.msg_sz = sizeof(struct snp_report_req),
		.msg_vmpck = 0,
	};
	struct snp_report_req q = {.vmpl = 0, .flags = 0};
	uint8_t iv[12];
	uint8_t tag[16];

	memcpy(q.report_data, report_data, sizeof(q.report_data));
	memset(msg, 0, sizeof(msg));
	memcpy(msg, &hdr, sizeof(hdr));
	iv_of(seqno, iv);
	if (!greq_gcm_seal(greq.vmpck, iv, msg + SNP_MSG_AAD_OFFSET,
			   SNP_MSG_AAD_LEN, (const uint8_t *)&q,
			   msg + sizeof(hdr), sizeof(q), tag)) {
		return false;
	}
	memcpy(msg, tag, sizeof(tag));
	return true;
}

/*
 * Send msg[] until the host stops saying BUSY. @pages: NULL for the plain
 * request, else in: the certificate buffer's pages, out: RBX. Returns
 * SW_EXITINFO2 (UINT64_MAX if the host refused the event).
 */
static uint64_t send(uint64_t *pages)
{
	uint64_t rc = UINT64_MAX;
	uint64_t in_pages = pages != NULL ? *pages : 0;

	for (int i = 0; i < BUSY_RETRIES; i++) {
		/* The host may have written the shared page: copy again. */
		memcpy(greq.req, msg, sizeof(msg));
		if (pages != NULL) {
			*pages = in_pages;
		}
		rc = ghcb_guest_request(mem_pa(greq.req), mem_pa(greq.resp),
					mem_pa(greq.certs), pages);
		if (rc >> 32 != SNP_GUEST_VMM_ERR_BUSY) {
			break;
		}
	}
	return rc;
}

/* Copy the response in once, check it belongs to request @seqno, decrypt
 * into @rsp. */
static bool open_response(uint64_t seqno, struct snp_report_rsp *rsp)
{
	struct snp_guest_msg_hdr hdr;
	uint8_t iv[12];

	memcpy(msg, greq.resp, sizeof(msg));
	memcpy(&hdr, msg, sizeof(hdr));
	if (hdr.algo != SNP_MSG_ALGO_AES256_GCM ||
	    hdr.hdr_version != SNP_MSG_HDR_VERSION ||
	    hdr.hdr_sz != sizeof(hdr) || hdr.msg_type != SNP_MSG_REPORT_RSP ||
	    hdr.msg_version != 1 || hdr.msg_vmpck != 0 ||
	    hdr.msg_seqno != seqno + 1 || hdr.msg_sz != sizeof(*rsp)) {
		return false;
	}
	iv_of(hdr.msg_seqno, iv);
	return greq_gcm_open(greq.vmpck, iv, msg + SNP_MSG_AAD_OFFSET,
			     SNP_MSG_AAD_LEN, msg + sizeof(hdr), (uint8_t *)rsp,
			     sizeof(*rsp), hdr.authtag);
}

/*
 * The table's extent: up to its terminator and the end of the furthest
 * certificate, within the buffer (the host is not trusted; the guest
 * parses the table itself). 0 if the first entry is the terminator.
 */
static size_t table_len(const uint8_t *t, size_t cap)
{
	static const uint8_t zero[sizeof(struct snp_cert_entry)];
	struct snp_cert_entry e;
	size_t end = 0;

	for (size_t off = 0; off + sizeof(e) <= cap; off += sizeof(e)) {
		memcpy(&e, t + off, sizeof(e));
		if (memcmp(&e, zero, sizeof(e)) == 0) {
			return off == 0 ? 0 : MAX(end, off + sizeof(e));
		}
		if (e.offset > cap || e.length > cap - e.offset) {
			return cap;
		}
		end = MAX(end, (size_t)e.offset + e.length);
	}
	return cap;
}

static svsm_err_t exchange(const uint8_t report_data[64], bool want_certs,
			   struct attest_report *out)
{
	static struct snp_report_rsp rsp;
	uint64_t seqno = greq.seqno + 1, pages = CERT_PAGES, rc = 0;
	bool too_small = false;

	/* Sequence numbers never wrap (Linux treats a wrap as fatal). */
	if (seqno >= UINT64_MAX - 1) {
		return disable("sequence numbers exhausted");
	}
	if (!seal_request(report_data, seqno)) {
		return disable("encryption failed");
	}
	rc = send(want_certs ? &pages : NULL);
	if (want_certs && rc == (uint64_t)SNP_GUEST_VMM_ERR_INVALID_LEN << 32) {
		/* The identical message, plain, consumes the seqno. */
		too_small = true;
		out->certs_len = (size_t)MIN(pages, UINT64_C(1) << 20) * PAGE;
		rc = send(NULL);
	}
	if (rc != 0) {
		return disable(
			rc >> 32 == SNP_GUEST_VMM_ERR_BUSY
				? "the host stayed busy"
				: "the host or the PSP failed the request");
	}
	if (!open_response(seqno, &rsp)) {
		return disable("a response that does not authenticate");
	}
	greq.seqno = seqno + 1;
	if (rsp.status != SNP_FW_SUCCESS ||
	    rsp.report_size != sizeof(rsp.report)) {
		wipe(&rsp, sizeof(rsp));
		return SVSM_E_REQUEST;
	}
	memcpy(out->report, &rsp.report, sizeof(out->report));
	wipe(&rsp, sizeof(rsp));
	if (too_small) {
		return SVSM_E_INVAL;
	}
	if (want_certs) {
		memcpy(certs, greq.certs, sizeof(certs));
		out->certs = certs;
		out->certs_len = table_len(certs, sizeof(certs));
	}
	return SVSM_OK;
}

svsm_err_t plat_attest_report(const uint8_t nonce[64], const void *manifest,
			      size_t manifest_len, bool want_certs,
			      struct attest_report *out)
{
	uint8_t report_data[64];
	svsm_err_t err = SVSM_E_REQUEST;

	out->certs = NULL;
	out->certs_len = 0;
	greq_sha512_2(nonce, 64, manifest, manifest_len, report_data);
	spin_lock(&greq.lock);
	if (greq.enabled) {
		err = exchange(report_data, want_certs, out);
	}
	spin_unlock(&greq.lock);
	return err;
}
