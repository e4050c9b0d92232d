// SPDX-License-Identifier: MIT
/*
 * The protocols this SVSM serves, with their versions: the single source
 * for QUERY_PROTOCOL (SVSM spec §7.7) and for the unit test that checks
 * every listed protocol is really dispatched.
 */
#include "svsm/request.h"
#include "svsm/vtpm.h"

#include "svsm/abi/svsm_call.h"

static const struct svsm_protocol_info protocols[] = {
	{SVSM_PROTO_CORE, 1, 1},
	{SVSM_PROTO_ATTEST, 1, 1},
	{SVSM_PROTO_VTPM, 1, 1},
};

const struct svsm_protocol_info *svsm_protocol_find(uint32_t id)
{
	for (uint32_t i = 0; i < ARRAY_SIZE(protocols); i++) {
		if (protocols[i].id == id) {
			/* A vTPM that failed to start is absent (§11.6). */
			if (id == SVSM_PROTO_VTPM && !plat_vtpm_ready()) {
				return NULL;
			}
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
