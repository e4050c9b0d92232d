// SPDX-License-Identifier: MIT
/*
 * Enabling SVM and programming VMCBs (AMD APM vol. 2 §15.4-15.11).
 *
 * What QEMU's TCG offers (docs/architecture.md §4): NP, 16 ASIDs, VGIF; no
 * NRIPS, no decode assists, no clean bits. Every VMCB therefore carries
 * complete state and snpemu computes instruction lengths itself.
 */
#include "svm.h"

#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/string.h"

#define MSR_EFER 0xc0000080u
#define MSR_VM_HSAVE_PA 0xc0010117u
#define EFER_SVME (UINT64_C(1) << 12)
#define CR4_OSFXSR (UINT64_C(1) << 9)
#define CR4_OSXMMEXCPT (UINT64_C(1) << 10)
#define CR4_OSXSAVE (UINT64_C(1) << 18)

/* Shared by every VMCB: everything intercepted except a pass-through list. */
static uint8_t msrpm[2 * 4096] __aligned(4096);
static uint8_t iopm[3 * 4096] __aligned(4096);
static uint64_t xcr0_mask;

/*
 * MSRs an SEV-ES/SNP guest reaches without a #VC because hardware swaps
 * them with the VMSA (APM vol. 2 §15.35.6 "state swapped on VMRUN"): the
 * syscall/segment-base MSRs, EFER and TSC_AUX.
 */
static const uint32_t msr_passthrough[] = {
	0x00000174, 0x00000175, 0x00000176, /* SYSENTER_CS/ESP/EIP */
	0xc0000080,                         /* EFER */
	0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, /* STAR..SFMASK */
	0xc0000100, 0xc0000101, 0xc0000102, /* FS/GS/KERNEL_GS base */
	0xc0000103,                         /* TSC_AUX */
};

static void msrpm_allow(uint32_t msr)
{
	uint32_t base = 0, off = 0;

	if (msr < 0x2000) {
		base = 0;
		off = msr;
	} else if (msr >= 0xc0000000 && msr < 0xc0002000) {
		base = 0x800;
		off = msr - 0xc0000000;
	} else if (msr >= 0xc0010000 && msr < 0xc0012000) {
		base = 0x1000;
		off = msr - 0xc0010000;
	} else {
		return;
	}
	/* Two bits per MSR: read intercept, write intercept (APM §15.11). */
	msrpm[base + off / 4] &= (uint8_t) ~(3u << ((off % 4) * 2));
}

static bool has_pku, has_xss, has_spec_ctrl;

uint64_t svm_xcr0_mask(void)
{
	return xcr0_mask;
}

bool svm_has_pku(void)
{
	return has_pku;
}

bool svm_has_xss(void)
{
	return has_xss;
}

bool svm_has_spec_ctrl(void)
{
	return has_spec_ctrl;
}

bool svm_init(struct machine *m)
{
	struct cpuid_regs ext = cpuid(0x80000001);
	struct cpuid_regs svm = {0};
	struct cpuid_regs f1 = cpuid(1);
	struct cpuid_regs xs = {0};

	if (!(ext.ecx & (1u << 2))) {
		con_printf("snpemu: no SVM (run QEMU with -cpu max)\n");
		return false;
	}
	svm = cpuid(0x8000000a);
	if (!(svm.edx & 1) || svm.ebx < SNP_VMPL_COUNT + 1) {
		con_printf("snpemu: SVM without nested paging or ASIDs\n");
		return false;
	}
	if (!(f1.ecx & (1u << 26))) {
		con_printf(
			"snpemu: no XSAVE: cannot keep FPU state per "
			"VMPL\n");
		return false;
	}
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE);
	xs = cpuid_count(0xd, 0);
	xcr0_mask = xs.eax & 0x7;
	if (xs.ecx > EMU_XSAVE_SIZE) {
		xcr0_mask = 0x3;
	}
	xsetbv0(xcr0_mask);
	has_pku = (cpuid_count(7, 0).ecx & (1u << 3)) != 0;
	if (has_pku) {
		write_cr4(read_cr4() | (UINT64_C(1) << 22)); /* PKE */
		wrpkru(0);
	}
	has_xss = (cpuid_count(0xd, 1).eax & (1u << 3)) != 0;
	has_spec_ctrl = (cpuid_count(7, 0).edx & (1u << 26)) ||
			(cpuid(0x80000008).ebx & (1u << 14));
	con_printf("snpemu: VMSA PKRU %s, XSS %s, SPEC_CTRL %s (else 0 only)\n",
		   has_pku ? "yes" : "no", has_xss ? "yes" : "no",
		   has_spec_ctrl ? "yes" : "no");

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, emu_alloc_page());
	m->host_save_pa = emu_alloc_page();
	__asm__ volatile("vmsave %%rax" : : "a"(m->host_save_pa) : "memory");

	memset(msrpm, 0xff, sizeof(msrpm));
	memset(iopm, 0xff, sizeof(iopm));
	for (size_t i = 0; i < ARRAY_SIZE(msr_passthrough); i++) {
		msrpm_allow(msr_passthrough[i]);
	}
	return true;
}

void svm_init_vmcb(struct vmcb *v, unsigned vmpl, uint64_t npt_root)
{
	memset(v, 0, sizeof(*v));
	/* #UD: PVALIDATE, RMPADJUST and RMPQUERY are emulated (insn.c). */
	v->c.intercept_exc = 1u << 6;
	/* RDPMC, INVD, WBINVD, MONITOR and MWAIT are intercepted as KVM
	 * does for an SEV-ES/SNP guest, so they reach the guest as #VC
	 * with those exit codes (S8; Linux: arch/x86/coco/sev/vc-handle.c,
	 * vc_handle_exitcode). DR7 intercepts depend on DebugSwap (vmpl.c).
	 * INTR: snpemu's own timer takes the CPU back from a spinning guest
	 * (irq.c). */
	v->c.intercept1 = VMCB_I1_INTR | VMCB_I1_CPUID | VMCB_I1_HLT |
			  VMCB_I1_IOIO | VMCB_I1_MSR | VMCB_I1_SHUTDOWN |
			  VMCB_I1_RDPMC | VMCB_I1_INVD;
	/* VMRUN must be intercepted (APM §15.5.1); the other SVM
	 * instructions are not SNP guest instructions and become #UD. */
	v->c.intercept2 = VMCB_I2_VMRUN | VMCB_I2_VMMCALL | VMCB_I2_VMLOAD |
			  VMCB_I2_VMSAVE | VMCB_I2_STGI | VMCB_I2_CLGI |
			  VMCB_I2_SKINIT | VMCB_I2_WBINVD | VMCB_I2_MONITOR |
			  VMCB_I2_MWAIT;
	v->c.iopm_base_pa = (uint64_t)(uintptr_t)iopm;
	v->c.msrpm_base_pa = (uint64_t)(uintptr_t)msrpm;
	v->c.asid = 1 + vmpl;
	/* Physical interrupts stay with snpemu (svm_vmrun enables them
	 * under GIF=0): the guest's IF only masks virtual interrupts. */
	v->c.int_ctl = VMCB_INT_CTL_V_INTR_MASKING;
	v->c.nested_ctl = VMCB_NP_ENABLE;
	v->c.nested_cr3 = npt_root;
	v->c.tlb_ctl = VMCB_TLB_FLUSH_ALL;
}
