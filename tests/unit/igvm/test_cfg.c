/* SPDX-License-Identifier: MIT */
/*
 * igvm.cfg -> svsm.igvm: a valid config builds an image whose boot page,
 * VMSA and directive order match the config; every refusal names
 * file:line and its cause (one case per message).
 */
#include <elf.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include "../tap.h"
#include "igvm/host.h"
#include "igvm/measure.h"
#include "igvm/svsm_layout.h"
#include "igvm/vmsa.h"
#include "layout.h"

static char dir[64];
static char svsm_path[128], guest_path[128], fw_path[128], junk_path[128];
static char ovmf_path[128], key_path[128], author_path[128], p256_path[128];
static char bz_path[128], initrd_path[128];
static EVP_PKEY *id_key, *author_key;
static char fw_sha[65];

static const char base_cfg[] =
	"[image]\n"
	"platform = sev-snp\n"
	"policy = 0x30000\n"
	"host_profile = direct\n"
	"[memory low]\n"
	"gpa = 0\n"
	"size = 64M\n"
	"[memory svsm]\n"
	"gpa = 0x08000000\n"
	"size = 16M\n"
	"required = yes\n"
	"[region svsm]\n"
	"kind = elf\n"
	"file = ${svsm}\n"
	"[region boot]\n"
	"kind = boot-params\n"
	"gpa = 0x08F00000\n"
	"[region secrets]\n"
	"kind = secrets\n"
	"gpa = 0x08F01000\n"
	"[region cpuid]\n"
	"kind = cpuid\n"
	"gpa = 0x08F02000\n"
	"[region pool]\n"
	"kind = pool\n"
	"gpa = 0x08400000\n"
	"size = 1M\n"
	"[param general]\n"
	"index = 0\n"
	"size = 4K\n"
	"gpa = 0x08F03000\n"
	"vp_count = 0\n"
	"environment_info = 4\n"
	"[param memmap]\n"
	"index = 1\n"
	"size = 4K\n"
	"gpa = 0x08F04000\n"
	"memory_map = 0\n"
	"[region payload]\n"
	"kind = elf\n"
	"file = ${guest}\n"
	"payload = yes\n"
	"[guest]\n"
	"secrets_gpa = 0x00FFD000\n"
	"cpuid_gpa = 0x00FFE000\n"
	"caa_gpa = 0x00FFF000\n"
	"[vmsa bsp]\n"
	"gpa = 0x08FFF000\n"
	"mode = protected32\n"
	"entry = svsm\n"
	"sev_features = 0x1\n";

/* A minimal ELF64 x86-64 executable: one PT_LOAD of 0x1800 bytes. */
static void write_elf(const char *path, uint64_t base)
{
	uint8_t img[0x2000] = {0};
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + sizeof(*eh));

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = base + 0x10;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 1;
	ph->p_type = PT_LOAD;
	ph->p_offset = 0x1000;
	ph->p_paddr = ph->p_vaddr = base;
	ph->p_filesz = 0x800;
	ph->p_memsz = 0x1800; /* one page of .bss */
	memset(img + 0x1000, 0xC3, 0x800);
	igvm_host_write_file(path, img, sizeof(img));
}

static void put_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/*
 * An 8 KiB stand-in for OVMF: a GUID footer table whose only entry points
 * at an "ASEV" SEV metadata block (igvm.md §4.2) with SECRETS 0x80D000,
 * CPUID 0x80E000 and SVSM_CAA 0x80F000.
 */
static void write_ovmf(const char *path)
{
	static const uint8_t footer[16] = {0xde, 0x82, 0xb5, 0x96, 0xb2, 0x1f,
					   0xf7, 0x45, 0xba, 0xea, 0xa3, 0x66,
					   0xc5, 0x5a, 0x08, 0x2d};
	static const uint8_t meta[16] = {0x66, 0x65, 0x88, 0xdc, 0x4a, 0x98,
					 0x98, 0x47, 0xa7, 0x5e, 0x55, 0x85,
					 0xa7, 0xbf, 0x67, 0xcc};
	const uint32_t desc[3][3] = {{0x80D000, 0x1000, 2},
				     {0x80E000, 0x1000, 3},
				     {0x80F000, 0x1000, 4}};
	uint8_t fw[8192] = {0};
	size_t n = sizeof(fw);

	memcpy(fw + n - 0x30, footer, 16);
	fw[n - 0x32] = 40; /* table: 22-byte entry + 18-byte footer */
	memcpy(fw + n - 0x42, meta, 16);
	fw[n - 0x44] = 22;
	put_u32(fw + n - 0x48, (uint32_t)(n - 0x100)); /* metadata at 0x100 */
	memcpy(fw + 0x100, "ASEV", 4);
	put_u32(fw + 0x104, 16 + 3 * 12);
	put_u32(fw + 0x108, 1);
	put_u32(fw + 0x10c, 3);
	for (int i = 0; i < 3; i++) {
		for (int j = 0; j < 3; j++) {
			put_u32(fw + 0x110 + 12 * i + 4 * j, desc[i][j]);
		}
	}
	igvm_host_write_file(path, fw, sizeof(fw));
}

/* A minimal bzImage: one setup sector, boot protocol 2.15, 6 KiB kernel. */
static void write_bzimage(const char *path)
{
	uint8_t k[0x400 + 0x1800] = {0};

	k[0x1F1] = 1;    /* setup_sects */
	k[0x200] = 0xEB; /* jmp */
	k[0x201] = 0x66; /* header ends at 0x268 */
	memcpy(k + 0x202, "HdrS", 4);
	put_u32(k + 0x206, 0x020F);
	k[0x211] = 1; /* LOADED_HIGH */
	put_u32(k + 0x214, 0x100000);
	put_u32(k + 0x22C, 0x37FFFFFF); /* initrd_addr_max */
	put_u32(k + 0x238, 2047);       /* cmdline_size */
	put_u32(k + 0x260, 0x10000);    /* init_size: 16 pages */
	memset(k + 0x400, 0x90, 0x1800);
	igvm_host_write_file(path, k, sizeof(k));
}

static void write_key(const char *path, EVP_PKEY *k)
{
	FILE *f = fopen(path, "w");

	if (!f || !k ||
	    !PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL)) {
		abort();
	}
	fclose(f);
}

static void setup(void)
{
	uint8_t fw[8192], h[32];

	snprintf(dir, sizeof(dir), "/tmp/igvm-cfg-XXXXXX");
	if (!mkdtemp(dir)) {
		abort();
	}
	snprintf(svsm_path, sizeof(svsm_path), "%s/svsm.elf", dir);
	snprintf(guest_path, sizeof(guest_path), "%s/guest.elf", dir);
	snprintf(fw_path, sizeof(fw_path), "%s/fw.fd", dir);
	snprintf(junk_path, sizeof(junk_path), "%s/junk", dir);
	snprintf(ovmf_path, sizeof(ovmf_path), "%s/ovmf.fd", dir);
	write_ovmf(ovmf_path);
	snprintf(bz_path, sizeof(bz_path), "%s/bzImage", dir);
	snprintf(initrd_path, sizeof(initrd_path), "%s/initrd", dir);
	write_bzimage(bz_path);
	{
		uint8_t rd[5000];

		memset(rd, 0x5A, sizeof(rd));
		igvm_host_write_file(initrd_path, rd, sizeof(rd));
	}
	snprintf(key_path, sizeof(key_path), "%s/id.pem", dir);
	snprintf(author_path, sizeof(author_path), "%s/author.pem", dir);
	snprintf(p256_path, sizeof(p256_path), "%s/p256.pem", dir);
	id_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	author_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	write_key(key_path, id_key);
	write_key(author_path, author_key);
	{
		EVP_PKEY *p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");

		write_key(p256_path, p256);
		EVP_PKEY_free(p256);
	}
	write_elf(svsm_path, 0x08000000);
	write_elf(guest_path, 0x01000000);
	for (size_t i = 0; i < sizeof(fw); i++) {
		fw[i] = (uint8_t)(i * 13);
	}
	igvm_host_write_file(fw_path, fw, sizeof(fw));
	igvm_host_sha256(fw, sizeof(fw), h);
	igvm_host_hex(h, sizeof(h), fw_sha);
	igvm_host_write_file(junk_path, fw, 256); /* no ELF magic */
}

static void cleanup(void)
{
	unlink(svsm_path);
	unlink(guest_path);
	unlink(fw_path);
	unlink(junk_path);
	unlink(ovmf_path);
	unlink(bz_path);
	unlink(initrd_path);
	unlink(key_path);
	unlink(author_path);
	unlink(p256_path);
	EVP_PKEY_free(id_key);
	EVP_PKEY_free(author_key);
	rmdir(dir);
}

/* base_cfg with @from replaced by @to (first occurrence); malloc'd. */
static char *edit(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
	char *out = malloc(n);

	if (!at || !out) {
		printf("# edit: '%s' not found\n", from);
		abort();
	}
	snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to,
		 at + strlen(from));
	return out;
}

static int line_of(const char *text, const char *needle)
{
	const char *at = strstr(text, needle);
	int line = 1;

	for (const char *p = text; at && p < at; p++) {
		line += *p == '\n';
	}
	return at ? line : -1;
}

struct result {
	bool ok;
	char error[512];
	uint8_t *file;
	size_t len;
	char map[4096];
};

static void run(const char *text, struct result *r)
{
	const struct cfg_var vars[] = {
		{"svsm", svsm_path},     {"guest", guest_path},
		{"fw", fw_path},         {"junk", junk_path},
		{"ovmf", ovmf_path},     {"key", key_path},
		{"author", author_path}, {"p256", p256_path},
		{"bz", bz_path},         {"initrd", initrd_path}};
	static struct layout l;
	struct cfg cfg;
	FILE *map;

	memset(r, 0, sizeof(*r));
	map = fmemopen(r->map, sizeof(r->map) - 1, "w");
	r->ok = cfg_parse(&cfg, "t.cfg", text, vars,
			  sizeof(vars) / sizeof(vars[0])) &&
		layout_load(&l, &cfg) &&
		layout_emit(&l, &cfg, &r->file, &r->len, map);
	fclose(map);
	snprintf(r->error, sizeof(r->error), "%s", cfg.error);
	layout_free(&l);
	cfg_free(&cfg);
}

/* Apply one edit and expect a refusal at the line of @marker. */
static void expect_refusal(const char *from, const char *to, const char *marker,
			   const char *message)
{
	char *text = edit(base_cfg, from, to);
	char where[32];
	struct result r;

	run(text, &r);
	CHECK_TRUE(!r.ok);
	CHECK_TRUE(strstr(r.error, message) != NULL);
	snprintf(where, sizeof(where), "t.cfg:%d: ", line_of(text, marker));
	CHECK_TRUE(strncmp(r.error, where, strlen(where)) == 0);
	if (!r.ok && (!strstr(r.error, message) ||
		      strncmp(r.error, where, strlen(where)))) {
		printf("# got '%s', want '%s...%s'\n", r.error, where, message);
	}
	free(r.file);
	free(text);
}

static const uint8_t *page_at(const struct igvm_file *f, uint64_t gpa,
			      uint16_t *type)
{
	struct igvm_iter it;
	struct igvm_header h;

	igvm_iter_init(&it, f, 1);
	while (igvm_iter_next(&it, &h)) {
		if (h.type == IGVM_VHT_PAGE_DATA && h.u.page.gpa == gpa) {
			*type = h.u.page.data_type;
			return igvm_file_page(f, h.u.page.file_offset);
		}
	}
	*type = 0xffff;
	return NULL;
}

static struct igvm_file pf;

TAP_CASE(valid_config_builds_described_image)
{
	struct svsm_layout_boot_params bp;
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
		CHECK_EQ(bp.magic, SVSM_LAYOUT_MAGIC);
		CHECK_EQ(bp.version, 1);
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
		CHECK_EQ(bp.payload_mode, SVSM_LAYOUT_PAYLOAD_PROT32);
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

TAP_CASE(refuse_kvm_long64)
{
	char *a = edit(base_cfg, "gpa = 0x08FFF000", "gpa = 0xFFFFFFFFF000");
	char *b = edit(a, "host_profile = direct", "host_profile = kvm");
	char *c = edit(b, "mode = protected32", "mode = long64");
	struct result r;

	run(c, &r);
	CHECK_TRUE(!r.ok && strstr(r.error, "supports only mode protected32"));
	free(r.file);
	free(a);
	free(b);
	free(c);
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
	struct svsm_layout_boot_params bp;
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
			CHECK_EQ(bp.payload_mode, SVSM_LAYOUT_PAYLOAD_RESET);
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

static char *bz_cfg(void)
{
	return edit(base_cfg, "kind = elf\nfile = ${guest}\n",
		    "kind = bzimage\nfile = ${bz}\ngpa = 0x01000000\n"
		    "cmdline = console=ttyS0 quiet\ncmdline_gpa = 0x00020000\n"
		    "zero_page_gpa = 0x00021000\ninitrd = ${initrd}\n"
		    "initrd_gpa = 0x02000000\n");
}

TAP_CASE(bzimage_parsed_and_placed)
{
	char *text = bz_cfg();
	struct svsm_layout_boot_params bp;
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
	}
	p = page_at(&pf, 0x02001000, &type);
	CHECK_TRUE(p && p[5000 - 4096 - 1] == 0x5A && p[5000 - 4096] == 0);
	p = page_at(&pf, 0x08F00000, &type);
	if (p) {
		memcpy(&bp, p, sizeof(bp));
		CHECK_EQ(bp.payload_base, 0x01000000);
		CHECK_EQ(bp.payload_entry, 0x01000000);
		CHECK_EQ(bp.payload_mode, SVSM_LAYOUT_PAYLOAD_PROT32);
	}
	free(r.file);
	free(text);
}

TAP_CASE(refuse_bzimage_problems)
{
	char *text = bz_cfg();
	char *bad;
	struct result r;

	/* init_size (16 pages) is claimed although only 2 are emitted. */
	bad = edit(text, "caa_gpa = 0x00FFF000", "caa_gpa = 0x0100F000");
	run(bad, &r);
	CHECK_TRUE(!r.ok && strstr(r.error, "guest page 'caa_gpa'") &&
		   strstr(r.error, "overlaps region 'payload'"));
	free(r.file);
	free(bad);
	bad = edit(text, "${bz}", "${junk}");
	run(bad, &r);
	CHECK_TRUE(!r.ok && strstr(r.error, "not a bzImage"));
	free(r.file);
	free(bad);
	bad = edit(text, "initrd_gpa = 0x02000000", "initrd_gpa = 0x37FFF000");
	run(bad, &r);
	CHECK_TRUE(!r.ok && strstr(r.error, "initrd_addr_max"));
	free(r.file);
	free(bad);
	free(text);
}

int main(void)
{
	static const struct tap_case cases[] = {
		TAP_ENTRY(valid_config_builds_described_image),
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
		TAP_ENTRY(refuse_params),
		TAP_ENTRY(refuse_firmware_hash_mismatch),
		TAP_ENTRY(refuse_region_rules),
		TAP_ENTRY(ovmf_metadata_fills_guest_pages),
		TAP_ENTRY(refuse_ovmf_metadata_problems),
		TAP_ENTRY(id_block_signed_over_the_digest),
		TAP_ENTRY(refuse_id_block_problems),
		TAP_ENTRY(bzimage_parsed_and_placed),
		TAP_ENTRY(refuse_bzimage_problems),
	};
	int rc;

	setup();
	rc = tap_run(cases, sizeof(cases) / sizeof(cases[0]));
	cleanup();
	return rc;
}

bool tap_failed;
