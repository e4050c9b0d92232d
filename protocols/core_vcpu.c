// SPDX-License-Identifier: MIT
/*
 * SVSM_CORE_CREATE_VCPU and SVSM_CORE_DELETE_VCPU (SVSM spec §7.3, §7.4;
 * docs/abi.md §3.3, §3.4, §8.3, §11.10–11).
 */
#include <stddef.h>

#include "svsm/guest_mem.h"
#include "svsm/platform.h"
#include "svsm/vcpu.h"

#include "svsm/abi/snp.h"
#include "svsm/abi/vmsa.h"

#include "core_private.h"

/* DELETE_VCPU of a VMSA that is running ([A]: FAIL_INUSE). */
#define VCPU_DETAIL_INUSE SNP_RC_FAIL_INUSE

/*
 * SEV features a guest VMSA may carry: the ones Linux at VMPL2 accepts
 * (docs/abi.md §8.3). Everything else either makes Linux refuse to boot,
 * changes how the SVSM must treat the VMSA (VmsaRegProt scrambles it,
 * Restricted/Alternate injection need the APIC protocol), or is reserved.
 */
#define SEV_FEAT_ALLOWED                                               \
	(SEV_FEAT_SNP_ACTIVE | SEV_FEAT_DEBUG_SWAP |                   \
	 SEV_FEAT_PREVENT_HOST_IBS | SEV_FEAT_BTB_ISOLATION |          \
	 SEV_FEAT_SECURE_TSC | SEV_FEAT_IBS_VIRT | SEV_FEAT_SMT_PROT | \
	 SEV_FEAT_IBPB_ON_ENTRY)

/* The three VMSA fields CREATE_VCPU checks, each read once. */
struct vmsa_fields {
	uint8_t vmpl;
	uint64_t efer;
	uint64_t sev_features;
};

static svsm_err_t read_vmsa_fields(gpa_t vmsa, struct vmsa_fields *f)
{
	svsm_err_t err = SVSM_OK;

	err = guest_mem_read_obj(
		&f->vmpl, gpa(gpa_val(vmsa) + offsetof(struct snp_vmsa, vmpl)));
	if (err == SVSM_OK) {
		err = guest_mem_read_obj(
			&f->efer,
			gpa(gpa_val(vmsa) + offsetof(struct snp_vmsa, efer)));
	}
	if (err == SVSM_OK) {
		err = guest_mem_read_obj(
			&f->sev_features,
			gpa(gpa_val(vmsa) +
			    offsetof(struct snp_vmsa, sev_features)));
	}
	return err;
}

/*
 * The CAA may be the target vCPU's current or pending one (Linux re-creates
 * APs with the same CA). It must be usable once that vCPU runs (issue 14
 * finding 7): not at GPA 0, which Linux reads as "no calling area"
 * (docs/abi.md §3.3), and readable now - a shared or unvalidated page
 * faults in the guarded read (a private access to a shared page is
 * converted by the host and faults, docs/snpemu.md S7), and is refused
 * before anything changes.
 */
static svsm_err_t check_new_caa(gpa_t caa, const struct svsm_vcpu *target)
{
	uint64_t head = 0;
	svsm_err_t err = SVSM_OK;

	if (gpa_val(caa) == 0) {
		return SVSM_E_ADDR;
	}
	if (gpa_eq(caa, target->caa) || gpa_eq(caa, target->next_caa)) {
		err = guest_mem_check(caa, PAGE_SIZE);
	} else {
		err = guest_mem_check_page(caa, PAGE_SIZE);
	}
	if (err == SVSM_OK) {
		err = guest_mem_read_obj(&head, caa);
	}
	return err;
}

/* Undo the revoke of a VMSA candidate and forget it. */
static void create_rollback(gpa_t vmsa, uint8_t guest_vmpl)
{
	(void)guest_mem_grant(vmsa, SNP_PAGE_SIZE_4K, guest_vmpl);
	plat_tlb_flush_all();
	(void)vcpu_vmsa_unregister(vmsa);
}

svsm_err_t core_create_vcpu(struct svsm_req *req)
{
	gpa_t vmsa = gpa(req->rcx);
	gpa_t caa = gpa(req->rdx);
	struct svsm_vcpu *target = NULL;
	struct vmsa_fields f = {0, 0, 0};
	uint8_t vmpl = req->caller->guest_vmpl;
	svsm_err_t err = SVSM_OK;
	enum snp_rc rc = SNP_RC_SUCCESS;
	uint64_t old_code = 0;

	/* Step 1: addresses (docs/abi.md §3.3; [C] answers INVALID_ADDRESS). */
	if (!IS_ALIGNED(req->rcx, PAGE_SIZE) ||
	    !IS_ALIGNED(req->rdx, PAGE_SIZE) || gpa_eq(vmsa, caa)) {
		return SVSM_E_ADDR;
	}
	/*
	 * KVM refuses a 2 MiB-aligned AP VMSA (an SNP erratum raises a bogus
	 * RMP #PF when a huge page collides with the VMSA's RMP entry; KVM:
	 * arch/x86/kvm/svm/sev.c, sev_snp_ap_creation): a VMSA accepted
	 * there could never run (issue 14 finding 7).
	 */
	if (IS_ALIGNED(req->rcx, PAGE_SIZE_2M)) {
		return SVSM_E_ADDR;
	}
	/* R8[63:32] is reserved: the APIC ID is 32 bits (G8). */
	if ((req->r8 >> 32) != 0) {
		return SVSM_E_INVAL;
	}
	/* Step 2: the APIC ID must name a vCPU the SVSM runs. */
	target = vcpu_by_apic_id((uint32_t)req->r8);
	if (target == NULL) {
		return SVSM_E_INVAL;
	}
	err = guest_mem_check_page(vmsa, PAGE_SIZE);
	if (err == SVSM_OK) {
		err = check_new_caa(caa, target);
	}
	if (err != SVSM_OK) {
		return err;
	}
	/* Registered now, so no other call can use the page meanwhile. */
	err = vcpu_vmsa_register(vmsa, target);
	if (err != SVSM_OK) {
		return err;
	}
	/*
	 * Step 3: revoke the guest's access BEFORE reading the VMSA. Checked
	 * while still writable, a guest vCPU could flip `vmpl` to 0 between
	 * the check and the RMPADJUST and get a VMPL0 vCPU (TOCTOU).
	 */
	rc = guest_mem_revoke(vmsa, SNP_PAGE_SIZE_4K);
	plat_tlb_flush_all();
	if (rc != SNP_RC_SUCCESS) {
		create_rollback(vmsa, vmpl);
		return SVSM_E_ADDR;
	}
	/* Step 4: the contents, now stable (docs/abi.md §3.3, §8.3). */
	err = read_vmsa_fields(vmsa, &f);
	if (err == SVSM_OK &&
	    (f.vmpl != target->guest_vmpl || (f.efer & VMSA_EFER_SVME) == 0 ||
	     f.sev_features != req->caller->sev_features ||
	     (f.sev_features & ~SEV_FEAT_ALLOWED) != 0)) {
		err = SVSM_E_INVAL;
	}
	if (err != SVSM_OK) {
		create_rollback(vmsa, vmpl);
		return err;
	}
	/* Step 5: make it a VMSA; the guest keeps read access only. */
	rc = plat_rmpadjust(vmsa, SNP_PAGE_SIZE_4K,
			    target->guest_vmpl | RMPADJ_READ | RMPADJ_VMSA);
	if (rc != SNP_RC_SUCCESS) {
		create_rollback(vmsa, vmpl);
		req->proto_detail = (uint32_t)rc;
		return SVSM_E_PROTO;
	}
	/*
	 * GUEST_EXIT_CODE to 0 now that the guest can only read the page:
	 * from here on only the CPU writes it, so a vCPU's SVSM context sees
	 * a non-zero code there as proof that the hypervisor ran this VMSA
	 * after the guest's AP_CREATION, and switches to it if it was
	 * pending (svsm_vcpu_follow; docs/abi.md §3.3). Written last, so a
	 * call failing before leaves the page as it was.
	 */
	err = guest_mem_vmsa_exit_code(vmsa, true, &old_code);
	if (err != SVSM_OK) {
		create_rollback(vmsa, vmpl);
		return err;
	}
	/*
	 * Step 6: the vCPU's new state. A vCPU that runs keeps its current
	 * VMSA and CA (the hypervisor still enters them; the guest switches
	 * with AP_CREATION); an older VMSA stays registered.
	 */
	vcpu_vmsa_created(target, vmsa, caa, f.sev_features);
	return SVSM_OK;
}

svsm_err_t core_delete_vcpu(struct svsm_req *req)
{
	gpa_t vmsa = gpa(req->rcx);
	struct svsm_vcpu *owner = NULL;
	enum snp_rc rc = SNP_RC_SUCCESS;
	svsm_err_t err = SVSM_OK;
	bool was_on = false;

	if (!IS_ALIGNED(req->rcx, PAGE_SIZE)) {
		return SVSM_E_INVAL;
	}
	owner = vcpu_vmsa_owner(vmsa);
	if (owner == NULL) {
		return SVSM_E_INVAL;
	}
	/* A VMSA that is executing must not change under the CPU. */
	if (plat_vmsa_in_use(vmsa)) {
		req->proto_detail = VCPU_DETAIL_INUSE;
		return SVSM_E_PROTO;
	}
	/*
	 * Guarded (issue 14 finding 6): the guest may have had the page
	 * converted behind the SVSM's back; then it stays registered (and so
	 * refused to every other call) and the guest gets INVALID_ADDRESS.
	 */
	err = guest_mem_vmsa_svme(vmsa, false, &was_on);
	if (err != SVSM_OK) {
		return err;
	}
	/* Clear the VMSA bit and give the guest RWX back. */
	rc = guest_mem_grant(vmsa, SNP_PAGE_SIZE_4K, owner->guest_vmpl);
	plat_tlb_flush_all();
	if (rc != SNP_RC_SUCCESS) {
		/*
		 * Still a VMSA: keep it registered so it stays protected, and
		 * as it was, so a failed call changes nothing (found by
		 * fuzz-svsm-dispatch's invariant I3). The page was readable a
		 * moment ago; if it no longer is, the vCPU stays stopped.
		 */
		if (was_on) {
			err = guest_mem_vmsa_svme(vmsa, true, &was_on);
		}
		req->proto_detail = (uint32_t)rc;
		return SVSM_E_PROTO;
	}
	(void)vcpu_vmsa_unregister(vmsa);
	vcpu_vmsa_deleted(owner, vmsa);
	return SVSM_OK;
}
