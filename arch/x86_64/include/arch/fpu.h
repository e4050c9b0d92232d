/* SPDX-License-Identifier: MIT */
/*
 * FPU/SSE (and XSAVE where the CPU has it) for code that needs it.
 */
#pragma once

#include <stdint.h>

/** Enable x87/SSE (CR0, CR4.OSFXSR/OSXMMEXCPT) and, if available, XSAVE
 * with XCR0 = x87|SSE[|AVX]. Returns the XCR0 set (0 without XSAVE). */
uint64_t arch_fpu_enable(void);
