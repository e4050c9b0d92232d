/* SPDX-License-Identifier: MIT */
/*
 * The SNP VMSA page (AMD APM vol. 2 table B-4; offsets in docs/abi.md §12.4).
 * Only the fields an initial register state needs are modelled; every other
 * byte of the page is zero.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct igvm_vmsa_seg {
	uint16_t selector;
	uint16_t attrib; /* descriptor bits 40-47 and 52-55, packed */
	uint32_t limit;
	uint64_t base;
};
_Static_assert(sizeof(struct igvm_vmsa_seg) == 16, "APM table B-4 segment");

struct igvm_vmsa_regs {
	struct igvm_vmsa_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
	uint8_t vmpl;
	uint8_t cpl;
	uint64_t efer, cr0, cr3, cr4, dr6, dr7, rflags, rip, rsp, rax;
	uint64_t rcx, rdx, rbx, rbp, rsi, rdi;
	uint64_t g_pat, xcr0, sev_features, virtual_tom;
	uint32_t mxcsr;
	uint16_t x87_fcw;
};

/* VMSA byte offsets (APM vol. 2 table B-4). */
#define IGVM_VMSA_OFF_VMPL 0x0CAu
#define IGVM_VMSA_OFF_CPL 0x0CBu
#define IGVM_VMSA_OFF_EFER 0x0D0u
#define IGVM_VMSA_OFF_CR4 0x148u
#define IGVM_VMSA_OFF_CR3 0x150u
#define IGVM_VMSA_OFF_CR0 0x158u
#define IGVM_VMSA_OFF_DR7 0x160u
#define IGVM_VMSA_OFF_DR6 0x168u
#define IGVM_VMSA_OFF_RFLAGS 0x170u
#define IGVM_VMSA_OFF_RIP 0x178u
#define IGVM_VMSA_OFF_RSP 0x1D8u
#define IGVM_VMSA_OFF_RAX 0x1F8u
#define IGVM_VMSA_OFF_G_PAT 0x268u
#define IGVM_VMSA_OFF_RCX 0x308u
#define IGVM_VMSA_OFF_RDX 0x310u
#define IGVM_VMSA_OFF_RBX 0x318u
#define IGVM_VMSA_OFF_RBP 0x328u
#define IGVM_VMSA_OFF_RSI 0x330u
#define IGVM_VMSA_OFF_RDI 0x338u
#define IGVM_VMSA_OFF_SEV_FEATURES 0x3B0u
#define IGVM_VMSA_OFF_VIRTUAL_TOM 0x3C8u
#define IGVM_VMSA_OFF_XCR0 0x3E8u
#define IGVM_VMSA_OFF_MXCSR 0x408u
#define IGVM_VMSA_OFF_X87_FCW 0x410u

/* sev_features bit 0: SNP active (igvm/src/snp_defs.rs). */
#define IGVM_SEV_FEATURE_SNP UINT64_C(0x1)

/** Write @r into a zeroed 4 KiB VMSA page. */
void igvm_vmsa_write(uint8_t *page, const struct igvm_vmsa_regs *r);

/** Read the modelled fields back; false if unmodelled bytes are non-zero. */
bool igvm_vmsa_read(const uint8_t *page, struct igvm_vmsa_regs *r);

/**
 * The tools' one from-scratch VMSA: the x86 state after RESET as KVM puts
 * it in a VMSA (CR0.ET, CR4.MCE, EFER.SVME, FNINIT's x87 control word;
 * named constants of include/svsm/abi/vmsa.h). The SVSM side has its own
 * function on struct snp_vmsa (arch/vmsa_reset.h, Linux's AP defaults);
 * the tools keep this field model because they encode and decode VMSA
 * pages byte by byte from untrusted IGVM files (igvm_vmsa_read reports
 * bytes it does not model) and must predict KVM's bytes, not choose them.
 */
void igvm_vmsa_reset(struct igvm_vmsa_regs *r, uint64_t sev_features);

/**
 * KVM's reset-state VMSA for an AP on the legacy path, as sev-snp-measure
 * models it (vmsa.py, QEMU VMM type, eip 0xFFFFFFF0) plus MXCSR/FCW
 * (docs/abi.md §14.1). [unconfirmed for IGVM guests: docs/abi.md §13.2.]
 */
void igvm_vmsa_kvm_ap_reset(struct igvm_vmsa_regs *r, uint64_t sev_features,
			    uint32_t vcpu_sig);

/** The CPUID signature of QEMU's -cpu EPYC-v4: the default AP RDX. */
#define IGVM_VCPU_SIG_EPYC_V4 UINT32_C(0x00800f12)
