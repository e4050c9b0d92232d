/* SPDX-License-Identifier: MIT */
/*
 * snpemu internal interfaces.
 */
#pragma once

#include <stdint.h>

#include "lib/compiler.h"

/*
 * isa-debug-exit (iobase 0xf4, iosize 4): writing v makes QEMU exit with
 * status (v << 1) | 1. Success is deliberately not 0: QEMU's own errors
 * (a bad option, a missing file) also end with status 1, which must never
 * read as a pass. tools/run-image knows these values.
 */
#define EMU_DEBUG_EXIT_PORT 0xf4
#define EMU_EXIT_OK 0x10         /* QEMU status 33 */
#define EMU_EXIT_FAIL 0x11       /* QEMU status 35: a test failed */
#define EMU_EXIT_USAGE 0x12      /* QEMU status 37: bad command line */
#define EMU_EXIT_PANIC_BASE 0x20 /* QEMU status 65+: panic, + reason */

__noreturn void emu_exit(uint32_t status);
