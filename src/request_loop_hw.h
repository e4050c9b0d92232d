/* SPDX-License-Identifier: MIT */
/*
 * The few machine operations one request-loop iteration needs (docs/abi.md §1.4
 * steps 1 and 6), as small wrappers so that the iteration itself
 * (request_step.c) also compiles hosted: the benchmark (tests/unit/svsm/
 * bench_core.c) counts its instructions under callgrind, where RDMSR,
 * WRMSR and VMGEXIT cannot run. The image gets the real instructions
 * inlined; a hosted build links the test program's replacements.
 */
#pragma once

#include <stdint.h>

#include "svsm/abi/vmsa.h"

#ifdef RT_HOSTED

uint64_t loop_ghcb_msr_read(void);
void loop_ghcb_msr_write(uint64_t val);
/* This CPU's registered GHCB GPA (0 before registration). */
uint64_t loop_ghcb_gpa(void);
/* Whole-page copy; the bench uses the image's `rep movsb`. */
void loop_vmsa_copy(struct snp_vmsa *dst, const struct snp_vmsa *src);

#else

#include "arch/cpu.h"

#include "lib/string.h"

#include "svsm/abi/snp.h"

#include "percpu.h"

static inline uint64_t loop_ghcb_msr_read(void)
{
	return rdmsr(MSR_GHCB);
}

static inline void loop_ghcb_msr_write(uint64_t val)
{
	wrmsr(MSR_GHCB, val);
}

static inline uint64_t loop_ghcb_gpa(void)
{
	return this_cpu()->ghcb_gpa;
}

static inline void loop_vmsa_copy(struct snp_vmsa *dst,
				  const struct snp_vmsa *src)
{
	memcpy(dst, src, sizeof(*dst));
}

#endif
