// SPDX-License-Identifier: MIT
/*
 * The report itself (docs/abi.md §9.1, docs/attestation.md §4-§5): the
 * VCEK's signature, REPORT_DATA = SHA-512(nonce || manifest), MEASUREMENT,
 * VMPL and policy.
 */
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

#include "igvm/host.h"
#include "igvm/measure.h"
#include "igvm/parse.h"
#include "igvm/vmsa.h"
#include "verify.h"

/* POLICY bits (docs/abi.md §9.1): 17 must be one, 19 DEBUG. */
#define POLICY_RSVD_ONE (UINT64_C(1) << 17)
#define POLICY_DEBUG (UINT64_C(1) << 19)

/* r and s: little-endian in 72-byte fields; P-384 values fit 48 bytes,
 * the rest must be zero. */
static BIGNUM *le72(const uint8_t v[72])
{
	for (unsigned i = 48; i < 72; i++) {
		if (v[i] != 0) {
			return NULL;
		}
	}
	return BN_lebin2bn(v, 48, NULL);
}

bool sv_check_signature(X509 *vcek, const struct snp_attestation_report *r)
{
	EVP_PKEY *k = vcek != NULL ? X509_get0_pubkey(vcek) : NULL;
	BIGNUM *br = le72(r->sig_r), *bs = le72(r->sig_s);
	ECDSA_SIG *sig = ECDSA_SIG_new();
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char *der = NULL;
	int der_len = 0;
	bool ok = false;

	if (r->signature_algo != 1) {
		sv_result(false, "report signature",
			  "algorithm %u, not 1 "
			  "(ECDSA P-384 with SHA-384)",
			  r->signature_algo);
		goto out;
	}
	if (k == NULL || br == NULL || bs == NULL || sig == NULL ||
	    md == NULL || !ECDSA_SIG_set0(sig, br, bs)) {
		sv_result(false, "report signature", "malformed r/s or key");
		goto out;
	}
	br = bs = NULL; /* owned by sig */
	der_len = i2d_ECDSA_SIG(sig, &der);
	ok = der_len > 0 &&
	     EVP_DigestVerifyInit(md, NULL, EVP_sha384(), NULL, k) == 1 &&
	     EVP_DigestVerify(md, der, (size_t)der_len, (const uint8_t *)r,
			      SNP_REPORT_SIGNED_LEN) == 1;
	sv_result(ok, "report signed by the VCEK",
		  "ECDSA P-384/SHA-384 over bytes 0x000-0x29F does not "
		  "verify");
out:
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	ECDSA_SIG_free(sig);
	BN_free(br);
	BN_free(bs);
	return ok;
}

bool sv_check_binding(const struct snp_attestation_report *r,
		      const uint8_t *nonce, size_t nonce_len,
		      const uint8_t *manifest, size_t manifest_len)
{
	uint8_t h[SHA512_DIGEST_LENGTH];
	EVP_MD_CTX *c = NULL;
	bool ok = false;

	if (nonce_len != 64) {
		return sv_result(false, "REPORT_DATA binding",
				 "the nonce is %zu bytes, not 64", nonce_len);
	}
	c = EVP_MD_CTX_new();
	ok = c != NULL && EVP_DigestInit_ex(c, EVP_sha512(), NULL) == 1 &&
	     EVP_DigestUpdate(c, nonce, nonce_len) == 1 &&
	     EVP_DigestUpdate(c, manifest, manifest_len) == 1 &&
	     EVP_DigestFinal_ex(c, h, NULL) == 1;
	EVP_MD_CTX_free(c);
	return sv_result(ok && memcmp(h, r->report_data, sizeof(h)) == 0,
			 "REPORT_DATA = SHA-512(nonce || manifest)",
			 "REPORT_DATA does not bind this nonce and manifest");
}

bool sv_measure_image(const char *path, uint32_t vcpus, uint8_t out[48])
{
	uint8_t scratch[4096];
	struct igvm_measure_opts o = {.profile = IGVM_PROFILE_KVM,
				      .vcpus = vcpus,
				      .vcpu_sig = IGVM_VCPU_SIG_EPYC_V4,
				      .scratch = scratch};
	struct igvm_file *f = calloc(1, sizeof(*f));
	uint8_t *data = NULL;
	size_t len = 0;
	bool ok = false;

	if (f != NULL && igvm_host_read_file(path, &data, &len)) {
		ok = igvm_parse(data, len, f) == IGVM_OK &&
		     igvm_measure(f, igvm_host_sha384, &o, out) == IGVM_OK;
	}
	free(data);
	free(f);
	return ok;
}

bool sv_check_measurement(const struct snp_attestation_report *r,
			  const uint8_t want[48], const char *source)
{
	char got[97], exp[97];

	igvm_host_hex(r->measurement, 48, got);
	igvm_host_hex(want, 48, exp);
	return sv_result(memcmp(r->measurement, want, 48) == 0, "MEASUREMENT",
			 "report %s, %s %s", got, source, exp);
}

bool sv_check_vmpl(const struct snp_attestation_report *r, uint32_t want)
{
	return sv_result(r->vmpl == want, "VMPL", "report VMPL %u, expected %u",
			 r->vmpl, want);
}

bool sv_check_policy(const struct snp_attestation_report *r, bool have_want,
		     uint64_t want, bool allow_debug)
{
	bool ok = true;

	ok &= sv_result((r->policy & POLICY_RSVD_ONE) != 0, "policy bit 17",
			"0x%llx: reserved bit 17 must be one",
			(unsigned long long)r->policy);
	ok &= sv_result(allow_debug || !(r->policy & POLICY_DEBUG),
			"policy: no DEBUG",
			"0x%llx allows debugging (--allow-debug to accept)",
			(unsigned long long)r->policy);
	if (have_want) {
		ok &= sv_result(r->policy == want, "policy",
				"0x%llx, expected 0x%llx",
				(unsigned long long)r->policy,
				(unsigned long long)want);
	}
	return ok;
}
