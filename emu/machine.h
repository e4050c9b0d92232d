/* SPDX-License-Identifier: MIT */
/*
 * The emulated SEV-SNP machine: guest memory, the RMP, one nested table per
 * VMPL, and up to EMU_MAX_VCPUS vCPUs with one context and one local APIC
 * per VMPL each. Shared by the emu/ modules (docs/architecture.md §4).
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/compiler.h"

#include "svsm/abi/snp.h"
#include "svsm/abi/vmsa.h"

#include "acpi_pm.h"
#include "apic.h"
#include "mtrr.h"
#include "pic.h"
#include "pit.h"
#include "rmp.h"
#include "stats.h"
#include "vmcb.h"

/*
 * Guest RAM: GPAs [0, EMU_GUEST_RAM_SIZE) live at host physical
 * EMU_GUEST_RAM_HPA + gpa. Nested tables come from a pool below it. Both
 * must be RAM in the PVH memory map (checked at boot). The size is the one
 * machine parameter the loaders and the memory map read: snpemu's
 * command line sets it (mem=, main.c) before anything else runs.
 */
#define EMU_GUEST_RAM_HPA UINT64_C(0x10000000) /* 256 MiB */
#define EMU_GUEST_RAM_DEFAULT (UINT64_C(1) << 30)
#define EMU_GUEST_RAM_MIN (UINT64_C(128) << 20)
#define EMU_GUEST_RAM_MAX (UINT64_C(2) << 30)
extern uint64_t emu_ram_size;
#define EMU_GUEST_RAM_SIZE emu_ram_size
#define EMU_GUEST_PAGES (EMU_GUEST_RAM_SIZE >> PAGE_SHIFT)
#define EMU_POOL_HPA UINT64_C(0x08000000)
#define EMU_POOL_SIZE UINT64_C(0x08000000)

#define EMU_2M (UINT64_C(1) << 21)

/* C-bit at 47 (docs/architecture.md §4: phys-bits=48). */
#define EMU_CBIT_POS 47
#define EMU_CBIT (UINT64_C(1) << EMU_CBIT_POS)

/* Guest GPRs that VMRUN does not switch (RAX/RSP/RIP live in the VMCB). */
struct emu_gprs {
	uint64_t rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

#define EMU_XSAVE_SIZE 4096

struct vmpl_ctx {
	bool present;
	unsigned vmpl;
	uint64_t vmsa_gpa;
	struct vmcb *vmcb; /* identity mapped: pointer == host PA */
	struct emu_gprs gprs;
	uint64_t ghcb_msr; /* MSR 0xC0010130 as this VMPL sees it */
	uint64_t ghcb_gfn; /* registered GHCB, or UINT64_MAX */
	uint64_t sev_features;
	uint64_t xcr0;
	uint8_t *xsave; /* EMU_XSAVE_SIZE, 64-byte aligned */
	/* irq.c: an event to inject at the next entry (EVENTINJ format:
	 * from the VMSA, or one whose delivery a #VMEXIT cut short), the
	 * interrupt window snpemu opened, CR8 as last synced. */
	uint64_t pending_event;
	bool window;
	uint8_t cr8;
	uint64_t dr[4]; /* DR0-3 while not running (VMRUN keeps them) */
	uint32_t pkru;  /* the guest's PKRU (snpemu runs with PKRU 0) */
};

/*
 * The nested table of one VMPL, shared by every vCPU as on a real host (one
 * NPT per VMPL, not per vCPU). Because the stale bits live here too, a
 * revoked permission stays usable on every vCPU until the one flush that
 * reaches all of them (INVLPGB + TLBSYNC, tlb.c): a flush that reached
 * only some CPUs can never hide a missing one (S2, docs/snpemu.md).
 */
#define NPT_ALIAS_MAX 8

struct npt_view {
	uint64_t root;
	/* CR0.PG=0: every access is private (APM vol. 2 §15.34.5), so the
	 * C-bit-less GPAs use the private PTEs through this second root. */
	uint64_t root_unpaged;
	uint64_t *private_pte; /* flat PTE arrays over guest RAM */
	uint64_t *shared_pte;
	uint64_t *stale; /* bitmap: private PTE kept after a revocation (S2) */
	/* C-bit-less aliases of private pages, until the next exit that is
	 * not an #NPF (npt_alias_private, npt_alias_drop). */
	uint64_t alias[NPT_ALIAS_MAX];
	unsigned alias_n;
};

/*
 * One guest vCPU: its VMPL contexts and APICs, and what its own INVLPGBs
 * queued for its TLBSYNC. vCPU i has APIC ID i. The vCPUs take turns on
 * snpemu's one L1 CPU (machine.c: emu_run's scheduler).
 */
#define EMU_MAX_VCPUS 8

struct vcpu {
	unsigned id; /* APIC ID */
	struct vmpl_ctx ctx[SNP_VMPL_COUNT];
	unsigned cur; /* running VMPL */
	bool halted;  /* HLT with nothing deliverable: not scheduled */
	bool parked;  /* HLT with IF=0: never scheduled again */
	/* INVLPGB requests that the next TLBSYNC completes (tlb.c). */
	uint64_t inv_gfn[8], inv_count[8];
	unsigned inv_n;
	bool inv_all;
	struct apic apic[SNP_VMPL_COUNT];
	/* vc.c: the IDT/GDT/TSS reads and the frame push of an exception
	 * delivery are supervisor accesses whatever the CPL (APM vol. 2
	 * §5.6.1 "implicit supervisor accesses"). */
	bool implicit_sv;
	uint64_t exits;
	/* MTRRs: per vCPU, shared by its VMPLs (mtrr.h). */
	struct mtrr_state mtrr;
	uint64_t mcg_status;    /* IA32_MCG_STATUS (ghcb.c) */
	struct stats_ring ring; /* its last exits (stats.h) */
};

struct machine {
	struct rmp rmp;
	struct npt_view npt[SNP_VMPL_COUNT];
	struct vcpu vcpu[EMU_MAX_VCPUS];
	unsigned nr_vcpus;  /* QEMU's -smp (fw_cfg), at most EMU_MAX_VCPUS */
	struct vcpu *cpu;   /* the vCPU running or whose exit is handled */
	uint64_t slice_end; /* TSC: the running vCPU's turn ends (machine.c) */
	bool tlb_flush;     /* nested tables changed since the last VMRUN */
	uint64_t exits;
	uint64_t vcpu_switches;
	uint64_t vmpl_switches;
	uint64_t tsc_start, tsc_l1; /* TSC total, and spent handling exits */
	uint64_t tsc_boot;          /* snpemu's first instruction */
	struct emu_stats stats;     /* exits by kind, milestones (stats.h) */
	uint64_t host_save_pa;      /* VMSAVE area for snpemu's own state */
	uint32_t verdict_set; /* GHCB termination set that carries a verdict */
	/* SEV features fixed by the first AP creation at each VMPL. */
	uint64_t vmpl_features[SNP_VMPL_COUNT];
	/* Interrupts and timers (irq.c): the 8259 pair wired to vCPU 0's
	 * least privileged VMPL, the 8254. */
	struct pic pic;
	struct pit pit;
	struct acpi_pm acpi_pm; /* PM1a_CNT, APM control (acpi_pm.h) */
	uint32_t pci_addr;      /* CONFIG_ADDRESS latch at 0xCF8 (ioport.c) */
	uint16_t forward_irqs;  /* real 8259 lines forwarded (irq.c) */
	uint64_t host_deadline; /* snpemu's own LAPIC timer, TSC */
	uint64_t hlt_exits, idle_wakeups, irq_injected, irq_windows;
};

extern struct machine emu_machine;

/* ---- machine.c ---- */
/** Stop the VM with a report on the console ("never silent"). */
__noreturn void emu_stop(struct machine *m, const char *fmt, ...)
	__printf(2, 3);
__noreturn void emu_run(struct machine *m);
/** The guest's ACPI S5 power-off: report it and end with the clean status. */
__noreturn void emu_poweroff(struct machine *m);
uint64_t emu_alloc_page(void);
/** @n zeroed, physically contiguous pages from the pool. */
uint64_t emu_alloc_pages(uint64_t n);

/* ---- main.c ---- */
/** An RMP over guest RAM (every page shared), from the pool. */
void emu_rmp_alloc(struct machine *m);

/* ---- npt.c ---- */
void npt_init_vmpl(struct machine *m, unsigned vmpl);
/** Recompute the nested PTEs of [gfn, gfn+count) for every VMPL. */
void npt_update(struct machine *m, uint64_t gfn, uint64_t count);
void npt_apply(struct machine *m, const struct rmp_change *chg);
/** The private-view nested PTE the RMP gives VMPL @vmpl for @gfn. */
uint64_t npt_private_pte(const struct machine *m, unsigned vmpl, uint64_t gfn);
/**
 * Map the running VMPL's private view of @gfn at its C-bit-less GPA too:
 * page-table walks and fetches are private on SNP whatever the C-bit says,
 * but TCG walks the literal GPA. Dropped at the page's next RMP change.
 */
/** Alias a private page at its C-bit-less GPA for a walk or fetch; false
 * if it already is (no progress) or cannot be. */
bool npt_alias_private(struct machine *m, uint64_t gfn);
/** Remove every C-bit-less alias (at each exit that is not an #NPF). */
void npt_alias_drop(struct machine *m);

enum gacc {
	GACC_READ,
	GACC_WRITE,
	GACC_EXEC,
};
enum gmem_rc {
	GMEM_OK = 0,
	GMEM_NOT_VALIDATED, /* private, assigned, not validated: #VC 0x404 */
	GMEM_FORBIDDEN,     /* the RMP forbids it: stop the VM */
	GMEM_VMSA_IN_USE,   /* the running vCPU's VMSA (S6): stop the VM */
	GMEM_MMIO,          /* shared, outside guest RAM */
	GMEM_PAGE_FAULT,    /* the guest's own page tables refuse: #PF */
	GMEM_UNSUPPORTED,   /* paging mode snpemu does not walk */
};
const char *gacc_name(enum gacc a);
/**
 * #NPF cases the hardware or KVM resolve before snpemu's generic rules:
 * a private access to a shared page is converted (S7), a fetch from a page
 * with only XU or only XS stops the VM (S3). True if handled.
 */
bool npt_fault_fixup(struct machine *m, uint64_t gpa, enum gacc acc);

/**
 * The RMP's verdict on an access by VMPL @vmpl to @gpa (C-bit included),
 * without the host pointer (gmem_rule.c): the one rule gmem_gpa() and the
 * fuzzers' fake machine apply. @exec_perm: the RMP bit a fetch needs (XU
 * at CPL3, else XS); @vmsa_in_use: the page is a running VMSA (S6).
 */
enum gmem_rc gmem_rule(const struct rmp *r, unsigned vmpl, uint64_t gpa,
		       enum gacc acc, uint32_t exec_perm, bool vmsa_in_use);
/** The vCPU whose current VMSA is the page @gfn (S6: in use), or -1. */
int gmem_vmsa_vcpu(const struct machine *m, uint64_t gfn);
/** A page-state change the host makes for the guest: rmp_psc, except for a
 * VMSA page a vCPU runs (F6, gmem_rule.c). */
int gmem_psc(struct machine *m, uint64_t gpa, unsigned op, bool size_2m,
	     struct rmp_change *chg);
/** Host pointer for @gpa (C-bit included) as VMPL @vmpl may access it. */
enum gmem_rc gmem_gpa(struct machine *m, unsigned vmpl, uint64_t gpa,
		      enum gacc acc, void **hva);
/** Translate @gva through the guest's page tables (as VMPL @vmpl). */
enum gmem_rc gmem_gva(struct machine *m, unsigned vmpl, uint64_t gva,
		      enum gacc acc, uint64_t *gpa, uint32_t *pf_err);
/**
 * Copy to/from guest virtual memory on behalf of the running VMPL; on any
 * failure other than a guest #PF the VM is stopped with a report. Returns
 * false after injecting #PF.
 */
bool gmem_read(struct machine *m, uint64_t gva, void *dst, uint32_t len,
	       enum gacc acc);
bool gmem_write(struct machine *m, uint64_t gva, const void *src, uint32_t len);
/** Some GVA mapping @gpa in the running VMPL (bounded search). */
bool gmem_reverse(struct machine *m, uint64_t gpa, uint64_t *gva);
/** Report and stop for a failed access (names VMPL, RIP, GPA, kind). */
__noreturn void gmem_violation(struct machine *m, enum gmem_rc rc, uint64_t gpa,
			       enum gacc acc, const char *what);

/* ---- tlb.c: cached RMP permission results (S2) ---- */
void tlb_init_vmpl(struct machine *m, unsigned vmpl);
/** Apply an RMPADJUST's change; revocations wait for a flush. */
void tlb_rmp_adjust(struct machine *m, const struct rmp_change *chg);
/** @gfn's private PTE of @c is current again. */
void tlb_forget(struct npt_view *n, uint64_t gfn);
/** #UD intercept: INVLPGB (0F 01 FE) or TLBSYNC (0F 01 FF)? */
bool tlb_insn(struct machine *m, const uint8_t b[4]);

/* ---- vc.c ---- */
/** Deliver exception @vector in the running VMPL, frame built in software. */
void vc_deliver(struct machine *m, unsigned vector, bool has_err, uint64_t err);
/** #VC with @exit_code for the running VMPL (and inject.c's hook). */
void vc_raise(struct machine *m, uint64_t exit_code);

/* ---- insn.c ---- */
/** #UD intercept: emulate PVALIDATE/RMPADJUST/RMPQUERY or reflect #UD. */
void insn_ud(struct machine *m);
/** Reads @len instruction bytes at the running VMPL's RIP. */
bool insn_fetch(struct machine *m, uint8_t *buf, uint32_t len);

/* ---- ghcb.c ---- */
void ghcb_vmgexit(struct machine *m);
uint64_t emu_sev_status(const struct vmpl_ctx *c);
/* CPUID as snpemu answers the guest on the vCPU with @apic_id. */
void emu_cpuid(const struct vmpl_ctx *c, uint32_t apic_id, uint32_t fn,
	       uint32_t sub, uint32_t out[4]);

/* ---- vmpl.c ---- */
void vmpl_init(struct machine *m);
/** Create/replace @v's context of VMPL @vmpl from the VMSA at @gpa. */
int vmpl_create(struct machine *m, struct vcpu *v, unsigned vmpl,
		uint64_t vmsa_gpa);
void vmpl_destroy(struct machine *m, struct vcpu *v, unsigned vmpl);
/** Switch the vCPU to VMPL @target; returns false if not runnable. */
bool vmpl_switch(struct machine *m, unsigned target);
/** Pick the nested root and CR0 intercept for the VMCB's paging mode. */
void vmpl_sync_paging(const struct machine *m, struct vmpl_ctx *c);
/** First entry: load the current VMPL's VMSA into its VMCB. */
void vmpl_enter_first(struct machine *m);
/** Run vCPU @next on snpemu's L1 CPU next (states through the VMSAs). */
void vmpl_switch_vcpu(struct machine *m, struct vcpu *next);
struct snp_vmsa *vmpl_vmsa(struct machine *m, unsigned vmpl);

static inline struct vmpl_ctx *emu_cur(struct machine *m)
{
	return &m->cpu->ctx[m->cpu->cur];
}

static inline struct snp_vmsa *emu_save(struct machine *m)
{
	return vmcb_save(emu_cur(m)->vmcb);
}

#define CR0_PG (UINT64_C(1) << 31)
#define EFER_LME (UINT64_C(1) << 8)
#define EFER_LMA (UINT64_C(1) << 10)

static inline bool emu_paging(struct machine *m)
{
	return (vmcb_save(emu_cur(m)->vmcb)->cr0 & CR0_PG) != 0;
}

static inline void *emu_hva(uint64_t gpa)
{
	return (void *)(uintptr_t)(EMU_GUEST_RAM_HPA + (gpa & ~EMU_CBIT));
}
