// SPDX-License-Identifier: MIT
/*
 * Stand-in for protocols/vtpm.c until the vTPM exists (Hafnium's absent.c
 * pattern). Linux probes with VTPM_QUERY and, on any error, silently has
 * no TPM (docs/abi.md §11.6), so an absent protocol is safe to answer.
 */
#include "svsm/request.h"

svsm_err_t vtpm_call(struct svsm_req *req)
{
	(void)req;
	return SVSM_E_NOPROTO;
}
