// SPDX-License-Identifier: MIT
/*
 * The certificate chain (docs/attestation.md §1-§3): ARK -> ASK -> VCEK with
 * AMD's key types and signature schemes, and the VCEK's TCB extensions.
 */
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>

#include "svsm/abi/snp_certs.h"

#include "verify.h"

X509 *sv_load_cert(const char *path)
{
	FILE *f = fopen(path, "rb");
	X509 *x = NULL;

	if (f == NULL) {
		return NULL;
	}
	x = PEM_read_X509(f, NULL, NULL, NULL);
	if (x == NULL) {
		rewind(f);
		x = d2i_X509_fp(f, NULL);
	}
	fclose(f);
	return x;
}

bool sv_chain_from_table(const uint8_t *t, size_t len, struct sv_chain *c)
{
	static const uint8_t g_ark[16] = SNP_CERT_GUID_ARK;
	static const uint8_t g_ask[16] = SNP_CERT_GUID_ASK;
	static const uint8_t g_vcek[16] = SNP_CERT_GUID_VCEK;
	static const uint8_t zero[sizeof(struct snp_cert_entry)];
	struct snp_cert_entry e;

	for (size_t off = 0; off + sizeof(e) <= len; off += sizeof(e)) {
		X509 **slot = NULL;
		const unsigned char *p = NULL;

		memcpy(&e, t + off, sizeof(e));
		if (memcmp(&e, zero, sizeof(e)) == 0) {
			return true;
		}
		if (e.offset > len || e.length > len - e.offset) {
			return false;
		}
		if (memcmp(e.guid, g_ark, 16) == 0) {
			slot = &c->ark;
		} else if (memcmp(e.guid, g_ask, 16) == 0) {
			slot = &c->ask;
		} else if (memcmp(e.guid, g_vcek, 16) == 0) {
			slot = &c->vcek;
		} else {
			continue; /* VLEK or vendor entries: not used */
		}
		p = t + e.offset;
		X509_free(*slot);
		*slot = d2i_X509(NULL, &p, e.length);
		if (*slot == NULL) {
			return false;
		}
	}
	return false; /* no terminator */
}

/* RSASSA-PSS with SHA-384, MGF1-SHA-384, salt 48 (AMD's ARK/ASK scheme). */
static bool pss_sha384(const X509 *x, const char **why)
{
	const X509_ALGOR *alg = NULL, *mgf_hash = NULL;
	const ASN1_OBJECT *obj = NULL;
	const void *pval = NULL;
	const ASN1_STRING *seq = NULL;
	const unsigned char *p = NULL;
	RSA_PSS_PARAMS *pss = NULL;
	X509_ALGOR *mh = NULL;
	int ptype = 0;
	bool ok = false;

	X509_get0_signature(NULL, &alg, x);
	X509_ALGOR_get0(&obj, &ptype, &pval, alg);
	if (OBJ_obj2nid(obj) != NID_rsassaPss || ptype != V_ASN1_SEQUENCE) {
		*why = "not RSASSA-PSS";
		return false;
	}
	seq = pval;
	p = ASN1_STRING_get0_data(seq);
	pss = d2i_RSA_PSS_PARAMS(NULL, &p, ASN1_STRING_length(seq));
	*why = "PSS parameters are not SHA-384/MGF1-SHA-384/salt 48";
	if (pss == NULL || pss->hashAlgorithm == NULL ||
	    pss->maskGenAlgorithm == NULL || pss->saltLength == NULL ||
	    OBJ_obj2nid(pss->hashAlgorithm->algorithm) != NID_sha384 ||
	    OBJ_obj2nid(pss->maskGenAlgorithm->algorithm) != NID_mgf1 ||
	    ASN1_INTEGER_get(pss->saltLength) != 48) {
		goto out;
	}
	X509_ALGOR_get0(&obj, &ptype, &pval, pss->maskGenAlgorithm);
	if (ptype != V_ASN1_SEQUENCE) {
		goto out;
	}
	seq = pval;
	p = ASN1_STRING_get0_data(seq);
	mh = d2i_X509_ALGOR(NULL, &p, ASN1_STRING_length(seq));
	mgf_hash = mh;
	ok = mgf_hash != NULL && OBJ_obj2nid(mgf_hash->algorithm) == NID_sha384;
out:
	X509_ALGOR_free(mh);
	RSA_PSS_PARAMS_free(pss);
	return ok;
}

static bool rsa4096(X509 *x)
{
	EVP_PKEY *k = X509_get0_pubkey(x);

	return k != NULL && EVP_PKEY_is_a(k, "RSA") &&
	       EVP_PKEY_get_bits(k) == 4096;
}

static bool p384(X509 *x)
{
	EVP_PKEY *k = X509_get0_pubkey(x);
	char group[32] = "";
	size_t glen = 0;

	return k != NULL && EVP_PKEY_is_a(k, "EC") &&
	       EVP_PKEY_get_group_name(k, group, sizeof(group), &glen) &&
	       strcmp(group, "secp384r1") == 0;
}

/* @sub issued and signed by @iss, with the PSS scheme; @iss is a CA. */
static bool issued(X509 *sub, X509 *iss, const char *name)
{
	const char *why = "";
	EVP_PKEY *k = X509_get0_pubkey(iss);

	if (X509_check_issued(iss, sub) != X509_V_OK) {
		return sv_result(false, name,
				 "issuer name or key usage does "
				 "not match");
	}
	if (!pss_sha384(sub, &why)) {
		return sv_result(false, name, "%s", why);
	}
	return sv_result(k != NULL && X509_verify(sub, k) == 1, name,
			 "signature does not verify");
}

bool sv_check_chain(const struct sv_chain *c)
{
	bool ok = true;

	if (c->ark == NULL || c->ask == NULL || c->vcek == NULL) {
		return sv_result(false, "chain",
				 "ARK, ASK and VCEK are needed");
	}
	ok &= sv_result(rsa4096(c->ark) && rsa4096(c->ask), "chain: key types",
			"ARK and ASK must be RSA-4096");
	ok &= sv_result(p384(c->vcek), "chain: VCEK key",
			"the VCEK must be ECDSA P-384");
	ok &= issued(c->ark, c->ark, "chain: ARK self-signed");
	ok &= issued(c->ask, c->ark, "chain: ASK signed by the ARK");
	ok &= issued(c->vcek, c->ask, "chain: VCEK signed by the ASK");
	return ok;
}

/* The DER value of the VCEK extension @oid (NULL if absent). */
static const ASN1_OCTET_STRING *ext_value(X509 *x, const char *oid)
{
	ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
	int i = o != NULL ? X509_get_ext_by_OBJ(x, o, -1) : -1;

	ASN1_OBJECT_free(o);
	return i < 0 ? NULL : X509_EXTENSION_get_data(X509_get_ext(x, i));
}

static bool ext_int(X509 *x, const char *oid, long *out)
{
	const ASN1_OCTET_STRING *v = ext_value(x, oid);
	const unsigned char *p = NULL;
	ASN1_INTEGER *n = NULL;

	if (v == NULL) {
		return false;
	}
	p = ASN1_STRING_get0_data(v);
	n = d2i_ASN1_INTEGER(NULL, &p, ASN1_STRING_length(v));
	*out = n != NULL ? ASN1_INTEGER_get(n) : -1;
	ASN1_INTEGER_free(n);
	return *out >= 0;
}

bool sv_check_vcek_tcb(X509 *vcek, const struct snp_attestation_report *r)
{
	/* AMD VCEK spec (pub. 57230) OIDs; Milan TCB_VERSION byte positions
	 * (docs/abi.md §9.1): boot loader 0, TEE 1, SNP 6, microcode 7. */
	static const struct {
		const char *oid, *name;
		unsigned byte;
	} spl[] = {
		{"1.3.6.1.4.1.3704.1.3.1", "blSPL", 0},
		{"1.3.6.1.4.1.3704.1.3.2", "teeSPL", 1},
		{"1.3.6.1.4.1.3704.1.3.3", "snpSPL", 6},
		{"1.3.6.1.4.1.3704.1.3.8", "ucodeSPL", 7},
	};
	const ASN1_OCTET_STRING *hw = ext_value(vcek, "1.3.6.1.4.1.3704.1.4");
	const unsigned char *p = NULL;
	ASN1_OCTET_STRING *id = NULL;
	bool ok = true, hw_ok = false;

	for (unsigned i = 0; i < sizeof(spl) / sizeof(spl[0]); i++) {
		long v = -1;
		unsigned got =
			(unsigned)(r->reported_tcb >> (8 * spl[i].byte)) & 0xff;

		if (!ext_int(vcek, spl[i].oid, &v) || (unsigned long)v != got) {
			ok = false;
			sv_result(false, "VCEK TCB", "%s %ld, report %u",
				  spl[i].name, v, got);
		}
	}
	if (ok) {
		sv_result(true, "VCEK TCB = REPORTED_TCB", NULL);
	}
	if (hw != NULL) {
		p = ASN1_STRING_get0_data(hw);
		id = d2i_ASN1_OCTET_STRING(NULL, &p, ASN1_STRING_length(hw));
	}
	hw_ok = id != NULL && ASN1_STRING_length(id) == 64 &&
		memcmp(ASN1_STRING_get0_data(id), r->chip_id, 64) == 0;
	ASN1_OCTET_STRING_free(id);
	return sv_result(hw_ok, "VCEK hwID = CHIP_ID",
			 "the report is not from this VCEK's chip") &&
	       ok;
}
