/* SPDX-License-Identifier: MIT */
/*
 * The test-payload format snpemu loads with run=payload until it loads
 * svsm.igvm: a flat binary (from -initrd) that begins with this header,
 * loaded at load_gpa and started at VMPL0 in 64-bit mode with the given
 * CR3, RIP and RSP (RDI = the arg= command-line value, RSI = the GPA of
 * the secrets page snpemu's PSP built, RDX = the GPA of its own VMSA). Shared
 * with the payloads in tests/emu/payloads/.
 */
#pragma once

#include <stdint.h>

#define EMU_PAYLOAD_MAGIC UINT64_C(0x4c50554d45504e53) /* "SNPEMUPL" */

struct emu_payload_hdr {
	uint64_t magic;
	uint64_t load_gpa;  /* page aligned; the header's own GPA */
	uint64_t file_size; /* bytes to copy */
	uint64_t mem_size;  /* bytes to launch-validate (>= file_size) */
	uint64_t entry;     /* RIP (identity-mapped GVA) */
	uint64_t cr3;       /* with the C-bit */
	uint64_t stack_top; /* RSP */
	uint64_t reserved;
};
_Static_assert(sizeof(struct emu_payload_hdr) == 64, "payload header");

/*
 * The payload's verdict: GHCB termination with this reason set; code 0 =
 * all tests passed, anything else = failure. Other sets are real
 * termination requests and always fail.
 */
#define EMU_TERM_SET_VERDICT 0xf
