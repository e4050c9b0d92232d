// SPDX-License-Identifier: MIT
/*
 * GHCB protocol decoding (ghcb_msr.h). Field positions: GHCB spec 56421
 * §2.3.1 (MSR protocol), §4.1.6 (page state change), APM vol. 2 §15.10.2
 * (IOIO EXITINFO1); mirrored in include/svsm/abi/ghcb.h.
 */
#include "ghcb_msr.h"

#include "svsm/abi/ghcb.h"

struct ghcb_msr_req ghcb_msr_decode(uint64_t v)
{
	struct ghcb_msr_req q = {.kind = GHCB_MSR_K_INVALID};
	uint64_t data = v >> GHCB_MSR_DATA_SHIFT;

	switch (v & GHCB_MSR_INFO_MASK) {
	case 0:
		q.kind = GHCB_MSR_K_GHCB_GPA;
		q.gfn = data;
		break;
	case GHCB_MSR_SEV_INFO_REQ:
		q.kind = data == 0 ? GHCB_MSR_K_SEV_INFO : GHCB_MSR_K_INVALID;
		break;
	case GHCB_MSR_CPUID_REQ:
		/* [29:12] reserved, [31:30] register, [63:32] function. */
		if ((v & UINT64_C(0x3ffff000)) == 0) {
			q.kind = GHCB_MSR_K_CPUID;
			q.reg = (uint32_t)(v >> 30) & 3;
			q.fn = (uint32_t)(v >> 32);
		}
		break;
	case GHCB_MSR_REG_GPA_REQ:
		q.kind = GHCB_MSR_K_REG_GPA;
		q.gfn = data;
		break;
	case GHCB_MSR_PSC_REQ:
		/* [51:12] GFN, [55:52] op, [63:56] reserved. */
		q.gfn = data & ((UINT64_C(1) << 40) - 1);
		q.op = (uint32_t)(v >> 52) & 0xf;
		if ((v >> 56) == 0 && (q.op == GHCB_MSR_PSC_OP_PRIVATE ||
				       q.op == GHCB_MSR_PSC_OP_SHARED)) {
			q.kind = GHCB_MSR_K_PSC;
		}
		break;
	case GHCB_MSR_RUN_VMPL_REQ:
		/* [31:12] and [63:40] reserved, [39:32] target VMPL. */
		if ((v & UINT64_C(0xfffff000)) == 0 && (v >> 40) == 0) {
			q.kind = GHCB_MSR_K_RUN_VMPL;
			q.vmpl = (uint32_t)(v >> 32) & 0xff;
		}
		break;
	case GHCB_MSR_HV_FEATURES_REQ:
		q.kind =
			data == 0 ? GHCB_MSR_K_HV_FEATURES : GHCB_MSR_K_INVALID;
		break;
	case GHCB_MSR_TERM_REQ:
		/* A guest that wants to stop is never refused: reserved bits
		 * above the reason code are ignored. */
		q.kind = GHCB_MSR_K_TERM;
		q.set = (uint32_t)(v >> 12) & 0xf;
		q.code = (uint32_t)(v >> 16) & 0xff;
		break;
	default:
		break;
	}
	return q;
}

uint64_t ghcb_msr_cpuid_resp(uint32_t reg, uint32_t value)
{
	return ((uint64_t)value << 32) | ((uint64_t)(reg & 3) << 30) |
	       GHCB_MSR_CPUID_RESP;
}

uint64_t ghcb_msr_reg_gpa_resp(uint64_t gfn)
{
	return (gfn << GHCB_MSR_DATA_SHIFT) | GHCB_MSR_REG_GPA_RESP;
}

uint64_t ghcb_msr_psc_resp(uint32_t error)
{
	return ((uint64_t)error << 32) | GHCB_MSR_PSC_RESP;
}

uint64_t ghcb_msr_run_vmpl_resp(uint32_t error)
{
	return ((uint64_t)error << 32) | GHCB_MSR_RUN_VMPL_RESP;
}

uint64_t ghcb_msr_hv_features_resp(uint64_t features)
{
	return (features << GHCB_MSR_DATA_SHIFT) | GHCB_MSR_HV_FEATURES_RESP;
}

/* Entry: [11:0] cur_page, [51:12] GFN, [55:52] op, [56] size, [63:57] 0. */
struct ghcb_psc_entry ghcb_psc_entry_decode(uint64_t raw)
{
	struct ghcb_psc_entry e = {
		.cur_page = (uint32_t)(raw & 0xfff),
		.gfn = (raw >> 12) & ((UINT64_C(1) << 40) - 1),
		.op = (uint32_t)(raw >> 52) & 0xf,
		.size_2m = ((raw >> 56) & 1) != 0,
		.reserved_set = (raw >> 57) != 0,
	};
	return e;
}

uint64_t ghcb_psc_entry_encode(const struct ghcb_psc_entry *e)
{
	return (uint64_t)(e->cur_page & 0xfff) |
	       ((e->gfn & ((UINT64_C(1) << 40) - 1)) << 12) |
	       ((uint64_t)(e->op & 0xf) << 52) |
	       ((uint64_t)(e->size_2m ? 1 : 0) << 56);
}

struct ghcb_ioio ghcb_ioio_decode(uint64_t info1)
{
	struct ghcb_ioio io = {0};
	uint32_t sz = (uint32_t)info1 & (IOIO_SZ8 | IOIO_SZ16 | IOIO_SZ32);

	io.port = (uint16_t)(info1 >> IOIO_PORT_SHIFT);
	io.in = (info1 & IOIO_TYPE_IN) != 0;
	io.str = (info1 & IOIO_STR) != 0;
	io.rep = (info1 & IOIO_REP) != 0;
	io.size = sz == IOIO_SZ8    ? 1
		  : sz == IOIO_SZ16 ? 2
		  : sz == IOIO_SZ32 ? 4
				    : 0;
	/* Bits 63:32 are not part of the format; address-size bits 9:7 and
	 * segment bits 12:10 are informational. */
	io.valid = io.size != 0 && (info1 >> 32) == 0;
	return io;
}
