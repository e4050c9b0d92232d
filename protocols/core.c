// SPDX-License-Identifier: MIT
/*
 * The core protocol (protocol 0; SVSM spec, AMD pub. 58019, chapter 7;
 * docs/abi.md §3): the call switch, the small calls, and the helpers shared by
 * core_pvalidate.c, core_vcpu.c and core_mem.c.
 */
#include "lib/spinlock.h"

#include "svsm/guest_mem.h"
#include "svsm/platform.h"
#include "svsm/vcpu.h"

#include "svsm/abi/snp.h"

#include "core_private.h"

static struct spinlock core_spinlock = SPINLOCK_INIT;

void core_lock(void)
{
	spin_lock(&core_spinlock);
}

void core_unlock(void)
{
	spin_unlock(&core_spinlock);
}

svsm_err_t core_check_guest_page(gpa_t g, uint64_t len)
{
	svsm_err_t err = guest_mem_check(g, len);

	if (err != SVSM_OK) {
		return err;
	}
	/*
	 * A guest that could rescind, deposit or re-register a VMSA or CAA
	 * page could corrupt a vCPU's state behind the SVSM's back.
	 */
	if (vcpu_range_is_vmsa_or_caa(g, len)) {
		return SVSM_E_ADDR;
	}
	return SVSM_OK;
}

int core_revoke_guest(gpa_t g, uint32_t size)
{
	int first_rc = SNP_RC_SUCCESS;

	/*
	 * Every VMPL below the SVSM loses all access: the guest may run at
	 * any of VMPL1..3 and the SVSM does not rely on which one.
	 */
	for (uint32_t vmpl = 1; vmpl < SNP_VMPL_COUNT; vmpl++) {
		int rc = plat_rmpadjust(g, size, vmpl);

		if (rc != SNP_RC_SUCCESS && first_rc == SNP_RC_SUCCESS) {
			first_rc = rc;
		}
	}
	return first_rc;
}

int core_grant_guest(gpa_t g, uint32_t size, uint8_t guest_vmpl)
{
	return plat_rmpadjust(g, size, guest_vmpl | RMPADJ_RWX);
}

svsm_err_t core_list_header(uint64_t rcx, struct svsm_pvalidate_hdr *hdr)
{
	uint64_t off = rcx & (PAGE_SIZE - 1);
	uint64_t max = 0;
	svsm_err_t err = SVSM_OK;

	/* SVSM spec Table 8 / docs/abi.md §3.2: 8-aligned, within one page. */
	if (!IS_ALIGNED(rcx, 8)) {
		return SVSM_E_INVAL;
	}
	if (off + sizeof(*hdr) > PAGE_SIZE) {
		return SVSM_E_INVAL;
	}
	/*
	 * The SVSM writes `next` (and WITHDRAW's entries) back into this
	 * page: refuse a VMSA before doing any work, not only at that final
	 * write (guest_mem refuses it too), so the call has no effect at all.
	 */
	if (vcpu_range_is_vmsa(gpa(rcx - off), PAGE_SIZE)) {
		return SVSM_E_ADDR;
	}
	err = guest_mem_read_obj(hdr, gpa(rcx));
	if (err != SVSM_OK) {
		return err;
	}
	/*
	 * hdr.reserved is deliberately not checked: Linux never clears it
	 * and an attestation request left in the CAA overlaps it. entries is
	 * bounded by the page (G7); it was read once and the caller goes on
	 * with this copy (G6).
	 */
	max = (PAGE_SIZE - off - sizeof(*hdr)) / sizeof(uint64_t);
	if (hdr->entries == 0 || hdr->entries > max) {
		return SVSM_E_INVAL;
	}
	return SVSM_OK;
}

/* SVSM spec §7.7 / docs/abi.md §3.6: always SUCCESS; RCX = 0 when absent. */
static svsm_err_t core_query_protocol(struct svsm_req *req)
{
	uint32_t proto = (uint32_t)(req->rcx >> 32);
	uint32_t version = (uint32_t)req->rcx;
	const struct svsm_protocol_info *p = svsm_protocol_find(proto);
	uint64_t out = 0;

	if (p != NULL && version >= p->min_version &&
	    version <= p->max_version) {
		out = ((uint64_t)p->max_version << 32) | p->min_version;
	}
	svsm_req_set_out(req, SVSM_OUT_RCX, out);
	return SVSM_OK;
}

/* SVSM spec §7.8 / docs/abi.md §3.7: vTOM is not supported; a query says so. */
static svsm_err_t core_configure_vtom(struct svsm_req *req)
{
	if ((req->rcx & 1) != 0) {
		svsm_req_set_out(req, SVSM_OUT_RCX, 0);
		return SVSM_OK;
	}
	return SVSM_E_REQUEST;
}

svsm_err_t core_call(struct svsm_req *req)
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
	core_lock();
	switch (req->call_id) {
	case SVSM_CORE_REMAP_CA:
		err = core_remap_ca(req);
		break;
	case SVSM_CORE_PVALIDATE:
		err = core_pvalidate(req);
		break;
	case SVSM_CORE_CREATE_VCPU:
		err = core_create_vcpu(req);
		break;
	case SVSM_CORE_DELETE_VCPU:
		err = core_delete_vcpu(req);
		break;
	case SVSM_CORE_DEPOSIT_MEM:
		err = core_deposit_mem(req);
		break;
	default:
		err = core_withdraw_mem(req);
		break;
	}
	core_unlock();
	return err;
}

/*
 * SVSM spec §7.1 / docs/abi.md §3.1: move the calling vCPU's CAA. The new page
 * must be guest RAM that is not the SVSM's, a VMSA or another vCPU's CAA.
 */
svsm_err_t core_remap_ca(struct svsm_req *req)
{
	struct svsm_vcpu *self = req->caller;
	gpa_t new_caa = gpa(req->rcx);
	uint64_t head = 0;
	svsm_err_t err = SVSM_OK;

	if (!IS_ALIGNED(req->rcx, PAGE_SIZE)) {
		return SVSM_E_INVAL;
	}
	if (gpa_eq(new_caa, self->caa)) {
		return SVSM_OK; /* remapping to the current CAA is a no-op */
	}
	err = core_check_guest_page(new_caa, PAGE_SIZE);
	if (err != SVSM_OK) {
		return err;
	}
	/* Start with call_pending = 0 and clean reserved bytes ([C]). */
	err = guest_mem_write_obj(new_caa, &head);
	if (err != SVSM_OK) {
		return err;
	}
	self->caa = new_caa;
	return SVSM_OK;
}
