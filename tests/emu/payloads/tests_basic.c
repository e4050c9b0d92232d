// SPDX-License-Identifier: MIT
/*
 * snpemu test payload: the SNP machine seen from VMPL0: SEV_STATUS, MSR
 * protocol, #VC delivery, GHCB NAE events, PVALIDATE, page-state changes,
 * RMPADJUST/RMPQUERY, private page-table walks and fetches.
 */
#include "lib/compiler.h"
#include "lib/fmt.h"
#include "lib/string.h"

#include "svsm/abi/ghcb.h"
#include "svsm/abi/ghcb_nae.h"
#include "svsm/abi/secrets.h"
#include "svsm/abi/snp.h"
#include "svsm/abi/snp_guest_msg.h"
#include "svsm/abi/vmsa.h"

#include "guest.h"
#include "payload.h"
#include "psp_crypto.h"

void t_sev_status(void)
{
	bool ok = true;

	EXPECT_EQ(rdmsr(MSR_SEV_STATUS),
		  SEV_STATUS_SEV | SEV_STATUS_SEV_ES | SEV_STATUS_SNP);
	report(ok, "SEV_STATUS reads SEV|ES|SNP without a #VC");
}

void t_msr_protocol(void)
{
	bool ok = true;
	uint64_t r = msr_proto(GHCB_MSR_SEV_INFO_REQ);

	EXPECT_EQ(r, GHCB_MSR_SEV_INFO(2, 1, 47));
	r = msr_proto(GHCB_MSR_CPUID(0x8000001f, 0));
	EXPECT_EQ(r & 0xfff, GHCB_MSR_CPUID_RESP);
	EXPECT_EQ(
		(r >> 32) & (CPUID_8000001F_EAX_SNP | CPUID_8000001F_EAX_VMPL),
		CPUID_8000001F_EAX_SNP | CPUID_8000001F_EAX_VMPL);
	r = msr_proto(GHCB_MSR_CPUID(0x8000001f, 1));
	EXPECT_EQ((r >> 32) & 0x3f, 47);
	EXPECT_EQ((r >> 44) & 0xf, 4);
	r = msr_proto(GHCB_MSR_HV_FEATURES_REQ);
	EXPECT_EQ(r & 0xfff, GHCB_MSR_HV_FEATURES_RESP);
	EXPECT_EQ((r >> 12) & 0x23, 0x23);
	report(ok, "MSR protocol: SEV info, CPUID 0x8000001F, HV features");
}

void t_vc(void)
{
	bool ok = true;
	uint64_t rip = 0, before = exc_count;
	uint32_t a = 0, b = 0, c = 0, d = 0;

	vc_skip = 2;
	__asm__ volatile("lea 1f(%%rip), %0\n1: cpuid"
			 : "=&r"(rip), "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(0), "c"(0));
	EXPECT_EQ(exc_vector, 29);
	EXPECT_EQ(exc_err, SVM_EXIT_CPUID);
	EXPECT_EQ(exc_rip, rip);
	vc_skip = 2;
	__asm__ volatile("inb $0x80, %%al" : "=a"(a) : : "memory");
	EXPECT_EQ(exc_err, SVM_EXIT_IOIO);
	vc_skip = 2;
	(void)rdmsr(0x1b);
	EXPECT_EQ(exc_err, SVM_EXIT_MSR);
	vc_skip = 3;
	__asm__ volatile("movq (%0), %%rax"
			 :
			 : "r"(MMIO_VA_BASE + 0x3ed00000)
			 : "rax", "memory");
	EXPECT_EQ(exc_err, SVM_EXIT_NPF);
	vc_skip = 3;
	__asm__ volatile(".byte 0x0f, 0x01, 0xd9" ::: "memory");
	EXPECT_EQ(exc_err, SVM_EXIT_VMMCALL);
	EXPECT_EQ(exc_count - before, 5);
	/* SVM instructions do not exist for an SNP guest: #UD. */
	vc_skip = 3;
	exc_vector = 0;
	__asm__ volatile("vmrun %%rax" ::"a"(0) : "memory");
	EXPECT_EQ(exc_vector, 6);
	report(ok,
	       "#VC with error code = exit code: CPUID, IOIO, MSR, MMIO, "
	       "VMMCALL; #UD for VMRUN");
}

void t_ghcb_nae(void)
{
	bool ok = true;
	uint64_t v = 0;

	ghcb_prepare(SVM_EXIT_CPUID, 0, 0);
	ghcb->rax = 0x8000001f;
	ghcb->rcx = 0;
	ghcb_set_valid(offsetof(struct ghcb, rax));
	ghcb_set_valid(offsetof(struct ghcb, rcx));
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_1, 0);
	EXPECT_EQ(ghcb_is_valid(offsetof(struct ghcb, rbx)), 1);
	EXPECT_EQ(ghcb->rax & CPUID_8000001F_EAX_SNP, CPUID_8000001F_EAX_SNP);
	EXPECT_EQ(ghcb->rbx & 0x3f, 47);
	/* IOIO in: COM1 LSR, transmitter idle. */
	ghcb_prepare(
		SVM_EXIT_IOIO,
		(UINT64_C(0x3fd) << IOIO_PORT_SHIFT) | IOIO_SZ8 | IOIO_TYPE_IN,
		0);
	vmgexit();
	EXPECT_EQ(ghcb->rax & 0x20, 0x20);
	/* MSR: APIC base, and #GP for an MSR nobody implements. */
	ghcb_prepare(SVM_EXIT_MSR, 0, 0);
	ghcb->rcx = 0x1b;
	ghcb_set_valid(offsetof(struct ghcb, rcx));
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_1, 0);
	EXPECT_EQ(ghcb->rax & 0xfffff000, 0xfee00000);
	/* SYSCFG reads 0 as on KVM (Linux reads it at boot). */
	ghcb_prepare(SVM_EXIT_MSR, 0, 0);
	ghcb->rcx = 0xc0010010;
	ghcb_set_valid(offsetof(struct ghcb, rcx));
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_1, 0);
	EXPECT_EQ(ghcb->rax | ghcb->rdx, 0);
	ghcb_prepare(SVM_EXIT_MSR, 0, 0);
	ghcb->rcx = 0x12345;
	ghcb_set_valid(offsetof(struct ghcb, rcx));
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_1, GHCB_RESULT_EXCEPTION);
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_EVENT_EXCEPTION(13));
	/* MMIO read of the HPET capabilities: vendor 0x8086. */
	ghcb_prepare(SVM_VMGEXIT_MMIO_READ, 0xfed00000, 8);
	set_scratch();
	vmgexit();
	memcpy(&v, ghcb->shared_buffer, 8);
	EXPECT_EQ(ghcb->sw_exit_info_1, 0);
	EXPECT_EQ((v >> 16) & 0xffff, 0x8086);
	/* Missing input and unsupported events are errors, not crashes. */
	ghcb_prepare(SVM_EXIT_CPUID, 0, 0);
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_1, GHCB_RESULT_ERROR);
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_MISSING_INPUT);
	/* A guest request that is no valid message: firmware error. */
	EXPECT_EQ(ghcb_call(SVM_VMGEXIT_GUEST_REQUEST, gpa_of(greq_req),
			    gpa_of(greq_resp)),
		  0);
	EXPECT_EQ(ghcb->sw_exit_info_2, SNP_FW_INVALID_PARAM);
	EXPECT_EQ(ghcb_call(0x8000fff0, 0, 0), GHCB_RESULT_ERROR);
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_EVENT);
	EXPECT_EQ(ghcb_call(SVM_VMGEXIT_HV_FEATURES, 0, 0), 0);
	EXPECT_EQ(ghcb->sw_exit_info_2 & 0x23, 0x23);
	/* A scratch area outside the GHCB is refused. */
	ghcb_prepare(SVM_VMGEXIT_MMIO_READ, 0xfed00000, 8);
	ghcb->sw_scratch = gpa_of(scratch_page);
	ghcb_set_valid(offsetof(struct ghcb, sw_scratch));
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_SCRATCH_AREA);
	report(ok, "GHCB NAE: CPUID, IOIO, MSR (SYSCFG, +#GP), MMIO, errors");
}

void t_pvalidate(void)
{
	bool ok = true, cf = false;
	uint64_t va = (uint64_t)(uintptr_t)scratch_page;
	volatile uint64_t *p = (volatile uint64_t *)scratch_page;

	EXPECT_EQ(pvalidate(va, 0, 1, &cf), 0);
	EXPECT_EQ(cf, 1); /* launch-validated already */
	EXPECT_EQ(pvalidate(va, 0, 0, &cf), 0);
	EXPECT_EQ(cf, 0);
	/* Touching it now: #VC 0x404; the handler validates, we retry. */
	revalidate_va = va;
	exc_err = 0;
	exc_cr2 = 0;
	*p = 42;
	EXPECT_EQ(exc_err, 0x404);
	EXPECT_EQ(exc_cr2, va); /* the only GVA mapping that page privately */
	EXPECT_EQ(*p, 42);
	EXPECT_EQ(revalidate_va, 0);
	EXPECT_EQ(pvalidate(va + 8, 0, 1, &cf), SNP_RC_FAIL_INPUT);
	EXPECT_EQ(pvalidate(va, 1, 1, &cf), SNP_RC_FAIL_INPUT);
	EXPECT_EQ(pvalidate(va, 2, 1, &cf), SNP_RC_FAIL_INPUT);
	/* Through the shared alias (C-bit clear): refused. */
	EXPECT_EQ(pvalidate((uint64_t)(uintptr_t)shared_va(scratch_page), 0, 1,
			    &cf),
		  SNP_RC_FAIL_INPUT);
	report(ok, "PVALIDATE: validate, rescind, CF=1, #VC 0x404, inputs");
}

void t_pvalidate_2m(void)
{
	bool ok = true, cf = false;
	uint64_t gpa = 0x800000; /* 8 MiB: outside the payload */
	struct ghcb_psc_hdr *h = (void *)ghcb->shared_buffer;
	uint64_t *ent = (uint64_t *)(h + 1);
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)(gpa + 0x3000);

	/* NAE page-state change: one 2 MiB entry to private. */
	h->cur_entry = 0;
	h->end_entry = 0;
	ent[0] = (gpa >> 12) << 12 | ((uint64_t)GHCB_MSR_PSC_OP_PRIVATE << 52) |
		 (UINT64_C(1) << 56);
	ghcb_prepare(SVM_VMGEXIT_PSC, 0, 0);
	set_scratch();
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2, 0);
	EXPECT_EQ(h->cur_entry, 1);
	EXPECT_EQ(pvalidate(gpa, 1, 1, &cf), 0);
	EXPECT_EQ(cf, 0);
	*p = 0x2b;
	EXPECT_EQ(*p, 0x2b);
	EXPECT_EQ(pvalidate(gpa, 1, 1, &cf), 0);
	EXPECT_EQ(cf, 1);
	/* 512 separately assigned 4K pages are not a 2 MiB page. */
	EXPECT_EQ(pvalidate(0x100000, 1, 1, &cf), SNP_RC_FAIL_INPUT);
	EXPECT_EQ(pvalidate(gpa, 1, 0, &cf), 0);
	report(ok, "PSC (NAE, 2M) and 2M PVALIDATE; size mismatch");
}

void t_rmp_adjust_query(void)
{
	bool ok = true;
	uint64_t va = (uint64_t)(uintptr_t)scratch_page, rdx = 2, rcx = 0;

	EXPECT_EQ(rmpadjust(va, 0, 0 | RMPADJ_RWX), SNP_RC_FAIL_PERMISSION);
	EXPECT_EQ(rmpadjust(va, 0, 4), SNP_RC_FAIL_INPUT);
	EXPECT_EQ(rmpadjust(va, 0, 2 | RMPADJ_READ | (1u << 12)),
		  SNP_RC_FAIL_INPUT);
	EXPECT_EQ(rmpadjust(va, 0, 2 | RMPADJ_READ), 0);
	EXPECT_EQ(rmpquery(va, &rdx, &rcx), 0);
	EXPECT_EQ(rdx, 2 | RMPADJ_READ);
	EXPECT_EQ(rcx, 0);
	EXPECT_EQ(rmpadjust(va, 0, 2), 0);
	rdx = 2;
	EXPECT_EQ(rmpquery(va, &rdx, &rcx), 0);
	EXPECT_EQ(rdx, 2);
	report(ok, "RMPADJUST rules and RMPQUERY");
}

void t_psc_msr(void)
{
	bool ok = true, cf = false;
	volatile uint64_t *priv = (volatile uint64_t *)shared_page;
	volatile uint64_t *shr = shared_va(shared_page);

	EXPECT_EQ(make_shared(shared_page), 1);
	*shr = 0x5a5a;
	EXPECT_EQ(*shr, 0x5a5a);
	EXPECT_EQ(msr_proto(GHCB_MSR_PSC(gpa_of(shared_page) >> 12,
					 GHCB_MSR_PSC_OP_PRIVATE)),
		  GHCB_MSR_PSC_RESP);
	revalidate_va = (uint64_t)(uintptr_t)shared_page;
	exc_err = 0;
	(void)*priv;
	EXPECT_EQ(exc_err, 0x404);
	EXPECT_EQ(pvalidate((uint64_t)(uintptr_t)shared_page, 0, 1, &cf), 0);
	EXPECT_EQ(cf, 1);
	report(ok, "PSC (MSR protocol) shared <-> private");
}

/* Hostile GHCB input: answered with errors, never acted on wrongly. */
static __attribute__((noinline)) uint64_t forty_two(void)
{
	return 42;
}

/* Table walks and fetches are private whatever the C-bit says (APM vol. 2
 * §15.34.5): a CR3 without the C-bit and code run through the C-bit-less
 * alias both work. */
void t_private_walks_fetches(void)
{
	bool ok = true;
	uint64_t (*alias)(void) =
		(uint64_t(*)(void))((uintptr_t)forty_two + SHARED_ALIAS);

	EXPECT_EQ(read_secret_cbitless_cr3(), 0x5ec2e7);
	EXPECT_EQ(alias(), 42);
	report(ok, "page-table walks and fetches are private without C-bit");
}
