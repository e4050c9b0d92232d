// SPDX-License-Identifier: MIT
/*
 * The vTPM's endorsement key in the manifest (docs/attestation.md §4.3):
 * a marshalled TPMT_PUBLIC (TPM byte order) that must be the primary key of
 * the TCG EK Credential Profile's template L-1 (manifest version 0,
 * RSA-2048) or L-2 (version 1, ECC P-256; this project's extension). Every
 * template field is checked, so a manifest whose "EK" is some other key
 * (not fixedTPM, another policy...) is refused, and the key itself becomes
 * an OpenSSL key to print, compare with --ek-pub and write with --ek-out.
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

#include "svsm/abi/tpm_ek.h"

#include "verify.h"

static const uint8_t policy_a[32] = TPM_EK_POLICY_A;

/* A bounded big-endian reader: any read past the end sets bad. */
struct rd {
	const uint8_t *p;
	size_t left;
	bool bad;
};

static uint32_t rd_be(struct rd *r, unsigned n)
{
	uint32_t v = 0;

	if (r->bad || r->left < n) {
		r->bad = true;
		return 0;
	}
	for (unsigned i = 0; i < n; i++) {
		v = v << 8 | r->p[i];
	}
	r->p += n;
	r->left -= n;
	return v;
}

/* A TPM2B: its size (which must be @want) and then its bytes. */
static const uint8_t *rd_2b(struct rd *r, uint32_t want)
{
	const uint8_t *p = NULL;

	if (rd_be(r, 2) != want || r->left < want) {
		r->bad = true;
		return NULL;
	}
	p = r->p;
	r->p += want;
	r->left -= want;
	return p;
}

static EVP_PKEY *rsa_key(const uint8_t *n, size_t n_len)
{
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	BIGNUM *bn = BN_bin2bn(n, (int)n_len, NULL);
	BIGNUM *e = BN_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *key = NULL;

	/* exponent 0 in a TPMT_PUBLIC means the default, 65537. */
	if (b != NULL && bn != NULL && e != NULL && ctx != NULL &&
	    BN_set_word(e, 65537) &&
	    OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, bn) &&
	    OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, e)) {
		params = OSSL_PARAM_BLD_to_param(b);
	}
	if (params != NULL && EVP_PKEY_fromdata_init(ctx) == 1 &&
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1) {
		key = NULL;
	}
	OSSL_PARAM_free(params);
	EVP_PKEY_CTX_free(ctx);
	BN_free(e);
	BN_free(bn);
	OSSL_PARAM_BLD_free(b);
	return key;
}

/* @pt is the uncompressed point 04 || x || y. */
static EVP_PKEY *ecc_key(const uint8_t pt[65])
{
	char group[] = "prime256v1";
	OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
		OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pt,
					65),
		OSSL_PARAM_END};
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *key = NULL;

	if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1) {
		key = NULL;
	}
	EVP_PKEY_CTX_free(ctx);
	return key;
}

/* Importing does not check the key (OpenSSL 3.0 takes a point off the
 * curve): the explicit public-key check does. */
static bool public_check(EVP_PKEY *key)
{
	EVP_PKEY_CTX *ctx = key ? EVP_PKEY_CTX_new(key, NULL) : NULL;
	bool ok = ctx != NULL && EVP_PKEY_public_check(ctx) == 1;

	EVP_PKEY_CTX_free(ctx);
	return ok;
}

static void hex(char *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		snprintf(out + 2 * i, 3, "%02x", p[i]);
	}
}

bool sv_ek_parse(const uint8_t *pub, size_t len, struct sv_ek *ek, char *why,
		 size_t why_len)
{
	struct rd r = {pub, len, false};
	uint32_t type = rd_be(&r, 2), name_alg = rd_be(&r, 2);
	uint32_t attrs = rd_be(&r, 4);
	const uint8_t *policy = rd_2b(&r, sizeof(policy_a));
	uint32_t sym = rd_be(&r, 2), sym_bits = rd_be(&r, 2);
	uint32_t sym_mode = rd_be(&r, 2), scheme = rd_be(&r, 2);
	uint8_t fp[SHA256_DIGEST_LENGTH], pt[65];

	memset(ek, 0, sizeof(*ek));
	snprintf(why, why_len, "truncated or malformed TPMT_PUBLIC");
	if (r.bad || (type != TPM_EK_ALG_RSA && type != TPM_EK_ALG_ECC)) {
		if (!r.bad) {
			snprintf(why, why_len, "key type 0x%04x", type);
		}
		return false;
	}
	ek->version = type == TPM_EK_ALG_RSA ? 0 : 1;
	if (name_alg != TPM_EK_ALG_SHA256 || attrs != TPM_EK_ATTRIBUTES ||
	    memcmp(policy, policy_a, sizeof(policy_a)) != 0 ||
	    sym != TPM_EK_ALG_AES || sym_bits != 128 ||
	    sym_mode != TPM_EK_ALG_CFB || scheme != TPM_EK_ALG_NULL) {
		snprintf(why, why_len,
			 "not template L-%d: nameAlg 0x%04x, attributes "
			 "0x%08x, authPolicy%s PolicyA, symmetric "
			 "0x%04x/%u/0x%04x, scheme 0x%04x",
			 ek->version + 1, name_alg, attrs,
			 memcmp(policy, policy_a, 32) ? " not" : "", sym,
			 sym_bits, sym_mode, scheme);
		return false;
	}
	if (type == TPM_EK_ALG_RSA) {
		uint32_t bits = rd_be(&r, 2), exp = rd_be(&r, 4);
		const uint8_t *n = rd_2b(&r, 256);

		if (r.bad || bits != 2048 || exp != 0 || r.left != 0 ||
		    (n[0] & 0x80) == 0) {
			snprintf(why, why_len,
				 "not an RSA-2048 EK (L-1): keyBits %u, "
				 "exponent %u, %zu bytes after the modulus",
				 bits, exp, r.left);
			return false;
		}
		SHA256(n, 256, fp);
		ek->key = rsa_key(n, 256);
		snprintf(ek->desc, sizeof(ek->desc),
			 "RSA-2048 (template L-1), exponent 65537");
	} else {
		uint32_t curve = rd_be(&r, 2), kdf = rd_be(&r, 2);
		const uint8_t *x = rd_2b(&r, 32), *y = rd_2b(&r, 32);

		if (r.bad || curve != TPM_EK_ECC_NIST_P256 ||
		    kdf != TPM_EK_ALG_NULL || r.left != 0) {
			snprintf(why, why_len,
				 "not an ECC P-256 EK (L-2): curve 0x%04x, "
				 "kdf 0x%04x, %zu bytes after the point",
				 curve, kdf, r.left);
			return false;
		}
		pt[0] = 4;
		memcpy(pt + 1, x, 32);
		memcpy(pt + 33, y, 32);
		SHA256(pt, sizeof(pt), fp);
		ek->key = ecc_key(pt);
		snprintf(ek->desc, sizeof(ek->desc),
			 "ECC NIST P-256 (template L-2)");
	}
	if (!public_check(ek->key)) {
		EVP_PKEY_free(ek->key);
		ek->key = NULL;
		snprintf(why, why_len, "OpenSSL refuses the key (%s)",
			 type == TPM_EK_ALG_RSA ? "modulus"
						: "point not on the curve");
		return false;
	}
	hex(ek->key_sha256, fp, sizeof(fp));
	return true;
}

/* SHA-256 of the DER SubjectPublicKeyInfo: what `openssl pkey -pubin
 * -outform DER | sha256sum` prints for the same key. */
static void spki_sha256(EVP_PKEY *key, char out[65])
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(key, &der);
	uint8_t h[SHA256_DIGEST_LENGTH];

	out[0] = '\0';
	if (n > 0) {
		SHA256(der, (size_t)n, h);
		hex(out, h, sizeof(h));
	}
	OPENSSL_free(der);
}

static EVP_PKEY *load_pubkey(const char *path)
{
	FILE *f = fopen(path, "rb");
	EVP_PKEY *k = NULL;

	if (f == NULL) {
		return NULL;
	}
	k = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	return k;
}

void sv_check_ek(const uint8_t *pub, size_t len, const char *ek_pub,
		 const char *ek_out)
{
	struct sv_ek ek;
	char why[200], spki[65];
	EVP_PKEY *want = NULL;
	FILE *f = NULL;

	if (pub == NULL) {
		if (ek_pub != NULL || ek_out != NULL) {
			sv_result(false, "vTPM EK",
				  "the manifest has no vTPM EK");
		}
		return;
	}
	if (!sv_result(sv_ek_parse(pub, len, &ek, why, sizeof(why)),
		       "vTPM EK template", "%s", why)) {
		return;
	}
	spki_sha256(ek.key, spki);
	printf("vTPM EK (manifest version %d): %s\n"
	       "  key sha256 %s (%s)\n"
	       "  SubjectPublicKeyInfo sha256 %s\n",
	       ek.version, ek.desc, ek.key_sha256,
	       ek.version == 0 ? "of the 256-byte modulus"
			       : "of the point 04||x||y",
	       spki);
	if (ek_pub != NULL) {
		want = load_pubkey(ek_pub);
		if (sv_result(want != NULL, "--ek-pub",
			      "%s: not a PEM public key", ek_pub)) {
			sv_result(EVP_PKEY_eq(ek.key, want) == 1,
				  "vTPM EK = --ek-pub",
				  "the manifest's EK is not the key in %s",
				  ek_pub);
		}
		EVP_PKEY_free(want);
	}
	if (ek_out != NULL) {
		bool ok = false;

		f = fopen(ek_out, "w");
		if (f != NULL) {
			ok = PEM_write_PUBKEY(f, ek.key) == 1;
			ok = fclose(f) == 0 && ok;
		}
		sv_result(ok, "--ek-out (the EK as PEM)", "cannot write %s",
			  ek_out);
	}
	EVP_PKEY_free(ek.key);
}
