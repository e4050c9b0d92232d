// SPDX-License-Identifier: MIT
/* Guest secrets page and first VMSA (src/sev/secrets.c, vmsa_init.c). */
#include "svsm/abi/snp.h"

#include "sev/secrets.h"
#include "sev/vmsa_init.h"
#include "tap.h"

static struct snp_secrets_page psp, guest;
static struct snp_vmsa v;

static bool all(const uint8_t *p, size_t n, uint8_t val)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != val) {
			return false;
		}
	}
	return true;
}

TAP_CASE(secrets_keys_and_svsm_fields)
{
	struct snp_guest_secrets_cfg cfg = {0x8000000, 0x1000000, 0x2000000, 2};

	memset(&psp, 0xab, sizeof(psp));
	psp.version = 3;
	snp_secrets_build_guest(&guest, &psp, &cfg);
	CHECK_EQ(guest.version, 3);
	CHECK_TRUE(all(guest.vmpck[0], 32, 0));
	CHECK_TRUE(all(guest.vmpck[1], 32, 0));
	CHECK_TRUE(all(guest.vmpck[2], 32, 0xab)); /* Linux needs VMPCK2 */
	CHECK_TRUE(all(guest.vmpck[3], 32, 0xab));
	CHECK_EQ(guest.os_msg_seqno[2], 0);
	CHECK_EQ(guest.svsm_base, 0x8000000);
	CHECK_EQ(guest.svsm_size, 0x1000000);
	CHECK_EQ(guest.svsm_caa, 0x2000000);
	CHECK_EQ(guest.svsm_guest_vmpl, 2);
	CHECK_EQ(guest.svsm_max_version, 1);
	CHECK_TRUE(all(guest.gosvw, 16, 0xab));
	/* The PSP page itself is untouched (the SVSM keeps VMPCK0). */
	CHECK_TRUE(all(psp.vmpck[0], 32, 0xab));
}

TAP_CASE(guest_features_filtered)
{
	uint64_t all_status = ~UINT64_C(0);
	uint64_t f = snp_guest_sev_features(all_status);

	CHECK_TRUE(f & SEV_FEAT_SNP_ACTIVE);
	CHECK_EQ(f & (SEV_FEAT_VTOM | SEV_FEAT_REFLECT_VC |
		      SEV_FEAT_RESTRICTED_INJ | SEV_FEAT_ALTERNATE_INJ |
		      SEV_FEAT_VMPL_SSS | SEV_FEAT_VMGEXIT_PARAM |
		      SEV_FEAT_VMSA_REG_PROT | SEV_FEAT_DEBUG_SWAP |
		      SEV_FEAT_SECURE_AVIC | (UINT64_C(1) << 11) |
		      (UINT64_C(1) << 13) | (UINT64_C(1) << 22)),
		 0);
	CHECK_EQ(snp_guest_sev_features(0), SEV_FEAT_SNP_ACTIVE);
	/* SEV_STATUS bit n + 2 is feature n. */
	CHECK_EQ(snp_guest_sev_features(SEV_FEAT_BTB_ISOLATION << 2),
		 SEV_FEAT_SNP_ACTIVE | SEV_FEAT_BTB_ISOLATION);
}

TAP_CASE(vmsa_prot32)
{
	struct guest_vmsa_cfg cfg = {SVSM_PAYLOAD_PROT32, 0x1000000, 1, 0x11000,
				     0x12000};

	memset(&v, 0xcc, sizeof(v));
	CHECK_TRUE(snp_vmsa_init_guest(&v, &cfg));
	CHECK_EQ(v.vmpl, 2);
	CHECK_EQ(v.efer, VMSA_EFER_SVME);
	CHECK_EQ(v.rip, 0x1000000);
	CHECK_EQ(v.cs.attrib, 0xc9b);
	CHECK_EQ(v.cs.limit, 0xffffffff);
	CHECK_EQ(v.ss.selector, 0x10);
	CHECK_EQ(v.cr0, 0x31);
	CHECK_EQ(v.rsi, 0x11000);
	CHECK_EQ(v.rdi, 0x12000);
	CHECK_EQ(v.sev_features, 1);
	CHECK_EQ(v.g_pat, UINT64_C(0x0007040600070406));
	CHECK_EQ(v.xcr0, 1);
	CHECK_EQ(v.guest_exit_code, 0);
	CHECK_EQ(v.rax, 0); /* zeroed first */
}

TAP_CASE(vmsa_reset_and_bad_mode)
{
	struct guest_vmsa_cfg cfg = {SVSM_PAYLOAD_RESET, 0xfffffff0, 1, 0, 0};

	CHECK_TRUE(snp_vmsa_init_guest(&v, &cfg));
	CHECK_EQ(v.rip, 0xfff0);
	CHECK_EQ(v.cs.selector, 0xf000);
	CHECK_EQ(v.cs.base, 0xffff0000);
	CHECK_EQ(v.cr0, 0x60000010);
	CHECK_EQ(v.vmpl, 2);
	cfg.mode = 7;
	CHECK_TRUE(!snp_vmsa_init_guest(&v, &cfg));
	cfg.mode = SVSM_PAYLOAD_PROT32;
	cfg.entry = UINT64_C(1) << 32;
	CHECK_TRUE(!snp_vmsa_init_guest(&v, &cfg));
}

TAP_MAIN(TAP_ENTRY(secrets_keys_and_svsm_fields),
	 TAP_ENTRY(guest_features_filtered), TAP_ENTRY(vmsa_prot32),
	 TAP_ENTRY(vmsa_reset_and_bad_mode))
