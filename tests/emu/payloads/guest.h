/* SPDX-License-Identifier: MIT */
/*
 * The snpemu test payload: shared declarations of its VMPL0 C code and its
 * assembly (entry.S, including the whole VMPL2 program).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tap.h"

#define CBIT (UINT64_C(1) << 47)
#define SHARED_ALIAS UINT64_C(0x40000000) /* VA = GPA + 1 GiB, no C-bit */
#define MMIO_VA_BASE UINT64_C(0xc0000000) /* VA = GPA, no C-bit */

/* Exception frame as entry.S hands it to payload_exception(). */
struct xframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, err, rip, cs, rflags, rsp, ss;
};

/* What the VMPL2 program records (.vmpl2_data, read back by VMPL0). */
struct v2_results {
	uint64_t mode;      /* in: 0 tests, 1 attack, 2 bench */
	uint64_t ghcb_gpa;  /* in: VMPL2's GHCB (shared page) */
	uint64_t attack_va; /* in: a VMPL0-only address to read */
	uint64_t vc_code;   /* #VC error code seen at VMPL2 */
	uint64_t gp_count;  /* #GP at VMPL2 (PVALIDATE) */
	uint64_t reg_gpa_resp;
	uint64_t call_rax, call_rcx; /* registers after the first call */
	uint64_t r12, r13;
	uint64_t xmm0;
	uint64_t rmpadjust_up, rmpadjust_self, rmpadjust_down;
	uint64_t done;
	uint64_t vc_rsp;                 /* RSP in the #VC handler (IST 1) */
	uint64_t cmd, cmd_addr, cmd_val; /* mode 3: entry.S v2_cmd_loop */
	uint64_t pad;
};

extern struct v2_results v2_results;
extern uint8_t __v2_text_start[], __v2_text_end[], __pt_start[], __pt_end[],
	__v2_data_start[], __v2_data_end[];
extern uint8_t v2_stack_top[], v2_entry[], v2_ist_stack[], v2_ist_top[],
	v2_tss[];
extern uint64_t pml4[], v2_pml4[];
extern uint64_t gdt[];
extern uint8_t idt2[];
extern uint8_t vstub_6[], vstub_13[], vstub_14[], vstub_29[];
extern uint8_t v2_vc_handler[], v2_gp_handler[];

void payload_main(uint64_t arg, uint64_t secrets_gpa, uint64_t vmsa0_gpa);

/* ---- snp_tests.c: shared state and helpers of the VMPL0 tests ---- */
struct ghcb;
struct snp_secrets_page;
extern uint8_t ghcb0_page[4096], ghcb2_page[4096], vmsa2_page[4096],
	scratch_page[4096], shared_page[4096], idt0[4096], greq_req[4096],
	greq_resp[4096], greq_certs[3 * 4096];
extern const struct snp_secrets_page *secrets;
struct snp_report_rsp;
struct snp_attestation_report;
/* Check a report's signature with the VCEK certificate that
 * t_guest_request_ext() fetched (false before it ran). */
bool vcek_verify(const struct snp_attestation_report *r);
uint64_t guest_request_ext(unsigned vmpck, uint64_t seqno, uint32_t vmpl,
			   bool tamper, uint64_t ext_pages,
			   struct snp_report_rsp *rsp, bool *rsp_ok);
extern volatile uint64_t vmpl0_secret;
extern struct ghcb *ghcb; /* shared-alias view of ghcb0_page */
extern uint64_t ghcb_gpa;
/* What the exception handler saw; set vc_skip to step over the insn. */
extern volatile uint64_t exc_count, exc_vector, exc_err, exc_rip, vc_skip;
extern volatile uint64_t revalidate_va; /* #VC 0x404: PVALIDATE, retry */
extern volatile uint64_t exc_cr2;

uint64_t gpa_of(const void *p);
void *shared_va(const void *p);
__attribute__((noreturn)) void terminate(uint32_t set, uint32_t code);
void ghcb_set_valid(size_t off);
void ghcb_prepare(uint64_t code, uint64_t info1, uint64_t info2);
bool ghcb_is_valid(size_t off);
uint64_t ghcb_call(uint64_t code, uint64_t info1, uint64_t info2);
void set_scratch(void);
void set_gate_ist(uint8_t *idt, unsigned vec, const void *handler,
		  unsigned ist);
void set_gate(uint8_t *idt, unsigned vec, const void *handler);
bool make_shared(void *page);
uint64_t msr_proto(uint64_t req);

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

/* ---- the test groups ---- */
void t_sev_status(void);
void t_msr_protocol(void);
void t_vc(void);
void t_ghcb_nae(void);
void t_pvalidate(void);
void t_pvalidate_2m(void);
void t_rmp_adjust_query(void);
void t_psc_msr(void);
void t_private_walks_fetches(void);
void t_hostile(void);
void t_guest_request_ext(void);
void t_guest_request(void);
void t_fuzz(void);
bool vmpl2_setup(uint64_t mode);
bool vmpl2_grant(void);
void vmpl2_build_vmsa(void *page, uint64_t rip);
uint64_t ap_create(unsigned vmpl, uint64_t op, uint64_t gpa, uint64_t feat);
uint64_t ap_create_on(uint32_t apic_id, unsigned vmpl, uint64_t op,
		      uint64_t gpa, uint64_t feat);
/* tests_fidelity.c: one row of docs/snpemu.md's fidelity table. */
void t_fidelity(unsigned row, uint64_t vmsa0_gpa);
void run_vmpl2_prepare(void);
void t_vmpl2(void);
void payload_exception(struct xframe *f);
/* entry.S: VMGEXIT with callee-saved registers and xmm0 set to patterns,
 * returns a mask of those that changed. */
uint64_t vmgexit_check_regs(void);

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo = 0, hi = 0;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline void vmgexit(void)
{
	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xd9" ::: "memory");
}

static inline uint32_t pvalidate(uint64_t va, uint32_t size, uint32_t valid,
				 bool *cf)
{
	uint64_t rc = 0;
	uint8_t c = 0;

	__asm__ volatile(".byte 0xf2, 0x0f, 0x01, 0xff\n\tsetc %1"
			 : "=a"(rc), "=qm"(c)
			 : "a"(va), "c"(size), "d"(valid)
			 : "memory", "cc");
	*cf = c != 0;
	return (uint32_t)rc;
}

static inline uint32_t rmpadjust(uint64_t va, uint32_t size, uint64_t attrs)
{
	uint64_t rc = 0;

	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xfe"
			 : "=a"(rc)
			 : "a"(va), "c"(size), "d"(attrs)
			 : "memory", "cc");
	return (uint32_t)rc;
}

static inline uint32_t rmpquery(uint64_t va, uint64_t *rdx, uint64_t *rcx)
{
	uint64_t rc = 0;

	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xfd"
			 : "=a"(rc), "+d"(*rdx), "=c"(*rcx)
			 : "a"(va)
			 : "memory", "cc");
	return (uint32_t)rc;
}

/*
 * Read vmpl0_secret with CR3 briefly loaded without the C-bit: the page-
 * table walk is private whatever the C-bit says (APM vol. 2 §15.34.5).
 */
static inline uint64_t read_secret_cbitless_cr3(void)
{
	uint64_t cr3 = 0, v = 0;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	__asm__ volatile("mov %1, %%cr3; mov (%2), %0; mov %3, %%cr3"
			 : "=&r"(v)
			 : "r"(cr3 & ~CBIT), "r"(&vmpl0_secret), "r"(cr3)
			 : "memory");
	return v;
}
