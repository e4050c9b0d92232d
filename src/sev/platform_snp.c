// SPDX-License-Identifier: MIT
/*
 * The real SNP backend of include/svsm/platform.h. The SVSM identity-maps
 * guest RAM (private, NX; mm/paging.c), so "mapping" a guest page is a
 * range check; every access still goes through the guarded copy because
 * the guest or the host can make a page unvalidated at any time (a #VC
 * 0x404 there is fixed up in sev/vc.c).
 */
#include "sev/platform_snp.h"

#include "arch/desc.h"
#include "arch/snp_insn.h"

#include "lib/string.h"

#include "svsm/platform.h"

#include "svsm/abi/snp.h"
#include "svsm/abi/vmsa.h"

#include "percpu.h"
#include "sev/ghcb.h"

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
}

bool plat_run_vmpl(uint8_t vmpl)
{
	/* The MSR form: it needs no GHCB page (docs/abi.md §1.4, §7.4). */
	return ghcb_run_vmpl(vmpl);
}

bool plat_is_guest_ram(gpa_t g, uint64_t len)
{
	return len != 0 &&
	       bp_is_ram(plat_ram, plat_ram_count, gpa_val(g), len) &&
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
static uint64_t snp_bytes(uint32_t size)
{
	return size == SNP_PAGE_SIZE_4K   ? PAGE_SIZE
	       : size == SNP_PAGE_SIZE_2M ? PAGE_SIZE_2M
					  : 0;
}

static bool guest_page_ok(gpa_t g, uint32_t size)
{
	uint64_t bytes = snp_bytes(size);

	return bytes != 0 && IS_ALIGNED(gpa_val(g), bytes) &&
	       bp_is_ram(plat_ram, plat_ram_count, gpa_val(g), bytes);
}

int plat_pvalidate(gpa_t g, uint32_t size, bool validate, bool *cf)
{
	struct snp_pval_result r;

	*cf = false;
	/* VA = GPA: only pages we mapped may be handed to the instruction. */
	if (!guest_page_ok(g, size)) {
		return SNP_RC_FAIL_INPUT;
	}
	r = snp_pvalidate(gpa_val(g), size, validate);
	*cf = r.unchanged;
	return (int)r.rc;
}

int plat_rmpadjust(gpa_t g, uint32_t size, uint32_t attrs)
{
	if (!guest_page_ok(g, size)) {
		return SNP_RC_FAIL_INPUT;
	}
	return (int)snp_rmpadjust(gpa_val(g), size, attrs);
}

void *plat_map_guest(gpa_t g, uint64_t len)
{
	if (!plat_is_guest_ram(g, len)) {
		return NULL;
	}
	return (void *)(uintptr_t)gpa_val(g);
}

void plat_unmap_guest(void *va, uint64_t len)
{
	(void)va;
	(void)len;
}

bool plat_copy_guarded(void *dst, const void *src, uint64_t n)
{
	return arch_copy_guarded(dst, src, n);
}

void plat_tlb_flush_all(void)
{
	/*
	 * One CPU for now: a local flush. With APs this must become a
	 * broadcast (INVLPGB + TLBSYNC, docs/abi.md §7.2) - not done yet.
	 */
	x86_flush_tlb_local();
}

bool plat_vmsa_stop(gpa_t vmsa)
{
	struct snp_vmsa *v = NULL;

	if (!guest_page_ok(vmsa, SNP_PAGE_SIZE_4K)) {
		return false;
	}
	/* The VMSA of the vCPU we are serving is, by definition, in use. */
	if (gpa_val(vmsa) == this_cpu()->guest_vmsa_gpa) {
		return false;
	}
	v = (struct snp_vmsa *)(uintptr_t)gpa_val(vmsa);
	__atomic_fetch_and(&v->efer, ~VMSA_EFER_SVME, __ATOMIC_SEQ_CST);
	return true;
}
