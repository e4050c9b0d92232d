// SPDX-License-Identifier: MIT
/*
 * 16550 UART, polled. No interrupts: the consoles of the SVSM and snpemu are
 * write-mostly and must work before any interrupt controller is set up.
 */
#include "lib/serial.h"

#include <stddef.h>

/* Bounded wait for THRE: a wedged or absent UART must not hang a CPU. */
#define SERIAL_THRE_SPINS 100000u

static void uart_out(struct serial *s, uint16_t reg, uint8_t val)
{
	s->io->out8(s->io->ctx, (uint16_t)(s->base + reg), val);
}

static uint8_t uart_in(struct serial *s, uint16_t reg)
{
	return s->io->in8(s->io->ctx, (uint16_t)(s->base + reg));
}

void serial_init(struct serial *s, uint16_t base, const struct serial_io *io,
		 uint32_t baud, bool poll_lsr)
{
	uint32_t divisor = 0;

	s->base = base;
	s->io = io;
	s->poll_lsr = poll_lsr;
	if (baud == 0 || baud > 115200) {
		baud = 115200;
	}
	divisor = 115200 / baud;
	uart_out(s, UART_IER, 0x00);
	uart_out(s, UART_LCR, UART_LCR_DLAB);
	uart_out(s, UART_DLL, (uint8_t)(divisor & 0xff));
	uart_out(s, UART_DLM, (uint8_t)(divisor >> 8));
	uart_out(s, UART_LCR, UART_LCR_8N1);
	uart_out(s, UART_FCR, 0x07); /* enable and clear both FIFOs */
	uart_out(s, UART_MCR, 0x03); /* DTR, RTS */
}

void serial_putc(struct serial *s, char c)
{
	if (s->poll_lsr) {
		for (uint32_t i = 0; i < SERIAL_THRE_SPINS; i++) {
			if (uart_in(s, UART_LSR) & UART_LSR_THRE) {
				break;
			}
		}
	}
	uart_out(s, UART_THR, (uint8_t)c);
}

/* Runs of up to SERIAL_STR_MAX bytes, "\n" as "\r\n", through out_str. */
static void write_str(struct serial *s, const char *buf, uint32_t len)
{
	uint8_t out[SERIAL_STR_MAX];
	uint32_t n = 0;
	uint16_t port = (uint16_t)(s->base + UART_THR);

	for (uint32_t i = 0; i < len; i++) {
		if (n + 2 > sizeof(out)) {
			s->io->out_str(s->io->ctx, port, out, n);
			n = 0;
		}
		if (buf[i] == '\n') {
			out[n++] = '\r';
		}
		out[n++] = (uint8_t)buf[i];
	}
	if (n != 0) {
		s->io->out_str(s->io->ctx, port, out, n);
	}
}

void serial_write(struct serial *s, const char *buf, uint32_t len)
{
	if (!s->poll_lsr && s->io->out_str != NULL) {
		write_str(s, buf, len);
		return;
	}
	for (uint32_t i = 0; i < len; i++) {
		if (buf[i] == '\n') {
			serial_putc(s, '\r');
		}
		serial_putc(s, buf[i]);
	}
}

void serial_write_shared(struct serial *s, const char *buf, uint32_t len)
{
	uint8_t lcr = uart_in(s, UART_LCR);
	uint8_t mcr = uart_in(s, UART_MCR);

	if (lcr & UART_LCR_DLAB) {
		uart_out(s, UART_LCR, (uint8_t)(lcr & ~UART_LCR_DLAB));
	}
	if (mcr & UART_MCR_LOOP) {
		uart_out(s, UART_MCR, (uint8_t)(mcr & ~UART_MCR_LOOP));
	}
	serial_write(s, buf, len);
	if (mcr & UART_MCR_LOOP) {
		uart_out(s, UART_MCR, mcr);
	}
	if (lcr & UART_LCR_DLAB) {
		uart_out(s, UART_LCR, lcr);
	}
}

int serial_getc(struct serial *s)
{
	if (!(uart_in(s, UART_LSR) & UART_LSR_DR)) {
		return -1;
	}
	return uart_in(s, UART_RBR);
}

#ifndef RT_HOSTED
static void pio_out8(void *ctx, uint16_t port, uint8_t val)
{
	(void)ctx;
	__asm__ volatile("outb %0, %1" : : "a"(val), "Nd"(port));
}

static uint8_t pio_in8(void *ctx, uint16_t port)
{
	uint8_t v = 0;

	(void)ctx;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

const struct serial_io serial_io_pio = {
	.out8 = pio_out8,
	.in8 = pio_in8,
	.ctx = NULL,
};
#endif
