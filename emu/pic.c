// SPDX-License-Identifier: MIT
/*
 * 8259A model (Intel 8259A data sheet; the PC/AT wiring): edge-triggered,
 * fully nested fixed priority (IRQ0 highest), normal or automatic EOI,
 * IRR/ISR reads through OCW3. Level mode through the ELCR on the forwarded
 * PCI INTx lines: the IRR bit follows the input and an INTA leaves it set,
 * so a line still asserted after the EOI interrupts again and one the
 * device dropped before the INTA gives no interrupt (the data sheet's level
 * mode; QEMU hw/intc/i8259.c pic_set_irq, pic_intack do the same). Rotation,
 * special mask mode, poll mode, level mode on the lines snpemu raises
 * itself (IRQ0, 2, 3, 4), level mode for all lines through ICW1 and the 8080
 * mode are not modelled: a guest that asks for one stops the VM with a
 * report rather than getting silently different behaviour.
 */
#include "pic.h"

#include "lib/string.h"

#include "machine.h"

static __noreturn void unmodelled(const char *what, uint16_t port, uint8_t v)
{
	emu_stop(&emu_machine,
		 "VMPL%u: 8259 %s (port 0x%x value 0x%x) is not modelled",
		 emu_machine.cpu->cur, what, port, v);
}

void pic_reset(struct pic *p)
{
	memset(p, 0, sizeof(*p));
	p->chip[0].base = 0x08; /* BIOS defaults */
	p->chip[1].base = 0x70;
	p->chip[0].imr = 0xff;
	p->chip[1].imr = 0xff;
}

bool pic_port(uint16_t port)
{
	return port == 0x20 || port == 0x21 || port == 0xa0 || port == 0xa1 ||
	       port == 0x4d0 || port == 0x4d1;
}

/* Highest-priority request not blocked by a request in service. */
static int chip_irq(const struct pic_chip *c)
{
	uint8_t req = c->irr & (uint8_t)~c->imr;

	for (int i = 0; i < 8; i++) {
		if (c->isr & (1u << i)) {
			return -1;
		}
		if (req & (1u << i)) {
			return i;
		}
	}
	return -1;
}

static void chip_line(struct pic_chip *c, unsigned irq, bool level)
{
	uint8_t m = (uint8_t)(1u << irq);

	if (c->elcr & m) {
		c->irr = (uint8_t)(level ? c->irr | m : c->irr & ~m);
	} else if (level && !(c->level & m)) {
		c->irr |= m;
	}
	c->level = (uint8_t)(level ? c->level | m : c->level & ~m);
}

/* The slave's INTR is the master's IRQ2. */
static void cascade(struct pic *p)
{
	chip_line(&p->chip[0], 2, chip_irq(&p->chip[1]) >= 0);
}

void pic_set_irq(struct pic *p, unsigned irq, bool level)
{
	if (irq < 8) {
		chip_line(&p->chip[0], irq, level);
	} else if (irq < 16) {
		chip_line(&p->chip[1], irq - 8, level);
		cascade(p);
	}
}

bool pic_has_int(const struct pic *p)
{
	return chip_irq(&p->chip[0]) >= 0;
}

static uint8_t chip_ack(struct pic_chip *c, int irq)
{
	if (irq < 0) {
		return (uint8_t)(c->base | 7); /* spurious */
	}
	if (!(c->elcr & (1u << irq))) {
		c->irr &= (uint8_t) ~(1u << irq);
	}
	if (!c->auto_eoi) {
		c->isr |= (uint8_t)(1u << irq);
	}
	return (uint8_t)(c->base | irq);
}

uint8_t pic_ack(struct pic *p)
{
	int irq = chip_irq(&p->chip[0]);
	uint8_t v = 0;

	if (irq == 2) {
		(void)chip_ack(&p->chip[0], 2);
		v = chip_ack(&p->chip[1], chip_irq(&p->chip[1]));
		cascade(p);
		return v;
	}
	return chip_ack(&p->chip[0], irq);
}

static void chip_eoi(struct pic_chip *c, int irq)
{
	if (irq < 0) {
		for (irq = 0; irq < 8 && !(c->isr & (1u << irq)); irq++) {
		}
	}
	if (irq < 8) {
		c->isr &= (uint8_t) ~(1u << irq);
	}
}

static void write_cmd(struct pic *p, struct pic_chip *c, uint16_t port,
		      uint8_t v)
{
	if (v & 0x10) { /* ICW1 */
		if (v & 0x08) {
			unmodelled("level-triggered mode", port, v);
		}
		c->imr = 0;
		c->isr = 0;
		c->irr = 0;
		c->level = 0; /* the edge detectors restart */
		c->read_isr = false;
		c->auto_eoi = false;
		c->icw4 = (v & 1) != 0;
		c->single = (v & 2) != 0;
		c->init_step = 2;
	} else if (v & 0x08) { /* OCW3 */
		if (v & 0x04) {
			unmodelled("poll command", port, v);
		}
		if ((v & 0x60) == 0x60) {
			unmodelled("special mask mode", port, v);
		}
		if (v & 0x02) {
			c->read_isr = (v & 1) != 0;
		}
	} else { /* OCW2 */
		switch (v >> 5) {
		case 1: /* non-specific EOI */
			chip_eoi(c, -1);
			break;
		case 3: /* specific EOI */
			chip_eoi(c, v & 7);
			break;
		case 0: /* rotate in AEOI mode: clear */
		case 2: /* no operation */
			break;
		default:
			unmodelled("priority rotation", port, v);
		}
	}
	cascade(p);
}

static void write_data(struct pic *p, struct pic_chip *c, uint16_t port,
		       uint8_t v)
{
	switch (c->init_step) {
	case 2: /* ICW2 */
		c->base = v & 0xf8;
		c->init_step = c->single ? (c->icw4 ? 4 : 0) : 3;
		break;
	case 3: /* ICW3: the cascade wiring is fixed (IRQ2) */
		c->init_step = c->icw4 ? 4 : 0;
		break;
	case 4: /* ICW4 */
		if (!(v & 1)) {
			unmodelled("8080/8085 mode", port, v);
		}
		c->auto_eoi = (v & 2) != 0;
		c->init_step = 0;
		break;
	default: /* OCW1 */
		c->imr = v;
		break;
	}
	cascade(p);
}

uint8_t pic_in(struct pic *p, uint16_t port)
{
	struct pic_chip *c = &p->chip[port >= 0xa0 && port != 0x4d0 ? 1 : 0];

	if (port == 0x4d0 || port == 0x4d1) {
		return p->chip[port & 1].elcr;
	}
	if (port & 1) {
		return c->imr;
	}
	return c->read_isr ? c->isr : c->irr;
}

void pic_out(struct pic *p, uint16_t port, uint8_t v)
{
	struct pic_chip *c = &p->chip[port >= 0xa0 && port != 0x4d0 ? 1 : 0];

	if (port == 0x4d0 || port == 0x4d1) {
		/*
		 * Level mode is modelled on the forwarded PCI INTx lines
		 * (pci.c), and accepted, stored and read back for lines
		 * snpemu never raises (e.g. IRQ9, the SCI QEMU's FADT names,
		 * which Linux sets level through the ELCR): for a line that
		 * never rises, edge and level behave alike. A line snpemu
		 * drives itself (PIC_RAISED_LINES) in level mode is not
		 * modelled. The IRR of a line leaving level mode keeps its
		 * bit, as a latched edge.
		 */
		if (v & (uint8_t)(PIC_RAISED_LINES >> (8 * (port & 1)))) {
			unmodelled("level-triggered line (ELCR)", port, v);
		}
		p->chip[port & 1].elcr = v;
		return;
	}
	if (port & 1) {
		write_data(p, c, port, v);
	} else {
		write_cmd(p, c, port, v);
	}
}
