// SPDX-License-Identifier: MIT
/*
 * The hypervisor side of the GHCB protocol, version 2 (GHCB spec 56421;
 * docs/abi.md §1.4, §7.4): the MSR protocol and the NAE events of a GHCB page.
 *
 * The GHCB is a shared page the guest fills while snpemu reads it, so
 * every input is copied out once and checked; results go back through the
 * valid bitmap. Port I/O and MMIO are performed on QEMU's devices, but only
 * on an allow-list: COM1 (VMPL0's console, shared with snpemu), COM2 (by
 * convention the lower VMPLs' console), the HPET window, the BARs of the
 * PCI functions snpemu shows (pci.c). Other
 * ports read as all-ones and ignore writes (nothing decodes them); in
 * particular isa-debug-exit at 0xf4 is unreachable, so a guest cannot fake
 * snpemu's verdict.
 */
#include "svsm/abi/ghcb.h"

#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/string.h"

#include "svsm/abi/ghcb_nae.h"
#include "svsm/abi/snp_certs.h"

#include "emu.h"
#include "ghcb_msr.h"
#include "hostile.h"
#include "inject.h"
#include "iommu.h"
#include "ioport.h"
#include "machine.h"
#include "mtrr.h"
#include "payload.h"
#include "pci.h"
#include "psp.h"
#include "psp_certs.h"
#include "psp_faults.h"

#define EMU_HV_FEATURES                                \
	(GHCB_HV_FT_SNP | GHCB_HV_FT_SNP_AP_CREATION | \
	 GHCB_HV_FT_SNP_MULTI_VMPL)
#define MSR_PAT 0x277u
#define MSR_TSC 0x10u
#define MSR_K8_SYSCFG 0xc0010010u
#define MSR_MCG_STATUS 0x17au

/* ri=1: the host has the restricted-injection series (inject.h). */
static uint64_t hv_features(void)
{
	return EMU_HV_FEATURES | (emu_host_ri ? GHCB_HV_FT_SNP_RINJ : 0);
}

uint64_t emu_sev_status(const struct vmpl_ctx *c)
{
	/* SEV, SEV-ES, then SEV_FEATURES bit n at n + 2 (docs/abi.md §8.3). */
	return SEV_STATUS_SEV | SEV_STATUS_SEV_ES | (c->sev_features << 2);
}

void emu_cpuid(const struct vmpl_ctx *c, uint32_t apic_id, uint32_t fn,
	       uint32_t sub, uint32_t out[4])
{
	struct cpuid_regs r = cpuid_count(fn, sub);

	switch (fn) {
	case 1:
		/* Hypervisor present; OSXSAVE mirrors the guest's CR4 (none
		 * for the static CPUID page: guests fix that bit up). */
		r.ecx |= 1u << 31;
		r.ecx &= ~((1u << 27) | (1u << 3)); /* OSXSAVE, MONITOR */
		if (c->vmcb != NULL &&
		    (vmcb_save(c->vmcb)->cr4 & (UINT64_C(1) << 18))) {
			r.ecx |= 1u << 27;
		}
		/* The local APIC snpemu models (apic.c): present, x2APIC,
		 * TSC-deadline timer; the asking vCPU's initial APIC ID. */
		r.edx |= 1u << 9;
		r.ecx |= (1u << 21) | (1u << 24);
		r.ebx = (r.ebx & 0x00ffffffu) | (apic_id << 24);
		break;
	case 0xb:
	case 0x1f:
		/* x2APIC ID of the asking vCPU, whichever L1 CPU runs it: an
		 * SNP guest takes it from the hypervisor, not the CPUID page
		 * (Linux: arch/x86/boot/startup/sev-shared.c,
		 * snp_cpuid_postprocess; QEMU: target/i386/cpu.c,
		 * cpu_x86_cpuid, per vCPU). */
		r.edx = apic_id;
		break;
	case 0x8000001e:
		/* Extended APIC ID; one thread per core: core ID = APIC ID. */
		r.eax = apic_id;
		r.ebx = (r.ebx & ~0xffu) | (apic_id & 0xffu);
		break;
	case 6:
		/* ARAT: the emulated APIC timer never stops. */
		r.eax |= 1u << 2;
		break;
	case 7:
		/* OSPKE mirrors the guest's CR4.PKE. */
		if (sub == 0) {
			r.ecx &= ~(1u << 4);
			if (c->vmcb != NULL &&
			    (vmcb_save(c->vmcb)->cr4 & (UINT64_C(1) << 22))) {
				r.ecx |= 1u << 4;
			}
		}
		break;
	case 0x80000000:
		r.eax = MAX(r.eax, 0x8000001fu);
		break;
	case 0x80000001:
		r.ecx &= ~(1u << 2); /* no SVM inside an SNP guest */
		break;
	case 0x8000000a:
		r = (struct cpuid_regs){0};
		break;
	case 0x8000001f:
		/* SEV (1), SEV-ES (3), SNP (4), VMPL (5); C-bit position,
		 * no physical-address reduction, 4 VMPLs (APM vol. 3 E.4.17).
		 */
		r.eax = (1u << 1) | (1u << 3) | CPUID_8000001F_EAX_SNP |
			CPUID_8000001F_EAX_VMPL;
		r.ebx = EMU_CBIT_POS | (SNP_VMPL_COUNT << 12);
		r.ecx = 0;
		r.edx = 0;
		break;
	default:
		break;
	}
	out[0] = r.eax;
	out[1] = r.ebx;
	out[2] = r.ecx;
	out[3] = r.edx;
}

static __noreturn void terminate(struct machine *m, uint32_t set, uint32_t code)
{
	uint64_t total = rdtsc() - m->tsc_start;

	stats_milestone(m, "the guest terminated");
	con_printf(
		"snpemu: VMPL%u terminated (reason set %u, code %u) after "
		"%llu exits, %llu VMPL switches; exit handling %llu%% of "
		"TSC time\n",
		m->cpu->cur, set, code, (unsigned long long)m->exits,
		(unsigned long long)m->vmpl_switches,
		(unsigned long long)(total ? m->tsc_l1 * 100 / total : 0));
	con_printf(
		"snpemu: %llu HLT exits, %llu idle wake-ups, %llu "
		"interrupts injected, %llu interrupt windows\n",
		(unsigned long long)m->hlt_exits,
		(unsigned long long)m->idle_wakeups,
		(unsigned long long)m->irq_injected,
		(unsigned long long)m->irq_windows);
	inject_report();
	hostile_report();
	iommu_report();
	if (set == m->verdict_set && code == 0) {
		emu_exit(EMU_EXIT_OK);
	}
	if (set != m->verdict_set) {
		/* Where it stopped: the first clue for an unexpected end. */
		con_printf(
			"snpemu: the guest requested termination at RIP "
			"0x%llx\n",
			(unsigned long long)emu_save(m)->rip);
	}
	emu_exit(EMU_EXIT_FAIL);
}

/* ---- devices ---- */

/*
 * MMIO windows of QEMU q35 devices a guest may reach: the HPET (a clock)
 * and the live memory BARs of the PCI functions snpemu shows (pci.c: only
 * wholly inside one, at the address the L1 firmware gave it). Not the
 * IOAPIC: it would route QEMU's interrupts to snpemu's own LAPIC (the
 * guest's interrupt controllers are emulated, irq.c).
 */
static bool mmio_allowed(uint64_t gpa, uint64_t len)
{
	static const uint64_t win[][2] = {
		{0xfed00000, 0x400}, /* HPET */
	};

	if ((gpa & (len - 1)) != 0) {
		return false;
	}
	for (size_t i = 0; i < ARRAY_SIZE(win); i++) {
		if (gpa >= win[i][0] && gpa + len <= win[i][0] + win[i][1]) {
			return true;
		}
	}
	return pci_mmio_allowed(gpa, len);
}

/* ---- GHCB page access ---- */

struct nae {
	struct ghcb *g;
	uint64_t gpa; /* of the GHCB, no C-bit */
	uint8_t valid[16];
	uint64_t exit_code, info1, info2, scratch;
};

static bool is_valid(const struct nae *n, size_t off)
{
	size_t idx = off / 8;

	return (n->valid[idx / 8] >> (idx % 8)) & 1;
}

static void set_valid(struct nae *n, size_t off)
{
	size_t idx = off / 8;

	n->g->valid_bitmap[idx / 8] |= (uint8_t)(1u << (idx % 8));
}

static void set_result(struct nae *n, uint64_t info1, uint64_t info2)
{
	n->g->sw_exit_info_1 = info1;
	n->g->sw_exit_info_2 = info2;
	set_valid(n, offsetof(struct ghcb, sw_exit_info_1));
	set_valid(n, offsetof(struct ghcb, sw_exit_info_2));
}

static void set_error(struct nae *n, uint64_t err)
{
	set_result(n, GHCB_RESULT_ERROR, err);
}

/*
 * The scratch buffer must lie inside this GHCB's shared buffer (model:
 * snpemu accepts no other scratch area). Returns a host pointer or NULL.
 */
static void *scratch(struct nae *n, uint64_t len)
{
	uint64_t lo = n->gpa + offsetof(struct ghcb, shared_buffer);
	uint64_t hi = lo + sizeof(n->g->shared_buffer);
	uint64_t s = n->scratch & ~EMU_CBIT;

	if (!is_valid(n, offsetof(struct ghcb, sw_scratch)) || s < lo ||
	    s > hi || len > hi - s) {
		set_error(n, GHCB_ERR_INVALID_SCRATCH_AREA);
		return NULL;
	}
	return (uint8_t *)n->g + (s - n->gpa);
}

#define REQUIRE(n, field)                                           \
	do {                                                        \
		if (!is_valid((n), offsetof(struct ghcb, field))) { \
			set_error((n), GHCB_ERR_MISSING_INPUT);     \
			return;                                     \
		}                                                   \
	} while (0)

static void nae_cpuid(struct machine *m, struct vmpl_ctx *c, struct nae *n)
{
	uint32_t r[4];

	REQUIRE(n, rax);
	REQUIRE(n, rcx);
	emu_cpuid(c, m->cpu->id, (uint32_t)n->g->rax, (uint32_t)n->g->rcx, r);
	n->g->rax = r[0];
	n->g->rbx = r[1];
	n->g->rcx = r[2];
	n->g->rdx = r[3];
	set_valid(n, offsetof(struct ghcb, rax));
	set_valid(n, offsetof(struct ghcb, rbx));
	set_valid(n, offsetof(struct ghcb, rcx));
	set_valid(n, offsetof(struct ghcb, rdx));
	set_result(n, 0, 0);
}

static void nae_ioio(struct machine *m, struct nae *n)
{
	struct ghcb_ioio io = ghcb_ioio_decode(n->info1);
	uint32_t mask = 0;

	if (!io.valid) {
		set_error(n, GHCB_ERR_INVALID_INPUT);
		return;
	}
	mask = io.size == 4 ? UINT32_MAX : (1u << (io.size * 8)) - 1;
	if (io.str) {
		/* String forms: SW_EXITINFO2 = repetitions, data in the
		 * scratch buffer (GHCB spec §4.1.2). */
		uint64_t count = n->info2;
		uint8_t *buf = NULL;

		if (count > sizeof(n->g->shared_buffer) / io.size) {
			set_error(n, GHCB_ERR_INVALID_INPUT);
			return;
		}
		buf = scratch(n, count * io.size);
		if (buf == NULL) {
			return;
		}
		for (uint64_t i = 0; i < count; i++) {
			uint32_t v = 0;

			if (io.in) {
				v = ioport_in(m, io.port, io.size);
				memcpy(buf + i * io.size, &v, io.size);
			} else {
				memcpy(&v, buf + i * io.size, io.size);
				ioport_out(m, io.port, io.size, v);
			}
		}
		set_result(n, 0, 0);
		return;
	}
	if (io.in) {
		n->g->rax = (n->g->rax & ~(uint64_t)mask) |
			    ioport_in(m, io.port, io.size);
		set_valid(n, offsetof(struct ghcb, rax));
	} else {
		REQUIRE(n, rax);
		ioport_out(m, io.port, io.size, (uint32_t)n->g->rax & mask);
	}
	set_result(n, 0, 0);
}

static bool msr_read(struct machine *m, struct vmpl_ctx *c, uint32_t msr,
		     uint64_t *v)
{
	if (apic_msr_is_apic(msr)) {
		return apic_msr_read(&m->cpu->apic[c->vmpl], msr, v, rdtsc());
	}
	if (mtrr_is_msr(msr)) {
		return mtrr_read(&m->cpu->mtrr, msr, v);
	}
	switch (msr) {
	case MSR_TSC:
		*v = rdtsc();
		return true;
	case MSR_SEV_STATUS:
		*v = emu_sev_status(c);
		return true;
	case MSR_PAT:
		*v = vmcb_save(c->vmcb)->g_pat;
		return true;
	case 0x0:   /* IA32_P5_MC_ADDR */
	case 0x1:   /* IA32_P5_MC_TYPE */
	case 0x179: /* IA32_MCG_CAP: no banks, no MCG_CTL (see below) */
	case 0x17:  /* IA32_PLATFORM_ID */
	case 0x2a:  /* EBL_CR_POWERON */
	case 0x199: /* IA32_PERF_CTL */
	case MSR_K8_SYSCFG:
	case 0xc001001f: /* NB_CFG */
	case 0xc0010055: /* INT_PENDING_MSG */
	case 0xc0010058: /* MMIO_CONF_BASE */
	case 0xc0010112: /* TSEG_ADDR */
	case 0xc0010113: /* TSEG_MASK */
	case 0xc0011022: /* DC_CFG */
	case 0xc001102a: /* BU_CFG2 */
	case 0xc001102c: /* F15H_EX_CFG */
		/*
		 * KVM reads these as 0 for every guest (arch/x86/kvm/x86.c,
		 * kvm_get_msr_common, the first case list; the LBR MSRs of
		 * that list are SVM's own). Linux reads SYSCFG at boot (AMD
		 * memory encryption detection) and INT_PENDING_MSG on a CPU
		 * with erratum 400 (QEMU's TCG CPU is a family 0xf one,
		 * arch_post_acpi_subsys_init); a #GP leaves a call trace.
		 * Writes stay #GP. Machine check: KVM's get_msr_mce with the
		 * mcg_cap of a VMM that sets up no MCE banks (0): MCG_CAP and
		 * MCG_STATUS readable, MCG_CTL and the bank MSRs #GP.
		 */
		*v = 0;
		return true;
	case MSR_MCG_STATUS:
		*v = m->cpu->mcg_status;
		return true;
	default:
		return false;
	}
}

static bool msr_write(struct machine *m, struct vmpl_ctx *c, uint32_t msr,
		      uint64_t v)
{
	if (apic_msr_is_apic(msr)) {
		return apic_msr_write(&m->cpu->apic[c->vmpl], msr, v, rdtsc());
	}
	if (mtrr_is_msr(msr)) {
		/* MAXPHYADDR as the guest's CPUID reports it (QEMU's). */
		return mtrr_write(&m->cpu->mtrr, msr, v,
				  cpuid(0x80000008).eax & 0xff);
	}
	switch (msr) {
	case MSR_PAT:
		/* Recorded per VMPL; TCG ignores memory types anyway. */
		vmcb_save(c->vmcb)->g_pat = v;
		return true;
	case MSR_MCG_STATUS:
		/* KVM set_msr_mce stores any value. */
		m->cpu->mcg_status = v;
		return true;
	default:
		return false;
	}
}

static void nae_msr(struct machine *m, struct vmpl_ctx *c, struct nae *n)
{
	uint32_t msr = 0;
	uint64_t v = 0;
	bool ok = false;

	REQUIRE(n, rcx);
	msr = (uint32_t)n->g->rcx;
	if (n->info1 == 1) {
		REQUIRE(n, rax);
		REQUIRE(n, rdx);
		v = (uint32_t)n->g->rax | (n->g->rdx << 32);
		ok = msr_write(m, c, msr, v);
	} else if (n->info1 == 0) {
		ok = msr_read(m, c, msr, &v);
		if (ok) {
			n->g->rax = (uint32_t)v;
			n->g->rdx = v >> 32;
			set_valid(n, offsetof(struct ghcb, rax));
			set_valid(n, offsetof(struct ghcb, rdx));
		}
	} else {
		set_error(n, GHCB_ERR_INVALID_INPUT);
		return;
	}
	if (!ok) {
		/* Unknown MSR: #GP, as a real CPU would (APM RDMSR). */
		set_result(n, GHCB_RESULT_EXCEPTION, GHCB_EVENT_EXCEPTION(13));
		return;
	}
	set_result(n, 0, 0);
}

static void nae_mmio(struct machine *m, struct nae *n, bool write)
{
	uint64_t gpa = n->info1 & ~EMU_CBIT, len = n->info2, v = 0;
	uint8_t *buf = NULL;
	volatile void *dev = (volatile void *)(uintptr_t)gpa;

	if (len != 1 && len != 2 && len != 4 && len != 8) {
		set_error(n, GHCB_ERR_INVALID_INPUT);
		return;
	}
	buf = scratch(n, len);
	if (buf == NULL) {
		return;
	}
	if (apic_mmio_claims(&m->cpu->apic[m->cpu->cur], gpa)) {
		if (write) {
			memcpy(&v, buf, len);
			apic_mmio_write(&m->cpu->apic[m->cpu->cur], gpa,
					(uint32_t)len, v, rdtsc());
		} else {
			apic_mmio_read(&m->cpu->apic[m->cpu->cur], gpa,
				       (uint32_t)len, &v, rdtsc());
			memcpy(buf, &v, len);
		}
		set_result(n, 0, 0);
		return;
	}
	if (!mmio_allowed(gpa, len)) {
		/* Nothing there: reads float high, writes vanish. */
		if (!write) {
			memset(buf, 0xff, len);
		}
		set_result(n, 0, 0);
		return;
	}
	if (write) {
		memcpy(&v, buf, len);
	}
	switch (len) {
	case 1:
		if (write) {
			*(volatile uint8_t *)dev = (uint8_t)v;
		} else {
			v = *(volatile uint8_t *)dev;
		}
		break;
	case 2:
		if (write) {
			*(volatile uint16_t *)dev = (uint16_t)v;
		} else {
			v = *(volatile uint16_t *)dev;
		}
		break;
	case 4:
		if (write) {
			*(volatile uint32_t *)dev = (uint32_t)v;
		} else {
			v = *(volatile uint32_t *)dev;
		}
		break;
	default:
		if (write) {
			*(volatile uint64_t *)dev = v;
		} else {
			v = *(volatile uint64_t *)dev;
		}
		break;
	}
	if (!write) {
		memcpy(buf, &v, len);
	}
	set_result(n, 0, 0);
}

/*
 * The header and the entries are copied in and out with memcpy: the guest
 * chooses SW_SCRATCH, so they may sit at any byte of the shared buffer
 * (KVM takes any offset inside it too: arch/x86/kvm/svm/sev.c,
 * setup_vmgexit_scratch).
 */
static void nae_psc(struct machine *m, struct nae *n)
{
	uint8_t *hp = scratch(n, sizeof(struct ghcb_psc_hdr));
	uint8_t *ent = NULL;
	struct ghcb_psc_hdr h;
	uint16_t cur = 0;

	if (hp == NULL) {
		return;
	}
	memcpy(&h, hp, sizeof(h));
	if (h.end_entry >= GHCB_PSC_MAX_ENTRIES || h.cur_entry > h.end_entry) {
		set_result(n, 0, GHCB_PSC_ERR_HDR);
		return;
	}
	if (scratch(n, sizeof(h) + (h.end_entry + 1u) * 8u) == NULL) {
		return;
	}
	ent = hp + sizeof(h);
	for (cur = h.cur_entry; cur <= h.end_entry; cur++) {
		uint64_t raw = 0;
		struct ghcb_psc_entry e;
		struct rmp_change chg = {0};
		int rc = RMP_PSC_E_INPUT;

		memcpy(&raw, ent + 8u * cur, sizeof(raw));
		e = ghcb_psc_entry_decode(raw);
		if (!e.reserved_set) {
			rc = gmem_psc(m, e.gfn << PAGE_SHIFT, e.op, e.size_2m,
				      &chg);
		}
		npt_apply(m, &chg);
		if (rc != RMP_PSC_OK) {
			memcpy(hp + offsetof(struct ghcb_psc_hdr, cur_entry),
			       &cur, sizeof(cur));
			set_result(n, 0, GHCB_PSC_ERR_ENTRY | (uint32_t)rc);
			return;
		}
		e.cur_page = e.size_2m ? RMP_PAGES_2M : 1;
		raw = ghcb_psc_entry_encode(&e);
		memcpy(ent + 8u * cur, &raw, sizeof(raw));
	}
	/* Only cur_entry is the hypervisor's to write. */
	memcpy(hp + offsetof(struct ghcb_psc_hdr, cur_entry), &cur,
	       sizeof(cur));
	set_result(n, 0, 0);
}

/*
 * AP creation (docs/abi.md §7.4), as KVM's multi-VMPL series does it (KVM:
 * arch/x86/kvm/svm/sev.c, sev_snp_ap_creation): SW_EXITINFO1[63:32] is the
 * APIC ID of the target vCPU (one that exists: kvm_get_vcpu_by_id, else
 * refused), the target VMPL comes from SW_EXITINFO1[19:16] (S1), never from
 * the VMSA, which the hypervisor cannot read. The first creation at a VMPL
 * fixes its interrupt-injection mode (RAX: SEV features); later ones may
 * not change it. The VMSA itself is checked when it is run (vmpl.c, S4).
 * Refusals answer with an error (KVM injects #GP; both are non-zero for
 * the guest).
 *
 * On the caller's own vCPU: not VMPL0, not the running context (model:
 * snpemu does not replace the VMSA it is running). On another vCPU (model,
 * stricter than KVM, which leaves it to the RMP): no context more
 * privileged than the caller, and a running VMPL0 (the SVSM of that vCPU)
 * is never replaced. A vCPU with nothing to run starts at the created
 * VMPL (KVM: KVM_REQ_UPDATE_PROTECTED_GUEST_STATE plus a kick).
 * AP_CREATE_ON_INIT for another vCPU is refused: it starts the vCPU at its
 * next INIT, and snpemu models no INIT between vCPUs.
 */
#define INJ_MODES (SEV_FEAT_RESTRICTED_INJ | SEV_FEAT_ALTERNATE_INJ)

static bool ap_target_ok(const struct machine *m, const struct vcpu *t,
			 unsigned vmpl, uint32_t req)
{
	if (vmpl >= SNP_VMPL_COUNT) {
		return false;
	}
	if (t == m->cpu) {
		return vmpl != 0 && vmpl != t->cur;
	}
	return vmpl >= m->cpu->cur && req != SVM_VMGEXIT_AP_CREATE_ON_INIT &&
	       !(vmpl == 0 && t->ctx[0].present);
}

static void nae_ap_creation(struct machine *m, struct nae *n)
{
	uint32_t req = (uint32_t)(n->info1 & 0xffff);
	unsigned vmpl = (unsigned)(n->info1 >> 16) & 0xf;
	uint32_t apic_id = (uint32_t)(n->info1 >> 32);
	uint64_t gpa = n->info2 & ~EMU_CBIT;
	struct vcpu *t = NULL;

	if (apic_id >= m->nr_vcpus) {
		set_error(n, GHCB_ERR_INVALID_INPUT);
		return;
	}
	t = &m->vcpu[apic_id];
	if (!ap_target_ok(m, t, vmpl, req)) {
		set_error(n, GHCB_ERR_INVALID_INPUT);
		return;
	}
	if (req == SVM_VMGEXIT_AP_DESTROY) {
		vmpl_destroy(m, t, vmpl);
		set_result(n, 0, 0);
		return;
	}
	if (req != SVM_VMGEXIT_AP_CREATE &&
	    req != SVM_VMGEXIT_AP_CREATE_ON_INIT) {
		set_error(n, GHCB_ERR_INVALID_INPUT);
		return;
	}
	REQUIRE(n, rax);
	if (!(n->g->rax & SEV_FEAT_SNP_ACTIVE) ||
	    (m->vmpl_features[vmpl] != 0 &&
	     ((m->vmpl_features[vmpl] ^ n->g->rax) & INJ_MODES)) ||
	    vmpl_create(m, t, vmpl, gpa) != 0) {
		set_error(n, GHCB_ERR_INVALID_INPUT);
		return;
	}
	if (m->vmpl_features[vmpl] == 0) {
		m->vmpl_features[vmpl] = n->g->rax;
	}
	set_result(n, 0, 0);
}

/*
 * The extended request's certificate buffer (GHCB spec SNP_GUEST_REQUEST_EXT,
 * docs/attestation.md §3): RAX = its GPA, RBX = its size in pages. Too small:
 * VMM error INVALID_LEN with RBX = the pages needed, and the request is NOT
 * passed to the PSP, so its sequence number is not consumed (KVM's SNP host
 * patches, snp_handle_ext_guest_request(), and the Linux guest, which resends
 * the message as a plain request on INVALID_LEN). Else the table is copied page
 * by page, each page checked to be shared. Returns false when it answered.
 */
static bool ext_certs(struct machine *m, struct nae *n)
{
	size_t len = 0;
	const uint8_t *t = psp_certs_table(&len);
	uint64_t need = (len + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t gpa = n->g->rax & ~EMU_CBIT;

	if (!is_valid(n, offsetof(struct ghcb, rax)) ||
	    !is_valid(n, offsetof(struct ghcb, rbx)) ||
	    (gpa & (PAGE_SIZE - 1))) {
		set_error(n, GHCB_ERR_INVALID_INPUT);
		return false;
	}
	if (t == NULL) {
		need = 1; /* an empty table: 24 zero bytes */
	}
	if (n->g->rbx < need) {
		n->g->rbx = need;
		set_valid(n, offsetof(struct ghcb, rbx));
		set_result(n, 0, (uint64_t)SNP_GUEST_VMM_ERR_INVALID_LEN << 32);
		return false;
	}
	for (uint64_t i = 0; i < need; i++) {
		void *dst = NULL;
		size_t off = (size_t)(i * PAGE_SIZE);
		size_t chunk = len - off < PAGE_SIZE ? len - off : PAGE_SIZE;

		if (gmem_gpa(m, m->cpu->cur, gpa + off, GACC_WRITE, &dst) !=
		    GMEM_OK) {
			set_error(n, GHCB_ERR_INVALID_INPUT);
			return false;
		}
		if (t == NULL) {
			memset(dst, 0, 24);
		} else {
			memcpy(dst, t + off, chunk);
		}
	}
	return true;
}

/*
 * SNP_GUEST_REQUEST (docs/abi.md §9.5): request and response are shared guest
 * pages; the PSP model answers. SW_EXITINFO2 = VMM error << 32 | firmware
 * status. The extended form first delivers the certificate table of the
 * build's emulated AMD chain (psp_certs.h).
 */
static void nae_guest_request(struct machine *m, struct nae *n, bool ext)
{
	void *req = NULL, *resp = NULL;
	uint32_t fw = 0;
	uint64_t canned = 0, rbx = 0;
	enum psp_fault_act act = PSP_FAULT_NONE;

	if ((n->info1 & (PAGE_SIZE - 1)) || (n->info2 & (PAGE_SIZE - 1)) ||
	    gmem_gpa(m, m->cpu->cur, n->info1 & ~EMU_CBIT, GACC_READ, &req) !=
		    GMEM_OK ||
	    gmem_gpa(m, m->cpu->cur, n->info2 & ~EMU_CBIT, GACC_WRITE, &resp) !=
		    GMEM_OK) {
		set_error(n, GHCB_ERR_INVALID_INPUT);
		return;
	}
	if (psp_greq_stats) {
		/* The VMPL tells a lower VMPL's own request (Linux's
		 * sev-guest) from the SVSM's (tests/linux/host_link.py). */
		con_printf(
			"snpemu: guest request at exit %llu, %llu VMPL "
			"switches (VMPL%u)\n",
			(unsigned long long)m->exits,
			(unsigned long long)m->vmpl_switches, m->cpu->cur);
	}
	act = psp_fault_before(ext, resp, &canned, &rbx);
	if (act == PSP_FAULT_ANSWER) {
		if (ext && rbx != 0) {
			n->g->rbx = rbx;
			set_valid(n, offsetof(struct ghcb, rbx));
		}
		set_result(n, 0, canned);
		return;
	}
	if (ext && !ext_certs(m, n)) {
		return;
	}
	fw = psp_guest_request(req, resp);
	psp_fault_after(resp, act == PSP_FAULT_MANGLE);
	set_result(n, 0, fw);
}

static void nae_run_vmpl(struct machine *m, struct nae *n)
{
	unsigned target = (unsigned)MIN(n->info1, UINT64_C(0xff));

	/* The answer goes into the caller's GHCB before the switch. */
	set_result(n, 0, 0);
	if (n->info1 >= SNP_VMPL_COUNT || !vmpl_switch(m, target)) {
		set_error(n, GHCB_ERR_INVALID_INPUT);
	}
}

/*
 * The NAE events behind S8's #VCs (Linux: arch/x86/coco/sev/vc-handle.c).
 * DR7 writes are recorded only (the guest's DR7 lives in its VMSA); RDPMC
 * gets #GP (snpemu has no PMU); WBINVD is a no-op; MONITOR/MWAIT get #UD
 * like KVM when the guest's CPUID does not offer MWAIT (KVM:
 * kvm_emulate_monitor_mwait), and snpemu's CPUID hides it.
 */
static void nae_misc(struct nae *n)
{
	switch (n->exit_code) {
	case SVM_EXIT_WRITE_DR7:
		REQUIRE(n, rax);
		set_result(n, 0, 0);
		break;
	case SVM_EXIT_RDPMC:
		REQUIRE(n, rcx);
		set_result(n, GHCB_RESULT_EXCEPTION, GHCB_EVENT_EXCEPTION(13));
		break;
	case SVM_EXIT_WBINVD:
		set_result(n, 0, 0);
		break;
	default: /* MONITOR, MWAIT */
		REQUIRE(n, rax);
		REQUIRE(n, rcx);
		/* #UD has no error code: no "error code valid" bit. */
		set_result(n, GHCB_RESULT_EXCEPTION,
			   GHCB_EVENT_EXCEPTION(6) & ~(UINT64_C(1) << 11));
		break;
	}
}

static void nae(struct machine *m, struct vmpl_ctx *c, uint64_t gpa)
{
	struct nae n = {.gpa = gpa};
	void *hva = NULL;
	enum gmem_rc rc = 0;

	if (c->ghcb_gfn != gpa >> PAGE_SHIFT) {
		emu_stop(m,
			 "VMPL%u RIP 0x%llx: VMGEXIT with GHCB GPA 0x%llx "
			 "that was not registered (GHCB spec §2.3.2)",
			 m->cpu->cur, (unsigned long long)emu_save(m)->rip - 4,
			 (unsigned long long)gpa);
	}
	rc = gmem_gpa(m, m->cpu->cur, gpa, GACC_WRITE, &hva);
	if (rc != GMEM_OK) {
		gmem_violation(
			m, rc, gpa, GACC_WRITE,
			"hypervisor access to the GHCB (must be shared)");
	}
	n.g = hva;
	memcpy(n.valid, n.g->valid_bitmap, sizeof(n.valid));
	n.exit_code = n.g->sw_exit_code;
	n.info1 = n.g->sw_exit_info_1;
	n.info2 = n.g->sw_exit_info_2;
	n.scratch = n.g->sw_scratch;
	/* Inputs are consumed: only what snpemu returns is valid now. */
	memset(n.g->valid_bitmap, 0, sizeof(n.g->valid_bitmap));
	if (!is_valid(&n, offsetof(struct ghcb, sw_exit_code)) ||
	    !is_valid(&n, offsetof(struct ghcb, sw_exit_info_1)) ||
	    !is_valid(&n, offsetof(struct ghcb, sw_exit_info_2))) {
		set_error(&n, GHCB_ERR_MISSING_INPUT);
		return;
	}
	if (n.g->protocol_version < GHCB_PROTOCOL_MIN ||
	    n.g->protocol_version > GHCB_PROTOCOL_MAX || n.g->ghcb_usage != 0) {
		set_error(&n, GHCB_ERR_INVALID_USAGE);
		return;
	}
	/* Port I/O is counted per group of 8 ports (stats.h). */
	stats_vmgexit(&m->stats,
		      n.exit_code == SVM_EXIT_IOIO
			      ? n.exit_code | (((n.info1 >> 16) & 0xfff8) << 32)
			      : n.exit_code);
	switch (n.exit_code) {
	case SVM_EXIT_CPUID:
		nae_cpuid(m, c, &n);
		break;
	case SVM_EXIT_IOIO:
		nae_ioio(m, &n);
		break;
	case SVM_EXIT_MSR:
		nae_msr(m, c, &n);
		break;
	case SVM_VMGEXIT_MMIO_READ:
		nae_mmio(m, &n, false);
		break;
	case SVM_VMGEXIT_MMIO_WRITE:
		nae_mmio(m, &n, true);
		break;
	case SVM_VMGEXIT_PSC:
		nae_psc(m, &n);
		break;
	case SVM_VMGEXIT_AP_CREATION:
		nae_ap_creation(m, &n);
		break;
	case SVM_VMGEXIT_SNP_RUN_VMPL:
		nae_run_vmpl(m, &n);
		break;
	case SVM_VMGEXIT_HV_FEATURES:
		set_result(&n, 0, hv_features());
		break;
	case SVM_EXIT_WRITE_DR7:
	case SVM_EXIT_RDPMC:
	case SVM_EXIT_WBINVD:
	case SVM_EXIT_MONITOR:
	case SVM_EXIT_MWAIT:
		nae_misc(&n);
		break;
	case SVM_VMGEXIT_TERM_REQUEST:
		terminate(m, (uint32_t)n.info1 & 0xf,
			  (uint32_t)(n.info1 >> 4) & 0xff);
	case SVM_VMGEXIT_GUEST_REQUEST:
		nae_guest_request(m, &n, false);
		break;
	case SVM_VMGEXIT_EXT_GUEST_REQUEST:
		nae_guest_request(m, &n, true);
		break;
	default:
		set_error(&n, GHCB_ERR_INVALID_EVENT);
		break;
	}
}

static void msr_protocol(struct machine *m, struct vmpl_ctx *c,
			 const struct ghcb_msr_req *q)
{
	uint32_t r[4];
	struct rmp_change chg = {0};
	int rc = 0;

	stats_vmgexit(&m->stats, STATS_MSR_PROTOCOL | q->kind);
	switch (q->kind) {
	case GHCB_MSR_K_SEV_INFO:
		c->ghcb_msr = GHCB_MSR_SEV_INFO(
			GHCB_PROTOCOL_MAX, GHCB_PROTOCOL_MIN, EMU_CBIT_POS);
		break;
	case GHCB_MSR_K_CPUID:
		emu_cpuid(c, m->cpu->id, q->fn, 0, r);
		c->ghcb_msr = ghcb_msr_cpuid_resp(q->reg, r[q->reg]);
		break;
	case GHCB_MSR_K_REG_GPA:
		/* Registration is per VMPL; any guest-RAM page is accepted
		 * here, sharing is checked at each use. */
		if (q->gfn < EMU_GUEST_PAGES) {
			c->ghcb_gfn = q->gfn;
			c->ghcb_msr = ghcb_msr_reg_gpa_resp(q->gfn);
		} else {
			c->ghcb_msr =
				ghcb_msr_reg_gpa_resp((UINT64_C(1) << 52) - 1);
		}
		break;
	case GHCB_MSR_K_PSC:
		rc = gmem_psc(m, q->gfn << PAGE_SHIFT, q->op, false, &chg);
		npt_apply(m, &chg);
		c->ghcb_msr = ghcb_msr_psc_resp((uint32_t)rc);
		break;
	case GHCB_MSR_K_RUN_VMPL:
		c->ghcb_msr = ghcb_msr_run_vmpl_resp(0);
		if (!vmpl_switch(m, q->vmpl)) {
			c->ghcb_msr = ghcb_msr_run_vmpl_resp(1);
		}
		break;
	case GHCB_MSR_K_HV_FEATURES:
		c->ghcb_msr = ghcb_msr_hv_features_resp(hv_features());
		break;
	case GHCB_MSR_K_TERM:
		terminate(m, q->set, q->code);
	case GHCB_MSR_K_GHCB_GPA:
	case GHCB_MSR_K_INVALID:
		emu_stop(m,
			 "VMPL%u RIP 0x%llx: invalid GHCB MSR request 0x%llx",
			 m->cpu->cur, (unsigned long long)emu_save(m)->rip - 4,
			 (unsigned long long)c->ghcb_msr);
	}
}

void ghcb_vmgexit(struct machine *m)
{
	struct vmpl_ctx *c = emu_cur(m);
	struct ghcb_msr_req q = ghcb_msr_decode(c->ghcb_msr);

	/* VMGEXIT completes before anything else happens: the caller resumes
	 * after it, also when it is switched out here. */
	emu_save(m)->rip += 4;
	if (hostile_drop_vmgexit(m, q.kind == GHCB_MSR_K_TERM)) {
		return;
	}
	if (q.kind == GHCB_MSR_K_GHCB_GPA) {
		nae(m, c, q.gfn << PAGE_SHIFT);
	} else {
		msr_protocol(m, c, &q);
	}
}
