/* SPDX-License-Identifier: MIT */
/*
 * The vTPM protocol's guest buffer (docs/abi.md §5; SVSM spec tables 15-17).
 * The wrapper fields are little-endian; the TPM packet inside is a normal
 * big-endian TPM 2.0 command or response.
 */
#pragma once

#include <assert.h>
#include <stdint.h>

/* The request/response buffer at RCX: one page at most. */
#define SVSM_VTPM_BUFFER_SIZE 4096u

/* Platform command numbers (MS/TCG simulator TpmTcpProtocol.h): 1..30 are
 * defined there; only SEND_COMMAND is served. */
#define SVSM_VTPM_PLAT_SEND_COMMAND 8u
#define SVSM_VTPM_PLAT_MAX 30u

/* TPM_SEND_COMMAND request (table 16, packed). */
struct svsm_vtpm_cmd_req {
	uint32_t platform_cmd; /* 8 */
	uint8_t locality;      /* must be 0 */
	uint32_t cmd_size;     /* N, then N bytes of TPM command */
} __attribute__((packed));
static_assert(sizeof(struct svsm_vtpm_cmd_req) == 9, "SVSM spec table 16");

/* Response (table 17): the size, then M bytes of TPM response. */
struct svsm_vtpm_cmd_rsp {
	uint32_t rsp_size;
} __attribute__((packed));
static_assert(sizeof(struct svsm_vtpm_cmd_rsp) == 4, "SVSM spec table 17");

#define SVSM_VTPM_CMD_MAX \
	(SVSM_VTPM_BUFFER_SIZE - sizeof(struct svsm_vtpm_cmd_req))
#define SVSM_VTPM_RSP_MAX \
	(SVSM_VTPM_BUFFER_SIZE - sizeof(struct svsm_vtpm_cmd_rsp))
