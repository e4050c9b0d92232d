// SPDX-License-Identifier: MIT
/*
 * snpemu test payload, VMPL0 part: runs at VMPL0 under snpemu and checks
 * the SNP machine from the inside, printing TAP to COM1 through GHCB IOIO
 * (so every line is also a GHCB round trip). The verdict goes to snpemu as
 * a GHCB termination request with reason set 0xF (emu/payload.h).
 *
 * arg (RDI) bits 3:0 select the mode, bits 63:4 a count:
 *   0  the tests below
 *   1  the same, but VMPL2 then reads VMPL0 memory: snpemu must stop
 *   2  benchmark: count SVSM-call-like round trips VMPL0 -> VMPL2 -> VMPL0
 *   3  benchmark: count bare exits (GHCB HV_FEATURES)
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

static uint8_t ghcb0_page[4096] __aligned(4096);
static uint8_t ghcb2_page[4096] __aligned(4096);
static uint8_t vmsa2_page[4096] __aligned(4096);
static uint8_t scratch_page[4096] __aligned(4096);
static uint8_t shared_page[4096] __aligned(4096);
static uint8_t idt0[4096] __aligned(4096);
static uint8_t greq_req[4096] __aligned(4096);
static uint8_t greq_resp[4096] __aligned(4096);
static const struct snp_secrets_page *secrets;
static volatile uint64_t vmpl0_secret = 0x5ec2e7;

static struct ghcb *ghcb; /* shared-alias view of ghcb0_page */
static uint64_t ghcb_gpa;
static unsigned test_no, failures;

/* What the exception handler saw; set vc_skip to step over the insn. */
static volatile uint64_t exc_count, exc_vector, exc_err, exc_rip, vc_skip;
static volatile uint64_t revalidate_va; /* #VC 0x404: PVALIDATE and retry */
static volatile uint64_t exc_cr2;

static uint64_t gpa_of(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static void *shared_va(const void *p)
{
	return (void *)((uintptr_t)p + SHARED_ALIAS);
}

static void terminate(uint32_t set, uint32_t code)
{
	wrmsr(MSR_GHCB, GHCB_MSR_TERM(set, code));
	vmgexit();
	for (;;) {
		__asm__ volatile("ud2");
	}
}

/* ---- GHCB calls ---- */

static void ghcb_set_valid(size_t off)
{
	ghcb->valid_bitmap[off / 64] |= (uint8_t)(1u << ((off / 8) % 8));
}

static void ghcb_prepare(uint64_t code, uint64_t info1, uint64_t info2)
{
	memset(ghcb->valid_bitmap, 0, sizeof(ghcb->valid_bitmap));
	ghcb->sw_exit_code = code;
	ghcb->sw_exit_info_1 = info1;
	ghcb->sw_exit_info_2 = info2;
	ghcb_set_valid(offsetof(struct ghcb, sw_exit_code));
	ghcb_set_valid(offsetof(struct ghcb, sw_exit_info_1));
	ghcb_set_valid(offsetof(struct ghcb, sw_exit_info_2));
	ghcb->protocol_version = 2;
	ghcb->ghcb_usage = 0;
}

static bool ghcb_is_valid(size_t off)
{
	return (ghcb->valid_bitmap[off / 64] >> ((off / 8) % 8)) & 1;
}

static uint64_t ghcb_call(uint64_t code, uint64_t info1, uint64_t info2)
{
	ghcb_prepare(code, info1, info2);
	vmgexit();
	return ghcb->sw_exit_info_1;
}

static void set_scratch(void)
{
	ghcb->sw_scratch = ghcb_gpa + offsetof(struct ghcb, shared_buffer);
	ghcb_set_valid(offsetof(struct ghcb, sw_scratch));
}

static void con_write(const char *s, size_t len)
{
	while (len > 0) {
		size_t n = MIN(len, sizeof(ghcb->shared_buffer));

		memcpy(ghcb->shared_buffer, s, n);
		ghcb_prepare(SVM_EXIT_IOIO,
			     (UINT64_C(0x3f8) << IOIO_PORT_SHIFT) | IOIO_SZ8 |
				     IOIO_STR | IOIO_REP,
			     n);
		set_scratch();
		vmgexit();
		s += n;
		len -= n;
	}
}

static __printf(1, 2) void out(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n = 0;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	con_write(buf, (size_t)MIN(n, (int)sizeof(buf) - 1));
}

static void report(bool ok, const char *name)
{
	test_no++;
	if (!ok) {
		failures++;
	}
	out("%sok %u - %s\n", ok ? "" : "not ", test_no, name);
}

#define EXPECT_EQ(a, b)                                                        \
	do {                                                                   \
		uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b);               \
		if (_a != _b) {                                                \
			out("# %s:%d: %s == %s: 0x%llx != 0x%llx\n", __FILE__, \
			    __LINE__, #a, #b, (unsigned long long)_a,          \
			    (unsigned long long)_b);                           \
			ok = false;                                            \
		}                                                              \
	} while (0)

/* ---- exceptions ---- */

void payload_exception(struct xframe *f)
{
	bool cf = false;

	exc_count++;
	exc_vector = f->vector;
	exc_err = f->err;
	exc_rip = f->rip;
	__asm__ volatile("mov %%cr2, %0" : "=r"(exc_cr2));
	if (f->vector == 29 && f->err == 0x404 && revalidate_va != 0) {
		/* Linux-style: validate the page, then retry the access. */
		(void)pvalidate(revalidate_va, 0, 1, &cf);
		revalidate_va = 0;
		return;
	}
	if (vc_skip == 0) {
		out("# unexpected exception %llu err 0x%llx at 0x%llx\n",
		    (unsigned long long)f->vector, (unsigned long long)f->err,
		    (unsigned long long)f->rip);
		terminate(EMU_TERM_SET_VERDICT, 3);
	}
	f->rip += vc_skip;
	vc_skip = 0;
}

static void set_gate_ist(uint8_t *idt, unsigned vec, const void *handler,
			 unsigned ist)
{
	uint64_t h = (uint64_t)(uintptr_t)handler;
	uint8_t *g = idt + vec * 16;

	memset(g, 0, 16);
	g[0] = (uint8_t)h;
	g[1] = (uint8_t)(h >> 8);
	g[2] = 0x08; /* selector */
	g[4] = (uint8_t)ist;
	g[5] = 0x8e; /* present, DPL0, 64-bit interrupt gate */
	g[6] = (uint8_t)(h >> 16);
	g[7] = (uint8_t)(h >> 24);
	g[8] = (uint8_t)(h >> 32);
	g[9] = (uint8_t)(h >> 40);
	g[10] = (uint8_t)(h >> 48);
	g[11] = (uint8_t)(h >> 56);
}

static void set_gate(uint8_t *idt, unsigned vec, const void *handler)
{
	set_gate_ist(idt, vec, handler, 0);
}

static void idt_init(void)
{
	struct __packed {
		uint16_t limit;
		uint64_t base;
	} idtr = {4095, (uint64_t)(uintptr_t)idt0};

	set_gate(idt0, 6, vstub_6);
	set_gate(idt0, 13, vstub_13);
	set_gate(idt0, 14, vstub_14);
	set_gate(idt0, 29, vstub_29);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

/* ---- a shared page, the SNP way: rescind, then PSC to shared ---- */

static bool make_shared(void *page)
{
	bool cf = false;
	uint64_t gfn = gpa_of(page) >> 12, resp = 0;

	if (pvalidate((uint64_t)(uintptr_t)page, 0, 0, &cf) != 0) {
		return false;
	}

	wrmsr(MSR_GHCB, GHCB_MSR_PSC(gfn, GHCB_MSR_PSC_OP_SHARED));
	vmgexit();
	resp = rdmsr(MSR_GHCB);
	if (ghcb != NULL) {
		wrmsr(MSR_GHCB, ghcb_gpa);
	}
	return resp == GHCB_MSR_PSC_RESP;
}

static void ghcb_init(void)
{
	bool ok = true;

	ghcb_gpa = gpa_of(ghcb0_page);
	if (!make_shared(ghcb0_page)) {
		terminate(EMU_TERM_SET_VERDICT, 2);
	}
	wrmsr(MSR_GHCB, (ghcb_gpa) | GHCB_MSR_REG_GPA_REQ);
	vmgexit();
	if (rdmsr(MSR_GHCB) != (ghcb_gpa | GHCB_MSR_REG_GPA_RESP)) {
		terminate(EMU_TERM_SET_VERDICT, 2);
	}
	wrmsr(MSR_GHCB, ghcb_gpa);
	ghcb = shared_va(ghcb0_page);
	ok = make_shared(greq_req) && make_shared(greq_resp);
	if (!ok) {
		terminate(EMU_TERM_SET_VERDICT, 2);
	}
}

/* ---- tests ---- */

static void t_sev_status(void)
{
	bool ok = true;

	EXPECT_EQ(rdmsr(MSR_SEV_STATUS),
		  SEV_STATUS_SEV | SEV_STATUS_SEV_ES | SEV_STATUS_SNP);
	report(ok, "SEV_STATUS reads SEV|ES|SNP without a #VC");
}

static uint64_t msr_proto(uint64_t req)
{
	uint64_t resp = 0;

	wrmsr(MSR_GHCB, req);
	vmgexit();
	resp = rdmsr(MSR_GHCB);
	wrmsr(MSR_GHCB, ghcb_gpa);
	return resp;
}

static void t_msr_protocol(void)
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

static void t_vc(void)
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
	/* SVM instructions and MWAIT do not exist for an SNP guest: #UD. */
	vc_skip = 3;
	__asm__ volatile("xor %%eax, %%eax; xor %%ecx, %%ecx; mwait" ::
				 : "rax", "rcx", "memory");
	EXPECT_EQ(exc_vector, 6);
	vc_skip = 3;
	exc_vector = 0;
	__asm__ volatile("vmrun %%rax" ::"a"(0) : "memory");
	EXPECT_EQ(exc_vector, 6);
	report(ok,
	       "#VC with error code = exit code: CPUID, IOIO, MSR, MMIO, "
	       "VMMCALL; #UD for MWAIT and VMRUN");
}

static void t_ghcb_nae(void)
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
	report(ok, "GHCB NAE: CPUID, IOIO, MSR (+#GP), MMIO, errors");
}

static void t_pvalidate(void)
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

static void t_pvalidate_2m(void)
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
	EXPECT_EQ(pvalidate(gpa + 0x1000, 0, 1, &cf), SNP_RC_FAIL_SIZEMISMATCH);
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

static void t_rmp_adjust_query(void)
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

static void t_psc_msr(void)
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
static void t_hostile(void)
{
	bool ok = true;
	struct ghcb_psc_hdr *h = (void *)ghcb->shared_buffer;
	uint64_t *ent = (uint64_t *)(h + 1), v = 0;

	/* isa-debug-exit (0xf4) is not reachable: writing "fail" there must
	 * not end the VM (the plan would then be short). */
	ghcb_prepare(SVM_EXIT_IOIO,
		     (UINT64_C(0xf4) << IOIO_PORT_SHIFT) | IOIO_SZ32, 0);
	ghcb->rax = 0x11;
	ghcb_set_valid(offsetof(struct ghcb, rax));
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_1, 0);
	/* MMIO at a guest-RAM GPA (host: snpemu's own image) reads ones and
	 * a write there is dropped. */
	ghcb_prepare(SVM_VMGEXIT_MMIO_READ, 0x100000, 8);
	set_scratch();
	vmgexit();
	memcpy(&v, ghcb->shared_buffer, 8);
	EXPECT_EQ(v, UINT64_MAX);
	memset(ghcb->shared_buffer, 0xcc, 8);
	ghcb_prepare(SVM_VMGEXIT_MMIO_WRITE, 0x100000, 8);
	set_scratch();
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_1, 0);
	/* Bad IOIO size, bad MMIO length, unknown event, bad version. */
	EXPECT_EQ(ghcb_call(SVM_EXIT_IOIO, IOIO_SZ8 | IOIO_SZ16, 0),
		  GHCB_RESULT_ERROR);
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_INPUT);
	ghcb_prepare(SVM_VMGEXIT_MMIO_READ, 0xfed00000, 3);
	set_scratch();
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_INPUT);
	EXPECT_EQ(ghcb_call(0x12345, 0, 0), GHCB_RESULT_ERROR);
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_EVENT);
	ghcb_prepare(SVM_VMGEXIT_HV_FEATURES, 0, 0);
	ghcb->protocol_version = 3;
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_USAGE);
	/* PSC: header out of range, reserved bits, GFN beyond RAM. */
	h->cur_entry = 0;
	h->end_entry = 300;
	ghcb_prepare(SVM_VMGEXIT_PSC, 0, 0);
	set_scratch();
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_PSC_ERR_HDR);
	h->end_entry = 1;
	ent[0] = (UINT64_C(0x900) << 12) |
		 ((uint64_t)GHCB_MSR_PSC_OP_PRIVATE << 52);
	ent[1] = ent[0] | (UINT64_C(1) << 60);
	ghcb_prepare(SVM_VMGEXIT_PSC, 0, 0);
	set_scratch();
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2 >> 32, GHCB_PSC_ERR_ENTRY >> 32);
	EXPECT_EQ(h->cur_entry, 1); /* entry 0 done, entry 1 refused */
	h->cur_entry = 0;
	h->end_entry = 0;
	ent[0] = (UINT64_C(0x7fffffff) << 12) |
		 ((uint64_t)GHCB_MSR_PSC_OP_PRIVATE << 52);
	ghcb_prepare(SVM_VMGEXIT_PSC, 0, 0);
	set_scratch();
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2 >> 32, GHCB_PSC_ERR_ENTRY >> 32);
	/* AP creation: another APIC ID, or a page that is not a VMSA. */
	ghcb_prepare(SVM_VMGEXIT_AP_CREATION,
		     SVM_VMGEXIT_AP_CREATE | (UINT64_C(1) << 32),
		     gpa_of(vmsa2_page));
	ghcb->rax = SEV_FEAT_SNP_ACTIVE;
	ghcb_set_valid(offsetof(struct ghcb, rax));
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_INPUT);
	ghcb_prepare(SVM_VMGEXIT_AP_CREATION, SVM_VMGEXIT_AP_CREATE,
		     gpa_of(scratch_page));
	ghcb->rax = SEV_FEAT_SNP_ACTIVE;
	ghcb_set_valid(offsetof(struct ghcb, rax));
	vmgexit();
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_INPUT);
	/* Guest request pages: misaligned, or beyond guest RAM. */
	EXPECT_EQ(ghcb_call(SVM_VMGEXIT_GUEST_REQUEST, gpa_of(greq_req) + 8,
			    gpa_of(greq_resp)),
		  GHCB_RESULT_ERROR);
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_INPUT);
	EXPECT_EQ(ghcb_call(SVM_VMGEXIT_GUEST_REQUEST, gpa_of(greq_req),
			    UINT64_C(0x7ffff000)),
		  GHCB_RESULT_ERROR);
	EXPECT_EQ(ghcb->sw_exit_info_2, GHCB_ERR_INVALID_INPUT);
	/* Or private (the host cannot read those): refused as well. */
	EXPECT_EQ(ghcb_call(SVM_VMGEXIT_GUEST_REQUEST, gpa_of(scratch_page),
			    gpa_of(greq_resp)),
		  GHCB_RESULT_ERROR);
	/* MSR protocol: registering a GHCB outside guest RAM is refused. */
	EXPECT_EQ(msr_proto((UINT64_C(0x7ffffff) << 12) | GHCB_MSR_REG_GPA_REQ),
		  (((UINT64_C(1) << 52) - 1) << 12) | GHCB_MSR_REG_GPA_RESP);
	report(ok,
	       "hostile GHCB input: debug-exit port, RAM as MMIO, bad "
	       "sizes/events/PSC/AP creation refused");
}

/* One SNP guest message exchange (abi.md §9.3-9.5). Returns the firmware
 * status; on success @rsp holds the decrypted MSG_REPORT_RSP. */
static uint64_t guest_request(unsigned vmpck, uint64_t seqno, uint32_t vmpl,
			      bool tamper, struct snp_report_rsp *rsp,
			      bool *rsp_ok)
{
	struct snp_guest_msg_hdr hdr = {
		.msg_seqno = seqno,
		.algo = SNP_MSG_ALGO_AES256_GCM,
		.hdr_version = SNP_MSG_HDR_VERSION,
		.hdr_sz = sizeof(hdr),
		.msg_type = SNP_MSG_REPORT_REQ,
		.msg_version = 1,
		.msg_sz = sizeof(struct snp_report_req),
		.msg_vmpck = (uint8_t)vmpck,
	};
	struct snp_report_req q = {.vmpl = vmpl};
	uint8_t *req = shared_va(greq_req), *resp = shared_va(greq_resp);
	uint8_t iv[12] = {0}, tag[16];
	static uint8_t page[4096];

	for (unsigned i = 0; i < sizeof(q.report_data); i++) {
		q.report_data[i] = (uint8_t)(i * 7 + 1);
	}
	memcpy(iv, &seqno, 8);
	memcpy(page, &hdr, sizeof(hdr));
	*rsp_ok = pspc_gcm(true, secrets->vmpck[vmpck], iv,
			   page + SNP_MSG_AAD_OFFSET, SNP_MSG_AAD_LEN,
			   (const uint8_t *)&q, page + sizeof(hdr), sizeof(q),
			   tag);
	memcpy(page, tag, sizeof(tag));
	if (tamper) {
		page[sizeof(hdr) + 5] ^= 1;
	}
	memcpy(req, page, sizeof(hdr) + sizeof(q));
	memset(resp, 0, 4096);
	ghcb_call(SVM_VMGEXIT_GUEST_REQUEST, gpa_of(greq_req),
		  gpa_of(greq_resp));
	if (ghcb->sw_exit_info_1 != 0 || ghcb->sw_exit_info_2 != 0) {
		*rsp_ok = false;
		return ghcb->sw_exit_info_2;
	}
	/* Copy out of shared memory before authenticating. */
	memcpy(page, resp, sizeof(hdr) + sizeof(*rsp));
	memcpy(&hdr, page, sizeof(hdr));
	memcpy(iv, &hdr.msg_seqno, 8);
	*rsp_ok = *rsp_ok && hdr.msg_seqno == seqno + 1 &&
		  hdr.msg_type == SNP_MSG_REPORT_RSP &&
		  hdr.msg_sz == sizeof(*rsp) &&
		  pspc_gcm(false, secrets->vmpck[vmpck], iv,
			   page + SNP_MSG_AAD_OFFSET, SNP_MSG_AAD_LEN,
			   page + sizeof(hdr), (uint8_t *)rsp, sizeof(*rsp),
			   hdr.authtag);
	return 0;
}

static void t_guest_request(void)
{
	static struct snp_report_rsp rsp;
	bool ok = true, rsp_ok = false;

	EXPECT_EQ(guest_request(0, 1, 0, false, &rsp, &rsp_ok), 0);
	EXPECT_EQ(rsp_ok, 1);
	EXPECT_EQ(rsp.status, 0);
	EXPECT_EQ(rsp.report_size, sizeof(rsp.report));
	EXPECT_EQ(rsp.report.version, 2);
	EXPECT_EQ(rsp.report.vmpl, 0);
	EXPECT_EQ(rsp.report.policy, 0x30000);
	EXPECT_EQ(rsp.report.signature_algo, 1);
	EXPECT_EQ(rsp.report.report_data[63], (uint8_t)(63 * 7 + 1));
	EXPECT_EQ(
		pspc_verify((const uint8_t *)&rsp.report, SNP_REPORT_SIGNED_LEN,
			    rsp.report.sig_r, rsp.report.sig_s),
		1);
	/* The signature covers the report: change a byte, it fails. */
	rsp.report.report_data[0] ^= 1;
	EXPECT_EQ(
		pspc_verify((const uint8_t *)&rsp.report, SNP_REPORT_SIGNED_LEN,
			    rsp.report.sig_r, rsp.report.sig_s),
		0);
	/* Tampered ciphertext, replayed sequence number: refused. */
	EXPECT_EQ(guest_request(0, 3, 0, true, &rsp, &rsp_ok),
		  SNP_FW_INVALID_PARAM);
	EXPECT_EQ(guest_request(0, 1, 0, false, &rsp, &rsp_ok),
		  SNP_FW_INVALID_PARAM);
	/* The refused messages consumed nothing: seqno 3 still works. */
	EXPECT_EQ(guest_request(0, 3, 1, false, &rsp, &rsp_ok), 0);
	EXPECT_EQ(rsp_ok && rsp.status == 0 && rsp.report.vmpl == 1, 1);
	/* VMPCK2 may not attest VMPL0. */
	EXPECT_EQ(guest_request(2, 1, 0, false, &rsp, &rsp_ok), 0);
	EXPECT_EQ(rsp_ok, 1);
	EXPECT_EQ(rsp.status, SNP_FW_INVALID_PARAM);
	report(ok,
	       "SNP guest request: report signed by the emulated VCEK, "
	       "AEAD, sequence numbers, VMPL floor");
}

static uint64_t rng_state = UINT64_C(0x9e3779b97f4a7c15);

static uint64_t rnd(void)
{
	/* xorshift64 (Marsaglia 2003): reproducible, no libc. */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * Random GHCB requests: random valid bits, lengths, scratch pointers, PSC
 * headers and entries. Confined where a "successful" random request would
 * hurt the payload itself: ports 0x80-0x8f (no device), PSC GFNs in
 * 16-32 MiB (unused), no termination, no RUN_VMPL. snpemu must answer
 * every one with OK, exception or error, and never stop.
 */
static void t_fuzz(void)
{
	static const uint64_t codes[] = {
		SVM_EXIT_CPUID,
		SVM_EXIT_IOIO,
		SVM_EXIT_MSR,
		SVM_VMGEXIT_MMIO_READ,
		SVM_VMGEXIT_MMIO_WRITE,
		SVM_VMGEXIT_PSC,
		SVM_VMGEXIT_GUEST_REQUEST,
		SVM_VMGEXIT_EXT_GUEST_REQUEST,
		SVM_VMGEXIT_AP_CREATION,
		SVM_VMGEXIT_HV_FEATURES,
		0x8000fff0,
		0x12,
	};
	struct ghcb_psc_hdr *h = (void *)ghcb->shared_buffer;
	uint64_t *ent = (uint64_t *)(h + 1);
	bool ok = true;
	unsigned bad = 0;

	for (unsigned i = 0; i < 3000; i++) {
		uint64_t code = codes[rnd() % ARRAY_SIZE(codes)];
		uint64_t info1 = rnd(), info2 = rnd() & 0xffff;

		if (code == SVM_EXIT_IOIO) {
			info1 = ((0x80 + (rnd() & 0xf)) << 16) | (rnd() & 0x7d);
		} else if (code == SVM_VMGEXIT_MMIO_READ ||
			   code == SVM_VMGEXIT_MMIO_WRITE) {
			info1 = (rnd() & 1) ? 0xfed00000 + (rnd() & 0xfff)
					    : rnd() & 0xffffffff;
			info2 = rnd() & 0xf;
		} else if (code == SVM_VMGEXIT_PSC) {
			h->cur_entry = (uint16_t)(rnd() % 260);
			h->end_entry = (uint16_t)(rnd() % 260);
			for (unsigned e = 0; e < 8; e++) {
				ent[e] = (rnd() &
					  ~(UINT64_C(0xffffffffff) << 12)) |
					 ((0x1000 + (rnd() & 0xfff)) << 12);
			}
		} else if (code == SVM_VMGEXIT_GUEST_REQUEST ||
			   code == SVM_VMGEXIT_EXT_GUEST_REQUEST) {
			info1 = (rnd() & 1) ? gpa_of(greq_req) : rnd();
			info2 = (rnd() & 1) ? gpa_of(greq_resp) : rnd();
		}
		ghcb_prepare(code, info1, info2);
		for (unsigned b = 0; b < 16; b++) {
			ghcb->valid_bitmap[b] |= (uint8_t)rnd();
		}
		ghcb->sw_scratch = ghcb_gpa + (rnd() & 0x1fff) - 0x400;
		ghcb->rax = rnd();
		ghcb->rbx = rnd() & 0xf;
		ghcb->rcx = rnd();
		ghcb->rdx = rnd();
		vmgexit();
		if ((ghcb->sw_exit_info_1 & 0xffffffff) > GHCB_RESULT_ERROR) {
			bad++;
		}
	}
	EXPECT_EQ(bad, 0);
	report(ok, "3000 random GHCB requests: answered, never fatal");
}

static __attribute__((noinline)) uint64_t forty_two(void)
{
	return 42;
}

/* Table walks and fetches are private whatever the C-bit says (APM vol. 2
 * §15.34.5): a CR3 without the C-bit and code run through the C-bit-less
 * alias both work. */
static void t_private_walks_fetches(void)
{
	bool ok = true;
	uint64_t cr3 = 0, v = 0;
	uint64_t (*alias)(void) =
		(uint64_t(*)(void))((uintptr_t)forty_two + SHARED_ALIAS);

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	__asm__ volatile("mov %1, %%cr3; mov (%2), %0; mov %3, %%cr3"
			 : "=&r"(v)
			 : "r"(cr3 & ~CBIT), "r"(&vmpl0_secret), "r"(cr3)
			 : "memory");
	EXPECT_EQ(v, 0x5ec2e7);
	EXPECT_EQ(alias(), 42);
	report(ok, "page-table walks and fetches are private without C-bit");
}

static void grant(uint8_t *lo, uint8_t *hi, uint64_t perms, bool *ok)
{
	for (uint8_t *p = lo; p < hi; p += 4096) {
		if (rmpadjust((uint64_t)(uintptr_t)p, 0, 2 | perms) != 0) {
			*ok = false;
		}
	}
}

static uint64_t gdt_base(void)
{
	return (uint64_t)(uintptr_t)gdt;
}

static bool vmpl2_setup(uint64_t mode)
{
	struct snp_vmsa *v = (struct snp_vmsa *)vmsa2_page;
	struct vmsa_seg data = {
		.selector = 0x10, .attrib = 0x0c93, .limit = 0xffffffff};
	bool ok = true;
	uint64_t cr0 = 0, cr4 = 0;

	v2_results.mode = mode;
	v2_results.ghcb_gpa = gpa_of(ghcb2_page);
	v2_results.attack_va = (uint64_t)(uintptr_t)&vmpl0_secret;
	set_gate(idt2, 13, v2_gp_handler);
	set_gate_ist(idt2, 29, v2_vc_handler, 1);
	ok = make_shared(ghcb2_page);
	grant(__v2_text_start, __v2_text_end, RMPADJ_READ | RMPADJ_XS, &ok);
	grant(__pt_start, __pt_end, RMPADJ_READ, &ok);
	grant(__v2_data_start, __v2_data_end, RMPADJ_READ | RMPADJ_WRITE, &ok);

	__asm__ volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
	memset(v, 0, sizeof(*v));
	v->cs = (struct vmsa_seg){
		.selector = 0x08, .attrib = 0x029b, .limit = 0xffffffff};
	v->ss = v->ds = v->es = v->fs = v->gs = data;
	v->tr = (struct vmsa_seg){.attrib = 0x008b,
				  .limit = 0x67,
				  .base = (uint64_t)(uintptr_t)v2_tss};
	v->ldtr = (struct vmsa_seg){.attrib = 0x0082, .limit = 0xffff};
	v->gdtr = (struct vmsa_seg){.base = gdt_base(), .limit = 23};
	v->cr0 = cr0;
	v->cr3 = (uint64_t)(uintptr_t)v2_pml4 | CBIT;
	v->cr4 = cr4;
	v->efer = 0x0d00 | VMSA_EFER_SVME;
	v->rflags = 2;
	v->rip = (uint64_t)(uintptr_t)v2_entry;
	v->rsp = (uint64_t)(uintptr_t)v2_stack_top;
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
	v->g_pat = UINT64_C(0x0007040600070406);
	v->xcr0 = 1;
	v->vmpl = 2;
	v->sev_features = SEV_FEAT_SNP_ACTIVE;
	/* The VMSA bit, as Linux does it: target VMPL1, no permissions. */
	if (rmpadjust((uint64_t)(uintptr_t)v, 0, 1 | RMPADJ_VMSA) != 0) {
		ok = false;
	}
	ghcb_prepare(SVM_VMGEXIT_AP_CREATION, SVM_VMGEXIT_AP_CREATE, gpa_of(v));
	ghcb->rax = SEV_FEAT_SNP_ACTIVE;
	ghcb_set_valid(offsetof(struct ghcb, rax));
	vmgexit();
	if (ghcb->sw_exit_info_1 != 0) {
		ok = false;
	}
	return ok;
}

static void run_vmpl2_prepare(void)
{
	ghcb_prepare(SVM_VMGEXIT_SNP_RUN_VMPL, 2, 0);
}

static void t_vmpl2(void)
{
	struct snp_vmsa *v = (struct snp_vmsa *)vmsa2_page;
	bool ok = true;
	uint64_t changed = 0;

	/* RUN_VMPL to a VMPL without a context fails cleanly. */
	EXPECT_EQ(ghcb_call(SVM_VMGEXIT_SNP_RUN_VMPL, 3, 0), GHCB_RESULT_ERROR);
	run_vmpl2_prepare();
	changed = vmgexit_check_regs();
	EXPECT_EQ(changed, 0);
	EXPECT_EQ(ghcb->sw_exit_info_1, 0);
	/* VMPL2 called back: its state is in its VMSA. */
	EXPECT_EQ(v->guest_exit_code, SVM_EXIT_VMGEXIT);
	EXPECT_EQ(v->rax, 0x1234);
	EXPECT_EQ(v->rcx, 0x5678);
	EXPECT_EQ(v->r12, 0x2c12);
	EXPECT_EQ(v2_results.vc_code, SVM_EXIT_CPUID);
	/* Delivered on IST 1 of VMPL2's TSS: 16-byte aligned top, frame of
	 * six qwords below it. */
	EXPECT_EQ(v2_results.vc_rsp, (uint64_t)(uintptr_t)v2_ist_top - 48);
	EXPECT_EQ(v2_results.gp_count, 1);
	EXPECT_EQ(v2_results.reg_gpa_resp,
		  gpa_of(ghcb2_page) | GHCB_MSR_REG_GPA_RESP);
	EXPECT_EQ(v2_results.rmpadjust_up, SNP_RC_FAIL_PERMISSION);
	EXPECT_EQ(v2_results.rmpadjust_self, SNP_RC_FAIL_PERMISSION);
	EXPECT_EQ(v2_results.rmpadjust_down, 0);
	/* Answer the "call" through the VMSA, then resume VMPL2. */
	v->rax = 0;
	v->rcx = 0xabc;
	run_vmpl2_prepare();
	changed = vmgexit_check_regs();
	EXPECT_EQ(changed, 0);
	EXPECT_EQ(v2_results.done, 1);
	EXPECT_EQ(v2_results.call_rax, 0);
	EXPECT_EQ(v2_results.call_rcx, 0xabc);
	EXPECT_EQ(v2_results.r12, 0x2c12);
	EXPECT_EQ(v2_results.r13, 0x2c13);
	EXPECT_EQ(v2_results.xmm0, UINT64_C(0x2222222222222222));
	report(ok,
	       "RUN_VMPL 0 <-> 2: VMSA state, registers and FPU per VMPL, "
	       "#VC (IST)/#GP/RMPADJUST at VMPL2");
}

static void bench(uint64_t mode, uint64_t count)
{
	out("1..1\n");
	if (mode == 2) {
		if (!vmpl2_setup(2)) {
			terminate(EMU_TERM_SET_VERDICT, 4);
		}
		for (uint64_t i = 0; i < count; i++) {
			run_vmpl2_prepare();
			vmgexit();
		}
	} else {
		for (uint64_t i = 0; i < count; i++) {
			ghcb_prepare(SVM_VMGEXIT_HV_FEATURES, 0, 0);
			vmgexit();
		}
	}
	out("ok 1 - bench mode %llu: %llu iterations\n",
	    (unsigned long long)mode, (unsigned long long)count);
	terminate(EMU_TERM_SET_VERDICT, 0);
}

void payload_main(uint64_t arg, uint64_t secrets_gpa)
{
	uint64_t mode = arg & 0xf;
	bool ok = false;

	secrets = (const struct snp_secrets_page *)(uintptr_t)secrets_gpa;
	idt_init();
	ghcb_init();
	if (mode >= 2) {
		bench(mode, arg >> 4);
	}
	out("1..14\n");
	t_sev_status();
	t_msr_protocol();
	t_vc();
	t_ghcb_nae();
	t_pvalidate();
	t_pvalidate_2m();
	t_rmp_adjust_query();
	t_psc_msr();
	t_private_walks_fetches();
	t_hostile();
	t_guest_request();
	t_fuzz();
	ok = vmpl2_setup(mode);
	report(ok, "VMPL2 set up: grants, VMSA via RMPADJUST, AP creation");
	if (ok) {
		t_vmpl2();
	}
	terminate(EMU_TERM_SET_VERDICT, failures == 0 ? 0 : 1);
}
