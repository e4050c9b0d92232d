// SPDX-License-Identifier: MIT
/*
 * The attestation protocol (protocol 1; SVSM spec, AMD pub. 58019, tables
 * 11-13; docs/attestation.md §4): ATTEST_SERVICES and
 * ATTEST_SINGLE_SERVICE.
 *
 * Decode, then commit (docs/style.md §2): the request is copied out of the
 * guest once and checked there (reserved bytes zero, a 64-byte nonce that
 * does not cross a page, page-aligned buffers that are guest RAM and not
 * SVSM memory), the nonce is copied once, the report is fetched, and only
 * then are the sizes set and - if every buffer is large enough - the
 * outputs written (G9). A buffer that is too small gets INVALID_PARAMETER
 * with the sizes and nothing written, which is what Linux's retry expects
 * (docs/attestation.md §4.2 step 5). The core's files use the compiler's
 * builtins for the few copies (the runtime's names differ when hosted).
 */
#include "svsm/attest.h"

#include "lib/spinlock.h"

#include "svsm/guest_mem.h"
#include "svsm/request.h"

#include "svsm/abi/attest.h"
#include "svsm/abi/svsm_call.h"

#define PAGE 4096u

/*
 * The services this SVSM attests. None yet: the vTPM (protocol 2) is
 * served but its EK is not bound to the report yet, so the services
 * manifest is a header with no entries and every ATTEST_SINGLE_SERVICE
 * GUID is unknown. The vTPM's entry (its EK public area) goes here.
 */
static size_t services_manifest(uint8_t *m, size_t cap)
{
	static const uint8_t guid[16] = SVSM_ATTEST_GUID_SERVICES;
	struct svsm_services_manifest_hdr h = {.size = sizeof(h), .count = 0};

	if (cap < sizeof(h)) {
		return 0;
	}
	__builtin_memcpy(h.guid, guid, sizeof(h.guid));
	__builtin_memcpy(m, &h, sizeof(h));
	return sizeof(h);
}

static bool zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i] != 0) {
			return false;
		}
	}
	return true;
}

/* A guest output buffer: page aligned; if it has a size, it must be usable
 * guest memory (a size of 0 is merely too small). */
static svsm_err_t check_buffer(uint64_t g, uint32_t size, bool aligned)
{
	if (aligned && (g & (PAGE - 1)) != 0) {
		return SVSM_E_INVAL;
	}
	return size == 0 ? SVSM_OK : guest_mem_check_write(gpa(g), size);
}

static svsm_err_t decode(const struct svsm_attest_req *a, bool single)
{
	svsm_err_t err = SVSM_OK;

	if (a->reserved_0x0c != 0 || !zero(a->reserved_0x1a, 6) ||
	    a->reserved_0x2c != 0 || a->reserved_0x3c != 0 ||
	    (single && a->reserved_0x54 != 0)) {
		return SVSM_E_INVAL;
	}
	/* The nonce is read from one page (coconut and Linux agree). */
	if (a->nonce_size != SVSM_ATTEST_NONCE_SIZE ||
	    (a->nonce_gpa & (PAGE - 1)) + SVSM_ATTEST_NONCE_SIZE > PAGE) {
		return SVSM_E_INVAL;
	}
	err = check_buffer(a->report_gpa, a->report_size, true);
	if (err == SVSM_OK) {
		err = check_buffer(a->manifest_gpa, a->manifest_size, true);
	}
	if (err == SVSM_OK && a->certs_size != 0) {
		err = check_buffer(a->certs_gpa, a->certs_size, true);
	}
	return err;
}

static svsm_err_t attest(struct svsm_req *req, bool single)
{
	static struct attest_report rep;
	static uint8_t manifest[PAGE];
	struct svsm_attest_req a;
	uint8_t nonce[SVSM_ATTEST_NONCE_SIZE];
	size_t manifest_len = 0;
	svsm_err_t err = SVSM_OK;

	__builtin_memset(&a, 0, sizeof(a));
	rep.certs = NULL;
	rep.certs_len = 0;
	err = guest_mem_read(
		&a, gpa(req->rcx),
		single ? sizeof(a) : SVSM_ATTEST_SERVICES_REQ_SIZE);
	if (err == SVSM_OK) {
		err = decode(&a, single);
	}
	if (err != SVSM_OK) {
		return err;
	}
	if (single) {
		/* No service is attested on its own yet (services_manifest):
		 * every GUID is unknown (coconut: UNSUPPORTED_PROTOCOL). */
		return SVSM_E_NOPROTO;
	}
	manifest_len = services_manifest(manifest, sizeof(manifest));
	err = guest_mem_read(nonce, gpa(a.nonce_gpa), sizeof(nonce));
	if (err == SVSM_OK) {
		err = plat_attest_report(nonce, manifest, manifest_len,
					 a.certs_size != 0, &rep);
	}
	if (err != SVSM_OK && !(err == SVSM_E_INVAL && rep.certs_len != 0)) {
		return err;
	}
	/* Sizes always (Linux reads them on INVALID_PARAMETER too). */
	svsm_req_set_out(req, SVSM_OUT_RCX, manifest_len);
	svsm_req_set_out(req, SVSM_OUT_RDX, rep.certs_len);
	svsm_req_set_out(req, SVSM_OUT_R8, sizeof(rep.report));
	if (err != SVSM_OK || a.report_size < sizeof(rep.report) ||
	    a.manifest_size < manifest_len || a.certs_size < rep.certs_len) {
		return SVSM_E_INVAL;
	}
	err = guest_mem_write(gpa(a.report_gpa), rep.report,
			      sizeof(rep.report));
	if (err == SVSM_OK) {
		err = guest_mem_write(gpa(a.manifest_gpa), manifest,
				      manifest_len);
	}
	if (err == SVSM_OK && rep.certs_len != 0) {
		err = guest_mem_write(gpa(a.certs_gpa), rep.certs,
				      rep.certs_len);
	}
	return err;
}

/* attest() keeps its report and manifest in static buffers (too large for
 * the stack): one call at a time, whichever vCPU makes it. */
static struct spinlock attest_lock = SPINLOCK_INIT;

svsm_err_t attest_call(struct svsm_req *req)
{
	svsm_err_t err = SVSM_OK;

	if (req->call_id != SVSM_ATTEST_SERVICES &&
	    req->call_id != SVSM_ATTEST_SINGLE_SERVICE) {
		return SVSM_E_NOCALL;
	}
	spin_lock(&attest_lock);
	err = attest(req, req->call_id == SVSM_ATTEST_SINGLE_SERVICE);
	spin_unlock(&attest_lock);
	return err;
}
