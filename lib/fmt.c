// SPDX-License-Identifier: MIT
/*
 * Bounded formatted printing (see lib/fmt.h for what is supported).
 * Everything funnels through one streaming formatter; the snprintf variant
 * is a sink that counts every character but stores only what fits.
 */
#include "lib/fmt.h"

#include <stdbool.h>
#include <stdint.h>

enum len_mod { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

struct spec {
	bool left;
	bool zero;
	bool has_prec;
	int width;
	int prec;
	enum len_mod len;
};

struct out {
	fmt_putc_fn putc_fn;
	void *ctx;
	int count;
};

static void emit(struct out *o, char c)
{
	o->putc_fn(o->ctx, c);
	if (o->count < INT32_MAX) {
		o->count++;
	}
}

static void emit_pad(struct out *o, char c, int n)
{
	while (n-- > 0) {
		emit(o, c);
	}
}

static void emit_str(struct out *o, const struct spec *sp, const char *s)
{
	int len = 0;

	if (s == NULL) {
		s = "(null)";
	}
	while (s[len] != '\0' && (!sp->has_prec || len < sp->prec)) {
		len++;
	}
	if (!sp->left) {
		emit_pad(o, ' ', sp->width - len);
	}
	for (int i = 0; i < len; i++) {
		emit(o, s[i]);
	}
	if (sp->left) {
		emit_pad(o, ' ', sp->width - len);
	}
}

static void emit_num(struct out *o, const struct spec *sp, uint64_t v, bool neg,
		     unsigned base, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	int plen = 0;
	int zeros = 0;
	int total = 0;

	if (v == 0 && !(sp->has_prec && sp->prec == 0)) {
		tmp[n++] = '0';
	}
	while (v != 0) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	if (neg) {
		prefix = "-";
	}
	if (prefix != NULL) {
		while (prefix[plen] != '\0') {
			plen++;
		}
	}
	if (sp->has_prec && sp->prec > n) {
		zeros = sp->prec - n;
	}
	total = plen + zeros + n;
	if (!sp->left && sp->zero && !sp->has_prec && sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	if (!sp->left) {
		emit_pad(o, ' ', sp->width - total);
	}
	for (int i = 0; i < plen; i++) {
		emit(o, prefix[i]);
	}
	emit_pad(o, '0', zeros);
	while (n > 0) {
		emit(o, tmp[--n]);
	}
	if (sp->left) {
		emit_pad(o, ' ', sp->width - total);
	}
}

static uint64_t arg_unsigned(va_list *ap, enum len_mod len)
{
	switch (len) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	case LEN_INT:
		break;
	}
	return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(va_list *ap, enum len_mod len)
{
	switch (len) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return (int64_t)va_arg(*ap, size_t);
	case LEN_INT:
		break;
	}
	return va_arg(*ap, int);
}

/* Parses flags, width, precision and length; returns the conversion char. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){0};
	for (;; f++) {
		if (*f == '-') {
			sp->left = true;
		} else if (*f == '0') {
			sp->zero = true;
		} else if (*f == '+' || *f == ' ' || *f == '#') {
			/* accepted and ignored: not used in this code base */
		} else {
			break;
		}
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = sp->width == INT32_MIN ? 0 : -sp->width;
		}
		f++;
	} else {
		while (*f >= '0' && *f <= '9') {
			if (sp->width < 4096) {
				sp->width = sp->width * 10 + (*f - '0');
			}
			f++;
		}
	}
	if (*f == '.') {
		f++;
		sp->has_prec = true;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0) {
				sp->has_prec = false;
				sp->prec = 0;
			}
			f++;
		} else {
			while (*f >= '0' && *f <= '9') {
				if (sp->prec < 4096) {
					sp->prec = sp->prec * 10 + (*f - '0');
				}
				f++;
			}
		}
	}
	if (sp->width > 4096) {
		sp->width = 4096;
	}
	if (sp->prec > 4096) {
		sp->prec = 4096;
	}
	if (f[0] == 'h' && f[1] == 'h') {
		sp->len = LEN_CHAR;
		f += 2;
	} else if (f[0] == 'h') {
		sp->len = LEN_SHORT;
		f++;
	} else if (f[0] == 'l' && f[1] == 'l') {
		sp->len = LEN_LLONG;
		f += 2;
	} else if (f[0] == 'l' || f[0] == 'j' || f[0] == 't') {
		sp->len = LEN_LONG;
		f++;
	} else if (f[0] == 'z') {
		sp->len = LEN_SIZE;
		f++;
	}
	return f;
}

int fmt_vprintf(fmt_putc_fn putc_fn, void *ctx, const char *fmt, va_list ap)
{
	struct out o = {.putc_fn = putc_fn, .ctx = ctx, .count = 0};
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	for (const char *f = fmt; *f != '\0'; f++) {
		const char *start = f;
		int64_t sv = 0;

		if (*f != '%') {
			emit(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &sp, &args);
		switch (*f) {
		case 'd':
		case 'i':
			sv = arg_signed(&args, sp.len);
			emit_num(&o, &sp, sv < 0 ? -(uint64_t)sv : (uint64_t)sv,
				 sv < 0, 10, false, NULL);
			break;
		case 'u':
			emit_num(&o, &sp, arg_unsigned(&args, sp.len), false,
				 10, false, NULL);
			break;
		case 'x':
		case 'X':
			emit_num(&o, &sp, arg_unsigned(&args, sp.len), false,
				 16, *f == 'X', NULL);
			break;
		case 'o':
			emit_num(&o, &sp, arg_unsigned(&args, sp.len), false, 8,
				 false, NULL);
			break;
		case 'p':
			emit_num(&o, &sp, (uintptr_t)va_arg(args, void *),
				 false, 16, false, "0x");
			break;
		case 'c': {
			char c[2] = {(char)va_arg(args, int), '\0'};

			sp.has_prec = false;
			emit_str(&o, &sp, c);
			break;
		}
		case 's':
			emit_str(&o, &sp, va_arg(args, const char *));
			break;
		case '%':
			emit(&o, '%');
			break;
		default:
			/* Unknown or truncated conversion: print it as is. */
			for (; start <= f && *start != '\0'; start++) {
				emit(&o, *start);
			}
			if (*f == '\0') {
				f--;
			}
			break;
		}
	}
	va_end(args);
	return o.count;
}

struct buf_sink {
	char *buf;
	size_t size;
	size_t pos;
};

static void buf_putc(void *ctx, char c)
{
	struct buf_sink *b = ctx;

	if (b->pos + 1 < b->size) {
		b->buf[b->pos] = c;
	}
	b->pos++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_sink b = {.buf = buf, .size = size, .pos = 0};
	int n = fmt_vprintf(buf_putc, &b, fmt, ap);

	if (size > 0) {
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	}
	return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
