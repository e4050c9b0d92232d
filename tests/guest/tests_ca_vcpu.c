// SPDX-License-Identifier: MIT
/*
 * REMAP_CA round trips; CREATE_VCPU, DELETE_VCPU and DEPOSIT_MEM error
 * paths (docs/abi.md §3.1, §3.3–§3.5, §8.3, §11 items 10–12). The successful
 * CREATE/DELETE and DEPOSIT/WITHDRAW round trips are in tests_lifecycle.c.
 */
#include "arch/vmsa_reset.h"

#include "lib/string.h"

#include "svsm/abi/snp.h"
#include "svsm/abi/vmsa.h"

#include "guest.h"

#define CORE(id) SVSM_CALL(SVSM_PROTO_CORE, (id))

static uint8_t new_ca[4096] __attribute__((aligned(4096)));
static struct snp_vmsa vmsa_page __attribute__((aligned(4096)));
static uint8_t ca2[4096] __attribute__((aligned(4096)));

static uint64_t remap(uint64_t gpa)
{
	return gcall3(CORE(SVSM_CORE_REMAP_CA), gpa, 0, 0);
}

/* A VMSA the SVSM would accept but for the one field each case breaks. */
static void good_vmsa(void)
{
	vmsa_reset_state(&vmsa_page, 2, SEV_FEAT_SNP_ACTIVE);
}

static uint64_t create(uint64_t vmsa, uint64_t ca, uint64_t apic)
{
	return gcall3(CORE(SVSM_CORE_CREATE_VCPU), vmsa, ca, apic);
}

TEST(ca_vcpu, remap_ca)
{
	uint64_t old = (uint64_t)(uintptr_t)g.caa;

	EXPECT_RAX(remap(old + 8), SVSM_ERR_INVALID_PARAMETER,
		   "remap_ca: misaligned");
	HOSTILE_RAX(HP_CORE, remap(g.svsm_base), SVSM_ERR_INVALID_ADDRESS,
		    "remap_ca: SVSM memory");
	HOSTILE_RAX(HP_CORE, remap(g.svsm_base + g.svsm_size - 4096),
		    SVSM_ERR_INVALID_ADDRESS, "remap_ca: last SVSM page");
	HOSTILE_RAX(HP_CORE, remap(UINT64_C(1) << 46), SVSM_ERR_INVALID_ADDRESS,
		    "remap_ca: not guest RAM");
	HOSTILE_RAX(HP_CORE, remap(UINT64_MAX & ~UINT64_C(0xfff)),
		    SVSM_ERR_INVALID_ADDRESS,
		    "remap_ca: top of the address space");
	EXPECT_RAX(remap(old), SVSM_SUCCESS, "remap_ca: same CA");
	EXPECT_RAX(remap((uint64_t)(uintptr_t)new_ca), SVSM_SUCCESS,
		   "remap_ca: to a new page");
	/* call_pending was in the OLD CA (docs/abi.md §3.1); now use the new.
	 */
	g.caa = (struct svsm_caa *)(void *)new_ca;
	EXPECT_RAX(gcall3(CORE(SVSM_CORE_QUERY_PROTOCOL),
			  SVSM_QUERY_PROTOCOL_ARG(0, 1), 0, 0),
		   SVSM_SUCCESS, "remap_ca: calls work through the new CA");
	EXPECT_RAX(remap(old), SVSM_SUCCESS, "remap_ca: back to the boot CA");
	g.caa = (struct svsm_caa *)(uintptr_t)old;
}

TEST(ca_vcpu, create_vcpu_refused)
{
	uint64_t old = (uint64_t)(uintptr_t)g.caa;
	uint64_t v = (uint64_t)(uintptr_t)&vmsa_page;
	uint64_t c2 = (uint64_t)(uintptr_t)ca2;

	good_vmsa();
	EXPECT_RAX(create(v + 8, c2, 0), SVSM_ERR_INVALID_ADDRESS,
		   "create_vcpu: misaligned VMSA");
	HOSTILE_RAX(HP_CORE, create(v, c2 + 8, 0), SVSM_ERR_INVALID_ADDRESS,
		    "create_vcpu: misaligned CA");
	HOSTILE_RAX(HP_CORE, create(g.svsm_base, c2, 0),
		    SVSM_ERR_INVALID_ADDRESS,
		    "create_vcpu: VMSA in SVSM memory");
	HOSTILE_RAX(HP_CORE, create(v, g.svsm_base, 0),
		    SVSM_ERR_INVALID_ADDRESS, "create_vcpu: CA in SVSM memory");
	HOSTILE_RAX(HP_CORE, create(v, v, 0), SVSM_ERR_INVALID_ADDRESS,
		    "create_vcpu: VMSA == CA");
	HOSTILE_RAX(HP_CORE, create(old, c2, 0), SVSM_ERR_INVALID_ADDRESS,
		    "create_vcpu: VMSA on the current CA");
	EXPECT_RAX(create(v, c2, 0x7777), SVSM_ERR_INVALID_PARAMETER,
		   "create_vcpu: unknown APIC ID");
	vmsa_page.vmpl = 0;
	EXPECT_RAX(create(v, c2, 0), SVSM_ERR_INVALID_PARAMETER,
		   "create_vcpu: VMSA for VMPL0");
	vmsa_page.vmpl = 1;
	EXPECT_RAX(create(v, c2, 0), SVSM_ERR_INVALID_PARAMETER,
		   "create_vcpu: VMSA for VMPL1");
	good_vmsa();
	vmsa_page.efer = 0;
	EXPECT_RAX(create(v, c2, 0), SVSM_ERR_INVALID_PARAMETER,
		   "create_vcpu: EFER.SVME clear");
	good_vmsa();
	vmsa_page.sev_features |= SEV_FEAT_VTOM;
	EXPECT_RAX(create(v, c2, 0), SVSM_ERR_INVALID_PARAMETER,
		   "create_vcpu: vTOM feature");
	good_vmsa();
	vmsa_page.sev_features |= SEV_FEAT_RESTRICTED_INJ;
	EXPECT_RAX(create(v, c2, 0), SVSM_ERR_INVALID_PARAMETER,
		   "create_vcpu: restricted injection");
	good_vmsa();
	vmsa_page.sev_features |= SEV_FEAT_VMSA_REG_PROT;
	EXPECT_RAX(create(v, c2, 0), SVSM_ERR_INVALID_PARAMETER,
		   "create_vcpu: VMSA register protection");
	/* The refused page must still be ordinary guest memory. */
	vmsa_page.rip = 0x2000;
	EXPECT_MSG(vmsa_page.rip == 0x2000,
		   "create_vcpu: refused page writable");
}

TEST(ca_vcpu, delete_vcpu_refused)
{
	uint64_t v = (uint64_t)(uintptr_t)&vmsa_page;

	EXPECT_RAX(gcall3(CORE(SVSM_CORE_DELETE_VCPU), v, 0, 0),
		   SVSM_ERR_INVALID_PARAMETER,
		   "delete_vcpu: not a registered VMSA");
	EXPECT_RAX(gcall3(CORE(SVSM_CORE_DELETE_VCPU), v + 8, 0, 0),
		   SVSM_ERR_INVALID_PARAMETER, "delete_vcpu: misaligned");
	EXPECT_MSG(gcall3(CORE(SVSM_CORE_DELETE_VCPU), g.svsm_base, 0, 0) !=
			   SVSM_SUCCESS,
		   "delete_vcpu: SVSM memory");
}

TEST(ca_vcpu, deposit_mem_refused)
{
	uint64_t old = (uint64_t)(uintptr_t)g.caa;
	uint64_t c2 = (uint64_t)(uintptr_t)ca2;

	EXPECT_MSG(gcall3(CORE(SVSM_CORE_DEPOSIT_MEM), g.svsm_base, 0, 0) !=
			   SVSM_SUCCESS,
		   "deposit_mem: SVSM memory refused");
	EXPECT_MSG(
		gcall3(CORE(SVSM_CORE_DEPOSIT_MEM), old, 0, 0) != SVSM_SUCCESS,
		"deposit_mem: calling area refused");
	EXPECT_MSG(gcall3(CORE(SVSM_CORE_DEPOSIT_MEM), c2 + 1, 0, 0) !=
			   SVSM_SUCCESS,
		   "deposit_mem: misaligned refused");
}
