/* SPDX-License-Identifier: MIT */
/*
 * The register frame built by the exception stubs (isr.S). The order must
 * match the push order there; the static_asserts pin it.
 */
#pragma once

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

struct cpu_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error_code;
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

static_assert(offsetof(struct cpu_regs, rax) == 14 * 8, "isr.S push order");
static_assert(offsetof(struct cpu_regs, vector) == 15 * 8, "isr.S layout");
static_assert(offsetof(struct cpu_regs, rip) == 17 * 8, "CPU frame");
static_assert(sizeof(struct cpu_regs) == 22 * 8, "isr.S frame size");
