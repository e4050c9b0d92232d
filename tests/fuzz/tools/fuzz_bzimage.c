// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the bzImage reader of svsm-igvm
 * (tools/svsm-igvm/bzimage.c): the input is the kernel file, which
 * bzimage_load() reads from a memfd for a [region linux] section like
 * igvm-linux.cfg's (kernel at 16 MiB, command line, zero page, initrd).
 *
 * Invariants, from the boot protocol (Linux Documentation/arch/x86/
 * boot.rst; docs/linux-boot.md):
 *  B1 a refusal names the file and line ("t.cfg:");
 *  B2 an accepted kernel has the 0xAA55 boot flag, the "HdrS" magic,
 *     protocol >= 2.12, XLF_KERNEL_64 and LOADED_HIGH, and its entry is
 *     the load address + 0x200;
 *  B3 the kernel region is the file from the protected-mode offset
 *     ((setup_sects or 4) + 1) * 512 on, zero-padded to whole pages, and
 *     its span covers init_size;
 *  B4 the zero page carries the file's setup header verbatim from 0x1F1
 *     up to 0x210 (the fields before the loader's own), and the command
 *     line fits the kernel's cmdline_size.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../fuzz_check.h"
#include "cfg.h"
#include "layout.h"

#define KERNEL_GPA UINT64_C(0x01000000)
#define PAGE 4096u
#define CMDLINE "console=ttyS0 quiet"

static int kfd = -1;
static char text[1024];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static uint8_t rd[5000];
	int rfd = memfd_create("fuzz-initrd", 0);

	(void)argc;
	(void)argv;
	kfd = memfd_create("fuzz-bzimage", 0);
	memset(rd, 0x5a, sizeof(rd));
	if (kfd < 0 || rfd < 0 || write(rfd, rd, sizeof(rd)) != sizeof(rd)) {
		abort();
	}
	snprintf(text, sizeof(text),
		 "[region linux]\nkind = bzimage\n"
		 "file = /proc/self/fd/%d\ngpa = 0x01000000\n"
		 "cmdline = " CMDLINE
		 "\ncmdline_gpa = 0x00020000\n"
		 "zero_page_gpa = 0x00021000\ninitrd = /proc/self/fd/%d\n"
		 "initrd_gpa = 0x02000000\n",
		 kfd, rfd);
	return 0;
}

static uint32_t rd(const uint8_t *p, unsigned n)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < n; i++) {
		v |= (uint32_t)p[i] << (8 * i);
	}
	return v;
}

static const struct region *sub(const struct layout *l, const char *name)
{
	for (size_t i = 0; i < l->region_count; i++) {
		if (strcmp(l->regions[i].name, name) == 0) {
			return &l->regions[i];
		}
	}
	FAIL("B4: no region %s", name);
}

static void check_accepted(const uint8_t *k, size_t len, const struct layout *l)
{
	const struct region *r = &l->regions[0];
	const struct region *zp = NULL;
	size_t pm_off = 0;

	if (len < 0x268 || rd(k + 0x1FE, 2) != 0xAA55 ||
	    memcmp(k + 0x202, "HdrS", 4) != 0 || rd(k + 0x206, 2) < 0x020C ||
	    !(k[0x236] & 1) || !(k[0x211] & 1)) {
		FAIL("B2: kernel without its boot-protocol marks accepted");
	}
	if (r->entry != r->gpa + 0x200 || r->gpa != KERNEL_GPA) {
		FAIL("B2: entry 0x%llx", (unsigned long long)r->entry);
	}
	pm_off = ((size_t)(k[0x1F1] ? k[0x1F1] : 4) + 1) * 512;
	if (pm_off >= len ||
	    r->size != ((len - pm_off + PAGE - 1) & ~(PAGE - 1)) ||
	    memcmp(r->image, k + pm_off, len - pm_off) != 0 ||
	    r->span < ((rd(k + 0x260, 4) + (uint64_t)PAGE - 1) &
		       ~(uint64_t)(PAGE - 1))) {
		FAIL("B3: kernel region is not the file from 0x%zx", pm_off);
	}
	for (size_t i = len - pm_off; i < r->size; i++) {
		if (r->image[i] != 0) {
			FAIL("B3: padding byte 0x%zx not zero", i);
		}
	}
	zp = sub(l, "linux.zero-page");
	if (zp->size != PAGE ||
	    memcmp(zp->image + 0x1F1, k + 0x1F1, 0x210 - 0x1F1) != 0) {
		FAIL("B4: zero page does not carry the setup header");
	}
	if (strlen(CMDLINE) > rd(k + 0x238, 4) ||
	    strcmp((const char *)sub(l, "linux.cmdline")->image, CMDLINE)) {
		FAIL("B4: command line longer than cmdline_size accepted");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct layout l;
	struct cfg cfg;
	struct region *r = &l.regions[0];
	bool ok = false;

	if (size > (1u << 20) || ftruncate(kfd, 0) != 0 ||
	    pwrite(kfd, data, size, 0) != (ssize_t)size ||
	    !cfg_parse(&cfg, "t.cfg", text, NULL, 0)) {
		abort();
	}
	memset(&l, 0, sizeof(l));
	l.region_count = 1;
	r->name = cfg.sections[0].name;
	r->line = cfg.sections[0].line;
	r->kind = REGION_BZIMAGE;
	ok = bzimage_load(&l, &cfg, &cfg.sections[0], r);
	if (!ok && strncmp(cfg.error, "t.cfg:", 6) != 0) {
		FAIL("B1: refusal '%s'", cfg.error);
	}
	if (ok) {
		check_accepted(data, size, &l);
	}
	layout_free(&l);
	cfg_free(&cfg);
	return 0;
}
