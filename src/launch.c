// SPDX-License-Identifier: MIT
/*
 * Guest launch (docs/abi.md §2.4: with KVM, launch pages grant VMPL0 only, so
 * the SVSM must RMPADJUST everything the guest uses at hand-over; §8.2 for
 * the register state; [C] platform/snp_fw.rs does the same).
 *
 * Boot argument of the PROT32 payload: RSI = GPA of the guest's secrets
 * page, RDI = GPA of the guest's CPUID page (the test guest reads the C-bit
 * position from it before it has a #VC handler, like the SVSM itself).
 */
#include "launch.h"

#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/panic.h"
#include "lib/string.h"

#include "svsm/guest_mem.h"
#include "svsm/platform.h"

#include "svsm/abi/ghcb.h"

#include "linux_boot.h"
#include "mm/mem.h"
#include "percpu.h"
#include "sev/ghcb.h"
#include "sev/secrets.h"
#include "sev/vmsa_init.h"

/* The guest's copy of the secrets page, built here, then written out. */
static struct snp_secrets_page guest_secrets;

/*
 * Make one guest page private (page-state change: RAM the IGVM file did not
 * load starts shared, docs/abi.md §12.4 ENVIRONMENT_INFO), PVALIDATE it
 * (accepting "already valid") and zero it. Guest pages are reached through
 * guest_mem and the platform only, as in the request path.
 */
static void guest_page_prepare(gpa_t g)
{
	bool cf = false;

	if (!ghcb_msr_psc(gpa_val(g), false)) {
		panic("page-state change to private of guest page %llx failed",
		      (unsigned long long)gpa_val(g));
	}
	if (plat_pvalidate(g, SNP_PAGE_SIZE_4K, true, &cf) != SNP_RC_SUCCESS ||
	    guest_mem_zero(g, PAGE_SIZE) != SVSM_OK) {
		panic("cannot validate and zero guest page %llx",
		      (unsigned long long)gpa_val(g));
	}
}

static void guest_page_write(gpa_t g, const void *src, size_t n)
{
	if (guest_mem_write(g, src, n) != SVSM_OK) {
		panic("cannot write guest page %llx",
		      (unsigned long long)gpa_val(g));
	}
}

static void guest_grant(gpa_t base, uint64_t size, const char *what)
{
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		if (guest_mem_grant(gpa_add(base, off), SNP_PAGE_SIZE_4K,
				    SVSM_GUEST_VMPL) != SNP_RC_SUCCESS) {
			panic("RMPADJUST VMPL2 RWX on %s at %llx failed", what,
			      (unsigned long long)(gpa_val(base) + off));
		}
	}
}

struct svsm_vcpu *launch_guest(const struct svsm_boot_params *bp,
			       const struct snp_cpuid_page *cpuid,
			       const struct snp_secrets_page *secrets,
			       const struct mem_range *ram, size_t ram_count)
{
	struct snp_guest_secrets_cfg scfg = {
		.svsm_base = bp->svsm_base,
		.svsm_size = bp->svsm_size,
		.caa_gpa = bp->guest_caa_gpa,
		.guest_vmpl = SVSM_GUEST_VMPL,
	};
	struct guest_vmsa_cfg vcfg = {
		.mode = bp->payload_mode,
		.entry = bp->payload_entry,
		.sev_features = snp_guest_sev_features(rdmsr(MSR_SEV_STATUS)),
		.rsi = bp->guest_secrets_gpa,
		.rdi = bp->guest_cpuid_gpa,
	};
	const gpa_t g_secrets = gpa(bp->guest_secrets_gpa);
	const gpa_t g_cpuid = gpa(bp->guest_cpuid_gpa);
	const gpa_t g_caa = gpa(bp->guest_caa_gpa);
	struct snp_vmsa *vmsa = NULL;
	struct svsm_vcpu *vcpu = NULL;
	uint64_t vmsa_pa = 0;
	uint32_t rc = 0;

	guest_page_prepare(g_secrets);
	snp_secrets_build_guest(&guest_secrets, secrets, &scfg);
	guest_page_write(g_secrets, &guest_secrets, sizeof(guest_secrets));
	/* VMPCK0/1 must not stay in SVSM memory longer than needed. */
	memset(&guest_secrets, 0, sizeof(guest_secrets));
	guest_page_prepare(g_cpuid);
	guest_page_write(g_cpuid, cpuid, PAGE_SIZE);
	guest_page_prepare(g_caa);
	guest_grant(g_secrets, PAGE_SIZE, "secrets");
	guest_grant(g_cpuid, PAGE_SIZE, "CPUID page");
	guest_grant(g_caa, PAGE_SIZE, "calling area");
	if (bp->payload_mode == SVSM_PAYLOAD_LINUX64) {
		linux_boot_prepare(bp, ram, ram_count);
	} else {
		guest_grant(gpa(bp->payload_base), bp->payload_size, "payload");
	}

	vmsa = mem_alloc_vmsa();
	if (vmsa == NULL) {
		panic("no page for the guest VMSA");
	}
	vmsa_pa = mem_pa(vmsa);
	if (bp->payload_mode == SVSM_PAYLOAD_LINUX64
		    ? !linux_boot_vmsa(vmsa, bp, &vcfg)
		    : !snp_vmsa_init_guest(vmsa, &vcfg)) {
		panic("bad payload mode %u", bp->payload_mode);
	}
	/* The page stays SVSM memory; the guest cannot read or write it. */
	rc = mem_make_vmsa(vmsa);
	if (rc != SNP_RC_SUCCESS) {
		panic("RMPADJUST VMSA %llx: rc %u", (unsigned long long)vmsa_pa,
		      rc);
	}

	vcpu_reset();
	vcpu = vcpu_add(0, SVSM_GUEST_VMPL, vcfg.sev_features);
	if (vcpu == NULL) {
		panic("vcpu_add(0) failed");
	}
	vcpu->caa = g_caa;
	/*
	 * Current, but deliberately not in the VMSA registry: the page is
	 * SVSM memory, so DELETE_VCPU must never find it (it would hand the
	 * guest RWX on an SVSM page), and the request loop serves it for as
	 * long as the hypervisor runs it (src/request_loop.c).
	 */
	vcpu->guest_vmsa = gpa(vmsa_pa);

	/* [C]: the BSP's guest VMSA is registered as "create on INIT". */
	if (!ghcb_ap_create(0, SVSM_GUEST_VMPL, SVM_VMGEXIT_AP_CREATE_ON_INIT,
			    vmsa_pa, vcfg.sev_features)) {
		panic("hypervisor refused the VMPL2 VMSA (AP_CREATION)");
	}
	this_cpu()->guest_vmsa = vmsa;
	this_cpu()->guest_vmsa_gpa = vmsa_pa;
	this_cpu()->guest_caa_gpa = bp->guest_caa_gpa;
	con_printf("guest: %s entry %llx, VMSA %llx, CAA %llx, features %llx\n",
		   bp->payload_mode == SVSM_PAYLOAD_RESET     ? "reset"
		   : bp->payload_mode == SVSM_PAYLOAD_LINUX64 ? "linux64"
							      : "prot32",
		   (unsigned long long)bp->payload_entry,
		   (unsigned long long)vmsa_pa,
		   (unsigned long long)bp->guest_caa_gpa,
		   (unsigned long long)vcfg.sev_features);
	return vcpu;
}
