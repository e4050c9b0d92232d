/* SPDX-License-Identifier: MIT */
/*
 * The VMPL2 test guest: SVSM calls through both transports (docs/abi.md §1.4),
 * GHCB console. The tests_*.c files register TEST() cases (lib/test.h, the
 * image_tests section of linker/guest.ld), run in link order.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/test.h"

#include "svsm/abi/secrets.h"
#include "svsm/abi/svsm_call.h"

/* Register block of one call (layout fixed by call.S). */
struct gcall {
	uint64_t rax, rcx, rdx, r8, r9;
	uint64_t rbx, rbp, rsi, rdi, r10, r11, r12, r13, r14, r15;
};

enum gtransport {
	GT_MSR = 0,  /* GHCB MSR protocol 0x016 */
	GT_GHCB = 1, /* GHCB page, NAE 0x8000_0018 */
};

/* What the guest knows (from the secrets page, as Linux finds it). */
struct gstate {
	struct snp_secrets_page *secrets;
	struct svsm_caa *caa; /* current calling area */
	uint64_t svsm_base, svsm_size;
	uint64_t cbit;
};
extern struct gstate g;

/**
 * Make one call: returns true if the transport worked (hypervisor response
 * ok and call_pending cleared by the SVSM); @c holds the outputs.
 */
bool gcall(enum gtransport t, struct gcall *c);

/** Shorthand: RAX of a call with up to three parameters (MSR transport). */
uint64_t gcall3(uint64_t rax, uint64_t rcx, uint64_t rdx, uint64_t r8);

/** True if every register the call does not define survived. */
bool gcall_preserved(const struct gcall *c);

/*
 * A result-code check inside a TEST() case: on a mismatch the diagnostic
 * names the check and both values ("RAX 0x..., expected 0x...", which
 * tests/emu/test_attest_faults.py counts).
 */
#define EXPECT_RAX(expr, want, what) \
	guest_expect_rax(_t, __FILE__, __LINE__, (expr), (want), (what))
void guest_expect_rax(struct test_ctx *t, const char *file, int line,
		      uint64_t got, uint64_t want, const char *what);

/**
 * TPM2_CreatePrimary with the EK template L-1 (@ecc false) or L-2 through
 * VTPM_CMD, then FlushContext (tests_vtpm.c): the key's marshalled
 * TPMT_PUBLIC in @pub (*@len bytes). False if either command failed.
 */
bool guest_vtpm_create_ek(bool ecc, uint8_t *pub, uint32_t cap, uint32_t *len);

/* One TPM command through VTPM_CMD (GHCB transport): false unless the call
 * succeeded with a well-formed response, whose TPM response code is *@rc;
 * *@resp (if not NULL) points at the response until the next vTPM call. */
bool guest_vtpm_send(const uint8_t *cmd, uint32_t n, uint32_t *rc,
		     const uint8_t **resp);

/* True if the EK of the vTPM's attestation manifest @version (0: RSA-2048,
 * 1: ECC P-256; ATTEST_SINGLE_SERVICE) is the key TPM2_CreatePrimary with
 * the matching template (L-1, L-2) gives through VTPM_CMD now. */
bool guest_attested_ek_is_tpm_ek(uint32_t version);

/* Page-state change of one page through the GHCB MSR protocol. */
bool guest_psc(uint64_t gpa, bool shared);

/*
 * Hostile-guest checks (docs/architecture.md §7.1): a result-code check on an
 * input a hostile guest chooses, counted per protocol; the run ends with one
 * "# hostile-guest checks: ..." line (guest_hostile_report()).
 */
enum hostile_proto { HP_CORE, HP_ATTEST, HP_VTPM, HP_COUNT };
extern uint32_t hostile_checks[HP_COUNT];
#define HOSTILE_RAX(proto, expr, want, what)        \
	do {                                        \
		hostile_checks[(proto)]++;          \
		EXPECT_RAX((expr), (want), (what)); \
	} while (0)
/* Prints the counts; false if @full (every visible case ran) and there
 * were fewer than issue 14's 250 checks. */
bool guest_hostile_report(bool full);

/* The shared (C-bit clear) view of a low guest GPA: entry.S PML4[1]. */
#define GUEST_SHARED_ALIAS (UINT64_C(1) << 39)

/* Page-state change of one 4K or 2M page through the GHCB NAE event. */
bool guest_psc_nae(uint64_t gpa, bool shared, bool size_2m);
