/* SPDX-License-Identifier: MIT */
/*
 * The PSP's part of a launch (SNP Firmware ABI 56860 §8.17 SNP_LAUNCH_UPDATE
 * page types SECRETS and CPUID): the secrets page with fresh VMPCKs and
 * the CPUID page.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "svsm/abi/secrets.h"
#include "svsm/abi/snp.h"

#include "machine.h"
#include "psp_report.h"

struct psp_state {
	/* The PSP's copy of the VMPCKs, for guest requests. */
	uint8_t vmpck[4][SNP_VMPCK_SIZE];
	bool have_vmpck; /* a secrets page was built */
	bool rdrand_ok;
	uint64_t seqno[4]; /* last sequence number used, per VMPCK */
	/* Policy, launch digest, ID block identity, REPORT_ID (fixed for
	 * the guest's lifetime), CHIP_ID and TCB, as reports show them. */
	struct psp_guest guest;
};

extern struct psp_state emu_psp;

/** SNP_LAUNCH_START: a new guest context (fresh REPORT_ID, no identity). */
void psp_launch_start(void);
/** Fill @page as the secrets page (fresh random VMPCK0-3). */
void psp_build_secrets(struct snp_secrets_page *page);
/**
 * SNP_GUEST_REQUEST (docs/abi.md §9.3-9.5): decrypt the message in @req (a
 * shared page, copied first), answer MSG_REPORT_REQ, encrypt the answer
 * into @resp. Returns the firmware status for SW_EXITINFO2[31:0].
 */
uint32_t psp_guest_request(const uint8_t *req, uint8_t *resp);
/** Fill @page from the CPUID values snpemu presents to its guests. */
void psp_build_cpuid(struct snp_cpuid_page *page, const struct vmpl_ctx *c);

/*
 * cpu=noxsave: present a CPU without XSAVE (leaf 1 XSAVE, OSXSAVE and AVX, leaf
 * 7 PKU and OSPKE clear, basic leaves above 0xC hidden). QEMU's TCG executes
 * neither XSAVEC nor XSAVES, and a Linux SNP guest refuses CPUID 0xD:1 without
 * one of them (Linux arch/x86/boot/startup/sev-shared.c,
 * snp_cpuid_postprocess) and terminates; without XSAVE it never asks.
 */
extern bool psp_cpuid_no_xsave;
