// SPDX-License-Identifier: MIT
/*
 * SVSM boot at VMPL0 (docs/architecture.md §3; docs/abi.md §1.4, §2, §7, §8).
 * Entered from src/entry.S in long mode on the boot identity map, FS = the
 * BSP's per-CPU block, with the GPA of the measured boot-parameter page
 * (include/svsm/abi/boot_params.h; the IGVM VMSA passes it in RSI).
 *
 * Order matters: descriptors and the #VC handler come first (CPUID raises
 * #VC), then the hypervisor check, the page pool (which must be PVALIDATEd
 * before use), the final page tables, the shared GHCB page, and only then
 * the console, which is port I/O through the GHCB. Before the console
 * exists, failures end the VM with a GHCB termination request whose code
 * says where it stopped (sev/ghcb.h).
 */
#include "arch/cpu.h"
#include "arch/desc.h"
#include "arch/fpu.h"
#include "arch/snp_insn.h"

#include "lib/console.h"
#include "lib/panic.h"
#include "lib/serial.h"
#include "lib/string.h"

#include "svsm/platform.h"

#include "svsm/abi/secrets.h"
#include "svsm/abi/snp.h"

#include "boot/params.h"
#include "launch.h"
#include "mm/mem.h"
#include "mm/paging.h"
#include "percpu.h"
#include "request_loop.h"
#include "sev/cpuid_page.h"
#include "sev/ghcb.h"
#include "sev/guest_request.h"
#include "sev/platform_snp.h"
#include "sev/vc.h"
#include "smp.h"
#include "vtpm_service.h"

#define SVSM_VERSION "0.1.0"
#define MEMMAP_MAX 64
#define NO_SSP __attribute__((no_stack_protector))

void svsm_main(uint64_t boot_params_gpa);

/*
 * Copied once with the guarded copy (plat_boot_read) from the pages the
 * host and the PSP wrote; only the copies are checked and used.
 */
static struct svsm_boot_params boot_params;
static struct snp_cpuid_page cpuid_page;
/* The SVSM's only copy of the VMPCKs: the PSP's page is zeroed once read. */
static struct snp_secrets_page svsm_secrets;
static struct svsm_igvm_memmap_entry memmap_copy[MEMMAP_MAX];
static struct mem_range ram[MEMMAP_MAX];
static size_t ram_count;
static struct serial svsm_com1;

static void svsm_con_write(void *ctx, const char *buf, uint32_t len)
{
	serial_write(ctx, buf, len);
}

/* The boot identity map covers 4 GiB; what we read before paging_init()
 * must lie below that. */
static bool below_4g(uint64_t base, uint64_t size)
{
	return range_ok(base, size) && base + size <= (UINT64_C(1) << 32);
}

static void read_memory_map(const struct svsm_boot_params *bp)
{
	size_t n = bp->memmap_size / sizeof(memmap_copy[0]);
	enum bp_status st = BP_OK;

	if (!below_4g(bp->memmap_gpa, bp->memmap_size)) {
		ghcb_terminate(SVSM_TERM_SET, SVSM_TERM_BOOT_PARAMS + 1);
	}
	if (n > MEMMAP_MAX) {
		n = MEMMAP_MAX;
	}
	/*
	 * Copy once, guarded: the host owns this (unmeasured) area and may
	 * have left it unmapped or unvalidated.
	 */
	if (!plat_boot_read(memmap_copy, gpa(bp->memmap_gpa),
			    n * sizeof(memmap_copy[0]))) {
		ghcb_terminate(SVSM_TERM_SET, SVSM_TERM_BOOT_PARAMS + 2);
	}
	st = bp_parse_memmap(memmap_copy, n, ram, MEMMAP_MAX, &ram_count);
	if (st == BP_OK) {
		st = bp_check_guest_pages(bp, ram, ram_count);
	}
	if (st != BP_OK) {
		ghcb_terminate(SVSM_TERM_SET, SVSM_TERM_BOOT_PARAMS + 2);
	}
}

/* This CPU's GHCB: a shared pool page (mem_alloc_shared), registered. */
void svsm_ghcb_setup(void)
{
	void *page = mem_alloc_shared(1);

	if (page == NULL) {
		ghcb_terminate(SVSM_TERM_SET, SVSM_TERM_GHCB + 8);
	}
	ghcb_register(page, mem_pa(page));
}

static uint32_t read_vp_count(const struct svsm_boot_params *bp)
{
	uint32_t n = 0;

	/* Host-written (a parameter area): a guarded copy, read once. */
	if (!plat_boot_read(&n, gpa(bp->general_gpa + bp->vp_count_offset),
			    sizeof(n))) {
		return 0;
	}
	return n;
}

NO_SSP void svsm_main(uint64_t boot_params_gpa)
{
	struct percpu *pc = &svsm_bsp_percpu;
	const struct svsm_boot_params *bp = &boot_params;
	struct mem_range svsm_region;
	struct mem_range extra[2];
	struct svsm_vcpu *vcpu = NULL;
	uint32_t vp_count = 0;

	percpu_set_fs(pc);
	percpu_desc_init(pc);
	if (!below_4g(boot_params_gpa, sizeof(boot_params)) ||
	    !plat_boot_read(&boot_params, gpa(boot_params_gpa),
			    sizeof(boot_params)) ||
	    bp_check(bp) != BP_OK || !below_4g(bp->pool_base, bp->pool_size) ||
	    !below_4g(bp->general_gpa, PAGE_SIZE)) {
		ghcb_terminate(SVSM_TERM_SET, SVSM_TERM_BOOT_PARAMS);
	}
	/* bp_check() placed both pages inside the SVSM region. */
	if (!below_4g(bp->cpuid_gpa, sizeof(cpuid_page)) ||
	    !plat_boot_read(&cpuid_page, gpa(bp->cpuid_gpa),
			    sizeof(cpuid_page)) ||
	    !snp_cpuid_page_valid(&cpuid_page)) {
		ghcb_terminate(SVSM_TERM_SET, SVSM_TERM_CPUID_PAGE);
	}
	/*
	 * The #VC handler reads the PSP's page in place: SVSM-private memory
	 * the PSP wrote at launch, which the host can unmap but not change
	 * (snpemu's inject=vc-mid unmaps it to provoke a #VC inside the
	 * handler, tests/emu/test_inject.py); the copy above was checked.
	 */
	vc_init((const struct snp_cpuid_page *)(uintptr_t)bp->cpuid_gpa);
	if (!below_4g(bp->secrets_gpa, sizeof(svsm_secrets)) ||
	    !plat_boot_read(&svsm_secrets, gpa(bp->secrets_gpa),
			    sizeof(svsm_secrets)) ||
	    !plat_boot_zero(gpa(bp->secrets_gpa), sizeof(svsm_secrets))) {
		ghcb_terminate(SVSM_TERM_SET, SVSM_TERM_BOOT_PARAMS + 3);
	}
	panic_set_exit(ghcb_panic_exit);
	ghcb_check_hypervisor();

	mem_init(bp->pool_base, bp->pool_size);
	read_memory_map(bp);
	svsm_region.base = bp->svsm_base;
	svsm_region.size = bp->svsm_size;
	extra[0].base = bp->memmap_gpa;
	extra[0].size = bp->memmap_size;
	extra[1].base = bp->general_gpa;
	extra[1].size = PAGE_SIZE;
	paging_init(&svsm_region, ram, ram_count, extra, ARRAY_SIZE(extra));
	svsm_ghcb_setup();

	serial_init(&svsm_com1, SERIAL_COM1, &ghcb_serial_io, 115200, false);
	con_set_sink(svsm_con_write, &svsm_com1);
	con_printf("C SVSM %s (VMPL0), C-bit %u, SVSM [%llx, +%llx)\n",
		   SVSM_VERSION, __builtin_ctzll(paging_cbit_mask()),
		   (unsigned long long)bp->svsm_base,
		   (unsigned long long)bp->svsm_size);

	con_printf("W^X: %llu mappings checked, none writable and executable\n",
		   (unsigned long long)paging_wx_leaves);
	/* SEV_STATUS comes from hardware, never through the host
	 * (docs/threat-model.md, "Injected events", says what each means). */
	con_printf("restricted injection: %s\n",
		   (rdmsr(MSR_SEV_STATUS) & SEV_STATUS_RESTRICTED_INJ)
			   ? "on (the host can inject only #HV)"
			   : "off (not in this image's VMSA; every #VC is "
			     "checked instead)");
	(void)arch_fpu_enable();
	percpu_init_canary(pc);
	vp_count = read_vp_count(bp);
	con_printf("memory: %zu RAM ranges, pool %llu pages free, %u vCPUs\n",
		   ram_count, (unsigned long long)mem_free_page_count(),
		   vp_count);
	plat_snp_init(&svsm_region, ram, ram_count);
	if (vp_count > 1) {
		con_printf("smp: %u APs started\n", smp_start_aps(vp_count));
	}
	svsm_vtpm_start();
	if (!greq_init(&svsm_secrets)) {
		con_printf(
			"attest: no guest-request channel: attestation "
			"answers INVALID_REQUEST\n");
	}
	vcpu = launch_guest(bp, &cpuid_page, &svsm_secrets, ram, ram_count);
	/*
	 * From here on the SVSM keeps no guest memory mapped: guest_mem and
	 * the platform map a page for each access (src/sev/platform_snp.c).
	 */
	smp_register_aps(vcpu->guest_vmpl, vcpu->sev_features);
	paging_drop_guest_ram();
	con_printf("guest memory unmapped (page 0 %s, guest RAM %s)\n",
		   paging_guest_ram_mapped(0) ? "MAPPED" : "unmapped",
		   paging_guest_ram_mapped(bp->guest_caa_gpa) ? "MAPPED"
							      : "unmapped");
	request_loop(vcpu);
}
