/* SPDX-License-Identifier: MIT */
/*
 * A small TPM 2.0 command builder and response reader for the tests,
 * written independently of the engine's own marshalling (vtpm/ek.c).
 * Every read past the end of a response sets `bad` instead of reading.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TPM2_ST_NO_SESSIONS 0x8001u
#define TPM2_ST_SESSIONS 0x8002u
#define TPM2_CC_CHANGE_EPS 0x0000011cu
#define TPM2_CC_HIERARCHY_CONTROL 0x00000121u
#define TPM2_CC_CLEAR 0x00000126u
#define TPM2_CC_HIERARCHY_CHANGE_AUTH 0x00000129u
#define TPM2_CC_NV_DEFINE_SPACE 0x0000012au
#define TPM2_CC_CREATE_PRIMARY 0x00000131u
#define TPM2_CC_NV_WRITE 0x00000137u
#define TPM2_CC_SELF_TEST 0x00000143u
#define TPM2_CC_STARTUP 0x00000144u
#define TPM2_CC_SHUTDOWN 0x00000145u
#define TPM2_CC_NV_READ 0x0000014eu
#define TPM2_CC_QUOTE 0x00000158u
#define TPM2_CC_FLUSH_CONTEXT 0x00000165u
#define TPM2_CC_GET_RANDOM 0x0000017bu
#define TPM2_CC_PCR_READ 0x0000017eu
#define TPM2_CC_PCR_EXTEND 0x00000182u
#define TPM2_CC_GET_CAPABILITY 0x0000017au
#define TPM2_RH_OWNER 0x40000001u
#define TPM2_RS_PW 0x40000009u
#define TPM2_RH_LOCKOUT 0x4000000au
#define TPM2_RH_ENDORSEMENT 0x4000000bu
#define TPM2_RH_PLATFORM 0x4000000cu
/* TPM_RC_HIERARCHY on handle 1 (TPM_RC_H + TPM_RC_1): the platform
 * hierarchy named as the authorization handle is disabled. */
#define TPM2_RC_HIERARCHY_H1 0x00000185u
#define TPM2_ALG_SHA256 0x000bu
#define TPM2_RC_INITIALIZE 0x00000100u
#define TPM2_RC_COMMAND_CODE 0x00000143u
#define TPM2_RC_RETRY 0x00000922u

struct tpm2_cmd {
	uint8_t buf[1024];
	size_t len;
};

struct tpm2_rsp {
	uint8_t buf[4096];
	size_t len;
	size_t off;
	uint32_t rc;
	bool bad;
};

void tc_begin(struct tpm2_cmd *c, uint16_t tag, uint32_t cc);
void tc_u8(struct tpm2_cmd *c, uint8_t v);
void tc_u16(struct tpm2_cmd *c, uint16_t v);
void tc_u32(struct tpm2_cmd *c, uint32_t v);
void tc_bytes(struct tpm2_cmd *c, const uint8_t *p, size_t n);
/** A TPM2B: u16 size, then the bytes. */
void tc_b2b(struct tpm2_cmd *c, const uint8_t *p, size_t n);
/** An authorization area with one empty password session. */
void tc_pw_auth(struct tpm2_cmd *c);
/** A TPML_PCR_SELECTION of one SHA-256 bank with one PCR selected. */
void tc_pcr_select(struct tpm2_cmd *c, unsigned int pcr);

/** Sends the command through vtpm_cmd; false if vtpm_cmd failed. */
bool tpm2_exec(struct tpm2_cmd *c, struct tpm2_rsp *r);

uint8_t tr_u8(struct tpm2_rsp *r);
uint16_t tr_u16(struct tpm2_rsp *r);
uint32_t tr_u32(struct tpm2_rsp *r);
const uint8_t *tr_bytes(struct tpm2_rsp *r, size_t n);
/** Reads a TPM2B; returns its bytes and sets *n. */
const uint8_t *tr_b2b(struct tpm2_rsp *r, size_t *n);

/* Commands the session test, the benchmark and the server share. */
void cmd_get_random(struct tpm2_cmd *c, uint16_t n);
void cmd_pcr_extend(struct tpm2_cmd *c, unsigned int pcr,
		    const uint8_t digest[32]);
/** CreatePrimary under the endorsement hierarchy with the EK template. */
void cmd_create_primary_ek(struct tpm2_cmd *c, bool rsa);
void cmd_flush(struct tpm2_cmd *c, uint32_t handle);
