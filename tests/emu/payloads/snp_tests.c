// SPDX-License-Identifier: MIT
/*
 * snpemu test payload, VMPL0 part: runs at VMPL0 under snpemu and checks
 * the SNP machine from the inside, printing TAP to COM1 through GHCB IOIO
 * (so every line is also a GHCB round trip). The verdict goes to snpemu as
 * a GHCB termination request with reason set 0xF (emu/payload.h).
 *
 * arg (RDI) bits 3:0 select the mode, bits 63:4 a count:
 *   0  the tests (tests_basic.c, tests_hostile.c, tests_vmpl2.c)
 *   1  the same, but VMPL2 then reads VMPL0 memory: snpemu must stop
 *   2  benchmark: count SVSM-call-like round trips VMPL0 -> VMPL2 -> VMPL0
 *   3  benchmark: count bare exits (GHCB HV_FEATURES)
 *   4  one row of the fidelity table (tests_fidelity.c), count = row
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

uint8_t ghcb0_page[4096] __aligned(4096);
uint8_t ghcb2_page[4096] __aligned(4096);
uint8_t vmsa2_page[4096] __aligned(4096);
uint8_t scratch_page[4096] __aligned(4096);
uint8_t shared_page[4096] __aligned(4096);
uint8_t idt0[4096] __aligned(4096);
uint8_t greq_req[4096] __aligned(4096);
uint8_t greq_resp[4096] __aligned(4096);
uint8_t greq_certs[3 * 4096] __aligned(4096);
const struct snp_secrets_page *secrets;
volatile uint64_t vmpl0_secret = 0x5ec2e7;

struct ghcb *ghcb; /* shared-alias view of ghcb0_page */
uint64_t ghcb_gpa;

/* What the exception handler saw; set vc_skip to step over the insn. */
volatile uint64_t exc_count, exc_vector, exc_err, exc_rip, vc_skip;
volatile uint64_t revalidate_va; /* #VC 0x404: PVALIDATE and retry */
volatile uint64_t exc_cr2;

uint64_t gpa_of(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

void *shared_va(const void *p)
{
	return (void *)((uintptr_t)p + SHARED_ALIAS);
}

void terminate(uint32_t set, uint32_t code)
{
	wrmsr(MSR_GHCB, GHCB_MSR_TERM(set, code));
	vmgexit();
	for (;;) {
		__asm__ volatile("ud2");
	}
}

/* ---- GHCB calls ---- */

void ghcb_set_valid(size_t off)
{
	ghcb->valid_bitmap[off / 64] |= (uint8_t)(1u << ((off / 8) % 8));
}

void ghcb_prepare(uint64_t code, uint64_t info1, uint64_t info2)
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

bool ghcb_is_valid(size_t off)
{
	return (ghcb->valid_bitmap[off / 64] >> ((off / 8) % 8)) & 1;
}

uint64_t ghcb_call(uint64_t code, uint64_t info1, uint64_t info2)
{
	ghcb_prepare(code, info1, info2);
	vmgexit();
	return ghcb->sw_exit_info_1;
}

void set_scratch(void)
{
	ghcb->sw_scratch = ghcb_gpa + offsetof(struct ghcb, shared_buffer);
	ghcb_set_valid(offsetof(struct ghcb, sw_scratch));
}

void payload_con_write(const char *s, size_t len)
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

void set_gate_ist(uint8_t *idt, unsigned vec, const void *handler, unsigned ist)
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

void set_gate(uint8_t *idt, unsigned vec, const void *handler)
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

bool make_shared(void *page)
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
	for (unsigned i = 0; i < sizeof(greq_certs); i += 4096) {
		ok = ok && make_shared(&greq_certs[i]);
	}
	if (!ok) {
		terminate(EMU_TERM_SET_VERDICT, 2);
	}
}

/* ---- tests ---- */

uint64_t msr_proto(uint64_t req)
{
	uint64_t resp = 0;

	wrmsr(MSR_GHCB, req);
	vmgexit();
	resp = rdmsr(MSR_GHCB);
	wrmsr(MSR_GHCB, ghcb_gpa);
	return resp;
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

void payload_main(uint64_t arg, uint64_t secrets_gpa, uint64_t vmsa0_gpa)
{
	uint64_t mode = arg & 0xf;
	bool ok = false;

	secrets = (const struct snp_secrets_page *)(uintptr_t)secrets_gpa;
	idt_init();
	ghcb_init();
	if (mode == 4) {
		t_fidelity((unsigned)(arg >> 4), vmsa0_gpa);
		terminate(EMU_TERM_SET_VERDICT, tap_failures() == 0 ? 0 : 1);
	}
	if (mode >= 2) {
		bench(mode, arg >> 4);
	}
	out("1..15\n");
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
	t_guest_request_ext();
	t_guest_request();
	t_fuzz();
	ok = vmpl2_setup(mode);
	report(ok, "VMPL2 set up: grants, VMSA via RMPADJUST, AP creation");
	if (ok) {
		t_vmpl2();
	}
	terminate(EMU_TERM_SET_VERDICT, tap_failures() == 0 ? 0 : 1);
}
