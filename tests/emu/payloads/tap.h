/* SPDX-License-Identifier: MIT */
/*
 * TAP output shared by the snpemu test payloads. Each payload supplies
 * payload_con_write(), which writes through its own GHCB.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

void payload_con_write(const char *s, size_t len);
__attribute__((format(printf, 1, 2))) void out(const char *fmt, ...);
void report(bool ok, const char *name);
/** Number of failed reports so far. */
unsigned tap_failures(void);
