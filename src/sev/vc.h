/* SPDX-License-Identifier: MIT */
/*
 * The SVSM's own #VC handler (GHCB spec 56421 §4 "NAE events"; APM vol. 2
 * §15.35). The SVSM avoids #VC-raising instructions on its hot paths (the
 * console calls the GHCB directly); this handler covers CPUID, port I/O and
 * MSR accesses anywhere else, and faults on unvalidated pages inside
 * guarded copies.
 */
#pragma once

#include "svsm/abi/snp.h"

/** Install the handler; @cpuid_page is the PSP-validated CPUID page. */
void vc_init(const struct snp_cpuid_page *cpuid_page);
