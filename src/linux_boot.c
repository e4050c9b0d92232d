// SPDX-License-Identifier: MIT
/*
 * Linux payload launch, machine side (linux_boot.h; pure parts in
 * boot/linux_params.c). Linux without EFI has no way to accept memory
 * (no unaccepted-memory table), so it assumes every e820 RAM page is
 * validated: the SVSM validates all of it before the first instruction.
 *
 * Page-state order per range: PSC to private (GHCB NAE, 2 MiB entries
 * where possible), PVALIDATE, zero, RMPADJUST VMPL2 RWX. Zeroing happens
 * before the guest gets access, so no stale host or SVSM data can leak
 * (docs/linux-boot.md).
 */
#include "linux_boot.h"

#include "arch/cpu.h"
#include "arch/snp_insn.h"

#include "lib/console.h"
#include "lib/panic.h"
#include "lib/string.h"

#include "svsm/guest_mem.h"
#include "svsm/platform.h"

#include "svsm/abi/snp.h"

#include "acpi_tables.h"
#include "boot/linux_params.h"
#include "mm/mem.h"
#include "mm/paging.h"
#include "sev/ghcb.h"

#define PROGRESS_STEP (UINT64_C(32) << 20)
#define AREA_SIZE (SVSM_LINUX_BOOT_PAGES * PAGE_SIZE)
#define ACPI_SIZE (SVSM_LINUX_ACPI_PAGES * PAGE_SIZE)

/* TSC cycles spent in each step of the bulk pass (printed at the end). */
enum validate_step {
	STEP_PSC,
	STEP_PVALIDATE,
	STEP_ZERO,
	STEP_RMPADJUST,
	STEP_COUNT
};

struct validate_state {
	const struct svsm_boot_params *bp;
	bool use_2m;
	uint64_t total, done, next_report;
	uint64_t pages_2m, pages_4k;
	uint64_t cycles[STEP_COUNT];
	uint64_t mark;
};

/* Charge the cycles since the last mark to @step. */
static void step_done(struct validate_state *st, enum validate_step step)
{
	uint64_t now = rdtsc();

	st->cycles[step] += now - st->mark;
	st->mark = now;
}

static unsigned long long mcycles(uint64_t c)
{
	return (unsigned long long)(c / 1000000u);
}

/* Copied once; the zero page goes back to guest memory when complete. */
static uint8_t zero_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct linux_e820 e820[LINUX_E820_MAX];
/* The boot area's first part; the ACPI part is built in pool pages (only
 * needed until it is written out). */
static uint8_t boot_area[LINUX_AREA_ACPI] __attribute__((aligned(PAGE_SIZE)));
/* Where the host's RSDP landed in the boot area; invalid: no ACPI. */
static gpa_t acpi_rsdp;

/* True if [g, g + size) touches a page the bulk pass must not touch:
 * measured launch pages and the guest pages prepared elsewhere. */
static bool skipped(const struct svsm_boot_params *bp, gpa_t g, uint64_t size)
{
	const uint64_t pages[3] = {bp->guest_secrets_gpa, bp->guest_cpuid_gpa,
				   bp->guest_caa_gpa};

	for (uint32_t i = 0; i < bp->launched_count; i++) {
		if (range_overlap(gpa_val(g), size, bp->launched[i].base,
				  bp->launched[i].size)) {
			return true;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(pages); i++) {
		if (range_overlap(gpa_val(g), size, pages[i], PAGE_SIZE)) {
			return true;
		}
	}
	return range_overlap(gpa_val(g), size, bp->linux_boot_area_gpa,
			     AREA_SIZE);
}

/*
 * Guest pages are reached only through guest_mem and the platform layer
 * (docs/architecture.md §9), never through a pointer made from a GPA.
 */
static void guest_validate(gpa_t g, uint64_t size)
{
	bool cf = false;

	/*
	 * "Already valid" is accepted: a host that kept an old validated
	 * page gains nothing, because the page is zeroed anyway.
	 */
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		if (plat_pvalidate(gpa_add(g, off), SNP_PAGE_SIZE_4K, true,
				   &cf) != SNP_RC_SUCCESS) {
			panic("linux: PVALIDATE of %llx failed",
			      (unsigned long long)(gpa_val(g) + off));
		}
	}
}

static void guest_zero(gpa_t g, uint64_t size)
{
	if (guest_mem_zero(g, size) != SVSM_OK) {
		panic("linux: cannot zero [%llx, +%llx)",
		      (unsigned long long)gpa_val(g), (unsigned long long)size);
	}
}

static void guest_grant(gpa_t g, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		if (guest_mem_grant(gpa_add(g, off), SNP_PAGE_SIZE_4K,
				    SVSM_GUEST_VMPL) != SNP_RC_SUCCESS) {
			panic("linux: RMPADJUST of %llx failed",
			      (unsigned long long)(gpa_val(g) + off));
		}
	}
}

static void progress(struct validate_state *st, uint64_t bytes)
{
	st->done += bytes;
	if (st->done >= st->next_report || st->done == st->total) {
		con_printf("linux: validated %llu of %llu MiB\n",
			   (unsigned long long)(st->done >> 20),
			   (unsigned long long)(st->total >> 20));
		st->next_report += PROGRESS_STEP;
	}
}

/* 4 KiB pages [g, g + n pages), n <= GHCB_PSC_BATCH. */
static void validate_4k(struct validate_state *st, gpa_t g, uint32_t n)
{
	const uint64_t size = (uint64_t)n * PAGE_SIZE;

	st->mark = rdtsc();
	if (!ghcb_psc_private(gpa_val(g), n, false)) {
		panic("linux: page-state change of [%llx, +%llx) failed",
		      (unsigned long long)gpa_val(g), (unsigned long long)size);
	}
	step_done(st, STEP_PSC);
	guest_validate(g, size);
	step_done(st, STEP_PVALIDATE);
	guest_zero(g, size);
	step_done(st, STEP_ZERO);
	guest_grant(g, size);
	step_done(st, STEP_RMPADJUST);
	st->pages_4k += n;
	progress(st, size);
}

/* One 2 MiB page; falls back to 4 KiB if the host made 4 KiB entries. */
static void validate_2m(struct validate_state *st, gpa_t g)
{
	enum snp_rc rc = SNP_RC_FAIL_INPUT;
	bool cf = false;

	st->mark = rdtsc();
	if (!ghcb_psc_private(gpa_val(g), 1, true)) {
		panic("linux: 2 MiB page-state change at %llx failed",
		      (unsigned long long)gpa_val(g));
	}
	step_done(st, STEP_PSC);
	rc = plat_pvalidate(g, SNP_PAGE_SIZE_2M, true, &cf);
	step_done(st, STEP_PVALIDATE);
	if (rc == SNP_RC_FAIL_SIZEMISMATCH) {
		for (uint64_t off = 0; off < PAGE_SIZE_2M;
		     off += GHCB_PSC_BATCH * PAGE_SIZE) {
			uint64_t left = (PAGE_SIZE_2M - off) >> PAGE_SHIFT;

			validate_4k(st, gpa_add(g, off),
				    (uint32_t)(left < GHCB_PSC_BATCH
						       ? left
						       : GHCB_PSC_BATCH));
		}
		return;
	}
	if (rc != SNP_RC_SUCCESS) {
		panic("linux: 2 MiB PVALIDATE at %llx: rc %d",
		      (unsigned long long)gpa_val(g), rc);
	}
	guest_zero(g, PAGE_SIZE_2M);
	step_done(st, STEP_ZERO);
	rc = guest_mem_grant(g, SNP_PAGE_SIZE_2M, SVSM_GUEST_VMPL);
	step_done(st, STEP_RMPADJUST);
	if (rc != SNP_RC_SUCCESS) {
		panic("linux: 2 MiB RMPADJUST at %llx: rc %d",
		      (unsigned long long)gpa_val(g), rc);
	}
	st->pages_2m++;
	progress(st, PAGE_SIZE_2M);
}

/* Every page of [s, e) that the bulk pass owns. */
static void validate_piece(struct validate_state *st, uint64_t s, uint64_t e)
{
	gpa_t g = gpa(s);

	while (gpa_val(g) < e) {
		uint32_t n = 1;

		if (st->use_2m && IS_ALIGNED(gpa_val(g), PAGE_SIZE_2M) &&
		    e - gpa_val(g) >= PAGE_SIZE_2M &&
		    !skipped(st->bp, g, PAGE_SIZE_2M)) {
			validate_2m(st, g);
			g = gpa_add(g, PAGE_SIZE_2M);
			continue;
		}
		if (skipped(st->bp, g, PAGE_SIZE)) {
			g = gpa_add(g, PAGE_SIZE);
			continue;
		}
		/* A run of 4 KiB pages up to a skip, a 2 MiB boundary (where
		 * a 2 MiB page may start) or a full PSC request. */
		while (n < GHCB_PSC_BATCH && gpa_val(g) + n * PAGE_SIZE < e &&
		       !skipped(st->bp, gpa_add(g, n * PAGE_SIZE), PAGE_SIZE) &&
		       !(st->use_2m && IS_ALIGNED(gpa_val(g) + n * PAGE_SIZE,
						  PAGE_SIZE_2M))) {
			n++;
		}
		validate_4k(st, g, n);
		g = gpa_add(g, (uint64_t)n * PAGE_SIZE);
	}
}

/* Call @fn on every piece of RAM outside the SVSM region. */
static void for_each_piece(const struct svsm_boot_params *bp,
			   const struct mem_range *ram, size_t ram_count,
			   void (*fn)(struct validate_state *, uint64_t,
				      uint64_t),
			   struct validate_state *st)
{
	const uint64_t ss = bp->svsm_base, se = bp->svsm_base + bp->svsm_size;

	for (size_t i = 0; i < ram_count; i++) {
		const uint64_t s = ram[i].base, e = ram[i].base + ram[i].size;

		if (se <= s || ss >= e) {
			fn(st, s, e);
			continue;
		}
		if (ss > s) {
			fn(st, s, ss);
		}
		if (se < e) {
			fn(st, se, e);
		}
	}
}

static void count_piece(struct validate_state *st, uint64_t s, uint64_t e)
{
	st->total += e - s;
}

/* The host's ACPI tables into the ACPI part of the boot area (validated,
 * zero if there are none). */
static void acpi_area_build(gpa_t at)
{
	uint8_t *arena = mem_alloc_buf(SVSM_LINUX_ACPI_PAGES);

	if (arena == NULL) {
		con_printf(
			"acpi: no SVSM memory for the tables: Linux boots "
			"without ACPI tables\n");
		acpi_rsdp = gpa_invalid();
		guest_zero(at, ACPI_SIZE);
		return;
	}
	acpi_rsdp = acpi_tables_load(arena, ACPI_SIZE, at);
	if (guest_mem_write(at, arena, ACPI_SIZE) != SVSM_OK) {
		panic("linux: cannot write the ACPI tables");
	}
	mem_free_buf(arena, SVSM_LINUX_ACPI_PAGES);
}

/* The boot area: private, validated, zeroed, filled, then VMPL2 RW. */
static void boot_area_build(const struct svsm_boot_params *bp)
{
	const gpa_t area = gpa(bp->linux_boot_area_gpa);

	if (!ghcb_psc_private(gpa_val(area), SVSM_LINUX_BOOT_PAGES, false)) {
		panic("linux: cannot validate the boot area at %llx",
		      (unsigned long long)gpa_val(area));
	}
	guest_validate(area, AREA_SIZE);
	/* Built in SVSM memory, then written out once. */
	memset(boot_area, 0, sizeof(boot_area));
	linux_boot_area_fill(boot_area, area, paging_cbit_mask(),
			     gpa(bp->guest_secrets_gpa),
			     gpa(bp->guest_cpuid_gpa));
	if (guest_mem_write(area, boot_area, sizeof(boot_area)) != SVSM_OK) {
		panic("linux: cannot write the boot area");
	}
	acpi_area_build(gpa_add(area, LINUX_AREA_ACPI));
	guest_grant(area, AREA_SIZE);
}

/* Reserved for Linux, sorted: the pages the SVSM filled for it; the ACPI
 * part of the boot area is its own range (made ACPI data when loaded). */
static size_t reserved_ranges(const struct svsm_boot_params *bp,
			      struct mem_range res[5])
{
	res[0] = (struct mem_range){bp->guest_secrets_gpa, PAGE_SIZE};
	res[1] = (struct mem_range){bp->guest_cpuid_gpa, PAGE_SIZE};
	res[2] = (struct mem_range){bp->guest_caa_gpa, PAGE_SIZE};
	res[3] = (struct mem_range){bp->linux_boot_area_gpa,
				    AREA_SIZE - ACPI_SIZE};
	res[4] = (struct mem_range){bp->linux_boot_area_gpa + LINUX_AREA_ACPI,
				    ACPI_SIZE};
	for (size_t i = 1; i < 5; i++) {
		for (size_t j = i; j > 0 && res[j].base < res[j - 1].base;
		     j--) {
			struct mem_range t = res[j];

			res[j] = res[j - 1];
			res[j - 1] = t;
		}
	}
	return 5;
}

static void zero_page_build(const struct svsm_boot_params *bp,
			    const struct mem_range *ram, size_t ram_count)
{
	const struct mem_range svsm = {bp->svsm_base, bp->svsm_size};
	const struct mem_range acpi = {
		bp->linux_boot_area_gpa + LINUX_AREA_ACPI, ACPI_SIZE};
	struct mem_range res[5];
	size_t res_count = reserved_ranges(bp, res);
	size_t n = 0;
	uint64_t ram_bytes = 0;

	/* A measured launch page, only VMPL0 can reach it yet. */
	if (guest_mem_read(zero_page, gpa(bp->linux_zero_page_gpa),
			   PAGE_SIZE) != SVSM_OK) {
		panic("linux: cannot read the zero page");
	}
	n = linux_e820_build(ram, ram_count, &svsm, res, res_count, e820,
			     LINUX_E820_MAX);
	if (n == 0) {
		panic("linux: the e820 map does not fit the zero page");
	}
	if (!gpa_is_invalid(acpi_rsdp) &&
	    !linux_e820_retype(e820, n, &acpi, LINUX_E820_ACPI)) {
		panic("linux: the ACPI area is not one e820 entry");
	}
	for (size_t i = 0; i < n; i++) {
		if (e820[i].type == LINUX_E820_RAM) {
			ram_bytes += e820[i].size;
		}
	}
	linux_zero_page_fill(
		zero_page, e820, n,
		gpa_add(gpa(bp->linux_boot_area_gpa), LINUX_AREA_SETUP_DATA),
		acpi_rsdp);
	if (guest_mem_write(gpa(bp->linux_zero_page_gpa), zero_page,
			    PAGE_SIZE) != SVSM_OK) {
		panic("linux: cannot write the zero page");
	}
	con_printf(
		"linux: zero page %llx: %zu e820 entries, %llu MiB RAM, "
		"command line at %x\n",
		(unsigned long long)bp->linux_zero_page_gpa, n,
		(unsigned long long)(ram_bytes >> 20),
		*(const uint32_t *)(const void *)(zero_page + 0x228));
}

void linux_boot_prepare(const struct svsm_boot_params *bp,
			const struct mem_range *ram, size_t ram_count)
{
	struct validate_state st = {
		.bp = bp,
		.use_2m = (bp->linux_flags & SVSM_LINUX_VALIDATE_4K) == 0,
		.next_report = PROGRESS_STEP,
	};
	uint64_t t0 = 0, t1 = 0;

	for_each_piece(bp, ram, ram_count, count_piece, &st);
	con_printf(
		"linux: validating %llu MiB of guest RAM for VMPL2 (%s "
		"pages)\n",
		(unsigned long long)(st.total >> 20),
		st.use_2m ? "2 MiB" : "4 KiB");
	t0 = rdtsc();
	for_each_piece(bp, ram, ram_count, validate_piece, &st);
	t1 = rdtsc();
	con_printf(
		"linux: %llu 2 MiB + %llu 4 KiB pages validated and "
		"zeroed in %llu Mcycles (page-state changes %llu, PVALIDATE "
		"%llu, zeroing %llu, RMPADJUST %llu)\n",
		(unsigned long long)st.pages_2m,
		(unsigned long long)st.pages_4k, mcycles(t1 - t0),
		mcycles(st.cycles[STEP_PSC]),
		mcycles(st.cycles[STEP_PVALIDATE]),
		mcycles(st.cycles[STEP_ZERO]),
		mcycles(st.cycles[STEP_RMPADJUST]));
	for (uint32_t i = 0; i < bp->launched_count; i++) {
		guest_grant(gpa(bp->launched[i].base), bp->launched[i].size);
	}
	boot_area_build(bp);
	zero_page_build(bp, ram, ram_count);
	con_printf(
		"linux: launched ranges granted, boot area and zero page "
		"built in %llu Mcycles\n",
		mcycles(rdtsc() - t1));
}

bool linux_boot_vmsa(struct snp_vmsa *v, const struct svsm_boot_params *bp,
		     const struct guest_vmsa_cfg *cfg)
{
	return linux_vmsa_init(v, cfg, gpa(bp->linux_zero_page_gpa),
			       gpa(bp->linux_boot_area_gpa),
			       paging_cbit_mask());
}
