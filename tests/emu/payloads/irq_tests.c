// SPDX-License-Identifier: MIT
/*
 * snpemu interrupt payload, VMPL2 part: the local APIC (xAPIC MMIO and
 * x2APIC MSRs through the GHCB), its timer in all three modes checked
 * against QEMU's HPET, HLT, the interrupt shadow, TPR and nesting, the
 * 8259/8254 in virtual-wire mode, COM2's receive interrupt, VMSA fields
 * loaded on entry (S11), exceptions raised at CPL3, and that VMPL0 is
 * never interrupted. The APIC is reached the way Linux's #VC handler
 * reaches it: GHCB MSR and MMIO events.
 */
#include "lib/compiler.h"
#include "lib/string.h"

#include "svsm/abi/ghcb.h"
#include "svsm/abi/ghcb_nae.h"
#include "svsm/abi/snp.h"

#include "irq_guest.h"
#include "latency.h"
#include "payload.h"

#define APIC_BASE_MSR 0x1b
#define X2(reg) (0x800u + ((reg) >> 4))
#define XAPIC(reg) (UINT64_C(0xfee00000) + (reg))
#define TSC_DEADLINE 0x6e0
#define LVT_TIMER 0x320
#define TMICT 0x380
#define TMCCT 0x390
#define TDCR 0x3e0
#define HPET UINT64_C(0xfed00000)

uint64_t irq_mode; /* VMPL0's arg (RDI): 0 tests, 1-2 benchmarks */

uint64_t tsc_ms; /* TSC ticks per ms, from the HPET */
volatile uint64_t cnt[256], when[256];
static volatile uint64_t rip_at[256];
static volatile uint64_t isr_seen, order[8], order_n;
static volatile uint64_t vc_err, vc_cs, vc_ss, vc_rsp, vc_frame, vc_rip;
static volatile uint64_t pf_err, pf_cr2, pf_cs, gp_err, gp_cs, com_char;
static volatile uint16_t com_base;

static void eoi(void)
{
	(void)msr_wr(X2(0xb0), 0);
}

static void self_ipi(unsigned vec)
{
	(void)msr_wr(X2(0x3f0), vec);
}

static uint64_t x2_rd(unsigned reg)
{
	uint64_t v = UINT64_MAX;

	(void)msr_rd(X2(reg), &v);
	return v;
}

static bool irr_has(unsigned vec)
{
	return (x2_rd(0x200 + (vec / 32) * 0x10) >> (vec % 32)) & 1;
}

void irq_trap(struct trap_frame *f)
{
	unsigned v = (unsigned)f->vector;

	cnt[v]++;
	when[v] = rdtsc();
	rip_at[v] = f->rip;
	switch (v) {
	case 29: /* #VC from the CPL3 probe */
		vc_err = f->err;
		vc_cs = f->cs;
		vc_ss = f->ss;
		vc_rsp = f->rsp;
		vc_rip = f->rip;
		vc_frame = (uint64_t)(uintptr_t)&f->rip;
		f->rax = 0xc0ffee;
		f->rip += 2;
		return;
	case 14:
		pf_err = f->err;
		__asm__ volatile("mov %%cr2, %0" : "=r"(pf_cr2));
		pf_cs = f->cs;
		f->rip += 3;
		return;
	case 13:
		gp_err = f->err;
		gp_cs = f->cs;
		f->rip += 1;
		return;
	case 0x70: /* injected from the VMSA: not through the APIC */
		return;
	case 0x20:
		io_out(0x20, 1, 0x20); /* 8259 non-specific EOI */
		return;
	case 0x23:
	case 0x24:
		(void)io_in(com_base + 2, 1); /* IIR */
		com_char = io_in(com_base, 1);
		io_out(0x20, 1, 0x20);
		return;
	case 0x40:
		isr_seen = x2_rd(0x100 + 0x20) & 1; /* ISR bit 0x40 */
		break;
	case 0x41:
		order[order_n++ & 7] = 0x41;
		self_ipi(0x51);
		(void)sti_nop_window();
		order[order_n++ & 7] = 0x141;
		break;
	case 0x51:
		order[order_n++ & 7] = 0x51;
		break;
	case 0x25 ... 0x27: /* PCI INTx through the 8259 (irq_pci.c) */
	case 0x28 ... 0x2f:
		pci_trap(v);
		return;
	case 0x45:
	case 0x60:
	case 0x61:
	case 0xef:
		break;
	default:
		out("# unexpected trap %u err 0x%llx at 0x%llx\n", v,
		    (unsigned long long)f->err, (unsigned long long)f->rip);
		terminate(EMU_TERM_SET_VERDICT, 3);
	}
	eoi();
}

void call_vmpl0(enum v0_req kind, uint64_t arg)
{
	v0_req.arg = arg;
	v0_req.kind = kind;
	ghcb_call(SVM_VMGEXIT_SNP_RUN_VMPL, 0, 0);
	gh = &gh2;
}

/* HLT until *c reaches n or timeout_ms passes (something must wake). */
bool wait_for(volatile uint64_t *c, uint64_t n, uint64_t timeout_ms)
{
	uint64_t t0 = rdtsc();

	while (*c < n) {
		if (rdtsc() - t0 > timeout_ms * tsc_ms) {
			return false;
		}
		v2_sti_hlt();
		__asm__ volatile("cli");
	}
	return true;
}

/* Never early; late by at most slack (TCG on a loaded host). */
static bool in_time(uint64_t t, uint64_t expect_ms, uint64_t slack_ms)
{
	return t * 100 >= expect_ms * tsc_ms * 97 &&
	       t <= (expect_ms + slack_ms) * tsc_ms;
}

void guard_timer(uint64_t ms)
{
	(void)msr_wr(X2(LVT_TIMER), 0xef);
	(void)msr_wr(X2(TMICT), ms * 1000000);
}

/* ---- tests ---- */

/* The HPET's counter with the TSC at that moment: the best of several
 * bracketed reads, so that a descheduled QEMU does not skew it. */
static uint64_t hpet_read(uint64_t *tsc)
{
	uint64_t best = UINT64_MAX, h = 0;

	for (int i = 0; i < 5; i++) {
		uint64_t a = rdtsc(), v = mmio_rd(HPET + 0xf0, 8), b = rdtsc();

		if (b - a < best) {
			best = b - a;
			h = v;
			*tsc = a + (b - a) / 2;
		}
	}
	return h;
}

static void t_hpet_tsc(void)
{
	uint64_t period_fs = mmio_rd(HPET + 4, 4), h0 = 0, h1 = 0, t0 = 0,
		 t1 = 0, us = 0;
	bool ok = period_fs != 0 && period_fs != UINT32_MAX;

	mmio_wr(HPET + 0x10, 8, 1); /* ENABLE_CNF */
	if (ok) {
		h0 = hpet_read(&t0);
		do {
			h1 = hpet_read(&t1);
			us = (h1 - h0) * period_fs / 1000000000;
		} while (us < 50000);
		tsc_ms = (t1 - t0) * 1000 / us;
	}
	ok = ok && tsc_ms > 50000 && tsc_ms < 20000000;
	if (!ok) {
		tsc_ms = 1000000;
	}
	out("# TSC %llu kHz against the HPET\n", (unsigned long long)tsc_ms);
	report(ok, "TSC rate measured against QEMU's HPET (MMIO pass-through)");
}

static void t_xapic(void)
{
	bool ok = true;

	EXPECT_EQ(mmio_rd(XAPIC(0x30), 4), 0x50014);
	EXPECT_EQ(mmio_rd(XAPIC(0x20), 4), 0);
	mmio_wr(XAPIC(0x80), 4, 0x20);
	EXPECT_EQ(mmio_rd(XAPIC(0x80), 4), 0x20);
	EXPECT_EQ(mmio_rd(XAPIC(0xa0), 4), 0x20); /* PPR */
	mmio_wr(XAPIC(0x80), 4, 0);
	mmio_wr(XAPIC(0x280), 4, 0);
	(void)mmio_rd(XAPIC(0x10), 4); /* reserved offset */
	mmio_wr(XAPIC(0x280), 4, 0);
	EXPECT_EQ(mmio_rd(XAPIC(0x280), 4), 0x80); /* illegal register */
	mmio_wr(XAPIC(0x280), 4, 0);
	EXPECT_EQ(mmio_rd(XAPIC(0x280), 4), 0);
	report(ok,
	       "xAPIC page through the GHCB MMIO event: version, ID, "
	       "TPR/PPR, ESR on a reserved offset");
}

static void t_apic_base(void)
{
	uint64_t base = 0, v = 0;
	bool ok = msr_rd(APIC_BASE_MSR, &base);

	EXPECT_EQ(base, 0xfee00900);
	EXPECT_EQ(msr_wr(APIC_BASE_MSR, base | 1), false);       /* reserved */
	EXPECT_EQ(msr_wr(APIC_BASE_MSR, base & ~0x100u), false); /* BSP */
	EXPECT_EQ(msr_rd(X2(0x20), &v), false); /* no x2APIC yet */
	EXPECT_EQ(msr_wr(APIC_BASE_MSR, base | 0x400), true);
	EXPECT_EQ(msr_wr(APIC_BASE_MSR, base), false); /* x2APIC -> xAPIC */
	EXPECT_EQ(msr_rd(APIC_BASE_MSR, &v), true);
	EXPECT_EQ(v, 0xfee00d00);
	report(ok,
	       "IA32_APIC_BASE: x2APIC enable, #GP for reserved bits, "
	       "BSP and x2APIC -> xAPIC");
}

static void t_x2apic_regs(void)
{
	uint64_t v = 0;
	bool ok = true;

	EXPECT_EQ(x2_rd(0x20), 0);       /* ID */
	EXPECT_EQ(x2_rd(0x30), 0x50014); /* version */
	EXPECT_EQ(x2_rd(0xd0), 1);       /* LDR: cluster 0, bit 0 */
	EXPECT_EQ(msr_wr(X2(0x30), 0), false);
	EXPECT_EQ(msr_rd(X2(0xb0), &v), false);  /* EOI is write-only */
	EXPECT_EQ(msr_wr(X2(0xb0), 1), false);   /* non-zero EOI */
	EXPECT_EQ(msr_rd(X2(0xe0), &v), false);  /* no DFR */
	EXPECT_EQ(msr_rd(X2(0x310), &v), false); /* no ICR2 */
	EXPECT_EQ(msr_rd(X2(0x3f0), &v), false); /* SELF_IPI write-only */
	EXPECT_EQ(msr_rd(0x8ff, &v), false);
	EXPECT_EQ(msr_wr(X2(0xf0), 0x1ff), true); /* SVR: enable */
	EXPECT_EQ(x2_rd(0xf0), 0x1ff);
	report(ok,
	       "x2APIC MSRs: ID, version, LDR; #GP for read-only, "
	       "write-only, absent registers and a non-zero EOI");
}

static void t_self_ipi(void)
{
	bool ok = true;

	self_ipi(0x40);
	EXPECT_EQ(irr_has(0x40), 1);
	EXPECT_EQ(cnt[0x40], 0);
	(void)sti_nop_window();
	EXPECT_EQ(cnt[0x40], 1);
	EXPECT_EQ(isr_seen, 1);
	EXPECT_EQ(irr_has(0x40), 0);
	EXPECT_EQ(x2_rd(0x120), 0); /* ISR clear after the EOI */
	/* A fixed IPI to APIC ID 0 through the ICR reaches itself. */
	(void)msr_wr(X2(0x300), 0x40);
	(void)sti_nop_window();
	EXPECT_EQ(cnt[0x40], 2);
	report(ok,
	       "self-IPI (SELF_IPI and ICR): IRR while IF=0, delivery, "
	       "ISR in the handler, EOI");
}

static void t_tpr(void)
{
	bool ok = true;

	(void)msr_wr(X2(0x80), 0x50);
	self_ipi(0x45);
	(void)sti_nop_window();
	EXPECT_EQ(cnt[0x45], 0);
	EXPECT_EQ(x2_rd(0xa0), 0x50);
	(void)msr_wr(X2(0x80), 0);
	(void)sti_nop_window();
	EXPECT_EQ(cnt[0x45], 1);
	/* CR8 is TPR[7:4]. */
	__asm__ volatile("mov %0, %%cr8" : : "r"(UINT64_C(2)));
	EXPECT_EQ(x2_rd(0x80), 0x20);
	__asm__ volatile("mov %0, %%cr8" : : "r"(UINT64_C(0)));
	EXPECT_EQ(x2_rd(0x80), 0);
	report(ok,
	       "TPR blocks a lower class until lowered; PPR; CR8 and TPR "
	       "agree");
}

static void t_illegal_vector(void)
{
	bool ok = true;

	(void)msr_wr(X2(0x280), 0);
	self_ipi(5);
	(void)msr_wr(X2(0x280), 0);
	EXPECT_EQ(x2_rd(0x280), 0x20); /* send illegal vector */
	(void)msr_wr(X2(0x280), 0);
	EXPECT_EQ(x2_rd(0x280), 0);
	EXPECT_EQ(msr_wr(X2(0x280), 1), false); /* ESR takes only 0 */
	report(ok, "vector < 16: ESR 'send illegal vector', no delivery");
}

static void t_nesting(void)
{
	bool ok = true;

	order_n = 0;
	self_ipi(0x41);
	(void)sti_nop_window();
	EXPECT_EQ(order_n, 3);
	EXPECT_EQ(order[0], 0x41);
	EXPECT_EQ(order[1], 0x51);
	EXPECT_EQ(order[2], 0x141);
	report(ok, "nesting: a higher class interrupts its handler");
}

static void t_shadow(void)
{
	bool ok = true;
	uint64_t rip = 0;

	(void)msr_wr(X2(LVT_TIMER), 0x61 | (2u << 17)); /* TSC deadline */
	(void)msr_wr(TSC_DEADLINE, 1);                  /* in the past */
	while (!irr_has(0x61)) {
	}
	rip = sti_nop_window();
	EXPECT_EQ(cnt[0x61], 1);
	EXPECT_EQ(rip_at[0x61], rip);
	EXPECT_EQ(rip, (uint64_t)(uintptr_t)sti_nop_after);
	report(ok,
	       "interrupt window: pending while IF=0, taken right after "
	       "the STI shadow");
}

/* TMCCT with the TSC at that moment (best of five bracketed reads). */
static uint64_t tmcct_read(uint64_t *tsc)
{
	uint64_t best = UINT64_MAX, count = 0;

	for (int i = 0; i < 5; i++) {
		uint64_t a = rdtsc(), c = x2_rd(TMCCT), b = rdtsc();

		if (b - a < best) {
			best = b - a;
			count = c;
			*tsc = a + (b - a) / 2;
		}
	}
	return count;
}

/*
 * TMCCT falls by one count per ns (divide by 1, 1 GHz bus): +-25 %.
 * A masked 2-second count, so that a loaded host cannot let it expire.
 */
static bool tmcct_rate_ok(void)
{
	uint64_t ta = 0, tb = 0, ca = 0, cb = 0, rate = 0;

	(void)msr_wr(X2(TDCR), 0xb);
	(void)msr_wr(X2(LVT_TIMER), 0x60 | (1u << 16));
	(void)msr_wr(X2(TMICT), 2000000000);
	ca = tmcct_read(&ta);

	while (rdtsc() - ta < 2 * tsc_ms) {
	}
	cb = tmcct_read(&tb);
	rate = (ca - cb) * tsc_ms / (tb - ta); /* counts per ms */
	(void)msr_wr(X2(TMICT), 0);
	out("# TMCCT: %llu counts per ms\n", (unsigned long long)rate);
	return rate > 750000 && rate < 1250000;
}

static void t_oneshot(void)
{
	bool ok = true;
	uint64_t t0 = 0, c = 0;

	ok = tmcct_rate_ok();
	(void)msr_wr(X2(TDCR), 0xb); /* divide by 1: 1 count = 1 ns */
	(void)msr_wr(X2(LVT_TIMER), 0x60);
	t0 = rdtsc();
	(void)msr_wr(X2(TMICT), 20000000);
	c = x2_rd(TMCCT);
	/* Counting down (or, on a badly loaded host, already done). */
	ok = c < 20000000 && (c > 0 || rdtsc() - t0 >= 20 * tsc_ms) && ok;
	ok = wait_for(&cnt[0x60], 1, 1000) && ok;
	EXPECT_EQ(in_time(when[0x60] - t0, 20, 400), true);
	EXPECT_EQ(x2_rd(TMCCT), 0);
	EXPECT_EQ(cnt[0x60], 1);
	out("# one-shot 20 ms: %llu us\n",
	    (unsigned long long)((when[0x60] - t0) * 1000 / tsc_ms));
	report(ok,
	       "APIC timer one-shot (20 ms): TMCCT counts down, HLT "
	       "wakes at the deadline, not before");
}

static void t_periodic(void)
{
	bool ok = true;
	uint64_t t0 = rdtsc();

	(void)msr_wr(X2(TDCR), 0x0); /* divide by 2 */
	(void)msr_wr(X2(LVT_TIMER), 0x60 | (1u << 17));
	(void)msr_wr(X2(TMICT), 2500000); /* 5 ms */
	ok = wait_for(&cnt[0x60], 5, 1000);
	(void)msr_wr(X2(LVT_TIMER), 0x60 | (1u << 16));
	(void)msr_wr(X2(TMICT), 0);
	EXPECT_EQ(in_time(when[0x60] - t0, 20, 400), true);
	out("# periodic 4 x 5 ms: %llu us\n",
	    (unsigned long long)((when[0x60] - t0) * 1000 / tsc_ms));
	report(ok, "APIC timer periodic (5 ms, divide by 2): 4 periods");
}

static void t_tsc_deadline(void)
{
	bool ok = true;
	uint64_t d = 0, v = 0;

	(void)msr_wr(X2(LVT_TIMER), 0x61 | (2u << 17));
	d = rdtsc() + 10 * tsc_ms;
	(void)msr_wr(TSC_DEADLINE, d);
	(void)msr_wr(X2(TMICT), 12345); /* ignored in this mode */
	EXPECT_EQ(x2_rd(TMICT), 0);
	EXPECT_EQ(msr_rd(TSC_DEADLINE, &v), true);
	EXPECT_EQ(v, d);
	ok = wait_for(&cnt[0x61], 2, 1000) && ok;
	EXPECT_EQ(when[0x61] >= d, true);
	EXPECT_EQ(in_time(when[0x61] - d + 10 * tsc_ms, 10, 400), true);
	EXPECT_EQ(msr_rd(TSC_DEADLINE, &v), true);
	EXPECT_EQ(v, 0);
	(void)msr_wr(X2(LVT_TIMER), 0x10000);
	report(ok,
	       "TSC-deadline timer (MSR 0x6E0): fires at the deadline, "
	       "reads 0 after; TMICT ignored");
}

static void t_vmpl0_not_interrupted(void)
{
	bool ok = true;
	uint64_t n = cnt[0x60];

	(void)msr_wr(X2(TDCR), 0xb);
	(void)msr_wr(X2(LVT_TIMER), 0x60);
	(void)msr_wr(X2(TMICT), 2000000); /* 2 ms, while VMPL0 spins 10 */
	call_vmpl0(V0_REQ_SPIN, 10 * tsc_ms);
	EXPECT_EQ(cnt[0x60], n);
	EXPECT_EQ(irr_has(0x60), 1);
	(void)sti_nop_window();
	EXPECT_EQ(cnt[0x60], n + 1);
	report(ok,
	       "VMPL2's timer expiring while VMPL0 runs with IF=1: not "
	       "injected into VMPL0, pending until VMPL2 runs");
}

static void t_pit_ch2(void)
{
	bool ok = true;
	uint64_t t0 = 0, t1 = 0;
	uint32_t p61 = io_in(0x61, 1);

	io_out(0x61, 1, (p61 & ~2u) | 1u); /* gate on, speaker off */
	io_out(0x43, 1, 0xb0);             /* ch2, lo/hi, mode 0 */
	io_out(0x42, 1, 11932 & 0xff);
	io_out(0x42, 1, 11932 >> 8);
	t0 = rdtsc();
	p61 = io_in(0x61, 1);
	if (rdtsc() - t0 < 5 * tsc_ms) {
		EXPECT_EQ(p61 & 0x20, 0); /* OUT2 low while counting */
	}
	while (!(io_in(0x61, 1) & 0x20)) {
	}
	t1 = rdtsc();
	EXPECT_EQ(in_time(t1 - t0, 10, 400), true);
	io_out(0x43, 1, 0x80); /* latch ch2: wrapped past 0 after OUT2 rose */
	p61 = io_in(0x42, 1) | (io_in(0x42, 1) << 8);
	if (rdtsc() - t1 < 30 * tsc_ms) {
		EXPECT_EQ(p61 > 11932, true);
	}
	out("# PIT ch2 10 ms: %llu us\n",
	    (unsigned long long)((t1 - t0) * 1000 / tsc_ms));
	report(ok, "8254 channel 2 with port 0x61: OUT2 rises after 10 ms");
}

static void pic_init(uint8_t imr)
{
	static const uint8_t icw[2][4] = {{0x11, 0x20, 0x04, 0x01},
					  {0x11, 0x28, 0x02, 0x01}};

	for (unsigned c = 0; c < 2; c++) {
		uint16_t base = c ? 0xa0 : 0x20;

		io_out(base, 1, icw[c][0]);
		for (unsigned i = 1; i < 4; i++) {
			io_out(base + 1, 1, icw[c][i]);
		}
	}
	io_out(0xa1, 1, 0xff);
	io_out(0x21, 1, imr);
}

static void t_pic_pit(void)
{
	bool ok = true;
	uint64_t t0 = 0;

	(void)msr_wr(X2(0x350), 0x700); /* LINT0: ExtINT (virtual wire) */
	pic_init(0xfe);                 /* IRQ0 only */
	EXPECT_EQ(io_in(0x21, 1), 0xfe);
	io_out(0x43, 1, 0x34); /* ch0, lo/hi, mode 2 */
	t0 = rdtsc();
	io_out(0x40, 1, 11932 & 0xff);
	io_out(0x40, 1, 11932 >> 8);
	ok = wait_for(&cnt[0x20], 3, 1000);
	EXPECT_EQ(in_time(when[0x20] - t0, 30, 400), true);
	io_out(0x43, 1, 0x30); /* ch0 mode 0, no count: stops */
	io_out(0x21, 1, 0xff);
	out("# 3 PIT ticks at 10 ms: %llu us\n",
	    (unsigned long long)((when[0x20] - t0) * 1000 / tsc_ms));
	report(ok,
	       "8259 + 8254 in virtual wire mode: IRQ0 through LINT0 "
	       "ExtINT, vector from ICW2, 8259 EOI");
}

/* A UART in loopback mode receives what it sends: its RX interrupt must
 * reach the handler through the 8259 (QEMU's line forwarded by snpemu). */
static bool com_rx(uint16_t base, unsigned irq)
{
	bool ok = true;
	unsigned vec = 0x20 + irq;

	com_char = 0;
	io_out(0x21, 1, (uint8_t) ~(1u << irq));
	io_out(base + 3, 1, 0x03);
	io_out(base + 1, 1, 0x01); /* IER: received data */
	io_out(base + 4, 1, 0x18); /* MCR: loopback, OUT2 */
	while (io_in(base + 5, 1) & 1) {
		(void)io_in(base, 1);
	}
	com_base = base;
	guard_timer(500);
	io_out(base, 1, 'Z');
	ok = wait_for(&cnt[vec], 1, 1000);
	io_out(base + 1, 1, 0);
	io_out(base + 4, 1, 0x03); /* DTR, RTS as the console had them */
	io_out(0x21, 1, 0xff);
	(void)msr_wr(X2(TMICT), 0);
	EXPECT_EQ(com_char, 'Z');
	return ok;
}

static void t_com_rx(void)
{
	report(com_rx(0x2f8, 3),
	       "COM2 receive interrupt (QEMU's UART, IRQ3 "
	       "forwarded) reaches the handler via the 8259");
	report(com_rx(0x3f8, 4),
	       "COM1 receive interrupt (Linux's ttyS0, "
	       "IRQ4 forwarded) reaches the handler");
}

static void t_s11(void)
{
	bool ok = true;
	uint64_t dr0 = 0, cr8 = 0, cr4 = 0;

	call_vmpl0(V0_REQ_S11, 0);
	__asm__ volatile("mov %%dr0, %0; mov %%cr8, %1" : "=r"(dr0), "=r"(cr8));
	EXPECT_EQ(cnt[0x70], 1); /* EVENTINJ, even with IF=0 */
	EXPECT_EQ(dr0, 0xdead000);
	EXPECT_EQ(cr8, 3); /* VINTR_CTRL.V_TPR */
	EXPECT_EQ(x2_rd(0x80), 0x30);
	__asm__ volatile("mov %0, %%cr8; mov %0, %%dr0" : : "r"(UINT64_C(0)));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	if (cr4 & (UINT64_C(1) << 22)) {
		uint32_t pkru = 0, edx = 0;

		__asm__ volatile("rdpkru" : "=a"(pkru), "=d"(edx) : "c"(0));
		EXPECT_EQ(pkru, 0x55555554);
		__asm__ volatile("wrpkru" : : "a"(0), "c"(0), "d"(0));
		out("# PKRU from the VMSA: 0x%x\n", pkru);
	}
	report(ok,
	       "S11: VMSA EVENTINJ, VINTR_CTRL.V_TPR, DR0 and PKRU take "
	       "effect at the next entry");
}

static void t_cpl3(void)
{
	bool ok = true;
	uint64_t rax =
		user_run(USER_ALIAS + (uint64_t)(uintptr_t)user_probe,
			 USER_ALIAS + (uint64_t)(uintptr_t)user_stack_top);

	EXPECT_EQ(rax, 0xc0ffee);
	EXPECT_EQ(vc_err, 0x72);
	EXPECT_EQ(vc_cs, 0x23);
	EXPECT_EQ(vc_ss, 0x1b);
	EXPECT_EQ(vc_rip, USER_ALIAS + (uint64_t)(uintptr_t)user_probe_cpuid);
	EXPECT_EQ(vc_rsp, USER_ALIAS + (uint64_t)(uintptr_t)user_stack_top);
	/* On TSS.RSP0 (16-byte aligned): SS, RSP, RFLAGS, CS above RIP. */
	EXPECT_EQ(vc_frame, (uint64_t)(uintptr_t)v2_kstack_top - 40);
	EXPECT_EQ(pf_err, 5); /* present, user, read */
	EXPECT_EQ(pf_cr2, 0x100000);
	EXPECT_EQ(pf_cs, 0x23);
	EXPECT_EQ(cnt[13], 1);
	EXPECT_EQ(gp_cs, 0x23);
	EXPECT_EQ(gp_err, 0);
	report(ok,
	       "CPL3: CPUID (#VC via TSS.RSP0, supervisor-only IDT/GDT/"
	       "TSS/stack), #PF and #GP return to user mode");
}

/* ---- benchmarks (print, never assert) ---- */

static void bench_latency(void)
{
	struct latency s;

	(void)msr_wr(X2(LVT_TIMER), 0x61 | (2u << 17));
	for (unsigned spin = 0; spin < 2; spin++) {
		latency_start(&s);
		for (uint64_t i = 0; i < 200; i++) {
			uint64_t c = cnt[0x61], d = rdtsc() + tsc_ms;

			(void)msr_wr(TSC_DEADLINE, d);
			if (spin) {
				__asm__ volatile("sti");
				while (cnt[0x61] == c) {
				}
				__asm__ volatile("cli");
			} else {
				(void)wait_for(&cnt[0x61], c + 1, 1000);
			}
			latency_add(&s, when[0x61] - d);
		}
		out("# bench: timer -> handler latency (%s): " LATENCY_FMT "\n",
		    spin ? "guest spinning" : "guest in HLT",
		    LATENCY_ARGS(&s, tsc_ms));
	}
	report(true, "benchmark: interrupt delivery latency");
}

/* arg >> 4 ticks of a 250 Hz APIC timer, the guest in HLT between. */
static void bench_idle(void)
{
	uint64_t t0 = rdtsc(), n = cnt[0x60], ticks = irq_mode >> 4;

	(void)msr_wr(X2(TDCR), 0xb);
	(void)msr_wr(X2(LVT_TIMER), 0x60 | (1u << 17));
	(void)msr_wr(X2(TMICT), 4000000); /* 250 Hz, as Linux's HZ */
	(void)wait_for(&cnt[0x60], n + ticks, ticks * 40 + 1000);
	(void)msr_wr(X2(TMICT), 0);
	out("# bench: idle %llu us with a 250 Hz tick: %llu ticks\n",
	    (unsigned long long)((rdtsc() - t0) * 1000 / tsc_ms),
	    (unsigned long long)(cnt[0x60] - n));
	report(true, "benchmark: guest idle");
}

void irq_vmpl2_main(void)
{
	gh = &gh2;
	(void)msr_proto(gh2.gpa | GHCB_MSR_REG_GPA_REQ);
	wrmsr(MSR_GHCB, gh2.gpa);
	t_hpet_tsc();
	t_xapic();
	t_apic_base();
	t_x2apic_regs();
	if ((irq_mode & 0xf) == 1) {
		bench_latency();
		terminate(EMU_TERM_SET_VERDICT, tap_failures() ? 1 : 0);
	}
	if ((irq_mode & 0xf) == 2) {
		bench_idle();
		terminate(EMU_TERM_SET_VERDICT, tap_failures() ? 1 : 0);
	}
	/* What snpemu cannot model or what would hang: it must stop the VM
	 * with a report (tests/emu/test_irq_stop.py). */
	if ((irq_mode & 0xf) == 3) {
		(void)msr_wr(X2(0x300), 0x500 | (1u << 18)); /* INIT to self */
		terminate(EMU_TERM_SET_VERDICT, 0);
	}
	if ((irq_mode & 0xf) == 4) {
		__asm__ volatile("cli; hlt");
		terminate(EMU_TERM_SET_VERDICT, 0);
	}
	if ((irq_mode & 0xf) == IRQ_MODE_PCI) {
		pci_tests(irq_mode);
		terminate(EMU_TERM_SET_VERDICT, tap_failures() ? 1 : 0);
	}
	t_self_ipi();
	t_tpr();
	t_illegal_vector();
	t_nesting();
	t_shadow();
	t_oneshot();
	t_periodic();
	t_tsc_deadline();
	t_vmpl0_not_interrupted();
	t_pit_ch2();
	t_pic_pit();
	t_com_rx();
	t_s11();
	t_cpl3();
	terminate(EMU_TERM_SET_VERDICT, tap_failures() ? 1 : 0);
}
