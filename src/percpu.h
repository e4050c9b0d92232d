/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU state, reached through the FS base. The layout of the first bytes
 * is fixed: offset 0 holds a pointer to the block itself (so this_cpu() is
 * one load), and offset 0x28 holds the stack-protector canary, where gcc's
 * -mstack-protector-guard=tls -mstack-protector-guard-reg=fs
 * -mstack-protector-guard-offset=0x28 looks for it (the same place as the
 * x86-64 SysV TLS convention, so third-party code built for it works too).
 */
#pragma once

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/desc.h"

#include "lib/compiler.h"

struct ghcb;
struct snp_vmsa;

struct percpu {
	struct percpu *self;    /* 0x00 */
	uint32_t cpu_index;     /* 0x08 */
	uint32_t apic_id;       /* 0x0c */
	struct ghcb *ghcb;      /* 0x10: this CPU's shared GHCB page */
	uint64_t ghcb_gpa;      /* 0x18: 0 until registered */
	uint32_t ghcb_busy;     /* 0x20: a GHCB exchange is in flight */
	uint32_t reserved_0x24; /* 0x24 */
	uint64_t stack_canary;  /* 0x28: see above */
	/* The VMPL2 vCPU this CPU runs (the request loop). */
	struct snp_vmsa *guest_vmsa;
	uint64_t guest_vmsa_gpa;
	uint64_t guest_caa_gpa; /* current calling area (REMAP_CA moves it) */
	/*
	 * #VC bookkeeping (src/sev/vc.c): set while a #VC is handled; the
	 * IST_VC stack top, and a second stack that IST_VC points at while
	 * one is, so a nested #VC never lands on the outer frame.
	 */
	uint32_t vc_active;
	uint32_t hv_ignored; /* #HV events ignored (nothing is expected) */
	uint64_t vc_ist_top;
	uint64_t vc_nested_top;
	struct cpu_desc desc;
	/* This CPU's guest window (src/sev/platform_snp.c). */
	uint64_t window_va;
	uint64_t *window_pde, *window_pt, *vmsa_pt;
	bool window_busy;
};
static_assert(offsetof(struct percpu, stack_canary) == 0x28,
	      "gcc -mstack-protector-guard-offset=0x28");

/** The BSP's block (FS base is set to it by src/entry.S). */
extern struct percpu svsm_bsp_percpu;

static inline struct percpu *this_cpu(void)
{
	struct percpu *p = NULL;

	__asm__ volatile("movq %%fs:0, %0" : "=r"(p));
	return p;
}

/**
 * Point FS at @pc again (loading a null FS selector may clear the base) and
 * fill in the self pointer. Must not itself use the stack protector.
 */
void percpu_set_fs(struct percpu *pc);

/**
 * Load GDT/TSS with IST stacks and the IDT on this CPU. Keeps FS.
 */
void percpu_desc_init(struct percpu *pc);

/**
 * Install a random stack-protector canary (RDRAND; panics if the CPU has
 * none to give). Called once, by a function that is itself unprotected,
 * before any protected frame that outlives the call exists.
 */
void percpu_init_canary(struct percpu *pc);
