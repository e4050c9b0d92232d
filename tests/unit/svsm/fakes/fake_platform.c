// SPDX-License-Identifier: MIT
/*
 * The fake platform (see fake_platform.h). It implements every plat_*
 * operation of include/svsm/platform.h, plus panic() for CHECK().
 */
#include "fake_platform.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/panic.h"

#include "svsm/lock_stat.h"
#include "svsm/platform.h"

#include "svsm/abi/snp.h"

#define PAGES (FAKE_RAM_SIZE / 4096)
#define REGIONS_2M (FAKE_RAM_SIZE >> 21)

struct fake_stats fake_stats;

static uint8_t *ram;
static struct fake_rmp rmp[PAGES];
static bool backed_2m[REGIONS_2M];
static uint64_t fault_page = UINT64_MAX;
static uint64_t mutate_gpa = UINT64_MAX;
static uint8_t mutate_val;
static int next_rmpadjust_rc = -1;
static int next_pvalidate_rc = -1;
static bool vmsa_in_use;
unsigned int fake_run_vmpl_count;
uint8_t fake_run_vmpl_last;
bool fake_run_vmpl_refuse;
static uint64_t watch_page = UINT64_MAX;
/*
 * Pages possibly written since the last reset, for fake_reset_fast(). Only
 * the fuzzer builds with it (-DFAKE_TRACK_DIRTY): the benchmark counts
 * the fake's instructions too, and must not pay for the bookkeeping.
 */
#ifdef FAKE_TRACK_DIRTY
static uint8_t dirty[PAGES];

static inline void mark_dirty(uint64_t gpa, uint64_t n)
{
	for (uint64_t p = gpa >> 12; p <= (gpa + n - 1) >> 12; p++) {
		dirty[p] = 1;
	}
}
#else
static inline void mark_dirty(uint64_t gpa, uint64_t n)
{
	(void)gpa;
	(void)n;
}
#endif

static void reset_state(void)
{
	memset(rmp, 0, sizeof(rmp));
	memset(backed_2m, 0, sizeof(backed_2m));
	memset(&fake_stats, 0, sizeof(fake_stats));
	fault_page = UINT64_MAX;
	/*
	 * A mutation the last test case or fuzz input armed but no read
	 * consumed must not fire in the next one: the fuzzer's invariants
	 * would blame the SVSM for a byte that changed behind its back.
	 */
	mutate_gpa = UINT64_MAX;
	mutate_val = 0;
	vmsa_in_use = false;
	fake_run_vmpl_count = 0;
	fake_run_vmpl_last = 0;
	fake_run_vmpl_refuse = false;
	next_rmpadjust_rc = -1;
	next_pvalidate_rc = -1;
	vmsa_in_use = false;
	watch_page = UINT64_MAX;
}

void fake_reset(void)
{
	fake_vtpm_running = true;
	fake_vtpm_result = SVSM_OK;
	fake_vtpm_calls = 0;
	if (ram == NULL) {
		ram = aligned_alloc(4096, FAKE_RAM_SIZE);
		if (ram == NULL) {
			abort();
		}
	}
	memset(ram, 0xa5, FAKE_RAM_SIZE);
#ifdef FAKE_TRACK_DIRTY
	memset(dirty, 0, sizeof(dirty));
#endif
	reset_state();
}

void fake_reset_fast(void)
{
#ifdef FAKE_TRACK_DIRTY
	if (ram != NULL) {
		/* Per fuzz input: refill only what may have changed. */
		for (uint64_t p = 0; p < PAGES; p++) {
			if (dirty[p]) {
				memset(ram + p * 4096, 0xa5, 4096);
				dirty[p] = 0;
			}
		}
		reset_state();
		return;
	}
#endif
	fake_reset();
}

void fake_set_watch(uint64_t gpa)
{
	watch_page = gpa & ~UINT64_C(0xfff);
}

uint8_t *fake_mem(uint64_t gpa)
{
	if (gpa >= FAKE_RAM_SIZE) {
		abort();
	}
	mark_dirty(gpa, 1);
	return ram + gpa;
}

struct fake_rmp *fake_rmp(uint64_t gpa)
{
	if (gpa >= FAKE_RAM_SIZE) {
		abort();
	}
	return &rmp[gpa >> 12];
}

void fake_set_valid(uint64_t gpa, uint64_t len, uint8_t vmpl)
{
	for (uint64_t g = gpa & ~UINT64_C(0xfff); g < gpa + len; g += 4096) {
		fake_rmp(g)->validated = true;
		fake_rmp(g)->perms[vmpl] = 0xf;
	}
}

void fake_set_backing_2m(uint64_t gpa, bool is_2m)
{
	backed_2m[gpa >> 21] = is_2m;
}

void fake_set_fault_page(uint64_t gpa)
{
	fault_page = gpa & ~UINT64_C(0xfff);
}

void fake_set_mutation(uint64_t gpa, uint8_t val)
{
	mutate_gpa = gpa;
	mutate_val = val;
}

void fake_fail_next_rmpadjust(int rc)
{
	next_rmpadjust_rc = rc;
}

void fake_fail_next_pvalidate(int rc)
{
	next_pvalidate_rc = rc;
}

void fake_set_vmsa_in_use(bool in_use)
{
	vmsa_in_use = in_use;
}

/* The RMP entry covering @gpa must have the same size as the operation. */
static bool size_matches(uint64_t gpa, uint32_t size)
{
	return backed_2m[gpa >> 21] == (size == SNP_PAGE_SIZE_2M);
}

static bool op_range_ok(uint64_t gpa, uint32_t size, uint64_t *len)
{
	*len = size == SNP_PAGE_SIZE_2M ? UINT64_C(1) << 21 : 4096;
	return size <= SNP_PAGE_SIZE_2M && (gpa & (*len - 1)) == 0 &&
	       gpa < FAKE_RAM_SIZE && gpa + *len <= FAKE_RAM_SIZE;
}

enum snp_rc plat_pvalidate(gpa_t g, enum snp_page_size size, bool validate,
			   bool *cf)
{
	uint64_t len = 0;
	bool changed = false;

	fake_stats.pvalidate_calls++;
	*cf = false;
	if (next_pvalidate_rc >= 0) {
		int rc = next_pvalidate_rc;

		next_pvalidate_rc = -1;
		return rc;
	}
	if (!op_range_ok(g.v, size, &len)) {
		return SNP_RC_FAIL_INPUT;
	}
	if (!size_matches(g.v, size)) {
		return SNP_RC_FAIL_SIZEMISMATCH;
	}
	for (uint64_t p = g.v; p < g.v + len; p += 4096) {
		changed |= rmp[p >> 12].validated != validate;
		rmp[p >> 12].validated = validate;
	}
	*cf = !changed;
	return SNP_RC_SUCCESS;
}

enum snp_rc plat_rmpadjust(gpa_t g, enum snp_page_size size, uint32_t attrs)
{
	uint32_t target = attrs & RMPADJ_TARGET_VMPL_MASK;
	uint64_t len = 0;

	fake_stats.rmpadjust_calls++;
	if (next_rmpadjust_rc >= 0) {
		int rc = next_rmpadjust_rc;

		next_rmpadjust_rc = -1;
		return rc;
	}
	if (!op_range_ok(g.v, size, &len)) {
		return SNP_RC_FAIL_INPUT;
	}
	/* Only a more privileged VMPL (the SVSM at 0) adjusts a lower one. */
	if (target == 0 || target >= SNP_VMPL_COUNT) {
		return SNP_RC_FAIL_PERMISSION;
	}
	if (!size_matches(g.v, size)) {
		return SNP_RC_FAIL_SIZEMISMATCH;
	}
	/* Model assumption: an unvalidated page cannot be adjusted. */
	for (uint64_t p = g.v; p < g.v + len; p += 4096) {
		if (!rmp[p >> 12].validated) {
			return SNP_RC_FAIL_INPUT;
		}
	}
	for (uint64_t p = g.v; p < g.v + len; p += 4096) {
		rmp[p >> 12].perms[target] = (uint8_t)((attrs >> 8) & 0xf);
		rmp[p >> 12].vmsa = (attrs & RMPADJ_VMSA) != 0;
	}
	return SNP_RC_SUCCESS;
}

void *plat_map_guest(gpa_t g, uint64_t len)
{
	if (g.v >= FAKE_RAM_SIZE || len > FAKE_RAM_SIZE - g.v) {
		return NULL;
	}
	/* The core promises page-granular ranges within one 2M region. */
	if ((g.v & 0xfff) != 0 || (len & 0xfff) != 0 ||
	    (g.v >> 21) != ((g.v + len - 1) >> 21)) {
		abort();
	}
	fake_stats.maps++;
	return ram + g.v;
}

void plat_unmap_guest(void *va, uint64_t len)
{
	(void)va;
	(void)len;
	fake_stats.unmaps++;
}

/* GPA range of a host pointer into the arena, if it is one. */
static bool arena_range(const void *p, uint64_t n, uint64_t *gpa)
{
	const uint8_t *b = p;

	if (b < ram || b >= ram + FAKE_RAM_SIZE) {
		return false;
	}
	*gpa = (uint64_t)(b - ram);
	if (n > FAKE_RAM_SIZE - *gpa) {
		abort(); /* a mapping overrun: a bug in the core */
	}
	return true;
}

static bool hits(uint64_t gpa, uint64_t n, uint64_t target, uint64_t tlen)
{
	return gpa < target + tlen && target < gpa + n;
}

static bool guest_writable(uint64_t gpa)
{
	const struct fake_rmp *e = &rmp[gpa >> 12];

	for (int v = 1; v < SNP_VMPL_COUNT; v++) {
		if (!e->vmsa && (e->perms[v] & (RMPADJ_WRITE >> 8))) {
			return true;
		}
	}
	return false;
}

/* Zeroing is a copy from a zero page here: the same fault injection. */
bool plat_zero_guarded(void *dst, uint64_t n)
{
	static const uint8_t zero[4096];

	for (uint64_t off = 0; off < n; off += sizeof(zero)) {
		uint64_t k = n - off < sizeof(zero) ? n - off : sizeof(zero);

		if (!plat_copy_guarded((uint8_t *)dst + off, zero, k)) {
			return false;
		}
	}
	return true;
}

bool plat_copy_guarded(void *dst, const void *src, uint64_t n)
{
	uint64_t sg = 0;
	uint64_t dg = 0;
	bool from_guest = arena_range(src, n, &sg);
	bool to_guest = arena_range(dst, n, &dg);

	fake_stats.guarded_copies++;
	if ((from_guest && hits(sg, n, fault_page, 4096)) ||
	    (to_guest && hits(dg, n, fault_page, 4096))) {
		return false;
	}
	if (from_guest && hits(sg, n, watch_page, 4096)) {
		struct fake_rmp *e = &rmp[watch_page >> 12];

		fake_stats.watch_reads++;
		for (int v = 1; v < SNP_VMPL_COUNT; v++) {
			if (e->perms[v] & (RMPADJ_WRITE >> 8)) {
				fake_stats.watch_writable_reads++;
				break;
			}
		}
	}
	if (to_guest) {
		mark_dirty(dg, n);
	}
	memcpy(dst, src, n);
	/*
	 * The guest (another vCPU) changes the byte right after we read it,
	 * if it can: a page no guest VMPL may write (a VMSA, SVSM memory)
	 * does not change behind the SVSM's back.
	 */
	if (from_guest && mutate_gpa != UINT64_MAX &&
	    hits(sg, n, mutate_gpa, 1) && guest_writable(mutate_gpa)) {
		mark_dirty(mutate_gpa, 1);
		ram[mutate_gpa] = mutate_val;
		mutate_gpa = UINT64_MAX;
	}
	return true;
}

void plat_tlb_flush_all(void)
{
	fake_stats.tlb_flushes++;
}

bool plat_is_guest_ram(gpa_t g, uint64_t len)
{
	return g.v < FAKE_RAM_SIZE && len <= FAKE_RAM_SIZE - g.v;
}

bool plat_is_svsm_owned(gpa_t g, uint64_t len)
{
	return hits(g.v, len, FAKE_SVSM_BASE, FAKE_SVSM_SIZE);
}

/*
 * The hypervisor's side of RUN_VMPL: the test plays the guest before the
 * call, so "running the guest" is only the answer.
 */
bool plat_run_vmpl(uint8_t vmpl)
{
	fake_run_vmpl_count++;
	fake_run_vmpl_last = vmpl;
	return !fake_run_vmpl_refuse;
}

bool plat_vmsa_in_use(gpa_t vmsa)
{
	(void)vmsa;
	return vmsa_in_use;
}

uint64_t fake_lock_reports;

void plat_lock_stat_report(const struct lock_stat *s)
{
	(void)s;
	fake_lock_reports++;
}

uint64_t fake_served_vmsa = UINT64_MAX;

struct snp_vmsa *plat_serve_vmsa(gpa_t vmsa)
{
	fake_served_vmsa = gpa_val(vmsa);
	return (struct snp_vmsa *)(void *)fake_mem(gpa_val(vmsa));
}

__noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# panic: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	abort();
}
