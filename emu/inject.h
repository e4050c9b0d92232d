/* SPDX-License-Identifier: MIT */
/*
 * The host's event injection into VMPL0, and Restricted Injection
 * (docs/snpemu.md §5). A hostile host injects events into the SVSM; on
 * SNP hardware only Restricted Injection (SEV_FEATURES bit 3) stops it:
 * then the host may inject #HV and nothing else (APM vol. 2 §15.36.16).
 *
 * Command-line words (snpemu, run=igvm):
 *   ri=1            a host with KVM's restricted-injection series: the
 *                   VMM turns Restricted Injection on for the VM (VMPL0's
 *                   VMSA gets SEV_FEATURES bit 3 before it is measured)
 *                   and GHCB HV feature bit 2 is advertised
 *   inject=<k>@<n>  one injection into VMPL0, the n-th time (1-based) the
 *                   trigger of kind k comes, counted once the SVSM has
 *                   registered its GHCB:
 *                     vc-cpuid  #VC(CPUID) at the n-th VMPL0 entry, at
 *                               whatever instruction RIP is
 *                     vc-nested a second #VC(CPUID) right after the n-th
 *                               #VC snpemu delivers to VMPL0: RIP is the
 *                               handler's first instruction (a host gets
 *                               there by failing the fetch with an #NPF)
 *                     vc-mid    after the n-th #VC(CPUID) delivered to
 *                               VMPL0, the CPUID page is unmapped from
 *                               VMPL0's nested tables; at the #NPF inside
 *                               the handler a #VC(CPUID) is injected
 *                     irq       external interrupt 0x30 at the n-th entry
 *                     hv        #HV at the n-th entry
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct machine;

extern bool emu_host_ri;
extern uint64_t emu_cpuid_page_gpa; /* igvm_load.c: where QEMU put it */

/** Parse inject=; false if malformed. */
bool inject_config(const char *arg);

/**
 * Inject an event into the running VMPL as the host would through
 * EVENTINJ. With Restricted Injection on for that VMSA anything but #HV is
 * refused (counted; hardware would fail the VMRUN, snpemu drops it and
 * says so). True if delivered.
 */
bool inject_host_event(struct machine *m, unsigned vector, bool has_err,
		       uint64_t err);

/** irq.c: before each VMRUN of VMPL0. */
void inject_vmpl0_entry(struct machine *m);
/** vc.c: after snpemu delivered #VC @exit_code to VMPL0. */
void inject_after_vc(struct machine *m, uint64_t exit_code);
/** machine.c: an #NPF of VMPL0 at @gpa; true if inject.c consumed it. */
bool inject_npf(struct machine *m, uint64_t gpa);
/** One line of counts, printed when the VM ends. */
void inject_report(void);
