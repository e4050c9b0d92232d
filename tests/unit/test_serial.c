// SPDX-License-Identifier: MIT
/* The 16550 driver (lib/serial.c) against a fake UART. */
#include "lib/serial.h"

#include "tap.h"

struct fake_uart {
	uint8_t regs[8];
	bool dlab_writes_seen;
	uint8_t dll, dlm;
	char tx[64];
	unsigned tx_len;
	unsigned lsr_reads;
	unsigned thre_after; /* THRE becomes set after this many LSR reads */
	int rx;
};

static void fake_out8(void *ctx, uint16_t port, uint8_t val)
{
	struct fake_uart *u = ctx;
	unsigned reg = port - 0x3f8;

	if ((u->regs[UART_LCR] & UART_LCR_DLAB) && reg <= 1) {
		*(reg == 0 ? &u->dll : &u->dlm) = val;
		u->dlab_writes_seen = true;
		return;
	}
	if (reg == UART_THR && u->tx_len < sizeof(u->tx)) {
		u->tx[u->tx_len++] = (char)val;
		return;
	}
	u->regs[reg] = val;
}

static uint8_t fake_in8(void *ctx, uint16_t port)
{
	struct fake_uart *u = ctx;
	unsigned reg = port - 0x3f8;

	if (reg == UART_LSR) {
		u->lsr_reads++;
		return (uint8_t)((u->lsr_reads > u->thre_after ? UART_LSR_THRE
							       : 0) |
				 (u->rx >= 0 ? UART_LSR_DR : 0));
	}
	if (reg == UART_RBR) {
		int v = u->rx;

		u->rx = -1;
		return (uint8_t)v;
	}
	return u->regs[reg];
}

static struct fake_uart uart;
static const struct serial_io fake_io = {fake_out8, fake_in8, &uart, NULL};

TAP_CASE(init_programs_divisor_and_8n1)
{
	struct serial s;

	memset(&uart, 0, sizeof(uart));
	uart.rx = -1;
	serial_init(&s, 0x3f8, &fake_io, 38400, true);
	CHECK_TRUE(uart.dlab_writes_seen);
	CHECK_EQ(uart.dll, 3);
	CHECK_EQ(uart.dlm, 0);
	CHECK_EQ(uart.regs[UART_LCR], UART_LCR_8N1);
	CHECK_EQ(uart.regs[UART_IER], 0);
	serial_init(&s, 0x3f8, &fake_io, 0, true); /* default 115200 */
	CHECK_EQ(uart.dll, 1);
}

TAP_CASE(write_translates_newlines_and_waits_for_thre)
{
	struct serial s;

	memset(&uart, 0, sizeof(uart));
	uart.rx = -1;
	uart.thre_after = 5;
	serial_init(&s, 0x3f8, &fake_io, 115200, true);
	serial_write(&s, "a\nb", 3);
	CHECK_EQ(uart.tx_len, 4);
	CHECK_TRUE(memcmp(uart.tx, "a\r\nb", 4) == 0);
	CHECK_TRUE(uart.lsr_reads >= 6);
}

TAP_CASE(stuck_uart_does_not_hang)
{
	struct serial s;

	memset(&uart, 0, sizeof(uart));
	uart.rx = -1;
	uart.thre_after = UINT32_MAX;
	serial_init(&s, 0x3f8, &fake_io, 115200, true);
	serial_putc(&s, 'x');
	CHECK_EQ(uart.tx_len, 1);
}

TAP_CASE(no_polling_when_disabled)
{
	struct serial s;

	memset(&uart, 0, sizeof(uart));
	uart.rx = -1;
	serial_init(&s, 0x3f8, &fake_io, 115200, false);
	serial_write(&s, "abc", 3);
	CHECK_EQ(uart.lsr_reads, 0);
	CHECK_EQ(uart.tx_len, 3);
}

/* String I/O: whole runs through out_str, newlines translated, runs cut
 * at SERIAL_STR_MAX. */
static char str_tx[600];
static unsigned str_len, str_calls, str_max;

static void fake_out_str(void *ctx, uint16_t port, const uint8_t *buf,
			 uint32_t len)
{
	(void)ctx;
	CHECK_EQ(port, 0x3f8 + UART_THR);
	str_calls++;
	str_max = len > str_max ? len : str_max;
	for (uint32_t i = 0; i < len && str_len < sizeof(str_tx); i++) {
		str_tx[str_len++] = (char)buf[i];
	}
}

static const struct serial_io fake_str_io = {fake_out8, fake_in8, &uart,
					     fake_out_str};

TAP_CASE(string_output_in_runs)
{
	struct serial s;
	char line[300];

	memset(&uart, 0, sizeof(uart));
	uart.rx = -1;
	str_len = str_calls = str_max = 0;
	serial_init(&s, 0x3f8, &fake_str_io, 115200, false);
	serial_write(&s, "a\nb", 3);
	CHECK_EQ(str_calls, 1);
	CHECK_EQ(str_len, 4);
	CHECK_TRUE(memcmp(str_tx, "a\r\nb", 4) == 0);
	CHECK_EQ(uart.tx_len, 0); /* nothing byte by byte */
	memset(line, '\n', sizeof(line));
	str_len = str_calls = 0;
	serial_write(&s, line, sizeof(line));
	CHECK_EQ(str_len, 600);
	CHECK_TRUE(str_max <= SERIAL_STR_MAX);
	CHECK_EQ(str_calls, 3);
	/* With LSR polling the bytes go one by one, as before. */
	serial_init(&s, 0x3f8, &fake_str_io, 115200, true);
	str_calls = 0;
	serial_write(&s, "xy", 2);
	CHECK_EQ(str_calls, 0);
	CHECK_EQ(uart.tx_len, 2);
}

TAP_CASE(getc_reads_when_ready)
{
	struct serial s;

	memset(&uart, 0, sizeof(uart));
	uart.rx = -1;
	serial_init(&s, 0x3f8, &fake_io, 115200, true);
	CHECK_EQ(serial_getc(&s), (uint64_t)-1);
	uart.rx = 'q';
	CHECK_EQ(serial_getc(&s), 'q');
	CHECK_EQ(serial_getc(&s), (uint64_t)-1);
}

TAP_MAIN(TAP_ENTRY(init_programs_divisor_and_8n1),
	 TAP_ENTRY(write_translates_newlines_and_waits_for_thre),
	 TAP_ENTRY(stuck_uart_does_not_hang),
	 TAP_ENTRY(no_polling_when_disabled), TAP_ENTRY(string_output_in_runs),
	 TAP_ENTRY(getc_reads_when_ready))
