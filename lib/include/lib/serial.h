/* SPDX-License-Identifier: MIT */
/*
 * 16550 UART driver. Port access goes through a small ops table because the
 * same driver runs with direct IN/OUT (snpemu, test guests), through the
 * GHCB (the SVSM under SNP, where IN/OUT would raise #VC) and against a fake
 * in the hosted unit tests.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define SERIAL_COM1 0x3f8
#define SERIAL_COM2 0x2f8

/* Register offsets from the base port (16550 data sheet). */
#define UART_THR 0 /* transmit holding (DLAB=0) */
#define UART_RBR 0 /* receive buffer (DLAB=0) */
#define UART_DLL 0 /* divisor latch low (DLAB=1) */
#define UART_IER 1 /* interrupt enable (DLAB=0) */
#define UART_DLM 1 /* divisor latch high (DLAB=1) */
#define UART_FCR 2 /* FIFO control */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */

#define UART_LCR_8N1 0x03
#define UART_LCR_DLAB 0x80
#define UART_MCR_LOOP 0x10 /* loopback: THR goes to RBR, not the line */
#define UART_LSR_DR 0x01   /* data ready */
#define UART_LSR_THRE 0x20 /* transmit holding register empty */

struct serial_io {
	void (*out8)(void *ctx, uint16_t port, uint8_t val);
	uint8_t (*in8)(void *ctx, uint16_t port);
	void *ctx;
	/*
	 * Optional: @len bytes to one port in one transfer (string I/O). Under
	 * SNP that is one VMGEXIT for a whole line instead of one per byte.
	 * Used only without LSR polling, at most SERIAL_STR_MAX bytes a call.
	 */
	void (*out_str)(void *ctx, uint16_t port, const uint8_t *buf,
			uint32_t len);
};

#define SERIAL_STR_MAX 256u

struct serial {
	uint16_t base;
	/*
	 * Polling LSR costs a port read per byte; under SNP that is a #VC and
	 * a VMGEXIT. Consoles on virtual UARTs that never back-pressure may
	 * turn it off.
	 */
	bool poll_lsr;
	const struct serial_io *io;
};

/** Program 8N1 at @baud (115200 if 0), FIFOs on, interrupts off. */
void serial_init(struct serial *s, uint16_t base, const struct serial_io *io,
		 uint32_t baud, bool poll_lsr);
void serial_putc(struct serial *s, char c);
void serial_write(struct serial *s, const char *buf, uint32_t len);
/**
 * serial_write() on a UART another party programs too: the divisor latch
 * and loopback are switched off for these bytes and the other party's line
 * and modem control put back afterwards.
 */
void serial_write_shared(struct serial *s, const char *buf, uint32_t len);
/** Returns the next received byte, or -1 if none is waiting. */
int serial_getc(struct serial *s);

/** Direct IN/OUT port access, for images that may use it. */
extern const struct serial_io serial_io_pio;
