// SPDX-License-Identifier: MIT
/*
 * The real SNP backend of include/svsm/platform.h, the last of the five
 * files a call passes through (docs/architecture.md §8).
 *
 * Guest memory is not mapped in the SVSM (once the guest runs,
 * paging_drop_guest_ram()); a guest page is reached through this CPU's
 * guest window: plat_map_guest() writes the page-table entries for the
 * access (private, RW, NX), plat_unmap_guest() clears them and invalidates
 * the TLB entries (INVLPG). Accesses through the window still use the
 * guarded copy: the guest or the host can make a page unvalidated at any
 * time (a #VC 0x404 there is fixed up in sev/vc.c). PVALIDATE and
 * RMPADJUST take a virtual address, so they go through the window too: a
 * 2 MiB page through a 2 MiB mapping.
 */
#include "sev/platform_snp.h"

#include "arch/cpu.h"
#include "arch/desc.h"
#include "arch/snp_insn.h"

#include "lib/console.h"
#include "lib/panic.h"
#include "lib/pt.h"
#include "lib/string.h"

#include "svsm/lock_stat.h"
#include "svsm/platform.h"

#include "svsm/abi/snp.h"
#include "svsm/abi/vmsa.h"

#include "mm/paging.h"
#include "percpu.h"
#include "sev/ghcb.h"
#include "smp.h"

/*
 * The guest windows: CPU i's is [GUEST_WINDOW_VA + i * 8M, +2M) one large
 * page and [+2M, +4M) 512 small ones; [+4M, +6M) holds the guest VMSA an
 * AP serves (plat_map_vmsa). In the top 512 GiB of the address space, far
 * from the identity-mapped SVSM. Each CPU only ever touches its own window
 * (the state is in its per-CPU block), so INVLPG on that CPU suffices.
 */
#define GUEST_WINDOW_VA UINT64_C(0xffffff8000000000)
#define WINDOW_STRIDE (UINT64_C(8) << 20)
#define WINDOW_PTE (PTE_P | PTE_W | PTE_NX)

static struct mem_range plat_svsm;
static struct mem_range plat_ram[PLAT_MAX_RAM_RANGES];
static size_t plat_ram_count;

void plat_snp_init(const struct mem_range *svsm, const struct mem_range *ram,
		   size_t count)
{
	plat_svsm = *svsm;
	plat_ram_count =
		count < PLAT_MAX_RAM_RANGES ? count : PLAT_MAX_RAM_RANGES;
	memcpy(plat_ram, ram, plat_ram_count * sizeof(ram[0]));
	plat_snp_init_cpu(this_cpu());
}

void plat_snp_init_cpu(struct percpu *pc)
{
	uint64_t va = GUEST_WINDOW_VA + pc->cpu_index * WINDOW_STRIDE;
	uint64_t *unused = NULL;

	pc->window_va = va;
	paging_window_init(va, &pc->window_pde, &pc->window_pt);
	paging_window_init(va + 2 * PAGE_SIZE_2M, &unused, &pc->vmsa_pt);
}

struct snp_vmsa *plat_map_vmsa(struct percpu *pc, uint64_t vmsa_gpa)
{
	uint64_t va = pc->window_va + 3 * PAGE_SIZE_2M;

	*pc->vmsa_pt = (vmsa_gpa & PAGE_MASK) | paging_cbit_mask() | WINDOW_PTE;
	invlpg(va);
	return (struct snp_vmsa *)(uintptr_t)va;
}

/*
 * Map [g, g + len) (page aligned, inside one 2 MiB region) into the
 * window. A whole aligned 2 MiB page gets a large mapping (what a 2 MiB
 * PVALIDATE or RMPADJUST names); anything else small pages.
 */
static void *window_map(uint64_t g, uint64_t len)
{
	const uint64_t c = paging_cbit_mask();
	struct percpu *pc = this_cpu();

	/* One user at a time: a nested map would be an SVSM bug. */
	CHECK(!pc->window_busy && pc->window_pt != NULL);
	pc->window_busy = true;
	if (len == PAGE_SIZE_2M && IS_ALIGNED(g, PAGE_SIZE_2M)) {
		*pc->window_pde = g | c | WINDOW_PTE | PTE_PS;
		return (void *)(uintptr_t)pc->window_va;
	}
	for (uint64_t i = 0; i < len / PAGE_SIZE; i++) {
		pc->window_pt[i] = (g + i * PAGE_SIZE) | c | WINDOW_PTE;
	}
	return (void *)(uintptr_t)(pc->window_va + PAGE_SIZE_2M);
}

static void window_unmap(void *va, uint64_t len)
{
	uint64_t v = (uint64_t)(uintptr_t)va;
	struct percpu *pc = this_cpu();

	if (v == pc->window_va) {
		*pc->window_pde = 0;
		invlpg(v);
	} else {
		for (uint64_t i = 0; i < len / PAGE_SIZE; i++) {
			pc->window_pt[i] = 0;
			invlpg(v + i * PAGE_SIZE);
		}
	}
	pc->window_busy = false;
}

bool plat_run_vmpl(uint8_t vmpl)
{
	/* The MSR form: it needs no GHCB page (docs/abi.md §1.4, §7.4). */
	return ghcb_run_vmpl(vmpl);
}

bool plat_is_guest_ram(gpa_t g, uint64_t len)
{
	return len != 0 && bp_is_ram(plat_ram, plat_ram_count, g, len) &&
	       !plat_is_svsm_owned(g, len);
}

bool plat_is_svsm_owned(gpa_t g, uint64_t len)
{
	uint64_t end = 0;

	if (!range_end(gpa_val(g), len, &end)) {
		return true; /* a wrapping range is never guest memory */
	}
	return range_overlaps(gpa_val(g), len, plat_svsm.base, plat_svsm.size);
}

/* Size in bytes of an SNP page size, 0 if invalid. */
static uint64_t snp_bytes(enum snp_page_size size)
{
	return size == SNP_PAGE_SIZE_4K   ? PAGE_SIZE
	       : size == SNP_PAGE_SIZE_2M ? PAGE_SIZE_2M
					  : 0;
}

static bool guest_page_ok(gpa_t g, enum snp_page_size size)
{
	uint64_t bytes = snp_bytes(size);

	return bytes != 0 && IS_ALIGNED(gpa_val(g), bytes) &&
	       bp_is_ram(plat_ram, plat_ram_count, g, bytes);
}

enum snp_rc plat_pvalidate(gpa_t g, enum snp_page_size size, bool validate,
			   bool *cf)
{
	struct snp_pval_result r;

	void *va = NULL;

	*cf = false;
	if (!guest_page_ok(g, size)) {
		return SNP_RC_FAIL_INPUT;
	}
	va = window_map(gpa_val(g), snp_bytes(size));
	r = snp_pvalidate((uint64_t)(uintptr_t)va, size, validate);
	window_unmap(va, snp_bytes(size));
	*cf = r.unchanged;
	return (int)r.rc;
}

enum snp_rc plat_rmpadjust(gpa_t g, enum snp_page_size size, uint32_t attrs)
{
	void *va = NULL;
	uint32_t rc = 0;

	if (!guest_page_ok(g, size)) {
		return SNP_RC_FAIL_INPUT;
	}
	va = window_map(gpa_val(g), snp_bytes(size));
	rc = snp_rmpadjust((uint64_t)(uintptr_t)va, size, attrs);
	window_unmap(va, snp_bytes(size));
	return (int)rc;
}

void *plat_map_guest(gpa_t g, uint64_t len)
{
	if (!plat_is_guest_ram(g, len) || !IS_ALIGNED(gpa_val(g), PAGE_SIZE) ||
	    !IS_ALIGNED(len, PAGE_SIZE) || len > PAGE_SIZE_2M ||
	    (gpa_val(g) & ~(PAGE_SIZE_2M - 1)) !=
		    ((gpa_val(g) + len - 1) & ~(PAGE_SIZE_2M - 1))) {
		return NULL;
	}
	return window_map(gpa_val(g), len);
}

void plat_unmap_guest(void *va, uint64_t len)
{
	window_unmap(va, len);
}

bool plat_copy_guarded(void *dst, const void *src, uint64_t n)
{
	return arch_copy_guarded(dst, src, n);
}

bool plat_zero_guarded(void *dst, uint64_t n)
{
	return arch_zero_guarded(dst, n);
}

/* Boot data sits on the boot identity map (virtual = physical), which
 * main.c checks covers it before it asks. */
bool plat_boot_read(void *dst, gpa_t src, uint64_t n)
{
	uint64_t end = 0;

	if (!range_end(gpa_val(src), n, &end)) {
		return false;
	}
	return arch_copy_guarded(dst, (const void *)(uintptr_t)gpa_val(src), n);
}

bool plat_boot_zero(gpa_t dst, uint64_t n)
{
	static const uint8_t zero[256];
	uint64_t end = 0;

	if (!range_end(gpa_val(dst), n, &end)) {
		return false;
	}
	for (uint64_t off = 0; off < n; off += sizeof(zero)) {
		uint64_t k = n - off < sizeof(zero) ? n - off : sizeof(zero);

		if (!arch_copy_guarded((void *)(uintptr_t)(gpa_val(dst) + off),
				       zero, k)) {
			return false;
		}
	}
	return true;
}

void plat_tlb_flush_all(void)
{
	/*
	 * After revoking guest access (RMPADJUST) the permission results
	 * cached in every CPU's TLB must go, global entries included: a
	 * local CR3 reload is not enough even with one CPU (docs/abi.md
	 * §7.2; snpemu holds revoked permissions until this flush, S2).
	 */
	x86_flush_tlb_global_sync();
}

void plat_lock_stat_report(const struct lock_stat *s)
{
	con_printf(
		"lock-stat: %s %llu holds, mean %llu, max %llu TSC "
		"cycles\n",
		s->name, (unsigned long long)s->count,
		(unsigned long long)(s->total / s->count),
		(unsigned long long)s->max);
}

struct snp_vmsa *plat_serve_vmsa(gpa_t vmsa)
{
	struct percpu *pc = this_cpu();

	__atomic_store_n(&pc->guest_vmsa_gpa, gpa_val(vmsa), __ATOMIC_RELEASE);
	pc->guest_vmsa = plat_map_vmsa(pc, gpa_val(vmsa));
	return pc->guest_vmsa;
}

bool plat_vmsa_in_use(gpa_t vmsa)
{
	/* A VMSA some CPU serves is, by definition, in use (the caller holds
	 * the core lock, under which an AP takes up its VMSA: src/smp.c). */
	return smp_vmsa_served(gpa_val(vmsa));
}
