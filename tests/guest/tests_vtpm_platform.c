// SPDX-License-Identifier: MIT
/*
 * The vTPM's platform hierarchy is the SVSM's (docs/abi.md §5.3):
 * disabled after TPM2_Startup, so a guest cannot use platform
 * authorization, whose value a fresh TPM leaves empty. A hostile guest tries
 * the commands that need it; each must fail with the exact TPM response
 * code (inside a successful VTPM_CMD), and afterwards, and after a TPM2_Clear
 * with lockout authorization (allowed: it does not touch the endorsement
 * seed), the keys TPM2_CreatePrimary derives from the endorsement seed must
 * still be the EKs of the attestation manifest. Runs after the attestation
 * cases (link order), so the manifest's EKs were made before.
 */
#include "lib/console.h"
#include "lib/string.h"

#include "guest.h"

#define CC_CHANGE_EPS 0x11cu
#define CC_HIERARCHY_CONTROL 0x121u
#define CC_CLEAR 0x126u
#define CC_HIERARCHY_CHANGE_AUTH 0x129u
#define CC_NV_DEFINE_SPACE 0x12au
#define CC_GET_CAPABILITY 0x17au
#define RH_LOCKOUT 0x4000000au
#define RH_PLATFORM 0x4000000cu
/* TPM_RC_HIERARCHY | TPM_RC_H | TPM_RC_1: the hierarchy of handle 1 is
 * disabled (TPM 2.0 Part 2, TPM_RC). */
#define RC_HIERARCHY_H1 0x185u
/* TPM_RC_COMMAND_CODE: libtpms 0.9 implements no TPM2_ChangeEPS. */
#define RC_COMMAND_CODE 0x143u

static uint8_t cmd[64];

static void put(uint8_t **p, uint32_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		(*p)[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	}
	*p += n;
}

/* @cc with the one handle @auth, an empty password session and @plen bytes
 * of @params; returns the TPM response code, UINT32_MAX if the call failed. */
static uint32_t auth_cmd(uint32_t cc, uint32_t auth, const uint8_t *params,
			 uint32_t plen)
{
	uint8_t *p = cmd + 2;
	uint32_t n = 10 + 4 + 4 + 9 + plen, rc = 0;

	cmd[0] = 0x80; /* TPM_ST_SESSIONS */
	cmd[1] = 0x02;
	put(&p, n, 4);
	put(&p, cc, 4);
	put(&p, auth, 4);
	put(&p, 9, 4);           /* authorization area size */
	put(&p, 0x40000009u, 4); /* TPM_RS_PW */
	put(&p, 0, 2);           /* nonce */
	put(&p, 0, 1);           /* attributes */
	put(&p, 0, 2);           /* hmac: the empty auth value */
	memcpy(p, params, plen);
	return guest_vtpm_send(cmd, n, &rc, NULL) ? rc : UINT32_MAX;
}

TEST(vtpm, platform_hierarchy_disabled)
{
	/* GetCapability(TPM_PROPERTIES, TPM_PT_STARTUP_CLEAR, 1) */
	static const uint8_t cap[] = {0x80, 0x01, 0, 0, 0, 22, 0, 0,
				      1,    0x7a, 0, 0, 0, 6,  0, 0,
				      2,    1,    0, 0, 0, 1};
	static const uint8_t enable_ph[5] = {0x40, 0, 0, 0x0c, 1}; /* PH, YES */
	static const uint8_t disable_eh[5] = {0x40, 0, 0, 0x0b, 0};
	static const uint8_t empty_auth[2] = {0, 0};
	/* NV_DefineSpace: auth (empty), then the first bytes of a public
	 * area; the handle's hierarchy is checked before the parameters. */
	static const uint8_t nv[6] = {0, 0, 0, 4, 0x01, 0xc0};
	static const uint8_t none[1] = {0};
	const uint8_t *r = NULL;
	uint32_t rc = 0;

	/* header 10 | moreData 1 | capability 4 | count 4 | property 4 |
	 * value 4, of which bit 0 is phEnable, 1 shEnable, 2 ehEnable */
	EXPECT_MSG(guest_vtpm_send(cap, sizeof(cap), &rc, &r) && rc == 0 &&
			   r[2] == 0 && r[3] == 0 && r[4] == 0 && r[5] == 27 &&
			   r[21] == 2 && r[22] == 1 && (r[26] & 7) == 6,
		   "vtpm: TPMA_STARTUP_CLEAR: phEnable clear, shEnable and "
		   "ehEnable set");
	hostile_checks[HP_VTPM] += 7; /* the exact response codes below */
	EXPECT_MSG(auth_cmd(CC_CHANGE_EPS, RH_PLATFORM, none, 0) ==
			   RC_COMMAND_CODE,
		   "vtpm: TPM2_ChangeEPS: TPM_RC_COMMAND_CODE (not in libtpms "
		   "0.9)");
	EXPECT_MSG(auth_cmd(CC_HIERARCHY_CONTROL, RH_PLATFORM, enable_ph,
			    sizeof(enable_ph)) == RC_HIERARCHY_H1,
		   "vtpm: HierarchyControl(platform, YES): TPM_RC_HIERARCHY");
	EXPECT_MSG(auth_cmd(CC_HIERARCHY_CONTROL, RH_PLATFORM, disable_eh,
			    sizeof(disable_eh)) == RC_HIERARCHY_H1,
		   "vtpm: HierarchyControl(platform auth, endorsement NO): "
		   "TPM_RC_HIERARCHY");
	EXPECT_MSG(auth_cmd(CC_HIERARCHY_CHANGE_AUTH, RH_PLATFORM, empty_auth,
			    sizeof(empty_auth)) == RC_HIERARCHY_H1,
		   "vtpm: HierarchyChangeAuth(platform): TPM_RC_HIERARCHY");
	EXPECT_MSG(auth_cmd(CC_CLEAR, RH_PLATFORM, none, 0) == RC_HIERARCHY_H1,
		   "vtpm: Clear(platform): TPM_RC_HIERARCHY");
	EXPECT_MSG(auth_cmd(CC_NV_DEFINE_SPACE, RH_PLATFORM, nv, sizeof(nv)) ==
			   RC_HIERARCHY_H1,
		   "vtpm: NV_DefineSpace(platform), e.g. a fake EK "
		   "certificate index: TPM_RC_HIERARCHY");
	EXPECT_MSG(auth_cmd(CC_CLEAR, RH_LOCKOUT, none, 0) == 0,
		   "vtpm: Clear(lockout) succeeds");
}

/* After all that, the TPM's EKs are still the attested ones. */
TEST(vtpm, ek_still_attested)
{
	EXPECT_MSG(guest_attested_ek_is_tpm_ek(0),
		   "vtpm: after the platform commands and Clear, "
		   "CreatePrimary(L-1) = the manifest's v0 EK");
	EXPECT_MSG(guest_attested_ek_is_tpm_ek(1),
		   "vtpm: after the platform commands and Clear, "
		   "CreatePrimary(L-2) = the manifest's v1 EK");
}
