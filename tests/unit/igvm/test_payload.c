/* SPDX-License-Identifier: MIT */
/*
 * igvm.cfg payloads beyond the ELF: OVMF with SEV metadata, a bzImage
 * parsed and placed, and a signed SNP ID block.
 */
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "svsm/abi/boot_params.h"

#include "../tap.h"
#include "cfg_harness.h"
#include "igvm/host.h"
#include "igvm/measure.h"
#include "igvm/vmsa.h"

static char *ovmf_cfg(const char *guest)
{
	char *a = edit(base_cfg, "[region payload]\n",
		       "[memory flash]\ngpa = 0xFFE00000\nsize = 2M\n"
		       "[region payload]\n");
	char *b = edit(a, "kind = elf\nfile = ${guest}\n",
		       "kind = firmware\nfile = ${ovmf}\n"
		       "placement = end-at-4g\nmetadata = yes\n");
	char *c = edit(b,
		       "[guest]\nsecrets_gpa = 0x00FFD000\ncpuid_gpa = "
		       "0x00FFE000\ncaa_gpa = 0x00FFF000\n",
		       guest);

	free(a);
	free(b);
	return c;
}

TAP_CASE(ovmf_metadata_fills_guest_pages)
{
	char *text = ovmf_cfg("");
	struct svsm_boot_params bp;
	struct result r;
	uint16_t type;
	const uint8_t *p;

	run(text, &r);
	CHECK_TRUE(r.ok);
	if (r.ok) {
		CHECK_EQ(igvm_parse(r.file, r.len, &pf), IGVM_OK);
		p = page_at(&pf, 0x08F00000, &type);
		CHECK_TRUE(p != NULL);
		if (p) {
			memcpy(&bp, p, sizeof(bp));
			CHECK_EQ(bp.guest_secrets_gpa, 0x80D000);
			CHECK_EQ(bp.guest_cpuid_gpa, 0x80E000);
			CHECK_EQ(bp.guest_caa_gpa, 0x80F000);
			CHECK_EQ(bp.payload_mode, SVSM_PAYLOAD_RESET);
			CHECK_EQ(bp.payload_entry, 0xFFFFFFF0);
			CHECK_EQ(bp.payload_base, 0xFFFFE000);
		}
	} else {
		printf("# %s\n", r.error);
	}
	free(r.file);
	free(text);
}

TAP_CASE(refuse_ovmf_metadata_problems)
{
	char *text = ovmf_cfg("[guest]\ncaa_gpa = 0x00FFF000\n");
	char *plain;
	struct result r;

	run(text, &r);
	CHECK_TRUE(!r.ok && strstr(r.error, "contradicts firmware"));
	CHECK_TRUE(strncmp(r.error, "t.cfg:", 6) == 0);
	free(r.file);
	plain = edit(text, "${ovmf}", "${fw}");
	run(plain, &r);
	CHECK_TRUE(!r.ok && strstr(r.error, "no OVMF GUID table"));
	free(r.file);
	free(plain);
	free(text);
}

/* Verify an SNP signature (LE r/s, LE qx/qy) independently of the tool. */
static bool verify(EVP_PKEY *k, const struct igvm_snp_id_block_signature *sg,
		   const void *msg, size_t len)
{
	ECDSA_SIG *es = ECDSA_SIG_new();
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char *der = NULL;
	int der_len;
	bool ok;

	ECDSA_SIG_set0(es, BN_lebin2bn(sg->r_comp, 72, NULL),
		       BN_lebin2bn(sg->s_comp, 72, NULL));
	der_len = i2d_ECDSA_SIG(es, &der);
	ok = der_len > 0 &&
	     EVP_DigestVerifyInit(ctx, NULL, EVP_sha384(), NULL, k) > 0 &&
	     EVP_DigestVerify(ctx, der, (size_t)der_len, msg, len) == 1;
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(ctx);
	return ok;
}

static bool same_pubkey(EVP_PKEY *k,
			const struct igvm_snp_id_block_public_key *pk)
{
	BIGNUM *x = NULL, *y = NULL;
	uint8_t qx[72], qy[72];
	bool ok = EVP_PKEY_get_bn_param(k, "qx", &x) &&
		  EVP_PKEY_get_bn_param(k, "qy", &y) &&
		  BN_bn2lebinpad(x, qx, 72) == 72 &&
		  BN_bn2lebinpad(y, qy, 72) == 72 && pk->curve == 2 &&
		  !memcmp(qx, pk->qx, 72) && !memcmp(qy, pk->qy, 72);

	BN_free(x);
	BN_free(y);
	return ok;
}

TAP_CASE(id_block_signed_over_the_digest)
{
	char *text =
		edit(base_cfg, "[guest]\n",
		     "[id_block]\nid_key = ${key}\nauthor_key = ${author}\n"
		     "family_id = 00112233445566778899aabbccddeeff\n"
		     "guest_svn = 7\n[guest]\n");
	struct igvm_measure_opts o = {.profile = IGVM_PROFILE_DIRECT};
	const struct igvm_snp_id_block *blk = NULL;
	struct igvm_header h;
	struct igvm_iter it;
	struct result r;
	uint8_t ld[48], msg[96] = {0}, pub[0x404] = {0};
	uint32_t one = 1, svn = 7;
	uint64_t policy = 0x30000;

	run(text, &r);
	CHECK_TRUE(r.ok);
	if (!r.ok) {
		printf("# %s\n", r.error);
		free(text);
		return;
	}
	CHECK_EQ(igvm_parse(r.file, r.len, &pf), IGVM_OK);
	CHECK_EQ(igvm_measure(&pf, igvm_host_sha384, &o, ld), IGVM_OK);
	igvm_iter_init(&it, &pf, 1);
	while (igvm_iter_next(&it, &h)) {
		if (h.type == IGVM_VHT_SNP_ID_BLOCK) {
			blk = (const struct igvm_snp_id_block *)(const void *)
				      h.body;
		}
	}
	CHECK_TRUE(blk != NULL);
	if (blk) {
		CHECK_EQ(memcmp(blk->ld, ld, 48), 0);
		CHECK_EQ(blk->author_key_enabled, 1);
		CHECK_EQ(blk->id_key_algorithm, 1);
		CHECK_EQ(blk->family_id[15], 0xff);
		CHECK_TRUE(same_pubkey(id_key, &blk->id_public_key));
		CHECK_TRUE(same_pubkey(author_key, &blk->author_public_key));
		memcpy(msg, ld, 48);
		memcpy(msg + 48, blk->family_id, 16);
		memcpy(msg + 64, blk->image_id, 16);
		memcpy(msg + 80, &one, 4);
		memcpy(msg + 84, &svn, 4);
		memcpy(msg + 88, &policy, 8);
		CHECK_TRUE(verify(id_key, &blk->id_key_signature, msg, 96));
		memcpy(pub, &blk->id_public_key.curve, 4);
		memcpy(pub + 4, blk->id_public_key.qx, 72);
		memcpy(pub + 76, blk->id_public_key.qy, 72);
		CHECK_TRUE(verify(author_key, &blk->author_key_signature, pub,
				  sizeof(pub)));
		/* And a tampered message does not verify. */
		msg[0] ^= 1;
		CHECK_TRUE(!verify(id_key, &blk->id_key_signature, msg, 96));
	}
	free(r.file);
	free(text);
}

TAP_CASE(refuse_id_block_problems)
{
	expect_refusal("[guest]\n", "[id_block]\nid_key = ${p256}\n[guest]\n",
		       "[id_block]", "is not an EC P-384 private key");
	expect_refusal("[guest]\n",
		       "[id_block]\nid_key = ${key}\nimage_id = 12\n[guest]\n",
		       "image_id", "image_id must be 32 hex digits");
	expect_refusal("[guest]\n", "[id_block]\nguest_svn = 1\n[guest]\n",
		       "[id_block]", "needs 'id_key'");
}

static char *bz_cfg_with(const char *kernel)
{
	char line[256];
	char *a, *b;

	snprintf(line, sizeof(line),
		 "kind = bzimage\nfile = %s\ngpa = 0x01000000\n"
		 "cmdline = console=ttyS0 quiet\ncmdline_gpa = 0x00020000\n"
		 "zero_page_gpa = 0x00021000\ninitrd = ${initrd}\n"
		 "initrd_gpa = 0x02000000\n",
		 kernel);
	a = edit(base_cfg, "kind = elf\nfile = ${guest}\n", line);
	b = edit(a, "caa_gpa = 0x00FFF000\n",
		 "caa_gpa = 0x00FFF000\nboot_area_gpa = 0x00F00000\n");
	free(a);
	return b;
}

static char *bz_cfg(void)
{
	return bz_cfg_with("${bz}");
}

TAP_CASE(bzimage_parsed_and_placed)
{
	char *text = bz_cfg();
	struct svsm_boot_params bp;
	const uint8_t *p;
	struct result r;
	uint16_t type;
	uint32_t v = 0;

	run(text, &r);
	CHECK_TRUE(r.ok);
	if (!r.ok) {
		printf("# %s\n", r.error);
		free(text);
		return;
	}
	CHECK_EQ(igvm_parse(r.file, r.len, &pf), IGVM_OK);
	p = page_at(&pf, 0x01000000, &type);
	CHECK_TRUE(p && p[0] == 0x90 && p[4095] == 0x90);
	p = page_at(&pf, 0x01001000, &type);
	CHECK_TRUE(p && p[0x7FF] == 0x90 && p[0x800] == 0);
	CHECK_TRUE(page_at(&pf, 0x01002000, &type) == NULL && type == 0xffff);
	p = page_at(&pf, 0x00020000, &type);
	CHECK_TRUE(p && !strcmp((const char *)p, "console=ttyS0 quiet"));
	p = page_at(&pf, 0x00021000, &type);
	CHECK_TRUE(p && !memcmp(p + 0x202, "HdrS", 4) && p[0x210] == 0xFF);
	if (p) {
		memcpy(&v, p + 0x228, 4);
		CHECK_EQ(v, 0x20000);
		memcpy(&v, p + 0x218, 4);
		CHECK_EQ(v, 0x2000000);
		memcpy(&v, p + 0x21C, 4);
		CHECK_EQ(v, 5000);
		memcpy(&v, p + 0x214, 4);
		CHECK_EQ(v, 0x01000000);
		/* Nothing below the setup header: e820 is the SVSM's job. */
		CHECK_EQ(p[0x1E8], 0);
	}
	p = page_at(&pf, 0x02001000, &type);
	CHECK_TRUE(p && p[5000 - 4096 - 1] == 0x5A && p[5000 - 4096] == 0);
	p = page_at(&pf, 0x08F00000, &type);
	CHECK_TRUE(p != NULL);
	if (p) {
		memcpy(&bp, p, sizeof(bp));
		CHECK_EQ(bp.payload_base, 0x01000000);
		CHECK_EQ(bp.payload_entry, 0x01000200); /* startup_64 */
		CHECK_EQ(bp.payload_mode, SVSM_PAYLOAD_LINUX64);
		CHECK_EQ(bp.linux_zero_page_gpa, 0x21000);
		CHECK_EQ(bp.linux_boot_area_gpa, 0xF00000);
		/* kernel, cmdline, zero page, initrd: measured as loaded */
		CHECK_EQ(bp.launched_count, 4);
		CHECK_EQ(bp.launched[0].base, 0x01000000);
		CHECK_EQ(bp.launched[0].size, 0x2000);
		CHECK_EQ(bp.launched[3].base, 0x02000000);
		CHECK_EQ(bp.launched[3].size, 0x2000);
	}
	free(r.file);
	free(text);
}

/* Build with a kernel whose header differs from the default in @f. */
static void expect_bz_refusal(const struct bz_fields *f, const char *from,
			      const char *to, const char *message)
{
	char *text = bz_cfg_with(harness_bzimage(f));
	char *bad = from ? edit(text, from, to) : strdup(text);
	struct result r;

	run(bad, &r);
	CHECK_TRUE(!r.ok && strstr(r.error, message) &&
		   strncmp(r.error, "t.cfg:", 6) == 0);
	if (r.ok || !strstr(r.error, message)) {
		printf("# wanted '%s', got '%s'\n", message,
		       r.ok ? "success" : r.error);
	}
	free(r.file);
	free(bad);
	free(text);
}

TAP_CASE(refuse_not_a_bzimage)
{
	char *text = bz_cfg_with("${junk}");
	struct result r;

	run(text, &r);
	CHECK_TRUE(!r.ok && strstr(r.error, "is not a bzImage"));
	free(r.file);
	free(text);
}

TAP_CASE(refuse_old_boot_protocol)
{
	struct bz_fields f = bz_default;

	f.version = 0x020B;
	expect_bz_refusal(&f, NULL, NULL, "boot protocol 2.11 too old");
}

TAP_CASE(refuse_kernel_without_64bit_entry)
{
	struct bz_fields f = bz_default;

	f.xloadflags = 0;
	expect_bz_refusal(&f, NULL, NULL, "has no 64-bit entry (xloadflags");
}

TAP_CASE(refuse_fixed_kernel_elsewhere)
{
	struct bz_fields f = bz_default;

	f.relocatable = 0;
	f.pref_address = 0x2000000;
	expect_bz_refusal(&f, NULL, NULL, "must equal pref_address 0x2000000");
	/* At its preferred address it loads. */
	f.pref_address = 0x1000000;
	{
		char *text = bz_cfg_with(harness_bzimage(&f));
		struct result r;

		run(text, &r);
		CHECK_TRUE(r.ok);
		free(r.file);
		free(text);
	}
}

TAP_CASE(refuse_misaligned_kernel)
{
	expect_bz_refusal(&bz_default, "gpa = 0x01000000", "gpa = 0x01100000",
			  "kernel_alignment 0x200000");
}

TAP_CASE(refuse_init_size_overlap)
{
	/* init_size (16 pages) is claimed although only 2 are emitted. */
	expect_bz_refusal(&bz_default, "caa_gpa = 0x00FFF000",
			  "caa_gpa = 0x0100F000", "overlaps region 'payload'");
}

TAP_CASE(refuse_init_size_above_4g)
{
	struct bz_fields f = bz_default;

	f.init_size = 0xFF001000;
	expect_bz_refusal(&f, NULL, NULL, "must lie between 1 MiB and 4 GiB");
}

TAP_CASE(refuse_initrd_above_addr_max)
{
	expect_bz_refusal(&bz_default, "initrd_gpa = 0x02000000",
			  "initrd_gpa = 0x37FFF000", "initrd_addr_max");
}

TAP_CASE(refuse_long_command_line)
{
	struct bz_fields f = bz_default;

	f.cmdline_size = 10;
	expect_bz_refusal(&f, NULL, NULL,
			  "command line of 19 bytes is longer than the "
			  "kernel's cmdline_size 10");
}

TAP_CASE(validate_4k_flag_reaches_the_svsm)
{
	char *text = bz_cfg();
	char *v4k = edit(text, "initrd_gpa = 0x02000000\n",
			 "initrd_gpa = 0x02000000\nvalidate = 4k\n");
	struct svsm_boot_params bp;
	const uint8_t *p = NULL;
	struct result r;
	uint16_t type;

	run(v4k, &r);
	CHECK_TRUE(r.ok && igvm_parse(r.file, r.len, &pf) == IGVM_OK);
	p = r.ok ? page_at(&pf, 0x08F00000, &type) : NULL;
	CHECK_TRUE(p != NULL);
	if (p) {
		memcpy(&bp, p, sizeof(bp));
		CHECK_EQ(bp.linux_flags, SVSM_LINUX_VALIDATE_4K);
	}
	free(r.file);
	free(v4k);
	expect_bz_refusal(&bz_default, "initrd_gpa = 0x02000000\n",
			  "initrd_gpa = 0x02000000\nvalidate = 1g\n",
			  "validate must be 2m or 4k");
	free(text);
}

TAP_CASE(refuse_bzimage_without_boot_area)
{
	expect_bz_refusal(&bz_default, "boot_area_gpa = 0x00F00000\n", "",
			  "needs a 4 KiB-aligned [guest] boot_area_gpa");
}

int main(void)
{
	static const struct tap_case cases[] = {
		TAP_ENTRY(ovmf_metadata_fills_guest_pages),
		TAP_ENTRY(refuse_ovmf_metadata_problems),
		TAP_ENTRY(id_block_signed_over_the_digest),
		TAP_ENTRY(refuse_id_block_problems),
		TAP_ENTRY(bzimage_parsed_and_placed),
		TAP_ENTRY(refuse_not_a_bzimage),
		TAP_ENTRY(refuse_old_boot_protocol),
		TAP_ENTRY(refuse_kernel_without_64bit_entry),
		TAP_ENTRY(refuse_fixed_kernel_elsewhere),
		TAP_ENTRY(refuse_misaligned_kernel),
		TAP_ENTRY(refuse_init_size_overlap),
		TAP_ENTRY(refuse_init_size_above_4g),
		TAP_ENTRY(refuse_initrd_above_addr_max),
		TAP_ENTRY(refuse_long_command_line),
		TAP_ENTRY(validate_4k_flag_reaches_the_svsm),
		TAP_ENTRY(refuse_bzimage_without_boot_area),
	};
	int rc;

	harness_setup();
	rc = tap_run(cases, sizeof(cases) / sizeof(cases[0]));
	harness_cleanup();
	return rc;
}

bool tap_failed;
