/* SPDX-License-Identifier: MIT */
/*
 * Bounded formatted printing. Supports %d %i %u %x %X %o %p %s %c %%, the
 * flags '-' '0', a width and a precision (also '*'), and the length modifiers
 * hh h l ll z j t. Output is always NUL-terminated when size > 0; the return
 * value is the length the full output would have had (C99 semantics), so
 * truncation is detectable. Unknown conversions are printed literally.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#include "lib/compiler.h"

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/** A character sink: fmt_vprintf() streams through it without a buffer. */
typedef void (*fmt_putc_fn)(void *ctx, char c);
int fmt_vprintf(fmt_putc_fn putc_fn, void *ctx, const char *fmt, va_list ap);
