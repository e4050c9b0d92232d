/* SPDX-License-Identifier: MIT */
/*
 * GHCB NAE details beyond ghcb.h: error reporting in SW_EXITINFO1/2 and
 * the page-state-change buffer (GHCB spec 56421 v2 §4.1.6, Table 5/6).
 * Guest-visible ABI.
 */
#pragma once

#include <stdint.h>

/* SW_EXITINFO1[31:0] on return. */
#define GHCB_RESULT_OK 0
#define GHCB_RESULT_EXCEPTION 1 /* SW_EXITINFO2 = event to inject */
#define GHCB_RESULT_ERROR 2     /* SW_EXITINFO2 = GHCB_ERR_* */

#define GHCB_ERR_NOT_REGISTERED 1
#define GHCB_ERR_INVALID_USAGE 2
#define GHCB_ERR_INVALID_SCRATCH_AREA 3
#define GHCB_ERR_MISSING_INPUT 4
#define GHCB_ERR_INVALID_INPUT 5
#define GHCB_ERR_INVALID_EVENT 6

/* Event-injection format in SW_EXITINFO2 (APM vol. 2 §15.20). */
#define GHCB_EVENT_EXCEPTION(vec) \
	((uint64_t)(vec) | (3u << 8) | (1u << 11) | (1u << 31))

/* Page State Change: header then entries in the scratch area. */
struct ghcb_psc_hdr {
	uint16_t cur_entry;
	uint16_t end_entry;
	uint32_t reserved;
};
_Static_assert(sizeof(struct ghcb_psc_hdr) == 8, "GHCB spec §4.1.6");

/* PSC failure in SW_EXITINFO2 (model: [63:32] = 1, [31:0] = entry error). */
#define GHCB_PSC_ERR_HDR (UINT64_C(1) << 32)
#define GHCB_PSC_ERR_ENTRY (UINT64_C(2) << 32)

/* Termination via NAE 0x8000FFFE: SW_EXITINFO1[3:0] set, [11:4] code. */
