/* SPDX-License-Identifier: MIT */
/*
 * A Linux bzImage payload, parsed and placed (x86 boot protocol, Linux
 * Documentation/arch/x86/boot.rst, "The real-mode kernel header"): the
 * protected-mode kernel at `gpa`, the initrd and the command line as their
 * own regions, and a boot_params "zero page" carrying the setup header with
 * the initrd and command-line fields filled in.
 *
 * NOT bootable yet: the SVSM boot page has no Linux payload mode, so nobody
 * passes the zero page in ESI or writes its e820 table. The kernel file is
 * input, so every header field is range-checked.
 */
#include <stdlib.h>
#include <string.h>

#include "igvm/host.h"
#include "layout.h"

#define PAGE UINT64_C(4096)
#define HDR_SETUP_SECTS 0x1F1
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
#define HDR_CMDLINE_SIZE 0x238
#define HDR_INIT_SIZE 0x260
#define LOADED_HIGH 0x01
#define MIN_VERSION 0x020A /* 2.10: init_size, pref_address */

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
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
static bool check_header(struct cfg *cfg, int line, const uint8_t *k,
			 size_t len, size_t *pm_off)
{
	unsigned int sects;
	uint16_t version;

	if (len < 0x400 || memcmp(k + HDR_MAGIC, "HdrS", 4) != 0) {
		cfg_error(cfg, line, "not a bzImage (no HdrS setup header)");
		return false;
	}
	memcpy(&version, k + HDR_VERSION, 2);
	if (version < MIN_VERSION || !(k[HDR_LOADFLAGS] & LOADED_HIGH)) {
		cfg_error(cfg, line,
			  "bzImage boot protocol 0x%x too old or not "
			  "loaded high (need >= 2.10)",
			  version);
		return false;
	}
	sects = k[HDR_SETUP_SECTS] ? k[HDR_SETUP_SECTS] : 4;
	*pm_off = (sects + 1) * 512u;
	if (*pm_off >= len) {
		cfg_error(cfg, line, "bzImage has no protected-mode kernel");
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
	if (!igvm_host_read_file(file->value, &k, &len)) {
		cfg_error(cfg, file->line, "cannot read file '%s'",
			  file->value);
		return false;
	}
	if (!check_header(cfg, file->line, k, len, &pm_off)) {
		goto out;
	}
	/* The 32-bit entry is the start of the protected-mode kernel. */
	if (r->gpa < 0x100000 ||
	    r->gpa + rd32(k + HDR_INIT_SIZE) >= (1ull << 32)) {
		cfg_error(cfg, s->line,
			  "bzImage gpa must be >= 1 MiB and the kernel's "
			  "init_size must fit below 4 GiB");
		goto out;
	}
	if (strlen(cmd) + 1 > rd32(k + HDR_CMDLINE_SIZE) + 1u ||
	    strlen(cmd) >= PAGE) {
		cfg_error(cfg, cmdline->line,
			  "command line longer than the "
			  "kernel's cmdline_size");
		goto out;
	}
	/* Zero page: the setup header is copied verbatim (boot.rst). */
	hdr_end = HDR_JUMP + 2 + k[HDR_JUMP + 1];
	if (hdr_end > len || hdr_end > PAGE) {
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
		    rd_len == 0) {
			cfg_error(cfg, initrd->line, "cannot read initrd '%s'",
				  initrd->value);
			goto out;
		}
		if (initrd_gpa + rd_len - 1 > rd32(k + HDR_INITRD_ADDR_MAX)) {
			cfg_error(cfg, initrd->line,
				  "initrd ends above the kernel's "
				  "initrd_addr_max");
			goto out;
		}
		wr32(zero_page + HDR_RAMDISK_IMAGE, (uint32_t)initrd_gpa);
		wr32(zero_page + HDR_RAMDISK_SIZE, (uint32_t)rd_len);
	}
	r->size = (len - pm_off + PAGE - 1) & ~(PAGE - 1);
	r->span = (rd32(k + HDR_INIT_SIZE) + PAGE - 1) & ~(PAGE - 1);
	r->span = r->span > r->size ? r->span : r->size;
	r->image = calloc(1, r->size);
	r->entry = r->gpa;
	if (!r->image) {
		cfg_error(cfg, s->line, "out of memory");
		goto out;
	}
	memcpy(r->image, k + pm_off, len - pm_off);
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
