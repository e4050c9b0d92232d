/* SPDX-License-Identifier: MIT */
/*
 * One SVSM call, as the dispatcher and the protocol handlers see it
 * (docs/style.md §2). The request loop fills it once from a copy of the
 * caller's VMSA; handlers read the immutable input snapshot and write only
 * the outputs; the loop writes the outputs back with svsm_request_to_vmsa().
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "svsm/err.h"
#include "svsm/types.h"

struct snp_vmsa;
struct svsm_vcpu;

/** Which output registers a handler set. */
#define SVSM_OUT_RCX (1u << 0)
#define SVSM_OUT_RDX (1u << 1)
#define SVSM_OUT_R8 (1u << 2)
#define SVSM_OUT_R9 (1u << 3)

struct svsm_req {
	uint32_t protocol; /* RAX[63:32] */
	uint32_t call_id;  /* RAX[31:0] */
	/* Inputs: a snapshot taken once; never re-read from the guest. */
	uint64_t rcx, rdx, r8, r9;
	/* Outputs: only registers flagged in out_set are written back. */
	struct {
		uint64_t rcx, rdx, r8, r9;
		uint32_t set;
	} out;
	uint64_t proto_detail;    /* for SVSM_E_PROTO: 0x80001000 + detail */
	struct svsm_vcpu *caller; /* the vCPU that made the call */
};

/** Set an output register (RCX, RDX, R8 or R9 by flag). */
static inline void svsm_req_set_out(struct svsm_req *req, uint32_t reg,
				    uint64_t val)
{
	if (reg == SVSM_OUT_RCX) {
		req->out.rcx = val;
	} else if (reg == SVSM_OUT_RDX) {
		req->out.rdx = val;
	} else if (reg == SVSM_OUT_R8) {
		req->out.r8 = val;
	} else {
		req->out.r9 = val;
	}
	req->out.set |= reg;
}

/**
 * Is the guest's VMSA state a pending SVSM call? (docs/abi.md §1.4 step 3:
 * guest_exit_code == VMGEXIT and call_pending set.) @vmsa is the SVSM's
 * copy of the guest VMSA; @call_pending the byte read from the CAA.
 */
bool svsm_is_call(const struct snp_vmsa *vmsa, uint8_t call_pending);

/**
 * Fill @req from the SVSM's copy of the caller's VMSA: RAX, RCX, RDX, R8
 * and R9 are read exactly once. Outputs are cleared.
 */
void svsm_request_from_vmsa(struct svsm_req *req, const struct snp_vmsa *vmsa,
			    struct svsm_vcpu *caller);

/**
 * Write @rax and the outputs that @req set into @vmsa. Touches only RAX,
 * RCX, RDX, R8 and R9 (docs/abi.md §11.2): never RIP, flags or other GPRs.
 */
void svsm_request_to_vmsa(const struct svsm_req *req, uint64_t rax,
			  struct snp_vmsa *vmsa);

/**
 * Decide whether the caller's exit is an SVSM call and consume it: reads
 * call_pending from the caller's CAA through guest_mem and clears it.
 * *@is_call is false (and nothing is written) if it is not a call. An error
 * means the CAA was unusable; the loop should resume the guest anyway.
 */
__must_check svsm_err_t svsm_request_take(struct svsm_vcpu *caller,
					  const struct snp_vmsa *vmsa,
					  bool *is_call);

/**
 * The request loop's one call per exit: take the call, snapshot RAX, RCX,
 * RDX, R8 and R9 from @vmsa (the caller's VMSA, stopped), dispatch, and
 * write RAX and the outputs the call defines back into @vmsa. Returns
 * false if there was no call (then @vmsa is untouched).
 */
bool svsm_request_process(struct svsm_vcpu *caller, struct snp_vmsa *vmsa);

/**
 * An AP takes up its vCPU (src/smp.c): under the core lock, if the vCPU
 * with @apic_id has a guest VMSA (CREATE_VCPU gave it one), store its GPA
 * in *@served_gpa — from then on DELETE_VCPU refuses it as in use — and
 * return the vCPU; else NULL.
 */
struct svsm_vcpu *svsm_vcpu_claim(uint32_t apic_id, uint64_t *served_gpa);

/**
 * After an exit of @caller's guest VMPL, before its call is taken: if
 * CREATE_VCPU left a pending VMSA for @caller and the hypervisor has since
 * run it (the guest sent AP_CREATION), this CPU serves that VMSA from now
 * on (plat_serve_vmsa) and the registry makes it current
 * (vcpu_vmsa_switched). Returns it mapped, or NULL if nothing changed.
 */
struct snp_vmsa *svsm_vcpu_follow(struct svsm_vcpu *caller);

/** Register the vCPU @apic_id (an AP, no guest VMSA yet) under the lock. */
void svsm_vcpu_add_ap(uint32_t apic_id, uint8_t guest_vmpl,
		      uint64_t sev_features);

/** Dispatch on protocol, then call id; returns the RAX result code. */
uint64_t svsm_dispatch(struct svsm_req *req);

/** THE mapping from internal errors to result codes (docs/style.md §4). */
uint64_t svsm_err_to_rax(svsm_err_t err, uint64_t proto_detail);

/*
 * The core protocol's calls (protocols/core*.c), switched on in
 * src/dispatch.c. All but QUERY_PROTOCOL and CONFIGURE_VTOM run under the
 * core lock with req->caller set.
 */
svsm_err_t core_remap_ca(struct svsm_req *req);
svsm_err_t core_pvalidate(struct svsm_req *req);
svsm_err_t core_create_vcpu(struct svsm_req *req);
svsm_err_t core_delete_vcpu(struct svsm_req *req);
svsm_err_t core_deposit_mem(struct svsm_req *req);
svsm_err_t core_withdraw_mem(struct svsm_req *req);
svsm_err_t core_query_protocol(struct svsm_req *req);
svsm_err_t core_configure_vtom(struct svsm_req *req);

/** The other protocols' entry points (protocols/: one file each). */
svsm_err_t attest_call(struct svsm_req *req);
svsm_err_t vtpm_call(struct svsm_req *req);

/** Protocol metadata (protocols/protocol_table.c). */
struct svsm_protocol_info {
	uint32_t id;
	uint32_t min_version;
	uint32_t max_version;
};

/** Returns the table entry for @id, or NULL if that protocol is absent. */
const struct svsm_protocol_info *svsm_protocol_find(uint32_t id);
/** The whole table (for tests and the boot banner). */
const struct svsm_protocol_info *svsm_protocol_table(uint32_t *count);
