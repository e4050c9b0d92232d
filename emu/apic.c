// SPDX-License-Identifier: MIT
/*
 * Local APIC model (apic.h). Registers are named by their xAPIC offset;
 * x2APIC MSR 0x800 + n is offset n << 4 (SDM vol. 3A §11.12.1.2). The
 * timer runs on the TSC: an APIC bus of 1 GHz as KVM's default
 * (APIC_BUS_CYCLE_NS_DEFAULT), so one count is div ns.
 *
 * Guest mistakes are handled as the manuals say, never by stopping: an
 * illegal vector (< 16) sets ESR bits 5/6 and raises the error LVT; an
 * xAPIC access to a reserved offset sets ESR bit 7; in x2APIC mode writes
 * to read-only registers, reads of write-only ones, non-zero EOI/ESR
 * writes and unknown MSRs are #GP (returned through the GHCB). What snpemu
 * cannot model (NMI/INIT/SIPI/SMI to itself, a relocated APIC page, odd
 * xAPIC access sizes) stops the VM with a report.
 */
#include "apic.h"

#include "lib/string.h"

#include "clock.h"
#include "machine.h"

#define APIC_VERSION (0x14u | ((APIC_LVT_COUNT - 1u) << 16))

/* Register offsets. */
#define R_ID 0x20
#define R_VER 0x30
#define R_TPR 0x80
#define R_APR 0x90
#define R_PPR 0xa0
#define R_EOI 0xb0
#define R_RRD 0xc0
#define R_LDR 0xd0
#define R_DFR 0xe0
#define R_SVR 0xf0
#define R_ISR 0x100
#define R_TMR 0x180
#define R_IRR 0x200
#define R_ESR 0x280
#define R_CMCI 0x2f0
#define R_ICR 0x300
#define R_ICR2 0x310
#define R_LVT0 0x320 /* LVT timer; the others follow at 0x10 steps */
#define R_TMICT 0x380
#define R_TMCCT 0x390
#define R_TDCR 0x3e0
#define R_SELF_IPI 0x3f0

#define LVT_MASKED (1u << 16)
#define LVT_TIMER_MODE(v) (((v) >> 17) & 3u)
#define TIMER_ONESHOT 0u
#define TIMER_PERIODIC 1u
#define TIMER_TSCDEADLINE 2u
#define SVR_ENABLE (1u << 8)

#define ESR_SEND_ILLEGAL (1u << 5)
#define ESR_RECV_ILLEGAL (1u << 6)
#define ESR_ILLEGAL_REG (1u << 7)

/* Writable bits of each LVT (SDM Figure 11-8). */
static const uint32_t lvt_mask[APIC_LVT_COUNT] = {
	[APIC_LVT_TIMER] = 0x000610ff | LVT_MASKED,
	[APIC_LVT_THERMAL] = 0x000107ff,
	[APIC_LVT_PERF] = 0x000107ff,
	[APIC_LVT_LINT0] = 0x0001a7ff,
	[APIC_LVT_LINT1] = 0x0001a7ff,
	[APIC_LVT_ERROR] = 0x000100ff,
};

static bool hw_enabled(const struct apic *a)
{
	return (a->base_msr & APIC_BASE_EN) != 0;
}

static bool sw_enabled(const struct apic *a)
{
	return hw_enabled(a) && (a->svr & SVR_ENABLE);
}

static bool x2apic(const struct apic *a)
{
	return (a->base_msr & APIC_BASE_EXTD) != 0;
}

static void vec_set(uint32_t *r, unsigned v)
{
	r[v / 32] |= 1u << (v % 32);
}

static void vec_clear(uint32_t *r, unsigned v)
{
	r[v / 32] &= ~(1u << (v % 32));
}

static int vec_highest(const uint32_t *r)
{
	for (int i = 7; i >= 0; i--) {
		if (r[i] != 0) {
			return i * 32 + 31 - __builtin_clz(r[i]);
		}
	}
	return -1;
}

void apic_reset(struct apic *a, uint32_t id, unsigned vmpl)
{
	memset(a, 0, sizeof(*a));
	a->id = id;
	a->vmpl = vmpl;
	a->base_msr = APIC_MMIO_BASE | APIC_BASE_EN;
	if (id == 0) {
		a->base_msr |= APIC_BASE_BSP;
	}
	a->svr = 0xff;
	a->dfr = 0xffffffff;
	for (unsigned i = 0; i < APIC_LVT_COUNT; i++) {
		a->lvt[i] = LVT_MASKED;
	}
}

static uint32_t ppr(const struct apic *a)
{
	int isrv = vec_highest(a->isr);
	uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;

	return (a->tpr & 0xf0) >= isr_class ? a->tpr & 0xff : isr_class;
}

static void raise_error(struct apic *a, uint32_t bits);

/* An interrupt arrives at this APIC (SDM §11.8.3). */
static void accept(struct apic *a, unsigned vector, bool level)
{
	if (!sw_enabled(a)) {
		return; /* KVM __apic_accept_irq: dropped while disabled */
	}
	if (vector < 16) {
		raise_error(a, ESR_RECV_ILLEGAL);
		return;
	}
	vec_set(a->irr, vector);
	if (level) {
		vec_set(a->tmr, vector);
	} else {
		vec_clear(a->tmr, vector);
	}
}

static void raise_error(struct apic *a, uint32_t bits)
{
	uint32_t lvt = a->lvt[APIC_LVT_ERROR];
	bool fresh = (a->esr_pending & bits) != bits;

	a->esr_pending |= bits;
	if (fresh && !(lvt & LVT_MASKED) && (lvt & 0xff) >= 16) {
		accept(a, lvt & 0xff, false);
	}
}

int apic_pending(const struct apic *a)
{
	int v = vec_highest(a->irr);

	if (!hw_enabled(a) || v < 0 ||
	    ((uint32_t)v & 0xf0) <= (ppr(a) & 0xf0)) {
		return -1;
	}
	return v;
}

void apic_ack(struct apic *a, unsigned vector)
{
	vec_clear(a->irr, vector);
	vec_set(a->isr, vector);
}

static void eoi(struct apic *a)
{
	int v = vec_highest(a->isr);

	/* No IOAPIC is modelled and the 8259 is edge-triggered, so a
	 * level-triggered EOI has nobody to broadcast to. */
	if (v >= 0) {
		vec_clear(a->isr, (unsigned)v);
		vec_clear(a->tmr, (unsigned)v);
	}
}

bool apic_accepts_extint(const struct apic *a)
{
	uint32_t l = a->lvt[APIC_LVT_LINT0];

	/* APIC globally off: LINT0 is the CPU's INTR pin (SDM §11.4.3);
	 * otherwise only an unmasked ExtINT LVT passes it (KVM
	 * kvm_apic_accept_pic_intr). */
	if (!hw_enabled(a)) {
		return true;
	}
	return sw_enabled(a) && !(l & LVT_MASKED) && ((l >> 8) & 7) == 7;
}

void apic_set_cr8(struct apic *a, uint8_t cr8)
{
	a->tpr = (uint32_t)(cr8 & 0xf) << 4;
}

/* ---- timer ---- */

static unsigned divisor_shift(const struct apic *a)
{
	unsigned d = (a->tdcr & 3) | ((a->tdcr >> 1) & 4);

	return d == 7 ? 0 : d + 1; /* 0b111 = divide by 1 */
}

static uint64_t counts_to_tsc(const struct apic *a, uint64_t counts)
{
	return clock_ns_to_tsc(counts << divisor_shift(a));
}

static void timer_stop(struct apic *a)
{
	a->timer_deadline = 0;
	a->timer_period = 0;
}

static void timer_start(struct apic *a, uint64_t now)
{
	uint32_t mode = LVT_TIMER_MODE(a->lvt[APIC_LVT_TIMER]);

	timer_stop(a);
	if (mode == TIMER_TSCDEADLINE || a->tmict == 0) {
		return;
	}
	a->timer_period = counts_to_tsc(a, a->tmict);
	if (a->timer_period == 0) {
		a->timer_period = 1;
	}
	a->timer_deadline = now + a->timer_period;
	if (mode != TIMER_PERIODIC) {
		a->timer_period = 0;
	}
}

static uint32_t timer_current(const struct apic *a, uint64_t now)
{
	uint64_t left = 0;

	if (a->timer_deadline == 0 || now >= a->timer_deadline) {
		return 0;
	}
	left = clock_tsc_to_ns(a->timer_deadline - now) >> divisor_shift(a);
	return left > a->tmict ? a->tmict : (uint32_t)left;
}

void apic_poll(struct apic *a, uint64_t now)
{
	uint32_t lvt = a->lvt[APIC_LVT_TIMER];

	if (a->timer_deadline == 0 || now < a->timer_deadline) {
		return;
	}
	a->timer_fired++;
	if (!(lvt & LVT_MASKED)) {
		accept(a, lvt & 0xff, false);
	}
	if (a->timer_period != 0) {
		a->timer_deadline += a->timer_period;
		if (a->timer_deadline <= now) {
			/* Missed periods collapse into one IRR bit anyway. */
			a->timer_deadline = now + a->timer_period;
		}
	} else {
		a->timer_deadline = 0;
		if (LVT_TIMER_MODE(lvt) == TIMER_TSCDEADLINE) {
			a->tsc_deadline = 0; /* SDM §11.5.4.1 */
		}
	}
}

uint64_t apic_next_deadline(const struct apic *a)
{
	return a->timer_deadline == 0 ? UINT64_MAX : a->timer_deadline;
}

/* ---- IPIs ---- */

/* Does the ICR @lo/@dest that @a sends name the APIC @t (SDM §11.6.2)? */
static bool icr_targets(const struct apic *a, const struct apic *t, uint32_t lo,
			uint32_t dest)
{
	switch ((lo >> 18) & 3) {
	case 1: /* self */
		return t == a;
	case 2: /* all including self */
		return true;
	case 3: /* all excluding self */
		return t != a;
	default:
		break;
	}
	if (x2apic(a)) {
		if (!(lo & (1u << 11))) {
			return dest == t->id || dest == UINT32_MAX;
		}
		return (dest >> 16) == (t->id >> 4) &&
		       (dest & 0xffff & (1u << (t->id & 0xf)));
	}
	dest &= 0xff;
	if (dest == 0xff) {
		return true;
	}
	if (!(lo & (1u << 11))) {
		return dest == (t->id & 0xff);
	}
	if ((t->dfr >> 28) == 0xf) {
		return (dest & (t->ldr >> 24)) != 0; /* flat model */
	}
	return (dest >> 4) == (t->ldr >> 28) &&
	       (dest & (t->ldr >> 24) & 0xf) != 0; /* cluster model */
}

/*
 * An IPI reaches the APICs of the same VMPL on every vCPU it names (each
 * VMPL has its own APIC, the KVM "planes" model: irq.c). Fixed and
 * lowest-priority IPIs are delivered (lowest priority to the first vCPU
 * named, which the SDM allows); a vCPU that halted wakes when the
 * scheduler sees the interrupt (machine.c). SNP guests start APs through
 * AP creation, not INIT/SIPI (Linux: arch/x86/coco/sev/core.c,
 * wakeup_cpu_via_vmgexit), and snpemu does not model NMI, SMI, INIT or
 * SIPI between vCPUs: such an IPI stops the VM rather than being lost.
 */
static void send_ipi(struct apic *a, uint32_t lo, uint32_t dest)
{
	unsigned vector = lo & 0xff, mode = (lo >> 8) & 7;
	struct machine *m = &emu_machine;
	static const char *const names[8] = {
		"fixed", "lowest priority", "SMI", "reserved", "NMI", "INIT",
		"SIPI",  "ExtINT"};

	for (unsigned i = 0; i < m->nr_vcpus; i++) {
		struct apic *t = &m->vcpu[i].apic[a->vmpl];

		if (!icr_targets(a, t, lo, dest)) {
			continue;
		}
		if (mode != 0 && mode != 1 && t == a) {
			emu_stop(m,
				 "VMPL%u: a %s IPI to its own APIC (ICR 0x%x): "
				 "snpemu models only fixed IPIs",
				 a->vmpl, names[mode], lo);
		}
		if (mode != 0 && mode != 1) {
			emu_stop(m,
				 "VMPL%u: a %s IPI to APIC ID %u (ICR 0x%x): "
				 "snpemu models only fixed IPIs",
				 a->vmpl, names[mode], t->id, lo);
		}
		if (vector < 16) {
			raise_error(a, ESR_SEND_ILLEGAL);
			return;
		}
		accept(t, vector, (lo & (1u << 15)) != 0);
		if (mode == 1) {
			return;
		}
	}
}

/* ---- register access ---- */

/* Reads: false if the register does not exist (or is write-only). */
static bool reg_read(struct apic *a, unsigned off, uint32_t *v, uint64_t now)
{
	if (off >= R_LVT0 && off < R_LVT0 + APIC_LVT_COUNT * 0x10) {
		*v = a->lvt[(off - R_LVT0) >> 4];
		return true;
	}
	if (off >= R_ISR && off < R_IRR + 0x80) {
		const uint32_t *r = off < R_TMR   ? a->isr
				    : off < R_IRR ? a->tmr
						  : a->irr;

		*v = r[(off & 0x7f) >> 4];
		return true;
	}
	switch (off) {
	case R_ID:
		*v = x2apic(a) ? a->id : a->id << 24;
		return true;
	case R_VER:
		*v = APIC_VERSION;
		return true;
	case R_TPR:
		*v = a->tpr;
		return true;
	case R_PPR:
		*v = ppr(a);
		return true;
	case R_LDR:
		*v = x2apic(a) ? ((a->id >> 4) << 16) | (1u << (a->id & 0xf))
			       : a->ldr;
		return true;
	case R_DFR:
		*v = a->dfr;
		return !x2apic(a);
	case R_SVR:
		*v = a->svr;
		return true;
	case R_ESR:
		*v = a->esr;
		return true;
	case R_ICR:
		*v = 0; /* delivery status: idle */
		return true;
	case R_ICR2:
		*v = a->icr_hi;
		return !x2apic(a);
	case R_TMICT:
		*v = a->tmict;
		return true;
	case R_TMCCT:
		*v = timer_current(a, now);
		return true;
	case R_TDCR:
		*v = a->tdcr;
		return true;
	case R_APR:
	case R_RRD:
		*v = 0;
		return !x2apic(a);
	default:
		return false;
	}
}

static void set_svr(struct apic *a, uint32_t v)
{
	a->svr = v & 0x1ff;
	if (!(v & SVR_ENABLE)) {
		/* Software disable masks every LVT (SDM §11.4.7.2). */
		for (unsigned i = 0; i < APIC_LVT_COUNT; i++) {
			a->lvt[i] |= LVT_MASKED;
		}
	}
}

static void set_lvt(struct apic *a, unsigned i, uint32_t v, uint64_t now)
{
	uint32_t old = a->lvt[i];

	v &= lvt_mask[i];
	if (!(a->svr & SVR_ENABLE)) {
		v |= LVT_MASKED;
	}
	if (i == APIC_LVT_TIMER && LVT_TIMER_MODE(v) == 3) {
		v &= ~(3u << 17); /* reserved mode: KVM treats it as one-shot */
	}
	a->lvt[i] = v;
	if (i == APIC_LVT_TIMER &&
	    (LVT_TIMER_MODE(old) == TIMER_TSCDEADLINE) !=
		    (LVT_TIMER_MODE(v) == TIMER_TSCDEADLINE)) {
		/* Entering or leaving TSC-deadline mode disarms the timer
		 * (SDM §11.5.4.1; KVM apic_update_lvtt). */
		a->tmict = 0;
		a->tsc_deadline = 0;
		timer_stop(a);
	} else if (i == APIC_LVT_TIMER &&
		   LVT_TIMER_MODE(old) != LVT_TIMER_MODE(v) &&
		   a->timer_deadline != 0) {
		timer_start(a, now);
	}
	(void)now;
}

/* Writes: false if the register is read-only or does not exist. */
static bool reg_write(struct apic *a, unsigned off, uint32_t v, uint64_t now)
{
	if (off >= R_LVT0 && off < R_LVT0 + APIC_LVT_COUNT * 0x10) {
		set_lvt(a, (off - R_LVT0) >> 4, v, now);
		return true;
	}
	switch (off) {
	case R_ID:
		if (x2apic(a)) {
			return false;
		}
		a->id = v >> 24; /* writable in xAPIC mode (KVM too) */
		return true;
	case R_TPR:
		a->tpr = v & 0xff;
		return true;
	case R_EOI:
		eoi(a);
		return true;
	case R_LDR:
		if (x2apic(a)) {
			return false;
		}
		a->ldr = v & 0xff000000u;
		return true;
	case R_DFR:
		if (x2apic(a)) {
			return false;
		}
		a->dfr = v | 0x0fffffffu;
		return true;
	case R_SVR:
		set_svr(a, v);
		return true;
	case R_ESR:
		a->esr = a->esr_pending;
		a->esr_pending = 0;
		return true;
	case R_ICR:
		send_ipi(a, v, a->icr_hi >> 24);
		return true;
	case R_ICR2:
		if (x2apic(a)) {
			return false;
		}
		a->icr_hi = v & 0xff000000u;
		return true;
	case R_TMICT:
		if (LVT_TIMER_MODE(a->lvt[APIC_LVT_TIMER]) !=
		    TIMER_TSCDEADLINE) {
			a->tmict = v;
			timer_start(a, now);
		}
		return true;
	case R_TDCR:
		a->tdcr = v & 0xb;
		return true;
	case R_SELF_IPI:
		if (!x2apic(a)) {
			return false;
		}
		send_ipi(a, (v & 0xff) | (1u << 18), 0);
		return true;
	default:
		return false;
	}
}

bool apic_msr_is_apic(uint32_t msr)
{
	return msr == MSR_APIC_BASE || msr == MSR_TSC_DEADLINE ||
	       (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST);
}

/*
 * IA32_APIC_BASE (SDM §11.12.5, Figure 11-27): xAPIC -> x2APIC and any
 * state -> disabled are legal; x2APIC -> xAPIC, disabled -> x2APIC and
 * EXTD without EN are #GP, as are reserved bits and BSP.
 */
static bool set_base(struct apic *a, uint64_t v)
{
	uint64_t rsvd = ~(APIC_BASE_BSP | APIC_BASE_EXTD | APIC_BASE_EN |
			  ((UINT64_C(1) << EMU_CBIT_POS) - 1 - 0xfff));
	bool en = (v & APIC_BASE_EN) != 0, extd = (v & APIC_BASE_EXTD) != 0;

	if ((v & rsvd) ||
	    (v & APIC_BASE_BSP) != (a->base_msr & APIC_BASE_BSP) ||
	    (extd && !en) || (x2apic(a) && en && !extd) ||
	    (!hw_enabled(a) && extd)) {
		return false;
	}
	if (en && (v & ~UINT64_C(0xfff)) != APIC_MMIO_BASE) {
		emu_stop(&emu_machine,
			 "VMPL%u: APIC base moved to 0x%llx: snpemu models "
			 "the APIC page at 0xfee00000 only",
			 emu_machine.cpu->cur, (unsigned long long)v);
	}
	if (!en && hw_enabled(a)) {
		/* A disabled APIC comes back in its reset state. */
		apic_reset(a, a->id, a->vmpl);
		a->base_msr = v;
		return true;
	}
	a->base_msr = v;
	return true;
}

bool apic_msr_read(struct apic *a, uint32_t msr, uint64_t *v, uint64_t now)
{
	uint32_t r = 0;
	unsigned off = (msr - MSR_X2APIC_FIRST) << 4;

	if (msr == MSR_APIC_BASE) {
		*v = a->base_msr;
		return true;
	}
	if (msr == MSR_TSC_DEADLINE) {
		/* Reads 0 outside TSC-deadline mode (SDM §11.5.4.1). */
		*v = LVT_TIMER_MODE(a->lvt[APIC_LVT_TIMER]) == TIMER_TSCDEADLINE
			     ? a->tsc_deadline
			     : 0;
		return true;
	}
	if (!x2apic(a) || off == R_EOI || off == R_SELF_IPI ||
	    !reg_read(a, off, &r, now)) {
		return false;
	}
	*v = r;
	if (off == R_ICR) {
		*v = (uint64_t)a->icr_hi << 32;
	}
	return true;
}

bool apic_msr_write(struct apic *a, uint32_t msr, uint64_t v, uint64_t now)
{
	unsigned off = (msr - MSR_X2APIC_FIRST) << 4;

	if (msr == MSR_APIC_BASE) {
		return set_base(a, v);
	}
	if (msr == MSR_TSC_DEADLINE) {
		if (hw_enabled(a) && LVT_TIMER_MODE(a->lvt[APIC_LVT_TIMER]) ==
					     TIMER_TSCDEADLINE) {
			a->tsc_deadline = v;
			timer_stop(a);
			a->timer_deadline = v; /* 0 disarms; past = now */
		}
		return true;
	}
	if (!x2apic(a)) {
		return false;
	}
	/* x2APIC: 32-bit registers except ICR; EOI and ESR only take 0
	 * (SDM §11.12.1.2). */
	if (off != R_ICR && (v >> 32) != 0) {
		return false;
	}
	if ((off == R_EOI || off == R_ESR) && v != 0) {
		return false;
	}
	if (off == R_ICR) {
		a->icr_hi = (uint32_t)(v >> 32);
		send_ipi(a, (uint32_t)v, a->icr_hi);
		return true;
	}
	return reg_write(a, off, (uint32_t)v, now);
}

bool apic_mmio_claims(const struct apic *a, uint64_t gpa)
{
	return hw_enabled(a) && !x2apic(a) &&
	       (gpa & ~UINT64_C(0xfff)) == APIC_MMIO_BASE;
}

static void check_mmio(uint64_t gpa, uint32_t len)
{
	/* Registers are 32 bits on 16-byte boundaries (SDM §11.4.1). */
	if (len != 4 || (gpa & 0xf) != 0) {
		emu_stop(&emu_machine,
			 "VMPL%u: xAPIC access of %u bytes at 0x%llx: snpemu "
			 "models aligned 32-bit accesses only",
			 emu_machine.cpu->cur, len, (unsigned long long)gpa);
	}
}

void apic_mmio_read(struct apic *a, uint64_t gpa, uint32_t len, uint64_t *v,
		    uint64_t now)
{
	uint32_t r = 0;
	unsigned off = (unsigned)(gpa & 0xfff);

	check_mmio(gpa, len);
	if (off == R_EOI || off == R_SELF_IPI || !reg_read(a, off, &r, now)) {
		if (off != R_EOI) {
			raise_error(a, ESR_ILLEGAL_REG);
		}
		r = 0;
	}
	*v = r;
}

void apic_mmio_write(struct apic *a, uint64_t gpa, uint32_t len, uint64_t v,
		     uint64_t now)
{
	unsigned off = (unsigned)(gpa & 0xfff);

	check_mmio(gpa, len);
	if (!reg_write(a, off, (uint32_t)v, now)) {
		bool ro = off == R_VER || off == R_PPR || off == R_TMCCT ||
			  (off >= R_ISR && off < R_IRR + 0x80);

		if (!ro) {
			raise_error(a, ESR_ILLEGAL_REG);
		}
	}
}

void apic_msi(struct apic *a, unsigned vector)
{
	accept(a, vector, false);
}
