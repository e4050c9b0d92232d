/* SPDX-License-Identifier: MIT */
/*
 * A hostile hypervisor for the guest-request path (docs/attestation.md
 * §6): `psp_fault=<mode>:<n>` on snpemu's command line makes the host side
 * misbehave on the n-th guest request (1-based, counted over all VMPLs):
 *
 *   busy      answer BUSY three times before passing the request on
 *   garbage   pass it on, then flip a byte of the response's ciphertext
 *   replay    answer with the previous request's response page, unsent
 *   fwerr     answer firmware status INVALID_PARAMETER, unsent
 *   bigcerts  (extended request) INVALID_LEN asking for 100 pages
 *
 * Real hosts can do all of this; snpemu only does it when told to.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* greq_stats=1: log every guest request with the exit and VMPL-switch
 * counts (bench/attest_roundtrip.py reads the cost of a report from it). */
extern bool psp_greq_stats;

enum psp_fault_act {
	PSP_FAULT_NONE,   /* pass the request on as usual */
	PSP_FAULT_ANSWER, /* *@exitinfo2 (and RBX for bigcerts) is the answer */
	PSP_FAULT_MANGLE, /* pass it on, then call psp_fault_after() */
};

/** Parse the psp_fault= value; false if it is malformed. */
bool psp_fault_config(const char *arg);

/**
 * Before a guest request: what the hostile host does with it. @resp is the
 * response page; @exitinfo2 and @rbx receive a canned answer.
 */
enum psp_fault_act psp_fault_before(bool ext, uint8_t *resp,
				    uint64_t *exitinfo2, uint64_t *rbx);
/** After the PSP answered: mangle @resp, remember it for a replay. */
void psp_fault_after(uint8_t *resp, bool mangle);
