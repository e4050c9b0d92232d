// SPDX-License-Identifier: MIT
/*
 * Guest secrets page (docs/abi.md §2.1): copy, wipe the SVSM's keys, add the
 * SVSM fields that Linux and OVMF use to find the SVSM.
 */
#include "sev/secrets.h"

#include "lib/string.h"

void snp_secrets_build_guest(struct snp_secrets_page *dst,
			     const struct snp_secrets_page *src,
			     const struct snp_guest_secrets_cfg *cfg)
{
	uint8_t vmpl = cfg->guest_vmpl < 4 ? cfg->guest_vmpl : 3;

	RT_SYM(memcpy)(dst, src, sizeof(*dst));
	for (uint8_t i = 0; i < vmpl; i++) {
		mem_wipe(dst->vmpck[i], sizeof(dst->vmpck[i]));
	}
	/* The OS area is the guest's; start it clean (sequence numbers 0). */
	RT_SYM(memset)(dst->os_msg_seqno, 0, sizeof(dst->os_msg_seqno));
	dst->os_ap_jump_table_pa = 0;
	RT_SYM(memset)(dst->os_reserved, 0, sizeof(dst->os_reserved));
	RT_SYM(memset)(dst->os_guest_usage, 0, sizeof(dst->os_guest_usage));
	dst->svsm_base = cfg->svsm_base;
	dst->svsm_size = cfg->svsm_size;
	dst->svsm_caa = cfg->caa_gpa;
	dst->svsm_max_version = SVSM_CORE_MAX_VERSION;
	dst->svsm_guest_vmpl = cfg->guest_vmpl;
	RT_SYM(memset)(dst->reserved_0x15d, 0, sizeof(dst->reserved_0x15d));
}
