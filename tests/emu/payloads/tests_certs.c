// SPDX-License-Identifier: MIT
/*
 * snpemu test payload: the extended guest request (docs/abi.md §9.5) and the
 * certificate table of the build's emulated AMD chain. Uses VMPCK1, so
 * t_guest_request's VMPCK0 sequence numbers are untouched.
 */
#include "lib/compiler.h"
#include "lib/string.h"

#include "svsm/abi/ghcb.h"
#include "svsm/abi/ghcb_nae.h"
#include "svsm/abi/snp_certs.h"
#include "svsm/abi/snp_guest_msg.h"

#include "guest.h"
#include "psp_crypto.h"

/* The VCEK's public key as pspc_verify_key() takes it: little-endian,
 * 72-byte fields (the certificate holds big-endian 48-byte X and Y). */
static uint8_t vcek_qx[72], vcek_qy[72];
static bool have_vcek;

bool vcek_verify(const struct snp_attestation_report *r)
{
	return have_vcek &&
	       pspc_verify_key((const uint8_t *)r, SNP_REPORT_SIGNED_LEN,
			       vcek_qx, vcek_qy, r->sig_r, r->sig_s);
}

/* The P-384 SubjectPublicKeyInfo tail before the point: the curve OID
 * (1.3.132.0.34) and the BIT STRING header of a 97-byte point. */
static const uint8_t spki_p384[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00,
				    0x22, 0x03, 0x62, 0x00, 0x04};

static bool find_vcek(const uint8_t *t, size_t len)
{
	static const uint8_t guid[16] = SNP_CERT_GUID_VCEK;
	struct snp_cert_entry e;

	for (size_t off = 0; off + sizeof(e) <= len; off += sizeof(e)) {
		memcpy(&e, t + off, sizeof(e));
		if (memcmp(e.guid, guid, 16) != 0) {
			continue;
		}
		if (e.offset > len || e.length > len - e.offset) {
			return false;
		}
		for (size_t i = 0; i + sizeof(spki_p384) + 96 <= e.length;
		     i++) {
			const uint8_t *p = t + e.offset + i;

			if (memcmp(p, spki_p384, sizeof(spki_p384)) != 0) {
				continue;
			}
			p += sizeof(spki_p384);
			for (unsigned k = 0; k < 48; k++) {
				vcek_qx[k] = p[47 - k];
				vcek_qy[k] = p[95 - k];
			}
			have_vcek = true;
			return true;
		}
		return false;
	}
	return false;
}

void t_guest_request_ext(void)
{
	static struct snp_report_rsp rsp;
	static const uint8_t ark[16] = SNP_CERT_GUID_ARK;
	static const uint8_t ask[16] = SNP_CERT_GUID_ASK;
	uint8_t *certs = shared_va(greq_certs);
	bool ok = true, rsp_ok = false;
	uint64_t need = 0;

	/* Too small: INVALID_LEN, RBX = pages needed, nothing sent to the
	 * PSP (the same sequence number works afterwards). */
	memset(certs, 0xa5, sizeof(greq_certs));
	EXPECT_EQ(guest_request_ext(1, 1, 1, false, 1, &rsp, &rsp_ok),
		  (uint64_t)SNP_GUEST_VMM_ERR_INVALID_LEN << 32);
	need = ghcb->rbx;
	EXPECT_EQ(ghcb_is_valid(offsetof(struct ghcb, rbx)), 1);
	EXPECT_EQ(need >= 2 && need <= 3, 1);
	EXPECT_EQ(certs[0], 0xa5);
	/* Enough pages: the table, then the report. */
	EXPECT_EQ(guest_request_ext(1, 1, 1, false, need, &rsp, &rsp_ok), 0);
	EXPECT_EQ(rsp_ok && rsp.status == 0 && rsp.report.vmpl == 1, 1);
	EXPECT_EQ(memcmp(certs, ark, 16), 0);
	EXPECT_EQ(memcmp(certs + 24, ask, 16), 0);
	EXPECT_EQ(find_vcek(certs, need * 4096), 1);
	EXPECT_EQ(vcek_verify(&rsp.report), 1);
	report(ok,
	       "extended guest request: INVALID_LEN with pages needed, "
	       "ARK/ASK/VCEK table, report verifies with the VCEK cert");
}
