/* SPDX-License-Identifier: MIT */
/*
 * SNP_ID_BLOCK (docs/abi.md §12.4): the expected launch digest plus
 * family/image IDs, signed with an ECDSA P-384 ID key and optionally an author
 * key, the way QEMU's qigvm_directive_snp_id_block passes it to
 * SNP_LAUNCH_FINISH: the ID key signs the 96-byte SNP ID block {ld, family_id,
 * image_id, version = 1, guest_svn, policy}; the author key signs the ID key's
 * 0x404-byte SNP public-key structure; r, s, qx, qy are little-endian,
 * zero-extended to 72 bytes. If `ld` is not the real digest the PSP refuses
 * to launch, so the builder fills it from its own measurement.
 */
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

#define SNP_CURVE_P384 2u
#define SNP_ALGO_ECDSA_P384_SHA384 1u
#define SNP_PUBKEY_SIZE 0x404

static EVP_PKEY *load_key(struct cfg *cfg, int line, const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k = NULL;
	char group[32] = "";

	if (!f) {
		cfg_error(cfg, line, "cannot read key '%s'", path);
		return NULL;
	}
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!k ||
	    !EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME,
					    group, sizeof(group), NULL) ||
	    strcmp(group, "secp384r1") != 0) {
		cfg_error(cfg, line, "key '%s' is not an EC P-384 private key",
			  path);
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}

static bool bn_le72(const BIGNUM *bn, uint8_t out[72])
{
	return BN_bn2lebinpad(bn, out, 72) == 72;
}

static bool public_key(EVP_PKEY *k, struct igvm_snp_id_block_public_key *pk)
{
	BIGNUM *x = NULL, *y = NULL;
	bool ok;

	memset(pk, 0, sizeof(*pk));
	pk->curve = SNP_CURVE_P384;
	ok = EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_X, &x) &&
	     EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_Y, &y) &&
	     bn_le72(x, pk->qx) && bn_le72(y, pk->qy);
	BN_free(x);
	BN_free(y);
	return ok;
}

static bool sign(EVP_PKEY *k, const void *msg, size_t len,
		 struct igvm_snp_id_block_signature *sig)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char der[160];
	const unsigned char *p = der;
	size_t der_len = sizeof(der);
	ECDSA_SIG *es = NULL;
	bool ok;

	ok = ctx && EVP_DigestSignInit(ctx, NULL, EVP_sha384(), NULL, k) > 0 &&
	     EVP_DigestSign(ctx, der, &der_len, msg, len) > 0 &&
	     (es = d2i_ECDSA_SIG(NULL, &p, (long)der_len)) != NULL &&
	     bn_le72(ECDSA_SIG_get0_r(es), sig->r_comp) &&
	     bn_le72(ECDSA_SIG_get0_s(es), sig->s_comp);
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* The SNP public-key structure: IGVM's without its reserved u32. */
static void snp_pubkey(const struct igvm_snp_id_block_public_key *pk,
		       uint8_t out[SNP_PUBKEY_SIZE])
{
	memset(out, 0, SNP_PUBKEY_SIZE);
	memcpy(out, &pk->curve, 4);
	memcpy(out + 4, pk->qx, 72);
	memcpy(out + 76, pk->qy, 72);
}

bool id_block_make(const struct layout *l, struct cfg *cfg,
		   const uint8_t ld[48], struct igvm_snp_id_block *blk)
{
	const struct id_block_cfg *c = &l->id_block;
	uint8_t msg[96] = {0}, pub[SNP_PUBKEY_SIZE];
	const uint32_t version = 1;
	EVP_PKEY *id = NULL, *author = NULL;
	bool ok = false;

	memset(blk, 0, sizeof(*blk));
	id = load_key(cfg, c->line, c->id_key);
	if (!id || (c->author_key[0] &&
		    !(author = load_key(cfg, c->line, c->author_key)))) {
		goto out;
	}
	blk->compatibility_mask = l->compat_mask;
	blk->author_key_enabled = author ? 1 : 0;
	memcpy(blk->ld, ld, 48);
	memcpy(blk->family_id, c->family_id, 16);
	memcpy(blk->image_id, c->image_id, 16);
	blk->version = version;
	blk->guest_svn = c->guest_svn;
	blk->id_key_algorithm = SNP_ALGO_ECDSA_P384_SHA384;
	blk->author_key_algorithm = author ? SNP_ALGO_ECDSA_P384_SHA384 : 0;
	/* SNP ID block: ld, family, image, version, svn, policy. */
	memcpy(msg, ld, 48);
	memcpy(msg + 48, c->family_id, 16);
	memcpy(msg + 64, c->image_id, 16);
	memcpy(msg + 80, &version, 4);
	memcpy(msg + 84, &c->guest_svn, 4);
	memcpy(msg + 88, &l->policy, 8);
	if (!public_key(id, &blk->id_public_key) ||
	    !sign(id, msg, sizeof(msg), &blk->id_key_signature)) {
		cfg_error(cfg, c->line, "signing the ID block failed");
		goto out;
	}
	if (author) {
		snp_pubkey(&blk->id_public_key, pub);
		if (!public_key(author, &blk->author_public_key) ||
		    !sign(author, pub, sizeof(pub),
			  &blk->author_key_signature)) {
			cfg_error(cfg, c->line,
				  "author-signing the ID key failed");
			goto out;
		}
	}
	ok = true;
out:
	EVP_PKEY_free(id);
	EVP_PKEY_free(author);
	return ok;
}
