// SPDX-License-Identifier: MIT
/*
 * 8254 model (Intel 8254 data sheet): counters derived from the TSC
 * (clock.h), not decremented by snpemu. Modes 0, 2, 3 and 4 and the
 * counter/status latches (including read-back) are modelled; modes 1 and 5
 * (hardware-retriggered by a gate edge) and BCD counting are not and stop
 * the VM with a report. Only channel 2 has a gate (port 0x61 bit 0);
 * channels 0 and 1 are always gated on as on a PC. Channel 0's output is
 * ISA IRQ0 (an edge per period in modes 2/3, one at terminal count in
 * modes 0/4).
 */
#include "pit.h"

#include "lib/string.h"

#include "clock.h"
#include "machine.h"

static uint64_t period(const struct pit_chan *c)
{
	return c->reload == 0 ? 65536 : c->reload;
}

void pit_reset(struct pit *p)
{
	memset(p, 0, sizeof(*p));
	for (unsigned i = 0; i < 3; i++) {
		p->ch[i].next_irq = UINT64_MAX;
		p->ch[i].rw = 3;
	}
}

bool pit_port(uint16_t port)
{
	return (port >= 0x40 && port <= 0x43) || port == 0x61;
}

/* Ticks counted so far; channel 2 counts only while its gate is high. */
static uint64_t ticks(const struct pit *p, unsigned ch, uint64_t now)
{
	const struct pit_chan *c = &p->ch[ch];

	if (!c->armed || (ch == 2 && !p->gate2) || now < c->start) {
		return 0;
	}
	return clock_tsc_to_pit(now - c->start);
}

static uint16_t count(const struct pit *p, unsigned ch, uint64_t now)
{
	const struct pit_chan *c = &p->ch[ch];
	uint64_t t = ticks(p, ch, now), n = period(c);

	if (!c->armed) {
		return c->reload;
	}
	switch (c->mode) {
	case 2:
		return (uint16_t)(n - t % n);
	case 3: /* counts down by two, twice per period */
		return (uint16_t)((n - (2 * t) % n) & ~1u);
	default: /* 0, 4: down from N, wrapping after terminal count */
		return (uint16_t)(n - t);
	}
}

static bool out(const struct pit *p, unsigned ch, uint64_t now)
{
	const struct pit_chan *c = &p->ch[ch];
	uint64_t t = ticks(p, ch, now), n = period(c);

	if (!c->armed) {
		return c->mode != 0;
	}
	switch (c->mode) {
	case 0:
		return t >= n;
	case 2:
		return t % n != n - 1;
	case 3:
		return t % n < (n + 1) / 2;
	default: /* 4: low for one clock at terminal count */
		return t != n;
	}
}

static void arm(struct pit *p, unsigned ch, uint64_t now)
{
	struct pit_chan *c = &p->ch[ch];

	c->armed = true;
	c->start = now;
	c->next_irq = ch == 0 ? now + clock_pit_to_tsc(period(c)) : UINT64_MAX;
}

static void control(struct pit *p, uint8_t v, uint64_t now)
{
	unsigned ch = v >> 6, rw = (v >> 4) & 3, mode = (v >> 1) & 7;

	if (ch == 3) { /* read-back: bit 5 clear = count, bit 4 = status */
		for (unsigned i = 0; i < 3; i++) {
			struct pit_chan *c = &p->ch[i];

			if (!(v & (2u << i))) {
				continue;
			}
			if (!(v & 0x20) && !c->latched) {
				c->latch = count(p, i, now);
				c->latched = true;
				c->read_msb = false;
			}
			if (!(v & 0x10) && !c->status_latched) {
				c->status = (uint8_t)((out(p, i, now) << 7) |
						      (c->armed ? 0 : 0x40) |
						      (c->rw << 4) |
						      (c->mode << 1));
				c->status_latched = true;
			}
		}
		return;
	}
	if (rw == 0) { /* counter latch */
		if (!p->ch[ch].latched) {
			p->ch[ch].latch = count(p, ch, now);
			p->ch[ch].latched = true;
			p->ch[ch].read_msb = false;
		}
		return;
	}
	if (v & 1) {
		emu_stop(&emu_machine, "8254 BCD counting is not modelled");
	}
	if (mode > 5) {
		mode -= 4; /* 6, 7 are aliases of 2, 3 */
	}
	if (mode == 1 || mode == 5) {
		emu_stop(&emu_machine,
			 "8254 channel %u mode %u (gate-triggered) is not "
			 "modelled",
			 ch, mode);
	}
	p->ch[ch] = (struct pit_chan){.mode = (uint8_t)mode,
				      .rw = (uint8_t)rw,
				      .next_irq = UINT64_MAX};
}

static void write_count(struct pit *p, unsigned ch, uint8_t v, uint64_t now)
{
	struct pit_chan *c = &p->ch[ch];

	switch (c->rw) {
	case 1:
		c->reload = v;
		arm(p, ch, now);
		break;
	case 2:
		c->reload = (uint16_t)(v << 8);
		arm(p, ch, now);
		break;
	default:
		if (!c->write_msb) {
			c->reload = (uint16_t)((c->reload & 0xff00) | v);
			c->write_msb = true;
			c->armed = false; /* stops until the MSB arrives */
			c->next_irq = UINT64_MAX;
		} else {
			c->reload = (uint16_t)((c->reload & 0xff) | (v << 8));
			c->write_msb = false;
			arm(p, ch, now);
		}
		break;
	}
}

static uint8_t read_count(struct pit *p, unsigned ch, uint64_t now)
{
	struct pit_chan *c = &p->ch[ch];
	uint16_t n = 0;
	uint8_t v = 0;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	n = c->latched ? c->latch : count(p, ch, now);
	switch (c->rw) {
	case 1:
		v = (uint8_t)n;
		c->latched = false;
		break;
	case 2:
		v = (uint8_t)(n >> 8);
		c->latched = false;
		break;
	default:
		v = c->read_msb ? (uint8_t)(n >> 8) : (uint8_t)n;
		if (c->read_msb) {
			c->latched = false;
		}
		c->read_msb = !c->read_msb;
		break;
	}
	return v;
}

uint8_t pit_in(struct pit *p, uint16_t port, uint64_t now)
{
	if (port == 0x61) {
		/* Bit 4 toggles with each DRAM refresh (~15 us). */
		uint64_t refresh = clock_tsc_to_ns(now) / 15085;

		return (uint8_t)((p->gate2 ? 1 : 0) | (p->speaker ? 2 : 0) |
				 p->p61_rsvd | ((refresh & 1) << 4) |
				 (out(p, 2, now) ? 0x20 : 0));
	}
	if (port == 0x43) {
		return 0xff; /* the control word is write-only */
	}
	return read_count(p, port - 0x40, now);
}

void pit_out(struct pit *p, uint16_t port, uint8_t v, uint64_t now)
{
	if (port == 0x61) {
		bool gate = (v & 1) != 0;

		if (gate && !p->gate2 && p->ch[2].armed) {
			/* Counting starts (modes 0/4 resume, 2/3 reload). */
			p->ch[2].start = now;
		}
		p->gate2 = gate;
		p->speaker = (v & 2) != 0;
		p->p61_rsvd = v & 0x0c;
		return;
	}
	if (port == 0x43) {
		control(p, v, now);
		return;
	}
	write_count(p, port - 0x40, v, now);
}

void pit_poll(struct pit *p, struct pic *pic, uint64_t now)
{
	struct pit_chan *c = &p->ch[0];

	if (c->next_irq > now) {
		return;
	}
	pic_set_irq(pic, 0, false);
	pic_set_irq(pic, 0, true);
	p->irq0_count++;
	if (c->mode == 2 || c->mode == 3) {
		uint64_t step = clock_pit_to_tsc(period(c));

		c->next_irq += step ? step : 1;
		if (c->next_irq <= now) {
			c->next_irq = now + step; /* missed edges coalesce */
		}
	} else {
		c->next_irq = UINT64_MAX;
	}
}

uint64_t pit_next_event(const struct pit *p)
{
	return p->ch[0].next_irq;
}
