// SPDX-License-Identifier: MIT
/*
 * The small calls of the core protocol (protocol 0; SVSM spec, AMD pub.
 * 58019, chapter 7; docs/abi.md §3): QUERY_PROTOCOL, CONFIGURE_VTOM and
 * REMAP_CA. The call switch is in src/dispatch.c; PVALIDATE, the vCPU calls
 * and the memory calls have their own files.
 */
#include "svsm/guest_mem.h"
#include "svsm/vcpu.h"

#include "core_private.h"

/* SVSM spec §7.7 / docs/abi.md §3.6: always SUCCESS; RCX = 0 when absent. */
svsm_err_t core_query_protocol(struct svsm_req *req)
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

/*
 * RCX of CONFIGURE_VTOM (docs/abi.md §3.7): bit 0 query, bit 1 enable,
 * bits 63:21 the vTOM boundary (2 MiB granular), bits 20:2 reserved. A
 * query takes no operand, so every bit but 0 is reserved there.
 */
#define VTOM_QUERY UINT64_C(1)
#define VTOM_RESERVED UINT64_C(0x1ffffc)

/* SVSM spec §7.8 / docs/abi.md §3.7: vTOM is not supported; a query says so. */
svsm_err_t core_configure_vtom(struct svsm_req *req)
{
	/* Reserved bits are refused, not ignored (issue 14 finding 8, G8). */
	if ((req->rcx & VTOM_QUERY) != 0 ? req->rcx != VTOM_QUERY
					 : (req->rcx & VTOM_RESERVED) != 0) {
		return SVSM_E_INVAL;
	}
	if ((req->rcx & VTOM_QUERY) != 0) {
		svsm_req_set_out(req, SVSM_OUT_RCX, 0);
		return SVSM_OK;
	}
	return SVSM_E_REQUEST;
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
	/* A CAA at GPA 0 reads as "none" to Linux (docs/abi.md §3.1). */
	if (gpa_val(new_caa) == 0) {
		return SVSM_E_ADDR;
	}
	err = guest_mem_check_page(new_caa, PAGE_SIZE);
	if (err != SVSM_OK) {
		return err;
	}
	/* Start with call_pending = 0 and clean reserved bytes ([C]). */
	err = guest_mem_write_obj(new_caa, &head);
	if (err != SVSM_OK) {
		return err;
	}
	vcpu_set_caa(self, new_caa);
	return SVSM_OK;
}
