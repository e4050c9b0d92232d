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
#include "svsm/lock_stat.h"
#include "svsm/request.h"
#include "svsm/vtpm.h"

#include "svsm/abi/attest.h"
#include "svsm/abi/svsm_call.h"

#define PAGE 4096u

/*
 * The services manifest (docs/attestation.md §4.3): the header, one entry
 * per attested service, then their data. The one service is the vTPM,
 * listed while it runs, with its manifest version 0: the public area of
 * the RSA-2048 EK (template L-1) it created at boot.
 */
static svsm_err_t services_manifest(uint8_t *m, size_t cap, size_t *len)
{
	static const uint8_t guid[16] = SVSM_ATTEST_GUID_SERVICES;
	static const uint8_t vtpm[16] = SVSM_ATTEST_GUID_VTPM;
	struct svsm_services_manifest_hdr h = {.size = sizeof(h), .count = 0};
	struct svsm_services_manifest_entry e;
	const uint8_t *ek = NULL;
	size_t ek_len = 0;

	__builtin_memset(&e, 0, sizeof(e));
	__builtin_memcpy(h.guid, guid, sizeof(h.guid));
	if (plat_vtpm_ek_public(SVSM_VTPM_MANIFEST_EK_RSA2048, &ek, &ek_len) ==
	    SVSM_OK) {
		__builtin_memcpy(e.guid, vtpm, sizeof(e.guid));
		e.offset = sizeof(h) + sizeof(e);
		e.length = (uint32_t)ek_len;
		h.count = 1;
		h.size = e.offset + e.length;
	}
	/* The EK's public area is a few hundred bytes: a page holds it. */
	if (h.size > cap) {
		return SVSM_E_REQUEST;
	}
	__builtin_memcpy(m, &h, sizeof(h));
	if (h.count != 0) {
		__builtin_memcpy(m + sizeof(h), &e, sizeof(e));
		__builtin_memcpy(m + e.offset, ek, ek_len);
	}
	*len = h.size;
	return SVSM_OK;
}

/*
 * ATTEST_SINGLE_SERVICE's manifest: that service's data alone. Only the
 * vTPM is known: version 0 is the RSA-2048 EK (the SVSM specification's),
 * version 1 the ECC P-256 EK (template L-2; this project's extension).
 * An unknown service is UNSUPPORTED_PROTOCOL and an unknown version
 * INVALID_PARAMETER, as coconut-svsm answers (docs/attestation.md §4.3).
 */
static svsm_err_t service_manifest(const struct svsm_attest_req *a, uint8_t *m,
				   size_t cap, size_t *len)
{
	static const uint8_t vtpm[16] = SVSM_ATTEST_GUID_VTPM;
	const uint8_t *ek = NULL;
	size_t ek_len = 0;
	svsm_err_t err = SVSM_OK;

	if (__builtin_memcmp(a->service_guid, vtpm, sizeof(vtpm)) != 0 ||
	    !plat_vtpm_ready()) {
		return SVSM_E_NOPROTO;
	}
	err = plat_vtpm_ek_public(a->manifest_version, &ek, &ek_len);
	if (err != SVSM_OK) {
		return err;
	}
	if (ek_len > cap) {
		return SVSM_E_REQUEST;
	}
	__builtin_memcpy(m, ek, ek_len);
	*len = ek_len;
	return SVSM_OK;
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
	/* The service and version are checked before the PSP is asked. */
	err = single ? service_manifest(&a, manifest, sizeof(manifest),
					&manifest_len)
		     : services_manifest(manifest, sizeof(manifest),
					 &manifest_len);
	if (err == SVSM_OK) {
		err = guest_mem_read(nonce, gpa(a.nonce_gpa), sizeof(nonce));
	}
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
static struct lock_stat attest_stat = LOCK_STAT_INIT("attest_lock", 4);

svsm_err_t attest_call(struct svsm_req *req)
{
	svsm_err_t err = SVSM_OK;

	if (req->call_id != SVSM_ATTEST_SERVICES &&
	    req->call_id != SVSM_ATTEST_SINGLE_SERVICE) {
		return SVSM_E_NOCALL;
	}
	stat_lock(&attest_lock, &attest_stat);
	err = attest(req, req->call_id == SVSM_ATTEST_SINGLE_SERVICE);
	stat_unlock(&attest_lock, &attest_stat);
	return err;
}
