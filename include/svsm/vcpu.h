/* SPDX-License-Identifier: MIT */
/*
 * Per-vCPU state the core protocol needs, and the registry of guest VMSA
 * pages (docs/abi.md §1.3, §3.3, §3.4). The boot path adds one entry per vCPU
 * (from the MADT / IGVM parameters) and registers the BSP's first guest
 * VMSA and CAA; CREATE_VCPU, DELETE_VCPU and REMAP_CA change them.
 *
 * Locking: callers hold the core lock (src/dispatch.c) or run before
 * any guest vCPU does (boot). A vCPU's CA and VMSA fields are written only
 * with its own lock held as well (taken inside the functions below, after
 * the core lock: docs/architecture.md §3), so the request loop of the CPU
 * serving that vCPU reads them with the vCPU lock alone and never waits
 * for a long core call (a PVALIDATE's flush) of another vCPU.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/spinlock.h"

#include "svsm/err.h"
#include "svsm/types.h"

#define SVSM_MAX_VCPUS 64
/* A vCPU may briefly own two guest VMSAs (Linux creates, then deletes). */
#define SVSM_MAX_GUEST_VMSAS (2 * SVSM_MAX_VCPUS)

/*
 * "Current" is the VMSA the hypervisor runs for this vCPU and the CA its
 * calls arrive through. A CREATE_VCPU for a vCPU that already has one only
 * records a pending ("next") VMSA: the guest switches by sending
 * AP_CREATION to the hypervisor, which the SVSM does not see (docs/abi.md §3.3,
 * §11.11). Deleting the current VMSA then makes the pending one current
 * (Linux deletes the old VMSA after AP_CREATION succeeded).
 */
struct svsm_vcpu {
	struct spinlock lock; /* CA/VMSA fields: see "Locking" above */
	uint32_t apic_id;
	uint8_t guest_vmpl;    /* VMPL the guest runs at on this vCPU (2) */
	bool in_use;           /* slot holds a vCPU */
	gpa_t caa;             /* current calling area, or gpa_invalid() */
	gpa_t guest_vmsa;      /* current guest VMSA, or gpa_invalid() */
	uint64_t sev_features; /* of the current guest VMSA */
	gpa_t next_vmsa;       /* pending VMSA, or gpa_invalid() */
	gpa_t next_caa;        /* its calling area, or gpa_invalid() */
	uint64_t next_sev_features;
};

/** Forget every vCPU and VMSA (boot, and tests). */
void vcpu_reset(void);

/** Boot: add a vCPU. Returns NULL if the table is full or @apic_id known. */
struct svsm_vcpu *vcpu_add(uint32_t apic_id, uint8_t guest_vmpl,
			   uint64_t sev_features);

struct svsm_vcpu *vcpu_by_apic_id(uint32_t apic_id);

/**
 * Record @vmsa as a guest VMSA page owned by @owner. SVSM_E_NOMEM if the
 * registry is full, SVSM_E_ADDR if the page is already registered.
 */
__must_check svsm_err_t vcpu_vmsa_register(gpa_t vmsa, struct svsm_vcpu *owner);

/** Remove @vmsa; returns its owner, or NULL if it was not registered. */
struct svsm_vcpu *vcpu_vmsa_unregister(gpa_t vmsa);

/**
 * CREATE_VCPU succeeded for @v: @vmsa becomes current if @v has no current
 * VMSA (an AP being brought up), else it is recorded as pending and the
 * current VMSA and CA stay in use.
 */
void vcpu_vmsa_created(struct svsm_vcpu *v, gpa_t vmsa, gpa_t caa,
		       uint64_t sev_features);

/**
 * DELETE_VCPU removed @vmsa of @v: a pending VMSA is forgotten; if @vmsa
 * was current, the pending one (if any) becomes current, else @v has no
 * guest VMSA and no CA any more. Other (older) VMSAs change nothing.
 */
void vcpu_vmsa_deleted(struct svsm_vcpu *v, gpa_t vmsa);

/**
 * The pending VMSA of @v ran (the guest sent AP_CREATION for it and the
 * hypervisor entered it): it becomes current with its CA and SEV features;
 * the VMSA that was current stays registered to @v (DELETE_VCPU of it now
 * succeeds, as Linux sends after AP_CREATION). Nothing if none is pending.
 */
void vcpu_vmsa_switched(struct svsm_vcpu *v);

/** REMAP_CA: @caa is @v's calling area from now on. */
void vcpu_set_caa(struct svsm_vcpu *v, gpa_t caa);

/** The owner of guest VMSA page @vmsa, or NULL. */
struct svsm_vcpu *vcpu_vmsa_owner(gpa_t vmsa);

/**
 * True if [@g, @g + @len) overlaps a registered guest VMSA. The guest may
 * read such a page but not write it, so guest_mem never writes one for it.
 */
bool vcpu_range_is_vmsa(gpa_t g, uint64_t len);

/**
 * True if [@g, @g + @len) overlaps a registered guest VMSA or any vCPU's
 * current or pending CAA. Such pages must not be rescinded, remapped, deposited
 * or used as a second VMSA/CAA (docs/abi.md §3.1–§3.3).
 */
bool vcpu_range_is_vmsa_or_caa(gpa_t g, uint64_t len);
