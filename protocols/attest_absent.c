// SPDX-License-Identifier: MIT
/*
 * Stand-in for protocols/attest.c until the attestation protocol exists
 * (Hafnium's absent.c pattern): dispatch.c stays free of #ifs and the
 * guest sees an absent protocol (UNSUPPORTED_PROTOCOL; QUERY_PROTOCOL
 * answers 0 because protocol_table.c does not list it).
 */
#include "svsm/request.h"

svsm_err_t attest_call(struct svsm_req *req)
{
	(void)req;
	return SVSM_E_NOPROTO;
}
