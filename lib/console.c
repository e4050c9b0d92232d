// SPDX-License-Identifier: MIT
/*
 * The console. Output is formatted into a small line buffer and handed to the
 * sink in chunks, so a sink that is expensive per call (GHCB port I/O under
 * SNP) is called once per line, not once per character.
 */
#include "lib/console.h"

#include "lib/fmt.h"
#include "lib/spinlock.h"

#define CON_CHUNK 128

static con_write_fn con_sink;
static void *con_sink_ctx;
static struct spinlock con_lock = SPINLOCK_INIT;

struct con_buf {
	char buf[CON_CHUNK];
	uint32_t len;
};

void con_set_sink(con_write_fn fn, void *ctx)
{
	con_sink = fn;
	con_sink_ctx = ctx;
}

static void con_emit(const char *buf, uint32_t len)
{
	if (con_sink != NULL && len > 0) {
		con_sink(con_sink_ctx, buf, len);
	}
}

static void con_buf_putc(void *ctx, char c)
{
	struct con_buf *b = ctx;

	b->buf[b->len++] = c;
	if (b->len == CON_CHUNK || c == '\n') {
		con_emit(b->buf, b->len);
		b->len = 0;
	}
}

void con_write(const char *buf, uint32_t len)
{
	spin_lock(&con_lock);
	con_emit(buf, len);
	spin_unlock(&con_lock);
}

void con_puts(const char *s)
{
	uint32_t len = 0;

	while (s[len] != '\0') {
		len++;
	}
	con_write(s, len);
}

static int con_vprintf_locked(const char *fmt, va_list ap)
{
	struct con_buf b = {.len = 0};
	int n = fmt_vprintf(con_buf_putc, &b, fmt, ap);

	con_emit(b.buf, b.len);
	return n;
}

int con_vprintf(const char *fmt, va_list ap)
{
	int n = 0;

	spin_lock(&con_lock);
	n = con_vprintf_locked(fmt, ap);
	spin_unlock(&con_lock);
	return n;
}

int con_printf(const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	va_start(ap, fmt);
	n = con_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int con_printf_nolock(const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	va_start(ap, fmt);
	n = con_vprintf_locked(fmt, ap);
	va_end(ap);
	return n;
}
