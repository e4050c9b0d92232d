// SPDX-License-Identifier: MIT
/*
 * Printing the manifest the SVSM hashed into REPORT_DATA (docs/attestation.md
 * §4.3): the services manifest (a GUID table) or one service's data.
 */
#include <inttypes.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

#include "svsm/abi/attest.h"

#include "verify.h"

static void guid_str(const uint8_t g[16], char out[37])
{
	/* Little-endian ("mixed-endian") GUID bytes, printed canonically. */
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9],
		 g[10], g[11], g[12], g[13], g[14], g[15]);
}

static const char *service_name(const uint8_t g[16])
{
	static const uint8_t vtpm[16] = SVSM_ATTEST_GUID_VTPM;

	return memcmp(g, vtpm, 16) == 0 ? " (vTPM: EK public area)" : "";
}

static void print_digest(const uint8_t *p, size_t len)
{
	uint8_t h[SHA256_DIGEST_LENGTH];

	SHA256(p, len, h);
	printf(", sha256 ");
	for (unsigned i = 0; i < sizeof(h); i++) {
		printf("%02x", h[i]);
	}
}

/* ATTEST_SINGLE_SERVICE's manifest does not name its service: it is
 * taken as the vTPM's when it is an EK public area. */
static bool looks_like_ek(const uint8_t *m, size_t len)
{
	struct sv_ek ek;
	char why[200];
	bool ok = sv_ek_parse(m, len, &ek, why, sizeof(why));

	EVP_PKEY_free(ek.key);
	return ok;
}

bool sv_print_manifest(const uint8_t *m, size_t len, const uint8_t **ek,
		       size_t *ek_len)
{
	static const uint8_t services[16] = SVSM_ATTEST_GUID_SERVICES;
	static const uint8_t vtpm[16] = SVSM_ATTEST_GUID_VTPM;
	struct svsm_services_manifest_hdr h;
	struct svsm_services_manifest_entry e;
	char g[37];

	*ek = NULL;
	*ek_len = 0;
	if (len < sizeof(h) || memcmp(m, services, 16) != 0) {
		printf("manifest: one service's data, %zu bytes", len);
		print_digest(m, len);
		if (looks_like_ek(m, len)) {
			printf(" (a vTPM EK public area)");
			*ek = m;
			*ek_len = len;
		}
		printf("\n");
		return true;
	}
	memcpy(&h, m, sizeof(h));
	if (h.size != len || h.count > (len - sizeof(h)) / sizeof(e)) {
		return sv_result(
			false, "manifest",
			"services manifest header "
			"says %u bytes and %u entries, file has %zu bytes",
			h.size, h.count, len);
	}
	printf("manifest: services, %u entr%s, %zu bytes\n", h.count,
	       h.count == 1 ? "y" : "ies", len);
	for (uint32_t i = 0; i < h.count; i++) {
		memcpy(&e, m + sizeof(h) + i * sizeof(e), sizeof(e));
		guid_str(e.guid, g);
		if (e.offset > len || e.length > len - e.offset) {
			return sv_result(false, "manifest",
					 "service %s data outside the manifest",
					 g);
		}
		printf("  service %s%s: %u bytes of data", g,
		       service_name(e.guid), e.length);
		if (memcmp(e.guid, vtpm, 16) == 0 && *ek == NULL) {
			*ek = m + e.offset;
			*ek_len = e.length;
		}
		if (e.length != 0) {
			print_digest(m + e.offset, e.length);
		}
		printf("\n");
	}
	return true;
}
