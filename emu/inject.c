// SPDX-License-Identifier: MIT
/*
 * inject.h. What hardware does with an injected event is vc.c's job
 * (vc_deliver builds the frame in software, see there); this file decides
 * what the hostile host injects and when, and enforces Restricted
 * Injection the way the CPU does: for a VMSA with SEV_FEATURES bit 3 the
 * host can inject only #HV (APM vol. 2 §15.36.16; KVM's series "KVM: SVM:
 * Enable restricted injection for an SEV-SNP guest", Melody Wang, v2,
 * Sep 2024, sets it from the VMM and advertises GHCB HV feature bit 2).
 */
#include "inject.h"

#include "lib/console.h"
#include "lib/string.h"

#include "svsm/abi/ghcb.h"
#include "svsm/abi/snp.h"

#include "machine.h"

#define VEC_HV 28
#define VEC_VC 29
#define INJECT_IRQ_VECTOR 0x30

bool emu_host_ri;
uint64_t emu_cpuid_page_gpa;

enum kind { K_NONE, K_VC_CPUID, K_VC_NESTED, K_VC_MID, K_IRQ, K_HV };

static enum kind kind;
static uint64_t target, seen;
static bool done;
static uint64_t mid_gfn = UINT64_MAX; /* vc-mid: the page unmapped */
static uint64_t delivered, blocked;

bool inject_config(const char *arg)
{
	static const struct {
		const char *name;
		enum kind k;
	} kinds[] = {{"vc-cpuid", K_VC_CPUID},
		     {"vc-nested", K_VC_NESTED},
		     {"vc-mid", K_VC_MID},
		     {"irq", K_IRQ},
		     {"hv", K_HV}};
	const char *at = strchr(arg, '@');

	if (at == NULL || at[1] == '\0') {
		return false;
	}
	target = 0;
	for (const char *p = at + 1; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || target > 100000000) {
			return false;
		}
		target = target * 10 + (uint64_t)(*p - '0');
	}
	for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strlen(kinds[i].name) == (size_t)(at - arg) &&
		    strncmp(arg, kinds[i].name, (size_t)(at - arg)) == 0) {
			kind = kinds[i].k;
			con_printf("snpemu: hostile host: inject %s at %llu\n",
				   kinds[i].name, (unsigned long long)target);
			return target != 0;
		}
	}
	return false;
}

bool inject_host_event(struct machine *m, unsigned vector, bool has_err,
		       uint64_t err)
{
	const struct vmpl_ctx *c = emu_cur(m);

	if ((c->sev_features & SEV_FEAT_RESTRICTED_INJ) && vector != VEC_HV) {
		blocked++;
		con_printf(
			"snpemu: host injection of vector %u into VMPL%u "
			"refused: restricted injection\n",
			vector, m->cpu->cur);
		return false;
	}
	delivered++;
	vc_deliver(m, vector, has_err, err);
	return true;
}

/* The SVSM has its IDT and GHCB from the registration on. */
static bool armed(const struct machine *m)
{
	return !done && kind != K_NONE && m->cpu->cur == 0 &&
	       m->cpu->ctx[0].ghcb_gfn != UINT64_MAX;
}

static bool fire(void)
{
	if (++seen < target) {
		return false;
	}
	done = true;
	return true;
}

void inject_vmpl0_entry(struct machine *m)
{
	if (!armed(m) ||
	    (kind != K_VC_CPUID && kind != K_IRQ && kind != K_HV) || !fire()) {
		return;
	}
	con_printf("snpemu: injecting %s into VMPL0 at RIP 0x%llx\n",
		   kind == K_VC_CPUID ? "#VC(CPUID)"
		   : kind == K_IRQ    ? "interrupt 0x30"
				      : "#HV",
		   (unsigned long long)emu_save(m)->rip);
	if (kind == K_VC_CPUID) {
		(void)inject_host_event(m, VEC_VC, true, SVM_EXIT_CPUID);
	} else if (kind == K_IRQ) {
		(void)inject_host_event(m, INJECT_IRQ_VECTOR, false, 0);
	} else {
		(void)inject_host_event(m, VEC_HV, false, 0);
	}
}

void inject_after_vc(struct machine *m, uint64_t exit_code)
{
	if (!armed(m) || exit_code != SVM_EXIT_CPUID ||
	    (kind != K_VC_NESTED && kind != K_VC_MID) || !fire()) {
		return;
	}
	if (kind == K_VC_NESTED) {
		con_printf(
			"snpemu: injecting a nested #VC(CPUID) at the "
			"handler's entry 0x%llx\n",
			(unsigned long long)emu_save(m)->rip);
		(void)inject_host_event(m, VEC_VC, true, SVM_EXIT_CPUID);
		return;
	}
	/* The handler reads the CPUID page: take it from VMPL0's nested
	 * tables (the host owns them) so that read exits. */
	mid_gfn = (emu_cpuid_page_gpa & ~EMU_CBIT) >> PAGE_SHIFT;
	m->npt[0].private_pte[mid_gfn] = 0;
	m->tlb_flush = true;
}

bool inject_npf(struct machine *m, uint64_t gpa)
{
	if (mid_gfn == UINT64_MAX || m->cpu->cur != 0 ||
	    ((gpa & ~EMU_CBIT) >> PAGE_SHIFT) != mid_gfn) {
		return false;
	}
	npt_update(m, mid_gfn, 1);
	m->tlb_flush = true;
	mid_gfn = UINT64_MAX;
	con_printf(
		"snpemu: #NPF inside VMPL0's #VC handler at RIP 0x%llx: "
		"injecting #VC(CPUID)\n",
		(unsigned long long)emu_save(m)->rip);
	(void)inject_host_event(m, VEC_VC, true, SVM_EXIT_CPUID);
	return true;
}

void inject_report(void)
{
	if (delivered + blocked != 0) {
		con_printf(
			"snpemu: host injections into the guest: %llu "
			"delivered, %llu refused (restricted injection)\n",
			(unsigned long long)delivered,
			(unsigned long long)blocked);
	}
}
