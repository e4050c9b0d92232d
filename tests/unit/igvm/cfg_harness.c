/* SPDX-License-Identifier: MIT */
/*
 * igvm.cfg test harness (see cfg_harness.h).
 */
#include "cfg_harness.h"

#include <elf.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include "svsm/abi/boot_params.h"

#include "../tap.h"
#include "igvm/host.h"
#include "igvm/measure.h"
#include "igvm/vmsa.h"
#include "layout.h"
static char dir[64];
static char svsm_path[128], guest_path[128], fw_path[128], junk_path[128];
static char ovmf_path[128], key_path[128], author_path[128], p256_path[128];
static char bz_path[128], initrd_path[128];
EVP_PKEY *id_key, *author_key;
char fw_sha[65];

const char base_cfg[] =
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
 * at an "ASEV" SEV metadata block (docs/abi.md §15) with SECRETS 0x80D000,
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

const struct bz_fields bz_default = {
	.version = 0x020F,
	.xloadflags = 1, /* XLF_KERNEL_64 */
	.relocatable = 1,
	.kernel_alignment = 0x200000,
	.pref_address = 0x1000000,
	.cmdline_size = 2047,
	.init_size = 0x10000, /* 16 pages */
};

/* A minimal bzImage: one setup sector, 6 KiB kernel, header from @f. */
static void write_bzimage(const char *path, const struct bz_fields *f)
{
	uint8_t k[0x400 + 0x1800] = {0};

	k[0x1F1] = 1; /* setup_sects */
	k[0x1FE] = 0x55;
	k[0x1FF] = 0xAA; /* boot_flag */
	k[0x200] = 0xEB; /* jmp */
	k[0x201] = 0x66; /* header ends at 0x268 */
	memcpy(k + 0x202, "HdrS", 4);
	put_u32(k + 0x206, f->version);
	k[0x211] = 1; /* LOADED_HIGH */
	put_u32(k + 0x214, 0x100000);
	put_u32(k + 0x22C, 0x37FFFFFF); /* initrd_addr_max */
	put_u32(k + 0x230, f->kernel_alignment);
	k[0x234] = f->relocatable;
	k[0x236] = f->xloadflags;
	put_u32(k + 0x238, f->cmdline_size);
	put_u32(k + 0x258, (uint32_t)f->pref_address);
	put_u32(k + 0x260, f->init_size);
	memset(k + 0x400, 0x90, 0x1800);
	igvm_host_write_file(path, k, sizeof(k));
}

const char *harness_bzimage(const struct bz_fields *f)
{
	static char paths[8][160];
	static unsigned int next;
	char *p = paths[next++ % 8];

	snprintf(p, sizeof(paths[0]), "%s/bz%u", dir, next);
	write_bzimage(p, f);
	return p;
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

void harness_setup(void)
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
	write_bzimage(bz_path, &bz_default);
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

void harness_cleanup(void)
{
	unlink(svsm_path);
	unlink(guest_path);
	unlink(fw_path);
	unlink(junk_path);
	unlink(ovmf_path);
	unlink(bz_path);
	for (unsigned int i = 1; i <= 64; i++) {
		char p[160];

		snprintf(p, sizeof(p), "%s/bz%u", dir, i);
		unlink(p);
	}
	unlink(initrd_path);
	unlink(key_path);
	unlink(author_path);
	unlink(p256_path);
	EVP_PKEY_free(id_key);
	EVP_PKEY_free(author_key);
	rmdir(dir);
}

/* base_cfg with @from replaced by @to (first occurrence); malloc'd. */
char *edit(const char *text, const char *from, const char *to)
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

int line_of(const char *text, const char *needle)
{
	const char *at = strstr(text, needle);
	int line = 1;

	for (const char *p = text; at && p < at; p++) {
		line += *p == '\n';
	}
	return at ? line : -1;
}

void run(const char *text, struct result *r)
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
void expect_refusal(const char *from, const char *to, const char *marker,
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

const uint8_t *page_at(const struct igvm_file *f, uint64_t gpa, uint16_t *type)
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

/* The file the last successful case parsed (shared to save stack). */
struct igvm_file pf;
