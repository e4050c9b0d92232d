// SPDX-License-Identifier: MIT
/*
 * The vCPU table and the registry of guest VMSA pages (docs/abi.md §1.3, §3.3).
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
		spin_init(&vcpus[i].lock);
		vcpus[i].in_use = false;
		vcpus[i].caa = gpa_invalid();
		vcpus[i].guest_vmsa = gpa_invalid();
		vcpus[i].next_vmsa = gpa_invalid();
		vcpus[i].next_caa = gpa_invalid();
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
			spin_lock(&v->lock);
			v->in_use = true;
			v->apic_id = apic_id;
			v->guest_vmpl = guest_vmpl;
			v->sev_features = sev_features;
			v->caa = gpa_invalid();
			v->guest_vmsa = gpa_invalid();
			v->next_vmsa = gpa_invalid();
			v->next_caa = gpa_invalid();
			v->next_sev_features = 0;
			spin_unlock(&v->lock);
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

void vcpu_vmsa_created(struct svsm_vcpu *v, gpa_t vmsa, gpa_t caa,
		       uint64_t sev_features)
{
	spin_lock(&v->lock);
	if (gpa_is_invalid(v->guest_vmsa)) {
		v->guest_vmsa = vmsa;
		v->caa = caa;
		v->sev_features = sev_features;
		spin_unlock(&v->lock);
		return;
	}
	/*
	 * The vCPU runs: the hypervisor keeps entering the current VMSA until
	 * the guest sends AP_CREATION, and its calls keep using the current
	 * CA. A pending VMSA replaced here stays registered (still a VMSA
	 * until DELETE_VCPU), it is just no longer the one to switch to.
	 */
	v->next_vmsa = vmsa;
	v->next_caa = caa;
	v->next_sev_features = sev_features;
	spin_unlock(&v->lock);
}

static void forget_next(struct svsm_vcpu *v)
{
	v->next_vmsa = gpa_invalid();
	v->next_caa = gpa_invalid();
	v->next_sev_features = 0;
}

void vcpu_vmsa_deleted(struct svsm_vcpu *v, gpa_t vmsa)
{
	spin_lock(&v->lock);
	if (gpa_eq(v->next_vmsa, vmsa)) {
		/* Linux: AP_CREATION failed, the new VMSA is dropped. */
		forget_next(v);
	} else if (gpa_eq(v->guest_vmsa, vmsa)) {
		/* The old VMSA is gone: the guest switched (or has none). */
		v->guest_vmsa = v->next_vmsa;
		v->caa = v->next_caa;
		if (!gpa_is_invalid(v->next_vmsa)) {
			v->sev_features = v->next_sev_features;
		}
		forget_next(v);
	}
	spin_unlock(&v->lock);
}

void vcpu_vmsa_switched(struct svsm_vcpu *v)
{
	spin_lock(&v->lock);
	if (!gpa_is_invalid(v->next_vmsa)) {
		v->guest_vmsa = v->next_vmsa;
		v->caa = v->next_caa;
		v->sev_features = v->next_sev_features;
		forget_next(v);
	}
	spin_unlock(&v->lock);
}

void vcpu_set_caa(struct svsm_vcpu *v, gpa_t caa)
{
	spin_lock(&v->lock);
	v->caa = caa;
	spin_unlock(&v->lock);
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

static bool caa_overlaps(gpa_t caa, gpa_t g, uint64_t len)
{
	return !gpa_is_invalid(caa) &&
	       range_overlaps(gpa_val(g), len, gpa_val(caa), PAGE_SIZE);
}

bool vcpu_range_is_vmsa_or_caa(gpa_t g, uint64_t len)
{
	if (vcpu_range_is_vmsa(g, len)) {
		return true;
	}
	for (uint32_t i = 0; i < vcpu_hwm; i++) {
		if (vcpus[i].in_use &&
		    (caa_overlaps(vcpus[i].caa, g, len) ||
		     caa_overlaps(vcpus[i].next_caa, g, len))) {
			return true;
		}
	}
	return false;
}
