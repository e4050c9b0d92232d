// SPDX-License-Identifier: MIT
/*
 * The protocols this SVSM serves, with their versions: the single source
 * for QUERY_PROTOCOL (SVSM spec §7.7) and for the unit test that checks
 * every listed protocol is really dispatched. Attestation (1) and vTPM (2)
 * are not listed while protocols/attest_absent.c and vtpm_absent.c stand
 * in for them; add their lines together with the real implementations.
 */
#include "svsm/request.h"

#include "svsm/abi/svsm_call.h"

static const struct svsm_protocol_info protocols[] = {
	{SVSM_PROTO_CORE, 1, 1},
};

const struct svsm_protocol_info *svsm_protocol_find(uint32_t id)
{
	for (uint32_t i = 0; i < ARRAY_SIZE(protocols); i++) {
		if (protocols[i].id == id) {
			return &protocols[i];
		}
	}
	return NULL;
}

const struct svsm_protocol_info *svsm_protocol_table(uint32_t *count)
{
	*count = ARRAY_SIZE(protocols);
	return protocols;
}
