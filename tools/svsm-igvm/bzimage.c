/* SPDX-License-Identifier: MIT */
/*
 * A Linux bzImage payload for the 64-bit boot protocol (Linux
 * Documentation/arch/x86/boot.rst, "The real-mode kernel header" and
 * "64-bit Boot Protocol"; docs/linux-boot.md): the protected-mode kernel at
 * `gpa`, the command line, the initrd and a boot_params "zero page" carrying
 * the setup header with the initrd and command-line fields filled in, each
 * as its own measured region. The SVSM adds the e820 map and the CC blob
 * at run time and enters startup_64 at gpa + 0x200.
 *
 * The kernel file is input: every header field used is range-checked, and
 * each refusal names the config line and the header field.
 */
#include <stdlib.h>
#include <string.h>

#include "svsm/abi/boot_params.h"

#include "igvm/host.h"
#include "layout.h"

#define PAGE UINT64_C(4096)
#define FOUR_GIB (UINT64_C(1) << 32)
/* Setup-header fields (boot.rst "The real-mode kernel header"). */
#define HDR_SETUP_SECTS 0x1F1
#define HDR_BOOT_FLAG 0x1FE
#define HDR_JUMP 0x200
#define HDR_MAGIC 0x202
#define HDR_VERSION 0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS 0x211
#define HDR_CODE32_START 0x214
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21C
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22C
#define HDR_KERNEL_ALIGNMENT 0x230
#define HDR_RELOCATABLE 0x234
#define HDR_XLOADFLAGS 0x236
#define HDR_CMDLINE_SIZE 0x238
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260
#define LOADED_HIGH 0x01
#define XLF_KERNEL_64 0x01
/* 2.12 added xloadflags, which says whether startup_64 exists. */
#define MIN_VERSION 0x020C
/* boot.rst: "the 64-bit entry point is at ... load address + 0x200". */
#define ENTRY64_OFFSET 0x200

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static void wr32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static struct region *add_sub(struct layout *l, struct cfg *cfg,
			      const struct region *parent, const char *suffix,
			      uint64_t gpa, const void *data, size_t len)
{
	struct region *r;
	char *name;

	if (l->region_count == LAYOUT_MAX_REGIONS) {
		cfg_error(cfg, parent->line, "too many regions");
		return NULL;
	}
	r = &l->regions[l->region_count++];
	memset(r, 0, sizeof(*r));
	name = malloc(strlen(parent->name) + strlen(suffix) + 2);
	r->size = (len + PAGE - 1) & ~(PAGE - 1);
	r->image = calloc(1, r->size ? r->size : 1);
	if (!name || !r->image) {
		free(name);
		cfg_error(cfg, parent->line, "out of memory");
		return NULL;
	}
	sprintf(name, "%s.%s", parent->name, suffix);
	r->name = name;
	r->owned_name = name;
	r->line = parent->line;
	r->kind = REGION_DATA;
	r->gpa = gpa;
	r->span = r->size;
	memcpy(r->image, data, len);
	return r;
}

static bool need(struct cfg *cfg, struct cfg_section *s, const char *key,
		 uint64_t *out)
{
	struct cfg_key *k = cfg_get(s, key);

	if (!k) {
		cfg_error(cfg, s->line, "bzimage region needs '%s'", key);
		return false;
	}
	return cfg_u64(cfg, k, out);
}

/* Check the setup header; returns the protected-mode kernel offset. */
static bool check_header(struct cfg *cfg, int line, const char *path,
			 const uint8_t *k, size_t len, size_t *pm_off)
{
	unsigned int sects;
	uint16_t version;

	if (len < 0x400 || k[HDR_BOOT_FLAG] != 0x55 ||
	    k[HDR_BOOT_FLAG + 1] != 0xAA || memcmp(k + HDR_MAGIC, "HdrS", 4)) {
		cfg_error(cfg, line,
			  "'%s' is not a bzImage (no 0xAA55 boot_flag and "
			  "HdrS setup header)",
			  path);
		return false;
	}
	memcpy(&version, k + HDR_VERSION, 2);
	if (version < MIN_VERSION) {
		cfg_error(cfg, line,
			  "'%s': boot protocol %u.%02u too old (version field; "
			  "need >= 2.12 for xloadflags and the 64-bit entry)",
			  path, version >> 8, version & 0xff);
		return false;
	}
	if (!(k[HDR_XLOADFLAGS] & XLF_KERNEL_64)) {
		cfg_error(cfg, line,
			  "'%s' has no 64-bit entry (xloadflags bit 0 "
			  "XLF_KERNEL_64 clear)",
			  path);
		return false;
	}
	if (!(k[HDR_LOADFLAGS] & LOADED_HIGH)) {
		cfg_error(cfg, line,
			  "'%s' is not a high-loaded kernel (loadflags bit 0 "
			  "LOADED_HIGH clear)",
			  path);
		return false;
	}
	sects = k[HDR_SETUP_SECTS] ? k[HDR_SETUP_SECTS] : 4;
	*pm_off = (sects + 1) * 512u;
	if (*pm_off >= len) {
		cfg_error(cfg, line,
			  "'%s' has no protected-mode kernel "
			  "(setup_sects past the end of the file)",
			  path);
		return false;
	}
	return true;
}

/*
 * Where the kernel may go: a relocatable kernel at any kernel_alignment
 * boundary (we do not use the slower min_alignment relaxation), a fixed one
 * only at pref_address; the whole init_size (the decompressor's buffer)
 * below 4 GiB, which the SVSM's identity map for the entry covers.
 */
static bool check_placement(struct cfg *cfg, int line, const uint8_t *k,
			    uint64_t gpa)
{
	const uint32_t align = rd32(k + HDR_KERNEL_ALIGNMENT);
	const uint64_t pref = rd64(k + HDR_PREF_ADDRESS);
	const uint64_t init_size = rd32(k + HDR_INIT_SIZE);

	if (k[HDR_RELOCATABLE] == 0 && gpa != pref) {
		cfg_error(cfg, line,
			  "kernel is not relocatable (relocatable_kernel = 0): "
			  "gpa 0x%llx must equal pref_address 0x%llx",
			  (unsigned long long)gpa, (unsigned long long)pref);
		return false;
	}
	if (k[HDR_RELOCATABLE] != 0 &&
	    (align == 0 || (align & (align - 1)) || gpa % align)) {
		cfg_error(cfg, line,
			  "gpa 0x%llx is not a multiple of the kernel's "
			  "kernel_alignment 0x%x",
			  (unsigned long long)gpa, align);
		return false;
	}
	if (init_size == 0 || gpa < 0x100000 || gpa + init_size > FOUR_GIB) {
		cfg_error(cfg, line,
			  "kernel at 0x%llx with init_size 0x%llx must lie "
			  "between 1 MiB and 4 GiB",
			  (unsigned long long)gpa,
			  (unsigned long long)init_size);
		return false;
	}
	return true;
}

bool bzimage_load(struct layout *l, struct cfg *cfg, struct cfg_section *s,
		  struct region *r)
{
	struct cfg_key *file = cfg_get(s, "file");
	struct cfg_key *initrd = cfg_get(s, "initrd");
	struct cfg_key *cmdline = cfg_get(s, "cmdline");
	struct cfg_key *validate = cfg_get(s, "validate");
	uint64_t cmd_gpa = 0, zp_gpa = 0, initrd_gpa = 0;
	uint8_t *k = NULL, *rd = NULL, zero_page[PAGE] = {0};
	size_t len = 0, rd_len = 0, pm_off = 0, hdr_end;
	const char *cmd = cmdline ? cmdline->value : "";
	struct region *index = r;
	bool ok = false;

	if (!file || !need(cfg, s, "gpa", &r->gpa) ||
	    !need(cfg, s, "cmdline_gpa", &cmd_gpa) ||
	    !need(cfg, s, "zero_page_gpa", &zp_gpa) ||
	    (initrd && !need(cfg, s, "initrd_gpa", &initrd_gpa))) {
		if (!file) {
			cfg_error(cfg, s->line, "region '%s' needs 'file'",
				  s->name);
		}
		return false;
	}
	/* How the SVSM validates guest RAM (boot_params.h). */
	if (validate && strcmp(validate->value, "2m") != 0) {
		if (strcmp(validate->value, "4k") != 0) {
			cfg_error(cfg, validate->line,
				  "validate must be 2m or 4k, got '%s'",
				  validate->value);
			return false;
		}
		l->linux_flags |= SVSM_LINUX_VALIDATE_4K;
	}
	if (!igvm_host_read_file(file->value, &k, &len)) {
		cfg_error(cfg, file->line, "cannot read file '%s'",
			  file->value);
		return false;
	}
	if (!check_header(cfg, file->line, file->value, k, len, &pm_off) ||
	    !check_placement(cfg, s->line, k, r->gpa)) {
		goto out;
	}
	if (strlen(cmd) > rd32(k + HDR_CMDLINE_SIZE) || strlen(cmd) >= PAGE) {
		cfg_error(cfg, cmdline->line,
			  "command line of %zu bytes is longer than the "
			  "kernel's cmdline_size %u",
			  strlen(cmd), rd32(k + HDR_CMDLINE_SIZE));
		goto out;
	}
	/* Zero page: the setup header is copied verbatim (boot.rst). */
	hdr_end = HDR_JUMP + 2 + k[HDR_JUMP + 1];
	if (hdr_end > len || hdr_end > PAGE || hdr_end < HDR_INIT_SIZE + 4) {
		cfg_error(cfg, file->line, "bzImage setup header truncated");
		goto out;
	}
	memcpy(zero_page + HDR_SETUP_SECTS, k + HDR_SETUP_SECTS,
	       hdr_end - HDR_SETUP_SECTS);
	zero_page[HDR_TYPE_OF_LOADER] = 0xFF; /* undefined loader */
	wr32(zero_page + HDR_CODE32_START, (uint32_t)r->gpa);
	wr32(zero_page + HDR_CMD_LINE_PTR, (uint32_t)cmd_gpa);
	if (initrd) {
		if (!igvm_host_read_file(initrd->value, &rd, &rd_len) ||
		    rd_len == 0 || rd_len > UINT32_MAX) {
			cfg_error(cfg, initrd->line, "cannot read initrd '%s'",
				  initrd->value);
			goto out;
		}
		if (initrd_gpa % PAGE ||
		    initrd_gpa + rd_len - 1 > rd32(k + HDR_INITRD_ADDR_MAX)) {
			cfg_error(cfg, initrd->line,
				  "initrd [0x%llx, +0x%zx) does not fit below "
				  "the kernel's initrd_addr_max 0x%x",
				  (unsigned long long)initrd_gpa, rd_len,
				  rd32(k + HDR_INITRD_ADDR_MAX));
			goto out;
		}
		wr32(zero_page + HDR_RAMDISK_IMAGE, (uint32_t)initrd_gpa);
		wr32(zero_page + HDR_RAMDISK_SIZE, (uint32_t)rd_len);
	}
	r->size = (len - pm_off + PAGE - 1) & ~(PAGE - 1);
	r->span = (rd32(k + HDR_INIT_SIZE) + PAGE - 1) & ~(PAGE - 1);
	r->span = r->span > r->size ? r->span : r->size;
	r->image = calloc(1, r->size);
	r->entry = r->gpa + ENTRY64_OFFSET;
	if (!r->image) {
		cfg_error(cfg, s->line, "out of memory");
		goto out;
	}
	memcpy(r->image, k + pm_off, len - pm_off);
	l->linux_zero_page = zp_gpa;
	/* add_sub may move nothing: regions is a fixed array. */
	ok = add_sub(l, cfg, index, "cmdline", cmd_gpa, cmd, strlen(cmd) + 1) &&
	     add_sub(l, cfg, index, "zero-page", zp_gpa, zero_page, PAGE) &&
	     (!initrd ||
	      add_sub(l, cfg, index, "initrd", initrd_gpa, rd, rd_len));
out:
	free(k);
	free(rd);
	return ok;
}
