/* SPDX-License-Identifier: MIT */
/*
 * Hostile-hypervisor mode (docs/snpemu.md §6): `hostile=<seed>[,<n>]` on
 * snpemu's command line makes the host misbehave about once every n
 * (default 2000) VMPL0 entries, from a PRNG seeded with <seed>, once the
 * SVSM has registered its GHCB:
 *
 *   inject   an event into VMPL0: #VC with a random exit code, #HV, an
 *            interrupt, #PF/#GP/#UD/#DB or NMI (through inject.c, so
 *            Restricted Injection applies)
 *   msr      a wrong GHCB MSR-protocol response (one bit flipped)
 *   garble   one byte of the GHCB page's response fields changed
 *   replay   the previous GHCB response fields again
 *   scribble random bytes in the GHCB shared buffer
 *   remap    an SVSM-only private page, or (one in four) a VMSA page no
 *            vCPU runs, made shared behind the SVSM's back (RMPUPDATE;
 *            the RMP turns the SVSM's next access into #VC 0x404 or an
 *            #NPF, and a VMRUN of that VMSA fails)
 *   delay    a VMPL0 VMGEXIT (not a termination) resumed unanswered
 *
 * The SVSM may end the VM with a reason; it must never hang, corrupt its
 * state or report a wrong result as success (tests/emu/test_hostile.py).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct machine;

/** Parse hostile=; false if malformed. */
bool hostile_config(const char *arg);
/** irq.c: before each VMRUN of VMPL0. */
void hostile_vmpl0_entry(struct machine *m);
/** ghcb.c: VMPL0's VMGEXIT; true if the host ignores it this time. */
bool hostile_drop_vmgexit(struct machine *m, bool terminate);
/** One line of counts, printed when the VM ends. */
void hostile_report(void);
