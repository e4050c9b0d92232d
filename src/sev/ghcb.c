// SPDX-License-Identifier: MIT
/*
 * GHCB protocol, SVSM side (GHCB spec 56421 §2.3 MSR protocol, §4 NAE
 * events; docs/abi.md §7.4). See ghcb.h for the error policy.
 */
#include "sev/ghcb.h"

#include "arch/cpu.h"
#include "arch/snp_insn.h"

#include "lib/panic.h"
#include "lib/string.h"

#include "svsm/abi/ghcb_nae.h"
#include "svsm/abi/snp.h"

#include "percpu.h"

#define GHCB_PROTOCOL_USED 2
/* IOIO exit_info_1 address-size bit (APM vol. 2 §15.10.2). */
#define IOIO_ADDR64 (1u << 9)
/* sw_exit_info_1[31:0] after an NAE event: 0 = ok (GHCB spec §4.1). */
#define GHCB_RESULT_MASK UINT64_C(0xffffffff)

__noreturn void ghcb_terminate(uint32_t set, uint32_t code)
{
	for (;;) {
		wrmsr(MSR_GHCB, GHCB_MSR_TERM(set & 0xf, code & 0xff));
		snp_vmgexit();
		/* A hypervisor that resumes us after this gets nothing. */
		cpu_halt_forever();
	}
}

__noreturn void ghcb_panic_exit(uint32_t reason)
{
	ghcb_terminate(SVSM_TERM_SET, reason);
}

uint64_t ghcb_msr_exchange(uint64_t req)
{
	struct percpu *pc = this_cpu();
	uint64_t resp = 0;

	wrmsr(MSR_GHCB, req);
	snp_vmgexit();
	resp = rdmsr(MSR_GHCB);
	if (pc->ghcb_gpa != 0) {
		wrmsr(MSR_GHCB, pc->ghcb_gpa);
	}
	return resp;
}

void ghcb_check_hypervisor(void)
{
	const uint64_t need = GHCB_HV_FT_SNP | GHCB_HV_FT_SNP_AP_CREATION |
			      GHCB_HV_FT_SNP_MULTI_VMPL;
	uint64_t info = ghcb_msr_exchange(GHCB_MSR_SEV_INFO_REQ);
	uint64_t feat = 0;
	uint32_t max = (uint32_t)(info >> 48);
	uint32_t min = (uint32_t)(info >> 32) & 0xffff;

	if ((info & GHCB_MSR_INFO_MASK) != GHCB_MSR_SEV_INFO_RESP ||
	    max < GHCB_PROTOCOL_USED || min > GHCB_PROTOCOL_USED) {
		ghcb_terminate(SVSM_TERM_SET, SVSM_TERM_GHCB);
	}
	feat = ghcb_msr_exchange(GHCB_MSR_HV_FEATURES_REQ);
	if ((feat & GHCB_MSR_INFO_MASK) != GHCB_MSR_HV_FEATURES_RESP ||
	    ((feat >> GHCB_MSR_DATA_SHIFT) & need) != need) {
		ghcb_terminate(SVSM_TERM_SET, SVSM_TERM_GHCB + 1);
	}
}

bool ghcb_msr_psc(uint64_t gpa, bool shared)
{
	uint64_t op = shared ? GHCB_MSR_PSC_OP_SHARED : GHCB_MSR_PSC_OP_PRIVATE;
	uint64_t resp = ghcb_msr_exchange(GHCB_MSR_PSC(gpa >> PAGE_SHIFT, op));

	return (resp & GHCB_MSR_INFO_MASK) == GHCB_MSR_PSC_RESP &&
	       (resp >> 32) == 0;
}

void ghcb_register(void *va, uint64_t gpa)
{
	struct percpu *pc = this_cpu();
	uint64_t want = (gpa & PAGE_MASK) | GHCB_MSR_REG_GPA_RESP;
	uint64_t resp = 0;

	pc->ghcb_gpa = 0;
	resp = ghcb_msr_exchange((gpa & PAGE_MASK) | GHCB_MSR_REG_GPA_REQ);
	if (resp != want) {
		ghcb_terminate(SVSM_TERM_SET, SVSM_TERM_GHCB + 2);
	}
	pc->ghcb = va;
	pc->ghcb_gpa = gpa;
	wrmsr(MSR_GHCB, gpa);
}

bool ghcb_run_vmpl(uint8_t vmpl)
{
	uint64_t resp = ghcb_msr_exchange(GHCB_MSR_RUN_VMPL(vmpl));

	return (resp & GHCB_MSR_INFO_MASK) == GHCB_MSR_RUN_VMPL_RESP &&
	       (resp >> 32) == 0;
}

/* ---- NAE events through the GHCB page ---- */

static void set_valid(struct ghcb *g, size_t off)
{
	size_t q = off / 8;

	g->valid_bitmap[q / 8] |= (uint8_t)(1u << (q % 8));
}

static bool is_valid(const struct ghcb *g, size_t off)
{
	size_t q = off / 8;

	return (READ_ONCE(g->valid_bitmap[q / 8]) >> (q % 8)) & 1;
}

#define GHCB_SET(g, field, v)                                 \
	do {                                                  \
		(g)->field = (v);                             \
		set_valid((g), offsetof(struct ghcb, field)); \
	} while (0)
#define GHCB_VALID(g, field) is_valid((g), offsetof(struct ghcb, field))

static struct ghcb *ghcb_begin(void)
{
	struct percpu *pc = this_cpu();
	struct ghcb *g = pc->ghcb;

	/*
	 * No GHCB yet, or a second user while one exchange is in flight
	 * (a #VC or panic inside ghcb code): nothing can be reported, so end
	 * the VM without touching the console, which needs the GHCB itself.
	 */
	if (g == NULL || pc->ghcb_busy != 0) {
		ghcb_terminate(SVSM_TERM_SET, SVSM_TERM_GHCB + 3);
	}
	pc->ghcb_busy = 1;
	/* Nothing stale (or private) is left for the hypervisor to read. */
	memset(g, 0, sizeof(*g));
	return g;
}

static void ghcb_end(void)
{
	this_cpu()->ghcb_busy = 0;
}

/* Issue the event; returns sw_exit_info_1[31:0], 0 = success. */
static uint64_t ghcb_call(struct ghcb *g, uint64_t code, uint64_t info1,
			  uint64_t info2)
{
	GHCB_SET(g, sw_exit_code, code);
	GHCB_SET(g, sw_exit_info_1, info1);
	GHCB_SET(g, sw_exit_info_2, info2);
	g->protocol_version = GHCB_PROTOCOL_USED;
	g->ghcb_usage = 0;
	wrmsr(MSR_GHCB, this_cpu()->ghcb_gpa);
	snp_vmgexit();
	return READ_ONCE(g->sw_exit_info_1) & GHCB_RESULT_MASK;
}

/* Issue the event; terminates unless the hypervisor reports success. */
static void ghcb_exit(struct ghcb *g, uint64_t code, uint64_t info1,
		      uint64_t info2)
{
	/* 1 = "inject this exception", anything else = VMM error. */
	if (ghcb_call(g, code, info1, info2) != 0) {
		ghcb_terminate(SVSM_TERM_SET, SVSM_TERM_GHCB + 4);
	}
}

static uint64_t ioio_info(uint16_t port, uint32_t size, bool in)
{
	uint64_t info = ((uint64_t)port << IOIO_PORT_SHIFT) | IOIO_ADDR64;

	info |= size == 1 ? IOIO_SZ8 : size == 2 ? IOIO_SZ16 : IOIO_SZ32;
	if (in) {
		info |= IOIO_TYPE_IN;
	}
	return info;
}

static uint32_t size_mask(uint32_t size)
{
	return size == 1 ? 0xffu : size == 2 ? 0xffffu : 0xffffffffu;
}

void ghcb_io_out(uint16_t port, uint32_t size, uint32_t val)
{
	struct ghcb *g = ghcb_begin();

	GHCB_SET(g, rax, val & size_mask(size));
	ghcb_exit(g, SVM_EXIT_IOIO, ioio_info(port, size, false), 0);
	ghcb_end();
}

uint32_t ghcb_io_in(uint16_t port, uint32_t size)
{
	struct ghcb *g = ghcb_begin();
	uint64_t rax = 0;

	ghcb_exit(g, SVM_EXIT_IOIO, ioio_info(port, size, true), 0);
	if (!GHCB_VALID(g, rax)) {
		ghcb_terminate(SVSM_TERM_SET, SVSM_TERM_GHCB + 5);
	}
	rax = READ_ONCE(g->rax);
	ghcb_end();
	return (uint32_t)rax & size_mask(size);
}

/*
 * String IN through the scratch area (GHCB spec 56421 §4.1.2: SW_EXITINFO2
 * = repetitions, data in the shared buffer; KVM: arch/x86/kvm/svm/sev.c,
 * sev_es_string_io): one exit for up to a whole buffer of bytes instead of
 * one per byte. The host's bytes are copied out once.
 */
void ghcb_io_in_str8(uint16_t port, void *buf, uint32_t count)
{
	struct ghcb *g = NULL;

	if (count == 0 || count > sizeof(g->shared_buffer)) {
		panic("ghcb: string IN of %u bytes", count);
	}
	g = ghcb_begin();
	GHCB_SET(g, sw_scratch,
		 this_cpu()->ghcb_gpa + offsetof(struct ghcb, shared_buffer));
	ghcb_exit(g, SVM_EXIT_IOIO,
		  ioio_info(port, 1, true) | IOIO_STR | IOIO_REP, count);
	memcpy(buf, g->shared_buffer, count);
	ghcb_end();
}

uint64_t ghcb_rdmsr(uint32_t msr)
{
	struct ghcb *g = ghcb_begin();
	uint64_t lo = 0;
	uint64_t hi = 0;

	GHCB_SET(g, rcx, msr);
	ghcb_exit(g, SVM_EXIT_MSR, 0, 0);
	if (!GHCB_VALID(g, rax) || !GHCB_VALID(g, rdx)) {
		ghcb_terminate(SVSM_TERM_SET, SVSM_TERM_GHCB + 5);
	}
	lo = READ_ONCE(g->rax) & 0xffffffffu;
	hi = READ_ONCE(g->rdx) & 0xffffffffu;
	ghcb_end();
	return (hi << 32) | lo;
}

void ghcb_wrmsr(uint32_t msr, uint64_t val)
{
	struct ghcb *g = ghcb_begin();

	GHCB_SET(g, rcx, msr);
	GHCB_SET(g, rax, val & 0xffffffffu);
	GHCB_SET(g, rdx, val >> 32);
	ghcb_exit(g, SVM_EXIT_MSR, 1, 0);
	ghcb_end();
}

bool ghcb_ap_create(uint32_t apic_id, uint8_t vmpl, uint32_t op,
		    uint64_t vmsa_gpa, uint64_t sev_features)
{
	struct ghcb *g = ghcb_begin();
	uint64_t info1 = ((uint64_t)apic_id << 32) | ((uint64_t)vmpl << 16) |
			 (op & 0xffff);
	uint64_t res = 0;

	GHCB_SET(g, rax, sev_features);
	/* A refusal is returned, not fatal: the caller says what failed. */
	res = ghcb_call(g, SVM_VMGEXIT_AP_CREATION, info1, vmsa_gpa);
	ghcb_end();
	return res == 0;
}

uint64_t ghcb_guest_request(uint64_t req_gpa, uint64_t resp_gpa,
			    uint64_t certs_gpa, uint64_t *pages)
{
	struct ghcb *g = ghcb_begin();
	uint64_t code = SVM_VMGEXIT_GUEST_REQUEST, res = 0, info2 = 0;

	if (pages != NULL) {
		code = SVM_VMGEXIT_EXT_GUEST_REQUEST;
		GHCB_SET(g, rax, certs_gpa);
		GHCB_SET(g, rbx, *pages);
	}
	res = ghcb_call(g, code, req_gpa, resp_gpa);
	/* Read once; the hypervisor may change the page at any time. */
	info2 = READ_ONCE(g->sw_exit_info_2);
	if (pages != NULL) {
		*pages = GHCB_VALID(g, rbx) ? READ_ONCE(g->rbx) : 0;
	}
	ghcb_end();
	return res != 0 ? UINT64_MAX : info2;
}

/*
 * PSC entry (GHCB spec 56421 §4.1.6, Table 6): [11:0] cur_page, [51:12]
 * GFN, [55:52] operation (1 = private), [56] page size (1 = 2 MiB).
 */
#define PSC_ENTRY(gfn, size_2m)                          \
	(((uint64_t)(gfn) << 12) | (UINT64_C(1) << 52) | \
	 ((size_2m) ? UINT64_C(1) << 56 : 0))

bool ghcb_psc_private(uint64_t gpa, uint32_t count, bool size_2m)
{
	struct ghcb *g = NULL;
	struct ghcb_psc_hdr *h = NULL;
	uint64_t *ent = NULL;
	uint64_t res = 0;
	bool ok = false;

	if (count == 0 || count > GHCB_PSC_BATCH || (size_2m && count != 1)) {
		return false;
	}
	g = ghcb_begin();
	h = (struct ghcb_psc_hdr *)(void *)g->shared_buffer;
	ent = (uint64_t *)(void *)(h + 1);
	h->cur_entry = 0;
	h->end_entry = (uint16_t)(count - 1);
	for (uint32_t i = 0; i < count; i++) {
		ent[i] = PSC_ENTRY((gpa >> PAGE_SHIFT) + i, size_2m);
	}
	GHCB_SET(g, sw_scratch,
		 this_cpu()->ghcb_gpa + offsetof(struct ghcb, shared_buffer));
	/*
	 * A hypervisor may stop early and leave cur_entry at the next entry
	 * (Linux vmgexit_psc resumes); we resume a bounded number of times.
	 */
	for (int tries = 0; tries < 8; tries++) {
		res = ghcb_call(g, SVM_VMGEXIT_PSC, 0, 0);
		if (res != 0 || READ_ONCE(g->sw_exit_info_2) != 0) {
			break;
		}
		if (READ_ONCE(h->cur_entry) > h->end_entry) {
			ok = true;
			break;
		}
		GHCB_SET(g, sw_scratch,
			 this_cpu()->ghcb_gpa +
				 offsetof(struct ghcb, shared_buffer));
	}
	ghcb_end();
	return ok;
}

/* ---- console ---- */

static void ghcb_out8(void *ctx, uint16_t port, uint8_t val)
{
	(void)ctx;
	ghcb_io_out(port, 1, val);
}

static uint8_t ghcb_in8(void *ctx, uint16_t port)
{
	(void)ctx;
	return (uint8_t)ghcb_io_in(port, 1);
}

/* OUTSB with a repeat count: the bytes in the GHCB's shared buffer,
 * SW_EXITINFO2 the count (GHCB spec §4.1.2, IOIO string form). */
static void ghcb_out_str(void *ctx, uint16_t port, const uint8_t *buf,
			 uint32_t len)
{
	struct ghcb *g = NULL;

	(void)ctx;
	if (len == 0 || len > sizeof(g->shared_buffer)) {
		return;
	}
	g = ghcb_begin();
	memcpy(g->shared_buffer, buf, len);
	GHCB_SET(g, sw_scratch,
		 this_cpu()->ghcb_gpa + offsetof(struct ghcb, shared_buffer));
	ghcb_exit(g, SVM_EXIT_IOIO,
		  ioio_info(port, 1, false) | IOIO_STR | IOIO_REP, len);
	ghcb_end();
}

const struct serial_io ghcb_serial_io = {
	.out8 = ghcb_out8,
	.in8 = ghcb_in8,
	.ctx = NULL,
	.out_str = ghcb_out_str,
};
