/* SPDX-License-Identifier: MIT */
/*
 * svsm-verify (docs/attestation.md §5): the checks, one function per kind,
 * each printing one line ("ok ..." or "FAIL ...: why") and returning
 * whether it passed.
 */
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svsm/abi/snp_guest_msg.h"

struct sv_chain {
	X509 *ark, *ask, *vcek;
};

/** Count of failed checks; every sv_* check adds to it. */
extern unsigned sv_failures;

/** Print "ok name" or "FAIL name: why" and count failures. */
bool sv_result(bool ok, const char *name, const char *why_fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* chain.c */
X509 *sv_load_cert(const char *path);
/** Take ARK/ASK/VCEK from a GHCB certificate table (docs/attestation.md
 * §3); NULL fields for certificates it lacks. */
bool sv_chain_from_table(const uint8_t *t, size_t len, struct sv_chain *c);
/** ARK self-signed, ASK by ARK, VCEK by ASK, AMD's key types and PSS. */
bool sv_check_chain(const struct sv_chain *c);
/** The VCEK's hwID and SPL extensions against the report. */
bool sv_check_vcek_tcb(X509 *vcek, const struct snp_attestation_report *r);

/* report.c */
bool sv_check_signature(X509 *vcek, const struct snp_attestation_report *r);
bool sv_check_binding(const struct snp_attestation_report *r,
		      const uint8_t *nonce, size_t nonce_len,
		      const uint8_t *manifest, size_t manifest_len);
bool sv_check_measurement(const struct snp_attestation_report *r,
			  const uint8_t want[48], const char *source);
/** svsm-measure's KVM-profile digest of an IGVM file on @vcpus vCPUs. */
bool sv_measure_image(const char *path, uint32_t vcpus, uint8_t out[48]);
bool sv_check_vmpl(const struct snp_attestation_report *r, uint32_t want);
bool sv_check_policy(const struct snp_attestation_report *r, bool have_want,
		     uint64_t want, bool allow_debug);

/* manifest.c */
/** Print the manifest (services manifest or one service's data); false if
 * its structure is broken. *@ek and *@ek_len: the vTPM's data (its EK) if the
 * services manifest lists the vTPM, or if one service's data parses as an
 * EK; else NULL. */
bool sv_print_manifest(const uint8_t *m, size_t len, const uint8_t **ek,
		       size_t *ek_len);

/* ek.c */
struct sv_ek {
	EVP_PKEY *key;
	int version;         /* manifest version: 0 RSA-2048, 1 ECC P-256 */
	char desc[64];       /* "RSA-2048 (template L-1), ..." */
	char key_sha256[65]; /* of the modulus, or of 04||x||y */
};
/** Parse a marshalled TPMT_PUBLIC and check it is an EK of template L-1 or
 * L-2 (docs/attestation.md §4.3); on failure @why says what is wrong. */
bool sv_ek_parse(const uint8_t *pub, size_t len, struct sv_ek *ek, char *why,
		 size_t why_len);
/** The manifest's EK (@pub NULL: none): its template check, a description
 * with fingerprints, the comparison with the PEM key in @ek_pub and the
 * PEM written to @ek_out (each optional). */
void sv_check_ek(const uint8_t *pub, size_t len, const char *ek_pub,
		 const char *ek_out);
