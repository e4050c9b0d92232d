/* SPDX-License-Identifier: MIT */
/*
 * The console: one output sink, serialised by a lock so lines from
 * different CPUs do not interleave mid-line.
 */
#pragma once

#include <stdarg.h>
#include <stdint.h>

#include "lib/compiler.h"

typedef void (*con_write_fn)(void *ctx, const char *buf, uint32_t len);

void con_set_sink(con_write_fn fn, void *ctx);
void con_write(const char *buf, uint32_t len);
void con_puts(const char *s);
int con_printf(const char *fmt, ...) __printf(1, 2);
int con_vprintf(const char *fmt, va_list ap);
/** Like con_printf, but never waits for the lock (panic paths). */
int con_printf_nolock(const char *fmt, ...) __printf(1, 2);
