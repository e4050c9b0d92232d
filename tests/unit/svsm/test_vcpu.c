// SPDX-License-Identifier: MIT
/*
 * REMAP_CA, CREATE_VCPU, DELETE_VCPU (protocols/core.c, core_vcpu.c).
 */
#include <stddef.h>

#include "svsm_test.h"

#define NEW_VMSA UINT64_C(0x20000)
#define NEW_CAA UINT64_C(0x21000)

/* A VMSA page the guest prepared for the AP (APIC 1). */
static uint64_t create(uint64_t vmsa, uint64_t caa, uint64_t apic)
{
	return core(SVSM_CORE_CREATE_VCPU, vmsa, caa, apic);
}

/* The guest got its normal access back and nothing is registered. */
static bool rolled_back(uint64_t vmsa)
{
	return fake_rmp(vmsa)->perms[G_VMPL] == 0xf && !fake_rmp(vmsa)->vmsa &&
	       vcpu_vmsa_owner(gpa(vmsa)) == NULL &&
	       gpa_is_invalid(ap->guest_vmsa);
}

TAP_CASE(remap_ca)
{
	setup();
	memset(fake_mem(FREE_4K), 0xee, 16);
	CHECK_EQ(core(SVSM_CORE_REMAP_CA, FREE_4K, 0, 0), SVSM_SUCCESS);
	CHECK_EQ(gpa_val(bsp->caa), FREE_4K);
	CHECK_TRUE(all_bytes(FREE_4K, 8, 0));
	CHECK_EQ(*fake_mem(FREE_4K + 8), 0xee);
	/* The old CAA is no longer protected; the new one is. */
	uint64_t e = pv(FREE_4K, SVSM_PV_SIZE_4K, false);
	put_list(BSP_CAA + 8, &e, 1, 1, 0);
	CHECK_EQ(core(SVSM_CORE_PVALIDATE, BSP_CAA + 8, 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
}

TAP_CASE(remap_ca_same_is_noop)
{
	setup();
	*fake_mem(BSP_CAA + 4) = 0x12;
	CHECK_EQ(core(SVSM_CORE_REMAP_CA, BSP_CAA, 0, 0), SVSM_SUCCESS);
	CHECK_EQ(gpa_val(bsp->caa), BSP_CAA);
	CHECK_EQ(*fake_mem(BSP_CAA + 4), 0x12);
}

TAP_CASE(remap_ca_refusals)
{
	setup();
	CHECK_EQ(core(SVSM_CORE_REMAP_CA, FREE_4K + 8, 0, 0),
		 SVSM_ERR_INVALID_PARAMETER);
	CHECK_EQ(core(SVSM_CORE_REMAP_CA, FAKE_SVSM_BASE, 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(core(SVSM_CORE_REMAP_CA, BSP_VMSA, 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(core(SVSM_CORE_REMAP_CA, FAKE_RAM_SIZE, 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(core(SVSM_CORE_REMAP_CA, UINT64_C(0xfffffffffffff000), 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(gpa_val(bsp->caa), BSP_CAA);
}

TAP_CASE(remap_ca_onto_other_vcpus_caa)
{
	setup();
	ap->caa = gpa(AP_CAA);
	CHECK_EQ(core(SVSM_CORE_REMAP_CA, AP_CAA, 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(gpa_val(bsp->caa), BSP_CAA);
}

TAP_CASE(remap_ca_fault)
{
	setup();
	fake_set_fault_page(FREE_4K);
	CHECK_EQ(core(SVSM_CORE_REMAP_CA, FREE_4K, 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(gpa_val(bsp->caa), BSP_CAA);
}

TAP_CASE(create_vcpu)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	fake_set_watch(NEW_VMSA);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1), SVSM_SUCCESS);
	CHECK_TRUE(fake_rmp(NEW_VMSA)->vmsa);
	CHECK_EQ(fake_rmp(NEW_VMSA)->perms[G_VMPL], RMPADJ_READ >> 8);
	CHECK_EQ(gpa_val(ap->guest_vmsa), NEW_VMSA);
	CHECK_EQ(gpa_val(ap->caa), NEW_CAA);
	CHECK_TRUE(vcpu_vmsa_owner(gpa(NEW_VMSA)) == ap);
	/* Revoked BEFORE it was read: no read while a guest could write. */
	CHECK_TRUE(fake_stats.watch_reads >= 3);
	CHECK_EQ(fake_stats.watch_writable_reads, 0);
}

TAP_CASE(create_wrong_vmpl)
{
	setup();
	make_vmsa(NEW_VMSA, 0, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1), SVSM_ERR_INVALID_PARAMETER);
	CHECK_TRUE(rolled_back(NEW_VMSA));
	make_vmsa(NEW_VMSA, 1, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1), SVSM_ERR_INVALID_PARAMETER);
	CHECK_TRUE(rolled_back(NEW_VMSA));
}

TAP_CASE(create_svme_clear)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, 0, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1), SVSM_ERR_INVALID_PARAMETER);
	CHECK_TRUE(rolled_back(NEW_VMSA));
}

TAP_CASE(create_features_differ_from_caller)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME,
		  FEAT_BASE | SEV_FEAT_SECURE_TSC);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1), SVSM_ERR_INVALID_PARAMETER);
	CHECK_TRUE(rolled_back(NEW_VMSA));
}

TAP_CASE(create_forbidden_features)
{
	static const uint64_t bad[] = {
		SEV_FEAT_VTOM,           SEV_FEAT_REFLECT_VC,
		SEV_FEAT_RESTRICTED_INJ, SEV_FEAT_ALTERNATE_INJ,
		SEV_FEAT_VMPL_SSS,       SEV_FEAT_VMGEXIT_PARAM,
		SEV_FEAT_VMSA_REG_PROT,  UINT64_C(1) << 11,
		UINT64_C(1) << 13,       UINT64_C(1) << 16,
		UINT64_C(1) << 63};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		setup();
		/* Even when the caller claims to have the same features. */
		bsp->sev_features = FEAT_BASE | bad[i];
		make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE | bad[i]);
		CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1),
			 SVSM_ERR_INVALID_PARAMETER);
		CHECK_TRUE(rolled_back(NEW_VMSA));
	}
	/* Allowed extras pass when they match the caller's. */
	setup();
	bsp->sev_features = FEAT_BASE | SEV_FEAT_SECURE_TSC | SEV_FEAT_SMT_PROT;
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, bsp->sev_features);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1), SVSM_SUCCESS);
}

TAP_CASE(create_unknown_apic_id)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 7), SVSM_ERR_INVALID_PARAMETER);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, UINT64_C(1) << 32 | 1),
		 SVSM_ERR_INVALID_PARAMETER);
	CHECK_EQ(fake_stats.rmpadjust_calls, 0);
}

TAP_CASE(create_bad_addresses)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA + 8, NEW_CAA, 1), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA + 8, 1), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(create(NEW_VMSA, NEW_VMSA, 1), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(create(FAKE_SVSM_BASE, NEW_CAA, 1), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(create(NEW_VMSA, FAKE_SVSM_BASE, 1), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(create(FAKE_RAM_SIZE, NEW_CAA, 1), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(create(BSP_CAA, NEW_CAA, 1), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(create(NEW_VMSA, BSP_CAA, 1), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(create(NEW_VMSA, BSP_VMSA, 1), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(fake_stats.rmpadjust_calls, 0);
	CHECK_TRUE(gpa_is_invalid(ap->guest_vmsa));
}

TAP_CASE(double_create_same_vmsa)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1), SVSM_SUCCESS);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(create(BSP_VMSA, NEW_CAA + 4096, 1), SVSM_ERR_INVALID_ADDRESS);
	CHECK_TRUE(fake_rmp(NEW_VMSA)->vmsa);
}

/* Linux re-creates an AP: new VMSA, same CAA, then deletes the old. */
TAP_CASE(recreate_then_delete_old)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1), SVSM_SUCCESS);
	make_vmsa(NEW_VMSA + 0x2000, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA + 0x2000, NEW_CAA, 1), SVSM_SUCCESS);
	/* Pending until the old one goes: the AP still runs the old. */
	CHECK_EQ(gpa_val(ap->guest_vmsa), NEW_VMSA);
	CHECK_EQ(gpa_val(ap->next_vmsa), NEW_VMSA + 0x2000);
	CHECK_TRUE(vcpu_vmsa_owner(gpa(NEW_VMSA)) == ap);
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, NEW_VMSA, 0, 0), SVSM_SUCCESS);
	CHECK_EQ(gpa_val(ap->guest_vmsa), NEW_VMSA + 0x2000);
	CHECK_EQ(gpa_val(ap->caa), NEW_CAA);
	CHECK_TRUE(gpa_is_invalid(ap->next_vmsa));
	CHECK_TRUE(gpa_is_invalid(ap->next_caa));
}

/*
 * A vCPU that runs (the BSP, creating a VMSA for itself) keeps serving its
 * current VMSA and CA: the hypervisor enters the old VMSA until the guest
 * sends AP_CREATION, and its calls still arrive through the old CA.
 */
TAP_CASE(create_for_running_vcpu_is_pending)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 0), SVSM_SUCCESS);
	CHECK_EQ(gpa_val(bsp->guest_vmsa), BSP_VMSA);
	CHECK_EQ(gpa_val(bsp->caa), BSP_CAA);
	CHECK_EQ(gpa_val(bsp->next_vmsa), NEW_VMSA);
	CHECK_EQ(gpa_val(bsp->next_caa), NEW_CAA);
	CHECK_TRUE(fake_rmp(NEW_VMSA)->vmsa);
	/* Calls still work through the current CA. */
	CHECK_EQ(core(SVSM_CORE_QUERY_PROTOCOL, SVSM_QUERY_PROTOCOL_ARG(0, 1),
		      0, 0),
		 SVSM_SUCCESS);
	/* The pending CA is protected like a current one... */
	CHECK_EQ(core(SVSM_CORE_REMAP_CA, NEW_CAA, 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
	uint64_t e = pv(NEW_CAA, SVSM_PV_SIZE_4K, false);
	put_list(LIST, &e, 1, 1, 0);
	CHECK_EQ(core(SVSM_CORE_PVALIDATE, LIST, 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
	/* ...and may be reused by the next create for the same vCPU. */
	make_vmsa(NEW_VMSA + 0x2000, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA + 0x2000, NEW_CAA, 0), SVSM_SUCCESS);
	CHECK_EQ(gpa_val(bsp->next_vmsa), NEW_VMSA + 0x2000);
	CHECK_EQ(gpa_val(bsp->guest_vmsa), BSP_VMSA);
	/* The replaced pending VMSA is still a registered VMSA. */
	CHECK_TRUE(vcpu_vmsa_owner(gpa(NEW_VMSA)) == bsp);
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, NEW_VMSA, 0, 0), SVSM_SUCCESS);
	CHECK_EQ(gpa_val(bsp->next_vmsa), NEW_VMSA + 0x2000);
	CHECK_EQ(gpa_val(bsp->guest_vmsa), BSP_VMSA);
}

/* Deleting the pending VMSA (AP_CREATION failed) leaves the vCPU as it was. */
TAP_CASE(delete_pending_keeps_current)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA, BSP_CAA, 0), SVSM_SUCCESS);
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, NEW_VMSA, 0, 0), SVSM_SUCCESS);
	CHECK_EQ(gpa_val(bsp->guest_vmsa), BSP_VMSA);
	CHECK_EQ(gpa_val(bsp->caa), BSP_CAA);
	CHECK_TRUE(gpa_is_invalid(bsp->next_vmsa));
	CHECK_TRUE(gpa_is_invalid(bsp->next_caa));
	CHECK_TRUE(!fake_rmp(NEW_VMSA)->vmsa);
	CHECK_EQ(fake_rmp(NEW_VMSA)->perms[G_VMPL], 0xf);
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, NEW_VMSA, 0, 0),
		 SVSM_ERR_INVALID_PARAMETER);
	/* The CA is still the one calls use, and the page can be reused. */
	CHECK_EQ(core(SVSM_CORE_QUERY_PROTOCOL, SVSM_QUERY_PROTOCOL_ARG(0, 1),
		      0, 0),
		 SVSM_SUCCESS);
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 0), SVSM_SUCCESS);
	CHECK_EQ(gpa_val(bsp->next_vmsa), NEW_VMSA);
	/* The pending CA is free again once its VMSA is deleted. */
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, NEW_VMSA, 0, 0), SVSM_SUCCESS);
	CHECK_EQ(core(SVSM_CORE_REMAP_CA, NEW_CAA, 0, 0), SVSM_SUCCESS);
}

/* The running VMSA cannot be deleted; the pending one stays pending. */
TAP_CASE(delete_running_with_pending_refused)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 0), SVSM_SUCCESS);
	fake_set_vmsa_in_use(true);
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, BSP_VMSA, 0, 0),
		 UINT64_C(0x80001003));
	CHECK_EQ(gpa_val(bsp->guest_vmsa), BSP_VMSA);
	CHECK_EQ(gpa_val(bsp->next_vmsa), NEW_VMSA);
	CHECK_TRUE(fake_rmp(BSP_VMSA)->vmsa);
}

TAP_CASE(create_revoke_failure)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	fake_rmp(NEW_VMSA)->validated = false; /* RMPADJUST fails */
	fake_set_watch(NEW_VMSA);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1), SVSM_ERR_INVALID_ADDRESS);
	CHECK_TRUE(vcpu_vmsa_owner(gpa(NEW_VMSA)) == NULL);
	CHECK_EQ(fake_stats.watch_reads, 0);
}

TAP_CASE(create_fault_reading_vmsa)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	fake_set_fault_page(NEW_VMSA);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1), SVSM_ERR_INVALID_ADDRESS);
	CHECK_TRUE(rolled_back(NEW_VMSA));
}

TAP_CASE(delete_vcpu)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1), SVSM_SUCCESS);
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, NEW_VMSA, 0, 0), SVSM_SUCCESS);
	CHECK_TRUE(!fake_rmp(NEW_VMSA)->vmsa);
	CHECK_EQ(fake_rmp(NEW_VMSA)->perms[G_VMPL], 0xf);
	CHECK_TRUE(gpa_is_invalid(ap->guest_vmsa));
	CHECK_TRUE(gpa_is_invalid(ap->caa));
	CHECK_TRUE(fake_stats.tlb_flushes >= 2);
	/* Double delete. */
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, NEW_VMSA, 0, 0),
		 SVSM_ERR_INVALID_PARAMETER);
	/* Deleted pages are ordinary guest pages again. */
	uint64_t e = pv(NEW_VMSA, SVSM_PV_SIZE_4K, false);
	put_list(LIST, &e, 1, 1, 0);
	CHECK_EQ(core(SVSM_CORE_PVALIDATE, LIST, 0, 0), SVSM_SUCCESS);
}

TAP_CASE(delete_unknown_or_misaligned)
{
	setup();
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, NEW_VMSA, 0, 0),
		 SVSM_ERR_INVALID_PARAMETER);
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, BSP_VMSA + 8, 0, 0),
		 SVSM_ERR_INVALID_PARAMETER);
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, FAKE_SVSM_BASE, 0, 0),
		 SVSM_ERR_INVALID_PARAMETER);
	CHECK_EQ(fake_stats.rmpadjust_calls, 0);
}

TAP_CASE(delete_in_use)
{
	setup();
	fake_set_vmsa_in_use(true);
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, BSP_VMSA, 0, 0),
		 UINT64_C(0x80001003));
	CHECK_TRUE(vcpu_vmsa_owner(gpa(BSP_VMSA)) == bsp);
	CHECK_TRUE(fake_rmp(BSP_VMSA)->vmsa);
}

/* A failed DELETE_VCPU changes nothing: the VMSA stays registered and
 * runnable (EFER.SVME put back; found by fuzz-svsm-dispatch, I3). */
TAP_CASE(delete_rmpadjust_failure_keeps_vmsa)
{
	uint64_t efer = BSP_VMSA + offsetof(struct snp_vmsa, efer);

	setup();
	put64(efer, VMSA_EFER_SVME | 0x500);
	fake_fail_next_rmpadjust(SNP_RC_FAIL_INPUT);
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, BSP_VMSA, 0, 0),
		 UINT64_C(0x80001001));
	CHECK_TRUE(vcpu_vmsa_owner(gpa(BSP_VMSA)) == bsp);
	CHECK_EQ(get64(efer), VMSA_EFER_SVME | 0x500);
}

TAP_CASE(created_vmsa_cannot_be_rescinded)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1), SVSM_SUCCESS);
	uint64_t e[2] = {pv(NEW_VMSA, SVSM_PV_SIZE_4K, false),
			 pv(NEW_CAA, SVSM_PV_SIZE_4K, false)};
	for (int i = 0; i < 2; i++) {
		put_list(LIST, &e[i], 1, 1, 0);
		CHECK_EQ(core(SVSM_CORE_PVALIDATE, LIST, 0, 0),
			 SVSM_ERR_INVALID_ADDRESS);
	}
	CHECK_TRUE(fake_rmp(NEW_VMSA)->validated);
	/* Nor become a CAA. */
	CHECK_EQ(core(SVSM_CORE_REMAP_CA, NEW_VMSA, 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
}

/*
 * Issue 14 finding 7: KVM refuses a 2 MiB-aligned AP VMSA (SNP erratum: a
 * huge page colliding with the VMSA's RMP entry raises a bogus RMP #PF;
 * KVM: arch/x86/kvm/svm/sev.c, sev_snp_ap_creation), so a VMSA the SVSM
 * accepted there could never run.
 */
TAP_CASE(create_2m_aligned_vmsa_refused)
{
	setup();
	make_vmsa(UINT64_C(0x200000), G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(UINT64_C(0x200000), NEW_CAA, 1),
		 SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(fake_stats.rmpadjust_calls, 0);
	CHECK_TRUE(vcpu_vmsa_owner(gpa(UINT64_C(0x200000))) == NULL);
}

/* A calling area at GPA 0 is "none" to Linux (docs/abi.md §3.1, §3.3). */
TAP_CASE(remap_ca_to_gpa0_refused)
{
	setup();
	CHECK_EQ(core(SVSM_CORE_REMAP_CA, 0, 0, 0), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(gpa_val(bsp->caa), BSP_CAA);
}

TAP_CASE(create_caa_at_gpa0_refused)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA, 0, 1), SVSM_ERR_INVALID_ADDRESS);
	CHECK_EQ(fake_stats.rmpadjust_calls, 0);
	CHECK_TRUE(gpa_is_invalid(ap->guest_vmsa));
}

/*
 * A calling area the SVSM cannot read (shared, or unvalidated: the
 * guarded copy faults) is refused before anything changes.
 */
TAP_CASE(create_caa_unreadable_refused)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	fake_set_fault_page(NEW_CAA);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1), SVSM_ERR_INVALID_ADDRESS);
	CHECK_TRUE(rolled_back(NEW_VMSA));
	CHECK_EQ(fake_stats.rmpadjust_calls, 0);
}

/*
 * Finding 6: DELETE_VCPU stops the VMSA through the guarded path; a VMSA
 * page converted behind the SVSM's back (the copy faults) is an error,
 * and the VMSA stays registered and protected.
 */
TAP_CASE(delete_vmsa_fault_is_an_error)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1), SVSM_SUCCESS);
	fake_set_fault_page(NEW_VMSA);
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, NEW_VMSA, 0, 0),
		 SVSM_ERR_INVALID_ADDRESS);
	CHECK_TRUE(vcpu_vmsa_owner(gpa(NEW_VMSA)) == ap);
	CHECK_TRUE(fake_rmp(NEW_VMSA)->vmsa);
	fake_set_fault_page(UINT64_MAX);
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, NEW_VMSA, 0, 0), SVSM_SUCCESS);
}

/* DELETE_VCPU clears EFER.SVME in the VMSA it stops. */
TAP_CASE(delete_clears_svme)
{
	setup();
	make_vmsa(NEW_VMSA, G_VMPL, VMSA_EFER_SVME | 0x500, FEAT_BASE);
	CHECK_EQ(create(NEW_VMSA, NEW_CAA, 1), SVSM_SUCCESS);
	CHECK_EQ(core(SVSM_CORE_DELETE_VCPU, NEW_VMSA, 0, 0), SVSM_SUCCESS);
	CHECK_EQ(get64(NEW_VMSA + offsetof(struct snp_vmsa, efer)), 0x500);
}

TAP_MAIN(TAP_ENTRY(remap_ca), TAP_ENTRY(remap_ca_same_is_noop),
	 TAP_ENTRY(remap_ca_refusals), TAP_ENTRY(remap_ca_onto_other_vcpus_caa),
	 TAP_ENTRY(remap_ca_fault), TAP_ENTRY(create_vcpu),
	 TAP_ENTRY(create_2m_aligned_vmsa_refused),
	 TAP_ENTRY(create_caa_at_gpa0_refused),
	 TAP_ENTRY(remap_ca_to_gpa0_refused),
	 TAP_ENTRY(create_caa_unreadable_refused),
	 TAP_ENTRY(delete_vmsa_fault_is_an_error),
	 TAP_ENTRY(delete_clears_svme), TAP_ENTRY(create_wrong_vmpl),
	 TAP_ENTRY(create_svme_clear),
	 TAP_ENTRY(create_features_differ_from_caller),
	 TAP_ENTRY(create_forbidden_features),
	 TAP_ENTRY(create_unknown_apic_id), TAP_ENTRY(create_bad_addresses),
	 TAP_ENTRY(double_create_same_vmsa),
	 TAP_ENTRY(recreate_then_delete_old),
	 TAP_ENTRY(create_for_running_vcpu_is_pending),
	 TAP_ENTRY(delete_pending_keeps_current),
	 TAP_ENTRY(delete_running_with_pending_refused),
	 TAP_ENTRY(create_revoke_failure), TAP_ENTRY(create_fault_reading_vmsa),
	 TAP_ENTRY(delete_vcpu), TAP_ENTRY(delete_unknown_or_misaligned),
	 TAP_ENTRY(delete_in_use),
	 TAP_ENTRY(delete_rmpadjust_failure_keeps_vmsa),
	 TAP_ENTRY(created_vmsa_cannot_be_rescinded))
