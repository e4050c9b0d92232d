// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the VMSA checks of CREATE_VCPU
 * (protocols/core_vcpu.c; docs/abi.md §3.3, §8.3): the guest writes a
 * whole VMSA page from the raw input, then asks for it to become a vCPU's
 * VMSA, with a CAA and an APIC ID chosen by the input; sometimes it
 * deletes it again or tries a second creation.
 *
 * Besides the invariants of every call (fuzz_invariants.c: I1 codes, I3
 * VMSAs never guest-writable and unchanged by later calls, I4 CAAs), a
 * SUCCESS must mean the page passed the checks docs/abi.md §3.3 lists:
 *  V1 VMPL field = the target's VMPL, EFER.SVME set, SEV_FEATURES equal to
 *     the caller's and only features a VMPL2 guest may have (§8.3), the
 *     page is a VMSA page in the RMP and the guest can no longer write it;
 *  V2 the VMSA and CAA are page aligned and distinct, the VMSA is not
 *     2 MiB aligned (KVM refuses such an AP VMSA), the CAA is guest RAM
 *     outside SVSM memory and not GPA 0 (docs/abi.md §3.1, §3.3).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "svsm/abi/svsm_call.h"
#include "svsm/abi/vmsa.h"

#include "../fuzz_check.h"
#include "fakes/fake_platform.h"
#include "fuzz_input.h"
#include "fuzz_svsm.h"

/* docs/abi.md §8.3: the SEV features a VMPL2 guest's VMSA may carry. */
#define ALLOWED_FEATURES                                               \
	(SEV_FEAT_SNP_ACTIVE | SEV_FEAT_DEBUG_SWAP |                   \
	 SEV_FEAT_PREVENT_HOST_IBS | SEV_FEAT_BTB_ISOLATION |          \
	 SEV_FEAT_SECURE_TSC | SEV_FEAT_IBS_VIRT | SEV_FEAT_SMT_PROT | \
	 SEV_FEAT_IBPB_ON_ENTRY)

/* A page for the VMSA or the CAA: ordinary, 2 MiB aligned, or special. */
static uint64_t page(struct fuzz_in *in)
{
	uint8_t sel = u8(in);
	struct svsm_vcpu *v =
		vcpu_by_apic_id((uint32_t)(sel >> 5) % fz.vcpu_count);

	switch (sel & 7) {
	case 0:
		return gpa_val(v->caa);
	case 1:
		return gpa_val(v->guest_vmsa);
	case 2:
		return FUZZ_SCRATCH; /* 2 MiB aligned */
	case 3:
		return FAKE_SVSM_BASE + PAGE_SIZE * (sel >> 3);
	case 4:
		return FUZZ_UNVAL + PAGE_SIZE * (sel >> 3);
	case 5:
		return u64(in);
	default:
		return FUZZ_FREE + PAGE_SIZE * (sel >> 3);
	}
}

static void check_created(const struct fuzz_call *c)
{
	uint64_t g = c->rcx;
	struct snp_vmsa v;
	struct fake_rmp *e = fake_rmp(g);
	struct svsm_vcpu *t = vcpu_by_apic_id((uint32_t)c->r8);

	if ((g & ~PAGE_MASK) || (c->rdx & ~PAGE_MASK) || g == c->rdx ||
	    (g & ((UINT64_C(1) << 21) - 1)) == 0 || c->rdx == 0 ||
	    g >= FAKE_RAM_SIZE || c->rdx >= FAKE_RAM_SIZE ||
	    (c->rdx >= FAKE_SVSM_BASE &&
	     c->rdx < FAKE_SVSM_BASE + FAKE_SVSM_SIZE) ||
	    t == NULL) {
		FAIL("V2: CREATE_VCPU(%#llx, %#llx, %#llx) succeeded",
		     (unsigned long long)g, (unsigned long long)c->rdx,
		     (unsigned long long)c->r8);
	}
	memcpy(&v, fake_mem(g), sizeof(v));
	if (v.vmpl != t->guest_vmpl || !(v.efer & VMSA_EFER_SVME) ||
	    v.sev_features != c->caller->sev_features ||
	    (v.sev_features & ~ALLOWED_FEATURES) || !e->vmsa ||
	    fuzz_guest_can_write(g)) {
		FAIL("V1: VMSA %#llx accepted: vmpl %u efer %#llx features "
		     "%#llx",
		     (unsigned long long)g, v.vmpl, (unsigned long long)v.efer,
		     (unsigned long long)v.sev_features);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	uint8_t cfg = u8(&in);
	uint8_t flags = 0, apic = 0;
	uint64_t vmsa = 0;
	uint16_t len = 0;
	struct fuzz_call c;
	uint8_t buf[PAGE_SIZE];

	fuzz_setup(cfg, u8(&in));
	flags = u8(&in);
	apic = u8(&in);
	memset(&c, 0, sizeof(c));
	c.caller = vcpu_by_apic_id(flags % fz.vcpu_count);
	c.rcx = vmsa = page(&in);
	c.rdx = page(&in);
	c.r8 = apic < 0xf0 ? apic % 5u : u64(&in);
	if (flags & 0x80) {
		c.rcx |= u8(&in) & 0xff8; /* misaligned */
	}
	/* The rest of the input is the VMSA page, over a zeroed page. */
	len = (uint16_t)(in.n < PAGE_SIZE ? in.n : PAGE_SIZE);
	memset(buf, 0, sizeof(buf));
	memcpy(buf, in.p, len);
	if (vmsa < FAKE_RAM_SIZE && !(vmsa & ~PAGE_MASK)) {
		fuzz_guest_write(vmsa, buf, PAGE_SIZE);
	}
	fuzz_note_candidate(c.rcx & PAGE_MASK);
	if (flags & 0x40) {
		fake_set_mutation(vmsa + offsetof(struct snp_vmsa, vmpl), 0);
		fz.mutation = vmsa + offsetof(struct snp_vmsa, vmpl);
	}
	c.call_id = SVSM_CORE_CREATE_VCPU;
	if (fuzz_call(&c) == SVSM_SUCCESS) {
		check_created(&c);
	}
	if ((flags & 0x30) == 0x10) {
		c.call_id = SVSM_CORE_DELETE_VCPU;
		fuzz_call(&c);
	} else if ((flags & 0x30) == 0x20) {
		c.rdx = page(&in);
		if (fuzz_call(&c) == SVSM_SUCCESS) {
			check_created(&c);
		}
	}
	return 0;
}
