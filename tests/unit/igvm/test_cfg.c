/* SPDX-License-Identifier: MIT */
/*
 * igvm.cfg -> svsm.igvm: a valid config builds an image whose boot page,
 * VMSA and directive order match the config; every refusal names
 * file:line and its cause (one case per message).
 */
#include "svsm/abi/boot_params.h"

#include "../tap.h"
#include "cfg_harness.h"
#include "igvm/host.h"
#include "igvm/measure.h"
#include "igvm/vmsa.h"

TAP_CASE(valid_config_builds_described_image)
{
	struct svsm_boot_params bp;
	struct igvm_vmsa_regs regs;
	struct igvm_header h;
	struct igvm_iter it;
	struct result r;
	uint16_t type = 0;
	const uint8_t *p;
	bool seen_page = false, insert_after_page = false, required = false;
	uint64_t last_gpa = 0;

	run(base_cfg, &r);
	CHECK_TRUE(r.ok);
	if (!r.ok) {
		printf("# %s\n", r.error);
		return;
	}
	CHECK_EQ(igvm_parse(r.file, r.len, &pf), IGVM_OK);
	p = page_at(&pf, 0x08F00000, &type);
	CHECK_TRUE(p != NULL);
	if (p) {
		memcpy(&bp, p, sizeof(bp));
		CHECK_EQ(bp.magic, SVSM_BOOT_PARAMS_MAGIC);
		CHECK_EQ(bp.version, SVSM_BOOT_PARAMS_VERSION);
		CHECK_EQ(bp.svsm_base, 0x08000000);
		CHECK_EQ(bp.svsm_size, 16 << 20);
		CHECK_EQ(bp.pool_base, 0x08400000);
		CHECK_EQ(bp.pool_size, 1 << 20);
		CHECK_EQ(bp.secrets_gpa, 0x08F01000);
		CHECK_EQ(bp.cpuid_gpa, 0x08F02000);
		CHECK_EQ(bp.memmap_gpa, 0x08F04000);
		CHECK_EQ(bp.memmap_size, 4096);
		CHECK_EQ(bp.general_gpa, 0x08F03000);
		CHECK_EQ(bp.vp_count_offset, 0);
		CHECK_EQ(bp.payload_mode, SVSM_PAYLOAD_PROT32);
		CHECK_EQ(bp.payload_base, 0x01000000);
		CHECK_EQ(bp.payload_size, 0x2000);
		CHECK_EQ(bp.payload_entry, 0x01000010);
		CHECK_EQ(bp.guest_caa_gpa, 0x00FFF000);
	}
	CHECK_TRUE(page_at(&pf, 0x08F01000, &type) == NULL);
	CHECK_EQ(type, IGVM_PAGE_DATA_SECRETS);
	page_at(&pf, 0x08F02000, &type);
	CHECK_EQ(type, IGVM_PAGE_DATA_CPUID_DATA);
	/* .bss page of the ELF is a zero page; the pool has no pages. */
	CHECK_TRUE(page_at(&pf, 0x08001000, &type) == NULL);
	CHECK_EQ(type, IGVM_PAGE_DATA_NORMAL);
	page_at(&pf, 0x08400000, &type);
	CHECK_EQ(type, 0xffff);
	igvm_iter_init(&it, &pf, 1);
	while (igvm_iter_next(&it, &h)) {
		if (h.type == IGVM_VHT_PAGE_DATA ||
		    h.type == IGVM_VHT_VP_CONTEXT) {
			CHECK_TRUE(h.u.page.gpa >= last_gpa);
			last_gpa = h.u.page.gpa;
			seen_page = true;
		}
		insert_after_page |=
			seen_page && h.type == IGVM_VHT_PARAMETER_INSERT;
		required |= h.type == IGVM_VHT_REQUIRED_MEMORY &&
			    h.u.required.gpa == 0x08000000 &&
			    h.u.required.number_of_bytes == 16 << 20;
		if (h.type == IGVM_VHT_VP_CONTEXT) {
			CHECK_EQ(h.u.vp.gpa, 0x08FFF000);
			CHECK_TRUE(igvm_vmsa_read(
				igvm_file_page(&pf, h.u.vp.file_offset),
				&regs));
			CHECK_EQ(regs.rip, 0x08000010);
			CHECK_EQ(regs.rsi, 0x08F00000);
			CHECK_EQ(regs.cr0, 0x31);
			CHECK_EQ(regs.vmpl, 0);
			CHECK_EQ(regs.sev_features, 1);
			CHECK_EQ(regs.cs.attrib, 0xC9B);
		}
	}
	CHECK_TRUE(!insert_after_page);
	CHECK_TRUE(required);
	CHECK_TRUE(strstr(r.map, "region   boot ") != NULL);
	CHECK_TRUE(strstr(r.map, "digest   direct ") != NULL);
	free(r.file);
}

TAP_CASE(zero_and_unmeasured_regions)
{
	char *text = edit(base_cfg, "[guest]\n",
			  "[region scratch]\nkind = zero\ngpa = 0x08F05000\n"
			  "size = 8K\n[region log]\nkind = unmeasured\n"
			  "gpa = 0x08F07000\nsize = 4K\n[guest]\n");
	struct igvm_header h;
	struct igvm_iter it;
	struct result r;
	int zero = 0, unmeasured = 0;

	run(text, &r);
	CHECK_TRUE(r.ok);
	if (r.ok) {
		CHECK_EQ(igvm_parse(r.file, r.len, &pf), IGVM_OK);
		igvm_iter_init(&it, &pf, 1);
		while (igvm_iter_next(&it, &h)) {
			if (h.type != IGVM_VHT_PAGE_DATA) {
				continue;
			}
			if (h.u.page.gpa >= 0x08F05000 &&
			    h.u.page.gpa < 0x08F07000) {
				zero += h.u.page.file_offset == 0 &&
					h.u.page.flags == 0;
			}
			if (h.u.page.gpa == 0x08F07000) {
				unmeasured += h.u.page.flags ==
					      IGVM_PAGE_FLAG_UNMEASURED;
			}
		}
	}
	CHECK_EQ(zero, 2);
	CHECK_EQ(unmeasured, 1);
	free(r.file);
	free(text);
}

TAP_CASE(long64_generates_page_tables)
{
	char *text;
	struct igvm_vmsa_regs regs;
	struct igvm_header h;
	struct igvm_iter it;
	struct result r;
	uint16_t type;
	const uint8_t *pml4;
	uint64_t e0 = 0;

	text = edit(base_cfg, "[vmsa bsp]\n",
		    "[region pt]\nkind = page-tables\ngpa = 0x08F10000\n"
		    "[vmsa bsp]\npage_tables = pt\n");
	{
		char *t2 = edit(text, "mode = protected32", "mode = long64");

		free(text);
		text = t2;
	}
	run(text, &r);
	CHECK_TRUE(r.ok);
	if (!r.ok) {
		printf("# %s\n", r.error);
		free(text);
		return;
	}
	CHECK_EQ(igvm_parse(r.file, r.len, &pf), IGVM_OK);
	pml4 = page_at(&pf, 0x08F10000, &type);
	CHECK_TRUE(pml4 != NULL);
	if (pml4) {
		memcpy(&e0, pml4, 8);
	}
	CHECK_EQ(e0, 0x08F11000 | (1ull << 51) | 3);
	igvm_iter_init(&it, &pf, 1);
	while (igvm_iter_next(&it, &h)) {
		if (h.type == IGVM_VHT_VP_CONTEXT) {
			igvm_vmsa_read(igvm_file_page(&pf, h.u.vp.file_offset),
				       &regs);
			CHECK_EQ(regs.cr3, 0x08F10000 | (1ull << 51));
			CHECK_EQ(regs.cs.attrib, 0xA9B);
			CHECK_EQ(regs.efer, 0x1D00);
		}
	}
	free(r.file);
	free(text);
}

TAP_CASE(kvm_profile_and_firmware_payload_build)
{
	char *a = edit(base_cfg, "host_profile = direct", "host_profile = kvm");
	char *b = edit(a, "gpa = 0x08FFF000", "gpa = 0xFFFFFFFFF000");
	char fw[512];
	char *c, *d;
	struct result r;
	uint8_t ld[48];
	struct igvm_measure_opts o = {.profile = IGVM_PROFILE_KVM, .vcpus = 1};
	char hex[97];

	snprintf(fw, sizeof(fw),
		 "[memory flash]\ngpa = 0xFFE00000\nsize = 2M\n"
		 "[region fw]\nkind = firmware\nfile = ${fw}\n"
		 "placement = end-at-4g\nsha256 = %s\n[region payload]\n",
		 fw_sha);
	c = edit(b, "[region payload]\n", fw);
	d = edit(c, "kind = elf\nfile = ${guest}\npayload = yes\n",
		 "kind = zero\n"
		 "gpa = 0x01000000\n"
		 "size = 8K\n");
	run(d, &r);
	CHECK_TRUE(r.ok);
	if (r.ok) {
		uint16_t type;
		const uint8_t *last;

		CHECK_EQ(igvm_parse(r.file, r.len, &pf), IGVM_OK);
		last = page_at(&pf, 0xFFFFF000, &type);
		CHECK_TRUE(last != NULL && last[0] == (uint8_t)(4096 * 13));
		CHECK_EQ(igvm_measure(&pf, igvm_host_sha384, &o, ld), IGVM_OK);
		igvm_host_hex(ld, 48, hex);
		/* The map's digest is the predictor's digest. */
		CHECK_TRUE(strstr(r.map, hex) != NULL);
		CHECK_TRUE(strstr(r.map, "digest   kvm ") != NULL);
	} else {
		printf("# %s\n", r.error);
	}
	free(r.file);
	free(a);
	free(b);
	free(c);
	free(d);
}

TAP_CASE(refuse_unknown_key)
{
	expect_refusal("host_profile = direct\n",
		       "host_profile = direct\nbogus = 1\n", "bogus",
		       "unknown key 'bogus' in [image]");
}

TAP_CASE(refuse_unknown_section)
{
	expect_refusal("[guest]\n", "[guests]\n", "[guests]",
		       "unknown section [guests]");
}

TAP_CASE(refuse_repeated_section_and_key)
{
	expect_refusal("[region pool]", "[region cpuid]",
		       "[region cpuid]\nkind = pool",
		       "section [region cpuid] repeated");
	expect_refusal("size = 1M\n", "size = 1M\nsize = 2M\n", "size = 2M",
		       "key 'size' repeated");
}

TAP_CASE(refuse_syntax)
{
	expect_refusal("required = yes\n", "required yes\n", "required yes",
		       "expected key = value");
	expect_refusal("[guest]\n", "[guest\n", "[guest",
		       "malformed section header");
	expect_refusal("required = yes", "required = maybe", "maybe",
		       "expected yes or no");
	expect_refusal("size = 1M", "size = 1Q", "1Q", "not a valid number");
	expect_refusal("size = 1M", "size = lots", "lots", "is not a number");
}

TAP_CASE(refuse_undefined_variable)
{
	expect_refusal("${guest}", "${nope}", "${nope}",
		       "undefined variable ${nope}");
}

TAP_CASE(refuse_missing_file)
{
	expect_refusal("${guest}", "/nonexistent/guest.elf", "/nonexistent",
		       "cannot read file '/nonexistent/guest.elf'");
}

TAP_CASE(refuse_not_elf)
{
	expect_refusal("${guest}", "${junk}", "${junk}",
		       "not an ELF64 x86-64 executable");
}

TAP_CASE(refuse_policy_bit17)
{
	expect_refusal("policy = 0x30000", "policy = 0x10000", "policy",
		       "bit 17 clear");
}

TAP_CASE(refuse_overlap)
{
	expect_refusal("gpa = 0x08F02000", "gpa = 0x08F01000", "[region cpuid]",
		       "overlaps region 'secrets'");
	expect_refusal("gpa = 0x08F04000", "gpa = 0x08F00000", "[param memmap]",
		       "param 'memmap'");
	expect_refusal("caa_gpa = 0x00FFF000", "caa_gpa = 0x01000000",
		       "[guest]", "guest page 'caa_gpa'");
	expect_refusal("gpa = 0x08FFF000", "gpa = 0x08F03000", "[vmsa bsp]",
		       "vmsa 'bsp'");
}

TAP_CASE(refuse_outside_memory)
{
	expect_refusal("size = 64M", "size = 129M", "[memory svsm]",
		       "memory 'svsm' overlaps memory 'low'");
	expect_refusal("gpa = 0x08F01000", "gpa = 0x09000000",
		       "[region secrets]", "is not inside any [memory] range");
	expect_refusal("gpa = 0x08FFF000", "gpa = 0x09001000", "[vmsa bsp]",
		       "vmsa 'bsp' (0x9001000-0x9001fff) is not inside");
}

TAP_CASE(refuse_vmsa_placement)
{
	expect_refusal("gpa = 0x08FFF000", "gpa = 0x08FFF800", "[vmsa bsp]",
		       "not 4 KiB aligned");
	expect_refusal("gpa = 0x08FFF000", "gpa = 0x08E00000", "[vmsa bsp]",
		       "2 MiB aligned");
	expect_refusal("host_profile = direct", "host_profile = kvm",
		       "[vmsa bsp]", "needs the VMSA at 0xFFFFFFFFF000");
}

TAP_CASE(refuse_vmsa_mode_and_features)
{
	expect_refusal("sev_features = 0x1", "sev_features = 0x20",
		       "[vmsa bsp]", "lacks bit 0");
	expect_refusal("mode = protected32", "mode = long64", "[vmsa bsp]",
		       "needs page_tables");
	expect_refusal("mode = protected32", "mode = real16", "real16",
		       "mode must be protected32 or long64");
	expect_refusal("entry = svsm", "entry = secrets", "entry",
		       "is not an elf region");
}

/* The base config turned into a kvm one, then @from -> @to: refused. */
static void expect_kvm_refusal(const char *from, const char *to,
			       const char *msg)
{
	char *a = edit(base_cfg, "gpa = 0x08FFF000", "gpa = 0xFFFFFFFFF000");
	char *b = edit(a, "host_profile = direct", "host_profile = kvm");
	char *c = edit(b, from, to);
	struct result r;

	run(c, &r);
	CHECK_TRUE(!r.ok && strstr(r.error, msg));
	free(r.file);
	free(a);
	free(b);
	free(c);
}

TAP_CASE(refuse_kvm_long64)
{
	expect_kvm_refusal("mode = protected32", "mode = long64",
			   "supports only mode protected32");
}

TAP_CASE(refuse_kvm_sev_features)
{
	expect_kvm_refusal("sev_features = 0x1", "sev_features = 0x5",
			   "QEMU/KVM accept only SNP");
}

TAP_CASE(refuse_params)
{
	expect_refusal("size = 4K\ngpa = 0x08F03000",
		       "size = 2K\ngpa = 0x08F03000", "[param general]",
		       "non-zero 4 KiB multiple");
	expect_refusal("index = 1", "index = 0", "[param memmap]",
		       "index 0 already used by 'general'");
	expect_refusal("memory_map = 0", "memory_map = 0\nvp_count = 8",
		       "[param memmap]", "memory_map must be at offset 0");
	expect_refusal("vp_count = 0", "vp_count = 4094", "[param general]",
		       "outside the area");
	expect_refusal("environment_info = 4", "environment_info = 0",
		       "[param general]", "share an offset");
}

TAP_CASE(refuse_firmware_hash_mismatch)
{
	expect_refusal(
		"kind = elf\nfile = ${guest}\npayload = yes\n",
		"kind = firmware\nfile = ${fw}\nplacement = end-at-4g\n"
		"sha256 = "
		"00000000000000000000000000000000000000000000000000000000"
		"00000000\n",
		"sha256", "firmware hash mismatch");
}

TAP_CASE(refuse_region_rules)
{
	expect_refusal("kind = cpuid", "kind = secrets", "[region cpuid]",
		       "only one region of this kind");
	expect_refusal("kind = pool", "kind = lake", "lake",
		       "unknown region kind 'lake'");
	expect_refusal("kind = pool\n", "kind = pool\npayload = yes\n",
		       "payload = yes\ngpa", "only elf, firmware and bzimage");
	expect_refusal("gpa = 0x08400000", "gpa = 0x08400800", "[region pool]",
		       "4 KiB-aligned range");
	expect_refusal("host_profile = direct", "host_profile = tdx",
		       "host_profile", "host_profile must be direct or kvm");
	expect_refusal("platform = sev-snp", "platform = tdx", "platform",
		       "platform must be sev-snp");
}

/* base_cfg with OVMF (firmware + metadata) as the payload, no [guest]. */
int main(void)
{
	static const struct tap_case cases[] = {
		TAP_ENTRY(valid_config_builds_described_image),
		TAP_ENTRY(zero_and_unmeasured_regions),
		TAP_ENTRY(long64_generates_page_tables),
		TAP_ENTRY(kvm_profile_and_firmware_payload_build),
		TAP_ENTRY(refuse_unknown_key),
		TAP_ENTRY(refuse_unknown_section),
		TAP_ENTRY(refuse_repeated_section_and_key),
		TAP_ENTRY(refuse_syntax),
		TAP_ENTRY(refuse_undefined_variable),
		TAP_ENTRY(refuse_missing_file),
		TAP_ENTRY(refuse_not_elf),
		TAP_ENTRY(refuse_policy_bit17),
		TAP_ENTRY(refuse_overlap),
		TAP_ENTRY(refuse_outside_memory),
		TAP_ENTRY(refuse_vmsa_placement),
		TAP_ENTRY(refuse_vmsa_mode_and_features),
		TAP_ENTRY(refuse_kvm_long64),
		TAP_ENTRY(refuse_kvm_sev_features),
		TAP_ENTRY(refuse_params),
		TAP_ENTRY(refuse_firmware_hash_mismatch),
		TAP_ENTRY(refuse_region_rules),
	};
	int rc;

	harness_setup();
	rc = tap_run(cases, sizeof(cases) / sizeof(cases[0]));
	harness_cleanup();
	return rc;
}

bool tap_failed;
