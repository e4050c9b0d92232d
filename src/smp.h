/* SPDX-License-Identifier: MIT */
/*
 * The SVSM on every vCPU (issue 13, docs/architecture.md §3 "vCPUs"): the
 * BSP starts one SVSM context (a VMPL0 VMSA) per AP through AP_CREATION.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* APs the SVSM starts at most (snpemu models up to 8 vCPUs). */
#define SMP_MAX_APS 7u

/**
 * Start the SVSM on vCPUs 1 .. @vp_count - 1 (APIC IDs) and wait until each
 * runs. Returns how many started; the VM is terminated if the hypervisor
 * refuses one of them or one never comes up.
 */
uint32_t smp_start_aps(uint32_t vp_count);

/**
 * After the guest launch (which resets the vCPU registry): register each
 * started AP's vCPU (guest VMPL @guest_vmpl, @sev_features) and let the APs
 * serve them.
 */
void smp_register_aps(uint8_t guest_vmpl, uint64_t sev_features);

/** Does some CPU serve the guest VMSA at @gpa (plat_vmsa_in_use)? */
bool smp_vmsa_served(uint64_t gpa);

/** SVSM contexts running (the BSP included). */
uint32_t smp_cpus_online(void);

/**
 * Allocate, share and register this CPU's GHCB page (main.c). Each vCPU
 * has its own: the GHCB MSR is per VMSA.
 */
void svsm_ghcb_setup(void);
