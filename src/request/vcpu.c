// SPDX-License-Identifier: MIT
/*
 * The vCPU table and the registry of guest VMSA pages (abi.md §1.3, §3.3).
 * Fixed-size arrays: bounded lookups, no allocation on a guest's request.
 */
#include "svsm/vcpu.h"

struct vmsa_slot {
	bool used;
	uint64_t gpa;
	struct svsm_vcpu *owner;
};

static struct svsm_vcpu vcpus[SVSM_MAX_VCPUS];
static struct vmsa_slot vmsas[SVSM_MAX_GUEST_VMSAS];
/*
 * One past the highest slot ever used: every PVALIDATE entry scans both
 * tables, so scans stop here instead of at the (mostly empty) maximum.
 */
static uint32_t vcpu_hwm;
static uint32_t vmsa_hwm;

void vcpu_reset(void)
{
	for (uint32_t i = 0; i < SVSM_MAX_VCPUS; i++) {
		vcpus[i].in_use = false;
		vcpus[i].caa = gpa_invalid();
		vcpus[i].guest_vmsa = gpa_invalid();
	}
	for (uint32_t i = 0; i < SVSM_MAX_GUEST_VMSAS; i++) {
		vmsas[i].used = false;
		vmsas[i].owner = NULL;
	}
	vcpu_hwm = 0;
	vmsa_hwm = 0;
}

struct svsm_vcpu *vcpu_by_apic_id(uint32_t apic_id)
{
	for (uint32_t i = 0; i < vcpu_hwm; i++) {
		if (vcpus[i].in_use && vcpus[i].apic_id == apic_id) {
			return &vcpus[i];
		}
	}
	return NULL;
}

struct svsm_vcpu *vcpu_add(uint32_t apic_id, uint8_t guest_vmpl,
			   uint64_t sev_features)
{
	if (vcpu_by_apic_id(apic_id) != NULL) {
		return NULL;
	}
	for (uint32_t i = 0; i < SVSM_MAX_VCPUS; i++) {
		struct svsm_vcpu *v = &vcpus[i];

		if (!v->in_use) {
			v->in_use = true;
			v->apic_id = apic_id;
			v->guest_vmpl = guest_vmpl;
			v->sev_features = sev_features;
			v->caa = gpa_invalid();
			v->guest_vmsa = gpa_invalid();
			vcpu_hwm = MAX(vcpu_hwm, i + 1);
			return v;
		}
	}
	return NULL;
}

static struct vmsa_slot *vmsa_find(uint64_t page)
{
	for (uint32_t i = 0; i < vmsa_hwm; i++) {
		if (vmsas[i].used && vmsas[i].gpa == page) {
			return &vmsas[i];
		}
	}
	return NULL;
}

static struct vmsa_slot *vmsa_free_slot(void)
{
	for (uint32_t i = 0; i < SVSM_MAX_GUEST_VMSAS; i++) {
		if (!vmsas[i].used) {
			vmsa_hwm = MAX(vmsa_hwm, i + 1);
			return &vmsas[i];
		}
	}
	return NULL;
}

svsm_err_t vcpu_vmsa_register(gpa_t vmsa, struct svsm_vcpu *owner)
{
	struct vmsa_slot *free_slot = NULL;

	if (gpa_is_invalid(vmsa) || vmsa_find(gpa_val(vmsa)) != NULL) {
		return SVSM_E_ADDR;
	}
	free_slot = vmsa_free_slot();
	if (free_slot == NULL) {
		return SVSM_E_NOMEM;
	}
	free_slot->used = true;
	free_slot->gpa = gpa_val(vmsa);
	free_slot->owner = owner;
	return SVSM_OK;
}

struct svsm_vcpu *vcpu_vmsa_unregister(gpa_t vmsa)
{
	struct vmsa_slot *s = NULL;
	struct svsm_vcpu *owner = NULL;

	if (gpa_is_invalid(vmsa)) {
		return NULL;
	}
	s = vmsa_find(gpa_val(vmsa));
	if (s == NULL) {
		return NULL;
	}
	owner = s->owner;
	s->used = false;
	s->owner = NULL;
	return owner;
}

struct svsm_vcpu *vcpu_vmsa_owner(gpa_t vmsa)
{
	struct vmsa_slot *s = NULL;

	if (gpa_is_invalid(vmsa)) {
		return NULL;
	}
	s = vmsa_find(gpa_val(vmsa));
	return s != NULL ? s->owner : NULL;
}

bool vcpu_range_is_vmsa(gpa_t g, uint64_t len)
{
	for (uint32_t i = 0; i < vmsa_hwm; i++) {
		if (vmsas[i].used &&
		    range_overlaps(gpa_val(g), len, vmsas[i].gpa, PAGE_SIZE)) {
			return true;
		}
	}
	return false;
}

bool vcpu_range_is_vmsa_or_caa(gpa_t g, uint64_t len)
{
	if (vcpu_range_is_vmsa(g, len)) {
		return true;
	}
	for (uint32_t i = 0; i < vcpu_hwm; i++) {
		if (vcpus[i].in_use && !gpa_is_invalid(vcpus[i].caa) &&
		    range_overlaps(gpa_val(g), len, gpa_val(vcpus[i].caa),
				   PAGE_SIZE)) {
			return true;
		}
	}
	return false;
}
