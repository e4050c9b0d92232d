// SPDX-License-Identifier: MIT
/*
 * snpemu interrupt payload, VMPL0 part and the GHCB helpers both VMPLs
 * use (each through its own GHCB: *gh). VMPL0 sets the machine up, runs
 * the 32-bit VMPL3 program (#VC in protected mode), creates VMPL2 and then
 * only serves VMPL2's requests; VMPL2 prints the TAP and the verdict.
 */
#include "arch/vmsa_reset.h"

#include "lib/compiler.h"
#include "lib/fmt.h"
#include "lib/string.h"

#include "svsm/abi/ghcb.h"
#include "svsm/abi/ghcb_nae.h"
#include "svsm/abi/snp.h"
#include "svsm/abi/vmsa.h"

#include "irq_guest.h"
#include "payload.h"

uint8_t ghcb0_page[4096] __aligned(4096);
uint8_t ghcb2_page[4096] __aligned(4096);
uint8_t vmsa2_page[4096] __aligned(4096);
uint8_t vmsa3_page[4096] __aligned(4096);
uint8_t idt2[4096] __aligned(4096);
struct gh *gh;
struct gh gh0, gh2;
struct v0_request v0_req;
extern uint64_t irq_mode;

/* ---- GHCB calls (GHCB spec 56421 §2.3) ---- */

void vmgexit(void)
{
	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xd9" ::: "memory");
}

void terminate(uint32_t set, uint32_t code)
{
	wrmsr(MSR_GHCB, GHCB_MSR_TERM(set, code));
	vmgexit();
	for (;;) {
		__asm__ volatile("ud2");
	}
}

void ghcb_set_valid(size_t off)
{
	gh->g->valid_bitmap[off / 64] |= (uint8_t)(1u << ((off / 8) % 8));
}

void ghcb_prepare(uint64_t code, uint64_t info1, uint64_t info2)
{
	struct ghcb *g = gh->g;

	memset(g->valid_bitmap, 0, sizeof(g->valid_bitmap));
	g->sw_exit_code = code;
	g->sw_exit_info_1 = info1;
	g->sw_exit_info_2 = info2;
	ghcb_set_valid(offsetof(struct ghcb, sw_exit_code));
	ghcb_set_valid(offsetof(struct ghcb, sw_exit_info_1));
	ghcb_set_valid(offsetof(struct ghcb, sw_exit_info_2));
	g->protocol_version = 2;
	g->ghcb_usage = 0;
}

uint64_t ghcb_call(uint64_t code, uint64_t info1, uint64_t info2)
{
	ghcb_prepare(code, info1, info2);
	vmgexit();
	return gh->g->sw_exit_info_1;
}

static void set_scratch(void)
{
	gh->g->sw_scratch = gh->gpa + offsetof(struct ghcb, shared_buffer);
	ghcb_set_valid(offsetof(struct ghcb, sw_scratch));
}

uint64_t msr_proto(uint64_t req)
{
	uint64_t resp = 0;

	wrmsr(MSR_GHCB, req);
	vmgexit();
	resp = rdmsr(MSR_GHCB);
	wrmsr(MSR_GHCB, gh->gpa);
	return resp;
}

static uint64_t io_size_bits(unsigned size)
{
	return size == 1 ? IOIO_SZ8 : size == 2 ? IOIO_SZ16 : IOIO_SZ32;
}

uint32_t io_in(uint16_t port, unsigned size)
{
	ghcb_prepare(SVM_EXIT_IOIO,
		     ((uint64_t)port << IOIO_PORT_SHIFT) | io_size_bits(size) |
			     IOIO_TYPE_IN,
		     0);
	gh->g->rax = 0;
	ghcb_set_valid(offsetof(struct ghcb, rax));
	vmgexit();
	return (uint32_t)gh->g->rax &
	       (size == 4 ? UINT32_MAX : (1u << (8 * size)) - 1);
}

void io_out(uint16_t port, unsigned size, uint32_t v)
{
	ghcb_prepare(SVM_EXIT_IOIO,
		     ((uint64_t)port << IOIO_PORT_SHIFT) | io_size_bits(size),
		     0);
	gh->g->rax = v;
	ghcb_set_valid(offsetof(struct ghcb, rax));
	vmgexit();
}

/* False if the hypervisor answered #GP (GHCB_RESULT_EXCEPTION). */
bool msr_rd(uint32_t msr, uint64_t *v)
{
	ghcb_prepare(SVM_EXIT_MSR, 0, 0);
	gh->g->rcx = msr;
	ghcb_set_valid(offsetof(struct ghcb, rcx));
	vmgexit();
	if (gh->g->sw_exit_info_1 != 0) {
		return false;
	}
	*v = (uint32_t)gh->g->rax | (gh->g->rdx << 32);
	return true;
}

bool msr_wr(uint32_t msr, uint64_t v)
{
	ghcb_prepare(SVM_EXIT_MSR, 1, 0);
	gh->g->rcx = msr;
	gh->g->rax = (uint32_t)v;
	gh->g->rdx = v >> 32;
	ghcb_set_valid(offsetof(struct ghcb, rcx));
	ghcb_set_valid(offsetof(struct ghcb, rax));
	ghcb_set_valid(offsetof(struct ghcb, rdx));
	vmgexit();
	return gh->g->sw_exit_info_1 == 0;
}

uint64_t mmio_rd(uint64_t gpa, unsigned len)
{
	uint64_t v = 0;

	ghcb_prepare(SVM_VMGEXIT_MMIO_READ, gpa, len);
	set_scratch();
	vmgexit();
	memcpy(&v, gh->g->shared_buffer, len);
	return v;
}

void mmio_wr(uint64_t gpa, unsigned len, uint64_t v)
{
	memcpy(gh->g->shared_buffer, &v, len);
	ghcb_prepare(SVM_VMGEXIT_MMIO_WRITE, gpa, len);
	set_scratch();
	vmgexit();
}

void payload_con_write(const char *s, size_t len)
{
	while (len > 0) {
		size_t n = MIN(len, sizeof(gh->g->shared_buffer));

		memcpy(gh->g->shared_buffer, s, n);
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

void set_gate(uint8_t *idt, unsigned vec, const void *handler, unsigned dpl)
{
	uint64_t h = (uint64_t)(uintptr_t)handler;
	uint8_t *g = idt + vec * 16;

	memset(g, 0, 16);
	g[0] = (uint8_t)h;
	g[1] = (uint8_t)(h >> 8);
	g[2] = 0x08;
	g[5] = (uint8_t)(0x8e | (dpl << 5));
	g[6] = (uint8_t)(h >> 16);
	g[7] = (uint8_t)(h >> 24);
	g[8] = (uint8_t)(h >> 32);
	g[9] = (uint8_t)(h >> 40);
	g[10] = (uint8_t)(h >> 48);
	g[11] = (uint8_t)(h >> 56);
}

/* ---- VMPL0: set-up ---- */

static inline uint32_t pvalidate(uint64_t va, uint32_t valid)
{
	uint64_t rc = 0;

	__asm__ volatile(".byte 0xf2, 0x0f, 0x01, 0xff"
			 : "=a"(rc)
			 : "a"(va), "c"(0), "d"(valid)
			 : "memory", "cc");
	return (uint32_t)rc;
}

static inline uint32_t rmpadjust(uint64_t va, uint64_t attrs)
{
	uint64_t rc = 0;

	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xfe"
			 : "=a"(rc)
			 : "a"(va), "c"(0), "d"(attrs)
			 : "memory", "cc");
	return (uint32_t)rc;
}

static void must(bool ok, uint32_t code)
{
	if (!ok) {
		terminate(EMU_TERM_SET_VERDICT, code);
	}
}

static void make_shared(void *page)
{
	uint64_t gfn = (uint64_t)(uintptr_t)page >> 12;

	must(pvalidate((uint64_t)(uintptr_t)page, 0) == 0, 2);
	wrmsr(MSR_GHCB, GHCB_MSR_PSC(gfn, GHCB_MSR_PSC_OP_SHARED));
	vmgexit();
	must(rdmsr(MSR_GHCB) == GHCB_MSR_PSC_RESP, 2);
}

static bool skipped(const uint8_t *p)
{
	return p == ghcb0_page || p == ghcb2_page || p == vmsa2_page ||
	       p == vmsa3_page;
}

static void init_vmsa(struct snp_vmsa *v, unsigned vmpl)
{
	vmsa_reset_state(v, (uint8_t)vmpl, SEV_FEAT_SNP_ACTIVE);
	vmsa_seg_set(&v->gdtr, 0, 0, 0x3f, (uint64_t)(uintptr_t)irq_gdt);
	vmsa_seg_set(&v->idtr, 0, 0, 0, 0); /* each VMPL loads its own */
}

/* AP creation: the target VMPL in SW_EXITINFO1[19:16] (GHCB spec). */
static void create(struct snp_vmsa *v)
{
	must(rmpadjust((uint64_t)(uintptr_t)v, 1 | RMPADJ_VMSA) == 0, 5);
	ghcb_prepare(SVM_VMGEXIT_AP_CREATION,
		     SVM_VMGEXIT_AP_CREATE | ((uint64_t)v->vmpl << 16),
		     (uint64_t)(uintptr_t)v);
	gh->g->rax = SEV_FEAT_SNP_ACTIVE;
	ghcb_set_valid(offsetof(struct ghcb, rax));
	vmgexit();
	must(gh->g->sw_exit_info_1 == 0, 5);
}

/* VMPL3: 32-bit protected mode, paging off. Returns by RUN_VMPL(0). */
static void run_vmpl3(void)
{
	struct snp_vmsa *v = (struct snp_vmsa *)vmsa3_page;
	uint64_t h = (uint64_t)(uintptr_t)v3_vc;
	uint8_t *g = v3_idt + 29 * 8;
	bool ok = true;

	g[0] = (uint8_t)h;
	g[1] = (uint8_t)(h >> 8);
	g[2] = 0x38;
	g[5] = 0x8e; /* 32-bit interrupt gate */
	g[6] = (uint8_t)(h >> 16);
	g[7] = (uint8_t)(h >> 24);
	init_vmsa(v, 3);
	vmsa_flat_segments(v, 0x38, VMSA_SEG_CODE32, 0x10);
	v->cr0 = X86_CR0_PE | X86_CR0_ET;
	v->rip = (uint64_t)(uintptr_t)v3_entry;
	v->rsp = (uint64_t)(uintptr_t)v3_stack_top;
	create(v);
	ghcb_call(SVM_VMGEXIT_SNP_RUN_VMPL, 3, 0);
	gh = &gh0;
	EXPECT_EQ(v3_results[0], 0x72);
	EXPECT_EQ(v3_results[1], (uint32_t)(uintptr_t)v3_cpuid);
	/* EFLAGS, CS, EIP, error code (16 bytes), then the handler's EAX. */
	EXPECT_EQ(v3_results[2], (uint32_t)(uintptr_t)v3_stack_top - 20);
	EXPECT_EQ(v3_results[3], 0x5a5a);
	report(ok,
	       "#VC in 32-bit protected mode (VMPL3, paging off): "
	       "8-byte gate, 32-bit frame with the error code, IRET");
	ghcb_prepare(SVM_VMGEXIT_AP_CREATION,
		     SVM_VMGEXIT_AP_DESTROY | (UINT64_C(3) << 16),
		     (uint64_t)(uintptr_t)v);
	vmgexit();
}

static bool has_pku(void)
{
	/* CPUID 7.0 ECX bit 3 through the GHCB MSR protocol (no #VC here). */
	return (msr_proto(GHCB_MSR_CPUID(7, 2)) >> 32) & (1u << 3);
}

static void create_vmpl2(void)
{
	struct snp_vmsa *v = (struct snp_vmsa *)vmsa2_page;
	uint64_t cr0 = 0, cr4 = 0, tss = (uint64_t)(uintptr_t)irq_tss;

	/* TSS: RSP0 for CPL3 -> CPL0; descriptor at 0x28 (available). */
	memset(irq_tss, 0, sizeof(irq_tss));
	*(uint64_t *)(void *)(irq_tss + 4) = (uint64_t)(uintptr_t)v2_kstack_top;
	irq_gdt[5] = 0x67 | ((tss & 0xffffff) << 16) | (UINT64_C(0x89) << 40) |
		     ((tss >> 24 & 0xff) << 56);
	irq_gdt[6] = tss >> 32;
	set_gate(idt2, 13, trap_13, 0);
	set_gate(idt2, 14, trap_14, 0);
	set_gate(idt2, 29, trap_29, 0);
	set_gate(idt2, 0x20, trap_0x20, 0);
	set_gate(idt2, 0x23, trap_0x23, 0);
	set_gate(idt2, 0x24, trap_0x24, 0);
	for (unsigned i = 0; i < ARRAY_SIZE(pci_traps); i++) {
		set_gate(idt2, 0x25 + i, pci_traps[i], 0);
	}
	set_gate(idt2, 0x40, trap_0x40, 0);
	set_gate(idt2, 0x41, trap_0x41, 0);
	set_gate(idt2, 0x45, trap_0x45, 0);
	set_gate(idt2, 0x51, trap_0x51, 0);
	set_gate(idt2, 0x60, trap_0x60, 0);
	set_gate(idt2, 0x61, trap_0x61, 0);
	set_gate(idt2, 0x70, trap_0x70, 0);
	set_gate(idt2, 0xef, trap_0xef, 0);
	set_gate(idt2, 0x80, user_back, 3);

	__asm__ volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
	init_vmsa(v, 2);
	vmsa_long_mode(v, 0x08, 0x10, (uint64_t)(uintptr_t)irq_pml4 | CBIT);
	vmsa_seg_set(&v->tr, 0x28, VMSA_SEG_TSS, 0x67, tss);
	vmsa_seg_set(&v->idtr, 0, 0, 4095, (uint64_t)(uintptr_t)idt2);
	v->cr0 = cr0;
	v->cr4 = cr4 | (has_pku() ? UINT64_C(1) << 22 : 0); /* PKE */
	v->rip = (uint64_t)(uintptr_t)irq_vmpl2_main;
	v->rsp = (uint64_t)(uintptr_t)v2_stack_top - 8;
	create(v);
}

/* S11: fields VMPL2 must see take effect when it is entered next. */
static void edit_vmsa2(void)
{
	struct snp_vmsa *v = (struct snp_vmsa *)vmsa2_page;

	v->dr0 = UINT64_C(0xdead000);
	v->event_inj = 0x70 | (UINT64_C(1) << 31); /* INTR, vector 0x70 */
	v->vintr_ctrl = 3;                         /* V_TPR = 3 */
	if (v->cr4 & (UINT64_C(1) << 22)) {
		v->pkru = 0x55555554; /* Linux's init_pkru_value */
	}
}

void irq_vmpl0_main(uint64_t arg, uint64_t secrets_gpa)
{
	(void)secrets_gpa;
	irq_mode = arg;
	gh0 = (struct gh){.g = (void *)((uintptr_t)ghcb0_page + SHARED_ALIAS),
			  .gpa = (uint64_t)(uintptr_t)ghcb0_page};
	gh2 = (struct gh){.g = (void *)((uintptr_t)ghcb2_page + SHARED_ALIAS),
			  .gpa = (uint64_t)(uintptr_t)ghcb2_page};
	gh = &gh0;
	make_shared(ghcb0_page);
	make_shared(ghcb2_page);
	wrmsr(MSR_GHCB, gh0.gpa | GHCB_MSR_REG_GPA_REQ);
	vmgexit();
	must(rdmsr(MSR_GHCB) == (gh0.gpa | GHCB_MSR_REG_GPA_RESP), 2);
	wrmsr(MSR_GHCB, gh0.gpa);
	/* This payload tests interrupts, not isolation: VMPL2 and VMPL3
	 * may use the whole image. */
	for (uint8_t *p = __payload_start; p < __payload_end; p += 4096) {
		if (!skipped(p)) {
			must(rmpadjust((uint64_t)(uintptr_t)p,
				       2 | RMPADJ_RWX) == 0,
			     4);
			must(rmpadjust((uint64_t)(uintptr_t)p,
				       3 | RMPADJ_RWX) == 0,
			     4);
		}
	}
	out("1..%u\n", (arg & 0xf) == 0              ? 20u
		       : (arg & 0xf) == IRQ_MODE_PCI ? 5u + PCI_TEST_COUNT
						     : 6u);
	run_vmpl3();
	create_vmpl2();
	for (;;) {
		ghcb_call(SVM_VMGEXIT_SNP_RUN_VMPL, 2, 0);
		gh = &gh0;
		if (v0_req.kind == V0_REQ_SPIN) {
			uint64_t t0 = rdtsc();

			/* IF=1: an interrupt snpemu injected here would
			 * find no IDT and triple-fault VMPL0. */
			__asm__ volatile("sti");
			while (rdtsc() - t0 < v0_req.arg) {
			}
			__asm__ volatile("cli");
		} else if (v0_req.kind == V0_REQ_S11) {
			edit_vmsa2();
		} else if (v0_req.kind == V0_REQ_SHARE &&
			   v0_req.arg >= (uint64_t)(uintptr_t)__payload_start &&
			   v0_req.arg < (uint64_t)(uintptr_t)__payload_end) {
			make_shared((void *)(uintptr_t)(v0_req.arg & ~0xfffu));
			wrmsr(MSR_GHCB, gh0.gpa);
		}
		v0_req.kind = V0_REQ_NONE;
	}
}
