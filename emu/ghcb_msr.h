/* SPDX-License-Identifier: MIT */
/*
 * Pure decoding of guest-provided GHCB protocol values (GHCB spec 56421,
 * docs/abi.md §7.4): MSR-protocol requests, page-state-change entries and IOIO
 * exit information. Every field comes from a hostile guest, so decoding
 * rejects reserved bits instead of masking them away.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum ghcb_msr_kind {
	GHCB_MSR_K_INVALID = 0, /* unknown function or reserved bits set */
	GHCB_MSR_K_GHCB_GPA,    /* function 0: a GHCB address (NAE event) */
	GHCB_MSR_K_SEV_INFO,
	GHCB_MSR_K_CPUID,
	GHCB_MSR_K_REG_GPA,
	GHCB_MSR_K_PSC,
	GHCB_MSR_K_RUN_VMPL,
	GHCB_MSR_K_HV_FEATURES,
	GHCB_MSR_K_TERM,
};

struct ghcb_msr_req {
	enum ghcb_msr_kind kind;
	uint64_t gfn;  /* GHCB_GPA (gpa >> 12), REG_GPA, PSC */
	uint32_t fn;   /* CPUID function */
	uint32_t reg;  /* CPUID register 0..3 = EAX..EDX */
	uint32_t op;   /* PSC op: 1 private, 2 shared */
	uint32_t vmpl; /* RUN_VMPL target */
	uint32_t set;  /* TERM reason set */
	uint32_t code; /* TERM reason code */
};

/** Decode the GHCB MSR value a guest left before VMGEXIT. */
struct ghcb_msr_req ghcb_msr_decode(uint64_t v);

/* Responses (GHCB spec §2.3.1; docs/abi.md §7.4 table). */
uint64_t ghcb_msr_cpuid_resp(uint32_t reg, uint32_t value);
uint64_t ghcb_msr_reg_gpa_resp(uint64_t gfn);
uint64_t ghcb_msr_psc_resp(uint32_t error);
uint64_t ghcb_msr_run_vmpl_resp(uint32_t error);
uint64_t ghcb_msr_hv_features_resp(uint64_t features);

/* ---- Page State Change descriptor (GHCB spec §4.1.6) ---- */
#define GHCB_PSC_MAX_ENTRIES 253
struct ghcb_psc_entry {
	uint32_t cur_page; /* pages of a 2 MiB entry already done */
	uint64_t gfn;
	uint32_t op; /* 1 private, 2 shared */
	bool size_2m;
	bool reserved_set;
};
struct ghcb_psc_entry ghcb_psc_entry_decode(uint64_t raw);
uint64_t ghcb_psc_entry_encode(const struct ghcb_psc_entry *e);

/* ---- IOIO exit information (APM vol. 2 §15.10.2, Figure 15-2) ---- */
struct ghcb_ioio {
	uint16_t port;
	uint8_t size; /* 1, 2 or 4 */
	bool in;
	bool str;
	bool rep;
	bool valid; /* exactly one size bit, no unsupported forms */
};
struct ghcb_ioio ghcb_ioio_decode(uint64_t info1);
