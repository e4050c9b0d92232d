// SPDX-License-Identifier: MIT
/*
 * The second of the five files a call passes through (docs/architecture.md
 * §8): take the call from the caller's VMSA and CAA, switch on protocol
 * and call, and THE internal-error → result-code mapping
 * (docs/architecture.md §3, docs/style.md §2, §4; docs/abi.md §1.1, §1.2,
 * §1.4).
 *
 * Plain switches (protocol, then the core protocol's call id here; other
 * protocols switch on their calls in their own file): a switch on a
 * 32-bit id compiles to a bounds-checked jump, so no
 * guest-controlled value ever indexes a table of function pointers.
 */
#include "lib/spinlock.h"

#include "svsm/guest_mem.h"
#include "svsm/lock_stat.h"
#include "svsm/platform.h"
#include "svsm/request.h"
#include "svsm/vcpu.h"

#include "svsm/abi/svsm_call.h"
#include "svsm/abi/vmsa.h"

uint64_t svsm_err_to_rax(svsm_err_t err, uint64_t proto_detail)
{
	/*
	 * No default: -Wswitch (in -Wall) flags any new error code that is
	 * not mapped here. Values: docs/abi.md §1.2.
	 */
	switch (err) {
	case SVSM_OK:
		return SVSM_SUCCESS;
	case SVSM_E_INVAL:
		return SVSM_ERR_INVALID_PARAMETER;
	case SVSM_E_FORMAT:
		return SVSM_ERR_INVALID_FORMAT;
	case SVSM_E_ADDR:
	/*
	 * A fault while copying means the guest handed us a page it (or the
	 * host) made unusable: an address problem, never a panic (G5).
	 */
	case SVSM_E_FAULT:
		return SVSM_ERR_INVALID_ADDRESS;
	case SVSM_E_REQUEST:
		return SVSM_ERR_INVALID_REQUEST;
	case SVSM_E_BUSY:
	/*
	 * Resource exhaustion in the SVSM is not the guest's fault and must
	 * not take the CVM down (docs/style.md §4): the guest may retry.
	 */
	case SVSM_E_NOMEM:
		return SVSM_ERR_BUSY;
	case SVSM_E_INCOMPLETE:
		return SVSM_ERR_INCOMPLETE;
	case SVSM_E_NOCALL:
		return SVSM_ERR_UNSUPPORTED_CALL;
	case SVSM_E_NOPROTO:
		return SVSM_ERR_UNSUPPORTED_PROTOCOL;
	case SVSM_E_PROTO:
		/* Keep the code inside the protocol-specific 0x8000_1xxx range.
		 */
		return SVSM_ERR_PROTOCOL_BASE + (proto_detail & 0xfff);
	}
	/* Not reachable for valid enum values; be conservative if it is. */
	return SVSM_ERR_INVALID_REQUEST;
}

/*
 * The core lock: serialises every core call that changes or depends on RMP
 * state, the vCPU/VMSA registry or the deposited-page pool (so PVALIDATE
 * cannot race CREATE_VCPU into handing the guest a VMSA page, cf.
 * coconut's PVALIDATE_LOCK). QUERY_PROTOCOL and CONFIGURE_VTOM do not
 * take it.
 */
static struct spinlock core_lock = SPINLOCK_INIT;
static struct lock_stat core_stat = LOCK_STAT_INIT("core_lock", 1024);

struct svsm_vcpu *svsm_vcpu_claim(uint32_t apic_id, uint64_t *served_gpa)
{
	struct svsm_vcpu *v = NULL;

	stat_lock(&core_lock, &core_stat);
	v = vcpu_by_apic_id(apic_id);
	if (v != NULL && !gpa_is_invalid(v->guest_vmsa)) {
		__atomic_store_n(served_gpa, gpa_val(v->guest_vmsa),
				 __ATOMIC_RELEASE);
	} else {
		v = NULL;
	}
	stat_unlock(&core_lock, &core_stat);
	return v;
}

void svsm_vcpu_add_ap(uint32_t apic_id, uint8_t guest_vmpl,
		      uint64_t sev_features)
{
	stat_lock(&core_lock, &core_stat);
	(void)vcpu_add(apic_id, guest_vmpl, sev_features);
	stat_unlock(&core_lock, &core_stat);
}

static svsm_err_t core_locked(struct svsm_req *req)
{
	switch (req->call_id) {
	case SVSM_CORE_REMAP_CA:
		return core_remap_ca(req);
	case SVSM_CORE_PVALIDATE:
		return core_pvalidate(req);
	case SVSM_CORE_CREATE_VCPU:
		return core_create_vcpu(req);
	case SVSM_CORE_DELETE_VCPU:
		return core_delete_vcpu(req);
	case SVSM_CORE_DEPOSIT_MEM:
		return core_deposit_mem(req);
	default:
		return core_withdraw_mem(req);
	}
}

/* The core protocol's call switch (docs/abi.md §3). */
static svsm_err_t core_dispatch(struct svsm_req *req)
{
	svsm_err_t err = SVSM_OK;

	switch (req->call_id) {
	case SVSM_CORE_QUERY_PROTOCOL:
		return core_query_protocol(req);
	case SVSM_CORE_CONFIGURE_VTOM:
		return core_configure_vtom(req);
	case SVSM_CORE_REMAP_CA:
	case SVSM_CORE_PVALIDATE:
	case SVSM_CORE_CREATE_VCPU:
	case SVSM_CORE_DELETE_VCPU:
	case SVSM_CORE_DEPOSIT_MEM:
	case SVSM_CORE_WITHDRAW_MEM:
		break;
	default:
		return SVSM_E_NOCALL;
	}
	/* Every other call needs to know who is calling (its VMPL, CAA). */
	if (req->caller == NULL) {
		return SVSM_E_REQUEST;
	}
	stat_lock(&core_lock, &core_stat);
	err = core_locked(req);
	stat_unlock(&core_lock, &core_stat);
	return err;
}

uint64_t svsm_dispatch(struct svsm_req *req)
{
	svsm_err_t err = SVSM_E_NOPROTO;

	switch (req->protocol) {
	case SVSM_PROTO_CORE:
		err = core_dispatch(req);
		break;
	case SVSM_PROTO_ATTEST:
		err = attest_call(req); /* attest_absent.c for now */
		break;
	case SVSM_PROTO_VTPM:
		err = vtpm_call(req);
		break;
	default:
		err = SVSM_E_NOPROTO;
		break;
	}
	return svsm_err_to_rax(err, req->proto_detail);
}

bool svsm_is_call(const struct snp_vmsa *vmsa, uint8_t call_pending)
{
	/*
	 * The hypervisor may switch to VMPL0 for reasons other than a call
	 * (docs/abi.md §1.4 step 3): only a VMGEXIT with call_pending set is
	 * one.
	 */
	return vmsa->guest_exit_code == SVM_EXIT_VMGEXIT && call_pending != 0;
}

void svsm_request_from_vmsa(struct svsm_req *req, const struct snp_vmsa *vmsa,
			    struct svsm_vcpu *caller)
{
	/*
	 * @vmsa is the guest's VMSA page itself (stopped): each register is
	 * read exactly once into the request (G6).
	 */
	uint64_t rax = READ_ONCE(vmsa->rax);

	req->protocol = SVSM_CALL_PROTOCOL(rax);
	req->call_id = SVSM_CALL_ID(rax);
	req->rcx = READ_ONCE(vmsa->rcx);
	req->rdx = READ_ONCE(vmsa->rdx);
	req->r8 = READ_ONCE(vmsa->r8);
	req->r9 = READ_ONCE(vmsa->r9);
	req->out.rcx = 0;
	req->out.rdx = 0;
	req->out.r8 = 0;
	req->out.r9 = 0;
	req->out.set = 0;
	req->proto_detail = 0;
	req->caller = caller;
}

void svsm_request_to_vmsa(const struct svsm_req *req, uint64_t rax,
			  struct snp_vmsa *vmsa)
{
	/*
	 * Registers a call does not define as outputs stay exactly as the
	 * guest had them (docs/abi.md §1.1): Linux's asm lists only these five,
	 * and the attestation client compares RCX/RDX/R8 with its inputs.
	 */
	vmsa->rax = (uint32_t)rax;
	if (req->out.set & SVSM_OUT_RCX) {
		vmsa->rcx = req->out.rcx;
	}
	if (req->out.set & SVSM_OUT_RDX) {
		vmsa->rdx = req->out.rdx;
	}
	if (req->out.set & SVSM_OUT_R8) {
		vmsa->r8 = req->out.r8;
	}
	if (req->out.set & SVSM_OUT_R9) {
		vmsa->r9 = req->out.r9;
	}
}

/*
 * The CAA of @caller is read and its call_pending cleared under @caller's
 * lock: CREATE_VCPU, DELETE_VCPU (on any vCPU) and REMAP_CA change the
 * vCPU's CA under it (after the core lock, docs/architecture.md §3), so
 * the page read is the vCPU's CA for the whole read-and-clear, and the
 * registry keeps it from being rescinded meanwhile. The vCPU lock, not
 * the core lock: a call must not wait for another vCPU's PVALIDATE.
 */
static svsm_err_t take_locked(struct svsm_vcpu *caller,
			      const struct snp_vmsa *vmsa, bool *is_call)
{
	uint8_t pending = 0;
	svsm_err_t err = SVSM_OK;

	if (gpa_is_invalid(caller->caa)) {
		return SVSM_OK;
	}
	err = guest_mem_read_obj(&pending, caller->caa);
	if (err != SVSM_OK || !svsm_is_call(vmsa, pending)) {
		return err;
	}
	/*
	 * Clear it before dispatching (docs/abi.md §11.1): left at 1, Linux
	 * fails the call without retrying and terminates for
	 * PVALIDATE/REMAP_CA. The CAA read here is the one in use when the call
	 * was made, even if the call is a REMAP_CA that moves it (docs/abi.md
	 * §3.1).
	 */
	pending = 0;
	err = guest_mem_write_obj(caller->caa, &pending);
	if (err != SVSM_OK) {
		return err;
	}
	*is_call = true;
	return SVSM_OK;
}

svsm_err_t svsm_request_take(struct svsm_vcpu *caller,
			     const struct snp_vmsa *vmsa, bool *is_call)
{
	svsm_err_t err = SVSM_OK;

	*is_call = false;
	if (vmsa->guest_exit_code != SVM_EXIT_VMGEXIT) {
		return SVSM_OK;
	}
	spin_lock(&caller->lock);
	err = take_locked(caller, vmsa, is_call);
	spin_unlock(&caller->lock);
	return err;
}

struct snp_vmsa *svsm_vcpu_follow(struct svsm_vcpu *caller)
{
	struct snp_vmsa *mapped = NULL;
	uint64_t code = 0;
	gpa_t next = gpa_invalid();

	/*
	 * Nothing pending, the common case: no lock. A CREATE_VCPU racing
	 * this read is seen at the next exit; its VMSA cannot have run yet
	 * anyway (the guest sends AP_CREATION after CREATE_VCPU returned).
	 */
	if (__atomic_load_n(&caller->next_vmsa.v, __ATOMIC_ACQUIRE) ==
	    GPA_INVALID_VALUE) {
		return NULL;
	}
	stat_lock(&core_lock, &core_stat);
	next = caller->next_vmsa;
	/*
	 * CREATE_VCPU set GUEST_EXIT_CODE to 0 in the pending VMSA and the
	 * guest cannot write it: non-zero means the hypervisor entered it
	 * (the guest sent AP_CREATION) and it exited, so this exit is its
	 * and the old VMSA will not run again (docs/abi.md §3.3). Switched
	 * under the core lock: DELETE_VCPU sees one VMSA in use, never none.
	 */
	if (!gpa_is_invalid(next) &&
	    guest_mem_vmsa_exit_code(next, false, &code) == SVSM_OK &&
	    code != 0) {
		mapped = plat_serve_vmsa(next);
		vcpu_vmsa_switched(caller);
	}
	stat_unlock(&core_lock, &core_stat);
	return mapped;
}

bool svsm_request_process(struct svsm_vcpu *caller, struct snp_vmsa *vmsa)
{
	struct svsm_req req;
	bool is_call = false;
	uint64_t rax = 0;

	if (svsm_request_take(caller, vmsa, &is_call) != SVSM_OK || !is_call) {
		return false;
	}
	svsm_request_from_vmsa(&req, vmsa, caller);
	rax = svsm_dispatch(&req);
	svsm_request_to_vmsa(&req, rax, vmsa);
	return true;
}
