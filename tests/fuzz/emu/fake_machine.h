/* SPDX-License-Identifier: MIT */
/*
 * A hosted stand-in for the parts of snpemu that emu/ghcb.c calls but does
 * not own (nested paging, VMPL contexts, devices, the PSP), so the GHCB
 * handler can be fuzzed on the host unchanged. Guest RAM is a small heap
 * arena; the RMP is emu/rmp.c's own. Accesses follow npt.c's gmem_gpa()
 * rules; the VM stopping (emu_stop, emu_exit, gmem_violation) unwinds to
 * the harness, which ends the input there.
 */
#pragma once

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

#define FAKE_EMU_PAGES 1024u /* 4 MiB: two 2 MiB regions for PSC */
#define FAKE_EMU_VCPUS 2u    /* the GHCB comes from vCPU 0 */

extern jmp_buf fake_emu_stop;

/* How often ghcb.c mapped each GFN for writing (the harness clears it). */
extern uint8_t fake_emu_written[FAKE_EMU_PAGES];

/* A machine with guest RAM, every page shared, two vCPUs; vCPU 0 runs,
 * with VMPL0 and VMPL2 present. */
void fake_emu_reset(struct machine *m);
uint8_t *fake_emu_ram(uint64_t gpa);
