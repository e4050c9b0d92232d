// SPDX-License-Identifier: MIT
/*
 * Interrupt delivery into the lower VMPLs, the way KVM does it for a
 * normal SVM guest (arch/x86/kvm/svm/svm.c: svm_inject_irq,
 * svm_enable_irq_window, svm_complete_interrupts):
 *
 * - Before each VMRUN the emulated devices catch up with the TSC (APIC
 *   timers, PIT -> 8259, and the real 8259's input lines snpemu forwards).
 * - If the running VMPL's APIC (or, through LINT0 in ExtINT mode, the
 *   8259) has an interrupt above the processor priority and the guest can
 *   take it (RFLAGS.IF=1, no interrupt shadow), it is acknowledged
 *   (IRR -> ISR, or the 8259's INTA) and injected through EVENTINJ.
 *   Otherwise V_IRQ is set with the VINTR intercept: the CPU exits as soon
 *   as the guest opens an interrupt window, and the next entry injects.
 * - An event whose delivery was cut short by a #VMEXIT (EXITINTINFO) is
 *   injected again, unchanged.
 * - VMPL0 (the SVSM) is never interrupted: it runs with restricted
 *   injection on a real host, and snpemu injects nothing into it. A lower
 *   VMPL's interrupt stays pending in its APIC while VMPL0 runs and is
 *   delivered at its next entry; that is the KVM "planes" model of
 *   multi-VMPL guests, where every VMPL has its own local APIC and
 *   KVM_RUN enters one plane at a time.
 *
 * snpemu needs its own interrupt to regain control from a guest that
 * spins: the real LAPIC timer, programmed to the earliest guest deadline
 * (or POLL_NS for the forwarded device lines), with the INTR intercept and
 * snpemu's IF=1 around VMRUN (GIF=0 keeps it pending until the #VMEXIT).
 * HLT is an automatic exit on SEV-ES/SNP (no #VC): snpemu idles with a
 * real HLT until one of those deadlines.
 */
#include "irq.h"

#include "arch/cpu.h"
#include "arch/desc.h"

#include "lib/console.h"
#include "lib/string.h"

#include "clock.h"
#include "hostile.h"
#include "inject.h"
#include "iommu.h"
#include "machine.h"
#include "pci.h"

#define HOST_TIMER_VEC 0xf0
#define HOST_SPURIOUS_VEC 0xff
#define POLL_NS UINT64_C(10000000) /* device lines while the guest runs */

/* Real xAPIC registers (snpemu's own LAPIC, identity mapped). */
#define HOST_APIC(off) (*(volatile uint32_t *)(uintptr_t)(0xfee00000u + (off)))

/* ISA lines of passed-through devices forwarded from the real 8259:
 * IRQ3 = COM2, IRQ4 = COM1 (Linux's ttyS0; snpemu's own console driver
 * polls with IER = 0, so the line moves only when the guest asks); and the
 * INTx lines of the PCI functions snpemu shows (pci.c: the ISA IRQ the
 * firmware routed their pin to, level-triggered: the real IRR follows the
 * line, the guest's 8259 takes it in level mode if the guest sets its
 * ELCR as for any PCI line, pic.c). */
#define FORWARD_IRQS ((1u << 3) | (1u << 4))
_Static_assert(
	(FORWARD_IRQS & ~PIC_RAISED_LINES) == 0,
	"pic.h: the ELCR refuses level mode on every line snpemu drives");

#define INT_CTL_V_TPR 0xfu
#define INT_CTL_V_IRQ (1u << 8)
#define INT_CTL_V_PRIO (0xfu << 16)
#define INT_CTL_V_IGN_TPR (1u << 20)
#define INT_STATE_SHADOW 1u
#define RFLAGS_IF (UINT64_C(1) << 9)

uint64_t emu_host_irqs;   /* hostirq.S */
uint64_t emu_msi_pending; /* hostirq.S: bit n, MSI slot n arrived */
void emu_host_timer_isr(void);
void emu_host_spurious_isr(void);
void emu_host_msi_isr0(void), emu_host_msi_isr1(void), emu_host_msi_isr2(void),
	emu_host_msi_isr3(void), emu_host_msi_isr4(void),
	emu_host_msi_isr5(void), emu_host_msi_isr6(void),
	emu_host_msi_isr7(void);
static void (*const host_msi_isr[PCI_MSI_SLOTS])(void) = {
	emu_host_msi_isr0, emu_host_msi_isr1, emu_host_msi_isr2,
	emu_host_msi_isr3, emu_host_msi_isr4, emu_host_msi_isr5,
	emu_host_msi_isr6, emu_host_msi_isr7,
};

static struct idt_gate host_idt[256] __attribute__((aligned(16)));

static void set_host_gate(unsigned vec, void (*fn)(void))
{
	uint64_t h = (uint64_t)(uintptr_t)fn;

	host_idt[vec] = (struct idt_gate){
		.offset_lo = (uint16_t)h,
		.selector = GDT_SEL_CODE64,
		.type_attr = 0x8e,
		.offset_mid = (uint16_t)(h >> 16),
		.offset_hi = (uint32_t)(h >> 32),
	};
}

void irq_init(struct machine *m)
{
	struct desc_ptr idtr = {0};
	uint64_t base = rdmsr(MSR_APIC_BASE);

	/* snpemu's IDT grows from the 32 exception gates to 256. */
	__asm__ volatile("sidt %0" : "=m"(idtr));
	memcpy(host_idt, (const void *)(uintptr_t)idtr.base,
	       MIN((size_t)idtr.limit + 1, sizeof(host_idt)));
	set_host_gate(HOST_TIMER_VEC, emu_host_timer_isr);
	set_host_gate(HOST_SPURIOUS_VEC, emu_host_spurious_isr);
	for (unsigned i = 0; i < PCI_MSI_SLOTS; i++) {
		set_host_gate(PCI_MSI_HOST_VEC + i, host_msi_isr[i]);
	}
	idtr.base = (uint64_t)(uintptr_t)host_idt;
	idtr.limit = sizeof(host_idt) - 1;
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");

	if ((base & ~UINT64_C(0xfff)) != APIC_MMIO_BASE ||
	    !(base & APIC_BASE_EN) || (base & APIC_BASE_EXTD)) {
		emu_stop(m, "snpemu's own APIC is not an xAPIC at 0xfee00000");
	}
	HOST_APIC(0x80) = 0;                         /* TPR */
	HOST_APIC(0xf0) = 0x100 | HOST_SPURIOUS_VEC; /* SVR: enabled */
	HOST_APIC(0x3e0) = 0xb;                      /* divide by 1 */
	HOST_APIC(0x320) = HOST_TIMER_VEC;           /* one-shot */
	HOST_APIC(0x380) = 0;
	clock_init();
	/* The real 8259 stays masked; its IRR in level mode mirrors the
	 * input lines, read through OCW3 "read IRR" without side effects. */
	m->forward_irqs = FORWARD_IRQS | pci_intx_lines();
	outb(0x4d0, (uint8_t)(inb(0x4d0) | (m->forward_irqs & 0xff)));
	outb(0x4d1, (uint8_t)(inb(0x4d1) | (m->forward_irqs >> 8)));
	outb(0x20, 0x0a);
	outb(0xa0, 0x0a);
	pic_reset(&m->pic);
	pit_reset(&m->pit);
	acpi_pm_reset(&m->acpi_pm);
	for (unsigned i = 0; i < EMU_MAX_VCPUS; i++) {
		for (unsigned v = 0; v < SNP_VMPL_COUNT; v++) {
			apic_reset(&m->vcpu[i].apic[v], i, v);
		}
	}
}

static void host_timer(struct machine *m, uint64_t deadline, uint64_t now)
{
	uint64_t ns = 0, t0 = 0;

	/*
	 * Armed for no later than @deadline: keep it. It may fire early (an
	 * INTR exit, after which the next entry programs it anew), never late.
	 * Each write of QEMU's LAPIC costs about as much as an exit under
	 * TCG, and most entries only push the device-poll deadline (POLL_NS)
	 * forward: reprogramming at every VMPL2 entry cost 1.9 s of a 25 s
	 * Linux boot (docs/linux-boot.md §9).
	 */
	if (m->host_deadline > now && m->host_deadline <= deadline) {
		return;
	}
	m->host_deadline = deadline;
	m->stats.timer_writes++;
	if (deadline == UINT64_MAX) {
		HOST_APIC(0x380) = 0;
		return;
	}
	ns = deadline > now ? clock_tsc_to_ns(deadline - now) : 0;
	t0 = rdtsc();
	HOST_APIC(0x380) = (uint32_t)MIN(MAX(ns, UINT64_C(1)), UINT32_MAX);
	m->stats.timer_tsc += rdtsc() - t0;
}

/* The VMPL whose APIC LINT0 the 8259 drives: vCPU 0's least privileged
 * one (virtual wire goes to the BSP). */
static unsigned pic_vmpl(const struct machine *m)
{
	for (unsigned v = SNP_VMPL_COUNT - 1; v > 0; v--) {
		if (m->vcpu[0].ctx[v].present) {
			return v;
		}
	}
	return 0;
}

/* Every vCPU's timers advance, also those of vCPUs waiting their turn. */
static void poll(struct machine *m, uint64_t now)
{
	uint16_t lines = inb(0x20);
	uint64_t msi = 0;

	for (unsigned i = 0; i < m->nr_vcpus; i++) {
		for (unsigned v = 1; v < SNP_VMPL_COUNT; v++) {
			apic_poll(&m->vcpu[i].apic[v], now);
		}
	}
	pit_poll(&m->pit, &m->pic, now);
	iommu_tick(now);
	if (m->forward_irqs >> 8) {
		lines |= (uint16_t)(inb(0xa0) << 8);
	}
	for (unsigned irq = 0; irq < 16; irq++) {
		if (m->forward_irqs & (1u << irq)) {
			pic_set_irq(&m->pic, irq, (lines >> irq) & 1);
		}
	}
	msi = __atomic_exchange_n(&emu_msi_pending, 0, __ATOMIC_SEQ_CST);
	for (unsigned slot = 0; msi != 0; slot++, msi >>= 1) {
		if (msi & 1) {
			pci_msi_fire(m, slot);
		}
	}
}

static uint64_t next_deadline(const struct machine *m, uint64_t now)
{
	uint64_t d = now + clock_ns_to_tsc(POLL_NS);

	for (unsigned i = 0; i < m->nr_vcpus; i++) {
		for (unsigned v = 1; v < SNP_VMPL_COUNT; v++) {
			d = MIN(d, apic_next_deadline(&m->vcpu[i].apic[v]));
		}
	}
	return MIN(d, pit_next_event(&m->pit));
}

static bool extint_pending(const struct machine *m, const struct vcpu *cpu)
{
	return cpu == &m->vcpu[0] && cpu->cur == pic_vmpl(m) &&
	       apic_accepts_extint(&cpu->apic[cpu->cur]) &&
	       pic_has_int(&m->pic);
}

/* Acknowledge and return the vector to deliver now, or -1. */
static int take_interrupt(struct machine *m, bool peek)
{
	struct apic *a = &m->cpu->apic[m->cpu->cur];
	int v = -1;

	/* ExtINT first, as KVM's kvm_cpu_get_interrupt(). */
	if (extint_pending(m, m->cpu)) {
		return peek ? 0 : pic_ack(&m->pic);
	}
	v = apic_pending(a);
	if (v >= 0 && !peek) {
		apic_ack(a, (unsigned)v);
	}
	return v;
}

/* QEMU's TCG pushes an error code for exactly these vectors, whatever
 * EVENTINJ.EV says (docs/architecture.md §4): others go through
 * vc_deliver(). */
static bool tcg_error_vector(unsigned v)
{
	return v == 8 || (v >= 10 && v <= 14) || v == 17;
}

static void inject_event(struct machine *m, uint64_t ev)
{
	struct vmcb *v = emu_cur(m)->vmcb;
	unsigned vec = ev & 0xff;
	bool has_err = (ev & EVENT_EV) != 0;

	if (EVENT_TYPE(ev) == EVENT_TYPE_EXCEPTION &&
	    has_err != tcg_error_vector(vec)) {
		vc_deliver(m, vec, has_err, ev >> 32);
		return;
	}
	v->c.event_inj = (uint32_t)ev;
	v->c.event_inj_err = (uint32_t)(ev >> 32);
}

void irq_before_vmrun(struct machine *m)
{
	struct vmpl_ctx *c = emu_cur(m);
	struct vmcb *v = c->vmcb;
	struct snp_vmsa *s = vmcb_save(v);
	uint64_t now = rdtsc();
	int vec = -1;

	if (c->window) {
		v->c.int_ctl &= ~(INT_CTL_V_IRQ | INT_CTL_V_IGN_TPR);
		v->c.intercept1 &= ~VMCB_I1_VINTR;
		c->window = false;
	}
	if (c->pending_event & EVENT_VALID) {
		uint64_t ev = c->pending_event;

		c->pending_event = 0;
		inject_event(m, ev);
	}
	if (m->cpu->cur == 0) {
		inject_vmpl0_entry(m);
		hostile_vmpl0_entry(m);
		/* Nothing to deliver to VMPL0: snpemu's timer only ends the
		 * vCPU's time slice (machine.c). */
		host_timer(m, m->slice_end, now);
		return;
	}
	poll(m, now);
	/* CR8 is the APIC's TPR[7:4] (KVM sync_lapic_to_cr8). */
	v->c.int_ctl = (v->c.int_ctl & ~INT_CTL_V_TPR) |
		       (m->cpu->apic[m->cpu->cur].tpr >> 4);
	c->cr8 = (uint8_t)(m->cpu->apic[m->cpu->cur].tpr >> 4);
	if (!(v->c.event_inj & EVENT_VALID) &&
	    !(v->c.int_ctl & INT_CTL_V_IRQ) && take_interrupt(m, true) >= 0) {
		if ((s->rflags & RFLAGS_IF) &&
		    !(v->c.int_state & INT_STATE_SHADOW)) {
			vec = take_interrupt(m, false);
			if (vec >= 0) {
				v->c.event_inj = (uint32_t)vec | EVENT_VALID;
				m->irq_injected++;
			}
		} else {
			v->c.int_ctl |= INT_CTL_V_IRQ | INT_CTL_V_IGN_TPR;
			v->c.intercept1 |= VMCB_I1_VINTR;
			c->window = true;
			m->irq_windows++;
		}
	}
	host_timer(m, MIN(next_deadline(m, now), m->slice_end), now);
}

void irq_after_vmrun(struct machine *m)
{
	struct vmpl_ctx *c = emu_cur(m);
	struct vmcb *v = c->vmcb;
	uint64_t info = v->c.exit_int_info;

	if (info & EVENT_VALID) {
		c->pending_event = (info & 0xffffffffu) |
				   ((uint64_t)v->c.exit_int_info_err << 32);
	}
	v->c.event_inj = 0;
	if (m->cpu->cur != 0 && (v->c.int_ctl & INT_CTL_V_TPR) != c->cr8) {
		/* The guest wrote CR8 (KVM sync_cr8_to_lapic). */
		apic_set_cr8(&m->cpu->apic[m->cpu->cur],
			     (uint8_t)(v->c.int_ctl & INT_CTL_V_TPR));
	}
}

void irq_host_interrupt(void)
{
	/* GIF=1 after the #VMEXIT; IF opens for one instruction. */
	__asm__ volatile("sti; nop; cli" ::: "memory");
}

bool irq_vcpu_wakes(struct machine *m, const struct vcpu *cpu)
{
	const struct vmpl_ctx *c = &cpu->ctx[cpu->cur];

	if (cpu->parked || !c->present) {
		return false;
	}
	return extint_pending(m, cpu) ||
	       apic_pending(&cpu->apic[cpu->cur]) >= 0 ||
	       (c->pending_event & EVENT_VALID) ||
	       (c->vmcb->c.int_ctl & INT_CTL_V_IRQ);
}

void irq_poll(struct machine *m)
{
	poll(m, rdtsc());
}

void irq_idle(struct machine *m)
{
	uint64_t now = rdtsc();

	host_timer(m, next_deadline(m, now), now);
	__asm__ volatile("sti; hlt; cli" ::: "memory");
	m->host_deadline = 0; /* a one-shot that fired is spent */
	m->idle_wakeups++;
}

/*
 * HLT: the vCPU sleeps until an interrupt is deliverable (the scheduler in
 * machine.c runs the others meanwhile, or idles). HLT with IF=0 sleeps
 * forever (no NMI is modelled): the vCPU is parked, which is how an SMP
 * guest stops its other CPUs; only when every vCPU is parked does the VM
 * stop.
 */
void irq_hlt(struct machine *m)
{
	struct snp_vmsa *s = emu_save(m);
	uint8_t op = 0;

	if (!insn_fetch(m, &op, 1)) {
		return;
	}
	if (op != 0xf4) {
		emu_stop(m, "VMPL%u RIP 0x%llx: HLT exit at byte 0x%02x",
			 m->cpu->cur, (unsigned long long)s->rip, op);
	}
	s->rip += 1;
	emu_cur(m)->vmcb->c.int_state &= ~INT_STATE_SHADOW;
	if (m->cpu->cur == 0) {
		emu_stop(m,
			 "VMPL0 RIP 0x%llx: HLT, and snpemu never interrupts "
			 "VMPL0 (restricted injection)",
			 (unsigned long long)s->rip - 1);
	}
	if (!(s->rflags & RFLAGS_IF)) {
		unsigned parked = 1;

		for (unsigned i = 0; i < m->nr_vcpus; i++) {
			const struct vcpu *o = &m->vcpu[i];

			parked += o != m->cpu &&
				  (o->parked || !o->ctx[o->cur].present);
		}
		if (parked == m->nr_vcpus) {
			emu_stop(m,
				 "VMPL%u RIP 0x%llx: HLT with RFLAGS.IF=0: "
				 "the vCPU would sleep forever",
				 m->cpu->cur, (unsigned long long)s->rip - 1);
		}
		m->cpu->parked = true;
		return;
	}
	m->hlt_exits++;
	poll(m, rdtsc());
	m->cpu->halted = !irq_vcpu_wakes(m, m->cpu);
}
